"""Property fees (物业费): the schedule, bills, payments, receipts, offers and reductions.

Money is integer fen everywhere (1 yuan = 100 fen). A bill keeps the area and unit price it was
issued with; a payment is never edited (a mistake is a reversal that names it); receipts are
numbered per community and year from a counter row that the payment's own transaction moves,
so a rolled-back payment takes its number back with it and the numbers have no gaps.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.people import User
    from models.places import Building, Community, Compound, Household
    from models.rewards import Redemption, Reward


class FeeItem(StrEnum):
    PROPERTY_SERVICE = "property_service"  # 物业服务费; other items (parking, water) later


class BillingPeriod(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class BillTiming(StrEnum):
    """ "先服务后收费": a period's bills are issued when it starts, or only once it has ended."""

    PERIOD_START = "period_start"
    PERIOD_END = "period_end"


class BillState(StrEnum):
    UNPAID = "unpaid"
    PART_PAID = "part_paid"
    PAID = "paid"
    WAIVED = "waived"


class PaymentMethod(StrEnum):
    CASH = "cash"
    BANK_TRANSFER = "bank_transfer"
    WECHAT_TRANSFER = "wechat_transfer"


class PaymentKind(StrEnum):
    PAYMENT = "payment"
    REVERSAL = "reversal"


class AdjustmentKind(StrEnum):
    """An entry in a bill's history that changes what it asks without money changing hands."""

    WAIVER = "waiver"  # the office lets the household off the whole bill (免收)
    WAIVER_UNDONE = "waiver_undone"  # names the waiver it takes back; the bill is owed again
    REDUCTION = "reduction"  # a hardship reduction granted after the bill was issued (减免)


class FeeSchedule(Model):
    """One version of a community's fee schedule for one item; a change writes a new version.
    Bills keep the version (and the price) they were issued under."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="fee_schedules", on_delete=fields.RESTRICT
    )
    item = fields.CharEnumField(FeeItem, max_length=30)
    version = fields.IntField()
    unit_price_fen = fields.IntField()  # per m² per month
    period = fields.CharEnumField(BillingPeriod, max_length=10)
    timing = fields.CharEnumField(BillTiming, max_length=20)
    applies_from = fields.DateField()  # first day of a month
    due_days = fields.IntField(default=30)  # a bill is due this many days after it is issued
    created_at = fields.DatetimeField()
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="fee_schedules_written", null=True, on_delete=fields.SET_NULL
    )

    community_id: int
    created_by_id: int | None

    class Meta:
        table = "fee_schedule"
        unique_together = (("community", "item", "version"),)


class FeeBill(Model):
    """What one household owes for one period of one item. The place columns are copied from the
    register at issue time, so the arrears list and the collection rate group without joins."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="fee_bills", on_delete=fields.RESTRICT
    )
    household: fields.ForeignKeyRelation[Household] = fields.ForeignKeyField(
        "models.Household", related_name="fee_bills", on_delete=fields.RESTRICT
    )
    compound: fields.ForeignKeyRelation[Compound] = fields.ForeignKeyField(
        "models.Compound", related_name="fee_bills", on_delete=fields.RESTRICT
    )
    building: fields.ForeignKeyRelation[Building] = fields.ForeignKeyField(
        "models.Building", related_name="fee_bills", on_delete=fields.RESTRICT
    )
    schedule: fields.ForeignKeyRelation[FeeSchedule] = fields.ForeignKeyField(
        "models.FeeSchedule", related_name="bills", on_delete=fields.RESTRICT
    )
    item = fields.CharEnumField(FeeItem, max_length=30)
    period_start = fields.DateField()
    months = fields.IntField()
    period_label = fields.CharField(max_length=20)  # 2026-03, or 2026-01~2026-03 for several months
    area_m2 = fields.DecimalField(max_digits=8, decimal_places=2)
    unit_price_fen = fields.IntField()
    gross_fen = fields.IntField()  # area × price × months, rounded to the fen
    # An offer's free months (set by the payment that earned them, cleared by its reversal).
    discount_fen = fields.IntField(default=0)
    discount_note = fields.CharField(max_length=100, default="")
    # A hardship reduction: the bill shows "减免", never why. What it carried when issued stays
    # in issued_reduction_fen; a reduction granted later adds an adjustment entry, so fees-check
    # proves reduction = issued + adjustments.
    reduction_fen = fields.IntField(default=0)
    issued_reduction_fen = fields.IntField(default=0)
    amount_fen = fields.IntField()  # gross - discount - reduction: what is owed
    paid_fen = fields.IntField(default=0)
    state = fields.CharEnumField(BillState, max_length=12, default=BillState.UNPAID)
    due_date = fields.DateField()
    issued_at = fields.DatetimeField()

    community_id: int
    household_id: int
    compound_id: int
    building_id: int
    schedule_id: int

    class Meta:
        table = "fee_bill"
        unique_together = (("household", "item", "period_start"),)
        indexes = (("community", "period_start"), ("community", "state", "due_date"))


class FeeReceiptCounter(Model):
    """The last receipt number of a community in a year. Moved by `UPDATE … SET last = last + 1`
    inside the payment's transaction: PostgreSQL holds the row until that commits, so two offices
    take numbers one after the other, and a rollback returns the number."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="fee_receipt_counters", on_delete=fields.RESTRICT
    )
    year = fields.IntField()
    last_number = fields.IntField(default=0)

    community_id: int

    class Meta:
        table = "fee_receipt_counter"
        unique_together = (("community", "year"),)


class FeeReceipt(Model):
    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="fee_receipts", on_delete=fields.RESTRICT
    )
    year = fields.IntField()
    number = fields.IntField()
    issued_at = fields.DatetimeField()
    voided_at = fields.DatetimeField(null=True)
    void_reason = fields.CharField(max_length=200, default="")

    community_id: int

    class Meta:
        table = "fee_receipt"
        unique_together = (("community", "year", "number"),)


class FeePayment(Model):
    """Money the office received (kind PAYMENT), or the reversal of such an entry (kind REVERSAL,
    naming it in `reverses_id`). Never updated after it is written."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="fee_payments", on_delete=fields.RESTRICT
    )
    household: fields.ForeignKeyRelation[Household] = fields.ForeignKeyField(
        "models.Household", related_name="fee_payments", on_delete=fields.RESTRICT
    )
    kind = fields.CharEnumField(PaymentKind, max_length=10)
    method = fields.CharEnumField(PaymentMethod, max_length=20)
    reference = fields.CharField(max_length=64, default="")  # a transfer's number
    amount_fen = fields.IntField()  # always > 0; a reversal takes it back
    discount_fen = fields.IntField(default=0)  # free months this payment earned
    # Unique: a payment is reversed at most once.
    reverses_id = fields.IntField(null=True, unique=True)
    receipt: fields.OneToOneNullableRelation[FeeReceipt] = fields.OneToOneField(
        "models.FeeReceipt", related_name="payment", null=True, on_delete=fields.RESTRICT
    )
    gift_redemption: fields.ForeignKeyNullableRelation[Redemption] = fields.ForeignKeyField(
        "models.Redemption", related_name="fee_payments", null=True, on_delete=fields.RESTRICT
    )
    note = fields.CharField(max_length=200, default="")
    received_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="fee_payments_received", on_delete=fields.RESTRICT
    )
    received_at = fields.DatetimeField()
    local_month = fields.CharField(max_length=7)  # the public accounts count it in this month

    community_id: int
    household_id: int
    receipt_id: int | None
    gift_redemption_id: int | None
    received_by_id: int

    class Meta:
        table = "fee_payment"
        indexes = (("community", "local_month"), ("household", "id"))


class FeePaymentLine(Model):
    """How much of a payment (or of its reversal) went to one bill."""

    id = fields.IntField(primary_key=True)
    payment: fields.ForeignKeyRelation[FeePayment] = fields.ForeignKeyField(
        "models.FeePayment", related_name="lines", on_delete=fields.RESTRICT
    )
    bill: fields.ForeignKeyRelation[FeeBill] = fields.ForeignKeyField(
        "models.FeeBill", related_name="payment_lines", on_delete=fields.RESTRICT
    )
    amount_fen = fields.IntField()  # > 0
    discount_fen = fields.IntField(default=0)  # of the payment's free months, what this bill got

    payment_id: int
    bill_id: int

    class Meta:
        table = "fee_payment_line"
        unique_together = (("payment", "bill"),)


class FeeOffer(Model):
    """A discount rule: "pay N months at once, M free", and/or a gift with a payment of a full
    year (handed over through the reward/pickup flow at zero points), valid between two dates."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="fee_offers", on_delete=fields.RESTRICT
    )
    name = fields.CharField(max_length=100)
    pay_months = fields.IntField()
    free_months = fields.IntField(default=0)
    gift_reward: fields.ForeignKeyNullableRelation[Reward] = fields.ForeignKeyField(
        "models.Reward", related_name="fee_offers", null=True, on_delete=fields.RESTRICT
    )
    valid_from = fields.DateField()
    valid_until = fields.DateField(null=True)  # inclusive
    created_at = fields.DatetimeField()

    community_id: int
    gift_reward_id: int | None

    class Meta:
        table = "fee_offer"
        indexes = (("community", "valid_from"),)


class FeeReduction(Model):
    """A hardship reduction of a household's bills, in percent, for bills issued in its window.
    Staff alone read this row (its reason may come from a care tag); bills show only the amount."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="fee_reductions", on_delete=fields.RESTRICT
    )
    household: fields.ForeignKeyRelation[Household] = fields.ForeignKeyField(
        "models.Household", related_name="fee_reductions", on_delete=fields.CASCADE
    )
    percent = fields.IntField()  # 1..100
    valid_from = fields.DateField()
    valid_until = fields.DateField(null=True)  # inclusive
    note = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField()
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="fee_reductions_written", null=True, on_delete=fields.SET_NULL
    )

    community_id: int
    household_id: int

    class Meta:
        table = "fee_reduction"


class FeeReminder(Model):
    """A reminder sent to a household for one period: unique, so at most once a period."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="fee_reminders", on_delete=fields.RESTRICT
    )
    household: fields.ForeignKeyRelation[Household] = fields.ForeignKeyField(
        "models.Household", related_name="fee_reminders", on_delete=fields.CASCADE
    )
    period_label = fields.CharField(max_length=20)
    sent_at = fields.DatetimeField()
    recipients = fields.IntField()

    community_id: int
    household_id: int

    class Meta:
        table = "fee_reminder"
        unique_together = (("household", "period_label"),)


class FeeBillAdjustment(Model):
    """One entry of a bill's history besides its payments: a waiver, the undoing of a waiver
    (naming it in `reverses_id`, unique, so a waiver is undone at most once), or a hardship
    reduction granted after the bill was issued. Never updated after it is written; the bill's
    columns move with it in the same transaction. The issued price (area, unit price, gross)
    is never touched. After HC小区管理系统's pay_fee_detail_discount: a discount is a row of its
    own beside the fee, not an edit of it."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="fee_bill_adjustments", on_delete=fields.RESTRICT
    )
    bill: fields.ForeignKeyRelation[FeeBill] = fields.ForeignKeyField(
        "models.FeeBill", related_name="adjustments", on_delete=fields.RESTRICT
    )
    kind = fields.CharEnumField(AdjustmentKind, max_length=20)
    # Fen the entry took off what the bill asks (a waiver: all it asked; its undoing: the same).
    amount_fen = fields.IntField()
    reverses_id = fields.IntField(null=True, unique=True)
    reduction: fields.ForeignKeyNullableRelation[FeeReduction] = fields.ForeignKeyField(
        "models.FeeReduction", related_name="adjustments", null=True, on_delete=fields.RESTRICT
    )
    # Why: required for a waiver and its undoing. A reduction's entry leaves it empty (the
    # reduction's own note may name a care tag, and the bill's history is read more widely).
    reason = fields.CharField(max_length=200, default="")
    created_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="fee_bill_adjustments", on_delete=fields.RESTRICT
    )
    created_at = fields.DatetimeField()

    community_id: int
    bill_id: int
    reduction_id: int | None
    created_by_id: int

    class Meta:
        table = "fee_bill_adjustment"
        indexes = (("bill", "id"),)
