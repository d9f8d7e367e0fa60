"""A report names its place in full, in the API and in every notification; people who said
"me too" hear of the fix as the reporter does."""

from __future__ import annotations

from typing import Any

from tests.support.people import Person
from tests.support.reports import CLAIM, CONFIRM, ME_TOO, ReportsApi, make_cast

INBOX = "query { myInbox(first: 20) { nodes { event text } } }"
PLACE = "query Read($id: ID!) { report(id: $id) { place { name label } } }"


async def _inbox(reports_api: ReportsApi, person: Person) -> list[dict[str, Any]]:
    data = await reports_api.api.data(INBOX, token=person.token)
    nodes: list[dict[str, Any]] = data["myInbox"]["nodes"]
    return nodes


async def test_the_report_and_its_notifications_name_the_place_in_full(reports_api: ReportsApi) -> None:
    cast = await make_cast()
    report_id = (await reports_api.create(cast))["report"]["id"]

    read = await reports_api.api.data(PLACE, {"id": report_id}, cast.repairer.token)
    assert read["report"]["place"] == {"name": "2单元", "label": "休闲小区 4号楼 2单元"}
    [opened] = await _inbox(reports_api, cast.repairer)
    assert opened["text"].startswith("【休闲小区 4号楼 2单元】")


async def test_me_too_people_hear_of_the_claim_the_fix_and_the_confirmation(reports_api: ReportsApi) -> None:
    cast = await make_cast()
    report_id = (await reports_api.create(cast))["report"]["id"]
    assert (await reports_api.move(ME_TOO, cast.neighbour, reportId=report_id))["errors"] == []

    await reports_api.move(CLAIM, cast.repairer, reportId=report_id)
    await reports_api.resolve(report_id, cast.repairer)
    await reports_api.move(CONFIRM, cast.resident, reportId=report_id, rating=5)

    events = [n["event"] for n in await _inbox(reports_api, cast.neighbour)]
    assert events == ["report.confirmed", "report.resolved", "report.claimed"]
    assert all(
        n["text"].startswith("【休闲小区 4号楼 2单元】") for n in await _inbox(reports_api, cast.neighbour)
    )
    # The reporter is not told twice, nor of their own confirmation.
    assert [n["event"] for n in await _inbox(reports_api, cast.resident)] == [
        "report.resolved",
        "report.claimed",
    ]
    # Someone who did not say "me too" hears nothing.
    assert await _inbox(reports_api, cast.staff) == []
