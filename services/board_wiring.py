"""The leaderboard's index follows the ledger: every posted transfer that earns a member points
adds them to that member's month and all-time rows (models.boards.BoardEarning), in the same
transaction; a reversal of an earning subtracts from the month the earning was counted in.
Spending, redemptions, expiry and deductions never lower a rank. Ranking bonuses do not count
(a bonus for a rank must not carry the rank into the next month).

Registered with `points_engine.ledger.on_posted` by services/subscribers.py.
"""

from __future__ import annotations

from tortoise import connections

from models.boards import ALL_TIME
from models.ledger import AccountKind, PointAccount, PointTransfer, TransferKind
from points_engine import ledger

EARNING_KINDS = frozenset(
    {
        TransferKind.ATTENDANCE,
        TransferKind.REPORT,
        TransferKind.REPAIR,
        TransferKind.INSPECTION,
        TransferKind.MANUAL_AWARD,
    }
)


async def add(community_id: int, user_id: int, month: str, delta: int) -> None:
    """Add `delta` to the member's month and all-time rows, creating them: one upsert statement
    (INSERT … ON CONFLICT … DO UPDATE, on PostgreSQL and SQLite ≥ 3.24 alike), safe against a
    concurrent first insert, run on the caller's transaction."""
    conn = connections.get("default")
    p = [f"${i}" if conn.capabilities.dialect == "postgres" else "?" for i in range(1, 9)]
    sql = (
        "INSERT INTO board_earning (community_id, user_id, period, points) "  # noqa: S608 - placeholders
        f"VALUES ({p[0]}, {p[1]}, {p[2]}, {p[3]}), ({p[4]}, {p[5]}, {p[6]}, {p[7]}) "
        "ON CONFLICT (community_id, period, user_id) "
        "DO UPDATE SET points = board_earning.points + excluded.points"
    )
    await conn.execute_query(
        sql, [community_id, user_id, month, delta, community_id, user_id, ALL_TIME, delta]
    )


async def on_posted(transfer: PointTransfer, debit: PointAccount, credit: PointAccount) -> None:
    if transfer.kind in EARNING_KINDS and credit.kind == AccountKind.MEMBER and credit.user_id:
        month, user_id, delta = transfer.local_day[:7], credit.user_id, transfer.amount
    elif transfer.kind == TransferKind.REVERSAL and debit.kind == AccountKind.MEMBER and debit.user_id:
        original = await PointTransfer.get_or_none(id=transfer.reverses_id)
        if original is None or original.kind not in EARNING_KINDS:
            return
        month, user_id, delta = original.local_day[:7], debit.user_id, -transfer.amount
    else:
        return
    await add(transfer.community_id, user_id, month, delta)


def register() -> None:
    ledger.on_posted(on_posted)


def unregister() -> None:
    ledger.remove_posted_hook(on_posted)
