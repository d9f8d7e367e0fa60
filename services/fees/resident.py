"""我的物业费: a resident's own household — its bills, payments, receipts, and the offer in force.
Reductions show as an amount on the bill; the reason is never here."""

from __future__ import annotations

from dataclasses import dataclass

from models.fees import BillState, FeeBill, FeeOffer, FeePayment
from models.places import Community
from points_engine.localtime import zone
from runtime import clock
from services.access import Viewer
from services.fees import discounts, households


@dataclass(frozen=True)
class MyFees:
    household_id: int | None
    household_label: str
    bills: list[FeeBill]
    payments: list[FeePayment]
    owed_fen: int
    offer: FeeOffer | None


async def my_fees(viewer: Viewer, community_id: int, limit: int = 60) -> MyFees:
    viewer.require_member(community_id)
    community = await Community.get(id=community_id)
    today = clock.now().astimezone(zone(community.timezone)).date()
    offer = await discounts.in_force(community_id, today)
    household_id = viewer.households.get(community_id)
    if household_id is None:
        return MyFees(None, "", [], [], 0, offer)
    return await _statement(household_id, limit, offer)


async def household_fees(viewer: Viewer, household_id: int, limit: int = 60) -> MyFees:
    """The office's view of one household: the same statement its members see (no offer)."""
    household = await households.get(viewer, household_id)
    viewer.require_manager(household.community_id)
    return await _statement(household.id, limit, None)


async def _statement(household_id: int, limit: int, offer: FeeOffer | None) -> MyFees:
    bills = await FeeBill.filter(household_id=household_id).order_by("-period_start").limit(limit)
    payments = await FeePayment.filter(household_id=household_id).order_by("-id").limit(limit)
    # A waived bill asks nothing any more (it keeps its amount for the record).
    owed = sum(b.amount_fen - b.paid_fen for b in bills if b.state != BillState.WAIVED)
    labels = await households.labels([household_id])
    return MyFees(household_id, labels.get(household_id, ""), bills, payments, owed, offer)
