"""The leaderboard's index follows the ledger: every posted transfer that earns a member points
adds them to that member's month and all-time rows (models.boards.BoardEarning), in the same
transaction; a reversal of an earning subtracts from the month the earning was counted in.

A deduction by staff (a penalty, or the correction of an award) subtracts from the month it is
posted in, and reversing the deduction gives it back to that month: ranks count what members
earned, and a penalty takes earning away. Spending (redemptions), refunds and expiry never lower
a rank. Ranking bonuses do not count (a bonus for a rank must not carry the rank into the next
month).

Registered with `points_engine.ledger.on_posted` by services/subscribers.py.
"""

from __future__ import annotations

from tortoise import connections

from models.boards import ALL_TIME
from models.ledger import AccountKind, PointAccount, PointTransfer, TransferKind
from points_engine import ledger
from runtime.database import placeholder

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
    p = [placeholder(i) for i in range(1, 9)]
    sql = (
        "INSERT INTO board_earning (community_id, user_id, period, points) "  # noqa: S608 - placeholders
        f"VALUES ({p[0]}, {p[1]}, {p[2]}, {p[3]}), ({p[4]}, {p[5]}, {p[6]}, {p[7]}) "
        "ON CONFLICT (community_id, period, user_id) "
        "DO UPDATE SET points = board_earning.points + excluded.points"
    )
    await connections.get("default").execute_query(
        sql, [community_id, user_id, month, delta, community_id, user_id, ALL_TIME, delta]
    )


def _member(account: PointAccount) -> int | None:
    return account.user_id if account.kind == AccountKind.MEMBER else None


async def on_posted(transfer: PointTransfer, debit: PointAccount, credit: PointAccount) -> None:
    counted, sign, user_id = transfer, 0, None
    if transfer.kind in EARNING_KINDS:
        sign, user_id = 1, _member(credit)
    elif transfer.kind == TransferKind.MANUAL_DEDUCT:
        sign, user_id = -1, _member(debit)
    elif transfer.kind == TransferKind.REVERSAL:
        original = await PointTransfer.get_or_none(id=transfer.reverses_id)
        if original is not None and original.kind in EARNING_KINDS:
            counted, sign, user_id = original, -1, _member(debit)
        elif original is not None and original.kind == TransferKind.MANUAL_DEDUCT:
            counted, sign, user_id = original, 1, _member(credit)
    if sign and user_id:
        await add(transfer.community_id, user_id, counted.local_day[:7], sign * transfer.amount)


def register() -> None:
    ledger.on_posted(on_posted)


def unregister() -> None:
    ledger.remove_posted_hook(on_posted)
