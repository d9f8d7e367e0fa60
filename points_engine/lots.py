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
from functools import lru_cache

from tortoise.expressions import F

from models.ledger import AccountKind, PointAccount, PointLot, PointLotMove, PointTransfer
from points_engine import rules
from runtime.database import execute, fetch, insert

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
    moves: list[tuple[int, int]] = []  # (lot id, points): what this transfer did to each lot
    if debit.kind == AccountKind.MEMBER:
        moves += await _take(transfer, debit, undoes_id, from_lots)
    if credit.kind == AccountKind.MEMBER:
        moves += await _give(transfer, credit, timezone, undoes_id)
    if moves:
        await execute(_insert_moves(len(moves)), [v for lot_id, n in moves for v in (lot_id, transfer.id, n)])


# Lots move on every transfer of a member's points, so their statements are written by hand
# (each one through the ORM cost ~0.5 ms of worker CPU): one read of the lots to spend, one
# UPDATE of all the lots it spends from (it was one for the emptied lots and one per lot left
# partly spent), one INSERT of all the moves.
_OLDEST = (
    'SELECT "id", "remaining" FROM "point_lot" '
    'WHERE "account_id" = $1 AND "remaining" > 0 AND "id" > $2 ORDER BY "id" LIMIT $3'
)
_OWN = (
    'SELECT "id", "remaining" FROM "point_lot" '
    'WHERE "transfer_id" = $1 AND "account_id" = $2 AND "remaining" > 0 ORDER BY "id"'
)


@lru_cache(maxsize=64)
def _insert_moves(count: int) -> str:
    rows = ", ".join(f"(${3 * i + 1}, ${3 * i + 2}, ${3 * i + 3})" for i in range(count))
    return f'INSERT INTO "point_lot_move" ("lot_id", "transfer_id", "amount") VALUES {rows}'  # noqa: S608 - placeholders only


@lru_cache(maxsize=64)
def _spend(count: int) -> str:
    """Take `share` from each of `count` lots; parameters: (lot id, share) pairs. A lot emptied
    ends at 0 as before: it is the member's row lock that keeps its `remaining` as read."""
    cases = " ".join(f"WHEN ${2 * i + 1} THEN CAST(${2 * i + 2} AS BIGINT)" for i in range(count))
    ids = ", ".join(f"${2 * i + 1}" for i in range(count))
    return f'UPDATE "point_lot" SET "remaining" = "remaining" - CASE "id" {cases} END WHERE "id" IN ({ids})'  # noqa: S608 - placeholders only


async def _give(
    transfer: PointTransfer, account: PointAccount, timezone: str, undoes_id: int | None
) -> list[tuple[int, int]]:
    left = int(transfer.amount)
    moves: list[tuple[int, int]] = []
    if undoes_id is not None:
        taken = await PointLotMove.filter(
            transfer_id=undoes_id, amount__lt=0, lot__account_id=account.id
        ).order_by("id")
        for move in taken:
            back = min(-int(move.amount), left)
            if back <= 0:
                break
            await PointLot.filter(id=move.lot_id).update(remaining=F("remaining") + back)
            moves.append((move.lot_id, back))
            left -= back
    if left > 0:
        # New points, or the rest of an undo whose debit took more than lots held (a lot backfilled
        # when lots began): a lot of their own, dated now.
        policy = (await rules.current(account.community_id)).expiry
        await insert(
            PointLot,
            {
                "community_id": account.community_id,
                "account_id": account.id,
                "transfer_id": transfer.id,
                "amount": left,
                "remaining": left,
                "earned_at": transfer.created_at,
                "expires_at": policy.expires_at(transfer.created_at, timezone),
            },
        )
    return moves


async def _take(
    transfer: PointTransfer,
    account: PointAccount,
    undoes_id: int | None,
    from_lots: Sequence[int] | None,
) -> list[tuple[int, int]]:
    wanted = int(transfer.amount)
    plan: list[tuple[int, int]] = []  # (lot id, points taken from it)
    if from_lots is not None:
        lots = await PointLot.filter(id__in=list(from_lots), account_id=account.id, remaining__gt=0)
        plan = [(lot.id, int(lot.remaining)) for lot in lots]
        if sum(n for _, n in plan) != wanted:
            raise LotsOutOfStep(f"lots {list(from_lots)} do not hold {wanted} points")
    else:
        seen: set[int] = set()
        if undoes_id is not None:
            for lot in await fetch(_OWN, [undoes_id, account.id]):
                share = min(int(lot["remaining"]), wanted)
                plan.append((lot["id"], share))
                seen.add(lot["id"])
                wanted -= share
        after = 0
        while wanted > 0:
            batch = await fetch(_OLDEST, [account.id, after, BATCH])
            if not batch:
                raise LotsOutOfStep(f"account {account.id} lots are short by {wanted} points")
            for lot in batch:
                after = lot["id"]
                if lot["id"] in seen or wanted == 0:
                    continue
                share = min(int(lot["remaining"]), wanted)
                plan.append((lot["id"], share))
                wanted -= share
    if plan:
        await execute(_spend(len(plan)), [v for pair in plan for v in pair])
    return [(lot_id, -share) for lot_id, share in plan]


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
