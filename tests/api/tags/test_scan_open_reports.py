"""Scanning a tag shows what is already being handled right there, so nobody files it twice."""

from __future__ import annotations

import httpx

from api.ids import decode_global_id
from models.enums import ReportCategory, Role
from models.tags import Tag
from services import reports, tags
from services.access import Viewer, load_viewer
from tests.api.tags.conftest import TagWorld
from tests.support.graphql import GraphQLClient
from tests.support.people import gid, make_person

SCAN = """query($code: String!) { scanTag(code: $code) {
  scan { openReportCount openReports { id category state } } errors { code } } }"""
CREATE = """mutation($input: ReportCreateInput!) {
  reportCreate(input: $input) { report { id } errors { code } } }"""
CANCEL = """mutation($input: ReportCancelInput!) { reportCancel(input: $input) { errors { code } } }"""


async def tag_on(world: TagWorld, target: object) -> Tag:
    return await tags.create_tag(await load_viewer(world.staff.user.id), target)  # type: ignore[arg-type]


async def report(api: GraphQLClient, world: TagWorld, place_id: str, category: str = "LIGHTING") -> str:
    data = await api.data(
        CREATE,
        {"input": {"placeId": place_id, "category": category, "text": "楼道灯不亮了", "photos": []}},
        world.resident.token,
    )
    assert data["reportCreate"]["errors"] == []
    report_id: str = data["reportCreate"]["report"]["id"]
    return report_id


async def test_a_member_sees_the_reports_being_handled_at_the_scanned_entrance(
    api: GraphQLClient, world: TagWorld
) -> None:
    # given a report at the tagged entrance and one at the building's other entrance
    tag = await tag_on(world, world.place.entrance)
    here = await report(api, world, gid("Entrance", world.place.entrance.id))
    other_entrance = await world.place.building.entrances.filter(name="1单元").first()
    assert other_entrance is not None
    await report(api, world, gid("Entrance", other_entrance.id))

    # when a neighbour scans the entrance's code
    data = await api.data(SCAN, {"code": tags.code_of(tag)}, world.resident.token)

    # then only the report filed right here is offered, for a "me too"
    scan = data["scanTag"]["scan"]
    assert scan["openReportCount"] == 1
    assert scan["openReports"] == [{"id": here, "category": "LIGHTING", "state": "OPEN"}]


async def test_strangers_learn_how_many_but_not_what(api: GraphQLClient, world: TagWorld) -> None:
    tag = await tag_on(world, world.place.entrance)
    await report(api, world, gid("Entrance", world.place.entrance.id))

    anonymous = await api.data(SCAN, {"code": tags.code_of(tag)})
    outsider = await api.data(SCAN, {"code": tags.code_of(tag)}, world.other_staff.token)

    for data in (anonymous, outsider):
        assert data["scanTag"]["scan"] == {"openReportCount": 1, "openReports": None}


async def test_a_cancelled_report_is_no_longer_offered(api: GraphQLClient, world: TagWorld) -> None:
    tag = await tag_on(world, world.place.entrance)
    report_id = await report(api, world, gid("Entrance", world.place.entrance.id))

    await api.data(CANCEL, {"input": {"reportId": report_id}}, world.resident.token)
    data = await api.data(SCAN, {"code": tags.code_of(tag)}, world.resident.token)

    assert data["scanTag"]["scan"] == {"openReportCount": 0, "openReports": []}


async def test_the_landing_page_lists_what_is_already_reported_without_names_or_texts(
    http: httpx.AsyncClient, api: GraphQLClient, world: TagWorld
) -> None:
    tag = await tag_on(world, world.place.entrance)
    await report(api, world, gid("Entrance", world.place.entrance.id), "PLUMBING")

    page = await http.get(f"/t/{tags.code_of(tag)}")

    assert page.status_code == 200
    assert "这里已报修的问题" in page.text
    assert "漏水、堵塞" in page.text and "等待接单" in page.text
    assert "楼道灯不亮了" not in page.text
    assert world.resident.user.display_name not in page.text


SHOWN = """{ id meTooCount meTooByMe reporterName reportedByMe claimedBy { id displayName } }"""
SCAN_SHOWN = "query($code: String!) { scanTag(code: $code) { scan { openReports " + SHOWN + " } } }"
READ = "query($id: ID!) { report(id: $id) " + SHOWN + " }"


async def test_each_offered_report_shows_what_reading_it_shows(api: GraphQLClient, world: TagWorld) -> None:
    # given two reports at the tagged entrance: a neighbour joined the first, a repairer claimed
    # the second
    tag = await tag_on(world, world.place.entrance)
    joined = await report(api, world, gid("Entrance", world.place.entrance.id), "LIGHTING")
    claimed = await report(api, world, gid("Entrance", world.place.entrance.id), "PLUMBING")
    neighbour = await make_person(world.place.community, name="邻居")
    repairer = await make_person(world.place.community, (Role.REPAIRER,), name="维修工")
    await reports.me_too(await load_viewer(neighbour.user.id), decode_global_id(joined, "Report", "id"))
    await reports.claim(await load_viewer(repairer.user.id), decode_global_id(claimed, "Report", "id"))

    for person in (world.resident, neighbour, world.staff):
        # when each scans the entrance's code
        data = await api.data(SCAN_SHOWN, {"code": tags.code_of(tag)}, person.token)

        # then each report says what it says when read on its own (names masked or not alike)
        offered = data["scanTag"]["scan"]["openReports"]
        alone = [(await api.data(READ, {"id": rid}, person.token))["report"] for rid in (joined, claimed)]
        assert offered == alone
    assert [r["meTooCount"] for r in offered] == [1, 0]
    assert offered[1]["claimedBy"]["displayName"] == "维修工"


async def test_each_tag_offers_what_is_handled_right_where_it_hangs(world: TagWorld) -> None:
    # given a report at the compound itself, at the building itself, at the entrance, and on the
    # entrance's lamp
    resident = await load_viewer(world.resident.user.id)
    place = world.place
    filed = {
        name: (
            await reports.file_report(resident, at, kind, "坏了", asset_id=asset, rate_limited=False)
        ).report.id
        for name, at, kind, asset in (
            ("compound", place.compound, ReportCategory.SANITATION, None),
            ("building", place.building, ReportCategory.LIGHTING, None),
            ("entrance", place.entrance, ReportCategory.PLUMBING, None),
            ("lamp", place.entrance, ReportCategory.ELECTRICAL, world.lamp.id),
        )
    }
    staff = await load_viewer(world.staff.user.id)
    offered = {}
    for name, target in (
        ("compound", place.compound),
        ("building", place.building),
        ("entrance", place.entrance),
        ("lamp", world.lamp),
    ):
        # when a passer-by scans the tag on each
        tag = await tags.create_tag(staff, target)
        scan = await tags.scan(Viewer(), tags.code_of(tag))
        offered[name] = [row.id for row in scan.open_reports]

    # then a place's tag offers what was filed at the place itself, not below it; an entrance's
    # also what was filed on its assets
    assert offered == {
        "compound": [filed["compound"]],
        "building": [filed["building"]],
        "entrance": [filed["entrance"], filed["lamp"]],
        "lamp": [filed["lamp"]],
    }
