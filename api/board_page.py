"""The community notice board at /board/<slug>: a server-rendered page for phones and for the
lobby screen. Self-contained (no CDN, no script; a meta refresh keeps a lobby screen current),
every interpolated value escaped, charts as inline SVG.

Sections the community has not made public show a line saying so, for visitors who are not
signed in; the numbers carry `data-testid` so the browser test can read them back.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from models.open_books import AccountCategory
from models.teams import MediationCategory
from services.notice_board import Board
from services.open_books import CategoryTotal
from services.satisfaction import MonthSatisfaction

CATEGORY_NAMES: dict[AccountCategory, str] = {
    AccountCategory.FEES: "物业费",
    AccountCategory.ADVERTISING: "广告收入",
    AccountCategory.GRANTS: "政府补贴",
    AccountCategory.OTHER_INCOME: "其他收入",
    AccountCategory.LABOUR: "人工",
    AccountCategory.MATERIALS: "材料",
    AccountCategory.OTHER_SPENDING: "其他支出",
}
MEDIATION_NAMES: dict[MediationCategory, str] = {
    MediationCategory.NOISE: "噪音",
    MediationCategory.WATER_LEAK: "漏水",
    MediationCategory.PARKING: "停车",
    MediationCategory.PETS: "宠物",
    MediationCategory.SHARED_SPACE: "公共空间",
    MediationCategory.PROPERTY_FEES: "物业费",
    MediationCategory.FAMILY: "家庭",
    MediationCategory.OTHER: "其他",
}
REFRESH_SECONDS = 300
_PRIVATE = "社区尚未公开此栏目；居民请在“红管家”App中查看。"

_STYLE = """
*{box-sizing:border-box}
body{margin:0;font-family:"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;
background:#f6f1ee;color:#222;font-size:17px;line-height:1.5}
header{background:#b71c1c;color:#fff;padding:1.1rem max(1.2rem,calc((100% - 90rem)/2 + .8rem))}
header h1{margin:0;font-size:1.6rem}
header p{margin:.2rem 0 0;opacity:.9}
main{display:grid;grid-template-columns:1fr;gap:.8rem;padding:.8rem;max-width:90rem;margin:0 auto}
@media (min-width:60rem){main{grid-template-columns:1fr 1fr}body{font-size:19px}}
@media (min-width:100rem){main{grid-template-columns:1fr 1fr 1fr}body{font-size:22px}}
section{background:#fff;border-radius:.6rem;padding:1rem 1.1rem;min-width:0}
h2{margin:0 0 .6rem;font-size:1.15rem;color:#b71c1c}
.big{font-size:clamp(1.5rem,7vw,2.2rem);font-weight:700;color:#b71c1c;line-height:1.1}
.muted{color:#666;font-size:.9rem}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(5.5rem,1fr));
gap:.8rem 1rem;margin:.2rem 0 .6rem}
.stats.money{grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr))}
.money .big{font-size:clamp(1.4rem,6vw,1.7rem)}
table{width:100%;border-collapse:collapse;font-size:.95rem}
td,th{padding:.3rem .2rem;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
svg{display:block;width:100%;max-width:26rem;height:auto;margin:.4rem 0}
ol{margin:0;padding-left:1.4rem}
.flag{font-size:1.4rem;font-weight:700}
svg.flag-icon{display:inline-block;width:1.1em;height:1.3em;margin:0 .35em 0 0;vertical-align:-.25em}
footer{text-align:center;color:#666;font-size:.85rem;padding:0 1rem 1.5rem}
"""


def money(value: Decimal) -> str:
    return f"{value:,.2f}"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _stat(label: str, value: str, testid: str) -> str:
    return (
        f'<div><div class="big" data-testid="{escape(testid)}">{escape(value)}</div>'
        f'<div class="muted">{escape(label)}</div></div>'
    )


def _bars(rows: list[tuple[str, float, str]], colour: str) -> str:
    """Horizontal bars, 0–100 each: (label, value, text shown at the bar's end)."""
    height = 30 * len(rows) + 6
    parts = [f'<svg viewBox="0 0 300 {height}" role="img" aria-label="chart">']
    for i, (label, value, shown) in enumerate(rows):
        y = 6 + i * 30
        width = max(0.0, min(100.0, value)) * 1.6
        parts.append(
            f'<text x="0" y="{y + 16}" font-size="15" fill="#333">{escape(label)}</text>'
            f'<rect x="80" y="{y + 2}" width="160" height="18" fill="#f1e3e3" rx="3"/>'
            f'<rect x="80" y="{y + 2}" width="{width:.1f}" height="18" fill="{colour}" rx="3"/>'
            f'<text x="246" y="{y + 16}" font-size="15" fill="#333">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# The red flag, drawn: an emoji (🚩) is a box on a lobby PC or a phone without an emoji font.
FLAG_ICON = (
    '<svg class="flag-icon" viewBox="0 0 20 24" aria-hidden="true" data-testid="flag-icon">'
    '<rect x="2" y="1" width="2.2" height="22" rx="1" fill="#6d4c41"/>'
    '<path d="M4.2 2H18l-3.6 4.8L18 11.6H4.2z" fill="#d32f2f"/></svg>'
)


def _flag(board: Board) -> str:
    if board.flag is None:
        body = '<p class="flag" data-testid="flag-holder">本月流动红旗尚未评出</p>'
    else:
        body = (
            f'<p class="flag" data-testid="flag-holder">{FLAG_ICON}{escape(board.flag.place_name)}</p>'
            f"<p>{escape(board.flag.reason)}</p>"
        )
    return f"<section><h2>文明楼道流动红旗</h2>{body}</section>"


def _volunteers(board: Board) -> str:
    rows = board.volunteers or []
    this_month = board.volunteers_month in ("", board.month)
    title = "本月志愿之星" if this_month else f"{board.volunteers_month} 志愿之星"
    if not rows:
        body = '<p data-testid="volunteers-empty">本月志愿之星尚未评出</p>'
    else:
        items = "".join(
            f"<li>{escape(v.display_name)} "
            f"<span class='muted'>{v.minutes // 60} 小时 {v.minutes % 60} 分</span></li>"
            for v in rows
        )
        body = f'<ol data-testid="volunteers">{items}</ol>'
    return f'<section><h2 data-testid="volunteers-title">{escape(title)}</h2>{body}</section>'


def _repairs(board: Board) -> str:
    repairs = board.repairs
    assert repairs is not None
    chart = (
        _bars([("按时完成", repairs.on_time_percent or 0.0, percent(repairs.on_time_percent))], "#2e7d32")
        if repairs.done
        else "<p class='muted'>本月暂无修好的报修</p>"
    )
    return (
        "<section><h2>报修办结</h2><div class='stats'>"
        + _stat("本月修好", str(repairs.done), "repairs-done")
        + _stat("按时修好", str(repairs.on_time), "repairs-on-time")
        + _stat("按时率", percent(repairs.on_time_percent), "repairs-on-time-percent")
        + "</div>"
        + chart
        + "</section>"
    )


def _satisfaction(board: Board) -> str:
    months: list[MonthSatisfaction] = board.satisfaction or []
    current = next((m for m in months if m.month == board.month), None)
    rate = None if current is None else current.overall.rate_percent
    count = 0 if current is None else current.overall.count
    chart = _bars(
        [(m.month, m.overall.rate_percent or 0.0, percent(m.overall.rate_percent)) for m in months[-6:]],
        "#b71c1c",
    )
    counts = board.opinions
    opinions = ""
    if counts is not None:
        opinions = (
            "<h2 style='margin-top:.8rem'>居民意见</h2><div class='stats'>"
            + _stat("收集", str(counts.collected), "opinions-collected")
            + _stat("采纳", str(counts.adopted), "opinions-adopted")
            + _stat("办结", str(counts.done), "opinions-done")
            + "</div>"
        )
    mediation = ""
    if board.mediation is not None:
        settled = board.mediation
        rows = "".join(
            f"<tr><td>{escape(MEDIATION_NAMES[c.category])}</td>"
            f"<td class='n' data-testid='mediation-settled-{c.category.value}'>{c.settled}</td></tr>"
            for c in settled.by_category
            if c.settled
        )
        mediation = (
            f"<h2 style='margin-top:.8rem'>红色调解室 {settled.year}年</h2><div class='stats'>"
            + _stat("调解成功", str(settled.settled), "mediation-settled")
            + "</div>"
            + (f"<table>{rows}</table>" if rows else "")
        )
    return (
        "<section><h2>居民满意度</h2><div class='stats'>"
        + _stat("本月满意率", percent(rate), "satisfaction-rate")
        + _stat("评价份数", str(count), "satisfaction-count")
        + "</div><p class='muted'>报修评价与问卷中打 4、5 分的比例（近六个月）</p>"
        + (chart if months else "")
        + opinions
        + mediation
        + "</section>"
    )


def _accounts(board: Board) -> str:
    st = board.statement
    assert st is not None
    income_rows = [c for c in st.categories if c.is_income]
    spending_rows = [c for c in st.categories if not c.is_income]

    def table(rows: list[CategoryTotal], testid: str) -> str:
        body = "".join(
            f"<tr><td>{escape(CATEGORY_NAMES[c.category])}</td>"
            f"<td class='n' data-testid='{testid}-{c.category.value}'>{money(c.amount)}</td></tr>"
            for c in rows
        )
        return f"<table>{body}</table>" if rows else "<p class='muted'>暂无</p>"

    materials = "".join(
        f"<tr><td>{escape(m.item)}</td><td>{escape(m.brand_model)}</td>"
        f"<td class='n'>{money(m.cost)}</td></tr>"
        for m in st.repair_materials[:10]
    )
    economy = board.economy
    points = ""
    if economy is not None:
        points = (
            "<h2 style='margin-top:.8rem'>红色积分</h2><div class='stats'>"
            + _stat("累计发放", f"{economy.issued:,}", "points-issued")
            + _stat("已兑换", f"{economy.redeemed:,}", "points-redeemed")
            + _stat("居民持有", f"{economy.outstanding:,}", "points-outstanding")
            + "</div>"
        )
    return (
        f"<section><h2>{escape(st.month)} 公开账目（元）</h2><div class='stats money'>"
        + _stat("收入", money(st.income), "accounts-income")
        + _stat("支出", money(st.spending), "accounts-spending")
        + _stat("结余", money(st.balance), "accounts-balance")
        + "</div><h2>收入构成</h2>"
        + _bars(
            [(CATEGORY_NAMES[c.category], c.share_percent, f"{c.share_percent:.1f}%") for c in income_rows],
            "#b71c1c",
        )
        + table(income_rows, "income")
        + "<h2 style='margin-top:.8rem'>支出构成</h2>"
        + _bars(
            [(CATEGORY_NAMES[c.category], c.share_percent, f"{c.share_percent:.1f}%") for c in spending_rows],
            "#6d4c41",
        )
        + table(spending_rows, "spending")
        + (
            "<p class='muted'>维修材料（来自报修记录）</p>"
            f"<table><tr><th>材料</th><th>品牌型号</th><th class='n'>金额</th></tr>{materials}</table>"
            if materials
            else ""
        )
        + points
        + _fee_rates(board)
        + "</section>"
    )


def _fee_rates(board: Board) -> str:
    """物业费收缴率: households paid ÷ billed for each month of the year so far (no names)."""
    rows = [r for r in board.fee_rates or [] if r.label <= board.month]
    if not rows:
        return ""
    current = next((r for r in rows if r.label == board.month), rows[-1])
    return (
        "<h2 style='margin-top:.8rem'>物业费收缴率</h2><div class='stats'>"
        + _stat(f"{current.label} 户数收缴率", percent(current.household_rate), "fees-household-rate")
        + _stat("金额收缴率", percent(current.money_rate), "fees-money-rate")
        # Two stats rather than "1062/3182": that runs past a card's edge on a phone.
        + _stat("已缴户数", str(current.households_paid), "fees-households-paid")
        + _stat("应缴户数", str(current.households_billed), "fees-households-billed")
        + "</div>"
        + _bars([(r.label[5:] + "月", r.household_rate, percent(r.household_rate)) for r in rows], "#2e7d32")
        + "<p class='muted'>服务优—缴费足—服务更优：已缴清当月物业费的户数占应缴户数的比例</p>"
    )


def _private(title: str) -> str:
    return f"<section><h2>{escape(title)}</h2><p class='muted'>{escape(_PRIVATE)}</p></section>"


def board_page(board: Board) -> str:
    community = board.community
    sections = [
        _flag(board) if "flag" in board.visible else _private("文明楼道流动红旗"),
        _volunteers(board) if "volunteers" in board.visible else _private("本月志愿之星"),
        _repairs(board) if board.repairs is not None else _private("报修办结"),
        _satisfaction(board) if board.satisfaction is not None else _private("居民满意度"),
        _accounts(board) if board.statement is not None else _private("公开账目"),
    ]
    return (
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<meta http-equiv='refresh' content='{REFRESH_SECONDS}'>"
        f"<title>{escape(community.name)} 公告栏</title><style>{_STYLE}</style></head><body>"
        f"<header><h1>{escape(community.name)} 公告栏</h1>"
        f"<p data-testid='month'>{escape(board.month)}</p></header>"
        f"<main>{''.join(sections)}</main>"
        "<footer>每一条意见都有回音，每一笔账都公开</footer></body></html>"
    )
