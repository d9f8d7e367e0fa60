"""A day in the life of the community, through the app's own documents only.

Every document in mobile-contract/operations/ is sent by its persisted hash (Apollo's
`extensions.persistedQuery`) over HTTP (uploads as GraphQL multipart requests) or, for the live
inbox, over a WebSocket (graphql-transport-ws) to a real uvicorn, against the demo community,
in the order the people's day brings them: a new neighbour signs up and joins, a resident scans a
tag and reports a dark corridor with a photo, a repairer claims and fixes it, the resident confirms;
a volunteer joins a team, checks in and out by the captain's rotating code, the captain approves;
points are awarded and redeemed and handed over at the counter; the cleaner inspects the stairwell
and everyone looks at the corridor flag and the boards. In the afternoon the residents have
their say: the office posts the month's books, an opinion is posted, backed, adopted and done, a
round-table takes it and the stairwell's repeated reports as topics and votes, a survey is answered,
and the notice board goes public with the month's satisfaction and repairs. Nothing may answer with
an error, and the walk must send every document: an operation nobody runs here is either dead or
untested. A week later the office closes the month, and the stairwell's entrance holds the flag.

Setup the app never does (teams, rewards, tags: the office's back-office work) goes through the
services directly.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from api.app import create_app
from api.contract import operation_documents
from api.gate import document_hash
from models.people import User
from models.places import Building, Community, Entrance, Household
from points_engine import redemption
from points_engine.localtime import local_month, zone
from runtime import clock
from runtime.clock import MovableClock
from runtime.settings import Settings
from services.demo import DEMO_PASSWORD, seed_register
from services.phones import normalize_phone
from services.photo_storage import LocalDiskStorage, use_storage
from tests.api.fees.day import property_fees
from tests.api.mediation_room.day import observers_and_mediation
from tests.api.teams.support import APPOINT, TEAM_CREATE
from tests.conftest import QueryCounter
from tests.contract import test_query_budgets as budgets
from tests.contract.district_day import district_afternoon
from tests.support.people import gid
from tests.support.photos import jpeg_with_gps
from tests.support.server import serving_in_process

TAGS_FOR_BUILDING = """
mutation($id: ID!) {
  tagsCreateForBuilding(input: {buildingId: $id}) { tags { url place { id } } errors { code } }
}
"""


def local_day_of(moment: datetime, timezone: str) -> date:
    return moment.astimezone(zone(timezone)).date()


class App:
    """The app's data layer: persisted documents by hash, one person's tokens at a time."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.hashes = {name: document_hash(text) for name, text in operation_documents().items()}
        self.sent: list[str] = []
        self.ws_base = ""

    def _body(self, name: str, variables: dict[str, Any]) -> dict[str, Any]:
        self.sent.append(name)
        return {
            "operationName": name,
            "variables": variables,
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": self.hashes[name]}},
        }

    async def run(self, name: str, token: str | None = None, **variables: Any) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        response = await self.http.post("/graphql", json=self._body(name, variables), headers=headers)
        return _checked(name, response)

    @asynccontextmanager
    async def subscribe(self, name: str, token: str, **variables: Any) -> AsyncIterator[ClientConnection]:
        """A graphql-transport-ws connection with one subscription, id "1", by its hash."""
        assert self.ws_base, "serve the app first"
        async with connect(
            self.ws_base + "/graphql", subprotocols=[Subprotocol("graphql-transport-ws")]
        ) as ws:
            await ws.send(
                json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
            )
            assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "connection_ack"
            await ws.send(
                json.dumps({"id": "1", "type": "subscribe", "payload": self._body(name, variables)})
            )
            yield ws

    async def upload(
        self, name: str, token: str, variables: dict[str, Any], photos: list[bytes]
    ) -> dict[str, Any]:
        """A GraphQL multipart request: the photos replace the nulls in `input.photos`."""
        variables["input"]["photos"] = [None] * len(photos)
        if not photos:  # nothing to upload: the app sends plain JSON
            return await self.run(name, token, **variables)
        response = await self.http.post(
            "/graphql",
            data={
                "operations": json.dumps(self._body(name, variables)),
                "map": json.dumps({str(i): [f"variables.input.photos.{i}"] for i in range(len(photos))}),
            },
            files={str(i): (f"photo{i}.jpg", data, "image/jpeg") for i, data in enumerate(photos)},
            headers={"authorization": f"Bearer {token}"},
        )
        return _checked(name, response)


async def _next(ws: ClientConnection) -> dict[str, Any]:
    message = json.loads(await asyncio.wait_for(ws.recv(), 10))
    assert message["type"] == "next" and "errors" not in message["payload"], message
    data: dict[str, Any] = without_typename(message["payload"]["data"])
    return data


def without_typename(value: Any) -> Any:
    """The answer without the `__typename` fields the persisted documents carry for Apollo's
    normalized cache (api/contract.py): the walk reads what the screens ask for."""
    if isinstance(value, dict):
        return {k: without_typename(v) for k, v in value.items() if k != "__typename"}
    if isinstance(value, list):
        return [without_typename(v) for v in value]
    return value


def _checked(name: str, response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, (name, response.status_code, response.text)
    body: dict[str, Any] = response.json()
    assert "errors" not in body, (name, body["errors"])
    data: dict[str, Any] = without_typename(body["data"])
    for field, payload in data.items():
        if isinstance(payload, dict) and "errors" in payload:
            assert payload["errors"] == [], (name, field, payload["errors"])
    return data


async def _sign_in(app: App, phone: str) -> str:
    data = await app.run("SignIn", input={"phone": phone, "password": DEMO_PASSWORD})
    token: str = data["sessionCreate"]["accessToken"]
    return token


@pytest.fixture(autouse=True)
def photo_dir(tmp_path: Path) -> Iterator[Path]:
    """The day's photos go to a folder of this test, not the working directory."""
    previous = use_storage(LocalDiskStorage(tmp_path / "photos"))
    yield tmp_path / "photos"
    use_storage(previous)


async def test_a_day_in_the_life_runs_every_operation_of_the_app_within_its_budget(
    settings: Settings, queries: QueryCounter, moved_clock: MovableClock, photo_dir: Path
) -> None:
    """The day, with each request's SQL statements charged to its operation and held to the
    operation's budget (tests/contract/test_query_budgets.py). One walk does both: the budgets
    were once measured on a second walk of the same day, which cost each pass ~10% of its CPU."""
    charged = budgets.ChargeToOperation(create_app(settings, manage_database=False), queries)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=charged), base_url="http://testserver"
    ) as http:
        await a_day_in_the_life(http, moved_clock, photo_dir, settings)
    budgets.assert_every_operation_within_its_budget(charged.most)


async def a_day_in_the_life(
    http: httpx.AsyncClient, moved_clock: MovableClock, photo_dir: Path, settings: Settings
) -> None:
    """Every operation of the app sent through `http`, in the order of the people's day; the
    authorization matrix's world and the stock clients' test start from it too."""
    logins = {login.role: login.phone for login in (await seed_register()).logins}
    app = App(http)
    community = await Community.get(slug="hongxing")
    cid = gid("Community", community.id)

    # --- Morning at the office: staff sign in, look over the register, invite a newcomer.
    staff = await _sign_in(app, logins["staff"])
    compounds = (await app.run("CommunityCompounds", staff, communityId=cid, first=5))["community"]
    compound_id = compounds["compounds"]["nodes"][0]["id"]
    buildings = await app.run("CompoundBuildings", staff, compoundId=compound_id, first=5)
    assert buildings["node"]["buildings"]["nodes"]
    building = await Building.filter(compound__community_id=community.id).order_by("id").first()
    assert building is not None
    entrance = await Entrance.filter(building_id=building.id).order_by("id").first()
    assert entrance is not None
    entrance_id = gid("Entrance", entrance.id)
    households = await app.run("EntranceHouseholds", staff, entranceId=entrance_id)
    assert households["node"]["households"]["totalCount"] > 0
    added = await app.run(
        "PlaceCreate", staff, input={"parentId": entrance_id, "name": "9-901", "areaM2": "61.5"}
    )
    new_household = added["placeCreate"]["place"]["id"]
    await app.run("PlaceRename", staff, input={"id": new_household, "name": "9-902"})
    phone = await app.run(
        "CommunityOfficePhoneSet", staff, input={"communityId": cid, "phone": "0451-8888 6666"}
    )
    assert phone["communityOfficePhoneSet"]["community"]["officePhone"] == "0451-8888 6666"
    await app.run(
        "HouseholdCareTagsSet", staff, input={"householdId": new_household, "tags": ["LIVING_ALONE"]}
    )
    invite = await app.run(
        "InviteCreate",
        staff,
        input={
            "communityId": cid,
            "roles": ["RESIDENT"],
            "householdId": new_household,
            "maxUses": 1,
            "validDays": 7,
        },
    )
    invite_code = invite["inviteCreate"]["code"]

    # --- A newcomer installs the app: registers, joins with the invite, refreshes, signs out.
    registered = await app.run(
        "Register",
        input={"phone": "139 1234 5678", "password": "a-good-long-password", "displayName": "新邻居"},
    )
    newcomer = registered["accountRegister"]["accessToken"]
    await app.run("JoinCommunity", newcomer, input={"code": invite_code})
    me = await app.run("Me", newcomer)
    assert [m["community"]["id"] for m in me["me"]["memberships"]] == [cid]
    refreshed = await app.run(
        "RefreshSession", input={"refreshToken": registered["accountRegister"]["refreshToken"]}
    )
    await app.run("SignOut", input={"refreshToken": refreshed["sessionRefresh"]["refreshToken"]})

    # --- A resident scans the corridor's tag and reports the dark stairwell with a photo.
    tags = await app_setup(http, staff, TAGS_FOR_BUILDING, id=gid("Building", building.id))
    tag_url = next(t["url"] for t in tags["tagsCreateForBuilding"]["tags"] if t["place"]["id"] == entrance_id)
    resident = await _sign_in(app, logins["resident"])
    scan = (await app.run("ScanTag", resident, code=tag_url.rsplit("/t/", 1)[1]))["scanTag"]["scan"]
    assert scan["mayReport"] and scan["place"]["id"] == entrance_id
    created = await app.upload(
        "ReportCreate",
        resident,
        {
            "input": {
                "placeId": entrance_id,
                "category": "LIGHTING",
                "text": "楼道灯不亮了",
                "idempotencyKey": "r-1",
            }
        },
        [jpeg_with_gps()],
    )
    report = created["reportCreate"]["report"]
    assert report["state"] == "OPEN" and len(report["photos"]) == 1
    neighbour = await _sign_in(app, logins["volunteer"])
    await app.run("ReportMeToo", neighbour, input={"reportId": report["id"]})
    assert (await app.run("MyReports", resident))["myReports"]["totalCount"] == 1

    # --- The repairer's queue: claim, fix with proof and materials.
    repairer = await _sign_in(app, logins["repairer"])
    queue = await app.run("ReportQueue", repairer, communityId=cid, queue="UNCLAIMED")
    assert [r["id"] for r in queue["reportQueue"]["nodes"]] == [report["id"]]
    await app.run("ReportClaim", repairer, input={"reportId": report["id"]})
    moved_clock.advance(minutes=10)
    await app.upload(
        "ReportResolve",
        repairer,
        {
            "input": {
                "reportId": report["id"],
                "note": "换了新灯泡",
                "materials": [
                    {"item": "LED bulb", "brandModel": "Opple 9W", "quantity": "1", "cost": "12.90"}
                ],
            }
        },
        [jpeg_with_gps()],
    )

    # --- The resident follows it in the inbox, reopens once, and confirms the second fix.
    inbox = await app.run("MyInbox", resident)
    assert inbox["myUnreadCount"] > 0 and inbox["myInbox"]["nodes"][0]["report"]["id"] == report["id"]
    await app.run("NotificationMarkRead", resident, input={})
    await app.run("ReportReopen", resident, input={"reportId": report["id"], "reason": "还是不亮"})
    await app.upload(
        "ReportResolve",
        repairer,
        {"input": {"reportId": report["id"], "note": "换了开关", "materials": []}},
        [jpeg_with_gps()],
    )
    confirmed = await app.run(
        "ReportConfirm", resident, input={"reportId": report["id"], "rating": 5, "comment": "谢谢师傅"}
    )
    assert confirmed["reportConfirm"]["report"]["state"] == "CONFIRMED"
    detail = (await app.run("ReportDetail", resident, id=report["id"]))["report"]
    assert detail["timeline"]["totalCount"] >= 5

    # Two more reports of the day: one the resident withdraws, one the office rejects.
    last_entrance = await Entrance.filter(building_id=building.id).order_by("-id").first()
    assert last_entrance is not None and last_entrance.id != entrance.id
    other_entrance = gid("Entrance", last_entrance.id)
    second = await app.upload(
        "ReportCreate",
        resident,
        {
            "input": {
                "placeId": entrance_id,
                "category": "LIGHTING",
                "text": "楼道灯又在闪",
                "idempotencyKey": "r-2",
            }
        },
        [],
    )
    await app.run(
        "ReportCancel",
        resident,
        input={"reportId": second["reportCreate"]["report"]["id"], "note": "又好了"},
    )
    third = await app.upload(
        "ReportCreate",
        neighbour,
        {
            "input": {
                "placeId": other_entrance,
                "category": "PARKING",
                "text": "有车堵门",
                "idempotencyKey": "r-3",
            }
        },
        [],
    )
    await app.run(
        "ReportReject",
        staff,
        input={
            "reportId": third["reportCreate"]["report"]["id"],
            "reason": "INVALID",
            "note": "不是物业问题",
        },
    )

    # --- The volunteers: a team, its captain, a join request, activities of five kinds.
    captain_user = await User.get(phone=normalize_phone(logins["captain"]))
    team = await app_setup(
        http, staff, TEAM_CREATE, input={"communityId": cid, "name": "河道巡逻队", "kind": "RIVER_PATROL"}
    )
    team_id = team["teamCreate"]["team"]["id"]
    await app_setup(http, staff, APPOINT, input={"teamId": team_id, "userId": gid("User", captain_user.id)})
    captain = await _sign_in(app, logins["captain"])
    volunteer = neighbour
    teams = await app.run("Teams", volunteer, communityId=cid)
    assert [t["id"] for t in teams["teams"]["nodes"]] == [team_id]
    await app.run("TeamJoinRequest", volunteer, input={"teamId": team_id})
    review = await app.run("TeamReview", captain, teamId=team_id)
    request_id = review["team"]["joinRequests"]["nodes"][0]["id"]
    await app.run("TeamJoinDecide", captain, input={"requestId": request_id, "approve": True})

    start = moved_clock.now()
    activities: dict[str, str] = {}
    for kind in ("RIVER_PATROL", "TUTORING", "MEDIATION", "SNOW_CLEARING", "CLEANING"):
        scheduled = await app.run(
            "ActivitySchedule",
            captain,
            input={
                "teamId": team_id,
                "title": f"{kind} 上午",
                "placeId": gid("Building", building.id),
                "startsAt": start.isoformat(),
                "endsAt": (start + timedelta(hours=2)).isoformat(),
                "idempotencyKey": f"schedule-{kind}",
                "kind": kind,
                "requiresSignup": kind == "TUTORING",
                "capacity": 20 if kind == "TUTORING" else None,
            },
        )
        activities[kind] = scheduled["activitySchedule"]["activity"]["id"]
    patrol = activities["RIVER_PATROL"]
    await app.run("ActivitySignUp", volunteer, input={"activityId": activities["TUTORING"]})
    mine = await app.run("MyActivities", volunteer, communityId=cid)
    assert set(activities.values()) <= {a["id"] for a in mine["myActivities"]["nodes"]}

    # Check in by the captain's rotating code; a second volunteer by card, a third by hand.
    code = (await app.run("ActivityCheckInCode", captain, activityId=patrol))["activityCheckInCode"]["code"]
    await app.run("AttendanceCheckIn", volunteer, input={"code": code, "activityId": patrol})
    volunteer_id = gid("User", (await User.get(phone=normalize_phone(logins["volunteer"]))).id)
    card = await app.run("VolunteerCardIssue", volunteer, input={"communityId": cid, "replace": False})
    card_code = card["volunteerCardIssue"]["code"]
    snow, cleaning = activities["SNOW_CLEARING"], activities["CLEANING"]
    await app.run("AttendanceCaptainCheckIn", captain, input={"activityId": snow, "cardCode": card_code})
    await app.run("AttendanceCaptainCheckIn", captain, input={"activityId": cleaning, "userId": volunteer_id})

    # During the activities: each kind's log.
    finding = {"placeId": entrance_id, "description": "护栏松了", "wantsRepair": True}
    logs = {
        "ActivityLogPatrol": {
            "distanceKm": "3.5",
            "durationMinutes": 90,
            "note": "沿河一圈",
            "findings": [finding],
        },
        "ActivityLogTutoring": {"pupils": 12, "subject": "数学"},
        "ActivityLogMediation": {"settled": True, "category": "NOISE"},
        "ActivityLogSnowClearing": {"areaM2": "800", "volumeM3": "120"},
        "ActivityLogCleaning": {"areaM2": "200", "bags": 6, "note": "楼道"},
    }
    for (name, values), activity_id in zip(logs.items(), activities.values(), strict=True):
        await app.run(
            name, captain, input={"activityId": activity_id, "idempotencyKey": f"log-{name}", **values}
        )
    patrol_logs = (await app.run("ActivityLogs", volunteer, activityId=patrol))["activity"]["logs"]
    assert patrol_logs["totalCount"] == 1
    [railing] = patrol_logs["nodes"][0]["findings"]  # the loose railing went to the repairers
    assert (railing["report"]["state"], railing["report"]["category"]) == ("OPEN", "OTHER")

    # Ninety minutes later: out by code, by card and by hand; the captain decides.
    moved_clock.advance(minutes=90)
    volunteer = await _sign_in(app, logins["volunteer"])
    captain = await _sign_in(app, logins["captain"])
    staff = await _sign_in(app, logins["staff"])
    resident = await _sign_in(app, logins["resident"])
    code = (await app.run("ActivityCheckInCode", captain, activityId=patrol))["activityCheckInCode"]["code"]
    await app.run("AttendanceCheckOut", volunteer, input={"code": code, "activityId": patrol})
    await app.run("AttendanceCaptainCheckOut", captain, input={"activityId": snow, "cardCode": card_code})
    await app.run(
        "AttendanceCaptainCheckOut", captain, input={"activityId": cleaning, "userId": volunteer_id}
    )
    to_review = (await app.run("TeamReview", captain, teamId=team_id))["team"]["attendancesToReview"]["nodes"]
    by_activity = {a["activity"]["id"]: a["id"] for a in to_review}
    assert set(by_activity) == {patrol, snow, cleaning}, to_review
    assert {a["user"]["id"] for a in to_review} == {volunteer_id}
    await app.run("AttendanceApprove", captain, input={"attendanceId": by_activity[patrol]})
    await app.run(
        "AttendanceAdjust",
        captain,
        input={"attendanceId": by_activity[snow], "minutes": 60, "note": "晚到半小时"},
    )
    await app.run(
        "AttendanceReject", captain, input={"attendanceId": by_activity[cleaning], "reason": "不在现场"}
    )
    hours = await app.run("MyServiceHours", volunteer, communityId=cid)
    assert hours["myServiceHours"]
    assert (await app.run("TeamHours", captain, teamId=team_id))["teamHours"]

    # --- Staff declare a snow call-out for tonight; everyone sees it on the home screen, and the
    # volunteer, whose app loaded the inbox and then opened the live inbox from its cursor, hears
    # it at once (no pause between subscribing and the call-out: the cursor closes that gap).
    cursor = (await app.run("MyInbox", volunteer))["myInboxCursor"]
    async with serving_in_process(create_app(settings, manage_database=False)) as base:
        app.ws_base = base.replace("http://", "ws://")
        async with app.subscribe("NotificationAdded", volunteer, after=cursor) as live:
            await app.run(
                "EmergencyDeclare",
                staff,
                input={
                    "communityId": cid,
                    "title": "暴雪",
                    "startsAt": moved_clock.now().isoformat(),
                    "endsAt": (moved_clock.now() + timedelta(hours=12)).isoformat(),
                    "multiplierPercent": 200,
                    "idempotencyKey": "snow-1",
                    "activityKind": "SNOW_CLEARING",
                },
            )
            heard = (await _next(live))["notificationAdded"]
    assert (heard["event"], heard["report"]) == ("emergency.declared", None)
    assert (await app.run("Emergencies", resident, communityId=cid))["emergencies"]["totalCount"] == 1
    called = (await app.run("MyInbox", volunteer, first=1, unreadOnly=True))["myInbox"]["nodes"]
    assert [(n["id"], n["event"], n["report"]) for n in called] == [(heard["id"], "emergency.declared", None)]

    # --- Points: the cleaner earns by hand and spends at the counter; the open books add up.
    cleaner_user = await User.get(phone=normalize_phone(logins["cleaner"]))
    cleaner = await _sign_in(app, logins["cleaner"])
    award = {"communityId": cid, "userId": gid("User", cleaner_user.id), "reason": "楼道保洁表扬"}
    await app.run("PointsAward", staff, input={**award, "amount": 50, "idempotencyKey": "award-1"})
    await app.run(
        "PointsDeduct", staff, input={**award, "amount": 5, "reason": "多记了", "idempotencyKey": "deduct-1"}
    )
    for name in ("毛巾", "理发券"):
        await redemption.create_reward(community.id, kind="gift", name=name, cost=10, stock=5)
    catalog = (await app.run("RewardCatalog", cleaner, communityId=cid))["rewardCatalog"]["nodes"]
    kept = await app.run(
        "RewardRedeem", cleaner, input={"rewardId": catalog[0]["id"], "idempotencyKey": "redeem-1"}
    )
    dropped = await app.run(
        "RewardRedeem", cleaner, input={"rewardId": catalog[1]["id"], "idempotencyKey": "redeem-2"}
    )
    await app.run(
        "RedemptionCancel", cleaner, input={"redemptionId": dropped["rewardRedeem"]["redemption"]["id"]}
    )
    assert (await app.run("MyRedemptions", cleaner, communityId=cid))["myRedemptions"]["totalCount"] == 2
    pickups = (await app.run("PendingPickups", staff, communityId=cid))["pendingPickups"]["nodes"]
    assert [p["id"] for p in pickups] == [kept["rewardRedeem"]["redemption"]["id"]]
    await app.run(
        "RedemptionFulfil", staff, input={"pickupCode": kept["rewardRedeem"]["redemption"]["pickupCode"]}
    )
    balance = (await app.run("MyPointsBalance", cleaner, communityId=cid))["myPoints"]["balance"]
    assert balance == 50 - 5 - 10
    assert (await app.run("MyPointsHistory", cleaner, communityId=cid))["myPoints"]["history"][
        "totalCount"
    ] >= 3
    await app.run("EconomySummary", resident, communityId=cid)

    # --- The cleaner inspects the stairwell by its tag; the office weighs the corridor flag's
    # formula; everyone looks at the flag's live standing and the boards.
    month = local_month(moved_clock.now(), community.timezone)
    tag_code = tag_url.rsplit("/t/", 1)[1]
    await corridor_flag_and_boards(app, staff, cleaner, resident, captain, cid, team_id, tag_code, month)
    flag = (await app.run("EntranceFlagScan", code=tag_code))["scanTag"]["scan"]["corridorFlag"]
    assert (flag["holdsFlag"], flag["month"], flag["eligible"]) == (False, month, True), flag  # anyone

    # --- Afternoon: the residents' voice. Staff post the month's books, which add the repair's bulb.
    await open_books(app, staff, resident, cid, month)

    # A resident posts a suggestion, a neighbour backs it; the office adopts it and carries it out.
    suggestion = await voice_of_the_residents(app, staff, resident, volunteer, cid)

    # The stairwell light goes out a third time this month; the office is offered it as a
    # round-table topic. The round-table meets, checks in by the rotating code, votes, and decides.
    await app.upload(
        "ReportCreate",
        volunteer,
        {
            "input": {
                "placeId": entrance_id,
                "category": "LIGHTING",
                "text": "楼道灯又不亮了",
                "idempotencyKey": "r-4",
            }
        },
        [],
    )
    staff_id = gid("User", (await User.get(phone=normalize_phone(logins["staff"]))).id)
    await round_table(app, staff, (resident, volunteer), cid, suggestion, entrance_id, staff_id)

    # A survey of the patrol team; with the stairwell repair's 5 stars, the month's satisfaction.
    await satisfaction(app, staff, (resident, volunteer), cid, team_id, month)

    # The office puts the notice board up for anyone; the month's repairs done.
    publicity = {"flag": True, "volunteers": True, "repairs": True, "satisfaction": True, "accounts": False}
    chosen = await app.run("BoardPublicitySet", staff, input={"communityId": cid, **publicity})
    assert chosen["boardPublicitySet"]["publicity"]["url"] == "/board/hongxing"
    shown = (await app.run("BoardPublicity", resident, communityId=cid))["boardPublicity"]
    assert shown == {**publicity, "url": "/board/hongxing"}
    repairs = (await app.run("RepairsDone", resident, communityId=cid, month=month))["repairsDone"]
    assert (repairs["month"], repairs["done"], repairs["onTime"]) == (month, 1, 1), repairs

    # --- A week later, on December 1st, the office closes November: the flag goes to the only
    # entrance inspected, the stairwell's, and into its history.
    moved_clock.advance(days=8)
    assert local_month(moved_clock.now(), community.timezone) > month
    staff = await _sign_in(app, logins["staff"])
    resident = await _sign_in(app, logins["resident"])
    closed = (await app.run("MonthClose", staff, input={"communityId": cid}))["monthClose"]
    assert closed["created"] and closed["award"]["entranceName"] == entrance.name, closed  # inspected
    history = (await app.run("CorridorFlagHistory", resident, communityId=cid))["corridorFlagHistory"]
    assert [(f["month"], f["entranceName"]) for f in history["nodes"]] == [(month, entrance.name)]
    flag = (await app.run("EntranceFlagScan", code=tag_code))["scanTag"]["scan"]["corridorFlag"]
    assert flag["holdsFlag"] is True  # the stairwell's door shows it

    assert len(list((photo_dir / "reports").rglob("*.jpg"))) == 3  # the report's photo, two repairs' proof
    assert len(list((photo_dir / "inspections").rglob("*.jpg"))) == 1  # the stairwell's inspection
    # --- The same resident and repairer pair up twice more within the month: the third fix is
    # held and flagged; the office finds the neighbours honest and dismisses it, which pays it.
    await economy_review(app, staff, resident, await _sign_in(app, logins["repairer"]), cid, entrance_id)
    # --- The office's fee day: schedule, bills, a payment, its reversal, a receipt, the rate.
    await property_fees(app, staff, resident, cid, moved_clock.now().date())
    # --- Beyond the community: the demo's district, its streets and departments, the outpost.
    await district_afternoon(
        app, lambda phone: _sign_in(app, phone), staff, resident, entrance_id, moved_clock
    )
    # --- The home observer walks the compound; the mediation room settles a leak between neighbours.
    helpers = {}
    for label in ("cleaner", "volunteer"):
        helper = await User.get(phone=normalize_phone(logins[label]))
        helpers[label] = (await _sign_in(app, logins[label]), gid("User", helper.id))
    households = [
        gid("Household", h.id)
        for h in await Household.filter(community_id=community.id).order_by("id").limit(2)
    ]
    await observers_and_mediation(
        app,
        staff,
        helpers["cleaner"],
        helpers["volunteer"],
        resident,
        cid,
        compound_id,
        households,
        local_day_of(moved_clock.now(), community.timezone),
    )
    never_sent = sorted(set(app.hashes) - set(app.sent))
    assert never_sent == [], (
        f"operations the walk never sends (add them to the day, or delete them): {never_sent}"
    )


async def economy_review(app: App, staff: str, resident: str, repairer: str, cid: str, place_id: str) -> None:
    for i, category in enumerate(("PLUMBING", "ELECTRICAL")):
        created = await app.upload(
            "ReportCreate",
            resident,
            {
                "input": {
                    "placeId": place_id,
                    "category": category,
                    "text": "又坏了",
                    "idempotencyKey": f"p-{i}",
                }
            },
            [],
        )
        report_id = created["reportCreate"]["report"]["id"]
        await app.run("ReportClaim", repairer, input={"reportId": report_id})
        await app.upload(
            "ReportResolve", repairer, {"input": {"reportId": report_id, "note": "修好了"}}, [jpeg_with_gps()]
        )
        await app.run("ReportConfirm", resident, input={"reportId": report_id, "rating": 5})
    flags = (await app.run("AbuseFlags", staff, communityId=cid, first=10))["abuseFlags"]
    [flag] = flags["nodes"]
    assert flag["signal"] == "PAIRING" and [e["held"] for e in flag["evidence"]] == [False, False, True]
    decided = await app.run(
        "AbuseFlagDecide", staff, input={"flagId": flag["id"], "decision": "DISMISS", "note": "邻里互助"}
    )
    assert decided["abuseFlagDecide"]["flag"]["evidence"][2]["released"] is True


async def corridor_flag_and_boards(
    app: App,
    staff: str,
    cleaner: str,
    resident: str,
    captain: str,
    cid: str,
    team_id: str,
    tag_code: str,
    month: str,
) -> None:
    """An inspection with a photo that the office then reviews, the flag's weights and live
    standing; the member, team and entrance boards."""
    inspected = await app.upload(
        "InspectionRecord",
        cleaner,
        {"input": {"code": tag_code, "score": 4, "notes": "楼梯扫过了"}},
        [jpeg_with_gps()],
    )
    assert inspected["inspectionRecord"]["inspection"]["score"] == 4
    assert len(inspected["inspectionRecord"]["inspection"]["photos"]) == 1
    reviewed = (await app.run("Inspections", staff, communityId=cid, month=month))["inspections"]
    assert reviewed["totalCount"] == 1 and reviewed["nodes"][0]["notes"] == "楼梯扫过了"
    [photo] = reviewed["nodes"][0]["photos"]
    served = await app.http.get("/photos/" + photo["url"].split("/photos/", 1)[1])
    assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
    weights = {"inspection": 50, "volunteering": 25, "reports": 25, "minInspections": 1}
    chosen = await app.run("CorridorWeightsSet", staff, input={"communityId": cid, **weights})
    assert chosen["corridorWeightsSet"]["weights"] == weights
    standing = (await app.run("CorridorStanding", resident, communityId=cid))["corridorStanding"]["standing"]
    assert standing["month"] == month and standing["provisional"] is True
    inspected_entrances = [e for e in standing["entrances"] if e["inspections"]]
    assert [(e["inspections"], e["averageInspection"]) for e in inspected_entrances] == [(1, 4.0)]

    await app.run("BoardPrivacySet", cleaner, input={"communityId": cid, "byInitials": True})
    board = (await app.run("Leaderboard", cleaner, communityId=cid, month=month))["leaderboard"]["board"]
    assert board["me"]["isMe"] and board["me"]["points"] == board["myPoints"] > 0
    assert board["me"]["name"].endswith(".")  # by initials, as just chosen
    assert board["me"] in board["entries"]["nodes"]
    team = await app.run("TeamLeaderboard", captain, communityId=cid, teamId=team_id, month=month)
    members = team["leaderboard"]["board"]["entries"]["nodes"]
    assert [m["rank"] for m in members] == [1] and members[0]["points"] > 0  # the volunteer's hours
    [team_entry] = team["groupBoard"]["entries"]
    assert (team_entry["id"], team_entry["households"]) == (team_id, 2)  # the captain and the volunteer
    assert team_entry["perHousehold"] == round(team_entry["points"] / 2, 2)
    entrances = (await app.run("EntranceBoard", resident, communityId=cid, month=month))["groupBoard"]
    assert entrances["entries"], entrances


async def open_books(app: App, staff: str, resident: str, cid: str, month: str) -> None:
    """Staff record the month's fees and a purchase; members read the statement."""
    record = {"communityId": cid, "month": month}
    await app.run(
        "AccountEntryRecord",
        staff,
        input={**record, "category": "FEES", "amount": "6000.00", "memo": "物业费"},
    )
    await app.run(
        "AccountEntryRecord",
        staff,
        input={**record, "category": "MATERIALS", "amount": "87.10", "brandModel": "公牛 GN-B3"},
    )
    books = (await app.run("AccountStatement", resident, communityId=cid, month=month))["accountStatement"]
    assert Decimal(books["income"]) == Decimal("6000")
    assert Decimal(books["repairMaterialsTotal"]) == Decimal("12.90")  # the stairwell's LED bulb
    assert Decimal(books["spending"]) == Decimal("87.10") + Decimal("12.90")
    assert [m["item"] for m in books["repairMaterials"]] == ["LED bulb"]


async def voice_of_the_residents(app: App, staff: str, author: str, neighbour: str, cid: str) -> str:
    """An opinion posted, supported, adopted and done; a complaint answered. The adopted one's id."""
    before = (await app.run("OpinionCounts", author, communityId=cid))["opinionCounts"]
    posted = await app.run(
        "OpinionPost",
        author,
        input={"communityId": cid, "kind": "SUGGESTION", "topic": "PARKING", "text": "划定电动车停放区"},
    )
    opinion = posted["opinionPost"]["opinion"]
    assert opinion["status"] == "OPEN" and opinion["isMine"]
    supported = await app.run("OpinionSupport", neighbour, input={"opinionId": opinion["id"]})
    assert supported["opinionSupport"]["opinion"]["supportCount"] == 1
    complaint = await app.run(
        "OpinionPost",
        neighbour,
        input={"communityId": cid, "kind": "COMPLAINT", "topic": "NOISE", "text": "广场舞太吵"},
    )
    await app.run(
        "OpinionAnswer",
        staff,
        input={
            "opinionId": complaint["opinionPost"]["opinion"]["id"],
            "outcome": "ANSWERED",
            "answer": "已与舞队约定晚8点半结束",
        },
    )
    adopted = await app.run(
        "OpinionAnswer",
        staff,
        input={"opinionId": opinion["id"], "outcome": "ADOPTED", "action": "在北门划停放区，月底前完成"},
    )
    assert adopted["opinionAnswer"]["opinion"]["status"] == "ADOPTED"
    done = await app.run("OpinionDone", staff, input={"opinionId": opinion["id"]})
    assert done["opinionDone"]["opinion"]["status"] == "DONE"
    after = (await app.run("OpinionCounts", author, communityId=cid))["opinionCounts"]
    assert after["collected"] == before["collected"] + 2
    assert after["done"] == before["done"] + 1 and after["answered"] == before["answered"] + 1
    listed = (await app.run("Opinions", neighbour, communityId=cid, status="DONE", first=10))["opinions"]
    assert [(o["id"], o["supportedByMe"]) for o in listed["nodes"]] == [(opinion["id"], True)]
    opinion_id: str = opinion["id"]
    return opinion_id


async def round_table(
    app: App,
    staff: str,
    members: tuple[str, str],
    cid: str,
    opinion_id: str,
    entrance_id: str,
    staff_id: str,
) -> None:
    """A meeting with a topic from the opinion and one from the suggested report cluster."""
    suggested = (await app.run("RoundTableSuggestions", staff, communityId=cid))["roundTableSuggestions"]
    assert {"place": entrance_id, "category": "LIGHTING", "reports": 3} in suggested, suggested
    now = clock.now()
    meeting = await app.run(
        "MeetingCreate",
        staff,
        input={
            "communityId": cid,
            "title": "圆桌会",
            "location": "活动室",
            "startsAt": now.isoformat(),
            "endsAt": (now + timedelta(hours=2)).isoformat(),
        },
    )
    meeting_id = meeting["meetingCreate"]["meeting"]["id"]
    listed = (await app.run("Meetings", members[0], communityId=cid, first=5))["meetings"]
    assert [m["id"] for m in listed["nodes"]] == [meeting_id]
    parking = await app.run(
        "AgendaTopicAdd",
        staff,
        input={
            "meetingId": meeting_id,
            "title": "电动车停放",
            "opinionId": opinion_id,
            "choices": ["北门", "南门"],
        },
    )
    lights = await app.run(
        "AgendaTopicAdd",
        staff,
        input={
            "meetingId": meeting_id,
            "title": "楼道灯总坏",
            "reportPlaceId": entrance_id,
            "reportCategory": "LIGHTING",
        },
    )
    parking_id = parking["agendaTopicAdd"]["topic"]["id"]
    lights_id = lights["agendaTopicAdd"]["topic"]["id"]
    assert parking["agendaTopicAdd"]["topic"]["source"] == "OPINION"
    assert lights["agendaTopicAdd"]["topic"]["source"] == "REPORTS"

    code = (await app.run("MeetingCheckInCode", staff, meetingId=meeting_id))["meetingCheckInCode"]["code"]
    for member in members:
        await app.run("MeetingCheckIn", member, input={"meetingId": meeting_id, "code": code})
        voted = await app.run("TopicVote", member, input={"topicId": parking_id, "choice": "北门"})
        assert voted["topicVote"]["topic"]["myVote"] == "北门"
        await app.run("TopicVote", member, input={"topicId": lights_id, "choice": "yes"})
    closed = await app.run(
        "TopicClose",
        staff,
        input={
            "topicId": parking_id,
            "decision": "在北门划停放区",
            "followUpById": staff_id,
            "followUp": "月底前",
        },
    )
    assert closed["topicClose"]["topic"]["isOpen"] is False
    agenda = (await app.run("MeetingAgenda", members[1], meetingId=meeting_id))["meetingAgenda"]
    assert agenda["attendanceCount"] == 2
    assert [t["isOpen"] for t in agenda["topics"]] == [False, True]
    assert agenda["topics"][0]["results"] == [{"choice": "北门", "votes": 2}, {"choice": "南门", "votes": 0}]
    assert agenda["topics"][0]["decision"] == "在北门划停放区"


async def satisfaction(
    app: App, staff: str, members: tuple[str, str], cid: str, team_id: str, month: str
) -> None:
    """A survey about a team answered by two members; satisfaction by month and by team."""
    now = clock.now()
    survey = await app.run(
        "SurveyCreate",
        staff,
        input={
            "communityId": cid,
            "title": "巡逻队满意度",
            "questions": ["巡逻及时吗？", "态度好吗？"],
            "opensAt": now.isoformat(),
            "closesAt": (now + timedelta(days=7)).isoformat(),
            "teamId": team_id,
        },
    )
    survey_id = survey["surveyCreate"]["survey"]["id"]
    for member, scores in zip(members, ([5, 4], [3, 2]), strict=True):
        answered = await app.run("SurveyAnswer", member, input={"surveyId": survey_id, "scores": scores})
        assert answered["surveyAnswer"]["answered"] is True
    surveys = (await app.run("Surveys", members[0], communityId=cid, first=5))["surveys"]
    assert [(s["id"], s["answeredByMe"]) for s in surveys["nodes"]] == [(survey_id, True)]
    year = int(month[:4])
    months = (await app.run("SatisfactionByMonth", members[0], communityId=cid, year=year))[
        "satisfactionByMonth"
    ]
    this = next(m for m in months if m["month"] == month)
    assert this["repairs"]["count"] == 1 and this["repairs"]["average"] == 5.0  # the stairwell repair
    assert this["surveys"]["count"] == 4 and this["overall"]["count"] == 5
    teams = (await app.run("SatisfactionByTeam", members[0], communityId=cid, year=year))[
        "satisfactionByTeam"
    ]
    assert [(t["team"], t["month"], t["tally"]["count"]) for t in teams] == [(team_id, month, 4)]


async def app_setup(http: httpx.AsyncClient, token: str, query: str, **variables: Any) -> dict[str, Any]:
    """Back-office work the app does not do, sent as a plain (development-mode) document."""
    response = await http.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {token}"},
    )
    return _checked("setup", response)
