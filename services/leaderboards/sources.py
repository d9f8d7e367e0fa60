"""What the notice board page shows from the leaderboard work: the flag holder of a month and the
month's top volunteers by approved service time, with each volunteer's privacy choice."""

from __future__ import annotations

from tortoise.functions import Sum

from models.boards import BoardProfile, MonthClose
from models.people import User
from models.teams import Attendance, AttendanceStatus
from services import notice_board
from services.leaderboards import initials
from services.places.labels import PlaceKind, labels_by_id

TOP = 10


async def flag_holder(community_id: int, month: str) -> notice_board.FlagHolder | None:
    award = await MonthClose.get_or_none(community_id=community_id, holds_month=month)
    if award is None or award.entrance_id is None:
        return None
    # The full label: a hundred entrances share the names 1单元 … 4单元 (one statement).
    label = (await labels_by_id(PlaceKind.ENTRANCE, [award.entrance_id])).get(award.entrance_id)
    if label is None:
        return None
    score = f"{award.score:.1f}" if award.score is not None else "—"
    return notice_board.FlagHolder(
        place_name=label,
        reason=f"{award.month} 文明楼道评分第一（{score} 分）：保洁检查、住户参与志愿服务、报修按时办结",
    )


async def top_volunteers(community_id: int, month: str) -> list[notice_board.TopVolunteer]:
    rows = (
        await Attendance.filter(
            community_id=community_id,
            local_month=month,
            status__in=[AttendanceStatus.APPROVED, AttendanceStatus.ADJUSTED],
        )
        .annotate(minutes=Sum("credited_minutes"))
        .group_by("user_id")
        .order_by("-minutes", "user_id")
        .limit(TOP)
        .values("user_id", "minutes")
    )
    ids = [row["user_id"] for row in rows]
    names = dict(await User.filter(id__in=ids).values_list("id", "display_name"))
    hidden = set(
        await BoardProfile.filter(community_id=community_id, user_id__in=ids, by_initials=True).values_list(
            "user_id", flat=True
        )
    )
    return [
        notice_board.TopVolunteer(
            display_name=initials(names[row["user_id"]])
            if row["user_id"] in hidden
            else names[row["user_id"]],
            minutes=int(row["minutes"] or 0),
        )
        for row in rows
        if row["minutes"]
    ]


def install() -> None:
    notice_board.flag_source = flag_holder
    notice_board.volunteer_source = top_volunteers
