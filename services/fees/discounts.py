"""Offers.

An offer "pay N months at once, M free" takes M months off the latest bills of a payment that
settles at least N months in full; with a gift, a payment settling twelve months or more also
gets the gift, handed over through the reward/pickup flow at zero points so the stock counts.
Hardship reductions are in services.fees.reductions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tortoise.transactions import in_transaction

from models.fees import FeeBill, FeeOffer
from models.people import Membership
from models.places import Household
from models.rewards import Redemption, Reward
from points_engine import redemption as redemptions
from points_engine.errors import PointsError
from runtime import clock
from runtime.i18n import N_
from services.access import Viewer
from services.errors import DomainError, ErrorCode

NAME_MAX = 100
FULL_YEAR_MONTHS = 12


async def create_offer(
    viewer: Viewer,
    community_id: int,
    *,
    name: str,
    pay_months: int,
    free_months: int,
    gift_reward_id: int | None,
    valid_from: date,
    valid_until: date | None,
) -> FeeOffer:
    viewer.require_manager(community_id)
    name = " ".join((name or "").split())
    if not 1 <= len(name) <= NAME_MAX:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            N_("The name must be 1 to {name_max} characters."),
            "name",
            name_max=NAME_MAX,
        )
    if not 1 <= pay_months <= 36:
        raise DomainError(
            ErrorCode.INVALID_INPUT, N_("The months paid at once must be from 1 to 36."), "payMonths"
        )
    if not 0 <= free_months < pay_months:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            N_("The free months must be fewer than the months paid at once."),
            "freeMonths",
        )
    if gift_reward_id is not None:
        if not await Reward.exists(id=gift_reward_id, community_id=community_id):
            raise DomainError(ErrorCode.NOT_FOUND, N_("No such gift."), "giftRewardId")
        if pay_months < FULL_YEAR_MONTHS:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                N_("A gift comes only with a full year: 12 months paid at once."),
                "payMonths",
            )
    if free_months == 0 and gift_reward_id is None:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("An offer needs free months or a gift."), "freeMonths")
    if valid_until is not None and valid_until < valid_from:
        raise DomainError(
            ErrorCode.INVALID_INPUT, N_("The end date must come after the start date."), "validUntil"
        )
    return await FeeOffer.create(
        community_id=community_id,
        name=name,
        pay_months=pay_months,
        free_months=free_months,
        gift_reward_id=gift_reward_id,
        valid_from=valid_from,
        valid_until=valid_until,
        created_at=clock.now(),
    )


async def in_force(community_id: int, day: date) -> FeeOffer | None:
    """The newest offer valid on `day`."""
    rows = await FeeOffer.filter(community_id=community_id, valid_from__lte=day).order_by(
        "-valid_from", "-id"
    )
    for row in rows:
        if row.valid_until is None or row.valid_until >= day:
            return row
    return None


async def offers(viewer: Viewer, community_id: int) -> list[FeeOffer]:
    viewer.require_member(community_id)
    return await FeeOffer.filter(community_id=community_id).order_by("-valid_from", "-id")


@dataclass(frozen=True)
class Discount:
    by_bill: dict[int, int]  # bill id → fen taken off
    note: str

    @property
    def total(self) -> int:
        return sum(self.by_bill.values())


def free_months_discount(offer: FeeOffer | None, bills: list[FeeBill]) -> Discount | None:
    """The free months of `offer` on these bills, or None when they do not qualify: fewer months
    than the offer asks, or a bill already paid in part or discounted (an offer is earned by
    settling whole bills at once). The months come off the latest bills first."""
    if offer is None or offer.free_months == 0:
        return None
    if sum(b.months for b in bills) < offer.pay_months:
        return None
    if any(b.paid_fen or b.discount_fen for b in bills):
        return None
    left = offer.free_months
    by_bill: dict[int, int] = {}
    for bill in sorted(bills, key=lambda b: (b.period_start, b.id), reverse=True):
        if left == 0:
            break
        months = min(left, bill.months)
        # The months' share of what the bill asks after any reduction, rounded down to the fen.
        by_bill[bill.id] = (bill.gross_fen - bill.reduction_fen) * months // bill.months
        left -= months
    return Discount(by_bill, f"{offer.name}：赠送{offer.free_months}个月")


def earns_gift(offer: FeeOffer | None, bills: list[FeeBill]) -> bool:
    return (
        offer is not None
        and offer.gift_reward_id is not None
        and sum(b.months for b in bills) >= max(FULL_YEAR_MONTHS, offer.pay_months)
        and not any(b.paid_fen for b in bills)
    )


async def gift_recipient(household: Household, chosen_user_id: int | None) -> int | None:
    """Who collects the gift: the member named, if they live in the household, else its first
    member to have joined; None when nobody of the household has an account."""
    query = Membership.filter(community_id=household.community_id, household_id=household.id)
    if chosen_user_id is not None:
        if not await query.filter(user_id=chosen_user_id).exists():
            raise DomainError(
                ErrorCode.NOT_FOUND, N_("This resident is not a member of the household."), "giftRecipientId"
            )
        return chosen_user_id
    first = await query.order_by("id").first()
    return None if first is None else first.user_id


async def hand_gift(offer: FeeOffer, user_id: int, source_key: str) -> Redemption | None:
    """A zero-point redemption of the offer's gift (a pickup code, stock taken); None when the
    gift is out of stock or withdrawn: the payment stands without it (its note says so)."""
    assert offer.gift_reward_id is not None
    try:
        async with in_transaction():
            return await redemptions.grant(offer.community_id, user_id, offer.gift_reward_id, source_key)
    except PointsError:
        return None
