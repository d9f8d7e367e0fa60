"""How many transfers per second `points_engine.ledger.post` sustains, against a baseline of plain
single-row inserts measured in the same run on the same database. Not a test.

    python -m bench.ledger_posting                      # SQLite in a temporary file
    python -m bench.ledger_posting postgres://postgres@127.0.0.1:5432/test   # a scratch database there

Each post is its own transaction (as one earning or redemption is): replay check, insert under
the unique source key, two conditional balance updates. The baseline is one INSERT of a
transfer-shaped row per transaction, without the ledger's checks.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.scratch import drop_pg, scratch_pg

os.environ.setdefault("RS_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnop")

N = int(os.environ.get("RS_BENCH_N", "2000"))


async def run(url: str) -> dict[str, float]:
    from tortoise.transactions import in_transaction

    from models.ledger import AccountKind, PointTransfer, TransferKind
    from models.people import Membership, User
    from models.places import Community
    from points_engine import accounts, ledger
    from runtime import clock
    from runtime.database import close_database, open_database
    from runtime.migrations import upgrade

    await upgrade(url)
    await open_database(url)
    try:
        community = await Community.create(name="bench", slug=f"bench-{uuid.uuid4().hex[:6]}")
        user = await User.create(
            phone=f"+8613{uuid.uuid4().int % 10**9:09d}",
            password_hash="x",  # noqa: S106 - a bench user nobody signs in as
            display_name="b",
        )
        await Membership.create(user=user, community=community)
        member = await accounts.member_account(community.id, user.id)
        assert member is not None
        issuing = await accounts.system_account(community.id, AccountKind.ISSUING)

        # Warm up both paths (connections, statement caches) before timing either.
        for i in range(100):
            await ledger.post(
                debit=issuing,
                credit=member,
                amount=1,
                kind=TransferKind.REPORT,
                source_key=f"warm:{i}",
                timezone="Asia/Shanghai",
            )
        started = time.perf_counter()
        for i in range(N):
            async with in_transaction():
                await PointTransfer.create(
                    community_id=community.id,
                    debit_id=issuing.id,
                    credit_id=member.id,
                    amount=1,
                    kind=TransferKind.REPORT,
                    source_key=f"baseline:{i}",
                    created_at=clock.now(),
                    local_day="2026-11-23",
                )
        baseline = N / (time.perf_counter() - started)

        started = time.perf_counter()
        for i in range(N):
            await ledger.post(
                debit=issuing,
                credit=member,
                amount=1,
                kind=TransferKind.REPORT,
                source_key=f"post:{i}",
                timezone="Asia/Shanghai",
            )
        posting = N / (time.perf_counter() - started)

        started = time.perf_counter()
        for i in range(N):
            await ledger.post(
                debit=issuing,
                credit=member,
                amount=1,
                kind=TransferKind.REPORT,
                source_key=f"post:{i}",
                timezone="Asia/Shanghai",
            )
        replay = N / (time.perf_counter() - started)
    finally:
        await close_database()
    return {"baseline insert/s": baseline, "post/s": posting, "replay/s": replay}


def main() -> None:
    target = sys.argv[1] if len(sys.argv) > 1 else ""
    admin = target if target.startswith("postgres") else ""
    if admin:
        url = asyncio.run(scratch_pg(admin))
    else:
        url = f"sqlite://{Path(tempfile.mkdtemp(prefix='rs-bench-')) / 'bench.sqlite3'}"
    try:
        result = asyncio.run(run(url))
    finally:
        if admin:
            asyncio.run(drop_pg(admin, url))
    dialect = "postgres" if admin else "sqlite"
    base = result["baseline insert/s"]
    print(f"{dialect}: {N} transfers each")
    for name, rate in result.items():
        print(f"  {name:<18} {rate:8.0f}   ({rate / base:.2f}× the baseline)")


if __name__ == "__main__":
    main()
