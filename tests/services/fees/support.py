"""A small community with a fee schedule, staff and residents, built through the services, and
the steps the fee tests share (bills issued, a cash payment, the year offer, a refusal that
writes nothing)."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from models.enums import Role
from models.fees import (
    BillingPeriod,
    BillTiming,
    FeeBill,
    FeeBillAdjustment,
    FeeOffer,
    FeePayment,
    FeePaymentLine,
    FeeReceipt,
    FeeReceiptCounter,
    FeeReduction,
    PaymentMethod,
)
from models.guards import IdempotencyRecord
from models.places import Household
from services.access import Viewer, load_viewer
from services.errors import DomainError, ErrorCode
from services.fees import billing, discounts, payments, schedule
from tests.support.people import Neighbourhood, Person, make_neighbourhood, make_person

PRICE_FEN = 30  # 0.3 yuan per m² a month: the seeds' price


@dataclass
class FeeWorld:
    place: Neighbourhood
    staff: Person
    resident: Person
    staff_viewer: Viewer
    resident_viewer: Viewer

    @property
    def community_id(self) -> int:
        return self.place.community.id

    @property
    def home(self) -> Household:
        return self.place.households[0]


async def fee_world(
    period: BillingPeriod = BillingPeriod.QUARTER,
    timing: BillTiming = BillTiming.PERIOD_START,
    slug: str = "hongxing",
    name: str = "红星社区",
) -> FeeWorld:
    place = await make_neighbourhood(slug, name)
    staff = await make_person(place.community, (Role.STAFF,), name="王会计")
    resident = await make_person(
        place.community, (Role.RESIDENT,), household=place.households[0], name="李阿姨"
    )
    staff_viewer = await load_viewer(staff.user.id)
    await schedule.set_schedule(
        staff_viewer,
        place.community.id,
        unit_price_fen=PRICE_FEN,
        period=period,
        timing=timing,
        applies_from=date(2026, 1, 1),
    )
    return FeeWorld(place, staff, resident, staff_viewer, await load_viewer(resident.user.id))


TODAY = date(2026, 11, 23)  # the tests' clock, in Shanghai
QUARTER_FEN = 6525  # 72.50 m² × 0.30 yuan × 3 months


async def billed(world: FeeWorld) -> FeeBill:
    """The current quarter's bills issued; the first household's."""
    await billing.issue(world.staff_viewer, world.community_id, TODAY)
    return await FeeBill.get(household_id=world.home.id)


async def pay(
    world: FeeWorld, bill: FeeBill, amount_fen: int, household: Household | None = None, **more: Any
) -> payments.Recorded:
    """The office takes cash for one bill (of the first household unless another is named)."""
    return await payments.record(
        world.staff_viewer,
        (household or world.home).id,
        bill_ids=[bill.id],
        amount_fen=amount_fen,
        method=more.pop("method", PaymentMethod.CASH),
        **more,
    )


async def year_offer(world: FeeWorld, valid_from: date, gift_reward_id: int | None = None) -> FeeOffer:
    """The seeds' offer: pay a year at once, two months free (and a gift, if named)."""
    return await discounts.create_offer(
        world.staff_viewer,
        world.community_id,
        name="预缴全年",
        pay_months=12,
        free_months=2,
        gift_reward_id=gift_reward_id,
        valid_from=valid_from,
        valid_until=date(2026, 12, 31) if gift_reward_id else None,
    )


async def snapshot() -> tuple[Any, ...]:
    """Everything a refused fee operation must leave as it was."""
    return (
        await FeePayment.all().count(),
        await FeePaymentLine.all().count(),
        await FeeReceipt.all().count(),
        list(await FeeReceiptCounter.all().values_list("last_number", flat=True)),
        list(
            await FeeBill.all()
            .order_by("id")
            .values_list("paid_fen", "discount_fen", "reduction_fen", "amount_fen", "state")
        ),
        await FeeBillAdjustment.all().count(),
        await FeeReduction.all().count(),
        await IdempotencyRecord.all().count(),
    )


async def refused(code: ErrorCode, work: Awaitable[Any]) -> DomainError:
    """`work` fails with `code`, and writes nothing."""
    before = await snapshot()
    with pytest.raises(DomainError) as caught:
        await work
    assert caught.value.code == code, caught.value.message
    assert await snapshot() == before, "a refused fee operation wrote something"
    return caught.value
