"""The prepay offer and its gift, hardship reductions, arrears with reminders once a period, and
the collection-rate arithmetic (run on both databases: RS_TEST_DATABASE_URL picks PostgreSQL)."""

from __future__ import annotations

from datetime import date

from models.fees import BillState, FeeBill, FeeReminder, PaymentMethod
from models.reports import Notification
from models.rewards import Redemption, RedemptionStatus, Reward, RewardKind
from points_engine import redemption
from runtime.clock import MovableClock
from services.fees import arrears, billing, discounts, payments, reductions, resident
from services.fees.check import check_fees
from services.fees.collection_rate import Granularity, Scope, rates
from tests.services.fees.support import QUARTER_FEN, TODAY, FeeWorld, billed, pay, year_offer


async def test_pay_a_year_get_two_months_free_and_a_gift_through_the_pickup_flow(world: FeeWorld) -> None:
    gift = await redemption.create_reward(
        world.community_id, kind=RewardKind.GIFT, name="毛巾", cost=1, stock=5
    )
    await year_offer(world, date(2026, 11, 1), gift.id)
    # Four quarters ahead from the current one: 12 months, the last quarter two months cheaper.
    owed = 4 * QUARTER_FEN - QUARTER_FEN * 2 // 3
    done = await payments.record(
        world.staff_viewer,
        world.home.id,
        bill_ids=[],
        prepay_periods=4,
        amount_fen=owed,
        method=PaymentMethod.CASH,
    )
    bills = await FeeBill.filter(household_id=world.home.id).order_by("period_start")
    assert [b.period_label for b in bills] == [
        "2026-10~2026-12",
        "2027-01~2027-03",
        "2027-04~2027-06",
        "2027-07~2027-09",
    ]
    assert [b.discount_fen for b in bills] == [0, 0, 0, QUARTER_FEN * 2 // 3]
    assert all(b.state == BillState.PAID for b in bills)
    assert "赠送2个月" in bills[-1].discount_note
    assert done.payment.discount_fen == QUARTER_FEN * 2 // 3
    handed = await Redemption.get(id=done.payment.gift_redemption_id)
    assert (handed.cost, handed.user_id, handed.status) == (
        0,
        world.resident.user.id,
        RedemptionStatus.PENDING,
    )
    assert (await Reward.get(id=gift.id)).stock == 4
    # The job issuing next quarter's bills later finds them there: nothing new, nothing re-priced.
    assert (await billing.issue_due(world.community_id, date(2027, 1, 2))).created == 1  # the neighbour
    assert (await check_fees()).problems == []
    # A mistake: reversed. The free months go back on the bill, the gift is cancelled, stock back.
    await payments.reverse(world.staff_viewer, done.payment.id, reason="重复收款")
    bills = await FeeBill.filter(household_id=world.home.id).order_by("period_start")
    assert [b.discount_fen for b in bills] == [0, 0, 0, 0]
    assert [b.amount_fen for b in bills] == [QUARTER_FEN] * 4
    assert (await Redemption.get(id=handed.id)).status == RedemptionStatus.CANCELLED
    assert (await Reward.get(id=gift.id)).stock == 5
    assert (await check_fees()).problems == []


async def test_the_offer_needs_the_months_at_once_and_the_full_amount(world: FeeWorld) -> None:
    await year_offer(world, date(2026, 1, 1))
    bill = await billed(world)
    # One quarter: no offer.
    await pay(world, bill, QUARTER_FEN)
    assert (await FeeBill.get(id=bill.id)).discount_fen == 0
    # A year ahead paid in part: no offer either, the money goes to the oldest bills first (the
    # neighbour's current bill was not chosen, so it stays open: prepaying starts after it).
    part = await payments.record(
        world.staff_viewer,
        world.place.households[1].id,
        bill_ids=[],
        prepay_periods=4,
        amount_fen=QUARTER_FEN + 100,
        method=PaymentMethod.CASH,
    )
    assert part.payment.discount_fen == 0
    theirs = await FeeBill.filter(household_id=world.place.households[1].id).order_by("period_start")
    assert [b.paid_fen for b in theirs] == [0, QUARTER_FEN, 100, 0, 0]


async def test_an_offer_outside_its_dates_does_not_apply(world: FeeWorld, moved_clock: MovableClock) -> None:
    await year_offer(world, date(2026, 12, 1))
    assert await discounts.in_force(world.community_id, TODAY) is None
    assert await discounts.in_force(world.community_id, date(2026, 12, 1)) is not None


async def test_a_hardship_reduction_shows_as_an_amount_only(world: FeeWorld) -> None:
    await reductions.set_reduction(
        world.staff_viewer,
        world.home,
        percent=50,
        valid_from=date(2026, 1, 1),
        valid_until=None,
        note="低保户",
    )
    await billing.issue(world.staff_viewer, world.community_id, TODAY)
    bill = await FeeBill.get(household_id=world.home.id)
    assert (bill.reduction_fen, bill.amount_fen) == (3263, QUARTER_FEN - 3263)
    mine = await resident.my_fees(world.resident_viewer, world.community_id)
    assert mine.owed_fen == QUARTER_FEN - 3263
    assert not hasattr(mine.bills[0], "note")


async def test_arrears_and_one_reminder_per_period(world: FeeWorld, moved_clock: MovableClock) -> None:
    await billing.issue(world.staff_viewer, world.community_id, TODAY)  # due 2026-10-31: overdue now
    listed = await arrears.list_for_office(world.staff_viewer, world.community_id)
    assert [a.label for a in listed] == ["休闲小区 4号楼 2单元 301", "休闲小区 4号楼 2单元 302"]
    assert listed[0].owed_fen == QUARTER_FEN
    # Only 301 has a member with an account: one household reminded, once.
    assert await arrears.send_reminders(world.staff_viewer, world.community_id) == 1
    assert await arrears.send_reminders(world.staff_viewer, world.community_id) == 0
    texts = await Notification.filter(user_id=world.resident.user.id).values_list("text", flat=True)
    assert len(texts) == 1 and "您好" in str(texts[0]) and "65.25元" in str(texts[0])
    assert await FeeReminder.all().count() == 1


async def test_collection_rate_by_month_and_period(world: FeeWorld) -> None:
    bill = await billed(world)
    second = world.place.households[1]
    await pay(world, bill, QUARTER_FEN)
    await pay(world, await FeeBill.get(household_id=second.id), 1000, household=second)
    by_period = await rates(world.community_id, "红星社区", 2026, Scope.COMMUNITY, Granularity.PERIOD)
    assert len(by_period) == 1
    row = by_period[0]
    assert (row.label, row.households_billed, row.households_paid) == ("2026-10~2026-12", 2, 1)
    assert (row.billed_fen, row.collected_fen) == (2 * QUARTER_FEN, QUARTER_FEN + 1000)
    assert row.household_rate == 50.0
    assert row.money_rate == round((QUARTER_FEN + 1000) * 100 / (2 * QUARTER_FEN), 1)
    by_month = await rates(world.community_id, "红星社区", 2026, Scope.BUILDING, Granularity.MONTH)
    assert [r.label for r in by_month] == ["2026-10", "2026-11", "2026-12"]
    assert {r.place_name for r in by_month} == {"休闲小区 4号楼"}
    # Each month carries a third of each bill: 6525 / 3 = 2175 a household.
    assert [(r.billed_fen, r.collected_fen) for r in by_month] == [(4350, 2175 + 333)] * 3
    assert await rates(world.community_id, "红星社区", 2025, Scope.COMMUNITY, Granularity.MONTH) == []


async def test_the_quote_is_what_the_payment_accepts_and_writes_nothing(world: FeeWorld) -> None:
    await year_offer(world, date(2026, 1, 1))
    await billing.issue(world.staff_viewer, world.community_id, TODAY)
    bill = await FeeBill.get(household_id=world.home.id)
    quoted = await payments.quote(world.staff_viewer, world.home.id, bill_ids=[bill.id], prepay_periods=3)
    assert await FeeBill.filter(household_id=world.home.id).count() == 1, "the quote wrote no bill"
    assert (quoted.months, quoted.owed_fen) == (12, 4 * QUARTER_FEN)
    assert (
        quoted.discount_fen == QUARTER_FEN * 2 // 3
        and quoted.due_fen == quoted.owed_fen - quoted.discount_fen
    )
    assert quoted.periods[0] == "2026-10~2026-12" and len(quoted.periods) == 4
    done = await payments.record(
        world.staff_viewer,
        world.home.id,
        bill_ids=[bill.id],
        prepay_periods=3,
        amount_fen=quoted.due_fen,
        method=PaymentMethod.CASH,
    )
    assert done.payment.discount_fen == quoted.discount_fen
    assert (await check_fees()).problems == []
