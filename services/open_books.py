"""Public accounts: income and spending per month, append-only, with repair materials counted
from the repair records themselves, and the statement the community sees."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.open_books import INCOME_CATEGORIES, AccountCategory, AccountEntry
from models.places import Community
from models.reports import ReportMaterial
from points_engine.localtime import local_month
from runtime import clock
from services import idempotency
from services.access import Viewer
from services.errors import DomainError, ErrorCode
from services.fees.income import income as fees_income

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
MAX_AMOUNT = Decimal("100000000")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class RepairMaterialLine:
    report_id: int
    item: str
    brand_model: str
    quantity: Decimal
    cost: Decimal


@dataclass(frozen=True)
class CategoryTotal:
    category: AccountCategory
    is_income: bool
    amount: Decimal
    share_percent: float  # of its side (income or spending), 0..100


@dataclass(frozen=True)
class Statement:
    month: str
    income: Decimal
    spending: Decimal
    balance: Decimal
    categories: list[CategoryTotal]
    entries: list[AccountEntry]  # in force: not corrected
    repair_materials: list[RepairMaterialLine]
    repair_materials_total: Decimal


def check_month(month: str, field: str = "month") -> str:
    if not _MONTH.match(month):
        raise DomainError(ErrorCode.INVALID_INPUT, "A month is written YYYY-MM.", field)
    return month


def _amount(value: Decimal | str | float) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise DomainError(ErrorCode.INVALID_AMOUNT, "Not an amount.", "amount") from exc
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        raise DomainError(ErrorCode.INVALID_AMOUNT, "An amount is above zero (yuan).", "amount")
    if amount != amount.quantize(CENT):
        raise DomainError(ErrorCode.INVALID_AMOUNT, "At most two decimals (fen).", "amount")
    return amount


async def record(
    viewer: Viewer,
    community_id: int,
    *,
    month: str,
    category: AccountCategory | None,
    amount: Decimal | str | float,
    memo: str = "",
    brand_model: str = "",
    corrects_id: int | None = None,
    idempotency_key: str | None = None,
) -> AccountEntry:
    """Staff record one entry; with `corrects_id` it replaces that entry in the statement. With a
    key, a retried or double-clicked entry is recorded once: money must not appear twice."""
    viewer.require_manager(community_id)
    if category is None:
        raise DomainError(ErrorCode.INVALID_INPUT, "Choose a category.", "category")
    check_month(month)
    value = _amount(amount)
    if len(memo) > 300:
        raise DomainError(ErrorCode.INVALID_INPUT, "At most 300 characters.", "memo")
    if len(brand_model) > 100:
        raise DomainError(ErrorCode.INVALID_INPUT, "At most 100 characters.", "brandModel")
    if brand_model and category != AccountCategory.MATERIALS:
        raise DomainError(ErrorCode.INVALID_INPUT, "Brand and model are for materials.", "brandModel")

    async def make() -> AccountEntry:
        async with in_transaction():
            if corrects_id is not None:
                corrected = await AccountEntry.get_or_none(id=corrects_id, community_id=community_id)
                if corrected is None:
                    raise DomainError(ErrorCode.NOT_FOUND, "No such entry.", "correctsId")
            try:
                return await AccountEntry.create(
                    community_id=community_id,
                    month=month,
                    category=category,
                    amount=value,
                    memo=memo.strip(),
                    brand_model=brand_model.strip(),
                    corrects_id=corrects_id,
                    entered_by_id=viewer.user_id,
                    created_at=clock.now(),
                )
            except IntegrityError as exc:
                raise DomainError(
                    ErrorCode.ALREADY_CORRECTED,
                    "This entry was corrected already; correct the correction.",
                    "correctsId",
                ) from exc

    return await idempotency.once(
        viewer.user_id,
        idempotency_key,
        "accountEntryRecord",
        {
            "community": community_id,
            "month": month,
            "category": str(category),
            "amount": str(value),
            "memo": memo,
            "brandModel": brand_model,
            "corrects": corrects_id,
        },
        load=lambda first: AccountEntry.get_or_none(id=first, community_id=community_id),
        make=make,
    )


async def get_entry(viewer: Viewer, entry_id: int, field: str = "entryId") -> AccountEntry:
    entry = await AccountEntry.get_or_none(id=entry_id)
    if entry is None or not viewer.is_member(entry.community_id):
        raise DomainError(ErrorCode.NOT_FOUND, "No such entry.", field)
    return entry


async def repair_materials(community_id: int, month: str) -> list[RepairMaterialLine]:
    """Materials of repairs in the community, by the month they were recorded (local time)."""
    timezone = (await Community.get(id=community_id)).timezone
    rows = await ReportMaterial.filter(report__community_id=community_id).order_by("id")
    return [
        RepairMaterialLine(row.report_id, row.item, row.brand_model, row.quantity, row.cost)
        for row in rows
        if local_month(row.created_at, timezone) == month
    ]


async def statement(viewer: Viewer | None, community_id: int, month: str) -> Statement:
    """`viewer` None: the public notice board, which checked publicity itself."""
    if viewer is not None:
        viewer.require_member(community_id)
    check_month(month)
    all_rows = await AccountEntry.filter(community_id=community_id, month=month).order_by("id")
    # A correction may be filed under another month; it still takes the entry it names out.
    corrections = await AccountEntry.filter(
        community_id=community_id, corrects_id__not_isnull=True
    ).values_list("corrects_id", flat=True)
    corrected = {int(str(value)) for value in corrections}
    entries = [row for row in all_rows if row.id not in corrected]
    materials = await repair_materials(community_id, month)
    totals: dict[AccountCategory, Decimal] = {}
    for row in entries:
        totals[row.category] = totals.get(row.category, Decimal(0)) + row.amount
    fee_income = await fees_income(community_id, month)
    if fee_income:
        # Property fees flow in from the payments the office recorded (services/fees).
        totals[AccountCategory.FEES] = totals.get(AccountCategory.FEES, Decimal(0)) + fee_income
    materials_total = sum((line.cost for line in materials), Decimal(0))
    if materials_total:
        totals[AccountCategory.MATERIALS] = (
            totals.get(AccountCategory.MATERIALS, Decimal(0)) + materials_total
        )
    income = sum((v for k, v in totals.items() if k in INCOME_CATEGORIES), Decimal(0))
    spending = sum((v for k, v in totals.items() if k not in INCOME_CATEGORIES), Decimal(0))
    categories = []
    for category in AccountCategory:
        if category not in totals:
            continue
        is_income = category in INCOME_CATEGORIES
        side = income if is_income else spending
        share = float(totals[category] * 100 / side) if side else 0.0
        categories.append(CategoryTotal(category, is_income, totals[category], round(share, 1)))
    return Statement(
        month=month,
        income=income,
        spending=spending,
        balance=income - spending,
        categories=categories,
        entries=entries,
        repair_materials=materials,
        repair_materials_total=materials_total,
    )


def current_month(timezone: str) -> str:
    return local_month(clock.now(), timezone)
