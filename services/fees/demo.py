"""A year of property fees for a demo community, following the seeds' story.

The office bills 0.3 yuan per m² a month by quarter. In the first half year about 40% of the
households pay their quarter. On July 1st it offers "pay the whole year, two months free and a
small gift" (预缴全年，赠送两个月物业费和一份小礼品); from then on about seven in ten pay,
half of them the whole year ahead, and some settle what they still owed from the spring.

Deterministic (a seeded random generator) and fast: bills go in through the billing module's
bulk insert; payments, their lines and receipts are computed in memory and inserted in bulk,
keeping every invariant `fees-check` proves (paid amounts equal their lines, free months equal
the payments' discounts, receipts numbered 1…n per year with the counter at n). Gifts go through
the reward/pickup flow (a zero-point redemption) for households with a member account. Running
it again on a community that already has a fee schedule changes nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from tortoise.transactions import in_transaction

from models.fees import (
    BillingPeriod,
    BillState,
    BillTiming,
    FeeBill,
    FeeItem,
    FeeOffer,
    FeePayment,
    FeePaymentLine,
    FeeReceipt,
    FeeReceiptCounter,
    FeeSchedule,
    PaymentKind,
    PaymentMethod,
)
from models.people import Membership
from models.places import Community
from models.rewards import RewardKind
from points_engine import redemption
from points_engine.localtime import zone
from services.fees import billing
from services.fees.periods import Period

PRICE_FEN = 30
OFFER_NAME = "预缴全年，赠送两个月物业费和一份小礼品"
GIFT_NAME = "环保购物袋"
EARLY_PAYERS = 0.40  # the first half year, billed by quarter
LATER_PAYERS = 0.71  # after the offer
PREPAYERS = 0.5  # of the later payers, the share who take the offer
METHODS = (PaymentMethod.CASH, PaymentMethod.WECHAT_TRANSFER, PaymentMethod.BANK_TRANSFER)


@dataclass(frozen=True)
class DemoFees:
    created: bool
    bills: int
    payments: int
    prepaid_years: int
    gifts: int


@dataclass
class _Planned:
    household_id: int
    on: date
    bills: list[FeeBill]
    amount_fen: int
    discount: dict[int, int]
    method: PaymentMethod
    prepay: bool = False


def _moment(day: date, rng: random.Random, timezone: str) -> datetime:
    local = datetime.combine(day, time(9 + rng.randrange(8), rng.randrange(60)), tzinfo=zone(timezone))
    return local.astimezone(UTC)


def _day_in(period: Period, rng: random.Random, latest: date) -> date:
    """A working day in the period's first two months (people pay after the bill comes)."""
    span = max(1, min((period.end - period.start).days - 31, (latest - period.start).days))
    return period.start + timedelta(days=1 + rng.randrange(span))


async def seed_fees(community_id: int, staff_user_id: int, year: int = 2026, seed: int = 2026) -> DemoFees:
    if await FeeSchedule.exists(community_id=community_id):
        return DemoFees(False, 0, 0, 0, 0)
    community = await Community.get(id=community_id)
    rng = random.Random(seed)
    quarters = [Period(date(year, month, 1), 3) for month in (1, 4, 7, 10)]
    ahead = [Period(date(year + 1, month, 1), 3) for month in (1, 4)]
    async with in_transaction():
        sched = await FeeSchedule.create(
            community_id=community_id,
            item=FeeItem.PROPERTY_SERVICE,
            version=1,
            unit_price_fen=PRICE_FEN,
            period=BillingPeriod.QUARTER,
            timing=BillTiming.PERIOD_START,
            applies_from=date(year, 1, 1),
            due_days=30,
            created_at=_moment(date(year, 1, 1) - timedelta(days=10), rng, community.timezone),
            created_by_id=staff_user_id,
        )
        for quarter in quarters:
            await billing.issue_for(sched, quarter)
        gift = await redemption.create_reward(
            community_id, kind=RewardKind.GIFT, name=GIFT_NAME, cost=100, stock=2000,
            description="随全年预缴物业费赠送，也可用红色积分兑换",
        )  # fmt: skip
        offer = await FeeOffer.create(
            community_id=community_id,
            name=OFFER_NAME,
            pay_months=12,
            free_months=2,
            gift_reward_id=gift.id,
            valid_from=date(year, 7, 1),
            valid_until=date(year, 12, 31),
            created_at=_moment(date(year, 6, 25), rng, community.timezone),
        )
        bills: dict[int, dict[date, FeeBill]] = {}
        for bill in await FeeBill.filter(community_id=community_id).order_by("id"):
            bills.setdefault(bill.household_id, {})[bill.period_start] = bill
        planned = _plan(bills, quarters, rng)
        prepayers = [p.household_id for p in planned if p.prepay]
        for period in ahead:
            await billing.issue_for(sched, period, prepayers)
        for bill in await FeeBill.filter(household_id__in=prepayers, period_start__gte=ahead[0].start):
            bills[bill.household_id][bill.period_start] = bill
        for plan in planned:
            if plan.prepay:  # the prepayment's four quarters: Q3, Q4 and the next year's two
                plan.bills = [bills[plan.household_id][p.start] for p in (quarters[2], quarters[3], *ahead)]
                last = plan.bills[-1]
                plan.discount = {last.id: last.amount_fen * 2 // 3}
                plan.amount_fen = sum(b.amount_fen for b in plan.bills) - plan.discount[last.id]
        payments = await _write(community_id, community.timezone, staff_user_id, planned, rng)
        gifts = await _gifts(community_id, offer, payments)
    total_bills = await FeeBill.filter(community_id=community_id).count()
    return DemoFees(True, total_bills, len(planned), len(prepayers), gifts)


def _plan(
    bills: dict[int, dict[date, FeeBill]], quarters: list[Period], rng: random.Random
) -> list[_Planned]:
    q1, q2, q3, q4 = quarters
    planned: list[_Planned] = []
    for household_id in sorted(bills):
        own = bills[household_id]
        paid_q1 = rng.random() < EARLY_PAYERS
        # Who paid once tends to pay again; the rest now and then: about 40% each quarter.
        paid_q2 = rng.random() < (0.8 if paid_q1 else 0.13)
        method = rng.choice(METHODS)
        if paid_q1:
            planned.append(_Planned(household_id, _day_in(q1, rng, q2.start), [own[q1.start]], 0, {}, method))
        if paid_q2:
            planned.append(_Planned(household_id, _day_in(q2, rng, q3.start), [own[q2.start]], 0, {}, method))
        if rng.random() >= LATER_PAYERS:
            continue
        if rng.random() < PREPAYERS:
            # The offer: bills are filled in once the next year's are issued (see seed_fees).
            planned.append(_Planned(household_id, _day_in(q3, rng, q4.start), [], 0, {}, method, prepay=True))
            continue
        late = [own[p.start] for p, paid in ((q1, paid_q1), (q2, paid_q2)) if not paid and rng.random() < 0.1]
        planned.append(
            _Planned(household_id, _day_in(q3, rng, q4.start), [*late, own[q3.start]], 0, {}, method)
        )
        if rng.random() < 0.95:
            planned.append(_Planned(household_id, _day_in(q4, rng, q4.end), [own[q4.start]], 0, {}, method))
    for plan in planned:
        if not plan.prepay:
            plan.amount_fen = sum(b.amount_fen for b in plan.bills)
    return planned


async def _write(
    community_id: int, timezone: str, staff_user_id: int, planned: list[_Planned], rng: random.Random
) -> list[tuple[_Planned, int]]:
    """Receipts, payments and lines in bulk, in the order the money came in; returns each plan
    with its payment id."""
    dated = sorted(
        ((_moment(p.on, rng, timezone), p) for p in planned), key=lambda pair: (pair[0], pair[1].household_id)
    )
    numbers: dict[int, int] = {}
    receipts: list[FeeReceipt] = []
    for moment, _plan in dated:
        year = moment.astimezone(zone(timezone)).year
        numbers[year] = numbers.get(year, 0) + 1
        receipts.append(
            FeeReceipt(community_id=community_id, year=year, number=numbers[year], issued_at=moment)
        )
    await FeeReceipt.bulk_create(receipts, batch_size=500)
    await FeeReceiptCounter.bulk_create(
        [FeeReceiptCounter(community_id=community_id, year=y, last_number=n) for y, n in numbers.items()]
    )
    receipt_ids = {
        (row["year"], row["number"]): row["id"]
        for row in await FeeReceipt.filter(community_id=community_id).values("id", "year", "number")
    }
    payments = []
    for (moment, plan), receipt in zip(dated, receipts, strict=True):
        payments.append(
            FeePayment(
                community_id=community_id,
                household_id=plan.household_id,
                kind=PaymentKind.PAYMENT,
                method=plan.method,
                reference=""
                if plan.method == PaymentMethod.CASH
                else f"DEMO{receipt.year}{receipt.number:06d}",
                amount_fen=plan.amount_fen,
                discount_fen=sum(plan.discount.values()),
                receipt_id=receipt_ids[(receipt.year, receipt.number)],
                received_by_id=staff_user_id,
                received_at=moment,
                local_month=moment.astimezone(zone(timezone)).strftime("%Y-%m"),
            )
        )
    await FeePayment.bulk_create(payments, batch_size=500)
    payment_ids = dict(await FeePayment.filter(community_id=community_id).values_list("receipt_id", "id"))
    lines: list[FeePaymentLine] = []
    changed: list[FeeBill] = []
    done: list[tuple[_Planned, int]] = []
    for (_moment_at, plan), payment in zip(dated, payments, strict=True):
        payment_id = payment_ids[payment.receipt_id]
        done.append((plan, payment_id))
        for bill in plan.bills:
            off = plan.discount.get(bill.id, 0)
            share = bill.amount_fen - off
            lines.append(
                FeePaymentLine(payment_id=payment_id, bill_id=bill.id, amount_fen=share, discount_fen=off)
            )
            bill.discount_fen += off
            bill.amount_fen -= off
            bill.paid_fen += share
            if off:
                bill.discount_note = f"{OFFER_NAME}：赠送2个月"
            bill.state = BillState.PAID
            changed.append(bill)
    await FeePaymentLine.bulk_create(lines, batch_size=500)
    await FeeBill.bulk_update(
        changed, fields=["discount_fen", "amount_fen", "paid_fen", "discount_note", "state"], batch_size=500
    )
    return done


async def _gifts(community_id: int, offer: FeeOffer, payments: list[tuple[_Planned, int]]) -> int:
    """The gift for each prepaying household with a member account, through the pickup flow."""
    prepaid = {plan.household_id: payment_id for plan, payment_id in payments if plan.prepay}
    members: dict[int, int] = {}
    for row in (
        await Membership.filter(community_id=community_id, household_id__in=list(prepaid))
        .order_by("id")
        .values("household_id", "user_id")
    ):
        members.setdefault(row["household_id"], row["user_id"])
    given = 0
    for household_id, payment_id in sorted(prepaid.items()):
        user_id = members.get(household_id)
        if user_id is None or offer.gift_reward_id is None:
            continue
        gift = await redemption.grant(community_id, user_id, offer.gift_reward_id, f"fee-gift:{payment_id}")
        await FeePayment.filter(id=payment_id).update(gift_redemption_id=gift.id)
        given += 1
    return given
