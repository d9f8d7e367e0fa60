"""The notice board page shows the flag holder and the month's top volunteers from the
leaderboard work, with each volunteer's privacy choice."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from api.board_page import board_page
from models.boards import BoardProfile, MonthClose
from models.open_books import BoardPublicity
from models.teams import Activity, Attendance, AttendanceStatus, CheckInMethod, TeamKind
from runtime import clock
from services import notice_board
from services.access import Viewer
from services.leaderboards import sources as board_sources
from tests.api.leaderboards.support import Town, make_town
from tests.support.people import Person

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


async def _served(
    town: Town, who: Person, minutes: int, status: AttendanceStatus, key: str, month: str = "2026-11"
) -> None:
    activity = await Activity.create(
        community=town.place.community,
        team=town.team,
        title="巡河",
        kind=TeamKind.RIVER_PATROL,
        starts_at=NOV,
        ends_at=NOV,
        idempotency_key=key,
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
        local_month=month,
    )


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
        await _served(town, who, minutes, status, f"act-{index}")
    await BoardProfile.create(community=town.place.community, user=town.b.user, by_initials=True)

    top = await board_sources.top_volunteers(town.place.community.id, "2026-11")

    assert [(v.minutes) for v in top] == [150, 120]
    assert top[0].display_name == town.a.user.display_name
    assert top[1].display_name != town.b.user.display_name


async def test_before_anyone_is_approved_this_month_the_board_shows_last_months_stars(
    moved_clock: clock.MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given approved time in November and only time waiting for its captain in December
    monkeypatch.setattr(notice_board, "volunteer_source", board_sources.top_volunteers)
    town = await make_town()
    moved_clock.set(datetime(2026, 12, 3, 2, 0, tzinfo=UTC))
    await _served(town, town.a, 90, AttendanceStatus.APPROVED, "nov")
    await _served(town, town.b, 60, AttendanceStatus.CLOSED, "dec", month="2026-12")
    community = town.place.community
    await BoardPublicity.create(community=community, volunteers=True, updated_at=clock.now())

    # when a passer-by reads the current board, and December's asked for by name
    current = await notice_board.board(community, Viewer())
    december = await notice_board.board(community, Viewer(), "2026-12")

    # then the current one names November's stars as November's; December's own stays empty
    assert (current.volunteers_month, [v.minutes for v in current.volunteers or []]) == ("2026-11", [90])
    assert 'data-testid="volunteers-title">2026-11 志愿之星<' in board_page(current)
    assert (december.volunteers_month, december.volunteers) == ("2026-12", [])
