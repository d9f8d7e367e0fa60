"""The leaderboard's index follows the ledger: every posted transfer that earns a member points
adds them to that member's month and all-time rows (models.boards.BoardEarning), in the same
transaction; a reversal of an earning subtracts from the month the earning was counted in.
Spending, redemptions, expiry and deductions never lower a rank. Ranking bonuses do not count
(a bonus for a rank must not carry the rank into the next month).

Registered with `points_engine.ledger.on_posted` by services/subscribers.py.
"""

from __future__ import annotations

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.boards import ALL_TIME, BoardEarning
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


async def add(community_id: int, user_id: int, period: str, delta: int) -> None:
    """Add `delta` to one row, creating it; safe against a concurrent first insert."""
    row = BoardEarning.filter(community_id=community_id, period=period, user_id=user_id)
    if await row.update(points=F("points") + delta):
        return
    try:
        async with in_transaction():
            await BoardEarning.create(community_id=community_id, user_id=user_id, period=period, points=delta)
    except IntegrityError:
        await row.update(points=F("points") + delta)


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
    await add(transfer.community_id, user_id, ALL_TIME, delta)


def register() -> None:
    ledger.on_posted(on_posted)


def unregister() -> None:
    ledger.remove_posted_hook(on_posted)
