"""Reading reports: who sees what, and a page of reports costs the same queries as one."""

from __future__ import annotations

from models.enums import ReportCategory
from tests.conftest import QueryCounter
from tests.support.photos import png
from tests.support.reports import CLAIM, ME_TOO, REPORT_FIELDS, Cast, ReportsApi, make_cast

MINE = "query { myReports(first: 20) { totalCount nodes { FIELDS } } }".replace("FIELDS", REPORT_FIELDS)
CATEGORIES = [c.name for c in ReportCategory]


async def file_worked_reports(reports_api: ReportsApi, cast: Cast, count: int, offset: int) -> None:
    for i in range(offset, offset + count):
        report = (await reports_api.create(cast, category=CATEGORIES[i], photos=[png()]))["report"]
        await reports_api.move(ME_TOO, cast.neighbour, reportId=report["id"])
        await reports_api.move(CLAIM, cast.repairer if i % 2 else cast.repairer2, reportId=report["id"])
        await reports_api.resolve(report["id"], cast.repairer if i % 2 else cast.repairer2)


async def test_a_page_of_reports_costs_a_fixed_number_of_queries(
    reports_api: ReportsApi, queries: QueryCounter
) -> None:
    cast = await make_cast()
    await file_worked_reports(reports_api, cast, 2, 0)
    queries.statements.clear()
    small = await reports_api.api.data(MINE, token=cast.resident.token)
    small_count = queries.count

    await file_worked_reports(reports_api, cast, 6, 2)
    queries.statements.clear()
    large = await reports_api.api.data(MINE, token=cast.resident.token)
    assert len(small["myReports"]["nodes"]) == 2
    assert len(large["myReports"]["nodes"]) == 8
    assert queries.count == small_count, "\n".join(queries.statements)
    assert small_count <= 13  # 3 of them load the viewer
    first = large["myReports"]["nodes"][0]
    assert (first["meTooCount"], len(first["photos"]), first["timeline"]["totalCount"]) == (1, 2, 3)


async def test_neighbours_see_initials_and_staff_see_names(reports_api: ReportsApi) -> None:
    cast = await make_cast()
    report_id = (await reports_api.create(cast))["report"]["id"]
    as_neighbour = await reports_api.read(report_id, cast.neighbour)
    as_staff = await reports_api.read(report_id, cast.staff)
    as_self = await reports_api.read(report_id, cast.resident)
    assert as_neighbour and as_staff and as_self
    assert (as_neighbour["reporterName"], as_staff["reporterName"], as_self["reporterName"]) == (
        "王**",
        "王阿姨",
        "王阿姨",
    )
    assert as_neighbour["timeline"]["nodes"][0]["actorName"] == "王**"


async def test_queues_are_for_the_repair_team_and_staff(reports_api: ReportsApi) -> None:
    cast = await make_cast()
    await reports_api.create(cast)
    query = "query($c: ID!, $q: ReportQueue!) { reportQueue(communityId: $c, queue: $q) { totalCount } }"
    for person, queue, code in (
        (cast.neighbour, "UNCLAIMED", "FORBIDDEN"),
        (cast.repairer, "OVERDUE", "FORBIDDEN"),
        (cast.repairer, "UNCLAIMED", None),
        (cast.staff, "ESCALATED", None),
    ):
        body = await reports_api.api.post(query, {"c": cast.community_id, "q": queue}, person.token)
        codes = [e["extensions"]["code"] for e in body.get("errors", [])]
        assert codes == ([code] if code else []), (person.user.display_name, queue)
    body = await reports_api.api.post(query, {"c": cast.community_id, "q": "UNCLAIMED"}, cast.outsider.token)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]
