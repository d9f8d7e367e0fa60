"""The API's enum values and times as a resident reads them, in Chinese."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from runtime import clock

CATEGORIES = {
    "LIGHTING": "照明",
    "PLUMBING": "漏水、堵塞",
    "ELECTRICAL": "电路",
    "ILLEGAL_CONSTRUCTION": "违章搭建",
    "SNOW_ICE": "积雪结冰",
    "SANITATION": "环境卫生",
    "PARKING": "乱停车、电动车",
    "PUBLIC_FACILITY": "公共设施",
    "SAFETY_HAZARD": "安全隐患",
    "OTHER": "其他问题",
}
STATES = {
    "OPEN": "等待接单",
    "CLAIMED": "维修中",
    "RESOLVED": "已修好，请确认",
    "CONFIRMED": "已完成",
    "REOPENED": "重新处理中",
    "REJECTED": "未受理",
    "CANCELLED": "已撤销",
}
EVENTS = {
    "OPENED": "提交报修",
    "CLAIMED": "维修队接单",
    "RESOLVED": "维修完成",
    "CONFIRMED": "报修人确认修好",
    "AUTO_CONFIRMED": "7 天未确认，自动确认",
    "REOPENED": "退回重修",
    "REJECTED": "未受理",
    "CANCELLED": "报修人撤销",
    "ESCALATED": "超时，已上报督办",
}
TRANSFERS = {
    "ATTENDANCE": "志愿服务",
    "REPORT": "报修",
    "REPAIR": "维修",
    "INSPECTION": "楼道检查",
    "RANKING": "月度排名奖励",
    "MANUAL_AWARD": "社区奖励",
    "MANUAL_DEDUCT": "社区扣减",
    "REDEMPTION": "兑换",
    "REDEMPTION_REFUND": "兑换退回",
    "REVERSAL": "更正",
    "EXPIRY": "过期",
}
REDEMPTIONS = {"PENDING": "待领取", "FULFILLED": "已领取", "CANCELLED": "已取消", "EXPIRED": "已过期"}
ATTENDANCE = {
    "OPEN": "已签到",
    "CLOSED": "已签退",
    "AUTO_CLOSED": "已自动签退",
    "APPROVED": "已确认",
    "ADJUSTED": "已确认（队长调整了时长）",
    "REJECTED": "未通过",
}
# The demo and the communities are in China; the API's times are UTC.
LOCAL = timedelta(hours=8)


def parse_time(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def local_time(value: str | None) -> str:
    """`12月6日 14:05` in Beijing time."""
    if not value:
        return ""
    moment = parse_time(value) + LOCAL
    return f"{moment.month}月{moment.day}日 {moment:%H:%M}"


def age(value: str | None) -> str:
    if not value:
        return ""
    minutes = int((clock.now() - parse_time(value)).total_seconds() // 60)
    if minutes < 1:
        return "刚刚"
    if minutes < 60:
        return f"{minutes} 分钟前"
    if minutes < 48 * 60:
        return f"{minutes // 60} 小时前"
    return f"{minutes // (24 * 60)} 天前"


def place_label(place: dict[str, Any] | None) -> str:
    """休闲小区 1号楼 1单元, never 1单元 alone (from WebPlaceLabelFields)."""
    if not place:
        return ""
    names = [place.get("name") or ""]
    building = place.get("building")
    if building:
        names.insert(0, building.get("name") or "")
        compound = building.get("compound")
    else:
        compound = place.get("compound")
    if compound:
        names.insert(0, compound.get("name") or "")
    return " ".join(n for n in names if n)


def flag_reason(reason: str) -> str:
    """Why an entrance is out of the flag's running (services.flag words it in English)."""
    if reason.startswith("fewer than"):
        count = "".join(ch for ch in reason if ch.isdigit())
        return f"本月检查少于 {count} 次，暂不参评"
    if reason == "no occupied household":
        return "没有住户，不参评"
    return reason


def here(url: str | None) -> str:
    """A link the API made absolute (with the configured public address) as a path on the host
    that served the page, so a page never loads from another host, whatever the proxy in front."""
    if not url:
        return ""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def this_month() -> str:
    return f"{clock.now() + LOCAL:%Y-%m}"


def _named(table: dict[str, str]) -> Callable[[str], str]:
    """A template filter: the Chinese name of an enum value; an unknown (newer) value as it is."""
    return lambda value: table.get(value, value)


FILTERS: dict[str, Callable[[Any], str]] = {
    "category": _named(CATEGORIES),
    "state": _named(STATES),
    "event": _named(EVENTS),
    "transfer": _named(TRANSFERS),
    "redemption": _named(REDEMPTIONS),
    "attendance": _named(ATTENDANCE),
    "local_time": local_time,
    "age": age,
    "here": here,
    "flag_reason": flag_reason,
    "place_label": place_label,
}
