"""Lots: which of a member's points are which, so the oldest are spent first and expiry takes
exactly what is left of expired earnings.

`ledger.post` calls `follow` for every new transfer, inside its transaction and after it has
moved the balances, so the member's account row is already locked (the conditional UPDATE holds
it until commit on PostgreSQL; SQLite serialises writers) and no other transaction can touch
the member's lots until this one ends. A member's lots with points left therefore always sum to
the balance, which `ledger-check` verifies.

The rules, one per kind of movement:
- Points reaching a member (an earning, an award) open a new lot; the rules in force then fix
  when it expires.
- Points leaving a member (a redemption, a deduction) are taken from the oldest lots first.
  A reversal of an earning takes first from that earning's own lot, then oldest first.
  Expiry takes exactly the lots named (`from_lots`), all of what is left of each.
- Undoing a debit (a redemption's refund, the reversal of a deduction) puts back exactly what
  that debit took from each lot, with the lots' own earning and expiry dates. A lot already past
  its date expires at the next run: redeeming and cancelling does not make old points new.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tortoise.expressions import F

from models.ledger import AccountKind, PointAccount, PointLot, PointLotMove, PointTransfer
from points_engine import rules

BATCH = 200


class LotsOutOfStep(RuntimeError):
    """The lots do not cover a balance: the ledger was changed behind the engine's back.
    Not a member's mistake, so not a PointsError: the transaction rolls back and the fault shows."""


async def follow(
    transfer: PointTransfer,
    debit: PointAccount,
    credit: PointAccount,
    *,
    timezone: str,
    undoes_id: int | None = None,
    from_lots: Sequence[int] | None = None,
) -> None:
    moves: list[PointLotMove] = []
    if debit.kind == AccountKind.MEMBER:
        moves += await _take(transfer, debit, undoes_id, from_lots)
    if credit.kind == AccountKind.MEMBER:
        moves += await _give(transfer, credit, timezone, undoes_id)
    if moves:
        await PointLotMove.bulk_create(moves)


async def _give(
    transfer: PointTransfer, account: PointAccount, timezone: str, undoes_id: int | None
) -> list[PointLotMove]:
    left = int(transfer.amount)
    moves: list[PointLotMove] = []
    if undoes_id is not None:
        taken = await PointLotMove.filter(
            transfer_id=undoes_id, amount__lt=0, lot__account_id=account.id
        ).order_by("id")
        for move in taken:
            back = min(-int(move.amount), left)
            if back <= 0:
                break
            await PointLot.filter(id=move.lot_id).update(remaining=F("remaining") + back)
            moves.append(PointLotMove(lot_id=move.lot_id, transfer_id=transfer.id, amount=back))
            left -= back
    if left > 0:
        # New points, or the rest of an undo whose debit took more than lots held (a lot backfilled
        # when lots began): a lot of their own, dated now.
        policy = (await rules.current(account.community_id)).expiry
        await PointLot.create(
            community_id=account.community_id,
            account_id=account.id,
            transfer_id=transfer.id,
            amount=left,
            remaining=left,
            earned_at=transfer.created_at,
            expires_at=policy.expires_at(transfer.created_at, timezone),
        )
    return moves


async def _take(
    transfer: PointTransfer,
    account: PointAccount,
    undoes_id: int | None,
    from_lots: Sequence[int] | None,
) -> list[PointLotMove]:
    wanted = int(transfer.amount)
    plan: list[tuple[PointLot, int]] = []
    if from_lots is not None:
        lots = await PointLot.filter(id__in=list(from_lots), account_id=account.id, remaining__gt=0)
        plan = [(lot, int(lot.remaining)) for lot in lots]
        if sum(n for _, n in plan) != wanted:
            raise LotsOutOfStep(f"lots {list(from_lots)} do not hold {wanted} points")
    else:
        seen: set[int] = set()
        if undoes_id is not None:
            own = await PointLot.filter(transfer_id=undoes_id, account_id=account.id, remaining__gt=0)
            for lot in own:
                share = min(int(lot.remaining), wanted)
                plan.append((lot, share))
                seen.add(lot.id)
                wanted -= share
        after = 0
        while wanted > 0:
            batch = (
                await PointLot.filter(account_id=account.id, remaining__gt=0, id__gt=after)
                .order_by("id")
                .limit(BATCH)
            )
            if not batch:
                raise LotsOutOfStep(f"account {account.id} lots are short by {wanted} points")
            for lot in batch:
                after = lot.id
                if lot.id in seen or wanted == 0:
                    continue
                share = min(int(lot.remaining), wanted)
                plan.append((lot, share))
                wanted -= share
    emptied = [lot.id for lot, share in plan if share == lot.remaining]
    if emptied:
        await PointLot.filter(id__in=emptied).update(remaining=0)
    for lot, share in plan:
        if share != lot.remaining:
            await PointLot.filter(id=lot.id).update(remaining=F("remaining") - share)
    return [PointLotMove(lot_id=lot.id, transfer_id=transfer.id, amount=-share) for lot, share in plan]


async def upcoming(account_id: int, first: int) -> list[tuple[datetime, int]]:
    """(when, how many points) of the member's points that will expire, soonest first."""
    from tortoise.functions import Sum

    rows = (
        await PointLot.filter(account_id=account_id, remaining__gt=0, expires_at__not_isnull=True)
        .annotate(points=Sum("remaining"))
        .group_by("expires_at")
        .order_by("expires_at")
        .limit(first)
        .values("expires_at", "points")
    )
    return [(row["expires_at"], int(row["points"])) for row in rows]
