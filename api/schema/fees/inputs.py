"""The inputs and payloads of the property fees' mutations."""

from __future__ import annotations

from datetime import date

import strawberry

from api.schema.common import UserError
from api.schema.fees.types import FeeBill, FeeOffer, FeePayment, FeeReduction, FeeSchedule
from models.fees import BillingPeriod, BillTiming, PaymentMethod


@strawberry.input
class FeeScheduleSetInput:
    community_id: strawberry.ID
    unit_price_fen: int = strawberry.field(description="Per m² per month, in fen (0.3 yuan = 30).")
    period: BillingPeriod
    timing: BillTiming
    applies_from: date = strawberry.field(
        description="The first day of a month after the last billed period."
    )
    due_days: int = 30


@strawberry.type
class FeeSchedulePayload:
    schedule: FeeSchedule | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class FeeBillsIssueInput:
    community_id: strawberry.ID
    on: date | None = strawberry.field(default=None, description="The day to bill for; today by default.")


@strawberry.type
class FeeBillsIssuePayload:
    period_label: str | None = None
    created: int = 0
    existing: int = 0
    unbillable: int = strawberry.field(
        default=0, description="Households without an area: see feeUnbillable."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class FeePaymentRecordInput:
    household_id: strawberry.ID
    bill_ids: list[strawberry.ID]
    amount_fen: int
    method: PaymentMethod
    reference: str = strawberry.field(default="", description="A transfer's number; required unless cash.")
    prepay_periods: int = strawberry.field(
        default=0, description="Also issue and pay the household's next N periods (prepaying)."
    )
    gift_recipient_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Who of the household collects an offer's gift; its first member by default.",
    )
    note: str = ""
    idempotency_key: str | None = None


@strawberry.type
class FeePaymentPayload:
    payment: FeePayment | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class FeePaymentReverseInput:
    payment_id: strawberry.ID
    reason: str
    idempotency_key: str | None = None


@strawberry.input
class FeeOfferCreateInput:
    community_id: strawberry.ID
    name: str
    pay_months: int
    free_months: int
    gift_reward_id: strawberry.ID | None = None
    valid_from: date
    valid_until: date | None = None


@strawberry.type
class FeeOfferPayload:
    offer: FeeOffer | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class FeeReductionSetInput:
    household_id: strawberry.ID
    percent: int
    valid_from: date
    valid_until: date | None = None
    note: str = ""
    idempotency_key: str | None = None


@strawberry.type
class FeeReductionPayload:
    reduction: FeeReduction | None = None
    adjusted_bills: list[FeeBill] = strawberry.field(
        default_factory=list,
        description="Bills already issued in its window and still open, each reduced now by an entry "
        "in its history.",
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class FeeBillWaiveInput:
    bill_id: strawberry.ID
    reason: str = strawberry.field(
        description="Why the household is let off (required; kept in the bill's history)."
    )
    idempotency_key: str | None = None


@strawberry.input
class FeeBillWaiverUndoInput:
    bill_id: strawberry.ID
    reason: str
    idempotency_key: str | None = None


@strawberry.type
class FeeBillPayload:
    bill: FeeBill | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class FeeRemindersSendInput:
    community_id: strawberry.ID


@strawberry.type
class FeeRemindersSendPayload:
    sent: int = strawberry.field(default=0, description="Households reminded now (once per period each).")
    errors: list[UserError] = strawberry.field(default_factory=list)
