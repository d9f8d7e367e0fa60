"""Resolvers of the fees' root fields: decode ids, call services.fees, map with `mapping`."""

from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.ids import decode_cursor, decode_global_id, decode_global_ids
from api.resolvers.fees import mapping
from api.resolvers.payloads import guarded
from api.schema.common import Connection
from api.schema.connections import connection
from api.schema.fees import inputs, types
from models import fees as fees_models
from models.places import Building, Community
from points_engine.localtime import zone
from runtime import clock
from runtime.i18n import N_
from services.errors import DomainError, ErrorCode
from services.fees import (
    adjustments,
    arrears,
    billing,
    collection_rate,
    discounts,
    households,
    payments,
    receipt_print,
    reductions,
    resident,
    schedule,
)
from services.paging import clamp_first


def _community(value: str, field: str = "communityId") -> int:
    return decode_global_id(value, "Community", field)


def _household(value: str) -> int:
    return decode_global_id(value, "Household", "householdId")


def _bill(value: str) -> int:
    return decode_global_id(value, "FeeBill", "billId")


# Queries ---------------------------------------------------------------------------------------


async def fee_schedule(info: Info, community_id: strawberry.ID) -> types.FeeSchedule | None:
    viewer = info.context.viewer
    cid = _community(community_id)
    viewer.require_member(cid)
    community = await Community.get(id=cid)
    today = clock.now().astimezone(zone(community.timezone)).date()
    row = await schedule.at(cid, today)
    return None if row is None else mapping.schedule(row)


async def fee_bills(
    info: Info,
    community_id: strawberry.ID,
    household_id: strawberry.ID | None = None,
    state: fees_models.BillState | None = None,
    first: int | None = None,
    after: str | None = None,
    building_id: strawberry.ID | None = None,
    period: str | None = None,
) -> Connection[types.FeeBill]:
    viewer = info.context.viewer
    cid = _community(community_id)
    viewer.require_manager(cid)
    query = fees_models.FeeBill.filter(community_id=cid)
    if household_id is not None:
        home = await households.get(viewer, _household(household_id))
        query = query.filter(household_id=home.id)
    if building_id is not None:
        building = decode_global_id(building_id, "Building", "buildingId")
        if not await Building.exists(id=building, community_id=cid):
            raise DomainError(ErrorCode.NOT_FOUND, N_("This community has no such building."), "buildingId")
        query = query.filter(building_id=building)
    if period:
        query = query.filter(period_label=period.strip())
    if state is not None:
        query = query.filter(state=state)
    size, before_id = clamp_first(first), decode_cursor(after)
    page = query.order_by("-id")
    if before_id is not None:
        page = page.filter(id__lt=before_id)
    rows = await page.limit(size + 1)
    labels = await households.labels([row.household_id for row in rows[:size]])
    return connection(
        rows[:size], len(rows) > size, lambda row: mapping.bill(row, labels), query.count, before_id
    )


async def fee_unbillable(info: Info, community_id: strawberry.ID) -> list[str]:
    rows = await billing.unbillable(info.context.viewer, _community(community_id))
    labels = await households.labels([row.id for row in rows])
    return [labels[row.id] for row in rows]


async def fee_offers(info: Info, community_id: strawberry.ID) -> list[types.FeeOffer]:
    return [
        mapping.offer(row) for row in await discounts.offers(info.context.viewer, _community(community_id))
    ]


async def fee_reductions(info: Info, community_id: strawberry.ID) -> list[types.FeeReduction]:
    rows = await reductions.reductions(info.context.viewer, _community(community_id))
    labels = await households.labels([row.household_id for row in rows])
    return [mapping.reduction(row, labels) for row in rows]


async def fee_arrears(
    info: Info,
    community_id: strawberry.ID,
    compound_id: strawberry.ID | None = None,
    building_id: strawberry.ID | None = None,
) -> list[types.FeeArrear]:
    compound = None if compound_id is None else decode_global_id(compound_id, "Compound", "compoundId")
    building = None if building_id is None else decode_global_id(building_id, "Building", "buildingId")
    rows = await arrears.list_for_office(info.context.viewer, _community(community_id), compound, building)
    return [mapping.arrear(row) for row in rows]


async def fee_collection_rates(
    info: Info,
    community_id: strawberry.ID,
    year: int,
    scope: collection_rate.Scope = collection_rate.Scope.COMMUNITY,
    granularity: collection_rate.Granularity = collection_rate.Granularity.MONTH,
) -> list[types.FeeCollectionRate]:
    viewer = info.context.viewer
    cid = _community(community_id)
    viewer.require_member(cid)
    community = await Community.get(id=cid)
    rows = await collection_rate.for_viewer(viewer, cid, community.name, year, scope, granularity)
    return [types.FeeCollectionRate.of(row) for row in rows]


async def my_fees(info: Info, community_id: strawberry.ID) -> types.MyFees:
    return await mapping.my_fees(await resident.my_fees(info.context.viewer, _community(community_id)))


async def fee_household(info: Info, household_id: strawberry.ID) -> types.FeeHousehold:
    found = await resident.household_fees(info.context.viewer, _household(household_id))
    return await mapping.household_fees(found)


async def fee_bill_history(info: Info, bill_id: strawberry.ID) -> list[types.FeeBillEntry]:
    _, entries = await adjustments.history(info.context.viewer, _bill(bill_id))
    return [mapping.entry(row) for row in entries]


async def fee_receipt(info: Info, payment_id: strawberry.ID) -> types.FeeReceipt:
    row_id = decode_global_id(payment_id, "FeePayment", "paymentId")
    return mapping.receipt(await receipt_print.view(info.context.viewer, row_id), row_id)


async def fee_payment_quote(
    info: Info,
    household_id: strawberry.ID,
    bill_ids: list[strawberry.ID] | None = None,
    prepay_periods: int = 0,
) -> types.FeePaymentQuote:
    found = await payments.quote(
        info.context.viewer,
        _household(household_id),
        bill_ids=decode_global_ids(bill_ids or [], "FeeBill", "billIds"),
        prepay_periods=prepay_periods,
    )
    return mapping.quote(found)


# Mutations -------------------------------------------------------------------------------------


async def fee_schedule_set(info: Info, input: inputs.FeeScheduleSetInput) -> inputs.FeeSchedulePayload:
    async def work() -> inputs.FeeSchedulePayload:
        row = await schedule.set_schedule(
            info.context.viewer,
            _community(input.community_id),
            unit_price_fen=input.unit_price_fen,
            period=input.period,
            timing=input.timing,
            applies_from=input.applies_from,
            due_days=input.due_days,
        )
        return inputs.FeeSchedulePayload(schedule=mapping.schedule(row))

    return await guarded(inputs.FeeSchedulePayload, work())


async def fee_bills_issue(info: Info, input: inputs.FeeBillsIssueInput) -> inputs.FeeBillsIssuePayload:
    async def work() -> inputs.FeeBillsIssuePayload:
        viewer = info.context.viewer
        cid = _community(input.community_id)
        viewer.require_manager(cid)
        day: date = input.on or clock.now().astimezone(zone((await Community.get(id=cid)).timezone)).date()
        issued = await billing.issue(viewer, cid, day)
        return inputs.FeeBillsIssuePayload(
            period_label=issued.period.label if issued.period else None,
            created=issued.created,
            existing=issued.existing,
            unbillable=len(issued.unbillable),
        )

    return await guarded(inputs.FeeBillsIssuePayload, work())


async def fee_payment_record(info: Info, input: inputs.FeePaymentRecordInput) -> inputs.FeePaymentPayload:
    async def work() -> inputs.FeePaymentPayload:
        recorded = await payments.record(
            info.context.viewer,
            _household(input.household_id),
            bill_ids=decode_global_ids(input.bill_ids, "FeeBill", "billIds"),
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
        return inputs.FeePaymentPayload(payment=(await mapping.payments_of([recorded.payment]))[0])

    return await guarded(inputs.FeePaymentPayload, work())


async def fee_payment_reverse(info: Info, input: inputs.FeePaymentReverseInput) -> inputs.FeePaymentPayload:
    async def work() -> inputs.FeePaymentPayload:
        recorded = await payments.reverse(
            info.context.viewer,
            decode_global_id(input.payment_id, "FeePayment", "paymentId"),
            reason=input.reason,
            idempotency_key=input.idempotency_key,
        )
        return inputs.FeePaymentPayload(payment=(await mapping.payments_of([recorded.payment]))[0])

    return await guarded(inputs.FeePaymentPayload, work())


async def fee_offer_create(info: Info, input: inputs.FeeOfferCreateInput) -> inputs.FeeOfferPayload:
    async def work() -> inputs.FeeOfferPayload:
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
        return inputs.FeeOfferPayload(offer=mapping.offer(row))

    return await guarded(inputs.FeeOfferPayload, work())


async def fee_reduction_set(info: Info, input: inputs.FeeReductionSetInput) -> inputs.FeeReductionPayload:
    async def work() -> inputs.FeeReductionPayload:
        viewer = info.context.viewer
        home = await households.get(viewer, _household(input.household_id))
        granted = await reductions.set_reduction(
            viewer,
            home,
            percent=input.percent,
            valid_from=input.valid_from,
            valid_until=input.valid_until,
            note=input.note,
            idempotency_key=input.idempotency_key,
        )
        labels = await households.labels([home.id])
        return inputs.FeeReductionPayload(
            reduction=mapping.reduction(granted.reduction, labels),
            adjusted_bills=[mapping.bill(row, labels) for row in granted.adjusted],
        )

    return await guarded(inputs.FeeReductionPayload, work())


async def fee_bill_waive(info: Info, input: inputs.FeeBillWaiveInput) -> inputs.FeeBillPayload:
    async def work() -> inputs.FeeBillPayload:
        done = await adjustments.waive(
            info.context.viewer,
            _bill(input.bill_id),
            reason=input.reason,
            idempotency_key=input.idempotency_key,
        )
        return await mapping.bill_payload(done.bill)

    return await guarded(inputs.FeeBillPayload, work())


async def fee_bill_waiver_undo(info: Info, input: inputs.FeeBillWaiverUndoInput) -> inputs.FeeBillPayload:
    async def work() -> inputs.FeeBillPayload:
        done = await adjustments.undo_waiver(
            info.context.viewer,
            _bill(input.bill_id),
            reason=input.reason,
            idempotency_key=input.idempotency_key,
        )
        return await mapping.bill_payload(done.bill)

    return await guarded(inputs.FeeBillPayload, work())


async def fee_reminders_send(
    info: Info, input: inputs.FeeRemindersSendInput
) -> inputs.FeeRemindersSendPayload:
    async def work() -> inputs.FeeRemindersSendPayload:
        sent = await arrears.send_reminders(info.context.viewer, _community(input.community_id))
        return inputs.FeeRemindersSendPayload(sent=sent)

    return await guarded(inputs.FeeRemindersSendPayload, work())
