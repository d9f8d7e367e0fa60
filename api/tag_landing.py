"""The page a phone's camera opens when someone scans a tag without the app: where this is,
what can be reported here, and how to get the app. Server-rendered, self-contained (no CDN, no
script), every interpolated value escaped.

The page is a list of sections: where this is, what is already being handled here (category,
state and age only: report texts and names stay in the app, for members), what can be
reported, how to get the app.
"""

from __future__ import annotations

from html import escape

from models.enums import ReportCategory
from models.reports import ReportState
from runtime import clock
from services.community.office import dial_link
from services.tags import Scan

CATEGORY_NAMES: dict[ReportCategory, str] = {
    ReportCategory.LIGHTING: "照明",
    ReportCategory.PLUMBING: "漏水、堵塞",
    ReportCategory.ELECTRICAL: "电路",
    ReportCategory.ILLEGAL_CONSTRUCTION: "违章搭建",
    ReportCategory.SNOW_ICE: "积雪结冰",
    ReportCategory.SANITATION: "环境卫生",
    ReportCategory.PARKING: "乱停车、电动车",
    ReportCategory.PUBLIC_FACILITY: "公共设施",
    ReportCategory.SAFETY_HAZARD: "安全隐患",
    ReportCategory.OTHER: "其他问题",
}

STATE_NAMES: dict[ReportState, str] = {
    ReportState.OPEN: "已登记，等待维修队接单",
    ReportState.CLAIMED: "维修队已接单",
    ReportState.REOPENED: "重新处理中",
}

APP_NAME = "红管家"

_STYLE = """
*{box-sizing:border-box}
body{margin:0;font-family:"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;
background:#f6f1ee;color:#222;font-size:17px;line-height:1.55}
main{max-width:34rem;margin:0 auto;padding:0 0 2rem}
header{background:#b71c1c;color:#fff;padding:1.4rem 1.2rem 1.2rem}
header p{margin:0;opacity:.9;font-size:.95rem}
h1{margin:.3rem 0 0;font-size:1.6rem;line-height:1.3}
section{background:#fff;margin:.8rem .8rem 0;padding:1rem 1.1rem;border-radius:.6rem}
section>p{margin:0}
h2{margin:0 0 .6rem;font-size:1.1rem;color:#b71c1c}
ul.categories{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.5rem}
ul.categories li{background:#f6f1ee;border-radius:.3rem;padding:.1rem .6rem;font-size:.95rem}
ol{margin:0;padding-left:1.3rem}
a.button{display:block;text-align:center;background:#b71c1c;color:#fff;text-decoration:none;
padding:.8rem;border-radius:.5rem;margin-top:.9rem;font-size:1.05rem}
section>p.note{color:#666;font-size:.9rem;margin:.7rem 0 0}
ul.reported{list-style:none;padding:0;margin:0}
ul.reported li{display:flex;justify-content:space-between;gap:.6rem;padding:.45rem 0;
border-bottom:1px solid #eee}
ul.reported li span{color:#666;font-size:.9rem;text-align:right}
"""


def _page(title: str, sections: list[str]) -> str:
    return (
        '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(sections)
        + "\n</main>\n</body>\n</html>\n"
    )


def _where(scan: Scan) -> str:
    location = scan.location
    return (
        "<header>"
        f'<p class="community">{escape(location.community_name)}</p>'
        f"<h1>{escape(location.label)}</h1>"
        "<p>您扫的是贴在这里的报修码</p>"
        "</header>"
    )


def _age(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 1:
        return "刚刚"
    if minutes < 60:
        return f"{minutes} 分钟前"
    if minutes < 48 * 60:
        return f"{minutes // 60} 小时前"
    return f"{minutes // (24 * 60)} 天前"


def _already_reported(scan: Scan) -> str:
    if not scan.open_reports:
        return '<section class="reported"><h2>这里已报修的问题</h2><p>目前没有。</p></section>'
    now = clock.now()
    items = "".join(
        f"<li><strong>{escape(CATEGORY_NAMES[ReportCategory(report.category)])}</strong>"
        f"<span>{escape(STATE_NAMES.get(ReportState(report.state), ''))} · "
        f"{_age((now - report.created_at).total_seconds())}</span></li>"
        for report in scan.open_reports
    )
    return (
        '<section class="reported"><h2>这里已报修的问题</h2>'
        f'<ul class="reported">{items}</ul>'
        '<p class="note">同样的问题不用重复报修：在 App 里点「我也遇到了」。</p></section>'
    )


def _categories(scan: Scan) -> str:
    items = "".join(f"<li>{escape(CATEGORY_NAMES[c])}</li>" for c in scan.categories)
    return f'<section class="can-report"><h2>在这里可以报修</h2><ul class="categories">{items}</ul></section>'


def _get_the_app(download_url: str, office_phone: str = "") -> str:
    link = (
        f'<a class="button" href="{escape(download_url, quote=True)}">下载「{APP_NAME}」App</a>'
        if download_url
        else ""
    )
    return (
        f'<section class="app"><h2>用「{APP_NAME}」App 报修</h2><ol>'
        f"<li>安装社区的「{APP_NAME}」App，用手机号加入社区（社区办公室可以帮您装）。</li>"
        "<li>在 App 里点「扫码报修」，再扫一次这个码。</li>"
        "<li>选问题、拍张照片、提交；维修进度会通知您，修好后请您确认和评价。</li>"
        f"</ol>{link}"
        f"{_call_the_office(office_phone)}</section>"
    )


def _call_the_office(phone: str) -> str:
    if not phone:
        return '<p class="note">不方便用手机？请到社区办公室，工作人员会替您登记。</p>'
    return (
        '<p class="note">不方便用手机？请打社区办公室电话 '
        f'<a class="phone" href="{escape(dial_link(phone), quote=True)}">{escape(phone)}</a>'
        "，或到办公室来，工作人员会替您登记。</p>"
    )


def landing_page(scan: Scan, download_url: str) -> str:
    sections = [
        _where(scan),
        _already_reported(scan),
        _categories(scan),
        _get_the_app(download_url, scan.location.office_phone),
    ]
    return _page(f"{scan.location.label} · {APP_NAME}", sections)


def problem_page(title: str, message: str) -> str:
    """For codes that are withdrawn or not ours."""
    return _page(
        f"{title} · {APP_NAME}",
        [
            f"<header><p>{APP_NAME}</p><h1>{escape(title)}</h1></header>",
            f"<section><p>{escape(message)}</p></section>",
        ],
    )
