"""Billing, payments, receipts and reversals through the services, with the money rules: each
refusal is a typed error and nothing is written."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from models.fees import (
    BillingPeriod,
    BillState,
    BillTiming,
    FeeBill,
    FeePayment,
    FeeReceipt,
    FeeReceiptCounter,
    PaymentMethod,
)
from models.places import Household
from runtime.clock import MovableClock
from services.errors import DomainError, ErrorCode
from services.fees import billing, payments, schedule
from services.fees.check import check_fees
from tests.services.fees.support import QUARTER_FEN, TODAY, FeeWorld, billed, fee_world, pay, refused


async def test_bills_are_issued_once_with_area_times_price(world: FeeWorld) -> None:
    first = await billing.issue(world.staff_viewer, world.community_id, TODAY)
    again = await billing.issue(world.staff_viewer, world.community_id, TODAY)
    assert (first.created, again.created, again.existing) == (2, 0, 2)
    assert first.period is not None and first.period.label == "2026-10~2026-12"
    bill = await FeeBill.get(household_id=world.home.id)
    assert (bill.gross_fen, bill.amount_fen, bill.unit_price_fen, bill.months) == (
        QUARTER_FEN,
        QUARTER_FEN,
        30,
        3,
    )
    assert bill.state == BillState.UNPAID
    assert bill.due_date == date(2026, 10, 31)


async def test_a_household_without_an_area_is_listed_not_billed(world: FeeWorld) -> None:
    bare = await Household.create(
        community_id=world.community_id, entrance=world.place.entrance, number="303"
    )
    issued = await billing.issue(world.staff_viewer, world.community_id, TODAY)
    assert issued.unbillable == [bare.id]
    assert not await FeeBill.exists(household_id=bare.id)
    assert [h.id for h in await billing.unbillable(world.staff_viewer, world.community_id)] == [bare.id]


async def test_serve_first_bills_a_period_only_after_it_ended() -> None:
    world = await fee_world(timing=BillTiming.PERIOD_END)
    issued = await billing.issue(world.staff_viewer, world.community_id, TODAY)
    assert issued.period is not None and issued.period.label == "2026-07~2026-09"
    assert (await FeeBill.get(household_id=world.home.id)).due_date == date(2026, 10, 31)


async def test_a_fee_change_cannot_alter_an_issued_bill(world: FeeWorld, bill: FeeBill) -> None:
    with pytest.raises(DomainError) as caught:
        await schedule.set_schedule(
            world.staff_viewer,
            world.community_id,
            unit_price_fen=50,
            period=BillingPeriod.QUARTER,
            timing=BillTiming.PERIOD_START,
            applies_from=date(2026, 10, 1),
        )
    assert caught.value.code == ErrorCode.FEE_PERIOD_BILLED
    await schedule.set_schedule(
        world.staff_viewer,
        world.community_id,
        unit_price_fen=50,
        period=BillingPeriod.QUARTER,
        timing=BillTiming.PERIOD_START,
        applies_from=date(2027, 1, 1),
    )
    await billing.issue(world.staff_viewer, world.community_id, TODAY)
    kept = await FeeBill.get(id=bill.id)
    assert (kept.unit_price_fen, kept.amount_fen) == (30, QUARTER_FEN)
    nxt = await billing.issue_due(world.community_id, date(2027, 1, 5))
    assert nxt.created == 2
    assert (await FeeBill.get(household_id=world.home.id, period_start=date(2027, 1, 1))).unit_price_fen == 50


async def test_payment_settles_the_bill_with_receipt_number_one(world: FeeWorld, bill: FeeBill) -> None:
    done = await pay(world, bill, QUARTER_FEN)
    assert done.created
    receipt = await FeeReceipt.get(id=done.payment.receipt_id)
    assert (receipt.year, receipt.number) == (2026, 1)
    paid = await FeeBill.get(id=bill.id)
    assert (paid.paid_fen, paid.state) == (QUARTER_FEN, BillState.PAID)
    assert (await check_fees()).problems == []


async def test_part_payments_then_the_rest(world: FeeWorld, bill: FeeBill) -> None:
    await pay(world, bill, 2000)
    assert (await FeeBill.get(id=bill.id)).state == BillState.PART_PAID
    await refused(
        ErrorCode.FEE_OVERPAID,
        payments.record(
            world.staff_viewer,
            world.home.id,
            bill_ids=[bill.id],
            amount_fen=QUARTER_FEN,
            method=PaymentMethod.CASH,
        ),
    )
    second = await payments.record(
        world.staff_viewer,
        world.home.id,
        bill_ids=[bill.id],
        amount_fen=QUARTER_FEN - 2000,
        method=PaymentMethod.WECHAT_TRANSFER,
        reference="4200001234202611230001",
    )
    assert (await FeeReceipt.get(id=second.payment.receipt_id)).number == 2
    assert (await FeeBill.get(id=bill.id)).state == BillState.PAID
    assert (await check_fees()).problems == []


@pytest.mark.parametrize("amount", [0, -100])
async def test_zero_or_negative_amount_is_refused(world: FeeWorld, bill: FeeBill, amount: int) -> None:
    error = await refused(
        ErrorCode.INVALID_AMOUNT,
        payments.record(
            world.staff_viewer,
            world.home.id,
            bill_ids=[bill.id],
            amount_fen=amount,
            method=PaymentMethod.CASH,
        ),
    )
    assert error.field == "amountFen"


async def test_paying_a_settled_bill_twice_is_refused(world: FeeWorld, bill: FeeBill) -> None:
    await pay(world, bill, QUARTER_FEN)
    await refused(
        ErrorCode.FEE_BILL_SETTLED,
        payments.record(
            world.staff_viewer, world.home.id, bill_ids=[bill.id], amount_fen=1, method=PaymentMethod.CASH
        ),
    )


async def test_a_bill_of_another_household_or_community_is_not_found(world: FeeWorld) -> None:
    other = await fee_world(slug="binhe", name="滨河社区")
    await billed(world)
    await billing.issue(other.staff_viewer, other.community_id, TODAY)
    theirs = await FeeBill.get(household_id=other.home.id)
    neighbour = await FeeBill.get(household_id=world.place.households[1].id)
    for bill_id in (theirs.id, neighbour.id):
        await refused(
            ErrorCode.NOT_FOUND,
            payments.record(
                world.staff_viewer,
                world.home.id,
                bill_ids=[bill_id],
                amount_fen=100,
                method=PaymentMethod.CASH,
            ),
        )
    # Their household, from our office: not found either.
    await refused(
        ErrorCode.NOT_FOUND,
        payments.record(
            world.staff_viewer, other.home.id, bill_ids=[theirs.id], amount_fen=100, method=PaymentMethod.CASH
        ),
    )


async def test_a_transfer_needs_its_reference(world: FeeWorld, bill: FeeBill) -> None:
    error = await refused(
        ErrorCode.INVALID_INPUT,
        payments.record(
            world.staff_viewer,
            world.home.id,
            bill_ids=[bill.id],
            amount_fen=100,
            method=PaymentMethod.BANK_TRANSFER,
        ),
    )
    assert error.field == "reference"


async def test_reversal_voids_the_receipt_and_cannot_itself_be_reversed(
    world: FeeWorld, bill: FeeBill
) -> None:
    paid = await pay(world, bill, QUARTER_FEN)
    undone = await payments.reverse(world.staff_viewer, paid.payment.id, reason="收错户了")
    assert undone.payment.reverses_id == paid.payment.id
    assert (await FeeReceipt.get(id=paid.payment.receipt_id)).voided_at is not None
    back = await FeeBill.get(id=bill.id)
    assert (back.paid_fen, back.state) == (0, BillState.UNPAID)
    original = await FeePayment.get(id=paid.payment.id)
    assert (original.amount_fen, original.kind) == (QUARTER_FEN, paid.payment.kind), "never edited"
    await refused(
        ErrorCode.NOT_REVERSIBLE, payments.reverse(world.staff_viewer, undone.payment.id, reason="再冲一次")
    )
    await refused(
        ErrorCode.ALREADY_REVERSED, payments.reverse(world.staff_viewer, paid.payment.id, reason="再冲一次")
    )
    # Paid again properly: the next receipt number, no gap, the books add up.
    again = await pay(world, bill, QUARTER_FEN)
    assert (await FeeReceipt.get(id=again.payment.receipt_id)).number == 2
    assert (await check_fees()).problems == []


async def test_idempotency_key_replays_the_first_payment(world: FeeWorld, bill: FeeBill) -> None:
    args: dict[str, Any] = {"bill_ids": [bill.id], "amount_fen": 1000, "method": PaymentMethod.CASH}
    first = await payments.record(world.staff_viewer, world.home.id, idempotency_key="k-1", **args)
    replay = await payments.record(world.staff_viewer, world.home.id, idempotency_key="k-1", **args)
    assert (replay.payment.id, replay.created) == (first.payment.id, False)
    assert await FeePayment.all().count() == 1
    await refused(
        ErrorCode.IDEMPOTENCY_KEY_REUSED,
        payments.record(
            world.staff_viewer, world.home.id, idempotency_key="k-1", **{**args, "amount_fen": 999}
        ),
    )


async def test_receipt_numbers_restart_each_year_and_a_failed_payment_leaves_no_gap(
    world: FeeWorld, bill: FeeBill, moved_clock: MovableClock
) -> None:
    other = await FeeBill.get(household_id=world.place.households[1].id)
    await pay(world, bill, 100)
    await refused(
        ErrorCode.FEE_OVERPAID,
        payments.record(
            world.staff_viewer, world.home.id, bill_ids=[bill.id], amount_fen=10**6, method=PaymentMethod.CASH
        ),
    )
    second = await payments.record(
        world.staff_viewer,
        world.place.households[1].id,
        bill_ids=[other.id],
        amount_fen=100,
        method=PaymentMethod.CASH,
    )
    assert (await FeeReceipt.get(id=second.payment.receipt_id)).number == 2
    moved_clock.advance(days=40)  # 2027-01-02
    third = await pay(world, bill, 100)
    receipt = await FeeReceipt.get(id=third.payment.receipt_id)
    assert (receipt.year, receipt.number) == (2027, 1)
    assert (await check_fees()).problems == []


async def test_fees_check_finds_a_tampered_bill_and_a_gap(world: FeeWorld, bill: FeeBill) -> None:
    await pay(world, bill, 100)
    await FeeBill.filter(id=bill.id).update(paid_fen=200)
    await FeeReceiptCounter.filter(community_id=world.community_id).update(last_number=2)
    problems = [p.message for p in (await check_fees()).problems]
    assert any("paid 200" in p for p in problems)
    assert any("numbers [2] missing" in p for p in problems)


async def test_the_background_job_bills_every_community_with_a_schedule_once(world: FeeWorld) -> None:
    other = await fee_world(slug="binhe", name="滨河社区")
    from services import jobs

    (job,) = [j for j in jobs.periodic_jobs(60) if j.name == "issue-fee-bills"]
    assert await jobs.run_once([job]) == {"issue-fee-bills": {world.community_id: 2, other.community_id: 2}}
    assert await jobs.run_once([job]) == {"issue-fee-bills": {world.community_id: 0, other.community_id: 0}}


async def test_a_gift_recipient_from_outside_the_household_is_refused(world: FeeWorld) -> None:
    other = await fee_world(slug="binhe", name="滨河社区")
    bill = await billed(world)
    for stranger in (other.resident.user.id, world.staff.user.id):
        await refused(
            ErrorCode.NOT_FOUND,
            payments.record(
                world.staff_viewer,
                world.home.id,
                bill_ids=[bill.id],
                amount_fen=100,
                method=PaymentMethod.CASH,
                gift_recipient_id=stranger,
            ),
        )
    done = await payments.record(
        world.staff_viewer,
        world.home.id,
        bill_ids=[bill.id],
        amount_fen=100,
        method=PaymentMethod.CASH,
        gift_recipient_id=world.resident.user.id,
    )
    assert done.created
