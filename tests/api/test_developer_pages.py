"""The developer's start page and the GraphQL explorer: served whole from this server (nothing
from a CDN), GraphiQL running a query in Chromium that may reach nothing but this server; in
production, `/` is a plain status page and the explorer does not exist."""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import pytest

from api.app import create_app
from api.developer_pages import GRAPHIQL_FILES, graphiql_dir
from models.district import City, District
from models.enums import TagTargetKind
from models.places import Community
from models.tags import Tag
from runtime import clock
from runtime.settings import Settings
from services.demo import people, register
from services.demo.district import DISTRICT, DISTRICT_LOGINS
from services.demo.logins import DISTRICT_LOGIN_LABELS
from services.demo.run import DEFAULT_SEED
from services.tags import active_key, code_of
from tests.support.people import make_neighbourhood
from tests.support.server import running_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SHOTS = Path(tempfile.gettempdir()) / "redsteward-explorer"


async def test_the_start_page_links_the_explorer_the_boards_and_the_contract(http: httpx.AsyncClient) -> None:
    await Community.create(name="滨河社区", slug="binhe")
    page = await http.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    for link in ('href="/explorer/"', 'href="/board/binhe"', 'href="/contract/README.md"'):
        assert link in page.text
    assert "滨河社区 公告栏" in page.text
    # Without the demo there are no logins to show, and the page says how to make them.
    assert "redsteward seed-demo" in page.text
    readme = await http.get("/contract/README.md")
    assert readme.status_code == 200 and readme.text.startswith("#")


async def test_a_districts_points_space_is_no_community_on_the_start_page(http: httpx.AsyncClient) -> None:
    await Community.create(name="滨河社区", slug="binhe")
    ledger = await Community.create(name="示范区前哨积分", slug="district-demo")
    await District.create(city=await City.create(name="示范市"), name="示范区", ledger_community=ledger)
    page = await http.get("/")
    assert 'href="/board/binhe"' in page.text
    # Its notice board would be a page of blocks that all say the community has not opened them.
    assert "district-demo" not in page.text and "示范区前哨积分" not in page.text


async def test_once_the_demo_is_there_the_start_page_lists_its_logins(http: httpx.AsyncClient) -> None:
    await Community.create(name="红星社区", slug=register.HONGXING)
    page = await http.get("/")
    seeded = (*people.hongxing_people(DEFAULT_SEED), *people.binhe_people(DEFAULT_SEED))
    phones = [p.phone for p in seeded if p.login_label]
    assert phones and all(f"<code>{phone}</code>" in page.text for phone in phones)
    # The one password said once, so the table of role and phone fits a phone's screen (390 px).
    assert page.text.count(people.DEMO_PASSWORD) == 1
    assert f'<code data-testid="demo-password">{people.DEMO_PASSWORD}</code>' in page.text
    assert "<th>密码</th>" not in page.text
    assert "先试试 ReportQueue" in page.text


async def test_the_explorer_and_every_file_it_loads_come_from_this_server(http: httpx.AsyncClient) -> None:
    for path in ("/explorer/", "/graphql"):
        page = await http.get(path, headers={"accept": "text/html"})
        assert page.status_code == 200, path
        assert "default-src 'none'; script-src 'self'" in page.headers["content-security-policy"]
        sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert sources and all(s.startswith("/explorer/static/") for s in sources), sources
        for source in sources:
            served = await http.get(source)
            assert served.status_code == 200, source
            assert len(served.content) > 500, source
    # The build is read from the installed package, not kept in the repository.
    assert all((graphiql_dir() / name).is_file() for name in GRAPHIQL_FILES)
    assert not list(Path("api").rglob("graphiql*.js"))
    for name in ("../../app.py", "..%2F..%2Fapp.py", "style.css", "nothing.js"):
        assert (await http.get(f"/explorer/static/{name}")).status_code == 404, name


async def test_production_shows_a_plain_status_page_and_no_explorer(settings: Settings) -> None:
    app = create_app(replace(settings, production=True), manage_database=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        home = await http.get("/")
        assert home.status_code == 200 and home.headers["content-type"].startswith("text/plain")
        assert "运行中" in home.text and "seed-demo" not in home.text
        for path in ("/explorer/", "/explorer/static/graphiql.min.js", "/contract/README.md"):
            assert (await http.get(path)).status_code == 404, path


@pytest.mark.own_sqlite
@pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason="chromium is not installed")
def test_graphiql_runs_a_query_in_a_browser_with_no_way_out(tmp_path: Path) -> None:
    from playwright.sync_api import Route, sync_playwright

    query = "query Communities { me { memberships { community { name } } } }"
    blocked: list[str] = []

    def only_this_server(route: Route) -> None:
        if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort("internetdisconnected")

    SHOTS.mkdir(parents=True, exist_ok=True)
    with (
        running_server(f"sqlite://{tmp_path / 'explorer.sqlite3'}", tmp_path / "server.log") as base,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            context.route("**/*", only_this_server)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"{base}/")
            page.get_by_test_id("explorer-link").click()
            page.wait_for_url(f"{base}/explorer/")
            page.goto(f"{base}/explorer/?query={quote(query)}")
            page.locator(".graphiql-execute-button").click()
            result = page.locator(".result-window")
            # Signed out, `me` is null: the answer came from this server's resolver.
            result.get_by_text('"me": null').wait_for(timeout=30_000)
            page.screenshot(path=str(SHOTS / "explorer.png"))
            print(f"\nexplorer screenshot: {SHOTS / 'explorer.png'}")
        finally:
            browser.close()
    assert errors == []
    assert blocked == [], "the explorer reached for the internet"


async def test_the_start_page_opens_the_web_pages_a_person_uses_and_the_districts_logins(
    http: httpx.AsyncClient,
) -> None:
    """A visitor of `make run` finds the office console, the resident's pages, a scan page and the
    district's Open311 feed, and the district's people beside the communities' logins."""
    place = await make_neighbourhood(slug=register.HONGXING)
    tag = await Tag.create(
        community=place.community,
        target_kind=TagTargetKind.ENTRANCE,
        entrance=place.entrance,
        active_key=active_key(TagTargetKind.ENTRANCE, place.entrance.id),
        created_at=clock.now(),
    )
    ledger = await Community.create(name="示范区前哨积分", slug="district-demo")
    district = await District.create(
        city=await City.create(name="示范市"), name=DISTRICT, ledger_community=ledger
    )
    page = await http.get("/")
    pages = page.text[page.text.index('data-testid="web-pages"') :]
    links = re.findall(r'href="([^"]+)"', pages[: pages.index("</section>")])
    scan = f"/t/{code_of(tag)}"
    feed = f"/open311/v2/requests.json?jurisdiction_id={district.id}"
    assert links == ["/office/", "/me", scan, feed.replace("&", "&amp;")]
    # Each opens: the console and 我的 ask to sign in first, the scan page and the feed need nobody.
    for link in ("/office/", "/me"):
        answer = await http.get(link)
        assert answer.status_code == 303 and "/login" in answer.headers["location"], link
    assert (await http.get(scan)).status_code == 200
    assert (await http.get(feed)).json() == []
    for login in DISTRICT_LOGINS:
        shown = login.label in DISTRICT_LOGIN_LABELS.values()
        assert (f"<code>{login.phone}</code>" in page.text) is shown, login
    assert "街道联络员（红军路街道）（先试试 DistrictRollup）" in page.text
