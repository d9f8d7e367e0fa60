"""The notice board page shows the flag holder and the month's top volunteers from the
leaderboard work, with each volunteer's privacy choice."""

from __future__ import annotations

from datetime import UTC, datetime

from models.boards import BoardProfile, MonthClose
from models.teams import Activity, Attendance, AttendanceStatus, CheckInMethod, TeamKind
from services.leaderboards import sources as board_sources
from tests.api.leaderboards.support import make_town

NOV = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


async def test_the_flag_holder_is_the_entrance_that_won_the_month_before() -> None:
    town = await make_town()
    await MonthClose.create(
        community=town.place.community,
        month="2026-10",
        holds_month="2026-11",
        entrance=town.e1,
        score=80.0,
        weights={},
        breakdown=[],
        ranks=[],
        closed_at=NOV,
    )

    holder = await board_sources.flag_holder(town.place.community.id, "2026-11")
    nobody = await board_sources.flag_holder(town.place.community.id, "2026-10")

    # The full label: the town has two entrances named 1单元 and others like them.
    assert holder is not None and holder.place_name == "休闲小区 4号楼 2单元" and "80.0" in holder.reason
    assert nobody is None


async def test_top_volunteers_are_ranked_by_approved_minutes_and_may_appear_by_initials() -> None:
    town = await make_town()
    for index, (who, minutes, status) in enumerate(
        [
            (town.a, 90, AttendanceStatus.APPROVED),
            (town.b, 120, AttendanceStatus.ADJUSTED),
            (town.a, 60, AttendanceStatus.APPROVED),
            (town.d, 500, AttendanceStatus.REJECTED),
        ]
    ):
        activity = await Activity.create(
            community=town.place.community,
            team=town.team,
            title="巡河",
            kind=TeamKind.RIVER_PATROL,
            starts_at=NOV,
            ends_at=NOV,
            idempotency_key=f"act-{index}",
            created_at=NOV,
        )
        await Attendance.create(
            community=town.place.community,
            activity=activity,
            team=town.team,
            kind=TeamKind.RIVER_PATROL,
            user=who.user,
            method=CheckInMethod.SCAN,
            checked_in_at=NOV,
            status=status,
            credited_minutes=minutes,
            local_month="2026-11",
        )
    await BoardProfile.create(community=town.place.community, user=town.b.user, by_initials=True)

    top = await board_sources.top_volunteers(town.place.community.id, "2026-11")

    assert [(v.minutes) for v in top] == [150, 120]
    assert top[0].display_name == town.a.user.display_name
    assert top[1].display_name != town.b.user.display_name
