"""The office console's documents, run the way production runs them: by their persisted hash only.

The complaint of issue 18 was that in production (`persisted only`) the office could set nothing up:
`teamCreate`, `tagCreate`, `rewardCreate`, `pointRulesUpdate`, `reportClocksSet`,
`pointTransferReverse`… were in no persisted document and were refused with
PERSISTED_QUERY_REQUIRED. Here a production-mode app is walked through the office's month with
every document of mobile-contract/operations/office/, each by its hash; nothing may answer with an
error, each document stays within a statement budget, and every document must be sent.
Residents' own steps (reporting, redeeming, posting an opinion) use the app's documents.
"""

from __future__ import annotations

import base64
import json
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import httpx
import pytest
import strawberry.schema.schema as strawberry_schema
from graphql import parse, specified_rules

from api.app import create_app
from api.contract import client_documents
from api.gate import document_hash
from api.graphql import build_schema, extra_rules
from models.abuse import AbuseFlag, AbuseSignal
from models.places import Building, Community, Compound, Entrance
from runtime import clock
from runtime.clock import MovableClock
from runtime.settings import Settings
from services.demo import DEMO_PASSWORD, seed_register
from tests.api.office.fees_walk import office_fees
from tests.conftest import QueryCounter
from tests.support.people import gid

OFFICE = client_documents()["office"]
APP = client_documents()["app"]

# Statements one request of each document may take against the demo community (measured, with
# a little room); a list whose count grows with its rows would blow these.
BUDGETS: dict[str, int] = defaultdict(lambda: 30)
# Bulk tagging writes one row per new tag (each needs its id for its signed code): the demo's
# first compound has some fifty assets. It runs once per compound, when its stickers are printed.
BUDGETS["OfficeTagsCreateForCompoundAssets"] = 60
# 观察员与调解 reads seven lists in one request: posts, the month's counts, its visits (with their
# opinions, interventions, photos, names), the mediators, and the cases being worked and the closed
# ones (each with parties, mediators, sessions, timeline, labels, names): 36 statements, the same
# with 2 items of each as with 10 (tests/api/mediation_room/test_query_counts.py).
BUDGETS["OfficeObservers"] = 36
# Opening a mediation case on 观察员与调解: the viewer and role checks, the households and mediators
# checked, the case, its parties, mediators and OPENED line written, the case read back: 13 measured
# on SQLite and PostgreSQL (two parties, one mediator; parties and mediators are one bulk insert each).
BUDGETS["OfficeMediationCaseOpen"] = 14
# The overview's live poll, every 30 s for every open office page: the viewer and community, six
# counts, and the one-row reads of the four `first: 0` lists that answer hasNextPage (13 measured
# on SQLite and PostgreSQL; it was 17 while the empty flag page read evidence of no flags).
BUDGETS["OfficeOverviewLive"] = 13

REGISTER = (
    "小区,楼栋,单元,户号,面积\n"
    "新华小区,1号楼,1单元,101,65.5\n新华小区,1号楼,1单元,102,70\n新华小区,1号楼,2单元,201,58\n"
)
BAD_REGISTER = "小区,楼栋,单元,户号,面积\n新华小区,1号楼,1单元,101,六十\n新华小区,,1单元,102,70\n"


class Client:
    """Sends persisted documents by hash only (Apollo's extensions.persistedQuery)."""

    def __init__(self, http: httpx.AsyncClient, queries: QueryCounter) -> None:
        self.http = http
        self.queries = queries
        self.sent: set[str] = set()
        self.statements: dict[str, int] = defaultdict(int)

    def _body(self, name: str, variables: dict[str, Any]) -> dict[str, Any]:
        document = OFFICE.get(name) or APP[name]
        self.sent.add(name)
        return {
            "operationName": name,
            "variables": variables,
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": document_hash(document)}},
        }

    async def raw(self, name: str, token: str | None, **variables: Any) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        before = self.queries.count
        response = await self.http.post("/graphql", json=self._body(name, variables), headers=headers)
        self.statements[name] = max(self.statements[name], self.queries.count - before)
        assert response.status_code == 200, (name, response.text)
        body: dict[str, Any] = response.json()
        return body

    async def run(self, name: str, token: str | None = None, **variables: Any) -> dict[str, Any]:
        body = await self.raw(name, token, **variables)
        return _checked(name, body)

    async def upload(self, name: str, token: str, variables: dict[str, Any], file: bytes) -> dict[str, Any]:
        variables["input"]["file"] = None
        before = self.queries.count
        response = await self.http.post(
            "/graphql",
            data={
                "operations": json.dumps(self._body(name, variables)),
                "map": json.dumps({"0": ["variables.input.file"]}),
            },
            files={"0": ("register.csv", file, "text/csv")},
            headers={"authorization": f"Bearer {token}"},
        )
        self.statements[name] = max(self.statements[name], self.queries.count - before)
        assert response.status_code == 200, (name, response.text)
        body: dict[str, Any] = response.json()
        assert "errors" not in body, (name, body["errors"])
        return body["data"]


def _checked(name: str, body: dict[str, Any]) -> dict[str, Any]:
    assert "errors" not in body, (name, body["errors"])
    data: dict[str, Any] = body["data"]
    for field, payload in data.items():
        if isinstance(payload, dict) and "errors" in payload:
            assert payload["errors"] == [], (name, field, payload["errors"])
    return data


@pytest.fixture
async def production(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(replace(settings, production=True), manage_database=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://testserver"
    ) as http:
        yield http


@pytest.mark.parametrize("production_mode", [False, True])
def test_every_office_document_passes_every_rule(production_mode: bool) -> None:
    schema = build_schema(production_mode)
    rules = (*specified_rules, *extra_rules(production_mode))
    for name, text in OFFICE.items():
        assert strawberry_schema.validate_document(schema._schema, parse(text), rules) == [], name


async def test_set_up_mutations_sent_as_text_are_still_refused_in_production(
    production: httpx.AsyncClient,
) -> None:
    """Persisted-only stays persisted-only: the office gets its documents, not a hole."""
    body = {
        "query": 'mutation { teamCreate(input: {communityId: "x", name: "x", kind: REPAIR}) { team { id } } }'
    }
    answer = (await production.post("/graphql", json=body)).json()
    assert answer["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_REQUIRED"


async def test_the_office_month_runs_on_persisted_documents_in_production(
    production: httpx.AsyncClient, moved_clock: MovableClock, queries: QueryCounter
) -> None:
    logins = {login.role: login.phone for login in (await seed_register()).logins}
    api = Client(production, queries)

    async def sign_in(role: str) -> str:
        data = await api.run("SignIn", input={"phone": logins[role], "password": DEMO_PASSWORD})
        token: str = data["sessionCreate"]["accessToken"]
        return token

    async def user_id(token: str) -> str:
        return str((await api.run("OfficeMe", token))["me"]["user"]["id"])

    community = await Community.get(slug="hongxing")
    cid = gid("Community", community.id)
    month = moved_clock.now().strftime("%Y-%m")
    staff = await sign_in("staff")
    me = (await api.run("OfficeMe", staff))["me"]
    assert cid in [m["community"]["id"] for m in me["memberships"]]

    # --- The register: a file with problems is refused whole, by line; a good one is imported once.
    refused = await api.upload(
        "OfficePlacesImport", staff, {"input": {"communityId": cid}}, BAD_REGISTER.encode()
    )
    refused = refused["placesImport"]
    assert refused["summary"] is None and refused["errors"][0]["code"] == "INVALID_INPUT"
    assert sorted(p["line"] for p in refused["problems"]) == [2, 3]
    assert not await Compound.filter(name="新华小区").exists()
    imported = await api.upload(
        "OfficePlacesImport", staff, {"input": {"communityId": cid}}, ("\ufeff" + REGISTER).encode()
    )
    assert imported["placesImport"]["summary"]["householdsCreated"] == 3
    again = await api.upload("OfficePlacesImport", staff, {"input": {"communityId": cid}}, REGISTER.encode())
    assert again["placesImport"]["summary"]["householdsUnchanged"] == 3  # a double-click adds nothing

    tree = (await api.run("OfficePlaceTree", staff, communityId=cid))["community"]
    compound = next(c for c in tree["compounds"]["nodes"] if c["name"] == "新华小区")
    building = compound["buildings"]["nodes"][0]
    entrance = building["entrances"]["nodes"][0]
    added = await api.run("OfficePlaceCreate", staff, input={"parentId": entrance["id"], "name": "103"})
    renamed = await api.run(
        "OfficePlaceRename", staff, input={"id": added["placeCreate"]["place"]["id"], "name": "104"}
    )
    # The rename page reads the place by its full label; the answer carries the new one.
    assert renamed["placeRename"]["place"]["label"].endswith(" 104")
    shown = (await api.run("OfficePlace", staff, id=entrance["id"]))["node"]
    assert shown["label"].endswith(entrance["name"]) and shown["label"] != entrance["name"]
    households = (await api.run("OfficeEntranceHouseholds", staff, id=entrance["id"]))["node"]["households"]
    assert households["totalCount"] == 3
    await api.run(
        "OfficeHouseholdCareTagsSet",
        staff,
        input={"householdId": households["nodes"][0]["id"], "tags": ["LIVING_ALONE"]},
    )

    # --- Tags: a sheet's worth for the new building, one for the compound, a lost one reissued.
    made = await api.run("OfficeTagsCreateForBuilding", staff, input={"buildingId": building["id"]})
    assert made["tagsCreateForBuilding"]["createdCount"] == 2
    assert {t["label"] for t in made["tagsCreateForBuilding"]["tags"]} == {
        "新华小区 1号楼 1单元",
        "新华小区 1号楼 2单元",
    }
    compound_tag = (await api.run("OfficeTagCreate", staff, input={"targetId": compound["id"]}))["tagCreate"][
        "tag"
    ]
    await api.run("OfficeTagRevoke", staff, input={"id": compound_tag["id"]})
    lost = made["tagsCreateForBuilding"]["tags"][0]
    reissued = (await api.run("OfficeTagReissue", staff, input={"id": lost["id"]}))["tagReissue"]
    assert reissued["revokedTag"]["revoked"] and reissued["tag"]["version"] == lost["version"] + 1
    demo_compound = await Compound.filter(community_id=community.id).order_by("id").first()
    assert demo_compound is not None
    assets = await api.run(
        "OfficeTagsCreateForCompoundAssets", staff, input={"compoundId": gid("Compound", demo_compound.id)}
    )
    assert assets["tagsCreateForCompoundAssets"]["createdCount"] > 0

    # --- Teams, a captain, rewards, rules, clocks, an invite for new staff, a volunteer card.
    team = await api.run(
        "OfficeTeamCreate", staff, input={"communityId": cid, "name": "楼道清扫队", "kind": "CLEANING"}
    )
    team_id = team["teamCreate"]["team"]["id"]
    volunteer = await sign_in("volunteer")
    volunteer_id = await user_id(volunteer)
    appointed = await api.run(
        "OfficeTeamCaptainAppoint", staff, input={"teamId": team_id, "userId": volunteer_id}
    )
    assert appointed["teamCaptainAppoint"]["member"]["isCaptain"]
    teams = (await api.run("OfficeTeams", staff, communityId=cid))["teams"]
    assert any(t["name"] == "楼道清扫队" for t in teams["nodes"])
    reward = (
        await api.run(
            "OfficeRewardCreate",
            staff,
            input={
                "communityId": cid,
                "kind": "GIFT",
                "name": "环保袋",
                "cost": 10,
                "stock": 5,
                "monthlyLimit": 1,
            },
        )
    )["rewardCreate"]["reward"]
    keyed = {"communityId": cid, "kind": "SERVICE", "name": "上门修锁", "cost": 80, "idempotencyKey": "rw-1"}
    first = (await api.run("OfficeRewardCreate", staff, input=keyed))["rewardCreate"]["reward"]
    again = (await api.run("OfficeRewardCreate", staff, input=keyed))["rewardCreate"]["reward"]
    assert again["id"] == first["id"]  # a retried creation makes one reward
    reused = await api.raw("OfficeRewardCreate", staff, input={**keyed, "cost": 90})
    assert reused["data"]["rewardCreate"]["errors"][0]["code"] == "IDEMPOTENCY_KEY_REUSED"
    await api.run("OfficeRewardUpdate", staff, input={"id": reward["id"], "stock": 20})
    assert any(
        r["name"] == "环保袋"
        for r in (await api.run("OfficeRewards", staff, communityId=cid))["rewardCatalog"]["nodes"]
    )
    rules = (await api.run("OfficePointRules", staff, communityId=cid))["pointRules"]
    updated = await api.run(
        "OfficePointRulesUpdate", staff, input={"communityId": cid, "inspection": rules["inspection"] + 1}
    )
    assert updated["pointRulesUpdate"]["rules"]["version"] == rules["version"] + 1
    clocks = await api.run(
        "OfficeReportClocksSet", staff, input={"communityId": cid, "claimMinutes": 30, "resolveMinutes": 2880}
    )
    assert clocks["reportClocksSet"]["clocks"]["claimMinutes"] == 30
    admin = await sign_in("admin")  # only an admin invites staff
    invite = await api.run("OfficeInviteCreate", admin, input={"communityId": cid, "roles": ["STAFF"]})
    assert invite["inviteCreate"]["code"]
    card = await api.run(
        "OfficeVolunteerCardIssue", staff, input={"communityId": cid, "userId": volunteer_id}
    )
    assert card["volunteerCardIssue"]["code"]

    # --- Points by hand, and a mistaken award reversed.
    resident = await sign_in("resident")
    resident_id = await user_id(resident)
    award = await api.run(
        "OfficePointsAward",
        staff,
        input={
            "communityId": cid,
            "userId": resident_id,
            "amount": 50,
            "reason": "帮助孤寡老人",
            "idempotencyKey": "o-1",
        },
    )
    mistaken = await api.run(
        "OfficePointsAward",
        staff,
        input={
            "communityId": cid,
            "userId": resident_id,
            "amount": 5,
            "reason": "录错了",
            "idempotencyKey": "o-2",
        },
    )
    reversed_ = await api.run(
        "OfficePointTransferReverse",
        staff,
        input={"transferId": mistaken["pointsAward"]["transfer"]["id"], "reason": "录入错误"},
    )
    assert (
        reversed_["pointTransferReverse"]["transfer"]["reverses"] == mistaken["pointsAward"]["transfer"]["id"]
    )
    assert award["pointsAward"]["transfer"]["amount"] == 50

    # --- The queue: two reports by residents, one phoned in; reject one, cancel one, read one.
    demo_entrance = await Entrance.filter(building__compound_id=demo_compound.id).order_by("id").first()
    assert demo_entrance is not None
    demo_building = await Building.get(id=demo_entrance.building_id)
    place = gid("Entrance", demo_entrance.id)
    reports = []
    for i, (category, text) in enumerate((("LIGHTING", "楼道灯坏了"), ("SANITATION", "垃圾没人清"))):
        created = await api.run(
            "ReportCreate",
            resident,
            input={
                "placeId": place,
                "category": category,
                "text": text,
                "idempotencyKey": f"q-{i}",
                "photos": [],
            },
        )
        reports.append(created["reportCreate"]["report"]["id"])
    phoned = await api.run(
        "OfficeReportCreate",
        staff,
        input={
            "placeId": place,
            "category": "PLUMBING",
            "text": "王奶奶来电：厨房水管漏水",
            "proxyForId": resident_id,
            "proxyChannel": "电话",
            "idempotencyKey": "phone-1",
        },
    )
    assert phoned["reportCreate"]["report"]["isProxy"]
    queue = (await api.run("OfficeReportQueue", staff, communityId=cid, queue="UNCLAIMED"))["reportQueue"]
    assert queue["totalCount"] >= 3
    label = f"{demo_compound.name} {demo_building.name} {demo_entrance.name}"
    assert {r["placeLabel"] for r in queue["nodes"] if r["id"] in reports} == {label}
    detail = (await api.run("OfficeReport", staff, id=reports[0]))["node"]
    assert [e["kind"] for e in detail["timeline"]["nodes"]] == ["OPENED"]
    rejected = await api.run(
        "OfficeReportReject",
        staff,
        input={"reportId": reports[0], "reason": "DUPLICATE", "note": "已有同类报修"},
    )
    assert rejected["reportReject"]["report"]["state"] == "REJECTED"
    moved_clock.advance(hours=1)
    staff, resident = await sign_in("staff"), await sign_in("resident")  # access tokens are short-lived
    overdue = (await api.run("OfficeReportQueue", staff, communityId=cid, queue="OVERDUE"))["reportQueue"]
    assert phoned["reportCreate"]["report"]["id"] in [r["id"] for r in overdue["nodes"]]
    # The office filed it for the resident, so the office may withdraw it when she calls back.
    cancelled = await api.run(
        "OfficeReportCancel",
        staff,
        input={"reportId": phoned["reportCreate"]["report"]["id"], "note": "居民来电说已自己修好"},
    )
    assert cancelled["reportCancel"]["report"]["state"] == "CANCELLED"

    # --- The counter: a resident redeems, the office hands it over by the typed pickup code.
    redeemed = await api.run(
        "RewardRedeem", resident, input={"rewardId": reward["id"], "idempotencyKey": "g-1"}
    )
    code = redeemed["rewardRedeem"]["redemption"]["pickupCode"]
    pending = (await api.run("OfficePendingPickups", staff, communityId=cid))["pendingPickups"]
    assert pending["totalCount"] >= 1
    handed = await api.run("OfficeRedemptionFulfil", staff, input={"pickupCode": code})
    assert handed["redemptionFulfil"]["redemption"]["status"] == "FULFILLED"

    # --- Abuse flags: one raised by the points engine's watch, decided by the office.
    await _raise_a_flag(community.id, int(_row_id(resident_id)))
    flags = (await api.run("OfficeAbuseFlags", staff, communityId=cid))["abuseFlags"]
    assert flags["totalCount"] == 1
    decided = await api.run(
        "OfficeAbuseFlagDecide",
        staff,
        input={"flagId": flags["nodes"][0]["id"], "decision": "DISMISS", "note": "邻里互助"},
    )
    assert decided["abuseFlagDecide"]["flag"]["state"] == "DISMISSED"
    await api.run("OfficeInspections", staff, communityId=cid, month=month)
    # The record of observers' and mediators' appointments, newest first.
    await api.run("MediatorAppoint", staff, input={"communityId": cid, "userId": resident_id})
    appointed = (await api.run("OfficeAppointmentEvents", staff, communityId=cid))["appointmentEvents"]
    assert appointed["totalCount"] == 1
    assert [(e["kind"], e["appointedAs"]) for e in appointed["nodes"]] == [("APPOINTED", "MEDIATOR")]
    # 观察员与调解: the page's read, appointments and stand-downs, a case's mediators.
    compound_id = gid("Compound", demo_compound.id)
    await api.run("OfficeObserverAppoint", staff, input={"compoundId": compound_id, "userId": resident_id})
    await api.run("OfficeMediatorAppoint", staff, input={"communityId": cid, "userId": resident_id})
    household_ids = [h["id"] for h in households["nodes"][:2]]
    opened = await api.run(
        "OfficeMediationCaseOpen",
        staff,
        input={
            "communityId": cid,
            "category": "NOISE",
            "summary": "夜里装修扰民",
            "partyHouseholdIds": household_ids,
            "mediatorIds": [resident_id],
        },
    )
    case_id = opened["mediationCaseOpen"]["case"]["id"]
    room = await api.run("OfficeObservers", staff, communityId=cid, month=month)
    assert [p["observer"] for p in room["observerPosts"]] == [resident_id]
    assert [(m["user"], m["openCases"]) for m in room["mediators"]] == [(resident_id, 1)]
    assert [c["id"] for c in room["openCases"]["nodes"]] == [case_id]
    assert room["closedCases"]["totalCount"] == 0
    busy = await api.raw(
        "OfficeMediatorStandDown", staff, input={"communityId": cid, "userId": resident_id, "reason": "试"}
    )
    assert [e["code"] for e in busy["data"]["mediatorStandDown"]["errors"]] == ["CONFLICT"]
    mediators = (await api.run("OfficeMediationCase", staff, id=case_id, communityId=cid))["mediators"]
    assert [m["user"] for m in mediators] == [resident_id]
    kept = await api.run(
        "OfficeMediationCaseMediatorsSet", staff, input={"caseId": case_id, "mediatorIds": [resident_id]}
    )
    assert [m["user"] for m in kept["mediationCaseMediatorsSet"]["case"]["mediators"]] == [resident_id]
    await api.run(
        "OfficeObserverStandDown",
        staff,
        input={"compoundId": compound_id, "userId": resident_id, "reason": "换人"},
    )

    # --- Opinions, a round-table on it, a survey.
    posted = await api.run(
        "OpinionPost",
        resident,
        input={"communityId": cid, "kind": "SUGGESTION", "topic": "PARKING", "text": "希望划车位"},
    )
    opinion_id = posted["opinionPost"]["opinion"]["id"]
    listed = await api.run("OfficeOpinions", staff, communityId=cid, status="OPEN")
    assert opinion_id in [o["id"] for o in listed["opinions"]["nodes"]]
    answered = await api.run(
        "OfficeOpinionAnswer",
        staff,
        input={"opinionId": opinion_id, "outcome": "ADOPTED", "action": "下周划线"},
    )
    assert answered["opinionAnswer"]["opinion"]["status"] == "ADOPTED"
    done = await api.run("OfficeOpinionDone", staff, input={"opinionId": opinion_id})
    assert done["opinionDone"]["opinion"]["status"] == "DONE"
    starts = moved_clock.now() + timedelta(days=1)
    meeting = await api.run(
        "OfficeMeetingCreate",
        staff,
        input={
            "communityId": cid,
            "title": "十二月圆桌会",
            "location": "社区活动室",
            "startsAt": starts.isoformat(),
            "endsAt": (starts + timedelta(hours=2)).isoformat(),
        },
    )
    meeting_id = meeting["meetingCreate"]["meeting"]["id"]
    topic = await api.run(
        "OfficeAgendaTopicAdd",
        staff,
        input={
            "meetingId": meeting_id,
            "title": "划车位",
            "opinionId": opinion_id,
            "choices": ["同意", "反对"],
        },
    )
    await api.run("OfficeMeetings", staff, communityId=cid)
    agenda = (await api.run("OfficeMeetingAgenda", staff, meetingId=meeting_id))["meetingAgenda"]
    assert [t["title"] for t in agenda["topics"]] == ["划车位"]
    closed_topic = await api.run(
        "OfficeTopicClose",
        staff,
        input={"topicId": topic["agendaTopicAdd"]["topic"]["id"], "decision": "划 20 个车位"},
    )
    assert closed_topic["topicClose"]["topic"]["isOpen"] is False
    await api.run(
        "OfficeSurveyCreate",
        staff,
        input={
            "communityId": cid,
            "title": "报修满意度",
            "questions": ["维修及时吗？"],
            "opensAt": moved_clock.now().isoformat(),
            "closesAt": (moved_clock.now() + timedelta(days=7)).isoformat(),
        },
    )
    assert (await api.run("OfficeSurveys", staff, communityId=cid))["surveys"]["totalCount"] >= 1

    # --- The books: an entry, its correction; the notice board.
    entry = await api.run(
        "OfficeAccountEntryRecord",
        staff,
        input={
            "communityId": cid,
            "month": month,
            "category": "MATERIALS",
            "amount": "120.00",
            "memo": "灯泡",
        },
    )
    await api.run(
        "OfficeAccountEntryRecord",
        staff,
        input={
            "communityId": cid,
            "month": month,
            "category": "MATERIALS",
            "amount": "102.00",
            "memo": "灯泡（更正）",
            "correctsId": entry["accountEntryRecord"]["entry"]["id"],
        },
    )
    statement = (await api.run("OfficeAccountStatement", staff, communityId=cid, month=month))[
        "accountStatement"
    ]
    assert "灯泡（更正）" in [e["memo"] for e in statement["entries"]]
    publicity = (await api.run("OfficeBoardPublicity", staff, communityId=cid))["boardPublicity"]
    await api.run(
        "OfficeBoardPublicitySet",
        staff,
        input={
            "communityId": cid,
            "flag": True,
            "volunteers": True,
            "repairs": True,
            "satisfaction": not publicity["satisfaction"],
            "accounts": True,
        },
    )

    await office_fees(api, staff, cid)  # the fee pages' documents (tests/api/office/fees_walk.py)
    # --- An elder without a phone, registered by the office; found again; a phone added later.
    added = await api.run(
        "OfficeMemberAdd", staff, input={"communityId": cid, "displayName": "韩大爷", "idempotencyKey": "m-1"}
    )
    elder = added["memberAdd"]["member"]
    assert elder["phone"] is None and elder["roles"] == ["RESIDENT"]
    found = await api.run("OfficeMembersSearch", staff, communityId=cid, search="韩大爷")
    assert [m["user"]["id"] for m in found["membersSearch"]] == [elder["user"]["id"]]
    phoned = await api.run(
        "OfficeMemberPhoneSet",
        staff,
        input={
            "communityId": cid,
            "userId": elder["user"]["id"],
            "phone": "13766665555",
            "password": "hanye-2026",
        },
    )
    assert phoned["memberPhoneSet"]["member"]["phone"] == "+8613766665555"
    live = await api.run("OfficeOverviewLive", staff, communityId=cid)
    assert live["unclaimed"]["totalCount"] >= 0 and live["opinionCounts"]["open"] >= 0

    # --- The overview, then the month's close: the breakdown first, then the confirmation.
    overview = await api.run(
        "OfficeOverview", staff, communityId=cid, month=month, year=moved_clock.now().year
    )
    assert overview["overdue"]["totalCount"] >= 1 and overview["pendingPickups"]["totalCount"] == 0
    assert overview["economySummary"]["issued"] >= 50
    moved_clock.advance(days=40)
    staff = await sign_in("staff")
    standing = (await api.run("OfficeCorridorStanding", staff, communityId=cid, month=month))[
        "corridorStanding"
    ]
    assert standing["standing"]["month"] == month and standing["standing"]["entrances"]
    closed = await api.run("OfficeMonthClose", staff, input={"communityId": cid, "month": month})
    assert closed["monthClose"]["created"] is True
    again_closed = await api.run("OfficeMonthClose", staff, input={"communityId": cid, "month": month})
    assert again_closed["monthClose"]["created"] is False  # a double-click closes it once

    assert sorted(set(OFFICE) - api.sent) == [], "office documents the month never sends"
    over = {n: c for n, c in api.statements.items() if n in OFFICE and c > BUDGETS[n]}
    assert over == {}, f"office documents over their statement budget: {over}"


def _row_id(global_id: str) -> str:
    return base64.b64decode(global_id).decode().split(":", 1)[1]


async def _raise_a_flag(community_id: int, user_id: int) -> None:
    """Setup the office never does: the engine's watch raises flags; here one is written directly."""
    now = clock.now()
    await AbuseFlag.create(
        community_id=community_id,
        user_id=user_id,
        signal=AbuseSignal.PAIRING,
        detail="同一维修员三次修好同一居民的报修",
        created_at=now,
        updated_at=now,
    )
