"""Where one persisted operation spends its time, in process, through the real ASGI app. Not a test.

    python -m bench.profile_operation                     # every scenario, SQLite in a temp file
    python -m bench.profile_operation ScanTag Leaderboard  # some scenarios
    RS_PROFILE_ROUNDS=500 python -m bench.profile_operation --profile ScanTag
    python -m bench.profile_operation --database postgres://postgres@127.0.0.1:5432/test

Seeds the demo community through the services and the app's own documents, then sends each
scenario's persisted operation (by hash, with a real member's token) RS_PROFILE_ROUNDS times
(default 300) through httpx's ASGITransport, and — as the baseline in the same run — a minimal
strawberry app answering `{ hello }` with the same request path (Starlette + JSON). Prints the mean
CPU time per request (of this process, all threads; timed in blocks alternating with the
baseline's) and its ratio to the baseline's. With `--profile` each scenario runs again under
cProfile (stdlib, so nothing to pin) and prints the top frames by own time and the share of own
time per layer (graphql-core validation, execution, strawberry, tortoise, the database driver,
starlette/httpx, our code). The profile counts CPU time too (waiting on the database's socket is
not work of this process); cProfile slows Python-heavy code more than the rest, so read its shares
as "where", not as "how much"; the timing loop runs without it.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import logging
import os
import pstats
import random
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("RS_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnop")
os.environ.setdefault("RS_ARGON2_FAST", "1")

import httpx

ROUNDS = int(os.environ.get("RS_PROFILE_ROUNDS", "300"))
WARMUP = 20

TAGS_FOR_BUILDING = """
mutation($id: ID!) {
  tagsCreateForBuilding(input: {buildingId: $id}) { tags { url place { id } } }
}"""
TEAM_CREATE = """
mutation($input: TeamCreateInput!) { teamCreate(input: $input) { team { id } errors { code } } }"""
APPOINT = """
mutation($input: TeamCaptainAppointInput!) { teamCaptainAppoint(input: $input) { errors { code } } }"""

CATEGORIES = (
    "LIGHTING",
    "PLUMBING",
    "ELECTRICAL",
    "ILLEGAL_CONSTRUCTION",
    "SNOW_ICE",
    "SANITATION",
    "PARKING",
    "PUBLIC_FACILITY",
    "SAFETY_HAZARD",
)

# Where the own time of a frame is counted, by the file it is in (first match wins).
LAYERS = (
    ("graphql-core validation", ("graphql/validation",)),
    ("graphql-core parse", ("graphql/language",)),
    ("graphql-core execution", ("graphql/execution", "graphql/pyutils", "graphql/type", "graphql/utilities")),
    ("strawberry", ("strawberry/",)),
    ("tortoise/pypika", ("tortoise/", "pypika")),
    ("database driver", ("aiosqlite", "sqlite3", "asyncpg")),
    ("starlette/httpx/anyio", ("starlette/", "httpx/", "httpcore/", "anyio/", "h11/")),
    ("json", ("json/",)),
    ("logging", ("logging/",)),
    ("asyncio", ("asyncio/",)),
    ("our code", ("/api/", "/services/", "/points_engine/", "/models/", "/runtime/")),
)


@dataclass
class Scenario:
    name: str
    operation: str
    token: str
    variables: Callable[[int], dict[str, Any]]
    # Runs before each timed loop (the captain's check-in code rotates every 30 s).
    before: Callable[[], Awaitable[None]] | None = None


class Client:
    def __init__(self, http: httpx.AsyncClient) -> None:
        from api.contract import operation_documents
        from api.gate import document_hash

        self.http = http
        self.hashes = {name: document_hash(text) for name, text in operation_documents().items()}

    async def persisted(self, name: str, token: str | None, variables: dict[str, Any]) -> dict[str, Any]:
        body = {
            "operationName": name,
            "variables": variables,
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": self.hashes[name]}},
        }
        return _checked(name, await self.http.post("/graphql", json=body, headers=_auth(token)))

    async def plain(self, query: str, token: str | None, variables: dict[str, Any]) -> dict[str, Any]:
        body = {"query": query, "variables": variables}
        return _checked("setup", await self.http.post("/graphql", json=body, headers=_auth(token)))


def _auth(token: str | None) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"} if token else {}


def _checked(name: str, response: httpx.Response) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise SystemExit(f"{name}: {response.status_code} {body}")
    for value in (body.get("data") or {}).values():
        if isinstance(value, dict) and value.get("errors"):
            raise SystemExit(f"{name}: {value['errors']}")
    return body


async def _sign_in(client: Client, phone: str) -> str:
    from services.demo import DEMO_PASSWORD

    data = await client.persisted("SignIn", None, {"input": {"phone": phone, "password": DEMO_PASSWORD}})
    token: str = data["data"]["sessionCreate"]["accessToken"]
    return token


async def build_scenarios(client: Client) -> list[Scenario]:
    """The demo community plus what each scenario needs: tags, a team's activity, a reward with
    stock for every round, points to spend and a history to page."""
    from models.places import Building, Community, Entrance
    from points_engine import redemption
    from runtime import clock
    from services.demo import seed_register
    from tests.support.people import gid

    logins = {login.role: login.phone for login in (await seed_register()).logins}
    community = await Community.get(slug="hongxing")
    cid = gid("Community", community.id)
    staff = await _sign_in(client, logins["staff"])
    resident = await _sign_in(client, logins["resident"])
    cleaner = await _sign_in(client, logins["cleaner"])
    captain = await _sign_in(client, logins["captain"])
    volunteer = await _sign_in(client, logins["volunteer"])
    building = await Building.filter(community_id=community.id).order_by("id").first()
    assert building is not None
    tags = await client.plain(TAGS_FOR_BUILDING, staff, {"id": gid("Building", building.id)})
    code = tags["data"]["tagsCreateForBuilding"]["tags"][0]["url"].rsplit("/t/", 1)[1]

    from models.people import User
    from services.phones import normalize_phone

    people = {role: await User.get(phone=normalize_phone(phone)) for role, phone in logins.items()}
    for i in range(25):  # a history longer than one page, and points to spend
        for role in ("resident", "cleaner"):
            award = {
                "communityId": cid,
                "userId": gid("User", people[role].id),
                "amount": 1000,
                "reason": "profile",
                "idempotencyKey": f"profile-{role}-{i}",
            }
            await client.persisted("PointsAward", staff, {"input": award})
    await redemption.create_reward(community.id, kind="gift", name="毛巾", cost=1, stock=10**6)
    catalog = await client.persisted("RewardCatalog", cleaner, {"communityId": cid})
    reward_id = catalog["data"]["rewardCatalog"]["nodes"][0]["id"]

    team = await client.plain(
        TEAM_CREATE, staff, {"input": {"communityId": cid, "name": "巡逻队", "kind": "RIVER_PATROL"}}
    )
    team_id = team["data"]["teamCreate"]["team"]["id"]
    await client.plain(
        APPOINT, staff, {"input": {"teamId": team_id, "userId": gid("User", people["captain"].id)}}
    )
    await client.persisted("TeamJoinRequest", volunteer, {"input": {"teamId": team_id}})
    review = await client.persisted("TeamReview", captain, {"teamId": team_id})
    request_id = review["data"]["team"]["joinRequests"]["nodes"][0]["id"]
    await client.persisted("TeamJoinDecide", captain, {"input": {"requestId": request_id, "approve": True}})
    start = clock.now()
    scheduled = await client.persisted(
        "ActivitySchedule",
        captain,
        {
            "input": {
                "teamId": team_id,
                "title": "巡逻",
                "placeId": gid("Building", building.id),
                "startsAt": start.isoformat(),
                "endsAt": (start + timedelta(hours=2)).isoformat(),
                "idempotencyKey": "profile-activity",
                "kind": "RIVER_PATROL",
            }
        },
    )
    activity = scheduled["data"]["activitySchedule"]["activity"]["id"]
    checkin: dict[str, str] = {}

    async def fresh_code() -> None:
        shown = await client.persisted("ActivityCheckInCode", captain, {"activityId": activity})
        checkin["code"] = shown["data"]["activityCheckInCode"]["code"]

    # A report is refused as a duplicate of an open one at the same place and category: every
    # report goes to a (place, category) pair not used before.
    entrances = await Entrance.filter(community_id=community.id).values_list("id", flat=True)
    buildings = await Building.filter(community_id=community.id).values_list("id", flat=True)
    places = [(gid("Entrance", e), c) for e in entrances for c in CATEGORIES]
    places += [(gid("Building", b), c) for b in buildings for c in CATEGORIES]
    random.Random(7).shuffle(places)
    unused = iter(places)

    return [
        Scenario("Me (minimal app query)", "Me", resident, lambda i: {}),
        Scenario("scan a tag", "ScanTag", resident, lambda i: {"code": code}),
        Scenario("board + my rank", "Leaderboard", resident, lambda i: {"communityId": cid, "first": 20}),
        Scenario("my balance", "MyPointsBalance", resident, lambda i: {"communityId": cid}),
        Scenario(
            "last 20 transfers", "MyPointsHistory", resident, lambda i: {"communityId": cid, "first": 20}
        ),
        Scenario(
            "report a problem",
            "ReportCreate",
            resident,
            lambda i: {
                "input": {
                    **dict(zip(("placeId", "category"), next(unused), strict=True)),
                    "text": "楼道灯不亮了",
                    "idempotencyKey": f"profile-report-{i}-{time.monotonic_ns()}",
                }
            },
        ),
        # The volunteer checks in once; repeats answer the same attendance (idempotent path).
        Scenario(
            "check in",
            "AttendanceCheckIn",
            volunteer,
            lambda i: {"input": {"code": checkin["code"], "activityId": activity}},
            before=fresh_code,
        ),
        Scenario(
            "redeem a gift",
            "RewardRedeem",
            cleaner,
            lambda i: {
                "input": {"rewardId": reward_id, "idempotencyKey": f"profile-redeem-{time.monotonic_ns()}"}
            },
        ),
    ]


async def _time(
    send: Callable[[int], Awaitable[object]],
    rounds: int,
    offset: int,
    before: Callable[[], Awaitable[None]] | None = None,
) -> float:
    if before is not None:
        await before()
    for i in range(WARMUP):
        await send(offset + i)
    started = time.perf_counter()
    for i in range(rounds):
        await send(offset + WARMUP + i)
    return (time.perf_counter() - started) / rounds


async def _interleaved(
    senders: list[Callable[[int], Awaitable[object]]],
    rounds: int,
    offset: int,
    before: Callable[[], Awaitable[None]] | None = None,
    block: int = 25,
) -> list[float]:
    """Mean CPU seconds of this process (all its threads, SQLite's included) per request of
    each sender, timed in alternating blocks so the machine's drift falls on all of them alike.
    CPU time, not wall time: on a machine shared with other work, wall time mostly measures
    the others; one worker's req/s at saturation is bounded by its CPU per request."""
    totals = [0.0] * len(senders)
    if before is not None:
        await before()
    for k, send in enumerate(senders):
        for i in range(WARMUP):
            await send(offset + k * rounds * 2 + i)
    done = 0
    while done < rounds:
        size = min(block, rounds - done)
        if before is not None:
            await before()
        for k, send in enumerate(senders):
            started = time.process_time()
            for i in range(size):
                await send(offset + k * rounds * 2 + WARMUP + done + i)
            totals[k] += time.process_time() - started
        done += size
    return [total / rounds for total in totals]


async def _print_statements(send: Callable[[int], Awaitable[object]], i: int) -> None:
    """The SQL of one request, through tortoise's own logger (as tests/conftest.py counts it)."""
    statements: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            statements.append(record.getMessage())

    sql_log = logging.getLogger("tortoise.db_client")
    handler, level = Collect(logging.DEBUG), sql_log.level
    sql_log.addHandler(handler)
    sql_log.setLevel(logging.DEBUG)
    try:
        await send(i)
    finally:
        sql_log.removeHandler(handler)
        sql_log.setLevel(level)
    print(f"    {len(statements)} statements:")
    for statement in statements:
        print("      " + statement.split(": [", 1)[0][:160])


def _layer_of(filename: str) -> str:
    for layer, needles in LAYERS:
        if any(needle in filename for needle in needles):
            return layer
    return "other"


def _print_profile(profiler: cProfile.Profile, top: int) -> None:
    stats = pstats.Stats(profiler)
    raw: dict[tuple[str, int, str], tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values()) or 1.0
    by_layer: dict[str, float] = defaultdict(float)
    for (filename, _line, _name), entry in raw.items():
        by_layer[_layer_of(filename)] += entry[2]
    print(
        "    own time by layer:",
        ", ".join(f"{k} {v / total:.0%}" for k, v in sorted(by_layer.items(), key=lambda kv: -kv[1])),
    )
    print(f"    top {top} frames by own time:")
    ranked = sorted(raw.items(), key=lambda kv: -kv[1][2])[:top]
    for (filename, line, name), entry in ranked:
        short = "/".join(Path(filename).parts[-2:])
        print(f"      {entry[2] / total:5.1%}  {short}:{line} {name}")
    # Where our own functions spend, their callees included: which service step, which statement
    # helper, how much of the request the database round trips take.
    ours = [kv for kv in raw.items() if _layer_of(kv[0][0]) == "our code" and "/.venv/" not in kv[0][0]]
    print(f"    top {top} of our functions by time with callees:")
    for (filename, line, name), entry in sorted(ours, key=lambda kv: -kv[1][3])[:top]:
        short = "/".join(Path(filename).parts[-2:])
        print(f"      {entry[3] / total:5.1%}  {short}:{line} {name} ({entry[1]} calls)")


def _hello_app() -> Any:
    import strawberry
    from starlette.applications import Starlette
    from starlette.routing import Route
    from strawberry.asgi import GraphQL

    @strawberry.type
    class Query:
        @strawberry.field
        def hello(self) -> str:
            return "world"

    return Starlette(routes=[Route("/graphql", GraphQL(strawberry.Schema(query=Query)), methods=["POST"])])


async def main(args: argparse.Namespace) -> None:
    from api.app import create_app
    from api.contract import operation_documents
    from runtime.database import close_database, open_database
    from runtime.migrations import upgrade
    from runtime.settings import load_settings, use_settings

    scratch = None
    if args.database and args.database.startswith("postgres"):
        from bench.scratch import drop_pg, scratch_pg

        scratch = url = await scratch_pg(args.database)
    else:
        url = f"sqlite://{Path(tempfile.mkdtemp(prefix='rs-profile-')) / 'profile.sqlite3'}"
    env = {**os.environ, "RS_DATABASE_URL": url, "RS_CLOCK_TICK_SECONDS": "0"}
    env.setdefault(
        "RS_RATE_LIMITS", "report.ip=1000000/3600,redeem.account=1000000/3600,redeem.ip=1000000/3600"
    )
    env.setdefault("RS_REPORTS_PER_HOUR", "1000000")
    # One resident files every report: past the tenth each would take the burst path (a flag
    # raised and its evidence attached, six statements more). Measure an ordinary report unless
    # asked otherwise (RS_ABUSE_BURST_REPORTS=10 measures the burst path).
    env.setdefault("RS_ABUSE_BURST_REPORTS", "1000000")
    settings = load_settings(env=env)
    use_settings(settings)
    await upgrade(url)
    await open_database(url)
    try:
        transport = httpx.ASGITransport(app=create_app(settings, manage_database=False))
        hello = httpx.ASGITransport(app=_hello_app())
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://bench") as http,
            httpx.AsyncClient(transport=hello, base_url="http://bench") as hello_http,
        ):
            client = Client(http)
            scenarios = [
                s for s in await build_scenarios(client) if not args.only or s.operation in args.only
            ]

            async def send_hello(_i: int) -> object:
                return _checked("hello", await hello_http.post("/graphql", json={"query": "{ hello }"}))

            print(f"database: {url.split(':', 1)[0]}; {ROUNDS} sequential requests each, in process")
            print("CPU ms per request; ratios are req/s over the { hello } baseline's (alternating blocks)")
            header = f"{'scenario':24} {'hello ms':>9} {'ms':>7} {'vs hello':>9}"
            print(header + (f" {'as text ms':>11} {'vs hello':>9} {'fast/text':>10}" if args.text else ""))
            offset = 0
            for scenario in scenarios:
                document = operation_documents()[scenario.operation]

                async def send(i: int, s: Scenario = scenario) -> object:
                    return await client.persisted(s.operation, s.token, s.variables(i))

                async def send_text(i: int, s: Scenario = scenario, d: str = document) -> object:
                    return await client.plain(d, s.token, s.variables(i))

                senders = [send_hello, send] + ([send_text] if args.text else [])
                means = await _interleaved(senders, ROUNDS, offset, scenario.before)
                offset += 2 * (ROUNDS + WARMUP)
                hello_mean, mean = means[0], means[1]
                line = (
                    f"{scenario.name:24} {hello_mean * 1000:9.2f} {mean * 1000:7.2f} {hello_mean / mean:9.2f}"
                )
                if args.text:
                    line += f" {means[2] * 1000:11.2f} {hello_mean / means[2]:9.2f} {means[2] / mean:10.2f}"
                print(line)
                if args.sql:
                    await _print_statements(send, offset + ROUNDS * 10)
                if args.profile:
                    profiler = cProfile.Profile(time.process_time)
                    profiler.enable()
                    await _time(send, ROUNDS, offset, scenario.before)
                    profiler.disable()
                    offset += ROUNDS + WARMUP
                    _print_profile(profiler, args.top)
            if args.profile:
                print("{ hello } baseline profile:")
                profiler = cProfile.Profile(time.process_time)
                profiler.enable()
                await _time(send_hello, ROUNDS, 0)
                profiler.disable()
                _print_profile(profiler, args.top)
    finally:
        await close_database()
        if scratch:
            await drop_pg(args.database, scratch)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("only", nargs="*", help="operation names (default: every scenario)")
    parser.add_argument("--database", help="a PostgreSQL admin URL: a scratch database is made there")
    parser.add_argument("--profile", action="store_true", help="print a cProfile summary per scenario")
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--sql", action="store_true", help="print the SQL of one request per scenario")
    parser.add_argument(
        "--text", action="store_true", help="also send each document as text (strawberry's checked path)"
    )
    arguments = parser.parse_args()
    from runtime.logging import configure_logging

    # The server logs one JSON line per request (api/asgi.py); pay for it here too, into the void.
    configure_logging("INFO")
    with open(os.devnull, "w") as void:
        logging.getLogger().handlers[0].setStream(void)
        asyncio.run(main(arguments))
    sys.exit(0)
