"""Inspections, the civilized-corridor flag and closing a month, through the API, with the
formula's values computed by hand (services/corridor_flag.py publishes it)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from models.boards import Inspection, MonthClose
from models.enums import ReportCategory
from models.ledger import PointTransfer, TransferKind
from models.places import Household
from models.reports import Report, ReportState
from models.teams import Activity, Attendance, AttendanceStatus, CheckInMethod, TeamKind
from runtime.clock import MovableClock
from services import corridor_flag
from tests.api.leaderboards.support import (
    CLOSE,
    HISTORY,
    INSPECT,
    SCAN,
    STANDING,
    WEIGHTS,
    Town,
    award,
    board,
    entrance_code,
    make_town,
    ranks,
    renew_tokens,
)
from tests.conftest import QueryCounter
from tests.support.graphql import GraphQLClient
from tests.support.people import Person, make_person

NOV = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


async def inspect(api: GraphQLClient, who: Person, code: str, score: int, notes: str = "") -> dict[str, Any]:
    data = await api.data(INSPECT, {"input": {"code": code, "score": score, "notes": notes}}, who.token)
    payload: dict[str, Any] = data["inspectionRecord"]
    return payload


async def _report(town: Town, entrance_id: int, resolved_day: int | None, state: ReportState) -> None:
    due = datetime(2026, 11, 4, 2, 0, tzinfo=UTC)
    await Report.create(
        community=town.place.community,
        compound=town.place.compound,
        building_id=town.building2.id if entrance_id != town.e1.id else town.place.building.id,
        entrance_id=entrance_id,
        category=ReportCategory.LIGHTING,
        text="灯坏了",
        reporter=town.b.user,
        state=state,
        claim_due_at=NOV,
        resolve_due_at=due,
        resolved_at=datetime(2026, 11, resolved_day, 1, 0, tzinfo=UTC) if resolved_day else None,
        created_at=NOV,
        updated_at=NOV,
    )


async def _approved_attendance(town: Town, who: Person) -> None:
    activity = await Activity.create(
        community=town.place.community,
        team=town.team,
        title="巡河",
        kind=TeamKind.RIVER_PATROL,
        starts_at=NOV,
        ends_at=NOV,
        idempotency_key=f"act-{who.user.id}",
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
        status=AttendanceStatus.APPROVED,
        local_month="2026-11",
    )


async def _november(api: GraphQLClient, town: Town, moved_clock: MovableClock) -> dict[str, str]:
    codes = {
        name: await entrance_code(town, e) for name, e in (("e1", town.e1), ("e2", town.e2), ("e3", town.e3))
    }
    # E1: 4 (cleaner) and 5 (staff) → average 4.5; E2: 3 then 5 the next day → 4; E3: one → ineligible.
    assert (await inspect(api, town.cleaner, codes["e1"], 4, "stairs swept"))["errors"] == []
    assert (await inspect(api, town.staff, codes["e1"], 5))["errors"] == []
    assert (await inspect(api, town.cleaner, codes["e2"], 3))["errors"] == []
    moved_clock.advance(days=1)
    renew_tokens(town)
    assert (await inspect(api, town.cleaner, codes["e2"], 5))["errors"] == []
    assert (await inspect(api, town.cleaner, codes["e3"], 5))["errors"] == []
    # a (E1, household 301) served; d (no household) served but lives nowhere.
    await _approved_attendance(town, town.a)
    await _approved_attendance(town, town.d)
    # E2: one report resolved within its clock, one after; E1: a rejected one (does not count).
    await _report(town, town.e2.id, 3, ReportState.CONFIRMED)
    await _report(town, town.e2.id, 5, ReportState.CONFIRMED)
    await _report(town, town.e1.id, None, ReportState.REJECTED)
    return codes


def _table(standing: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (
            e["entranceName"],
            e["eligible"],
            e["rank"],
            e["score"],
            e["cleanliness"],
            e["volunteering"],
            e["reports"],
        )
        for e in standing["entrances"]
    ]


async def test_the_formula_by_hand_close_once_and_the_flag_at_the_door(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    town = await make_town()
    codes = await _november(api, town, moved_clock)
    await award(api, town, town.a, 100, "a")
    await award(api, town, town.b, 50, "b")
    live = (await api.data(STANDING, {"communityId": town.cid}, town.a.token))["corridorStanding"]
    assert live["standing"]["month"] == "2026-11" and live["standing"]["provisional"] is True
    # E1 = 100 × (40×0.875 + 30×(1/2) + 30×1) / 100 = 80.0
    # E2 = 100 × (40×0.75 + 30×(0/1) + 30×(1/2)) / 100 = 45.0
    assert _table(live["standing"]) == [
        ("2单元", True, 1, 80.0, 0.875, 0.5, 1.0),
        ("1单元", True, 2, 45.0, 0.75, 0.0, 0.5),
        ("3单元", False, None, None, 1.0, 0.0, 1.0),
    ]
    e3 = live["standing"]["entrances"][2]
    assert e3["reason"] == "fewer than 2 inspections" and e3["inspections"] == 1
    e2 = live["standing"]["entrances"][1]
    assert (e2["reportsCounted"], e2["reportsInTime"], e2["households"]) == (2, 1, 1)
    # The door shows the live standing; nobody holds the flag yet.
    scan = (await api.data(SCAN, {"code": codes["e1"]}))["scanTag"]["scan"]["corridorFlag"]
    assert scan == {
        "holdsFlag": False,
        "month": "2026-11",
        "provisionalRank": 1,
        "provisionalScore": 80.0,
        "eligible": True,
    }
    # The month has not ended: refused, nothing stored.
    early = (
        await api.data(CLOSE, {"input": {"communityId": town.cid, "month": "2026-11"}}, town.staff.token)
    )["monthClose"]
    assert early["errors"] == [{"code": "MONTH_NOT_ENDED", "field": "month"}] and early["award"] is None
    assert await MonthClose.all().count() == 0

    moved_clock.set(datetime(2026, 11, 30, 16, 30, tzinfo=UTC))  # 00:30 on 1 December in Shanghai
    renew_tokens(town)
    monthly = ranks(await board(api, town, town.staff, month="2026-11"))
    closed = (await api.data(CLOSE, {"input": {"communityId": town.cid}}, town.staff.token))["monthClose"]
    assert closed["errors"] == [] and closed["created"] is True
    award_ = closed["award"]
    assert (award_["month"], award_["holdsMonth"], award_["entranceName"], award_["score"]) == (
        "2026-11",
        "2026-12",
        "2单元",
        80.0,
    )
    assert award_["weights"] == {"inspection": 40, "volunteering": 30, "reports": 30, "minInspections": 2}
    assert [b["score"] for b in award_["breakdown"]] == [80.0, 45.0, None]
    # The top three of November's member board are paid 100, 60, 30 through the engine, once.
    bonuses = await PointTransfer.filter(kind=TransferKind.RANKING).order_by("amount")
    assert sorted((t.amount for t in bonuses), reverse=True) == [100, 60, 30]
    assert monthly[:3] == [(1, "An Ping", 100), (2, "Bo Hai", 50), (3, "Kang", monthly[2][2])]
    again = (
        await api.data(CLOSE, {"input": {"communityId": town.cid, "month": "2026-11"}}, town.staff.token)
    )["monthClose"]
    assert again["created"] is False and again["award"] == award_
    assert [c.created for c in await corridor_flag.close_due()] == [False]
    assert await PointTransfer.filter(kind=TransferKind.RANKING).count() == 3
    assert await MonthClose.all().count() == 1
    # December: E1 holds the flag; its standing starts over.
    scan = (await api.data(SCAN, {"code": codes["e1"]}))["scanTag"]["scan"]["corridorFlag"]
    assert scan["holdsFlag"] is True and scan["month"] == "2026-12" and scan["eligible"] is False
    other = (await api.data(SCAN, {"code": codes["e2"]}))["scanTag"]["scan"]["corridorFlag"]
    assert other["holdsFlag"] is False
    # New weights change the live month, never a closed one.
    weights = {
        "communityId": town.cid,
        "inspection": 0,
        "volunteering": 0,
        "reports": 100,
        "minInspections": 1,
    }
    data = await api.data(WEIGHTS, {"input": weights}, town.staff.token)
    assert data["corridorWeightsSet"]["errors"] == []
    stored = (await api.data(STANDING, {"communityId": town.cid, "month": "2026-11"}, town.a.token))[
        "corridorStanding"
    ]["standing"]
    assert stored["provisional"] is False and [e["score"] for e in stored["entrances"]] == [80.0, 45.0, None]
    history = (await api.data(HISTORY, {"communityId": town.cid, "first": 5}, town.b.token))[
        "corridorFlagHistory"
    ]
    assert history["totalCount"] == 1
    assert history["nodes"][0]["entranceName"] == "2单元"
    assert [b["rank"] for b in history["nodes"][0]["breakdown"]] == [1, 2, None]


async def test_ties_are_broken_by_cleanliness_then_inspections_then_the_lowest_id(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    town = await make_town()
    weights = {
        "communityId": town.cid,
        "inspection": 0,
        "volunteering": 0,
        "reports": 100,
        "minInspections": 2,
    }
    assert (await api.data(WEIGHTS, {"input": weights}, town.staff.token))["corridorWeightsSet"][
        "errors"
    ] == []
    e1, e2 = await entrance_code(town, town.e1), await entrance_code(town, town.e2)
    for code in (e1, e2):
        await inspect(api, town.cleaner, code, 4)
        await inspect(api, town.staff, code, 4)
    live = (await api.data(STANDING, {"communityId": town.cid}, town.a.token))["corridorStanding"]["standing"]
    # Both 100 (no reports), same cleanliness, same count: the lower entrance id (E1) first.
    assert [(e["entranceName"], e["rank"], e["score"]) for e in live["entrances"][:2]] == [
        ("2单元", 1, 100.0),
        ("1单元", 2, 100.0),
    ]
    moved_clock.advance(days=1)
    renew_tokens(town)
    await inspect(api, town.cleaner, e2, 4)
    live = (await api.data(STANDING, {"communityId": town.cid}, town.a.token))["corridorStanding"]["standing"]
    assert [(e["entranceName"], e["rank"]) for e in live["entrances"][:2]] == [("1单元", 1), ("2单元", 2)]
    await inspect(api, town.cleaner, e1, 5)
    live = (await api.data(STANDING, {"communityId": town.cid}, town.a.token))["corridorStanding"]["standing"]
    assert [(e["entranceName"], e["rank"]) for e in live["entrances"][:2]] == [("2单元", 1), ("1单元", 2)]


async def test_inspection_bad_input_changes_nothing(api: GraphQLClient) -> None:
    town = await make_town()
    code = await entrance_code(town, town.e1)
    for score in (0, 6, -1):
        assert (await inspect(api, town.cleaner, code, score))["errors"] == [
            {"code": "INVALID_INPUT", "field": "score"}
        ]
    first = await inspect(api, town.cleaner, code, 5, "clean")
    assert first["inspection"] == {
        "score": 5,
        "notes": "clean",
        "localDay": "2026-11-23",
        "entranceName": "2单元",
    }
    again = await inspect(api, town.cleaner, code, 4)
    assert again == {"inspection": None, "errors": [{"code": "ALREADY_INSPECTED", "field": "code"}]}
    assert (await inspect(api, town.cleaner, "not-a-code", 4))["errors"][0]["code"] == "TAG_CODE_INVALID"
    building_code = await entrance_code(town, town.place.building)  # type: ignore[arg-type]
    assert (await inspect(api, town.cleaner, building_code, 4))["errors"] == [
        {"code": "INVALID_INPUT", "field": "code"}
    ]
    codes = await api.error_codes(INSPECT, {"input": {"code": code, "score": 3}}, town.a.token)
    assert codes == ["FORBIDDEN"]
    assert await Inspection.all().count() == 1
    # The cleaner was paid once, through the engine, and it shows on the board.
    assert await PointTransfer.filter(kind=TransferKind.INSPECTION).count() == 1
    mine = await board(api, town, town.cleaner, month="2026-11")
    assert mine["board"]["me"]["points"] == 5


async def test_weights_and_close_refuse_bad_input(api: GraphQLClient) -> None:
    town = await make_town()
    bad = {"communityId": town.cid, "inspection": 0, "volunteering": 0, "reports": 0}
    data = await api.data(WEIGHTS, {"input": bad}, town.staff.token)
    assert data["corridorWeightsSet"]["errors"] == [{"code": "INVALID_INPUT", "field": "inspection"}]
    data = await api.data(WEIGHTS, {"input": {**bad, "reports": 101}}, town.staff.token)
    assert data["corridorWeightsSet"]["errors"] == [{"code": "INVALID_INPUT", "field": "reports"}]
    assert await api.error_codes(WEIGHTS, {"input": {**bad, "reports": 5}}, town.a.token) == ["FORBIDDEN"]
    for month, code in (
        ("2026-11", "MONTH_NOT_ENDED"),
        ("2027-01", "MONTH_NOT_ENDED"),
        ("11-2026", "INVALID_INPUT"),
    ):
        data = await api.data(CLOSE, {"input": {"communityId": town.cid, "month": month}}, town.staff.token)
        assert data["monthClose"]["errors"] == [{"code": code, "field": "month"}]
    assert await api.error_codes(CLOSE, {"input": {"communityId": town.cid}}, town.a.token) == ["FORBIDDEN"]
    assert await MonthClose.all().count() == 0


async def test_the_flag_at_the_door_costs_the_same_few_statements_however_big_the_community(
    api: GraphQLClient, queries: QueryCounter
) -> None:
    # Given the town, its entrance tag, an inspection and a closed month holding nothing
    town = await make_town()
    code = await entrance_code(town, town.e1)
    assert (await inspect(api, town.cleaner, code, 4))["errors"] == []

    async def scan_cost() -> int:
        queries.statements.clear()
        data = await api.data(SCAN, {"code": code})
        assert data["scanTag"]["scan"]["corridorFlag"]["month"] == "2026-11"
        return queries.count

    small = await scan_cost()

    # When the community grows by twenty households of two members each
    community = town.place.community
    for number in range(20):
        household = await Household.create(community=community, entrance=town.e2, number=f"9{number:02d}")
        for _ in range(2):
            await make_person(community, household=household)
    big = await scan_cost()

    # Then a scan costs the same statements: the tag with its place and open reports (1: the
    # scan hands the place and community it read to the loaders), the flag holder, the weights,
    # and three grouped reads (entrances with inspections, households with volunteering,
    # reports) — 6, not one per entrance or member
    assert small == big == 6, queries.statements
