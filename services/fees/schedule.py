"""The fee schedule: versions per community and item, each from a date on; issued bills keep
the price they were issued with, so a version may only start after the last billed period."""

from __future__ import annotations

from datetime import date

from tortoise.transactions import in_transaction

from models.fees import BillingPeriod, BillTiming, FeeBill, FeeItem, FeeSchedule
from models.places import Community
from runtime import clock
from services.access import Viewer
from services.errors import DomainError, ErrorCode
from services.fees.periods import MONTHS, Period

MAX_UNIT_PRICE_FEN = 100_00  # 100 yuan per m² a month: far above any property fee
MAX_DUE_DAYS = 366


async def at(community_id: int, day: date, item: FeeItem = FeeItem.PROPERTY_SERVICE) -> FeeSchedule | None:
    """The version in force on `day`: the latest start on or before it, the newest version first."""
    return (
        await FeeSchedule.filter(community_id=community_id, item=item, applies_from__lte=day)
        .order_by("-applies_from", "-version")
        .first()
    )


async def versions(viewer: Viewer, community_id: int) -> list[FeeSchedule]:
    viewer.require_member(community_id)
    return await FeeSchedule.filter(community_id=community_id).order_by("-version")


async def last_billed_end(community_id: int, item: FeeItem) -> date | None:
    """The first day after the latest period any bill of the item covers (prepaid ones too)."""
    latest = (
        await FeeBill.filter(community_id=community_id, item=item)
        .order_by("-period_start")
        .only("id", "period_start", "months")
        .first()
    )
    return None if latest is None else Period(latest.period_start, latest.months).end


async def set_schedule(
    viewer: Viewer,
    community_id: int,
    *,
    unit_price_fen: int,
    period: BillingPeriod,
    timing: BillTiming,
    applies_from: date,
    due_days: int = 30,
    item: FeeItem = FeeItem.PROPERTY_SERVICE,
) -> FeeSchedule:
    viewer.require_manager(community_id)
    if isinstance(unit_price_fen, bool) or not 1 <= unit_price_fen <= MAX_UNIT_PRICE_FEN:
        raise DomainError(
            ErrorCode.INVALID_AMOUNT, "单价须在0.01元至100元（每平方米每月）之间。", "unitPriceFen"
        )
    if applies_from.day != 1:
        raise DomainError(ErrorCode.INVALID_INPUT, "收费标准须从某月1日起执行。", "appliesFrom")
    if not 0 <= due_days <= MAX_DUE_DAYS:
        raise DomainError(ErrorCode.INVALID_INPUT, "缴费期限须在0至366天之间。", "dueDays")
    if period not in MONTHS:
        raise DomainError(ErrorCode.INVALID_INPUT, "请选择按月、按季或按年收费。", "period")
    async with in_transaction():
        # The community row orders two staff changing the schedule at once (SQLite serializes).
        await Community.filter(id=community_id).select_for_update().only("id").first()
        billed_until = await last_billed_end(community_id, item)
        if billed_until is not None and applies_from < billed_until:
            raise DomainError(
                ErrorCode.FEE_PERIOD_BILLED,
                f"{billed_until.year}年{billed_until.month}月{billed_until.day}日之前的账单已开出，已开账单按原价；新标准最早从该日起执行。",
                "appliesFrom",
            )
        latest = await FeeSchedule.filter(community_id=community_id, item=item).order_by("-version").first()
        return await FeeSchedule.create(
            community_id=community_id,
            item=item,
            version=(latest.version + 1) if latest else 1,
            unit_price_fen=unit_price_fen,
            period=period,
            timing=timing,
            applies_from=applies_from,
            due_days=due_days,
            created_at=clock.now(),
            created_by_id=viewer.user_id,
        )
