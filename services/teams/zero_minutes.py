"""Why an attendance earns no minutes, in words the captain reads before and after approving.

Only minutes inside the activity's own window count (services/attendance.served_minutes): a
volunteer who checked out before a short activity began, or in after it ended, served "0
minutes" however long they were there. Approving that pays nothing; the captain must be told,
and offered the way out (adjust to the real minutes), rather than see 0 points silently.
"""

from __future__ import annotations

from datetime import datetime

from models.teams import Activity, Attendance, AttendanceStatus

# Statuses whose minutes come from the clock: undecided, or approved as the clock said.
_CLOCKED = (AttendanceStatus.CLOSED, AttendanceStatus.AUTO_CLOSED, AttendanceStatus.APPROVED)
_WAY_OUT = "只计活动时间内的分钟，所以是 0 分钟、不发积分；如确实服务了，请用「调整」填写实际分钟数。"


def _minutes(earlier: datetime, later: datetime) -> int:
    return max(0, int((later - earlier).total_seconds() // 60))


def may_count_zero(row: Attendance) -> bool:
    """Whether the clock's minutes are what count, and may be 0 (without reading the activity):
    checked out, not adjusted or rejected, and not already credited with some."""
    return (
        AttendanceStatus(row.status) in _CLOCKED
        and row.checked_out_at is not None
        and row.credited_minutes in (None, 0)
    )


def zero_minutes_reason(row: Attendance, activity: Activity) -> str | None:
    """The reason an attendance counts 0 minutes; None when it counts some, is still open, or
    its minutes were set by hand (adjusted) or refused (rejected)."""
    checked_in, checked_out = row.checked_in_at, row.checked_out_at
    if not may_count_zero(row) or checked_out is None:
        return None
    if checked_out <= activity.starts_at:
        early = _minutes(checked_out, activity.starts_at)
        return f"签退时活动还没开始（早了 {early} 分钟）：{_WAY_OUT}"
    if checked_in >= activity.ends_at:
        late = _minutes(activity.ends_at, checked_in)
        return f"签到时活动已经结束（晚了 {late} 分钟）：{_WAY_OUT}"
    start, end = max(checked_in, activity.starts_at), min(checked_out, activity.ends_at)
    if _minutes(start, end) == 0:
        return f"活动时间内服务不足 1 分钟：{_WAY_OUT}"
    return None
