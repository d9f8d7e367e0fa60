"""The demo's year of fees for 红星社区: the seeds' story in numbers, every invariant of
fees-check, deterministic, and idempotent."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

from models.enums import Role
from models.fees import (
    FeeBill,
    FeeOffer,
    FeePayment,
    FeePaymentLine,
    FeeReceipt,
    FeeReceiptCounter,
    FeeSchedule,
)
from models.people import MembershipRole
from models.places import Community
from models.rewards import Redemption, Reward
from services.demo import seed_register
from services.fees.check import check_fees
from services.fees.collection_rate import Granularity, Scope, rates
from services.fees.demo import GIFT_NAME, quarters_until, seed_fees

# The demo's "now" for a whole calendar year: the last evening of 2026, Beijing time.
YEAR_END = datetime(2026, 12, 31, 12, 0, tzinfo=UTC)


async def _staff(community_id: int) -> int:
    row = await MembershipRole.filter(community_id=community_id, role=Role.STAFF).order_by("id").first()
    assert row is not None
    return (await row.membership).user_id


async def test_a_year_of_fees_follows_the_story() -> None:
    await seed_register()
    community = await Community.get(slug="hongxing")
    started = time.perf_counter()
    made = await seed_fees(community.id, await _staff(community.id), YEAR_END)
    seconds = time.perf_counter() - started
    assert made.created and made.payments > 1000, made
    assert seconds < 60, f"the demo's fees took {seconds:.1f} s"
    checked = await check_fees(community.id)
    assert checked.problems == [], checked.problems[:5]

    by_quarter = {
        r.label: r
        for r in await rates(community.id, community.name, 2026, Scope.COMMUNITY, Granularity.PERIOD)
    }
    q1, q2, q3, q4 = (by_quarter[f"2026-{m:02d}~2026-{m + 2:02d}"] for m in (1, 4, 7, 10))
    # Quarterly billing: about 40%; after the offer of July: 68% and more.
    assert 35 <= q1.household_rate <= 45 and 35 <= q2.household_rate <= 45, (q1, q2)
    assert q3.household_rate >= 68 and q4.household_rate >= 66, (q3, q4)
    assert q3.money_rate >= 68
    # The prepayers' free months sit on the bills of next spring, and the year is paid ahead.
    ahead = await FeeBill.filter(community_id=community.id, period_start__gte="2027-01-01").count()
    assert ahead == 2 * made.prepaid_years and made.prepaid_years > 500
    discounted = await FeeBill.filter(community_id=community.id, discount_fen__gt=0).count()
    assert discounted == made.prepaid_years
    # Gifts went through the pickup flow for prepaying households with an account.
    assert made.gifts == await Redemption.filter(community_id=community.id, cost=0).count()

    again = await seed_fees(community.id, await _staff(community.id), YEAR_END)
    assert not again.created
    assert await FeePayment.filter(community_id=community.id).count() == made.payments


async def _digest(community_id: int) -> list[tuple[object, ...]]:
    payments = (
        await FeePayment.filter(community_id=community_id)
        .order_by("receipt__number")
        .values_list("household_id", "amount_fen", "discount_fen", "method", "received_at", "receipt__number")
    )
    bills = (
        await FeeBill.filter(community_id=community_id)
        .order_by("household_id", "period_start")
        .values_list("household_id", "period_label", "amount_fen", "paid_fen", "state")
    )
    return [*payments, *bills]


async def _forget_fees(community_id: int) -> None:
    await FeePaymentLine.filter(payment__community_id=community_id).delete()
    await FeePayment.filter(community_id=community_id).delete()
    await FeeReceipt.filter(community_id=community_id).delete()
    await FeeReceiptCounter.filter(community_id=community_id).delete()
    await FeeBill.filter(community_id=community_id).delete()
    await FeeOffer.filter(community_id=community_id).delete()
    await FeeSchedule.filter(community_id=community_id).delete()
    await Redemption.filter(community_id=community_id, cost=0).delete()
    await Reward.filter(community_id=community_id, name=GIFT_NAME).delete()


async def test_the_demo_is_deterministic() -> None:
    await seed_register()
    community = await Community.get(slug="hongxing")
    staff = await _staff(community.id)
    await seed_fees(community.id, staff, YEAR_END, seed=7)
    first = await _digest(community.id)
    await _forget_fees(community.id)
    await seed_fees(community.id, staff, YEAR_END, seed=7)
    assert await _digest(community.id) == first
    await _forget_fees(community.id)
    await seed_fees(community.id, staff, YEAR_END, seed=8)
    assert await _digest(community.id) != first


def test_the_year_is_the_four_quarters_up_to_today() -> None:
    assert [q.label for q in quarters_until(date(2026, 11, 23))] == [
        "2026-01~2026-03", "2026-04~2026-06", "2026-07~2026-09", "2026-10~2026-12",
    ]  # fmt: skip
    assert [q.start for q in quarters_until(date(2027, 2, 1))] == [
        date(2026, 4, 1), date(2026, 7, 1), date(2026, 10, 1), date(2027, 1, 1),
    ]  # fmt: skip


async def test_nothing_is_dated_after_now_and_the_clock_follows_the_story() -> None:
    await seed_register()
    community = await Community.get(slug="hongxing")
    now = datetime(2027, 2, 1, 3, 30, tzinfo=UTC)  # 11:30 in Beijing, a day into the quarter
    moments: list[datetime] = []

    def at(moment: datetime) -> datetime:
        moments.append(moment)
        return moment

    made = await seed_fees(community.id, await _staff(community.id), now, seed=3, at=at)
    assert made.created and made.payments > 1000
    assert moments and max(moments) <= now
    latest = await FeePayment.filter(community_id=community.id).order_by("-received_at").first()
    assert latest is not None and latest.received_at <= now
    assert await FeeReceipt.filter(community_id=community.id, issued_at__gt=now).count() == 0
    # Receipts run 1…n within each calendar year the window spans, with the counters at n.
    for year in (2026, 2027):
        numbers = await FeeReceipt.filter(community_id=community.id, year=year).values_list(
            "number", flat=True
        )
        counter = await FeeReceiptCounter.get(community_id=community.id, year=year)
        assert sorted(numbers) == list(range(1, len(numbers) + 1)) and counter.last_number == len(numbers)
    assert (await check_fees(community.id)).problems == []
    # The first quarter billed is April 2026, the last the quarter of "now", the offer in between.
    starts = set(await FeeBill.filter(community_id=community.id).values_list("period_start", flat=True))
    assert min(starts) == date(2026, 4, 1) and date(2027, 1, 1) in starts
    offer = await FeeOffer.get(community_id=community.id)
    assert offer.valid_from == date(2026, 10, 1) and offer.valid_until == date(2027, 3, 31)
