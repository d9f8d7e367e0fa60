"""A community's report beyond the community: referred by its staff (or by its missed clock),
sent back by the street with a reason, or dispatched and fed back, the report's own timeline
showing every step, and its reporter confirming on the report itself."""

from __future__ import annotations

from typing import Any

from models.district import Dispatch, DispatchSource, DispatchState
from models.reports import Notification
from runtime.clock import MovableClock
from services.reports.clocks import run_clock_tick
from tests.support.district import (
    ASSIGN,
    DEPARTMENT_CLAIM,
    FEEDBACK,
    REFER,
    SEND_BACK,
    STREET_CLAIM,
    DistrictApi,
    Town,
)
from tests.support.graphql import GraphQLClient
from tests.support.people import Person, gid
from tests.support.photos import jpeg_with_gps
from tests.support.reports import CONFIRM as REPORT_CONFIRM
from tests.support.reports import READ as REPORT_READ

CREATE = """
mutation C($input: ReportCreateInput!) {
  reportCreate(input: $input) { report { id state } errors { code } }
}"""


async def _report(api: GraphQLClient, town: Town, person: Person, category: str = "PLUMBING") -> str:
    data = await api.data(
        CREATE,
        {
            "input": {
                "placeId": gid("Entrance", town.place.entrance.id),
                "category": category,
                "text": "主管道漏水",
            }
        },
        person.token,
    )
    report_id: str = data["reportCreate"]["report"]["id"]
    return report_id


async def _timeline(api: GraphQLClient, report_id: str, person: Person) -> list[dict[str, Any]]:
    data = await api.data(REPORT_READ, {"id": report_id}, person.token)
    nodes: list[dict[str, Any]] = data["report"]["timeline"]["nodes"]
    return nodes


async def test_staff_refer_the_street_sends_it_back_with_a_reason_on_the_reports_timeline(
    district_api: DistrictApi, api: GraphQLClient, town: Town
) -> None:
    report_id = await _report(api, town, town.resident)
    referred = await district_api.move(
        REFER, town.staff, reportId=report_id, note="主管道属市政，社区无法处理"
    )
    assert referred["errors"] == []
    dispatch = referred["dispatch"]
    assert (dispatch["state"], dispatch["source"], dispatch["reportId"]) == (
        "REFERRED",
        "COMMUNITY",
        report_id,
    )
    # referring twice is a typed error, and writes nothing
    again = await district_api.move(REFER, town.staff, reportId=report_id, note="再转一次")
    assert [e["code"] for e in again["errors"]] == ["ALREADY_REFERRED"]
    assert await Dispatch.all().count() == 1
    await district_api.move(STREET_CLAIM, town.liaison, dispatchId=dispatch["id"])
    back = await district_api.move(
        SEND_BACK, town.liaison, dispatchId=dispatch["id"], reason="属小区内部管线"
    )
    assert back["dispatch"]["state"] == "SENT_BACK" and back["dispatch"]["sendBackReason"] == "属小区内部管线"
    # the resident sees each step on their report, and heard of it
    notes = [n["note"] for n in await _timeline(api, report_id, town.resident)]
    assert any("已转交红军路街道" in n for n in notes)
    assert any("街道退回社区处理：属小区内部管线" in n for n in notes)
    assert await Notification.filter(user_id=town.resident.user.id, event="dispatch.sent_back").count() == 1
    # the community's members read the dispatch; the liaison reads the dispatch but not the report
    assert await district_api.read(dispatch["id"], town.repairer) is not None
    assert (await api.data(REPORT_READ, {"id": report_id}, town.liaison.token))["report"] is None


async def test_a_referred_report_fed_back_by_the_department_is_confirmed_by_its_reporter(
    district_api: DistrictApi, api: GraphQLClient, town: Town
) -> None:
    report_id = await _report(api, town, town.resident)
    dispatch = (await district_api.move(REFER, town.staff, reportId=report_id, note="需要供水部门"))[
        "dispatch"
    ]
    await district_api.move(STREET_CLAIM, town.liaison, dispatchId=dispatch["id"])
    await district_api.move(
        ASSIGN, town.liaison, dispatchId=dispatch["id"], departmentId=gid("Department", town.gongshui.id)
    )
    # 住建 is not the department it went to
    wrong = await district_api.move(DEPARTMENT_CLAIM, town.builder, dispatchId=dispatch["id"])
    assert [e["code"] for e in wrong["errors"]] == ["OUT_OF_JURISDICTION"]
    water = await _water_member(town)
    await district_api.move(DEPARTMENT_CLAIM, water, dispatchId=dispatch["id"])
    fed = await district_api.move(
        FEEDBACK, water, photos=[jpeg_with_gps()], dispatchId=dispatch["id"], note="更换阀门"
    )
    assert fed["dispatch"]["state"] == "FED_BACK"
    read = (await api.data(REPORT_READ, {"id": report_id}, town.resident.token))["report"]
    assert read["state"] == "RESOLVED" and "更换阀门" in read["resolutionNote"]
    confirmed = await api.data(
        REPORT_CONFIRM, {"input": {"reportId": report_id, "rating": 4}}, town.resident.token
    )
    assert confirmed["reportConfirm"]["errors"] == []
    after = await district_api.read(dispatch["id"], town.resident)
    assert after is not None and (after["state"], after["rating"]) == ("CONFIRMED", 4)


async def _water_member(town: Town) -> Person:
    from models.district import DistrictRoleKind
    from services.district import hierarchy
    from tests.support.people import make_person

    person = await make_person(name="供水冯")
    await hierarchy.grant(
        person.user.id, town.district, DistrictRoleKind.DEPARTMENT_MEMBER, department_row=town.gongshui
    )
    return person


async def test_a_report_that_misses_its_resolution_clock_is_referred_by_the_clock_once(
    api: GraphQLClient, town: Town, moved_clock: MovableClock
) -> None:
    report_id = await _report(api, town, town.resident)
    moved_clock.advance(hours=48, minutes=1)
    await run_clock_tick()
    await run_clock_tick()
    dispatches = await Dispatch.all()
    assert [(d.source, d.state) for d in dispatches] == [(DispatchSource.CLOCK, DispatchState.REFERRED)]
    assert dispatches[0].report_id is not None and gid("Report", dispatches[0].report_id) == report_id
