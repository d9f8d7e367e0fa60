"""The seed's chain (issue 21, "Done when"), with the movable clock, on SQLite and PostgreSQL:
a courier snaps a broken manhole cover on a street outside any compound → the street's liaison
claims within 30 min → dispatches to 住建 → it feeds back within 48 h → the courier confirms;
another snap nobody claims goes to the coordinator, who assigns 城管; the month's outpost
ranking and the district roll-up show both."""

from __future__ import annotations

from typing import Any

from models.district import Dispatch, DispatchState
from runtime.clock import MovableClock
from services.reports.clocks import run_clock_tick
from tests.support.district import (
    ASSIGN,
    CONFIRM,
    DEPARTMENT_CLAIM,
    EAST_STREET,
    FEEDBACK,
    QUEUE,
    RANKING,
    ROLLUP,
    ROLLUP_CSV,
    STREET_CLAIM,
    DistrictApi,
    Town,
)
from tests.support.graphql import GraphQLClient
from tests.support.people import gid
from tests.support.photos import jpeg_with_gps


def _states(row: dict[str, Any], key: str) -> dict[str, int]:
    return {c["state"]: c["count"] for c in row[key]}


async def test_the_seed_chain_from_a_courier_to_the_ranking_and_the_rollup(
    district_api: DistrictApi, api: GraphQLClient, town: Town, moved_clock: MovableClock
) -> None:
    # Given a courier on 红军路 outside every compound, when they snap the broken manhole cover
    snapped = await district_api.snap(town, address="红军路与五马路交口")
    assert snapped["errors"] == [] and snapped["reportId"] is None
    first = snapped["dispatch"]
    assert (first["state"], first["source"], first["streetName"]) == ("REFERRED", "OUTPOST", "红军路街道")
    assert first["mine"] is True

    # then the liaison of that street sees it waiting, and claims it within 30 minutes
    waiting = await api.data(QUEUE, {"queue": "STREET"}, town.liaison.token)
    assert [e["node"]["id"] for e in waiting["dispatchQueue"]["edges"]] == [first["id"]]
    assert (await api.data(QUEUE, {"queue": "STREET"}, town.east_liaison.token))["dispatchQueue"][
        "edges"
    ] == []
    moved_clock.advance(minutes=20)
    claimed = await district_api.move(STREET_CLAIM, town.liaison, dispatchId=first["id"])
    assert claimed["errors"] == [] and claimed["dispatch"]["state"] == "STREET_CLAIMED"

    # and dispatches it to 住建, which claims and feeds back with proof within 48 hours
    sent = await district_api.move(
        ASSIGN, town.liaison, dispatchId=first["id"], departmentId=gid("Department", town.zhujian.id)
    )
    assert sent["errors"] == [] and sent["dispatch"]["departmentName"] == "住建"
    moved_clock.advance(minutes=10)
    work = await district_api.move(DEPARTMENT_CLAIM, town.builder, dispatchId=first["id"])
    assert work["dispatch"]["state"] == "IN_PROGRESS"
    moved_clock.advance(hours=30)
    fed = await district_api.move(
        FEEDBACK, town.builder, photos=[jpeg_with_gps()], dispatchId=first["id"], note="已更换新井盖"
    )
    assert fed["errors"] == [] and fed["dispatch"]["state"] == "FED_BACK"
    assert fed["dispatch"]["feedbackNote"] == "已更换新井盖"

    # and the courier confirms
    done = await district_api.move(CONFIRM, town.courier, dispatchId=first["id"], rating=5)
    assert done["errors"] == [] and done["dispatch"]["state"] == "CONFIRMED"
    assert [step["kind"] for step in done["dispatch"]["timeline"]] == [
        "OPENED",
        "STREET_CLAIMED",
        "DISPATCHED",
        "DEPARTMENT_CLAIMED",
        "FED_BACK",
        "CONFIRMED",
    ]

    # Another snap, on 新南街道, that nobody claims in 30 minutes goes to the coordinator
    second = (await district_api.snap(town, point=EAST_STREET, category="SANITATION", text="垃圾堆放"))[
        "dispatch"
    ]
    assert second["streetName"] == "新南街道"
    moved_clock.advance(minutes=29)
    assert (await run_clock_tick()).steps == {}
    moved_clock.advance(minutes=2)
    assert (await run_clock_tick()).steps == {"dispatch_street_claim": 1}
    assert (await run_clock_tick()).steps == {}  # the job is idempotent
    queued = await api.data(QUEUE, {"queue": "COORDINATION"}, town.coordinator.token)
    assert [e["node"]["id"] for e in queued["dispatchQueue"]["edges"]] == [second["id"]]
    late = await district_api.move(STREET_CLAIM, town.east_liaison, dispatchId=second["id"])
    assert [e["code"] for e in late["errors"]] == ["INVALID_TRANSITION"]
    assigned = await district_api.move(
        ASSIGN, town.coordinator, dispatchId=second["id"], departmentId=gid("Department", town.chengguan.id)
    )
    assert assigned["errors"] == [] and assigned["dispatch"]["departmentName"] == "城管"
    assert [s["kind"] for s in assigned["dispatch"]["timeline"]] == ["OPENED", "ESCALATED", "DISPATCHED"]

    # The month's ranking: the courier, paid once for the snap the street took up
    ranking = await api.data(RANKING, {"d": town.district_id, "m": "2026-11"}, town.courier.token)
    assert ranking["outpostRanking"] == [
        {"rank": 1, "name": "快递小哥刘", "title": "快递员", "points": 5, "snaps": 2}
    ]

    # The roll-up: both dispatches by state, on-time rates per level
    rollup = (await api.data(ROLLUP, {"d": town.district_id, "m": "2026-11"}, town.coordinator.token))[
        "districtRollup"
    ]
    whole, west, east = rollup
    assert (whole["name"], west["name"], east["name"]) == ("工农区", "红军路街道", "新南街道")
    assert _states(whole, "dispatchesByState") == {"confirmed": 1, "dispatched": 1}
    assert whole["streetClaim"] == {"onTime": 1, "total": 1, "percent": 100.0}
    assert whole["departmentClaim"] == {"onTime": 1, "total": 1, "percent": 100.0}
    assert whole["departmentFix"] == {"onTime": 1, "total": 1, "percent": 100.0}
    assert whole["satisfaction"] == 5.0
    assert _states(east, "dispatchesByState") == {"dispatched": 1}
    assert east["streetClaim"]["total"] == 0
    csv = (await api.data(ROLLUP_CSV, {"d": town.district_id, "m": "2026-11"}, town.coordinator.token))[
        "districtRollupCsv"
    ]
    lines = csv.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("范围,") and [line.split(",")[0] for line in lines[1:]] == [
        "工农区",
        "红军路街道",
        "新南街道",
    ]

    # A liaison sees their own street only; an outpost reporter no roll-up at all
    own = (await api.data(ROLLUP, {"d": town.district_id, "m": "2026-11"}, town.liaison.token))[
        "districtRollup"
    ]
    assert [r["name"] for r in own] == ["工农区", "红军路街道"]
    refused = await api.post(ROLLUP, {"d": town.district_id, "m": "2026-11"}, town.courier.token)
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["OUT_OF_JURISDICTION"]
    assert await Dispatch.filter(state=DispatchState.CONFIRMED).count() == 1


async def test_a_department_that_misses_its_claim_or_fix_clock_reaches_the_coordinator(
    district_api: DistrictApi, api: GraphQLClient, town: Town, moved_clock: MovableClock
) -> None:
    first = (await district_api.snap(town))["dispatch"]
    await district_api.move(STREET_CLAIM, town.liaison, dispatchId=first["id"])
    department = gid("Department", town.zhujian.id)
    await district_api.move(ASSIGN, town.liaison, dispatchId=first["id"], departmentId=department)
    moved_clock.advance(minutes=31)
    assert (await run_clock_tick()).steps == {"dispatch_department_claim": 1}
    read = await district_api.read(first["id"], town.coordinator)
    assert read is not None and read["state"] == "COORDINATION"
    await district_api.move(ASSIGN, town.coordinator, dispatchId=first["id"], departmentId=department)
    await district_api.move(DEPARTMENT_CLAIM, town.builder, dispatchId=first["id"])
    moved_clock.advance(hours=48, minutes=1)
    assert (await run_clock_tick()).steps == {"dispatch_fix": 1}
    assert (await run_clock_tick()).steps == {}
    read = await district_api.read(first["id"], town.courier)
    assert read is not None and read["state"] == "IN_PROGRESS"
    assert read["timeline"][-1]["kind"] == "ESCALATED"
    # A late feedback is still taken, and counted late in the roll-up
    await district_api.move(
        FEEDBACK, town.builder, photos=[jpeg_with_gps()], dispatchId=first["id"], note="已修复"
    )
    rollup = (await api.data(ROLLUP, {"d": town.district_id, "m": "2026-11"}, town.coordinator.token))[
        "districtRollup"
    ]
    assert rollup[0]["departmentFix"] == {"onTime": 0, "total": 1, "percent": 0.0}
    assert rollup[0]["departmentClaim"] == {"onTime": 1, "total": 1, "percent": 100.0}
    # Nobody confirms within 7 days: it confirms itself
    moved_clock.advance(days=7)
    assert (await run_clock_tick()).steps == {"dispatch_auto_confirm": 1}
    read = await district_api.read(first["id"], town.courier)
    assert read is not None and read["state"] == "CONFIRMED"
