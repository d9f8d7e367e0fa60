"""The notice board in a real headless browser: Debian's chromium, driven by Playwright, against a
real server holding the demo community. The numbers on the page must be the API's, and its
Chinese drawn in glyphs (a machine without a CJK font fails here); screenshots of the phone and
the lobby-screen layouts are saved and their paths printed."""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.board_page import money, percent
from tests.support.browser import assert_chinese_is_drawn
from tests.support.demo import DemoCopy
from tests.support.photos import jpeg_with_gps
from tests.support.reports import CLAIM, CONFIRM, CREATE, RESOLVE
from tests.support.server import running_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SHOTS = Path(tempfile.gettempdir()) / "redsteward-board"

pytestmark = pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason="chromium is not installed")

ME = "{ me { memberships { community { id slug } } } }"
SIGN_IN = """
mutation S($input: SessionCreateInput!) { sessionCreate(input: $input) { accessToken errors { code } } }
"""


# Numbers whose text runs past the right edge of their card.
STICKING_OUT = """
[...document.querySelectorAll('[data-testid]')].filter(e => {
  const card = e.closest('section');
  return card && e.getBoundingClientRect().left + e.scrollWidth > card.getBoundingClientRect().right;
}).map(e => e.dataset.testid)
"""
PLACES = """
query P($id: ID!) {
  community(id: $id) {
    compounds(first: 1) { nodes { buildings(first: 1) { nodes { entrances(first: 1) { nodes { id } } } } } }
  }
}"""


class Http:
    def __init__(self, base: str) -> None:
        self.client = httpx.Client(base_url=base, timeout=20)

    def gql(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> Any:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        body = self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        found = body.json()
        assert "errors" not in found, found["errors"]
        return found["data"]

    def upload(self, query: str, variables: dict[str, Any], photo: bytes, token: str) -> Any:
        """A GraphQL multipart request with one photo at variables.input.photos.0, as the app sends."""
        body = self.client.post(
            "/graphql",
            data={
                "operations": json.dumps({"query": query, "variables": variables}),
                "map": json.dumps({"0": ["variables.input.photos.0"]}),
            },
            files={"0": ("proof.jpg", photo, "image/jpeg")},
            headers={"authorization": f"Bearer {token}"},
        ).json()
        assert "errors" not in body, body["errors"]
        payload = next(iter(body["data"].values()))
        assert payload["errors"] == [], payload["errors"]
        return payload

    def ok(self, query: str, variables: dict[str, Any], token: str) -> Any:
        payload = next(iter(self.gql(query, variables, token).values()))
        assert payload["errors"] == [], payload["errors"]
        return payload


FLAG_HISTORY = """query($c: ID!) { corridorFlagHistory(communityId: $c, first: 1) {
  nodes { holdsMonth entranceLabel } } }"""


def test_the_demo_board_in_chromium_shows_the_apis_numbers(tmp_path: Path, demo_sqlite: DemoCopy) -> None:
    from playwright.sync_api import sync_playwright

    from tests.support import voice

    # This test's copy of the demo `redsteward seed-demo` made (tests/support/demo.py).
    database_url, logins = demo_sqlite.database_url, demo_sqlite.logins()
    photos = {"RS_PHOTO_DIR": str(demo_sqlite.photo_dir)}
    with running_server(database_url, tmp_path / "server.log", photos) as base:
        http = Http(base)
        token = {}
        for role in ("staff", "resident", "volunteer", "repairer"):
            phone, password = logins[role]
            signed = http.ok(SIGN_IN, {"input": {"phone": phone, "password": password}}, "")
            token[role] = signed["accessToken"]
        community = next(
            m["community"]
            for m in http.gql(ME, token=token["staff"])["me"]["memberships"]
            if m["community"]["slug"] == "hongxing"
        )
        cid, staff = community["id"], token["staff"]
        now = datetime.now(UTC)
        month = (now + timedelta(hours=8)).strftime("%Y-%m")  # Asia/Shanghai, the demo's zone

        # The office opens its books and its board, and a month's life happens.
        http.ok(
            voice.PUBLICITY_SET,
            {
                "input": {
                    "communityId": cid,
                    "flag": True,
                    "volunteers": True,
                    "repairs": True,
                    "satisfaction": True,
                    "accounts": True,
                }
            },
            staff,
        )
        for category, amount, extra in (
            ("FEES", "52000.00", {}),
            ("ADVERTISING", "3600.00", {}),
            ("GRANTS", "10000.00", {}),
            ("LABOUR", "18500.00", {}),
            ("MATERIALS", "1260.50", {"brandModel": "公牛 GN-B3 插座"}),
        ):
            http.ok(
                voice.RECORD,
                {
                    "input": {
                        "communityId": cid,
                        "month": month,
                        "category": category,
                        "amount": amount,
                        **extra,
                    }
                },
                staff,
            )
        opinion = http.ok(
            voice.POST,
            {
                "input": {
                    "communityId": cid,
                    "kind": "SUGGESTION",
                    "topic": "PARKING",
                    "text": "北门加装电动车充电桩",
                }
            },
            token["resident"],
        )
        http.ok(
            voice.ANSWER,
            {"input": {"opinionId": opinion["opinion"]["id"], "outcome": "ADOPTED", "action": "12月装好"}},
            staff,
        )
        http.ok(
            voice.POST,
            {"input": {"communityId": cid, "kind": "COMPLAINT", "topic": "NOISE", "text": "夜间施工"}},
            token["volunteer"],
        )
        survey = http.ok(
            voice.SURVEY_CREATE,
            {
                "input": {
                    "communityId": cid,
                    "title": "物业服务满意度",
                    "questions": ["保洁", "维修"],
                    "opensAt": now.isoformat(),
                    "closesAt": (now + timedelta(days=7)).isoformat(),
                }
            },
            staff,
        )
        # Two repairs fixed and confirmed, rated 5 and 3, materials recorded with them.
        places = http.gql(PLACES, {"id": cid}, staff)["community"]["compounds"]["nodes"]
        entrance = places[0]["buildings"]["nodes"][0]["entrances"]["nodes"][0]["id"]
        for category, rating in (("LIGHTING", 5), ("PLUMBING", 3)):
            created = http.ok(
                CREATE,
                {"input": {"placeId": entrance, "category": category, "text": "坏了", "photos": []}},
                token["resident"],
            )
            report_id = created["report"]["id"]
            http.ok(CLAIM, {"input": {"reportId": report_id}}, token["repairer"])
            http.upload(
                RESOLVE,
                {
                    "input": {
                        "reportId": report_id,
                        "note": "修好了",
                        "photos": [None],
                        "materials": [
                            {"item": "配件", "brandModel": "联塑 PPR-20", "quantity": "1", "cost": "38.00"}
                        ],
                    }
                },
                jpeg_with_gps(),
                token["repairer"],
            )
            http.ok(CONFIRM, {"input": {"reportId": report_id, "rating": rating}}, token["resident"])
        for role, scores in (("resident", [5, 4]), ("volunteer", [4, 3]), ("repairer", [5, 5])):
            http.ok(
                voice.SURVEY_ANSWER,
                {"input": {"surveyId": survey["survey"]["id"], "scores": scores}},
                token[role],
            )

        # What the API says, as a member reads it.
        reader = token["resident"]
        statement = http.gql(voice.STATEMENT, {"c": cid, "month": month}, reader)["accountStatement"]
        year = int(month[:4])
        months = http.gql(voice.BY_MONTH, {"c": cid, "year": year}, reader)["satisfactionByMonth"]
        this = next(m for m in months if m["month"] == month)
        counts = http.gql(voice.COUNTS, {"c": cid}, reader)["opinionCounts"]
        repairs = http.gql(voice.REPAIRS_DONE, {"c": cid, "m": month}, reader)["repairsDone"]

        flags = http.gql(FLAG_HISTORY, {"c": cid}, staff)["corridorFlagHistory"]["nodes"]
        holder = flags[0]["entranceLabel"] if flags and flags[0]["holdsMonth"] == month else None
        SHOTS.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                shots = {}
                for name, size in (("phone", (390, 844)), ("lobby", (1920, 1080))):
                    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
                    page.goto(f"{base}/board/hongxing")  # no sign-in: what the community made public

                    def text(testid: str, page: Any = page) -> str:
                        return str(page.get_by_test_id(testid).inner_text()).strip()

                    assert text("month") == month
                    assert text("accounts-income") == money(Decimal(statement["income"]))
                    assert text("accounts-spending") == money(Decimal(statement["spending"]))
                    assert text("accounts-balance") == money(Decimal(statement["balance"]))
                    for category in statement["categories"]:
                        side = "income" if category["isIncome"] else "spending"
                        assert text(f"{side}-{category['category'].lower()}") == money(
                            Decimal(category["amount"])
                        )
                    assert text("satisfaction-rate") == percent(this["overall"]["ratePercent"])
                    assert text("satisfaction-count") == str(this["overall"]["count"])
                    assert text("opinions-collected") == str(counts["collected"])
                    assert text("opinions-adopted") == str(counts["adopted"])
                    assert text("repairs-done") == str(repairs["done"])
                    assert text("repairs-on-time") == str(repairs["onTime"])
                    assert text("repairs-on-time-percent") == percent(repairs["onTimePercent"])
                    if holder is None:
                        assert text("flag-holder") == "本月流动红旗尚未评出"
                    else:  # the living demo awards last month's flag, which hangs this month
                        # The full label, after a flag drawn in SVG (no emoji font needed).
                        assert text("flag-holder") == holder
                        icon = page.get_by_test_id("flag-icon").bounding_box()
                        assert icon is not None and icon["width"] > 10 and icon["height"] > 10
                    # Nothing sticks out sideways on a phone.
                    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
                    assert page.evaluate(STICKING_OUT) == []
                    # The heading (the community's name) in glyphs, not boxes: else the
                    # screenshot below is of boxes, whatever the texts above read.
                    assert_chinese_is_drawn(page, "h1")
                    shots[name] = SHOTS / f"board-{name}.png"
                    page.screenshot(path=str(shots[name]), full_page=True)
                    page.close()
            finally:
                browser.close()
        print(f"\nnotice board screenshots: {shots['phone']} {shots['lobby']}")
        # The living demo has a month of its own beside what this test recorded: at least ours.
        assert Decimal(statement["income"]) >= Decimal("65600.00")
        assert this["surveys"]["count"] >= 6 and this["repairs"]["count"] >= 2
        assert repairs["done"] >= 2 and Decimal(statement["repairMaterialsTotal"]) >= Decimal("76.00")
