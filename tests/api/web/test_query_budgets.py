"""The web pages read what their one document reads: statements per page do not grow with the
number of rows shown (no N+1), within a small budget."""

from __future__ import annotations

import httpx

from models.enums import ReportCategory, Role
from services import reports, tags
from services.access import load_viewer
from tests.api.web.support import sign_in
from tests.conftest import QueryCounter
from tests.support.people import PASSWORD, make_neighbourhood, make_person

CATEGORIES = list(ReportCategory)


async def _statements(http: httpx.AsyncClient, queries: QueryCounter, path: str) -> int:
    await http.get(path)  # warm: the document is parsed and validated once per process
    before = queries.count
    response = await http.get(path)
    assert response.status_code == 200
    return queries.count - before


async def test_a_tag_page_and_my_reports_cost_the_same_for_two_reports_or_eight(
    http: httpx.AsyncClient, queries: QueryCounter
) -> None:
    place = await make_neighbourhood()
    staff = await make_person(place.community, (Role.STAFF,))
    tag = await tags.create_tag(await load_viewer(staff.user.id), place.entrance)
    resident = await make_person(place.community, household=place.households[0])
    viewer = await load_viewer(resident.user.id)
    await sign_in(http, resident.phone, PASSWORD)
    counts = []
    for category in CATEGORIES[:8]:
        await reports.file_report(viewer, place.entrance, category, "坏了", rate_limited=False)
        if category in (CATEGORIES[1], CATEGORIES[7]):
            counts.append(
                (
                    await _statements(http, queries, f"/t/{tags.code_of(tag)}"),
                    await _statements(http, queries, "/me/reports"),
                )
            )
    assert counts[0] == counts[1], counts
    tag_page, my_reports = counts[0]
    # Measured: 2 and 5 (the viewer, the scan; the viewer, the reports, their places, photos, count).
    assert tag_page <= 4 and my_reports <= 7, counts
