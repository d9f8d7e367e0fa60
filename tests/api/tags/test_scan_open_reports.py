"""Scanning a tag shows what is already being handled right there, so nobody files it twice."""

from __future__ import annotations

import httpx

from models.tags import Tag
from services import tags
from services.access import load_viewer
from tests.api.tags.conftest import TagWorld
from tests.support.graphql import GraphQLClient
from tests.support.people import gid

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
    assert "漏水、堵塞" in page.text and "等待维修队接单" in page.text
    assert "楼道灯不亮了" not in page.text
    assert world.resident.user.display_name not in page.text
