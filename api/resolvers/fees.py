"""Resolvers of property fees: decode ids, call services.fees, map rows to the schema's types.
FeesQuery and FeesMutation are merged into the root schema (api/schema/root.py)."""

from __future__ import annotations

import base64
from datetime import date
from typing import Any

import strawberry
from strawberry import relay

from api.context import Info
from api.ids import decode_cursor, decode_global_id
from api.resolvers.connections import connection
from api.resolvers.payloads import guarded
from api.schema import fees as s
from api.schema.common import Connection
from models import fees as m
from models.places import Community
from points_engine.localtime import zone
from runtime import clock
from services.fees import (
    arrears,
    billing,
    collection_rate,
    discounts,
    households,
    payments,
    receipt_print,
    resident,
    schedule,
)
from services.fees.money import yuan
from services.fees.periods import Period
from services.fees.receipts import receipt_label
from services.paging import clamp_first


def _community(value: str, field: str = "communityId") -> int:
    return decode_global_id(value, "Community", field)


def _gid(type_name: str, row_id: int) -> relay.GlobalID:
    return relay.GlobalID(type_name, str(row_id))


def schedule_of(row: m.FeeSchedule) -> s.FeeSchedule:
    return s.FeeSchedule(
        item=row.item,
        version=row.version,
        unit_price_fen=row.unit_price_fen,
        unit_price_yuan=yuan(row.unit_price_fen),
        period=row.period,
        timing=row.timing,
        applies_from=row.applies_from,
        due_days=row.due_days,
    )


def bill_of(row: m.FeeBill, labels: dict[int, str]) -> s.FeeBill:
    return s.FeeBill(
        id=row.id,
        household=_gid("Household", row.household_id),
        household_label=labels.get(row.household_id, ""),
        period_label=row.period_label,
        period_words=Period(row.period_start, row.months).words,
        period_start=row.period_start,
        months=row.months,
        area_m2=row.area_m2,
        unit_price_fen=row.unit_price_fen,
        gross_fen=row.gross_fen,
        discount_fen=row.discount_fen,
        discount_note=row.discount_note,
        reduction_fen=row.reduction_fen,
        amount_fen=row.amount_fen,
        amount_yuan=yuan(row.amount_fen),
        paid_fen=row.paid_fen,
        owed_fen=row.amount_fen - row.paid_fen,
        state=row.state,
        due_date=row.due_date,
    )


async def payments_of(rows: list[m.FeePayment]) -> list[s.FeePayment]:
    """Several payments with their lines and receipts in three statements, whatever their number."""
    ids = [row.id for row in rows]
    lines = (
        await m.FeePaymentLine.filter(payment_id__in=ids)
        .order_by("id")
        .values("payment_id", "bill_id", "amount_fen", "discount_fen", "bill__period_label")
    )
    receipts = {
        r.id: r for r in await m.FeeReceipt.filter(id__in=[row.receipt_id for row in rows if row.receipt_id])
    }
    by_payment: dict[int, list[s.FeePaymentLine]] = {}
    for line in lines:
        by_payment.setdefault(line["payment_id"], []).append(
            s.FeePaymentLine(
                bill=_gid("FeeBill", line["bill_id"]),
                period_label=line["bill__period_label"],
                amount_fen=line["amount_fen"],
                discount_fen=line["discount_fen"],
            )
        )
    mapped = []
    for row in rows:
        receipt = receipts.get(row.receipt_id) if row.receipt_id else None
        mapped.append(
            s.FeePayment(
                id=row.id,
                household=_gid("Household", row.household_id),
                kind=row.kind,
                method=row.method,
                reference=row.reference,
                amount_fen=row.amount_fen,
                amount_yuan=yuan(row.amount_fen),
                discount_fen=row.discount_fen,
                reverses=_gid("FeePayment", row.reverses_id) if row.reverses_id else None,
                receipt_number=receipt_label(receipt.year, receipt.number) if receipt else None,
                receipt_voided=bool(receipt and receipt.voided_at),
                gift=_gid("Redemption", row.gift_redemption_id) if row.gift_redemption_id else None,
                note=row.note,
                received_at=row.received_at,
                lines=by_payment.get(row.id, []),
            )
        )
    return mapped


def offer_of(row: m.FeeOffer) -> s.FeeOffer:
    return s.FeeOffer(
        id=strawberry.ID(str(row.id)),
        name=row.name,
        pay_months=row.pay_months,
        free_months=row.free_months,
        gift_reward=_gid("Reward", row.gift_reward_id) if row.gift_reward_id else None,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
    )


def reduction_of(row: m.FeeReduction, labels: dict[int, str]) -> s.FeeReduction:
    return s.FeeReduction(
        household=_gid("Household", row.household_id),
        household_label=labels.get(row.household_id, ""),
        percent=row.percent,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        note=row.note,
    )


# Queries ---------------------------------------------------------------------------------------


async def fee_schedule(info: Info, community_id: strawberry.ID) -> s.FeeSchedule | None:
    viewer = info.context.viewer
    cid = _community(community_id)
    viewer.require_member(cid)
    community = await Community.get(id=cid)
    today = clock.now().astimezone(zone(community.timezone)).date()
    row = await schedule.at(cid, today)
    return None if row is None else schedule_of(row)


async def fee_bills(
    info: Info,
    community_id: strawberry.ID,
    household_id: strawberry.ID | None = None,
    state: m.BillState | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Connection[s.FeeBill]:
    viewer = info.context.viewer
    cid = _community(community_id)
    viewer.require_manager(cid)
    query = m.FeeBill.filter(community_id=cid)
    if household_id is not None:
        home = await households.get(viewer, decode_global_id(household_id, "Household", "householdId"))
        query = query.filter(household_id=home.id)
    if state is not None:
        query = query.filter(state=state)
    size, before_id = clamp_first(first), decode_cursor(after)
    page = query.order_by("-id")
    if before_id is not None:
        page = page.filter(id__lt=before_id)
    rows = await page.limit(size + 1)
    labels = await households.labels([row.household_id for row in rows[:size]])
    return connection(rows[:size], len(rows) > size, lambda row: bill_of(row, labels), query.count, before_id)


async def fee_unbillable(info: Info, community_id: strawberry.ID) -> list[str]:
    rows = await billing.unbillable(info.context.viewer, _community(community_id))
    labels = await households.labels([row.id for row in rows])
    return [labels[row.id] for row in rows]


async def fee_offers(info: Info, community_id: strawberry.ID) -> list[s.FeeOffer]:
    return [offer_of(row) for row in await discounts.offers(info.context.viewer, _community(community_id))]


async def fee_reductions(info: Info, community_id: strawberry.ID) -> list[s.FeeReduction]:
    rows = await discounts.reductions(info.context.viewer, _community(community_id))
    labels = await households.labels([row.household_id for row in rows])
    return [reduction_of(row, labels) for row in rows]


async def fee_arrears(
    info: Info,
    community_id: strawberry.ID,
    compound_id: strawberry.ID | None = None,
    building_id: strawberry.ID | None = None,
) -> list[s.FeeArrear]:
    viewer = info.context.viewer
    cid = _community(community_id)
    compound = None if compound_id is None else decode_global_id(compound_id, "Compound", "compoundId")
    building = None if building_id is None else decode_global_id(building_id, "Building", "buildingId")
    rows = await arrears.list_for_office(viewer, cid, compound, building)
    return [
        s.FeeArrear(
            household=_gid("Household", row.household_id),
            household_label=row.label,
            compound=_gid("Compound", row.compound_id),
            building=_gid("Building", row.building_id),
            bills=row.bills,
            owed_fen=row.owed_fen,
            owed_yuan=yuan(row.owed_fen),
            oldest_period=row.oldest_period,
            oldest_due=row.oldest_due,
            reminded_periods=list(row.reminded_periods),
        )
        for row in rows
    ]


def rate_of(row: collection_rate.Rate) -> s.FeeCollectionRate:
    return s.FeeCollectionRate(
        label=row.label,
        place_name=row.place_name,
        households_billed=row.households_billed,
        households_paid=row.households_paid,
        household_rate=row.household_rate,
        billed_fen=row.billed_fen,
        collected_fen=row.collected_fen,
        money_rate=row.money_rate,
    )


async def fee_collection_rates(
    info: Info,
    community_id: strawberry.ID,
    year: int,
    scope: collection_rate.Scope = collection_rate.Scope.COMMUNITY,
    granularity: collection_rate.Granularity = collection_rate.Granularity.MONTH,
) -> list[s.FeeCollectionRate]:
    viewer = info.context.viewer
    cid = _community(community_id)
    viewer.require_member(cid)
    community = await Community.get(id=cid)
    rows = await collection_rate.for_viewer(viewer, cid, community.name, year, scope, granularity)
    return [rate_of(row) for row in rows]


async def economy_fee_collection(root: Any, info: Info) -> list[s.FeeCollectionRate]:
    """EconomySummary.feeCollection: the community's rate by month of this year, beside the points
    (the summary's own resolver already checked the caller is a member)."""
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
    return [rate_of(row) for row in rows]


async def my_fees(info: Info, community_id: strawberry.ID) -> s.MyFees:
    mine = await resident.my_fees(info.context.viewer, _community(community_id))
    labels = {mine.household_id: mine.household_label} if mine.household_id else {}
    return s.MyFees(
        household=_gid("Household", mine.household_id) if mine.household_id else None,
        household_label=mine.household_label,
        owed_fen=mine.owed_fen,
        owed_yuan=yuan(mine.owed_fen),
        bills=[bill_of(row, labels) for row in mine.bills],
        payments=await payments_of(mine.payments),
        offer=offer_of(mine.offer) if mine.offer else None,
    )


async def fee_receipt(info: Info, payment_id: strawberry.ID) -> s.FeeReceipt:
    view = await receipt_print.view(
        info.context.viewer, decode_global_id(payment_id, "FeePayment", "paymentId")
    )
    return s.FeeReceipt(
        payment=_gid("FeePayment", decode_global_id(payment_id, "FeePayment", "paymentId")),
        number=view.number,
        community_name=view.community_name,
        household_label=view.household_label,
        issued_at=view.issued_at,
        lines=[
            s.FeeReceiptLine(period=x.period, amount_fen=x.amount_fen, discount_fen=x.discount_fen)
            for x in view.lines
        ],
        total_fen=view.total_fen,
        total_yuan=yuan(view.total_fen),
        total_capitals=view.total_capitals,
        method=view.method,
        reference=view.reference,
        received_by=view.received_by,
        voided=view.voided,
        void_reason=view.void_reason,
        note=view.note,
        _png=lambda: base64.b64encode(receipt_print.png(view)).decode(),
        _pdf=lambda: base64.b64encode(receipt_print.pdf(view)).decode(),
    )


async def fee_payment_quote(
    info: Info,
    household_id: strawberry.ID,
    bill_ids: list[strawberry.ID] | None = None,
    prepay_periods: int = 0,
) -> s.FeePaymentQuote:
    found = await payments.quote(
        info.context.viewer,
        decode_global_id(household_id, "Household", "householdId"),
        bill_ids=[decode_global_id(b, "FeeBill", "billIds") for b in bill_ids or []],
        prepay_periods=prepay_periods,
    )
    return s.FeePaymentQuote(
        periods=found.periods,
        months=found.months,
        owed_fen=found.owed_fen,
        discount_fen=found.discount_fen,
        due_fen=found.due_fen,
        due_yuan=yuan(found.due_fen),
        gift=found.gift,
        offer_name=found.offer_name,
    )


# Mutations -------------------------------------------------------------------------------------


async def fee_schedule_set(info: Info, input: s.FeeScheduleSetInput) -> s.FeeSchedulePayload:
    async def work() -> s.FeeSchedulePayload:
        row = await schedule.set_schedule(
            info.context.viewer,
            _community(input.community_id),
            unit_price_fen=input.unit_price_fen,
            period=input.period,
            timing=input.timing,
            applies_from=input.applies_from,
            due_days=input.due_days,
        )
        return s.FeeSchedulePayload(schedule=schedule_of(row))

    return await guarded(s.FeeSchedulePayload, work())


async def fee_bills_issue(info: Info, input: s.FeeBillsIssueInput) -> s.FeeBillsIssuePayload:
    async def work() -> s.FeeBillsIssuePayload:
        viewer = info.context.viewer
        cid = _community(input.community_id)
        viewer.require_manager(cid)
        day: date = input.on or clock.now().astimezone(zone((await Community.get(id=cid)).timezone)).date()
        issued = await billing.issue(viewer, cid, day)
        return s.FeeBillsIssuePayload(
            period_label=issued.period.label if issued.period else None,
            created=issued.created,
            existing=issued.existing,
            unbillable=len(issued.unbillable),
        )

    return await guarded(s.FeeBillsIssuePayload, work())


async def fee_payment_record(info: Info, input: s.FeePaymentRecordInput) -> s.FeePaymentPayload:
    async def work() -> s.FeePaymentPayload:
        recorded = await payments.record(
            info.context.viewer,
            decode_global_id(input.household_id, "Household", "householdId"),
            bill_ids=[decode_global_id(b, "FeeBill", "billIds") for b in input.bill_ids],
            amount_fen=input.amount_fen,
            method=input.method,
            reference=input.reference,
            prepay_periods=input.prepay_periods,
            gift_recipient_id=None
            if input.gift_recipient_id is None
            else decode_global_id(input.gift_recipient_id, "User", "giftRecipientId"),
            note=input.note,
            idempotency_key=input.idempotency_key,
        )
        return s.FeePaymentPayload(payment=(await payments_of([recorded.payment]))[0])

    return await guarded(s.FeePaymentPayload, work())


async def fee_payment_reverse(info: Info, input: s.FeePaymentReverseInput) -> s.FeePaymentPayload:
    async def work() -> s.FeePaymentPayload:
        recorded = await payments.reverse(
            info.context.viewer,
            decode_global_id(input.payment_id, "FeePayment", "paymentId"),
            reason=input.reason,
            idempotency_key=input.idempotency_key,
        )
        return s.FeePaymentPayload(payment=(await payments_of([recorded.payment]))[0])

    return await guarded(s.FeePaymentPayload, work())


async def fee_offer_create(info: Info, input: s.FeeOfferCreateInput) -> s.FeeOfferPayload:
    async def work() -> s.FeeOfferPayload:
        row = await discounts.create_offer(
            info.context.viewer,
            _community(input.community_id),
            name=input.name,
            pay_months=input.pay_months,
            free_months=input.free_months,
            gift_reward_id=None
            if input.gift_reward_id is None
            else decode_global_id(input.gift_reward_id, "Reward", "giftRewardId"),
            valid_from=input.valid_from,
            valid_until=input.valid_until,
        )
        return s.FeeOfferPayload(offer=offer_of(row))

    return await guarded(s.FeeOfferPayload, work())


async def fee_reduction_set(info: Info, input: s.FeeReductionSetInput) -> s.FeeReductionPayload:
    async def work() -> s.FeeReductionPayload:
        viewer = info.context.viewer
        home = await households.get(viewer, decode_global_id(input.household_id, "Household", "householdId"))
        row = await discounts.set_reduction(
            viewer,
            home,
            percent=input.percent,
            valid_from=input.valid_from,
            valid_until=input.valid_until,
            note=input.note,
        )
        return s.FeeReductionPayload(reduction=reduction_of(row, await households.labels([home.id])))

    return await guarded(s.FeeReductionPayload, work())


async def fee_reminders_send(info: Info, input: s.FeeRemindersSendInput) -> s.FeeRemindersSendPayload:
    async def work() -> s.FeeRemindersSendPayload:
        sent = await arrears.send_reminders(info.context.viewer, _community(input.community_id))
        return s.FeeRemindersSendPayload(sent=sent)

    return await guarded(s.FeeRemindersSendPayload, work())


@strawberry.type
class FeesQuery:
    fee_schedule: s.FeeSchedule | None = strawberry.field(
        resolver=fee_schedule,
        description="Members: the fee schedule in force today; null before there is one.",
    )
    fee_bills: Connection[s.FeeBill] = strawberry.field(
        resolver=fee_bills,
        description="Office: the community's bills, newest first, of one household if named.",
    )
    fee_unbillable: list[str] = strawberry.field(
        resolver=fee_unbillable, description="Office: households without an area, which cannot be billed."
    )
    fee_offers: list[s.FeeOffer] = strawberry.field(
        resolver=fee_offers, description="Members: the community's fee offers, newest first."
    )
    fee_reductions: list[s.FeeReduction] = strawberry.field(
        resolver=fee_reductions, description="Staff only: hardship reductions."
    )
    fee_arrears: list[s.FeeArrear] = strawberry.field(
        resolver=fee_arrears, description="Office only: households with bills unpaid past their due date."
    )
    fee_collection_rates: list[s.FeeCollectionRate] = strawberry.field(
        resolver=fee_collection_rates,
        description="Members: the collection rate of a year by month or billing period, per community, "
        "compound or building.",
    )
    my_fees: s.MyFees = strawberry.field(
        resolver=my_fees,
        description="我的物业费: the caller's household's bills, payments and the offer in force.",
    )
    fee_payment_quote: s.FeePaymentQuote = strawberry.field(
        resolver=fee_payment_quote,
        description="Office: what to collect for these bills and the next prepaid periods, offer applied.",
    )
    fee_receipt: s.FeeReceipt = strawberry.field(
        resolver=fee_receipt,
        description="The office, or the household that paid: a payment's printable receipt.",
    )


@strawberry.type
class FeesMutation:
    fee_schedule_set: s.FeeSchedulePayload = strawberry.mutation(
        resolver=fee_schedule_set, description="Office: a new version of the fee schedule, from a month on."
    )
    fee_bills_issue: s.FeeBillsIssuePayload = strawberry.mutation(
        resolver=fee_bills_issue, description="Office: issue the bills due on a day (idempotent)."
    )
    fee_payment_record: s.FeePaymentPayload = strawberry.mutation(
        resolver=fee_payment_record,
        description="Office: record money received against a household's bills, with a receipt.",
    )
    fee_payment_reverse: s.FeePaymentPayload = strawberry.mutation(
        resolver=fee_payment_reverse,
        description="Office: take a payment back by a reversal entry naming it; its receipt becomes void.",
    )
    fee_offer_create: s.FeeOfferPayload = strawberry.mutation(
        resolver=fee_offer_create, description="Office: a discount rule with its validity dates."
    )
    fee_reduction_set: s.FeeReductionPayload = strawberry.mutation(
        resolver=fee_reduction_set, description="Staff only: a hardship reduction of a household's bills."
    )
    fee_reminders_send: s.FeeRemindersSendPayload = strawberry.mutation(
        resolver=fee_reminders_send,
        description="Office: remind overdue households, at most once per period each.",
    )
