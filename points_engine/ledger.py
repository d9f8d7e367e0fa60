"""Posting transfers: the one way points move.

`post` is the single door. It inserts the transfer under its unique source key (a replay returns
the first transfer and changes nothing), then moves the balances with conditional UPDATEs — a
member's debit only `WHERE balance >= amount`, checked by the affected row count — in a fixed
order (member accounts, then system accounts, each by id) so concurrent transactions never
deadlock. Nothing reads a balance and writes it back, so it holds on PostgreSQL under
concurrency (tortoise's `.values()` drops FOR UPDATE, tortoise issue #2250) and on SQLite.

After the balances, still holding the member's row, it moves the member's lots
(points_engine.lots: oldest first, expiry, what a refund puts back).

Hooks registered with `on_posted` run inside the same transaction for each new transfer; the
leaderboard adds its per-period earnings there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.ledger import AccountKind, PointAccount, PointTransfer, TransferKind
from points_engine import accounts, lots
from points_engine.errors import ErrorCode, PointsError
from points_engine.localtime import local_day, timezone_of
from runtime import clock
from runtime.database import fetch, insert_new
from runtime.i18n import N_

MAX_AMOUNT = 10_000_000
MEMO_MAX = 200
SOURCE_KEY_MAX = 160
# Points leaving through a redemption come back by cancelling it; expiry is final.
NOT_REVERSIBLE = frozenset(
    {TransferKind.REVERSAL, TransferKind.REDEMPTION, TransferKind.REDEMPTION_REFUND, TransferKind.EXPIRY}
)


@dataclass(frozen=True)
class Posted:
    transfer: PointTransfer
    created: bool  # False: the source key had been posted before; nothing changed


PostHook = Callable[[PointTransfer, PointAccount, PointAccount], Awaitable[None]]
_hooks: list[PostHook] = []


def on_posted(hook: PostHook) -> None:
    """Run `hook(transfer, debit, credit)` inside the transaction of every new transfer."""
    if hook not in _hooks:
        _hooks.append(hook)


def remove_posted_hook(hook: PostHook) -> None:
    if hook in _hooks:
        _hooks.remove(hook)


def check_amount(amount: object, field: str = "amount") -> int:
    if not isinstance(amount, int) or isinstance(amount, bool) or not 0 < amount <= MAX_AMOUNT:
        raise PointsError(
            ErrorCode.INVALID_AMOUNT,
            N_("Points must be a whole number from 1 to {max_amount}."),
            field,
            max_amount=MAX_AMOUNT,
        )
    return amount


async def post(
    *,
    debit: PointAccount,
    credit: PointAccount,
    amount: int,
    kind: TransferKind,
    source_key: str,
    memo: str = "",
    actor_user_id: int | None = None,
    rule_version: int | None = None,
    by_hand: bool = False,
    reverses_id: int | None = None,
    timezone: str | None = None,
    undoes_id: int | None = None,
    from_lots: Sequence[int] | None = None,
    fresh_source: bool = False,
) -> Posted:
    """Move `amount` points from `debit` to `credit`, once per `source_key`.

    `fresh_source`: the source key names a row the caller's transaction has just inserted (a
    redemption), so no transfer can have it yet: the look-up before the insert is skipped, and
    the unique index still decides if one does.

    `undoes_id`: the transfer this one takes back (a redemption's refund names the redemption),
    so the member's lots get back what it took; a reversal implies it. `from_lots`: the exact
    lots a member's debit empties (expiry); otherwise the oldest are spent first.
    """
    check_amount(amount)
    if debit.id == credit.id or debit.community_id != credit.community_id:
        raise PointsError(ErrorCode.UNKNOWN_ACCOUNT, N_("A transfer moves points within one community."))
    if not 0 < len(source_key) <= SOURCE_KEY_MAX:
        raise PointsError(ErrorCode.INVALID_INPUT, N_("A transfer needs a source key."), "sourceKey")
    memo = memo[:MEMO_MAX]
    async with in_transaction():
        existing = None if fresh_source else await PointTransfer.get_or_none(source_key=source_key)
        if existing is not None:
            return Posted(existing, False)
        now = clock.now()
        zone = timezone or await timezone_of(debit.community_id)
        # A concurrent post of the same source key that committed first makes this insert do
        # nothing, without the error that would abort the transaction on PostgreSQL.
        transfer = await insert_new(
            PointTransfer,
            {
                "community_id": debit.community_id,
                "debit_id": debit.id,
                "credit_id": credit.id,
                "amount": amount,
                "kind": kind,
                "memo": memo,
                "actor_id": actor_user_id,
                "source_key": source_key,
                "rule_version": rule_version,
                "by_hand": by_hand,
                "reverses_id": reverses_id,
                "created_at": now,
                "local_day": local_day(now, zone),
            },
            unique=("source_key",),
        )
        if transfer is None:
            # The first one stands.
            existing = await PointTransfer.get_or_none(source_key=source_key)
            if existing is None:
                raise IntegrityError(f"transfer source key {source_key!r} is taken")
            return Posted(existing, False)
        moves = sorted(((debit, -amount), (credit, amount)), key=lambda m: (m[0].kind != "member", m[0].id))
        for account, delta in moves:
            await _move(account, delta)
        await lots.follow(
            transfer,
            debit,
            credit,
            timezone=zone,
            undoes_id=undoes_id if undoes_id is not None else reverses_id,
            from_lots=from_lots,
        )
        for hook in list(_hooks):
            await hook(transfer, debit, credit)
        return Posted(transfer, True)


_CREDIT = 'UPDATE "point_account" SET "balance" = "balance" + $1 WHERE "id" = $2 RETURNING "balance"'
# Member balances never go negative: the database decides, not a value read earlier.
_DEBIT_MEMBER = (
    'UPDATE "point_account" SET "balance" = "balance" + $1 '
    'WHERE "id" = $2 AND "balance" >= $3 RETURNING "balance"'
)


async def _move(account: PointAccount, delta: int) -> None:
    """Move the balance; `account.balance` becomes the balance as this transaction left it."""
    guarded = delta < 0 and account.kind == AccountKind.MEMBER
    if guarded:
        moved = await fetch(_DEBIT_MEMBER, [delta, account.id, -delta])
    else:
        moved = await fetch(_CREDIT, [delta, account.id])
    if len(moved) != 1:
        if guarded:
            raise PointsError(ErrorCode.INSUFFICIENT_POINTS, N_("Not enough points."), "amount")
        raise PointsError(ErrorCode.UNKNOWN_ACCOUNT, N_("The account does not exist."))
    account.balance = int(moved[0]["balance"])


async def reverse(
    community_id: int,
    transfer_id: int,
    actor_user_id: int | None,
    reason: str,
    *,
    by_hand: bool,
    clamp_to_balance: bool = False,
) -> Posted | None:
    """Post the opposite of a transfer, linked to it; a transfer is reversed at most once.

    `clamp_to_balance` is for automatic reversals (a report rejected after it paid): when the
    member has spent some of the points, take back what is left rather than fail the rejection.
    Returns None when there was nothing left to take back.
    """
    async with in_transaction():
        original = await PointTransfer.get_or_none(id=transfer_id, community_id=community_id)
        if original is None:
            raise PointsError(ErrorCode.NOT_FOUND, N_("No such transfer."), "transferId")
        if original.kind in NOT_REVERSIBLE:
            raise PointsError(
                ErrorCode.NOT_REVERSIBLE,
                N_("This transfer cannot be reversed (cancel a redemption instead)."),
                "transferId",
            )
        if await PointTransfer.exists(reverses_id=original.id):
            raise PointsError(ErrorCode.ALREADY_REVERSED, N_("Already reversed."), "transferId")
        debit = await PointAccount.get(id=original.credit_id)
        credit = await PointAccount.get(id=original.debit_id)
        amount = original.amount
        if clamp_to_balance and debit.kind == AccountKind.MEMBER:
            amount = min(amount, (await accounts.lock(debit)).balance)
            if amount <= 0:
                return None
        posted = await post(
            debit=debit,
            credit=credit,
            amount=amount,
            kind=TransferKind.REVERSAL,
            source_key=f"reversal:{original.id}",
            memo=reason,
            actor_user_id=actor_user_id,
            by_hand=by_hand,
            reverses_id=original.id,
        )
        if not posted.created:
            raise PointsError(ErrorCode.ALREADY_REVERSED, N_("Already reversed."), "transferId")
        return posted
