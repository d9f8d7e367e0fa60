"""The points expiry job: what is left of lots past their date moves to the expiry account.

Idempotent and safe to run from several places at once (the CLI, every server's background
task): each member is handled in its own transaction holding the member's account row, the due
lots are read under that lock, and an emptied lot is never due again. A lot that a refund filled
again after it expired (see points_engine.lots) is simply due again on the next run.

One transfer per member and expiry date, so the history reads "48 points earned 2025-03-02 to
2025-12-30 expired" rather than one line per earning.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import groupby

from tortoise.transactions import in_transaction

from models.ledger import AccountKind, PointAccount, PointLot, PointTransfer, TransferKind
from points_engine import accounts, ledger
from points_engine.ledger import Posted
from points_engine.localtime import local_day, timezone_of
from points_engine.lots import LotsOutOfStep
from runtime import clock

log = logging.getLogger("redsteward.points")


@dataclass(frozen=True)
class ExpiryRun:
    members: int  # members whose points expired in this run
    transfers: int
    points: int


async def expire_due(after_account_id: int = 0, limit: int = 500) -> tuple[ExpiryRun, int | None]:
    """Expire the due lots of up to `limit` members with account ids above `after_account_id`.
    Returns what was done and the id to continue after (None when no member is left)."""
    now = clock.now()
    account_ids = (
        await PointLot.filter(remaining__gt=0, expires_at__lte=now, account_id__gt=after_account_id)
        .distinct()
        .order_by("account_id")
        .limit(limit)
        .values_list("account_id", flat=True)
    )
    members = transfers = points = 0
    for account_id in account_ids:
        try:
            posted = await expire_member(int(account_id), now)  # type: ignore[call-overload]
        except LotsOutOfStep:
            # One damaged account must not stop everyone's expiry; ledger-check names it.
            log.exception("points of an account could not expire", extra={"account_id": account_id})
            continue
        if posted:
            members += 1
            transfers += len(posted)
            points += sum(int(p.transfer.amount) for p in posted)
    last = int(account_ids[-1]) if account_ids else None  # type: ignore[call-overload]
    return ExpiryRun(members, transfers, points), last


async def expire_all() -> ExpiryRun:
    """Every member's due points, a batch at a time: the CLI and the background task call this."""
    members = transfers = points = 0
    after: int | None = 0
    while after is not None:
        run, after = await expire_due(after)
        members, transfers, points = members + run.members, transfers + run.transfers, points + run.points
    return ExpiryRun(members, transfers, points)


async def expire_member(account_id: int, now: datetime) -> list[Posted]:
    done: list[Posted] = []
    async with in_transaction():
        account = await PointAccount.filter(id=account_id).select_for_update(no_key=True).get()
        due = await PointLot.filter(account_id=account_id, remaining__gt=0, expires_at__lte=now).order_by(
            "expires_at", "id"
        )
        if not due:
            return done
        zone = await timezone_of(account.community_id)
        sink = await accounts.system_account(account.community_id, AccountKind.EXPIRY)
        for expires_at, group in groupby(due, key=lambda lot: lot.expires_at):
            lots = list(group)
            amount = sum(int(lot.remaining) for lot in lots)
            assert expires_at is not None
            base = f"expiry:{account_id}:{expires_at.astimezone(UTC):%Y%m%dT%H%M%S}"
            # A lot refilled by a refund after its date expires again: number the later runs.
            earlier = await PointTransfer.filter(debit_id=account_id, source_key__startswith=base).count()
            first = local_day(min(lot.earned_at for lot in lots), zone)
            last = local_day(max(lot.earned_at for lot in lots), zone)
            earned = first if first == last else f"{first} to {last}"
            done.append(
                await ledger.post(
                    debit=account,
                    credit=sink,
                    amount=amount,
                    kind=TransferKind.EXPIRY,
                    source_key=base if earlier == 0 else f"{base}:{earlier + 1}",
                    memo=f"{amount} points earned {earned} expired",
                    timezone=zone,
                    from_lots=[lot.id for lot in lots],
                )
            )
    return done
