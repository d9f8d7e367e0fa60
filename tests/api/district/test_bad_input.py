"""Bad input of issue 21, each a typed error with nothing written."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from models.district import Dispatch, DispatchEvent, DispatchPhoto, DistrictRole, OutpostSnap
from models.ledger import PointTransfer
from models.reports import Report, ReportEvent
from tests.support.district import (
    ASSIGN,
    CONFIRM,
    DEPARTMENT_CLAIM,
    EAST_STREET,
    FEEDBACK,
    OUTSIDE,
    SEND_BACK,
    STREET_CLAIM,
    DistrictApi,
    Town,
)
from tests.support.graphql import GraphQLClient
from tests.support.people import gid

MODELS = (Dispatch, DispatchEvent, DispatchPhoto, OutpostSnap, Report, ReportEvent, PointTransfer)


async def _counts() -> list[int]:
    return [await m.all().count() for m in MODELS]


async def _refused(
    work: Callable[[], Awaitable[dict[str, Any]]], code: str, field: str | None = None
) -> None:
    before = await _counts()
    result = await work()
    assert [e["code"] for e in result["errors"]] == [code], result["errors"]
    if field is not None:
        assert result["errors"][0]["field"] == field
    assert await _counts() == before, "nothing is written"


async def test_each_bad_input_is_a_typed_error_that_writes_nothing(
    district_api: DistrictApi, api: GraphQLClient, town: Town
) -> None:
    # an outpost reporter's location outside their district
    await _refused(lambda: district_api.snap(town, point=OUTSIDE), "OUTSIDE_DISTRICT", "latitude")
    # half a location, a latitude out of range, no location at all, no photo without a tag
    await _refused(lambda: district_api.snap(town, point=None, latitude=47.3), "INVALID_INPUT", "longitude")
    await _refused(lambda: district_api.snap(town, point=(91.0, 130.2)), "INVALID_INPUT", "latitude")
    await _refused(lambda: district_api.snap(town, point=None), "INVALID_INPUT", "latitude")
    await _refused(lambda: district_api.snap(town, photos=[]), "INVALID_INPUT", "photos")
    await _refused(
        lambda: district_api.snap(town, point=None, address="不知道哪里"), "LOCATION_UNKNOWN", "address"
    )
    await _refused(lambda: district_api.snap(town, text=" "), "INVALID_INPUT", "text")
    # someone who is not an outpost reporter
    await _refused(lambda: district_api.snap(town, person=town.liaison), "OUT_OF_JURISDICTION", "districtId")
    await _refused(lambda: district_api.snap(town, person=town.resident), "NOT_FOUND", "districtId")

    west = (await district_api.snap(town))["dispatch"]
    east = (await district_api.snap(town, point=EAST_STREET))["dispatch"]
    # a liaison claiming or dispatching a report of another street
    await _refused(
        lambda: district_api.move(STREET_CLAIM, town.east_liaison, dispatchId=west["id"]),
        "OUT_OF_JURISDICTION",
    )
    await district_api.move(STREET_CLAIM, town.liaison, dispatchId=west["id"])
    await district_api.move(STREET_CLAIM, town.east_liaison, dispatchId=east["id"])
    department = gid("Department", town.zhujian.id)
    await _refused(
        lambda: district_api.move(ASSIGN, town.liaison, dispatchId=east["id"], departmentId=department),
        "OUT_OF_JURISDICTION",
    )
    # a department of another district
    held = await DistrictRole.get(user_id=town.stranger.user.id)
    stranger_department = gid("Department", held.department_id or 0)
    await _refused(
        lambda: district_api.move(
            ASSIGN, town.liaison, dispatchId=west["id"], departmentId=stranger_department
        ),
        "NOT_FOUND",
        "departmentId",
    )
    # a street dispatch cannot go back to a community it never came from
    await _refused(
        lambda: district_api.move(SEND_BACK, town.liaison, dispatchId=west["id"], reason="不归我们"),
        "INVALID_TRANSITION",
    )
    await district_api.move(ASSIGN, town.liaison, dispatchId=west["id"], departmentId=department)
    # a department member of another district acting on this district's dispatch
    await _refused(
        lambda: district_api.move(DEPARTMENT_CLAIM, town.stranger, dispatchId=west["id"]),
        "NOT_FOUND",
        "dispatchId",
    )
    await district_api.move(DEPARTMENT_CLAIM, town.builder, dispatchId=west["id"])
    # feedback without proof, or without words
    await _refused(
        lambda: district_api.move(FEEDBACK, town.builder, dispatchId=west["id"], note="修好了"),
        "INVALID_INPUT",
        "photos",
    )
    # confirming before the feedback, or by someone else, or with a bad rating
    await _refused(
        lambda: district_api.move(CONFIRM, town.courier, dispatchId=west["id"], rating=5),
        "INVALID_TRANSITION",
    )
    await _refused(
        lambda: district_api.move(CONFIRM, town.builder, dispatchId=west["id"], rating=5), "NOT_REPORTER"
    )
    # a malformed id ("nope"): badly formed, whatever rows exist (api.ids)
    await _refused(
        lambda: district_api.move(STREET_CLAIM, town.liaison, dispatchId="bm9wZQ=="),
        "INVALID_INPUT",
        "dispatchId",
    )


async def test_a_snap_replayed_with_its_key_returns_the_first(district_api: DistrictApi, town: Town) -> None:
    first = await district_api.snap(town, idempotencyKey="snap-1")
    again = await district_api.snap(town, idempotencyKey="snap-1")
    assert again["dispatch"]["id"] == first["dispatch"]["id"]
    assert await OutpostSnap.all().count() == 1 and await Dispatch.all().count() == 1


async def test_a_snap_inside_a_compound_becomes_that_communitys_report(
    district_api: DistrictApi, api: GraphQLClient, town: Town
) -> None:
    from tests.support.district import IN_THE_COMPOUND
    from tests.support.reports import CLAIM

    snapped = await district_api.snap(town, point=IN_THE_COMPOUND, category="LIGHTING", text="路灯不亮")
    assert snapped["errors"] == [] and snapped["dispatch"] is None
    report = await Report.get(
        id=int(__import__("base64").b64decode(snapped["reportId"]).decode().split(":")[1])
    )
    assert (report.community_id, report.compound_id) == (town.place.community.id, town.place.compound.id)
    # the community's repairer takes it up: the courier is paid on the district's ledger, once
    await api.data(CLAIM, {"input": {"reportId": snapped["reportId"]}}, town.repairer.token)
    paid = await PointTransfer.filter(source_key__startswith="outpost:").values_list("community_id", "amount")
    assert paid == [(town.district.ledger_community_id, 5)]
