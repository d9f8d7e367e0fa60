"""A board page plus the caller's rank, through the full GraphQL stack, as the ledger grows.
Not a test.

    python -m bench.boards                      # SQLite in a temporary file
    python -m bench.boards postgres://postgres@127.0.0.1:5432/test   # a scratch database there

Builds a community of RS_BENCH_MEMBERS members (default 10,000) and RS_BENCH_SMALL transfers
(default 100,000) of earning kinds spread over six months, then grows the ledger to RS_BENCH_LARGE
(default 1,000,000). Transfers are bulk-inserted (posting a million through `ledger.post` one by
one would take the better part of an hour here) and the board index is then computed by
`services.leaderboards.rebuild` — the tests prove that equals what the on_posted hook keeps — then
ANALYZEd as `redsteward rebuild-boards` does. At each size it times RS_BENCH_ROUNDS requests
(default 200) of the app's Leaderboard operation (a page of 20 of the monthly community board, the
caller's own rank and totalCount), the caller being the member 90% of the way down that board,
and, as the baseline in the same run, the same stack answering `{ me { user { id } } }`. Prints
median and p95 of each, the board's ratio to the baseline, and how the board's figures change
from the small ledger to the large one (they should not: the board is an index read).
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("RS_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnop")

MEMBERS = int(os.environ.get("RS_BENCH_MEMBERS", "10000"))
SMALL = int(os.environ.get("RS_BENCH_SMALL", "100000"))
LARGE = int(os.environ.get("RS_BENCH_LARGE", "1000000"))
ROUNDS = int(os.environ.get("RS_BENCH_ROUNDS", "200"))
BATCH = 5000
MONTHS = ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]

from bench.scratch import drop_pg, scratch_pg  # noqa: E402


def _stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.95) - 1] * 1000


async def _insert_transfers(
    community_id: int, issuing_id: int, accounts: list[int], start: int, stop: int
) -> None:
    from tortoise import connections

    conn = connections.get("default")
    postgres = conn.capabilities.dialect == "postgres"
    marks = ", ".join(f"${i}" if postgres else "?" for i in range(1, 12))
    sql = (
        "INSERT INTO point_transfer (community_id, debit_id, credit_id, amount, kind, memo, source_key, "  # noqa: S608
        f"by_hand, created_at, local_day, rule_version) VALUES ({marks})"
    )
    rng = random.Random(start)
    kinds = ["attendance", "report", "repair", "inspection", "manual_award"]
    base = datetime(2026, 6, 1, tzinfo=UTC)
    spread = len(accounts) * len(MONTHS)
    for low in range(start, stop, BATCH):
        rows: list[Any] = []
        for i in range(low, min(stop, low + BATCH)):
            month = MONTHS[i % len(MONTHS)]
            moment = base + timedelta(days=30 * (i % len(MONTHS)) + rng.randint(0, 27))
            rows.append(
                [
                    community_id,
                    issuing_id,
                    # First one earning per member and month, so the board lists every member at
                    # both sizes and only the ledger grows; then members at random.
                    accounts[i // len(MONTHS)] if i < spread else accounts[rng.randrange(len(accounts))],
                    rng.randint(1, 50),
                    kinds[i % len(kinds)],
                    "",
                    f"bench:{i}",
                    False,
                    moment if postgres else moment.isoformat(),
                    f"{month}-{moment.day:02d}",
                    1,
                ]
            )
        async with conn._in_transaction() as tx:
            await tx.execute_many(sql, rows)
    if postgres:
        # What autovacuum would do after a bulk load; without fresh statistics the planner
        # picks nested loops for the rebuild's joins over a table it believes is small.
        await conn.execute_script("ANALYZE point_transfer; ANALYZE point_account")


async def run(url: str) -> list[tuple[int, str, float, float]]:
    import httpx

    from api.app import create_app
    from api.contract import operation_documents
    from models.boards import BoardEarning
    from models.enums import Role
    from models.ledger import AccountKind, PointAccount
    from models.people import Membership, MembershipRole, User
    from models.places import Community
    from points_engine import accounts
    from runtime import clock
    from runtime.database import close_database, open_database
    from runtime.migrations import upgrade
    from runtime.settings import get_settings
    from services.leaderboards import analyze, rebuild
    from services.tokens import issue_access_token

    await upgrade(url)
    await open_database(url)
    results: list[tuple[int, str, float, float]] = []
    try:
        clock.use_clock(clock.MovableClock(datetime(2026, 11, 20, 2, 0, tzinfo=UTC)))
        community = await Community.create(name="bench", slug=f"bench-{uuid.uuid4().hex[:6]}")
        users = await User.bulk_create(
            [
                User(phone=f"+86139{i:08d}", password_hash="x", display_name=f"member {i}")  # noqa: S106
                for i in range(MEMBERS)
            ],
            batch_size=1000,
        )
        users = await User.filter(phone__startswith="+86139").order_by("id")
        await Membership.bulk_create(
            [Membership(user_id=u.id, community_id=community.id) for u in users], batch_size=1000
        )
        memberships = await Membership.filter(community_id=community.id).values("id")
        await MembershipRole.bulk_create(
            [
                MembershipRole(membership_id=m["id"], community_id=community.id, role=Role.RESIDENT)
                for m in memberships
            ],
            batch_size=1000,
        )
        now = clock.now()
        await PointAccount.bulk_create(
            [
                PointAccount(
                    community_id=community.id,
                    kind=AccountKind.MEMBER,
                    user_id=u.id,
                    key=f"member:{community.id}:{u.id}",
                    created_at=now,
                )
                for u in users
            ],
            batch_size=1000,
        )
        account_ids = [a["id"] for a in await PointAccount.filter(community_id=community.id).values("id")]
        issuing = await accounts.system_account(community.id, AccountKind.ISSUING)
        app = create_app(get_settings(), manage_database=False)
        document = operation_documents()["Leaderboard"]
        cid = __import__("base64").b64encode(f"Community:{community.id}".encode()).decode()
        variables = {"communityId": cid, "month": "2026-11", "first": 20}
        done = 0
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://b") as http:
            for size in (SMALL, LARGE):
                started = time.perf_counter()
                await _insert_transfers(community.id, issuing.id, account_ids, done, size)
                done = size
                await rebuild(community.id)
                await analyze()
                ranked = BoardEarning.filter(community_id=community.id, period="2026-11", points__gt=0)
                listed = await ranked.count()
                far_down = await ranked.order_by("-points", "user_id").offset(listed * 9 // 10).first()
                assert far_down is not None
                token, _ = issue_access_token(far_down.user_id)
                headers = {"authorization": f"Bearer {token}"}
                print(f"  {size:,} transfers in the ledger (built in {time.perf_counter() - started:.0f} s)")
                for name, body in (
                    ("baseline { me { user { id } } }", {"query": "{ me { user { id } } }"}),
                    ("Leaderboard page + my rank", {"query": document, "variables": variables}),
                ):
                    samples = []
                    for i in range(ROUNDS + 20):
                        t0 = time.perf_counter()
                        response = await http.post("/graphql", json=body, headers=headers)
                        elapsed = time.perf_counter() - t0
                        data = response.json()
                        assert "errors" not in data, data
                        if i >= 20:  # warm-up
                            samples.append(elapsed)
                    if "leaderboard" in data["data"]:
                        board = data["data"]["leaderboard"]["board"]
                        assert len(board["entries"]["nodes"]) == 20
                        assert board["me"]["rank"] > listed // 2, board["me"]  # far down, off the page
                        print(
                            f"    caller ranked {board['me']['rank']:,} of {listed:,} on the November board"
                        )
                    median, p95 = _stats(samples)
                    results.append((size, name, median, p95))
                    base = next((r for r in results if r[0] == size and r[1].startswith("baseline")), None)
                    ratio = (
                        f"   ({median / base[2]:.2f}× / {p95 / base[3]:.2f}× the baseline)"
                        if base and base[1] != name
                        else ""
                    )
                    print(f"    {name:<32} median {median:6.2f} ms   p95 {p95:6.2f} ms{ratio}")
        boards = [r for r in results if not r[1].startswith("baseline")]
        bases = [r for r in results if r[1].startswith("baseline")]
        if len(boards) == 2:
            (_, _, m1, p1), (_, _, m2, p2) = boards
            (_, _, b1, q1), (_, _, b2, q2) = bases
            print(
                f"  {SMALL:,} → {LARGE:,} transfers: board median ×{m2 / m1:.2f}, p95 ×{p2 / p1:.2f}; "
                f"to baseline: median {m1 / b1:.2f}× → {m2 / b2:.2f}×, p95 {p1 / q1:.2f}× → {p2 / q2:.2f}×"
            )
    finally:
        await close_database()
    return results


def main() -> None:
    target = sys.argv[1] if len(sys.argv) > 1 else ""
    admin = target if target.startswith("postgres") else ""
    if admin:
        url = asyncio.run(scratch_pg(admin))
    else:
        url = f"sqlite://{Path(tempfile.mkdtemp(prefix='rs-bench-')) / 'bench.sqlite3'}"
    print(f"{'postgres' if admin else 'sqlite'}: {MEMBERS:,} members, {ROUNDS} requests per figure")
    try:
        asyncio.run(run(url))
    finally:
        if admin:
            asyncio.run(drop_pg(admin, url))


if __name__ == "__main__":
    main()
