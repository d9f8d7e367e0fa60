"""No lost writes under kill -9: keyed mutations against a server that is killed and restarted.

    python -m tests.support.fault_harness                                # 10 rounds (`make faults`)
    python -m tests.support.fault_harness --rounds 0 --selfcheck-rounds 2 # `make faults-selfcheck`

Each round seeds a fresh community on a scratch PostgreSQL database (a member of staff, members
with some points, a gift with less stock than will be asked for, an activity that takes check-ins)
and sends a few hundred mutations from several concurrent clients: staff awarding points by hand
(`pointsAward`), members redeeming the gift (`rewardRedeem`), both with an idempotency key, and
members checking in with the activity's rotating code (`attendanceCheckIn`, idempotent by its
(activity, member) key). A client that loses its connection or times out sends the same mutation
again, with the same key, until it gets an answer. Meanwhile the server process gets SIGKILL at
moments drawn from a seeded RNG and is started again.

At the end of each round, looked up in the database by key: every acknowledged write is there,
once, with the id the client was given; every refused one left nothing; no row exists that no
client asked for; balances, stock and the activity's counter equal what the answers imply; and
the ledger adds up. After the last round `redsteward ledger-check` runs as a command.

`--selfcheck-rounds N` then plays N more rounds against tests/support/fault_server.py, the same
application planted with a respond-before-commit bug. Exit 0 when every real round held and every
planted run was caught (which proves the checks can fail).

The harness lives with the test support code (it reuses tests/support/server.py's port picking and
tests/support/postgres.py's scratch databases, as bench/emergency_checkin.py does) because it is a
check, not a benchmark; tests/api/test_no_lost_writes.py runs a short version in the suite.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("RS_SECRET_KEY", "fault-harness-only-secret-key-0123456789-abcdef")
os.environ.setdefault("RS_ARGON2_FAST", "1")

import httpx

from tests.support.fault_server import PLANT_ENV, RESPOND_BEFORE_COMMIT
from tests.support.server import free_port

AWARD = """
mutation Award($input: PointsManualInput!) {
  pointsAward(input: $input) { transfer { id amount } errors { code } }
}"""
REDEEM = """
mutation Redeem($input: RewardRedeemInput!) {
  rewardRedeem(input: $input) { redemption { id } balance errors { code } }
}"""
CHECK_IN = """
mutation CheckIn($input: AttendanceScanInput!) {
  attendanceCheckIn(input: $input) { attendance { id } errors { code } }
}"""

# The refusals a round may see; any other error code is a problem (it would hide the writes).
EXPECTED_REFUSALS = {"redeem": {"OUT_OF_STOCK", "INSUFFICIENT_POINTS"}, "award": set(), "checkin": set()}
SEED_POINTS = 40
GIFT_COST = 10
REQUEST_TIMEOUT = 5.0
ANSWER_DEADLINE = 90.0  # one mutation retried for this long without an answer is a failure


def gid(type_name: str, row_id: int) -> str:
    return base64.b64encode(f"{type_name}:{row_id}".encode()).decode()


def row_of(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().split(":", 1)[1])


# The server process ------------------------------------------------------------------------------


class Server:
    """One server process on a fixed port, killed with SIGKILL and started again on demand."""

    def __init__(self, database_url: str, log_path: Path, plant: str | None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.env = {
            **os.environ,
            "RS_DATABASE_URL": database_url,
            "RS_CLOCK_TICK_SECONDS": "0",  # no background jobs: only the clients write
            # Every client comes from 127.0.0.1, so the per-address redemption limit would refuse
            # most of the rounds' redemptions; the limits have their own tests.
            "RS_RATE_LIMITS": "redeem.ip=1000000/3600,redeem.account=1000000/3600",
        }
        if plant:
            self.env[PLANT_ENV] = plant
            self.command = [sys.executable, "-m", "tests.support.fault_server", "--port", str(self.port)]
        else:
            self.env.pop(PLANT_ENV, None)
            self.command = [sys.executable, "-m", "cli.main", "serve", "--port", str(self.port)]
        self.process: subprocess.Popen[bytes] | None = None
        self.kills = 0
        self.down_seconds = 0.0

    async def start(self) -> None:
        started = time.monotonic()
        with self.log_path.open("ab") as log:
            self.process = await asyncio.to_thread(
                subprocess.Popen, self.command, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        async with httpx.AsyncClient(base_url=self.base, timeout=1) as client:
            while True:
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                if self.process.poll() is not None or time.monotonic() - started > 60:
                    raise RuntimeError("server did not start:\n" + self.log_path.read_text()[-3000:])
                await asyncio.sleep(0.05)

    async def kill(self) -> None:
        """SIGKILL: no shutdown hook, no flush, connections cut mid-request."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await asyncio.to_thread(self.process.wait)
        self.kills += 1

    async def restart(self) -> None:
        went_down = time.monotonic()
        await self.kill()
        await self.start()
        self.down_seconds += time.monotonic() - went_down

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()


# The world of one round --------------------------------------------------------------------------


@dataclass
class World:
    community_id: int
    staff_id: int
    staff_token: str
    members: list[tuple[int, str]]  # (user id, access token)
    reward_id: int
    stock: int
    activity_id: int


async def seed(round_no: int, members: int, stock: int) -> World:
    """People, points, a gift and an activity, straight into the database: not what is tested."""
    from models.enums import Role
    from models.people import Membership, MembershipRole, User
    from models.places import Building, Community, Compound
    from models.teams import Activity, Team, TeamKind, TeamMember
    from points_engine import earning, redemption
    from runtime import clock
    from services.passwords import hash_password
    from services.tokens import issue_access_token

    now = clock.now()
    password = hash_password("kill-nine-2026")
    community = await Community.create(name=f"故障社区{round_no}", slug=f"faults-{round_no}-{os.getpid()}")
    compound = await Compound.create(community=community, name="一号院")
    building = await Building.create(community=community, compound=compound, name="1号楼")

    async def person(n: int, role: Role) -> tuple[int, str]:
        user = await User.create(
            phone=f"+86139{round_no:02d}{n:06d}", password_hash=password, display_name=f"r{round_no}p{n}"
        )
        membership = await Membership.create(user=user, community=community)
        await MembershipRole.create(membership=membership, community=community, role=role)
        return user.id, issue_access_token(user.id)[0]

    staff_id, staff_token = await person(0, Role.STAFF)
    people = [await person(n, Role.VOLUNTEER) for n in range(1, members + 1)]
    team = await Team.create(community=community, name="巡逻队", kind=TeamKind.RIVER_PATROL, created_at=now)
    for user_id, _ in people:
        await TeamMember.create(community=community, team=team, user_id=user_id, joined_at=now)
        await earning.manual(
            community.id, staff_id, user_id, SEED_POINTS, "seed", f"seed-{user_id}", award=True
        )
    activity = await Activity.create(
        community=community,
        team=team,
        title="河道巡逻",
        kind=TeamKind.RIVER_PATROL,
        building=building,
        starts_at=now - timedelta(minutes=5),
        ends_at=now + timedelta(hours=3),
        created_by_id=staff_id,
        idempotency_key=f"harness-{round_no}",
        created_at=now,
    )
    gift = await redemption.create_reward(community.id, name="毛巾", cost=GIFT_COST, kind="gift", stock=stock)
    return World(community.id, staff_id, staff_token, people, gift.id, stock, activity.id)


# The clients -------------------------------------------------------------------------------------


@dataclass
class Mutation:
    kind: str  # award | redeem | checkin
    user_id: int  # whose balance or attendance it touches
    token: str
    key: str  # the idempotency key (for check-ins, the activity and member name it)
    amount: int = 0
    attempts: int = 0
    server_errors: int = 0  # answers that were a 5xx or top-level GraphQL errors (then retried)
    outcome: str = ""  # "ok", an error code, or "no answer"
    row_id: int | None = None

    def request(self, world: World) -> tuple[str, dict[str, Any]]:
        if self.kind == "award":
            return AWARD, {
                "communityId": gid("Community", world.community_id),
                "userId": gid("User", self.user_id),
                "amount": self.amount,
                "reason": "fault harness",
                "idempotencyKey": self.key,
            }
        if self.kind == "redeem":
            return REDEEM, {"rewardId": gid("Reward", world.reward_id), "idempotencyKey": self.key}
        from runtime import clock
        from services.teams.checkin_codes import rotating_code

        # The code on the captain's screen now: a retry long after the first try scans it again.
        code = rotating_code(world.activity_id, clock.now())
        return CHECK_IN, {"code": code, "activityId": gid("Activity", world.activity_id)}


def plan(world: World, rng: random.Random, awards: int, redemptions: int) -> list[Mutation]:
    staff = world.staff_token
    mutations = [
        Mutation("award", uid, staff, f"award-{i}", amount=rng.randint(1, 15))
        for i, (uid, _) in enumerate(rng.choice(world.members) for _ in range(awards))
    ]
    mutations += [
        Mutation("redeem", uid, token, f"redeem-{i}")
        for i, (uid, token) in enumerate(rng.choice(world.members) for _ in range(redemptions))
    ]
    mutations += [Mutation("checkin", uid, token, f"checkin-{uid}") for uid, token in world.members]
    rng.shuffle(mutations)
    return mutations


def answer_of(mutation: Mutation, body: dict[str, Any]) -> tuple[str, int | None] | None:
    """(outcome, row id) from a GraphQL answer; None when it is no answer (try again)."""
    if "data" not in body or body.get("errors"):
        return None
    payload = next(iter(body["data"].values()))
    if payload["errors"]:
        return payload["errors"][0]["code"], None
    made = payload.get("transfer") or payload.get("redemption") or payload.get("attendance")
    return "ok", row_of(made["id"])


async def send_until_answered(client: httpx.AsyncClient, world: World, mutation: Mutation) -> None:
    started = time.monotonic()
    while time.monotonic() - started < ANSWER_DEADLINE:
        mutation.attempts += 1
        query, variables = mutation.request(world)
        try:
            response = await client.post(
                "/graphql",
                json={"query": query, "variables": {"input": variables}},
                headers={"authorization": f"Bearer {mutation.token}"},
            )
            answered = answer_of(mutation, response.json()) if response.status_code == 200 else None
            if answered is None:
                mutation.server_errors += 1
        except (httpx.TransportError, ValueError):
            answered = None  # cut off, timed out, or half a body: the app does not know; it retries
        if answered is not None:
            mutation.outcome, mutation.row_id = answered
            return
        await asyncio.sleep(min(0.5, 0.05 * mutation.attempts))
    mutation.outcome = "no answer"


async def drive(
    server: Server, world: World, mutations: list[Mutation], clients: int, rng: random.Random, max_kills: int
) -> int:
    """Sends every mutation from `clients` concurrent clients while killing the server (at most
    `max_kills` times: each restart costs seconds of imports); returns the kills of this round."""
    queue: asyncio.Queue[Mutation] = asyncio.Queue()
    for mutation in mutations:
        queue.put_nowait(mutation)
    done = asyncio.Event()
    answered = asyncio.Event()  # one more mutation answered, or the round is done
    count = 0
    kills_before = server.kills

    async def client_loop() -> None:
        nonlocal count
        async with httpx.AsyncClient(base_url=server.base, timeout=REQUEST_TIMEOUT) as client:
            while not queue.empty():
                await send_until_answered(client, world, queue.get_nowait())
                count += 1
                answered.set()

    async def killer() -> None:
        # Kill while work flows, after a random number of answers rather than a random time: on
        # a fast, quiet machine a whole round can finish inside any fixed delay, and a round
        # without a kill proves nothing. Each kill falls inside the share of the work left.
        for left in range(max_kills, 0, -1):
            remaining = len(mutations) - count
            target = count + rng.randint(1, max(1, remaining // (left + 1)))
            while count < target and not done.is_set():
                answered.clear()
                await answered.wait()
            if done.is_set():
                return
            await server.restart()

    killing = asyncio.create_task(killer())
    await asyncio.gather(*(client_loop() for _ in range(clients)))
    done.set()
    answered.set()
    await killing
    return server.kills - kills_before


# The checks --------------------------------------------------------------------------------------


async def verify(world: World, mutations: list[Mutation]) -> list[str]:
    """Everything the answers promise, looked up in the database; the list of what does not hold."""
    from models.ledger import PointTransfer
    from models.rewards import Redemption, Reward
    from models.teams import Activity, Attendance
    from points_engine import accounts
    from points_engine.audit import check_ledger

    problems: list[str] = []
    expected_balance = {uid: SEED_POINTS for uid, _ in world.members}
    for m in mutations:
        if m.outcome == "no answer":
            problems.append(f"{m.kind} {m.key}: no answer in {ANSWER_DEADLINE:.0f} s ({m.attempts} tries)")
            continue
        if m.kind == "award":
            rows = await PointTransfer.filter(
                source_key=f"manual:{world.community_id}:{world.staff_id}:{m.key}"
            ).values_list("id", "amount")
        elif m.kind == "redeem":
            rows = await Redemption.filter(
                community_id=world.community_id, user_id=m.user_id, idempotency_key=m.key
            ).values_list("id", "cost")
        else:
            rows = await Attendance.filter(activity_id=world.activity_id, user_id=m.user_id).values_list(
                "id", "user_id"
            )
        if m.outcome == "ok":
            if len(rows) != 1 or rows[0][0] != m.row_id:
                problems.append(f"{m.kind} {m.key}: acknowledged as #{m.row_id}, the database holds {rows}")
            if m.kind == "award":
                expected_balance[m.user_id] += m.amount
            elif m.kind == "redeem":
                expected_balance[m.user_id] -= GIFT_COST
        elif rows:
            problems.append(f"{m.kind} {m.key}: answered {m.outcome}, yet the database holds {rows}")
        elif m.outcome not in EXPECTED_REFUSALS[m.kind]:
            problems.append(f"{m.kind} {m.key}: refused with {m.outcome}")

    acked = {kind: sum(m.kind == kind and m.outcome == "ok" for m in mutations) for kind in EXPECTED_REFUSALS}
    manual = await PointTransfer.filter(source_key__startswith=f"manual:{world.community_id}:").count()
    if manual != len(world.members) + acked["award"]:
        seeds = len(world.members)
        problems.append(f"{manual} manual transfers, expected {seeds} seeds + {acked['award']} awards")
    redemptions = await Redemption.filter(community_id=world.community_id).count()
    if redemptions != acked["redeem"]:
        problems.append(f"{redemptions} redemptions in the database, {acked['redeem']} acknowledged")
    attendances = await Attendance.filter(activity_id=world.activity_id).count()
    counter = (await Activity.get(id=world.activity_id)).attendee_count
    if not attendances == counter == acked["checkin"]:
        problems.append(f"{attendances} attendances, counter {counter}, {acked['checkin']} acknowledged")
    stock = (await Reward.get(id=world.reward_id)).stock
    if stock != world.stock - acked["redeem"]:
        problems.append(f"stock {stock}, expected {world.stock} - {acked['redeem']} redeemed")
    for uid, expected in expected_balance.items():
        account = await accounts.member_account(world.community_id, uid, create=False)
        balance = None if account is None else account.balance
        if balance != expected:
            problems.append(f"member {uid}: balance {balance}, the answers add up to {expected}")
    _, ledger_problems = await check_ledger()
    problems += [f"ledger: {p.message}" for p in ledger_problems]
    return problems


# The run -----------------------------------------------------------------------------------------


@dataclass
class Figures:
    rounds: int = 0
    mutations: int = 0
    attempts: int = 0
    server_errors: int = 0
    acknowledged_writes: int = 0
    found: int = 0
    refused: dict[str, int] = field(default_factory=dict)
    kills: int = 0
    down_seconds: float = 0.0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.rounds} rounds, {self.mutations} mutations ({self.attempts} requests, "
            f"{self.server_errors} answered with a server error), "
            f"{self.kills} kills (server down {self.down_seconds:.1f} s), "
            f"{self.acknowledged_writes} acknowledged writes, {self.found} found exactly once, "
            f"refused with a typed error: {self.refused}, {self.seconds:.1f} s"
        )


async def play(
    args: argparse.Namespace, url: str, log_path: Path, plant: str | None, rounds: range
) -> Figures:
    """Rounds against one server (honest, or with `plant`); the database is open in this process."""
    figures = Figures()
    started = time.monotonic()
    server = Server(url, log_path, plant)
    try:
        await server.start()
        for round_no in rounds:
            rng = random.Random(args.seed * 1000 + round_no)
            world = await seed(round_no, args.members, args.stock)
            mutations = plan(world, rng, args.awards, args.redemptions)
            kills = await drive(server, world, mutations, args.clients, rng, args.max_kills)
            problems = await verify(world, mutations)
            ok = [m for m in mutations if m.outcome == "ok"]
            figures.rounds += 1
            figures.mutations += len(mutations)
            figures.attempts += sum(m.attempts for m in mutations)
            figures.acknowledged_writes += len(ok)
            for m in mutations:
                if m.outcome not in ("ok", "no answer"):
                    figures.refused[m.outcome] = figures.refused.get(m.outcome, 0) + 1
            figures.kills += kills
            figures.found += len(ok) - sum(1 for p in problems if "acknowledged as" in p)
            figures.problems += [f"round {round_no}: {p}" for p in problems]
            errors = sum(m.server_errors for m in mutations)
            figures.server_errors += errors
            if errors:  # a kill cuts connections; it must never make the server answer a 5xx
                figures.problems.append(f"round {round_no}: {errors} answers were 5xx or top-level errors")
            print(
                f"{'planted ' if plant else ''}round {round_no}: {len(mutations)} mutations in "
                f"{sum(m.attempts for m in mutations)} requests, {len(ok)} acknowledged writes, "
                f"{kills} kills, {len(problems)} problems",
                flush=True,
            )
    finally:
        server.stop()
        figures.down_seconds = server.down_seconds
        figures.seconds = time.monotonic() - started
    return figures


def ledger_check(url: str) -> tuple[bool, str]:
    """`redsteward ledger-check` as an operator runs it, over every round's community."""
    check = subprocess.run(
        [sys.executable, "-m", "cli.main", "ledger-check"],
        env={**os.environ, "RS_DATABASE_URL": url, "RS_LANGUAGE": "en"},  # its English verdict is read
        capture_output=True,
        text=True,
        timeout=120,
    )
    said = check.stdout.strip() or check.stderr.strip()
    return check.returncode == 0, said.splitlines()[-1] if check.returncode == 0 else said[-3000:]


async def run(args: argparse.Namespace, url: str, log_path: Path) -> dict[str, Any]:
    from runtime.database import close_database, open_database
    from runtime.migrations import upgrade
    from services import subscribers

    started = time.monotonic()
    await upgrade(url)
    await open_database(url)
    subscribers.install()
    try:
        honest = await play(args, url, log_path, None, range(args.rounds))
        planted = None
        if args.selfcheck_rounds:
            selfcheck = range(args.rounds, args.rounds + args.selfcheck_rounds)
            planted = await play(args, url, log_path, RESPOND_BEFORE_COMMIT, selfcheck)
    finally:
        await close_database()
    ledger_ok, ledger_said = ledger_check(url)
    if not ledger_ok:
        honest.problems.append(f"redsteward ledger-check failed: {ledger_said}")
    return {
        "honest": honest,
        "planted": planted,
        "ledger_check": ledger_said,
        "seconds": time.monotonic() - started,
    }


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="rounds against the real server")
    parser.add_argument(
        "--selfcheck-rounds",
        type=int,
        default=0,
        help=f"then rounds against a server planted with {RESPOND_BEFORE_COMMIT}, which must be caught",
    )
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--members", type=int, default=20, help="members per round (each checks in once)")
    parser.add_argument("--awards", type=int, default=50, help="pointsAward mutations per round")
    parser.add_argument("--redemptions", type=int, default=40, help="rewardRedeem mutations per round")
    parser.add_argument("--stock", type=int, default=25, help="the gift's stock (fewer than asked for)")
    parser.add_argument("--max-kills", type=int, default=3, help="SIGKILLs per round at most")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    from tests.support import postgres

    args = parse(argv)
    url = asyncio.run(postgres.create_database("rs_faults"))
    log_path = Path(tempfile.mkdtemp(prefix="rs-faults-")) / "server.log"
    try:
        result = asyncio.run(run(args, url, log_path))
    finally:
        asyncio.run(postgres.drop_database(url))
    honest, planted = result["honest"], result["planted"]
    if args.json:
        plain = {k: v.__dict__ if isinstance(v, Figures) else v for k, v in result.items()}
        args.json.write_text(json.dumps(plain, ensure_ascii=False, indent=1))
    ok = True
    if honest.rounds:
        print(f"real server: {honest.summary()}")
        for problem in honest.problems[:40]:
            print("PROBLEM", problem)
        ok = not honest.problems
        print("FAILED: lost or doubled writes" if not ok else "OK: no lost or doubled writes")
    if planted is not None:
        print(f"planted {RESPOND_BEFORE_COMMIT}: {planted.summary()}")
        for problem in planted.problems[:8]:
            print("caught:", problem)
        lost = [p for p in planted.problems if "acknowledged as" in p]
        if not lost:
            ok = False
            print("FAILED: the planted bug was NOT caught: no acknowledged write went missing")
        else:
            print(f"OK: the planted bug was caught ({len(lost)} acknowledged writes lost or changed)")
    print(f"{result['ledger_check']}; {result['seconds']:.1f} s in all (server log: {log_path})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
