"""The office console's pages through the ASGI app: every page renders for staff, residents are
refused, forms show the typed error next to their field, and the actions do their work once."""

from __future__ import annotations

import re

import httpx

from models.places import Community
from services.demo_seed import DEMO_PASSWORD, seed_demo
from tests.api.web.support import post_form, sign_in

PAGES = (
    "/office/",
    "/office/reports",
    "/office/reports?queue=OVERDUE",
    "/office/reports/new",
    "/office/pickups",
    "/office/opinions",
    "/office/accounts",
    "/office/month",
    "/office/places",
    "/office/teams",
    "/office/rewards",
)


async def _staff(http: httpx.AsyncClient) -> dict[str, str]:
    logins = {login.role: login.phone for login in (await seed_demo()).logins}
    signed = await sign_in(http, logins["staff"], DEMO_PASSWORD)
    assert signed.status_code == 303
    return logins


async def test_every_office_page_renders_for_staff(http: httpx.AsyncClient) -> None:
    await _staff(http)
    for path in PAGES:
        page = await http.get(path)
        assert page.status_code == 200, (path, page.text[:2000])
        assert "社区办公室" in page.text
        # Nothing from another host: every src and href is a path of this site.
        assert not re.search(r'(?:src|href)="(?:https?:)?//', page.text), path


async def test_residents_and_strangers_do_not_get_the_console(http: httpx.AsyncClient) -> None:
    assert (await http.get("/office/")).headers["location"] == "/login?next=/office/"
    logins = {login.role: login.phone for login in (await seed_demo()).logins}
    await sign_in(http, logins["resident"], DEMO_PASSWORD)
    refused = await http.get("/office/")
    assert refused.status_code == 403 and "只有社区办公室的工作人员" in refused.text


async def test_a_team_form_shows_the_typed_error_next_to_its_field(http: httpx.AsyncClient) -> None:
    await _staff(http)
    created = await post_form(http, "/office/teams", {"name": "银发巡河队", "kind": "RIVER_PATROL"})
    assert created.status_code == 303
    again = await post_form(http, "/office/teams", {"name": "银发巡河队", "kind": "RIVER_PATROL"})
    assert again.status_code == 400
    assert 'id="name-error">这个名称已经有了' in again.text
    assert (await Community.get(slug="hongxing")) is not None
