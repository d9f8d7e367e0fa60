"""A snowstorm call-out: 213 volunteers check in to one emergency activity at once, against two
real server processes on one PostgreSQL database. Not a timed test: a script that prints figures
and exits 1 if an attendance was lost or doubled.

    python -m bench.emergency_checkin                # scratch database on the local PostgreSQL
    RS_BENCH_VOLUNTEERS=500 python -m bench.emergency_checkin

What it does: seeds a community, a snow team with one captain and 213 residents who are in no team;
staff declare a snowstorm (multiplier 200%) and the captain schedules a shift through the API. The
captain's phone polls the rotating code; every volunteer "scans" the code on screen and checks in,
a tenth of them twice at the same moment (a double tap) and everyone once more afterwards (a retry).
Then the captain adjusts every attendance to 60 minutes, twice each, all at once.

It checks: one attendance per volunteer, the same id in every answer a volunteer got, the
activity's counter equal to the rows, every check-in inside one minute, and exactly one points
transfer per attendance of 2 × (10 + 60) points, with the ledger still adding up.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("RS_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnop")
os.environ.setdefault("RS_ARGON2_FAST", "1")

import httpx

VOLUNTEERS = int(os.environ.get("RS_BENCH_VOLUNTEERS", "213"))
DOUBLE_TAP_EVERY = 10

SCHEDULE = """
mutation S($input: ActivityScheduleInput!) {
  activitySchedule(input: $input) { activity { id } errors { code } }
}"""
EMERGENCY = """
mutation E($input: EmergencyDeclareInput!) {
  emergencyDeclare(input: $input) { emergency { id } errors { code } }
}"""
CODE = "query C($a: ID!) { activityCheckInCode(activityId: $a) { code secondsToRotation } }"
CHECK_IN = """
mutation I($input: AttendanceScanInput!) {
  attendanceCheckIn(input: $input) { attendance { id } errors { code } }
}"""
ADJUST = """
mutation A($input: AttendanceAdjustInput!) {
  attendanceAdjust(input: $input) { attendance { id creditedMinutes } errors { code } }
}"""


def gid(type_name: str, row_id: int) -> str:
    import base64

    return base64.b64encode(f"{type_name}:{row_id}".encode()).decode()


async def seed(url: str) -> dict[str, Any]:
    """People and places straight into the database (sign-up is not what is measured)."""
    from models.enums import Role
    from models.people import Membership, MembershipRole, User
    from models.places import Building, Community, Compound
    from models.teams import Team, TeamKind, TeamMember
    from runtime import clock
    from services.passwords import hash_password
    from services.tokens import issue_access_token

    if True:  # the caller holds the database open
        password = hash_password("snow-storm-2026")
        community = await Community.create(name="红星社区", slug="hongxing")
        compound = await Compound.create(community=community, name="休闲小区")
        building = await Building.create(community=community, compound=compound, name="4号楼")

        async def person(n: int, roles: tuple[Role, ...]) -> tuple[int, str]:
            user = await User.create(phone=f"+8613900{n:06d}", password_hash=password, display_name=f"p{n}")
            membership = await Membership.create(user=user, community=community)
            for role in roles:
                await MembershipRole.create(membership=membership, community=community, role=role)
            return user.id, issue_access_token(user.id)[0]

        staff = await person(0, (Role.STAFF,))
        captain = await person(1, (Role.VOLUNTEER, Role.CAPTAIN))
        volunteers = [await person(n, (Role.RESIDENT,)) for n in range(2, VOLUNTEERS + 2)]
        team = await Team.create(
            community=community, name="扫雪队", kind=TeamKind.SNOW_CLEARING, created_at=clock.now()
        )
        await TeamMember.create(
            community=community, team=team, user_id=captain[0], is_captain=True, joined_at=clock.now()
        )
        return {
            "community": gid("Community", community.id),
            "building": gid("Building", building.id),
            "team": gid("Team", team.id),
            "staff": staff[1],
            "captain": captain[1],
            "volunteers": volunteers,
        }


async def gql(client: httpx.AsyncClient, query: str, variables: dict[str, Any], token: str) -> Any:
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {token}"},
    )
    response.raise_for_status()
    body = response.json()
    if "errors" in body:
        raise AssertionError(body["errors"])
    return body["data"]


async def storm(bases: list[str], world: dict[str, Any]) -> dict[str, Any]:
    from runtime import clock

    now = clock.now()
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    clients = [httpx.AsyncClient(base_url=b, timeout=120, limits=limits) for b in bases]
    try:
        first = clients[0]
        declared = await gql(
            first,
            EMERGENCY,
            {
                "input": {
                    "communityId": world["community"],
                    "title": "暴雪",
                    "activityKind": "SNOW_CLEARING",
                    "startsAt": (now - timedelta(minutes=5)).isoformat(),
                    "endsAt": (now + timedelta(hours=48)).isoformat(),
                    "multiplierPercent": 200,
                    "idempotencyKey": "storm",
                }
            },
            world["staff"],
        )
        assert declared["emergencyDeclare"]["errors"] == [], declared
        scheduled = await gql(
            first,
            SCHEDULE,
            {
                "input": {
                    "teamId": world["team"],
                    "title": "扫雪 4号楼",
                    "placeId": world["building"],
                    "startsAt": (now - timedelta(minutes=1)).isoformat(),
                    "endsAt": (now + timedelta(hours=3)).isoformat(),
                    "idempotencyKey": "shift",
                }
            },
            world["captain"],
        )
        activity = scheduled["activitySchedule"]["activity"]["id"]

        screen = {"code": ""}
        stop, shown_once = asyncio.Event(), asyncio.Event()

        async def captains_phone() -> None:
            while not stop.is_set():
                shown = (await gql(first, CODE, {"a": activity}, world["captain"]))["activityCheckInCode"]
                screen["code"] = shown["code"]
                shown_once.set()
                try:
                    await asyncio.wait_for(stop.wait(), timeout=shown["secondsToRotation"])
                except TimeoutError:
                    pass

        phone = asyncio.create_task(captains_phone())
        await shown_once.wait()

        latencies: list[float] = []
        answers: dict[int, list[str]] = {}
        failures: list[Any] = []

        async def scan(i: int) -> None:
            _, token = world["volunteers"][i]
            started = time.perf_counter()
            try:
                data = await gql(
                    clients[i % len(clients)],
                    CHECK_IN,
                    {"input": {"code": screen["code"], "activityId": activity}},
                    token,
                )
            except (AssertionError, httpx.HTTPError) as exc:
                failures.append((i, repr(exc)[:200]))
                return
            latencies.append(time.perf_counter() - started)
            payload = data["attendanceCheckIn"]
            if payload["errors"]:
                failures.append((i, payload["errors"]))
            else:
                answers.setdefault(i, []).append(payload["attendance"]["id"])

        n = len(world["volunteers"])
        wave = [scan(i) for i in range(n)] + [scan(i) for i in range(0, n, DOUBLE_TAP_EVERY)]
        started = time.perf_counter()
        await asyncio.gather(*wave)
        burst_seconds = time.perf_counter() - started
        await asyncio.gather(*(scan(i) for i in range(n)))  # everyone's app retries once
        stop.set()
        await phone

        ids = {i: set(v) for i, v in answers.items()}
        attendance_ids = sorted({a for v in ids.values() for a in v})
        adjust_started = time.perf_counter()
        adjusted = await asyncio.gather(
            *(
                gql(
                    clients[k % len(clients)],
                    ADJUST,
                    {"input": {"attendanceId": a, "minutes": 60, "note": "snow"}},
                    world["captain"],
                )
                for k, a in enumerate(attendance_ids * 2)
            )
        )
        adjust_seconds = time.perf_counter() - adjust_started
        adjust_errors = [d["attendanceAdjust"]["errors"] for d in adjusted if d["attendanceAdjust"]["errors"]]
        return {
            "activity": activity,
            "requests": len(wave),
            "burst_seconds": burst_seconds,
            "latencies": latencies,
            "failures": failures,
            "ids": ids,
            "attendance_ids": attendance_ids,
            "adjust_seconds": adjust_seconds,
            "adjust_errors": adjust_errors,
        }
    finally:
        for client in clients:
            await client.aclose()


async def verify(url: str, activity_global_id: str) -> dict[str, Any]:
    import base64

    from models.ledger import PointTransfer
    from models.teams import Activity, Attendance
    from points_engine.audit import check_ledger

    activity_id = int(base64.b64decode(activity_global_id).decode().split(":")[1])
    if True:  # the caller holds the database open
        rows = await Attendance.filter(activity_id=activity_id).count()
        distinct_people = len(
            set(await Attendance.filter(activity_id=activity_id).values_list("user_id", flat=True))
        )
        counter = (await Activity.get(id=activity_id)).attendee_count
        transfers = await PointTransfer.filter(source_key__startswith="attendance:").values_list(
            "amount", flat=True
        )
        _, problems = await check_ledger()
        return {
            "rows": rows,
            "people": distinct_people,
            "counter": counter,
            "transfers": len(transfers),
            "amounts": sorted(set(int(a) for a in transfers)),  # type: ignore[call-overload]
            "ledger_problems": len(problems),
        }


async def run(url: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    from runtime.database import close_database, open_database
    from runtime.migrations import upgrade
    from tests.support.server import running_server

    await upgrade(url)
    await open_database(url)
    try:
        world = await seed(url)
        folder = Path(tempfile.mkdtemp(prefix="rs-storm-"))
        with running_server(url, folder / "one.log") as one, running_server(url, folder / "two.log") as two:
            result = await storm([one, two], world)
        facts = await verify(url, result["activity"])
    finally:
        await close_database()
    return world, result, facts


def main() -> int:
    from tests.support import postgres

    url = asyncio.run(postgres.create_database("rs_bench_storm"))
    try:
        world, result, facts = asyncio.run(run(url))
    finally:
        asyncio.run(postgres.drop_database(url))

    n = len(world["volunteers"])
    latencies = sorted(result["latencies"])
    doubled_answers = [i for i, v in result["ids"].items() if len(v) != 1]
    print(f"volunteers: {n}; check-in requests in the burst: {result['requests']} (+{n} retries)")
    print(
        f"burst: {result['burst_seconds']:.2f} s, {result['requests'] / result['burst_seconds']:.0f} req/s "
        "over 2 server processes; latency of all check-ins (burst and retries) "
        f"p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {latencies[int(len(latencies) * 0.95) - 1] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )
    print(f"failures: {len(result['failures'])} {result['failures'][:5]}")
    print(
        f"attendances: {facts['rows']} rows, {facts['people']} people, counter {facts['counter']}; "
        f"volunteers answered with more than one id: {len(doubled_answers)}"
    )
    print(
        f"adjust ×2 of every attendance: {result['adjust_seconds']:.2f} s, "
        f"errors {len(result['adjust_errors'])}; points transfers {facts['transfers']} "
        f"of amounts {facts['amounts']}; ledger problems {facts['ledger_problems']}"
    )
    ok = (
        not result["failures"]
        and facts["rows"] == facts["people"] == facts["counter"] == n == len(result["ids"])
        and not doubled_answers
        and result["burst_seconds"] < 60
        and not result["adjust_errors"]
        and facts["transfers"] == n
        and facts["amounts"] == [2 * (10 + 60)]
        and facts["ledger_problems"] == 0
    )
    print("OK: no lost or doubled attendances" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
