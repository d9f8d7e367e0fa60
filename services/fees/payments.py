"""Payments recorded by the office, and their reversals.

A payment settles one or several bills of one household in one transaction: it locks the bills
in id order (two offices paying the same bill: the second waits, then finds it settled), takes
the receipt number from the counter row, writes the payment and its lines, and moves each
bill's paid amount by a conditional UPDATE that can never pass what the bill asks. A payment is
never edited: a mistake is a reversal naming it (unique, so at most once), which takes the
amounts and any free months back and voids the receipt; a hardship reduction the payment kept
off a bill then reaches it (services.fees.adjustments.reduce_reopened), so the bill asks what it
would had the payment never been made. A reversal cannot be reversed.

Online payment (WeChat Pay, Alipay) plugs in here later: a provider's confirmed notification
becomes a call to `record` with method ONLINE_* and the provider's transaction id as reference
and idempotency key, so a notification delivered twice records one payment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.fees import (
    BillState,
    FeeBill,
    FeePayment,
    FeePaymentLine,
    FeeReceipt,
    PaymentKind,
    PaymentMethod,
)
from models.places import Community
from models.rewards import Redemption, RedemptionStatus
from points_engine import redemption as redemptions
from points_engine.errors import PointsError
from points_engine.localtime import local_month, zone
from runtime import clock
from runtime.i18n import N_
from services import idempotency
from services.access import Viewer
from services.errors import DomainError, ErrorCode
from services.fees import adjustments, billing, discounts, households, receipts
from services.fees.billing import bill_state
from services.fees.money import yuan

REFERENCE_MAX = 64
NOTE_MAX = 200
MAX_BILLS = 36
MAX_PAYMENT_FEN = 10_000_000_00  # ten million yuan: a typo, not a fee


@dataclass(frozen=True)
class Recorded:
    payment: FeePayment
    created: bool  # False: a replay of the same idempotency key


def _check_amount(amount_fen: int) -> None:
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise DomainError(
            ErrorCode.INVALID_AMOUNT, N_("The amount must be above zero (in fen)."), "amountFen"
        )
    if amount_fen > MAX_PAYMENT_FEN:
        raise DomainError(ErrorCode.INVALID_AMOUNT, N_("The amount is too large; check it."), "amountFen")


def _clean_reference(method: PaymentMethod, reference: str) -> str:
    reference = (reference or "").strip()
    if len(reference) > REFERENCE_MAX:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            N_("The transaction number is at most {reference_max} characters."),
            "reference",
            reference_max=REFERENCE_MAX,
        )
    if method != PaymentMethod.CASH and not reference:
        raise DomainError(
            ErrorCode.INVALID_INPUT, N_("A transfer needs its transaction number."), "reference"
        )
    return reference


async def _replay(user_id: int, key: str | None, operation: str, digest: str) -> FeePayment | None:
    if key is None:
        return None
    first_id = await idempotency.replayed(user_id, key, operation, digest)
    return None if first_id is None else await FeePayment.get_or_none(id=first_id)


async def record(
    viewer: Viewer,
    household_id: int,
    *,
    bill_ids: Sequence[int],
    amount_fen: int,
    method: PaymentMethod,
    reference: str = "",
    prepay_periods: int = 0,
    gift_recipient_id: int | None = None,
    note: str = "",
    idempotency_key: str | None = None,
) -> Recorded:
    household = await households.get(viewer, household_id)
    community_id = household.community_id
    viewer.require_manager(community_id)
    key = idempotency.clean_key(idempotency_key)
    digest = idempotency.input_hash(
        {
            "household": household_id,
            "bills": sorted(bill_ids),
            "amount": amount_fen,
            "method": str(method),
            "reference": reference,
            "prepay": prepay_periods,
            "gift": gift_recipient_id,
            "note": note,
        }
    )
    first = await _replay(viewer.user_id, key, "feePaymentRecord", digest)
    if first is not None:
        return Recorded(first, False)
    _check_amount(amount_fen)
    reference = _clean_reference(method, reference)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            N_("The note is at most {note_max} characters."),
            "note",
            note_max=NOTE_MAX,
        )
    wanted = sorted(set(bill_ids))
    if len(wanted) > MAX_BILLS:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            N_("Pay at most {max_bills} bills at once."),
            "billIds",
            max_bills=MAX_BILLS,
        )
    if not wanted and not prepay_periods:
        raise DomainError(
            ErrorCode.INVALID_INPUT, N_("Choose the bills to pay, or the periods to prepay."), "billIds"
        )
    if gift_recipient_id is not None:
        # Checked whether or not this payment earns a gift: a name from elsewhere is refused.
        await discounts.gift_recipient(household, gift_recipient_id)
    community = await Community.get(id=community_id)
    now = clock.now()
    today = now.astimezone(zone(community.timezone)).date()
    try:
        async with in_transaction():
            ahead = await billing.issue_ahead(household, prepay_periods, today) if prepay_periods else []
            ids = sorted(set(wanted) | {bill.id for bill in ahead})
            # Locked in id order, so two payments touching the same bills cannot deadlock.
            bills = await FeeBill.filter(id__in=ids).order_by("id").select_for_update()
            if len(bills) != len(ids) or any(b.household_id != household.id for b in bills):
                raise DomainError(
                    ErrorCode.NOT_FOUND, N_("The chosen bills are not this household's."), "billIds"
                )
            for bill in bills:
                if bill.state == BillState.WAIVED:
                    raise DomainError(
                        ErrorCode.FEE_BILL_SETTLED,
                        N_("The bill for {period_label} is waived; there is nothing to pay."),
                        "billIds",
                        period_label=bill.period_label,
                    )
                if bill.state == BillState.PAID:
                    raise DomainError(
                        ErrorCode.FEE_BILL_SETTLED,
                        N_("The bill for {period_label} is paid already; refresh."),
                        "billIds",
                        period_label=bill.period_label,
                    )
            offer = await discounts.in_force(community_id, today)
            discount = discounts.free_months_discount(offer, bills)
            owed = sum(b.amount_fen - b.paid_fen for b in bills)
            owed_after = owed - (discount.total if discount else 0)
            if discount is not None and amount_fen < owed_after:
                discount = None  # the offer is for settling the bills at once; a part payment is not
                owed_after = owed
            if amount_fen > owed_after:
                raise DomainError(
                    ErrorCode.FEE_OVERPAID,
                    N_("The chosen bills come to {owed} yuan; {paid} yuan is more than that."),
                    "amountFen",
                    owed=yuan(owed_after),
                    paid=yuan(amount_fen),
                )
            gift_user: int | None = None
            gift_note = ""
            if discount is not None or amount_fen == owed:
                if discounts.earns_gift(offer, bills):
                    gift_user = await discounts.gift_recipient(household, gift_recipient_id)
                    if gift_user is None:
                        gift_note = "该户尚无居民账号，礼品未登记"
            receipt = await receipts.issue(community_id, today.year, now)
            payment = await FeePayment.create(
                community_id=community_id,
                household_id=household.id,
                kind=PaymentKind.PAYMENT,
                method=method,
                reference=reference,
                amount_fen=amount_fen,
                discount_fen=discount.total if discount else 0,
                receipt_id=receipt.id,
                note=note,
                received_by_id=viewer.user_id,
                received_at=now,
                local_month=local_month(now, community.timezone),
            )
            left = amount_fen
            lines: list[FeePaymentLine] = []
            for bill in sorted(bills, key=lambda b: (b.period_start, b.id)):
                off = discount.by_bill.get(bill.id, 0) if discount else 0
                share = min(left, bill.amount_fen - off - bill.paid_fen)
                if share <= 0 and off == 0:
                    continue
                left -= share
                # What was read under the lock must still hold (a reduction or a waiver moves
                # these columns too; on PostgreSQL the lock already keeps them out).
                moved = await FeeBill.filter(
                    id=bill.id,
                    paid_fen=bill.paid_fen,
                    discount_fen=bill.discount_fen,
                    amount_fen=bill.amount_fen,
                    state=bill.state,
                ).update(
                    paid_fen=F("paid_fen") + share,
                    discount_fen=F("discount_fen") + off,
                    amount_fen=F("amount_fen") - off,
                    discount_note=discount.note if off and discount else bill.discount_note,
                    state=bill_state(bill.amount_fen - off, bill.paid_fen + share),
                )
                if not moved:
                    raise DomainError(
                        ErrorCode.FEE_BILL_SETTLED,
                        N_("The bills just changed; refresh and try again."),
                        "billIds",
                    )
                lines.append(
                    FeePaymentLine(payment_id=payment.id, bill_id=bill.id, amount_fen=share, discount_fen=off)
                )
            await FeePaymentLine.bulk_create(lines)
            if gift_user is not None and offer is not None:
                gift = await discounts.hand_gift(offer, gift_user, f"fee-gift:{payment.id}")
                if gift is None:
                    gift_note = "礼品已发完或已停止发放，未能赠送"
                else:
                    payment.gift_redemption_id = gift.id
            if gift_note or payment.gift_redemption_id:
                payment.note = "；".join(part for part in (note, gift_note) if part)[:NOTE_MAX]
                await payment.save(update_fields=["gift_redemption_id", "note"])
            if key is not None:
                await idempotency.remember(viewer.user_id, key, "feePaymentRecord", digest, payment.id)
    except IntegrityError:
        # The same key sent twice at once: the first to commit stands.
        replayed = await _replay(viewer.user_id, key, "feePaymentRecord", digest)
        if replayed is None:
            raise
        return Recorded(replayed, False)
    return Recorded(payment, True)


async def get(viewer: Viewer, payment_id: int, field: str = "paymentId") -> FeePayment:
    """A payment the viewer may see: the office's, or one of the viewer's own household."""
    viewer.require_user()
    payment = await FeePayment.get_or_none(id=payment_id)
    if payment is None or not (
        viewer.manages(payment.community_id)
        or (
            viewer.is_member(payment.community_id)
            and viewer.households.get(payment.community_id) == payment.household_id
        )
    ):
        raise DomainError(ErrorCode.NOT_FOUND, N_("No such payment."), field)
    return payment


async def reverse(
    viewer: Viewer, payment_id: int, *, reason: str, idempotency_key: str | None = None
) -> Recorded:
    original = await get(viewer, payment_id)
    viewer.require_manager(original.community_id)
    key = idempotency.clean_key(idempotency_key)
    digest = idempotency.input_hash({"payment": payment_id, "reason": reason})
    first = await _replay(viewer.user_id, key, "feePaymentReverse", digest)
    if first is not None:
        return Recorded(first, False)
    reason = (reason or "").strip()
    if not 1 <= len(reason) <= NOTE_MAX:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            N_("Give the reason for the reversal (at most {note_max} characters)."),
            "reason",
            note_max=NOTE_MAX,
        )
    if original.kind == PaymentKind.REVERSAL:
        raise DomainError(
            ErrorCode.NOT_REVERSIBLE,
            N_("A reversal cannot be reversed; take the payment again if needed."),
            "paymentId",
        )
    if await FeePayment.exists(reverses_id=original.id):
        raise DomainError(ErrorCode.ALREADY_REVERSED, N_("This payment was reversed already."), "paymentId")
    community = await Community.get(id=original.community_id)
    now = clock.now()
    try:
        async with in_transaction():
            # Before the bills, as a reduction takes it: see households.lock.
            await households.lock(original.household_id)
            lines = await FeePaymentLine.filter(payment_id=original.id).order_by("bill_id")
            bills = {
                b.id: b
                for b in await FeeBill.filter(id__in=[line.bill_id for line in lines])
                .order_by("id")
                .select_for_update()
            }
            reversal = await FeePayment.create(
                community_id=original.community_id,
                household_id=original.household_id,
                kind=PaymentKind.REVERSAL,
                method=original.method,
                reference=original.reference,
                amount_fen=original.amount_fen,
                discount_fen=original.discount_fen,
                reverses_id=original.id,
                note=reason,
                received_by_id=viewer.user_id,
                received_at=now,
                local_month=local_month(now, community.timezone),
            )
            for line in lines:
                bill = bills[line.bill_id]
                bill.amount_fen += line.discount_fen
                bill.paid_fen -= line.amount_fen
                bill.discount_note = "" if bill.discount_fen == line.discount_fen else bill.discount_note
                bill.discount_fen -= line.discount_fen
                bill.state = bill_state(bill.amount_fen, bill.paid_fen)
                await FeeBill.filter(id=bill.id).update(
                    paid_fen=bill.paid_fen,
                    amount_fen=bill.amount_fen,
                    discount_fen=bill.discount_fen,
                    discount_note=bill.discount_note,
                    state=bill.state,
                )
            # A reduction capped by this payment (or kept off a bill it had paid) now reaches
            # the bill as if the payment had never been made.
            await adjustments.reduce_reopened(list(bills.values()), viewer.user_id)
            await FeePaymentLine.bulk_create(
                [
                    FeePaymentLine(
                        payment_id=reversal.id,
                        bill_id=line.bill_id,
                        amount_fen=line.amount_fen,
                        discount_fen=line.discount_fen,
                    )
                    for line in lines
                ]
            )
            if original.receipt_id is not None:
                await FeeReceipt.filter(id=original.receipt_id, voided_at__isnull=True).update(
                    voided_at=now, void_reason=reason[:200]
                )
            if original.gift_redemption_id is not None:
                gift = await Redemption.get(id=original.gift_redemption_id)
                if gift.status == RedemptionStatus.PENDING:
                    try:
                        await redemptions.close(gift, RedemptionStatus.CANCELLED, viewer.user_id)
                    except PointsError:
                        pass  # handed over or expired a moment ago: it stays as it is
            if key is not None:
                await idempotency.remember(viewer.user_id, key, "feePaymentReverse", digest, reversal.id)
    except IntegrityError:
        replayed = await _replay(viewer.user_id, key, "feePaymentReverse", digest)
        if replayed is not None:
            return Recorded(replayed, False)
        raise DomainError(
            ErrorCode.ALREADY_REVERSED, N_("This payment was reversed already."), "paymentId"
        ) from None
    return Recorded(reversal, True)


@dataclass(frozen=True)
class Line:
    """How much of a payment went to one bill, with the bill's period."""

    payment_id: int
    bill_id: int
    period_label: str
    amount_fen: int
    discount_fen: int


async def lines_of(payment_ids: Sequence[int]) -> list[Line]:
    """The lines of several payments in one statement, in the order they were written."""
    rows = (
        await FeePaymentLine.filter(payment_id__in=list(payment_ids))
        .order_by("id")
        .values("payment_id", "bill_id", "amount_fen", "discount_fen", "bill__period_label")
    )
    return [
        Line(r["payment_id"], r["bill_id"], r["bill__period_label"], r["amount_fen"], r["discount_fen"])
        for r in rows
    ]


async def receipts_of(rows: Sequence[FeePayment]) -> dict[int, FeeReceipt]:
    ids = [row.receipt_id for row in rows if row.receipt_id]
    return {r.id: r for r in await FeeReceipt.filter(id__in=ids)} if ids else {}


@dataclass(frozen=True)
class Quote:
    """What the office should collect for these bills (and the next periods, when prepaying)."""

    periods: list[str]
    months: int
    owed_fen: int  # before the offer
    discount_fen: int
    due_fen: int  # to settle everything at once, after the offer
    gift: bool  # settling it all at once also earns the offer's gift
    offer_name: str


class _Rollback(Exception):
    def __init__(self, quote: Quote) -> None:
        super().__init__("quote")
        self.quote = quote


async def quote(
    viewer: Viewer, household_id: int, *, bill_ids: Sequence[int], prepay_periods: int = 0
) -> Quote:
    """The amount to ask for, computed exactly as `record` will (the prepaid periods' bills are
    made and priced inside a transaction that is then rolled back, so nothing is written)."""
    household = await households.get(viewer, household_id)
    viewer.require_manager(household.community_id)
    wanted = sorted(set(bill_ids))
    if not wanted and not prepay_periods:
        raise DomainError(
            ErrorCode.INVALID_INPUT, N_("Choose the bills to pay, or the periods to prepay."), "billIds"
        )
    community = await Community.get(id=household.community_id)
    today = clock.now().astimezone(zone(community.timezone)).date()
    try:
        async with in_transaction():
            ahead = await billing.issue_ahead(household, prepay_periods, today) if prepay_periods else []
            ids = sorted(set(wanted) | {bill.id for bill in ahead})
            bills = await FeeBill.filter(id__in=ids).order_by("period_start", "id")
            if len(bills) != len(ids) or any(b.household_id != household.id for b in bills):
                raise DomainError(
                    ErrorCode.NOT_FOUND, N_("The chosen bills are not this household's."), "billIds"
                )
            open_bills = [b for b in bills if b.state not in (BillState.PAID, BillState.WAIVED)]
            offer = await discounts.in_force(household.community_id, today)
            discount = discounts.free_months_discount(offer, open_bills)
            owed = sum(b.amount_fen - b.paid_fen for b in open_bills)
            off = discount.total if discount else 0
            raise _Rollback(
                Quote(
                    periods=[b.period_label for b in open_bills],
                    months=sum(b.months for b in open_bills),
                    owed_fen=owed,
                    discount_fen=off,
                    due_fen=owed - off,
                    gift=discounts.earns_gift(offer, open_bills),
                    offer_name=offer.name
                    if offer and (off or discounts.earns_gift(offer, open_bills))
                    else "",
                )
            )
    except _Rollback as done:
        return done.quote
