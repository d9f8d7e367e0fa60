"""Walk the printed table of demo logins: sign in as each, run its "try first" operation the way
the app sends it (a persisted document of mobile-contract/operations), and check the answer shows
what the table promises — non-empty, and the right kind of thing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.contract import operation_documents
from api.gate import document_hash
from models.district import District
from models.places import Community
from models.teams import Team
from runtime.clock import MovableClock
from runtime.i18n import CHINESE
from services.demo import DEMO_PASSWORD, TRY_FIRST, table
from services.photo_storage import LocalDiskStorage, use_storage
from tests.support.demo import InSuiteDemo
from tests.support.people import gid

# One worker seeds the demo for the tests of this module and of test_story.py.
pytestmark = pytest.mark.xdist_group("demo")
Check = Callable[[dict[str, Any]], None]


@pytest.fixture(autouse=True)
def photo_dir(tmp_path: Path) -> Iterator[Path]:
    previous = use_storage(LocalDiskStorage(tmp_path / "photos"))
    yield tmp_path / "photos"
    use_storage(previous)


class App:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.hashes = {name: document_hash(text) for name, text in operation_documents().items()}

    async def run(self, name: str, token: str | None = None, **variables: Any) -> dict[str, Any]:
        body = {
            "operationName": name,
            "variables": variables,
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": self.hashes[name]}},
        }
        headers = {"authorization": f"Bearer {token}"} if token else {}
        response = await self.http.post("/graphql", json=body, headers=headers)
        assert response.status_code == 200, (name, response.text)
        answer: dict[str, Any] = response.json()
        assert "errors" not in answer, (name, answer["errors"])
        data: dict[str, Any] = answer["data"]
        return data


async def test_every_login_of_the_table_finds_something_to_see_first(
    http: httpx.AsyncClient, moved_clock: MovableClock, demo: InSuiteDemo
) -> None:
    seeded = demo.result
    now = moved_clock.now()
    hongxing = await Community.get(slug="hongxing")
    binhe = await Community.get(slug="binhe")
    patrol = await Team.get(community_id=hongxing.id, name="银发巡河队")
    here, there = gid("Community", hongxing.id), gid("Community", binhe.id)

    def nodes(data: dict[str, Any]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = data["nodes"]
        assert found and data["totalCount"] >= len(found)
        return found

    def economy(data: dict[str, Any]) -> None:
        summary = data["economySummary"]
        assert summary["issued"] > summary["outstanding"] > 0 and summary["redeemed"] > 0
        assert len(summary["months"]) >= 3

    def escalated(data: dict[str, Any]) -> None:
        for report in nodes(data["reportQueue"]):
            assert report["state"] in ("OPEN", "CLAIMED", "REOPENED") and report["escalationLevel"] >= 1
            assert report["place"]["name"]

    def unclaimed(data: dict[str, Any]) -> None:
        for report in nodes(data["reportQueue"]):
            assert report["state"] == "OPEN" and report["claimedBy"] is None

    def review(data: dict[str, Any]) -> None:
        team = data["team"]
        assert team["name"] == "银发巡河队"
        for row in nodes(team["attendancesToReview"]):
            assert row["activity"]["title"]
        assert team["joinRequests"]["totalCount"] == 3

    def upcoming(data: dict[str, Any]) -> None:
        found = nodes(data["myActivities"])
        assert all(datetime.fromisoformat(a["endsAt"]) >= now for a in found)
        assert {a["team"]["name"] for a in found} & {"清雪突击队", "邻里互助团"}

    def inspected(data: dict[str, Any]) -> None:
        for row in nodes(data["inspections"]):
            assert 1 <= row["score"] <= 5 and row["entranceName"]

    def my_reports(data: dict[str, Any]) -> None:
        found = nodes(data["myReports"])
        assert all(report["reportedByMe"] for report in found)
        assert len({report["state"] for report in found}) >= 3

    def isolated(data: dict[str, Any]) -> None:
        assert [c["name"] for c in nodes(data["community"]["compounds"])] == ["滨河小区"]

    def queue(data: dict[str, Any]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = data["dispatchQueue"]["nodes"]  # no totalCount: a work queue
        assert found
        return found

    def waits(state: str) -> Check:
        def check(data: dict[str, Any]) -> None:
            assert state in {d["state"] for d in queue(data)}

        return check

    def street_month(data: dict[str, Any]) -> None:
        # The liaison's own street, with its community's reports counted by state.
        rows = {row["name"]: row for row in data["districtRollup"]}
        assert "红军路街道" in rows and "新南街道" not in rows
        assert sum(c["count"] for c in rows["红军路街道"]["reportsByState"]) > 0

    def snapped(data: dict[str, Any]) -> None:
        found = queue(data)
        assert all(d["mine"] for d in found) and "CONFIRMED" in {d["state"] for d in found}

    def department_reports(data: dict[str, Any]) -> None:
        found = nodes(data["districtReports"])
        # 住建 reads its own categories only, and nothing says who reported them.
        assert {r["category"] for r in found} <= {"PUBLIC_FACILITY", "SAFETY_HAZARD"}
        assert all("reporter" not in r for r in found)

    district = gid("District", (await District.get(name="示范区")).id)
    plan: dict[str, tuple[dict[str, Any], Check]] = {
        "admin": ({"communityId": here}, economy),
        "staff": ({"communityId": here, "queue": "ESCALATED"}, escalated),
        "captain": ({"teamId": gid("Team", patrol.id)}, review),
        "volunteer": ({"communityId": here, "upcoming": True}, upcoming),
        "repairer": ({"communityId": here, "queue": "UNCLAIMED"}, unclaimed),
        "cleaner": ({"communityId": here}, inspected),
        "resident": ({}, my_reports),
        "binhe staff": ({"communityId": there}, isolated),
        "liaison": ({"districtId": district, "month": now.strftime("%Y-%m")}, street_month),
        "coordinator": ({"queue": "COORDINATION"}, waits("COORDINATION")),
        "department": ({"districtId": district}, department_reports),
        "courier": ({"queue": "MINE"}, snapped),
    }
    app = App(http)
    printed = table(seeded.logins, CHINESE)
    assert {login.role for login in seeded.logins} == set(plan)
    for login in seeded.logins:
        assert login.phone in printed and login.try_first in printed
        signed = await app.run("SignIn", input={"phone": login.phone, "password": DEMO_PASSWORD})
        token = signed["sessionCreate"]["accessToken"]
        variables, check = plan[login.role]
        assert login.try_first == TRY_FIRST[login.role].operation
        check(await app.run(login.try_first, token, **variables))

    # Without signing in: the notice board shows every section, none of them withheld.
    page = await http.get("/board/hongxing")
    assert page.status_code == 200
    assert "红星社区" in page.text and "社区尚未公开此栏目" not in page.text
