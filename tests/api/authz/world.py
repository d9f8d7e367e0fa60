"""The world the authorization matrix runs in: two communities full of objects, and one person
per role in each.

`hongxing` ("ours") is the demo community after a whole day in the life (reports in every state,
a team with activities and attendances, redemptions, opinions, a round-table, a survey, the flag),
so every kind of object exists there. `binhe` ("theirs") gets the objects another community's
ids are needed for: a team, an opinion, a meeting, a reward, reports (a burst of them, which
raises an abuse flag). Each community gets one
person per role holding only that role; the captain leads our patrol team and the volunteer is
a member of it, so those roles mean what they mean in the app.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from tortoise import Tortoise, connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

from api.contract import operation_documents
from models.abuse import AbuseFlag
from models.district import (
    Department,
    Dispatch,
    DistrictRole,
    DistrictRoleKind,
    OutpostReward,
    StreetCommunity,
)
from models.enums import ReportCategory, Role
from models.fees import BillingPeriod, BillTiming, FeeBill, FeePayment, PaymentMethod
from models.ledger import PointTransfer
from models.open_books import AccountEntry
from models.people import Invite, Membership
from models.places import Asset, Building, Community, Compound, Entrance, Household
from models.reports import Notification, Report, ReportEvent, ReportPhoto
from models.rewards import Redemption, Reward
from models.round_table import AgendaTopic, Meeting
from models.tags import Tag
from models.teams import (
    Activity,
    ActivityLog,
    Attendance,
    Emergency,
    LogKind,
    PatrolFinding,
    Team,
    TeamJoinRequest,
    TeamMember,
)
from models.voice import Opinion, Survey
from points_engine import redemption
from runtime import clock
from runtime.clock import MovableClock
from runtime.settings import Settings, get_settings
from services.access import load_viewer
from services.fees import billing as fee_billing
from services.fees import payments as fee_payments
from services.fees import schedule as fee_schedule
from tests.api.mediation_room.authz_world import mediation_objects
from tests.api.teams.support import APPOINT, JOIN_DECIDE, JOIN_REQUEST, TEAM_CREATE
from tests.contract.test_day_in_the_life import (
    a_day_in_the_life as live_a_day,
)
from tests.support.people import Person, gid, make_person

ROLES: tuple[Role, ...] = tuple(Role)
OURS, THEIRS = "ours", "theirs"
# The objects a row's arguments name, by their GraphQL type name.
KINDS: dict[str, type[Model]] = {
    "AbuseFlag": AbuseFlag,
    "Community": Community,
    "Compound": Compound,
    "Building": Building,
    "Entrance": Entrance,
    "Household": Household,
    "Asset": Asset,
    "Report": Report,
    "Team": Team,
    "TeamJoinRequest": TeamJoinRequest,
    "Activity": Activity,
    "Attendance": Attendance,
    "Emergency": Emergency,
    "Reward": Reward,
    "Redemption": Redemption,
    "PointTransfer": PointTransfer,
    "Notification": Notification,
    "Opinion": Opinion,
    "Survey": Survey,
    "Meeting": Meeting,
    "AgendaTopic": AgendaTopic,
    "Invite": Invite,
    "Tag": Tag,
    "AccountEntry": AccountEntry,
    "Membership": Membership,
    "TeamMember": TeamMember,
    "ReportEvent": ReportEvent,
    "PatrolFinding": PatrolFinding,
    "FeeBill": FeeBill,
    "FeePayment": FeePayment,
    "Dispatch": Dispatch,
}
LOGS = {
    "PatrolLog": LogKind.PATROL,
    "TutoringLog": LogKind.TUTORING,
    "MediationLog": LogKind.MEDIATION,
    "SnowClearingLog": LogKind.SNOW_CLEARING,
    "CleaningLog": LogKind.CLEANING,
}


@dataclass
class Side:
    """One community's ids (global, by type name) and its people (by role)."""

    community: Community
    ids: dict[str, str] = field(default_factory=dict)
    people: dict[Role, Person] = field(default_factory=dict)

    def id(self, kind: str) -> str:
        return self.ids[kind]


@dataclass
class World:
    ours: Side
    theirs: Side
    tokens: dict[str, str | None]  # caller label → bearer token (None: anonymous)


async def _post(http: httpx.AsyncClient, token: str, query: str, **variables: Any) -> dict[str, Any]:
    response = await http.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {token}"},
    )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    for payload in body["data"].values():
        if isinstance(payload, dict) and payload.get("errors"):
            raise AssertionError(payload["errors"])
    return body


async def _first_ids(community_id: int) -> dict[str, str]:
    ids: dict[str, str] = {}
    for kind, model in KINDS.items():
        query = model.all() if model is Community else model.filter(community_id=community_id)
        if model is Community:
            query = query.filter(id=community_id)
        row = await query.order_by("id").first()
        if row is not None:
            ids[kind] = gid(kind, row.pk)
    for kind, log_kind in LOGS.items():
        log = await ActivityLog.filter(community_id=community_id, kind=log_kind).order_by("id").first()
        if log is not None:
            ids[kind] = gid(kind, log.pk)
    photo = await ReportPhoto.filter(report__community_id=community_id).order_by("id").first()
    if photo is not None:
        ids["ReportPhoto"] = gid("ReportPhoto", photo.pk)
    return ids


async def _district_ids(community_id: int) -> dict[str, str]:
    """The district and a department of it, for the community the day linked to a street."""
    link = await StreetCommunity.get_or_none(community_id=community_id)
    if link is None:
        return {}
    department = await Department.filter(district_id=link.district_id).order_by("id").first()
    assert department is not None, "the demo's district has departments"
    return {
        "District": gid("District", link.district_id),
        "Street": gid("Street", link.street_id),
        "Department": gid("Department", department.id),
        "OutpostReward": gid("OutpostReward", await _a_reward(link.district_id)),
    }


async def _a_reward(district_id: int) -> int:
    """A reward of last month's outpost ranking in the district's book (written here: the day's
    own month is not over, so the office could not record one yet)."""
    found = await OutpostReward.filter(district_id=district_id).order_by("id").first()
    if found is not None:
        return found.id
    courier = await DistrictRole.filter(
        district_id=district_id, role=DistrictRoleKind.OUTPOST_REPORTER
    ).first()
    assert courier is not None, "the demo's district has couriers"
    reward = await OutpostReward.create(
        district_id=district_id,
        month="2000-01",
        user_id=courier.user_id,
        rank=1,
        amount_fen=20000,
        payment_key=f"{district_id}:2000-01:{courier.user_id}",
        entered_by_id=courier.user_id,
        created_at=clock.now(),
    )
    return reward.id


async def build_world(
    http: httpx.AsyncClient, moved_clock: MovableClock, photo_dir: Path, settings: Settings
) -> World:
    await live_a_day(http, moved_clock, photo_dir, settings)
    ours = Side(await Community.get(slug="hongxing"))
    theirs = Side(await Community.get(slug="binhe"))
    for side in (ours, theirs):
        for role in ROLES:
            household = None
            if role in (Role.RESIDENT, Role.VOLUNTEER, Role.CAPTAIN):
                household = await Household.filter(community_id=side.community.id).order_by("-id").first()
            side.people[role] = await make_person(side.community, (role,), household, name=f"{role.value}")
    await _their_objects(http, theirs)
    await _our_team_roles(http, ours)
    for side in (ours, theirs):
        side.ids = await _first_ids(side.community.id)
        side.ids.update(await _district_ids(side.community.id))
        await mediation_objects(side.community.id, side.people, side.ids)
        # A member nobody in the matrix calls as, so appointing or naming them changes no caller.
        bystander = await make_person(side.community, (Role.RESIDENT,), name="旁观者")
        side.ids["User"] = gid("User", bystander.user.id)
    tokens: dict[str, str | None] = {"anonymous": None}
    for label, side in ((OURS, ours), (THEIRS, theirs)):
        for role, person in side.people.items():
            tokens[f"{label} {role.value}"] = person.token
    return World(ours, theirs, tokens)


async def _our_team_roles(http: httpx.AsyncClient, ours: Side) -> None:
    """Our captain leads the first team (the patrol) and our volunteer is a member of it."""
    team = await Team.filter(community_id=ours.community.id).order_by("id").first()
    assert team is not None
    staff = ours.people[Role.STAFF].token
    captain = ours.people[Role.CAPTAIN]
    volunteer = ours.people[Role.VOLUNTEER]
    await _post(
        http, staff, APPOINT, input={"teamId": gid("Team", team.id), "userId": gid("User", captain.user.id)}
    )
    asked = await _post(http, volunteer.token, JOIN_REQUEST, input={"teamId": gid("Team", team.id)})
    request_id = asked["data"]["teamJoinRequest"]["request"]["id"]
    await _post(http, captain.token, JOIN_DECIDE, input={"requestId": request_id, "approve": True})


async def _their_objects(http: httpx.AsyncClient, theirs: Side) -> None:
    documents = operation_documents()
    cid = gid("Community", theirs.community.id)
    staff = theirs.people[Role.STAFF].token
    resident = theirs.people[Role.RESIDENT].token
    await _post(
        http, staff, TEAM_CREATE, input={"communityId": cid, "name": "滨河巡逻队", "kind": "RIVER_PATROL"}
    )
    await _post(
        http,
        resident,
        documents["OpinionPost"],
        input={"communityId": cid, "kind": "SUGGESTION", "topic": "PARKING", "text": "滨河的停车"},
    )
    now = clock.now()
    await _post(
        http,
        staff,
        documents["MeetingCreate"],
        input={
            "communityId": cid,
            "title": "滨河圆桌会",
            "location": "活动室",
            "startsAt": now.isoformat(),
            "endsAt": (now + timedelta(hours=2)).isoformat(),
        },
    )
    await redemption.create_reward(theirs.community.id, kind="gift", name="滨河的毛巾", cost=10, stock=5)
    entrance = await Entrance.filter(community_id=theirs.community.id).order_by("id").first()
    assert entrance is not None
    # Enough reports for the burst signal to raise an abuse flag; one per category, because a
    # second active report of a category at the same place is a duplicate.
    categories = [c.name for c in ReportCategory]
    assert get_settings().abuse_burst_reports <= len(categories)
    for n, category in enumerate(categories[: get_settings().abuse_burst_reports]):
        await _post(
            http,
            resident,
            documents["ReportCreate"],
            input={
                "placeId": gid("Entrance", entrance.id),
                "category": category,
                "text": f"滨河的问题 {n + 1}",
                "idempotencyKey": f"theirs-{n + 1}",
                "photos": [],
            },
        )
    assert await AbuseFlag.filter(community_id=theirs.community.id).exists(), "the burst raised a flag"
    await their_fees(theirs)


async def their_fees(theirs: Side) -> None:
    """A fee schedule, bills and a payment of theirs, whose ids our callers try."""
    staff = await load_viewer(theirs.people[Role.STAFF].user.id)
    cid = theirs.community.id
    first_month = clock.now().date().replace(day=1)
    await fee_schedule.set_schedule(
        staff,
        cid,
        unit_price_fen=30,
        period=BillingPeriod.MONTH,
        timing=BillTiming.PERIOD_START,
        applies_from=first_month,
    )
    await fee_billing.issue(staff, cid, clock.now().date())
    bill = await FeeBill.filter(community_id=cid).order_by("id").first()
    assert bill is not None, "their households have areas"
    await fee_payments.record(
        staff, bill.household_id, bill_ids=[bill.id], amount_fen=100, method=PaymentMethod.CASH
    )


# Written by every try, allowed or not (they count tries): left out of the digest.
UNWATCHED = ("aerich", "rate_counter", "sign_in_throttle")


async def database_digest() -> str:
    """Every row of every table, hashed: equal digests mean nothing was written.

    The matrix takes two per mutation row (~380 a run), over the ~13,000 rows of the world. Reading
    them all into Python took 0.3 s a digest on SQLite and 0.9 s on PostgreSQL at load ~5, two
    thirds of the matrix's time; now the database turns each table into one string or hash, and
    on SQLite a digest is taken again only when a statement changed a row since the last one."""
    conn = connections.get("default")
    tables = sorted(
        table
        for table in (model._meta.db_table for model in Tortoise.apps["models"].values())
        if table not in UNWATCHED
    )
    if conn.capabilities.dialect == "postgres":
        return await _postgres_digest(conn, tables)
    return await _sqlite_digest(conn, tables)


async def _postgres_digest(conn: BaseDBAsyncClient, tables: list[str]) -> str:
    # Each row as PostgreSQL prints it (every column), sorted, hashed by the server per table.
    query = " UNION ALL ".join(
        f"SELECT '{table}' AS name,"
        f" md5(coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), '')) AS rows FROM \"{table}\" r"
        for table in tables
    )
    hashed = sorted((row["name"], row["rows"]) for row in await conn.execute_query_dict(query))
    return hashlib.sha256(repr(hashed).encode()).hexdigest()


# The last SQLite digest: the connection, its count of changed rows then, and the digest.
_last_sqlite: list[tuple[object, int, str]] = []


async def _sqlite_digest(conn: BaseDBAsyncClient, tables: list[str]) -> str:
    digest = hashlib.sha256()
    async with conn.acquire_connection() as raw:  # tortoise's one aiosqlite connection
        # total_changes counts every row an INSERT, UPDATE or DELETE touched on this connection
        # (the app in the test's process shares it), rolled back or not: unchanged, nothing was
        # written since the last digest. Changed, the rows say whether anything stayed written.
        changes = raw.total_changes
        if _last_sqlite and _last_sqlite[0][0] is raw and _last_sqlite[0][1] == changes:
            return _last_sqlite[0][2]
        for table in tables:
            columns = [row[1] for row in await raw.execute_fetchall(f'PRAGMA table_info("{table}")')]
            # quote() writes each value as an SQL literal, so the joined row reads back one way.
            row = "||','||".join(f'quote("{column}")' for column in columns)
            rows = await raw.execute_fetchall(
                f'SELECT group_concat(line, char(10)) FROM (SELECT {row} AS line FROM "{table}" ORDER BY 1)'
            )
            digest.update(table.encode())
            digest.update((rows[0][0] or "").encode())
        _last_sqlite[:] = [(raw, raw.total_changes, digest.hexdigest())]
    return digest.hexdigest()
