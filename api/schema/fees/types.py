"""The object types and enums of property fees (物业费): schedule, bills, payments and receipts,
offers, reductions, arrears, the collection rate. Money is integer fen (`…Fen`) with the yuan
text beside it (`…Yuan`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay

from api.context import Info
from models.fees import BillingPeriod, BillState, BillTiming, FeeItem, PaymentKind, PaymentMethod
from models.places import Community
from points_engine.localtime import zone
from runtime import clock
from services.fees import collection_rate
from services.fees.adjustments import EntryKind
from services.fees.collection_rate import Granularity, Scope

strawberry.enum(FeeItem, name="FeeItem", description="What a fee is for.")
strawberry.enum(BillingPeriod, name="BillingPeriod", description="How many months one bill covers.")
strawberry.enum(
    BillTiming,
    name="BillTiming",
    description="When a period's bills are issued: as it starts, or after it ends (先服务后收费).",
)
strawberry.enum(BillState, name="FeeBillState")
strawberry.enum(PaymentMethod, name="FeePaymentMethod")
strawberry.enum(PaymentKind, name="FeePaymentKind", description="A payment, or the reversal of one.")
strawberry.enum(Scope, name="FeeRateScope")
strawberry.enum(Granularity, name="FeeRateGranularity")
strawberry.enum(
    EntryKind,
    name="FeeBillEntryKind",
    description="A payment or its reversal, a waiver (免收) or its undoing, a reduction granted after issue.",
)


@strawberry.type(description="One version of the community's fee schedule.")
class FeeSchedule:
    item: FeeItem
    version: int
    unit_price_fen: int = strawberry.field(description="Per m² per month, in fen.")
    unit_price_yuan: str
    period: BillingPeriod
    timing: BillTiming
    applies_from: date
    due_days: int


@strawberry.type(description="What one household owes for one period. It keeps the price it was issued with.")
class FeeBill(relay.Node):
    id: relay.NodeID[int]
    household: relay.GlobalID
    household_label: str
    period_label: str
    period_words: str = strawberry.field(description="The period for people: 2026年1月—3月.")
    period_start: date
    months: int
    area_m2: Decimal
    unit_price_fen: int
    gross_fen: int
    discount_fen: int
    discount_note: str
    reduction_fen: int = strawberry.field(description="减免: the amount only, never why.")
    amount_fen: int = strawberry.field(description="What the bill asks: gross − discount − reduction.")
    amount_yuan: str
    paid_fen: int
    owed_fen: int = strawberry.field(description="What is still to pay: nothing on a waived bill.")
    state: BillState
    due_date: date


@strawberry.type
class FeePaymentLine:
    bill: relay.GlobalID
    period_label: str
    amount_fen: int
    discount_fen: int


@strawberry.type(description="Money the office received, or the reversal of such an entry. Never edited.")
class FeePayment(relay.Node):
    id: relay.NodeID[int]
    household: relay.GlobalID
    kind: PaymentKind
    method: PaymentMethod
    reference: str
    amount_fen: int
    amount_yuan: str
    discount_fen: int = strawberry.field(description="Free months this payment earned.")
    reverses: relay.GlobalID | None = strawberry.field(description="A reversal: the payment it takes back.")
    receipt_number: str | None = strawberry.field(description="2026-000123; none on a reversal.")
    receipt_voided: bool
    gift: relay.GlobalID | None = strawberry.field(
        description="The offer's gift: a redemption at zero points, collected with its pickup code."
    )
    note: str
    received_at: datetime
    lines: list[FeePaymentLine]


@strawberry.type(description="What to collect for these bills (and the next periods when prepaying).")
class FeePaymentQuote:
    periods: list[str]
    months: int
    owed_fen: int = strawberry.field(description="Before the offer.")
    discount_fen: int
    due_fen: int = strawberry.field(
        description="To settle them all at once, after the offer: the amount to record."
    )
    due_yuan: str
    gift: bool = strawberry.field(description="Settling them all at once also earns the offer's gift.")
    offer_name: str


@strawberry.type(description="A discount rule: pay N months at once, M free; and/or a gift with a full year.")
class FeeOffer:
    id: strawberry.ID
    name: str
    pay_months: int
    free_months: int
    gift_reward: relay.GlobalID | None
    valid_from: date
    valid_until: date | None


@strawberry.type(description="Staff only: a hardship reduction of a household's bills.")
class FeeReduction:
    household: relay.GlobalID
    household_label: str
    percent: int
    valid_from: date
    valid_until: date | None
    note: str


@strawberry.type(description="The office's arrears list: a household with bills unpaid past their due date.")
class FeeArrear:
    household: relay.GlobalID
    household_label: str
    compound: relay.GlobalID
    building: relay.GlobalID
    bills: int
    owed_fen: int
    owed_yuan: str
    oldest_period: str
    oldest_due: date
    reminded_periods: list[str]


@strawberry.type(description="Households paid ÷ billed and yuan collected ÷ billed, for a month or a period.")
class FeeCollectionRate:
    label: str = strawberry.field(description="The month (2026-03) or the billing period (2026-01~2026-03).")
    place_name: str
    households_billed: int
    households_paid: int
    household_rate: float = strawberry.field(description="Percent, one decimal.")
    billed_fen: int
    collected_fen: int
    money_rate: float = strawberry.field(description="Percent, one decimal.")

    @classmethod
    def of(cls, rate: collection_rate.Rate) -> FeeCollectionRate:
        return cls(
            label=rate.label,
            place_name=rate.place_name,
            households_billed=rate.households_billed,
            households_paid=rate.households_paid,
            household_rate=rate.household_rate,
            billed_fen=rate.billed_fen,
            collected_fen=rate.collected_fen,
            money_rate=rate.money_rate,
        )


async def economy_fee_collection(root: Any, info: Info) -> list[FeeCollectionRate]:
    """EconomySummary.feeCollection (the points' schema names it): the community's rate by month of
    this year, beside the points (the summary's own resolver already checked the caller is a member)."""
    community = await Community.get(id=root.community_id)
    year = clock.now().astimezone(zone(community.timezone)).year
    rows = await collection_rate.for_viewer(
        info.context.viewer,
        community.id,
        community.name,
        year,
        collection_rate.Scope.COMMUNITY,
        collection_rate.Granularity.MONTH,
    )
    return [FeeCollectionRate.of(row) for row in rows]


@strawberry.type(description="我的物业费: the caller's household's bills, payments and the offer in force.")
class MyFees:
    household: relay.GlobalID | None
    household_label: str
    owed_fen: int
    owed_yuan: str
    bills: list[FeeBill]
    payments: list[FeePayment]
    offer: FeeOffer | None


@strawberry.type
class FeeReceiptLine:
    period: str
    amount_fen: int
    discount_fen: int


@strawberry.type(description="A printable receipt (收据), with the total in Chinese capitals.")
class FeeReceipt:
    payment: relay.GlobalID
    number: str
    community_name: str
    household_label: str
    issued_at: datetime
    lines: list[FeeReceiptLine]
    total_fen: int
    total_yuan: str
    total_capitals: str = strawberry.field(description="人民币大写, e.g. 壹佰捌拾元整.")
    method: str
    reference: str
    received_by: str
    voided: bool
    void_reason: str
    note: str
    # Drawn only when asked for: a page of the app that lists receipts does not render images.
    _png: strawberry.Private[Callable[[], str]]
    _pdf: strawberry.Private[Callable[[], str]]

    @strawberry.field(description="The receipt as a PNG image, base64.")
    def png_base64(self) -> str:
        return self._png()

    @strawberry.field(description="The receipt as a one-page PDF, base64.")
    def pdf_base64(self) -> str:
        return self._pdf()


@strawberry.type(description="Office: one household's bills and payments, newest first.")
class FeeHousehold:
    household: relay.GlobalID
    household_label: str
    owed_fen: int
    owed_yuan: str
    bills: list[FeeBill]
    payments: list[FeePayment]


@strawberry.type(
    description="Office: one entry of a bill's history. Payments move money; waivers and reductions "
    "change what the bill asks, never its issued price."
)
class FeeBillEntry:
    kind: EntryKind
    amount_fen: int
    amount_yuan: str
    reason: str = strawberry.field(description="Why: a waiver's or a reversal's reason, a payment's note.")
    by: str = strawberry.field(description="Who in the office recorded it.")
    at: datetime
    payment: relay.GlobalID | None
