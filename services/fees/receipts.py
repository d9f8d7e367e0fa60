"""Receipt numbers: sequential per community and year, without gaps.

The counter row is moved by a conditional UPDATE inside the payment's transaction. On PostgreSQL
that UPDATE holds the row until the payment commits or rolls back, so a second office waits for
the first, and a payment that fails takes its number back with it; SQLite serializes writers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.fees import FeeReceipt, FeeReceiptCounter


def receipt_label(year: int, number: int) -> str:
    """As printed: 2026-000123."""
    return f"{year}-{number:06d}"


async def next_number(community_id: int, year: int) -> int:
    """Call inside the payment's transaction."""
    moved = await FeeReceiptCounter.filter(community_id=community_id, year=year).update(
        last_number=F("last_number") + 1
    )
    if not moved:
        try:
            async with in_transaction():
                await FeeReceiptCounter.create(community_id=community_id, year=year, last_number=1)
            return 1
        except IntegrityError:
            # Another payment opened the year a moment ago: take the next number after its one.
            await FeeReceiptCounter.filter(community_id=community_id, year=year).update(
                last_number=F("last_number") + 1
            )
    row = await FeeReceiptCounter.get(community_id=community_id, year=year)
    return row.last_number


async def issue(community_id: int, year: int, at: datetime) -> FeeReceipt:
    number = await next_number(community_id, year)
    return await FeeReceipt.create(community_id=community_id, year=year, number=number, issued_at=at)


@dataclass(frozen=True)
class Gap:
    community_id: int
    year: int
    missing: list[int]
    counter: int
    highest: int
