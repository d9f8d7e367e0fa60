"""The Query and Mutation fields of property fees; merged into the root in api/schema/root.py."""

from __future__ import annotations

import strawberry

from api.resolvers.fees import operations as resolve
from api.schema.common import Connection
from api.schema.fees import inputs, types


@strawberry.type
class FeesQuery:
    fee_schedule: types.FeeSchedule | None = strawberry.field(
        resolver=resolve.fee_schedule,
        description="Members: the fee schedule in force today; null before there is one.",
    )
    fee_bills: Connection[types.FeeBill] = strawberry.field(
        resolver=resolve.fee_bills,
        description="Office: the community's bills, newest first; of one household, building, period "
        "(its label, 2026-10~2026-12) or state if named.",
    )
    fee_unbillable: list[str] = strawberry.field(
        resolver=resolve.fee_unbillable,
        description="Office: households without an area, which cannot be billed.",
    )
    fee_offers: list[types.FeeOffer] = strawberry.field(
        resolver=resolve.fee_offers, description="Members: the community's fee offers, newest first."
    )
    fee_reductions: list[types.FeeReduction] = strawberry.field(
        resolver=resolve.fee_reductions, description="Staff only: hardship reductions."
    )
    fee_arrears: list[types.FeeArrear] = strawberry.field(
        resolver=resolve.fee_arrears,
        description="Office only: households with bills unpaid past their due date.",
    )
    fee_collection_rates: list[types.FeeCollectionRate] = strawberry.field(
        resolver=resolve.fee_collection_rates,
        description="Members: the collection rate of a year by month or billing period, per community, "
        "compound or building. Waived bills count neither as billed nor as collected.",
    )
    my_fees: types.MyFees = strawberry.field(
        resolver=resolve.my_fees,
        description="我的物业费: the caller's household's bills, payments and the offer in force.",
    )
    fee_household: types.FeeHousehold = strawberry.field(
        resolver=resolve.fee_household,
        description="Office: one household's bills and payments, newest first.",
    )
    fee_bill_history: list[types.FeeBillEntry] = strawberry.field(
        resolver=resolve.fee_bill_history,
        description="Office: a bill's history, oldest first: payments, reversals, waivers and their "
        "undoing, reductions granted after issue.",
    )
    fee_payment_quote: types.FeePaymentQuote = strawberry.field(
        resolver=resolve.fee_payment_quote,
        description="Office: what to collect for these bills and the next prepaid periods, offer applied.",
    )
    fee_receipt: types.FeeReceipt = strawberry.field(
        resolver=resolve.fee_receipt,
        description="The office, or the household that paid: a payment's printable receipt.",
    )


@strawberry.type
class FeesMutation:
    fee_schedule_set: inputs.FeeSchedulePayload = strawberry.mutation(
        resolver=resolve.fee_schedule_set,
        description="Office: a new version of the fee schedule, from a month on.",
    )
    fee_bills_issue: inputs.FeeBillsIssuePayload = strawberry.mutation(
        resolver=resolve.fee_bills_issue, description="Office: issue the bills due on a day (idempotent)."
    )
    fee_payment_record: inputs.FeePaymentPayload = strawberry.mutation(
        resolver=resolve.fee_payment_record,
        description="Office: record money received against a household's bills, with a receipt.",
    )
    fee_payment_reverse: inputs.FeePaymentPayload = strawberry.mutation(
        resolver=resolve.fee_payment_reverse,
        description="Office: take a payment back by a reversal entry naming it; its receipt becomes void.",
    )
    fee_offer_create: inputs.FeeOfferPayload = strawberry.mutation(
        resolver=resolve.fee_offer_create, description="Office: a discount rule with its validity dates."
    )
    fee_reduction_set: inputs.FeeReductionPayload = strawberry.mutation(
        resolver=resolve.fee_reduction_set,
        description="Staff only: a hardship reduction of a household's bills of its window: those issued "
        "later carry it, and those issued and still open are reduced now (never below what was paid).",
    )
    fee_bill_waive: inputs.FeeBillPayload = strawberry.mutation(
        resolver=resolve.fee_bill_waive,
        description="Office: let the household off a bill nothing was paid on (免收), with a reason kept "
        "in its history. It leaves the arrears and the collection rate.",
    )
    fee_bill_waiver_undo: inputs.FeeBillPayload = strawberry.mutation(
        resolver=resolve.fee_bill_waiver_undo,
        description="Office: undo a bill's waiver by an entry naming it; the bill is owed again.",
    )
    fee_reminders_send: inputs.FeeRemindersSendPayload = strawberry.mutation(
        resolver=resolve.fee_reminders_send,
        description="Office: remind overdue households, at most once per period each.",
    )
