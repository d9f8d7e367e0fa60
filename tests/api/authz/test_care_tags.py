"""Care tags (party member, hardship, living alone, disability) are for the community's staff
only: a test per role, and a real server whose every export, board, error and log line is
searched for them after staff set and read them and everyone else tried."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from models.enums import CareTagKind, Role
from models.places import HouseholdCareTag
from runtime.settings import MIN_SECRET_BYTES
from services.demo import DEMO_PASSWORD
from tests.support.demo import DemoCopy
from tests.support.graphql import GraphQLClient
from tests.support.people import Person, gid, make_neighbourhood, make_person
from tests.support.server import running_server

HOUSEHOLD = "query($id: ID!) { node(id: $id) { ... on Household { name careTags } } }"
SET_TAGS = """mutation($i: HouseholdCareTagsSetInput!) {
  householdCareTagsSet(input: $i) { tags errors { code message } } }"""
MY_HOME = "{ me { memberships { household { name careTags } } } }"

# caller → what they get for our household's care tags: the tags, FORBIDDEN on the field
# (the household is theirs to see, its tags are not), or no household at all.
SEES: dict[str, str] = {
    "anonymous": "unauthenticated",
    **{f"ours {role.value}": "no household" for role in Role},
    "ours staff": "tags",
    "ours admin": "forbidden",
    "ours resident": "forbidden",  # their own home, not its tags
    **{f"theirs {role.value}": "no household" for role in Role},
}


@pytest.fixture
async def callers() -> tuple[dict[str, Person | None], str]:
    ours, theirs = await make_neighbourhood(), await make_neighbourhood("binhe", "滨河社区")
    household = ours.households[0]
    for kind in (CareTagKind.PARTY_MEMBER, CareTagKind.LIVING_ALONE):
        await HouseholdCareTag.create(community=ours.community, household=household, kind=kind)
    people: dict[str, Person | None] = {"anonymous": None}
    for label, place in (("ours", ours), ("theirs", theirs)):
        for role in Role:
            home = place.households[0] if role == Role.RESIDENT else None
            people[f"{label} {role.value}"] = await make_person(place.community, (role,), home)
    return people, gid("Household", household.id)


@pytest.mark.parametrize("caller", SEES)
async def test_care_tags_by_role(
    api: GraphQLClient, callers: tuple[dict[str, Person | None], str], caller: str
) -> None:
    people, household = callers
    person = people[caller]
    body = await api.post(HOUSEHOLD, {"id": household}, person.token if person else None)
    codes = [e["extensions"]["code"] for e in body.get("errors", [])]
    node = (body.get("data") or {}).get("node")
    expected = SEES[caller]
    if expected == "tags":
        assert node == {"name": "301", "careTags": ["LIVING_ALONE", "PARTY_MEMBER"]} and not codes
    elif expected == "forbidden":
        assert node == {"name": "301", "careTags": None} and codes == ["FORBIDDEN"]
    elif expected == "unauthenticated":
        assert node is None and codes == ["UNAUTHENTICATED"]
    else:
        assert node is None and codes == []
    assert "PARTY" not in json.dumps(body) or expected == "tags"


async def test_a_resident_of_the_household_never_sees_its_own_tags(
    api: GraphQLClient, callers: tuple[dict[str, Person | None], str]
) -> None:
    people, _ = callers
    resident = people["ours resident"]
    assert resident is not None
    body = await api.post(MY_HOME, token=resident.token)
    assert body["data"]["me"]["memberships"][0]["household"] == {"name": "301", "careTags": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert "PARTY" not in json.dumps(body) and "LIVING" not in json.dumps(body)


# ── a real server: exports, boards, errors and the log ────────────────────────────────────

# Every spelling a care tag has: enum name, stored value, and the words a page would print.
CARE_WORDS = [k.name for k in CareTagKind] + [k.value for k in CareTagKind] + ["党员", "困难", "独居", "残疾"]


def _login(seed_output: str, role: str) -> str:
    found = re.search(rf"^\s+{role}\s+(\d{{11}})\s", seed_output, re.M)
    assert found, seed_output
    return found.group(1)


def test_care_tags_are_in_no_export_board_error_or_log_line(tmp_path: Path, demo_sqlite: DemoCopy) -> None:
    # This test's copy of the demo `redsteward seed-demo` made (tests/support/demo.py).
    database, seeded = demo_sqlite.database_url, demo_sqlite.seed_output
    server_env = {"RS_SECRET_KEY": "s" * MIN_SECRET_BYTES, "RS_PHOTO_DIR": str(demo_sqlite.photo_dir)}
    log = tmp_path / "server.log"
    shown: dict[str, bytes] = {}  # what everyone but the staff were shown
    with running_server(database, log, server_env) as base:
        with httpx.Client(base_url=base, timeout=30) as client:

            def gql(token: str | None, query: str, **variables: Any) -> dict[str, Any]:
                headers = {"authorization": f"Bearer {token}"} if token else {}
                answer = client.post(
                    "/graphql", json={"query": query, "variables": variables}, headers=headers
                )
                body: dict[str, Any] = answer.json()
                return body

            def sign_in(role: str) -> str:
                signed = gql(
                    None,
                    "mutation($i: SessionCreateInput!) { sessionCreate(input: $i) { accessToken } }",
                    i={"phone": _login(seeded, role), "password": DEMO_PASSWORD},
                )
                return str(signed["data"]["sessionCreate"]["accessToken"])

            staff, resident, cleaner = sign_in("staff"), sign_in("resident"), sign_in("cleaner")
            tree = gql(staff, "{ me { memberships { community { id slug } } } }")
            community = tree["data"]["me"]["memberships"][0]["community"]
            households = gql(
                staff,
                """query($id: ID!) { community(id: $id) { compounds(first: 1) { nodes { id
                  buildings(first: 1) { nodes { id entrances(first: 1) { nodes { id
                  households(first: 3) { nodes { id careTags } } } } } } } } } }""",
                id=community["id"],
            )
            building = households["data"]["community"]["compounds"]["nodes"][0]["buildings"]["nodes"][0]
            household = building["entrances"]["nodes"][0]["households"]["nodes"][0]["id"]
            every_tag = [k.name for k in CareTagKind]
            set_ = gql(
                staff,
                """mutation($i: HouseholdCareTagsSetInput!) { householdCareTagsSet(input: $i) {
                  tags errors { code } } }""",
                i={"householdId": household, "tags": every_tag},
            )
            assert sorted(set_["data"]["householdCareTagsSet"]["tags"]) == sorted(every_tag), set_
            gql(
                staff,
                "mutation($i: BoardPublicitySetInput!) { boardPublicitySet(input: $i) { errors { code } } }",
                i={
                    "communityId": community["id"],
                    "flag": True,
                    "volunteers": True,
                    "repairs": True,
                    "satisfaction": True,
                    "accounts": True,
                },
            )
            # Everyone else: the household and its tags, straight and through the tree.
            for who, token in (("resident", resident), ("cleaner", cleaner), ("anonymous", None)):
                for name, query in (
                    ("node", "query($id: ID!) { node(id: $id) { ... on Household { careTags } } }"),
                    ("mutation", SET_TAGS),
                ):
                    variables = (
                        {"id": household} if name == "node" else {"i": {"householdId": household, "tags": []}}
                    )
                    shown[f"{who} {name}"] = json.dumps(gql(token, query, **variables)).encode()
            for who, token in (("resident", resident), ("cleaner", cleaner)):
                shown[f"{who} my home"] = json.dumps(gql(token, MY_HOME)).encode()
                for board in ("leaderboard(communityId: $c, scope: COMMUNITY) { __typename }",):
                    shown[f"{who} board"] = json.dumps(
                        gql(token, f"query($c: ID!) {{ {board} }}", c=community["id"])
                    ).encode()
            gql(
                staff,
                "mutation($b: ID!) { tagsCreateForBuilding(input: {buildingId: $b}) { errors { code } } }",
                b=building["id"],
            )
            # The exports: the notice board page, the QR sheet (staff's own export), certificates.
            shown["notice board"] = client.get(f"/board/{community['slug']}").content
            auth = {"authorization": f"Bearer {staff}"}
            shown["qr sheet"] = client.get(
                "/qr-sheet.pdf", params={"building": building["id"]}, headers=auth
            ).content
            shown["hours certificate"] = client.get(
                "/certificates/hours.png",
                params={"community": community["id"], "from": "2026-01", "to": "2026-12"},
                headers={"authorization": f"Bearer {resident}"},
            ).content
    assert shown["notice board"].startswith(b"<!") and shown["qr sheet"].startswith(b"%PDF")
    assert shown["hours certificate"].startswith(b"\x89PNG")
    leaks = [(name, word) for name, body in shown.items() for word in CARE_WORDS if word.encode() in body]
    assert leaks == []
    text = log.read_text()
    assert "householdCareTagsSet" in text or "request" in text  # the log did record the requests
    assert [word for word in CARE_WORDS if word in text] == []


# The only modules that may read or name care tags: the model, the places service that reads
# them for staff, the GraphQL field and loader that serve them, and the demo seed. Anything
# else that touches them (a board, an export, a log line, a PDF or PNG) must be looked at and
# added here on purpose.
CARE_TAG_READERS = {
    "api/resolvers/places/loaders.py",
    "api/resolvers/places/operations.py",
    "api/schema/places/inputs.py",
    "api/schema/places/types.py",
    "api/resolvers/root.py",
    # The office console's staff-only households page (through householdCareTagsSet and the
    # careTags field) and the Chinese words for the kinds.
    "api/web/office/labels.py",
    "api/web/office/places.py",
    "models/enums.py",
    "models/places.py",
    "services/demo/register.py",
    # The operator's word for the demo's count of care tags (a number, never a household).
    "services/demo/census.py",
    "services/places/__init__.py",
}


def test_only_the_places_area_touches_care_tags() -> None:
    root = Path(__file__).resolve().parents[3]
    pattern = re.compile(r"care_?tag|CareTag", re.I)
    touching = {
        str(path.relative_to(root))
        for folder in ("api", "services", "points_engine", "models", "runtime", "cli")
        for path in (root / folder).rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    }
    assert touching == CARE_TAG_READERS
