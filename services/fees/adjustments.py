"""A bill's history besides its payments: waivers (免收), their undoing, and hardship reductions
granted after a bill was issued (减免). Each is an entry of its own (`FeeBillAdjustment`), written
in the same transaction as the bill's columns it moves; the issued price (area, unit price,
gross) is never touched, and nothing here moves money: receipts and the public accounts count
payments only.

- **Waiver.** The community office lets a household off one bill, with a reason. Only a bill
  nobody has paid anything on can be waived: money taken stays accounted for by its receipt
  (give it back by reversing the payment first). A waived bill keeps its amount and leaves the
  arrears, the reminders and the collection rate: the household was let off, so it was not
  billed for it (counting it as billed-and-unpaid would lower the rate for the office's own
  decision; counting it as collected would show money that never came). Undoing a waiver is a
  second entry naming the first (unique, so once), and the bill is owed again as it was, less a
  hardship reduction granted while it was waived (a reduction passes a waived bill by, as it
  passes a paid one): that comes off as an entry of its own naming the reduction, as after a
  reversal below, so the bill asks what it would had it never been waived.
- **Reduction of issued bills.** A hardship reduction covers the bills whose period starts in
  its window. Bills issued later get it when issued (services.fees.billing); the ones already
  issued and still open get an entry taking the difference off what they still ask, never
  below what was paid already (a refund is a reversal of the payment, as in HC小区管理系统,
  where a reduction of a paid fee becomes a separate cash-back and the fee detail stays).
  When that payment is reversed, the bill gets what the payment kept off it: one more entry
  naming the reduction, so the bill asks exactly what it would had the payment never been made.

Every change locks the bills in id order, as a payment does, so a payment of the same bill at
the same moment either comes first (then the reduction sees it paid) or waits and finds the
bill already reduced (then it is refused as more than owed): never both on stale numbers. A
reduction, a reversal and the undoing of a waiver also lock the household first
(services.fees.households.lock): the second reads what the first wrote, so a reduction is
neither lost nor applied twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.fees import (
    AdjustmentKind,
    BillState,
    FeeBill,
    FeeBillAdjustment,
    FeePayment,
    FeePaymentLine,
    FeeReduction,
    PaymentKind,
)
from models.people import User
from runtime import clock
from runtime.i18n import N_
from services import idempotency
from services.access import Viewer
from services.errors import DomainError, ErrorCode
from services.fees import billing, households
from services.fees.billing import bill_state

REASON_MAX = 200
OPEN_STATES = (BillState.UNPAID, BillState.PART_PAID)


@dataclass(frozen=True)
class Adjusted:
    bill: FeeBill
    entry: FeeBillAdjustment
    created: bool  # False: a replay of the same idempotency key


async def get_bill(viewer: Viewer, bill_id: int, field: str = "billId") -> FeeBill:
    """A bill of a community the viewer's office runs; any other id is not found."""
    viewer.require_user()
    bill = await FeeBill.get_or_none(id=bill_id)
    if bill is None or not viewer.is_member(bill.community_id):
        raise DomainError(ErrorCode.NOT_FOUND, N_("No such bill."), field)
    viewer.require_manager(bill.community_id)
    return bill


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not 1 <= len(reason) <= REASON_MAX:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            N_("Give the reason (at most {reason_max} characters)."),
            "reason",
            reason_max=REASON_MAX,
        )
    return reason


async def _replayed(viewer: Viewer, key: str | None, operation: str, digest: str) -> Adjusted | None:
    if key is None:
        return None
    first_id = await idempotency.replayed(viewer.user_id, key, operation, digest)
    if first_id is None:
        return None
    entry = await FeeBillAdjustment.get(id=first_id)
    return Adjusted(await FeeBill.get(id=entry.bill_id), entry, False)


async def _active_waiver(bill_id: int) -> FeeBillAdjustment | None:
    """The bill's waiver not undone yet (at most one: a bill is waived again only after undoing)."""
    waivers = await FeeBillAdjustment.filter(bill_id=bill_id, kind=AdjustmentKind.WAIVER).order_by("-id")
    if not waivers:
        return None
    undone = set(
        await FeeBillAdjustment.filter(
            reverses_id__in=[w.id for w in waivers], kind=AdjustmentKind.WAIVER_UNDONE
        ).values_list("reverses_id", flat=True)
    )
    return next((w for w in waivers if w.id not in undone), None)


async def _change(
    viewer: Viewer,
    bill_id: int,
    reason: str,
    idempotency_key: str | None,
    operation: str,
    kind: AdjustmentKind,
) -> Adjusted:
    bill = await get_bill(viewer, bill_id)
    key = idempotency.clean_key(idempotency_key)
    digest = idempotency.input_hash({"bill": bill_id, "reason": reason})
    first = await _replayed(viewer, key, operation, digest)
    if first is not None:
        return first
    reason = _reason(reason)
    try:
        async with in_transaction():
            if kind == AdjustmentKind.WAIVER_UNDONE:
                # Owed again, the bill takes the reductions granted meanwhile: the household
                # first, as a reduction takes it, so neither misses what the other wrote.
                await households.lock(bill.household_id)
            # Locked as a payment locks it: whichever comes second sees what the first did.
            locked = await FeeBill.filter(id=bill.id).select_for_update().first()
            assert locked is not None
            if kind == AdjustmentKind.WAIVER:
                entry = await _waive(locked, reason, viewer.user_id)
            else:
                entry = await _undo(locked, reason, viewer.user_id)
            if key is not None:
                await idempotency.remember(viewer.user_id, key, operation, digest, entry.id)
    except IntegrityError:
        # The same key twice at once, or two offices undoing one waiver: the first stands.
        replayed = await _replayed(viewer, key, operation, digest)
        if replayed is not None:
            return replayed
        raise DomainError(
            ErrorCode.ALREADY_REVERSED, N_("This waiver was undone already."), "billId"
        ) from None
    return Adjusted(locked, entry, True)


async def _waive(bill: FeeBill, reason: str, user_id: int) -> FeeBillAdjustment:
    if bill.state == BillState.WAIVED:
        raise DomainError(ErrorCode.FEE_BILL_SETTLED, N_("This bill is waived already."), "billId")
    if bill.paid_fen or bill.state == BillState.PAID:
        raise DomainError(
            ErrorCode.FEE_BILL_PAID,
            N_("A bill paid in full or in part cannot be waived; reverse its payments first."),
            "billId",
        )
    moved = await FeeBill.filter(id=bill.id, state=BillState.UNPAID, paid_fen=0).update(
        state=BillState.WAIVED
    )
    bill.state = BillState.WAIVED  # the locked row, which the caller answers with
    if not moved:
        raise DomainError(
            ErrorCode.FEE_BILL_SETTLED, N_("The bills just changed; refresh and try again."), "billId"
        )
    return await FeeBillAdjustment.create(
        community_id=bill.community_id,
        bill_id=bill.id,
        kind=AdjustmentKind.WAIVER,
        amount_fen=bill.amount_fen,
        reason=reason,
        created_by_id=user_id,
        created_at=clock.now(),
    )


async def _undo(bill: FeeBill, reason: str, user_id: int) -> FeeBillAdjustment:
    waiver = await _active_waiver(bill.id) if bill.state == BillState.WAIVED else None
    if waiver is None:
        raise DomainError(ErrorCode.NOT_REVERSIBLE, N_("This bill is not waived; nothing to undo."), "billId")
    bill.state = bill_state(bill.amount_fen, bill.paid_fen)
    await FeeBill.filter(id=bill.id, state=BillState.WAIVED).update(state=bill.state)
    entry = await FeeBillAdjustment.create(
        community_id=bill.community_id,
        bill_id=bill.id,
        kind=AdjustmentKind.WAIVER_UNDONE,
        amount_fen=waiver.amount_fen,
        reverses_id=waiver.id,
        reason=reason,
        created_by_id=user_id,
        created_at=clock.now(),
    )
    # A reduction granted while the bill was waived passed it by (reduce_issued reaches open
    # bills only): owed again, it takes what it would have taken.
    await reduce_reopened([bill], user_id, "billId")
    return entry


async def waive(viewer: Viewer, bill_id: int, *, reason: str, idempotency_key: str | None = None) -> Adjusted:
    """The office lets the household off this bill (nothing paid on it yet), with a reason."""
    return await _change(viewer, bill_id, reason, idempotency_key, "feeBillWaive", AdjustmentKind.WAIVER)


async def undo_waiver(
    viewer: Viewer, bill_id: int, *, reason: str, idempotency_key: str | None = None
) -> Adjusted:
    """The bill's waiver taken back by an entry naming it: the bill is owed again."""
    return await _change(
        viewer, bill_id, reason, idempotency_key, "feeBillWaiverUndo", AdjustmentKind.WAIVER_UNDONE
    )


async def _top_up(
    bill: FeeBill, target_fen: int, reduction_id: int, user_id: int, now: datetime, field: str
) -> FeeBillAdjustment | None:
    """The locked bill's reduction taken up to `target_fen` (what the reduction asks of its gross),
    less only what is still owed: never below what was paid. The entry to write, or None when
    nothing comes off (reduced as much already, or nothing owed). `bill` follows the row."""
    off = min(target_fen - bill.reduction_fen, bill.amount_fen - bill.paid_fen)
    if off <= 0:
        return None
    state = bill_state(bill.amount_fen - off, bill.paid_fen)
    moved = await FeeBill.filter(
        id=bill.id, amount_fen=bill.amount_fen, paid_fen=bill.paid_fen, state__in=OPEN_STATES
    ).update(reduction_fen=F("reduction_fen") + off, amount_fen=F("amount_fen") - off, state=state)
    if not moved:
        raise DomainError(
            ErrorCode.FEE_BILL_SETTLED, N_("The bills just changed; refresh and try again."), field
        )
    bill.reduction_fen, bill.amount_fen, bill.state = bill.reduction_fen + off, bill.amount_fen - off, state
    return FeeBillAdjustment(
        community_id=bill.community_id,
        bill_id=bill.id,
        kind=AdjustmentKind.REDUCTION,
        amount_fen=off,
        reduction_id=reduction_id,
        created_by_id=user_id,
        created_at=now,
    )


async def reduce_issued(reduction: FeeReduction, user_id: int) -> list[FeeBill]:
    """Inside the reduction's transaction: the household's issued, still open bills whose period
    starts in the reduction's window ask what they would have asked had it been there at issue,
    less only what is still owed (never below what was paid). Returns the bills reduced."""
    await households.lock(reduction.household_id)  # before its bills: see households.lock
    query = FeeBill.filter(
        household_id=reduction.household_id, state__in=OPEN_STATES, period_start__gte=reduction.valid_from
    )
    if reduction.valid_until is not None:
        query = query.filter(period_start__lte=reduction.valid_until)
    bills = await query.order_by("id").select_for_update()
    now = clock.now()
    entries: list[FeeBillAdjustment] = []
    for bill in bills:
        target = billing.reduction_fen(bill.gross_fen, reduction.percent)
        entry = await _top_up(bill, target, reduction.id, user_id, now, "householdId")
        if entry is not None:
            entries.append(entry)
    await FeeBillAdjustment.bulk_create(entries)
    return await adjusted_by(reduction.id) if entries else []


async def reduce_reopened(bills: Sequence[FeeBill], user_id: int, field: str = "paymentId") -> None:
    """Inside a reversal's (or a waiver's undoing's) transaction, the household and `bills`
    locked and their columns given back: a reduction granted after a bill was issued took off at
    most what was still owed then (nothing of a bill paid in full or waived). With the payment
    (or the waiver) taken back, each bill asks what it would had it never been made: the largest
    such reduction of its period, less only what other payments still cover. The difference is
    an entry of its own naming that reduction (what the reduction took at the time stays as it
    was written). `field` names the input a refusal points at."""
    reopened = [bill for bill in bills if bill.state in OPEN_STATES]
    if not reopened:
        return
    granted = await FeeReduction.filter(household_id__in=sorted({bill.household_id for bill in reopened}))
    now = clock.now()
    entries: list[FeeBillAdjustment] = []
    for bill in sorted(reopened, key=lambda b: b.id):
        # Granted after the bill was issued: an earlier one was the bill's own at issue (the
        # newest in force wins there), and stays in issued_reduction_fen.
        later = [
            r
            for r in granted
            if r.household_id == bill.household_id
            and r.created_at >= bill.issued_at
            and r.valid_from <= bill.period_start
            and (r.valid_until is None or bill.period_start <= r.valid_until)
        ]
        if not later:
            continue
        largest = max(later, key=lambda r: (r.percent, r.id))
        target = billing.reduction_fen(bill.gross_fen, largest.percent)
        entry = await _top_up(bill, target, largest.id, user_id, now, field)
        if entry is not None:
            entries.append(entry)
    if entries:
        await FeeBillAdjustment.bulk_create(entries)


async def adjusted_by(reduction_id: int) -> list[FeeBill]:
    """The issued bills a reduction took something off, oldest period first."""
    ids = await FeeBillAdjustment.filter(reduction_id=reduction_id).values_list("bill_id", flat=True)
    return list(await FeeBill.filter(id__in=list(ids)).order_by("period_start", "id")) if ids else []


class EntryKind(StrEnum):
    PAYMENT = "payment"
    REVERSAL = "reversal"
    WAIVER = "waiver"
    WAIVER_UNDONE = "waiver_undone"
    REDUCTION = "reduction"


@dataclass(frozen=True)
class Entry:
    kind: EntryKind
    amount_fen: int  # paid (or taken back), waived (or owed again), or taken off
    reason: str
    by: str
    at: datetime
    payment_id: int | None


async def history(viewer: Viewer, bill_id: int) -> tuple[FeeBill, list[Entry]]:
    """The office's audit of one bill: its payments and reversals, waivers and their undoing,
    and reductions granted after issue, oldest first. Four statements whatever its length."""
    bill = await get_bill(viewer, bill_id)
    lines = await FeePaymentLine.filter(bill_id=bill.id).values("payment_id", "amount_fen")
    paid = {line["payment_id"]: line["amount_fen"] for line in lines}
    payments: Sequence[FeePayment] = (
        await FeePayment.filter(id__in=list(paid)).order_by("received_at", "id") if paid else []
    )
    adjustments = await FeeBillAdjustment.filter(bill_id=bill.id).order_by("created_at", "id")
    people = {p.received_by_id for p in payments} | {a.created_by_id for a in adjustments}
    names = dict(await User.filter(id__in=list(people)).values_list("id", "display_name")) if people else {}
    entries = [
        Entry(
            EntryKind.PAYMENT if p.kind == PaymentKind.PAYMENT else EntryKind.REVERSAL,
            paid[p.id],
            p.note,
            str(names.get(p.received_by_id, "")),
            p.received_at,
            p.id,
        )
        for p in payments
    ] + [
        Entry(
            EntryKind(a.kind.value),
            a.amount_fen,
            a.reason,
            str(names.get(a.created_by_id, "")),
            a.created_at,
            None,
        )
        for a in adjustments
    ]
    return bill, sorted(entries, key=lambda e: e.at)
