"""The demo's year of fees for 红星社区: the seeds' story in numbers, every invariant of
fees-check, deterministic, and idempotent."""

from __future__ import annotations

import time

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
from services.fees.demo import GIFT_NAME, seed_fees


async def _staff(community_id: int) -> int:
    row = await MembershipRole.filter(community_id=community_id, role=Role.STAFF).order_by("id").first()
    assert row is not None
    return (await row.membership).user_id


async def test_a_year_of_fees_follows_the_story() -> None:
    await seed_register()
    community = await Community.get(slug="hongxing")
    started = time.perf_counter()
    made = await seed_fees(community.id, await _staff(community.id), year=2026)
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

    again = await seed_fees(community.id, await _staff(community.id), year=2026)
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
    await seed_fees(community.id, staff, year=2026, seed=7)
    first = await _digest(community.id)
    await _forget_fees(community.id)
    await seed_fees(community.id, staff, year=2026, seed=7)
    assert await _digest(community.id) == first
    await _forget_fees(community.id)
    await seed_fees(community.id, staff, year=2026, seed=8)
    assert await _digest(community.id) != first
