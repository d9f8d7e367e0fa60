"""Fee income for the public accounts: what the office took in during a month, less what it
reversed that month, counted from the payments themselves (as repair materials are counted from
the repair records), so nobody types it in twice."""

from __future__ import annotations

from decimal import Decimal

from models.fees import FeePayment, PaymentKind


async def income(community_id: int, month: str) -> Decimal:
    """Yuan, for the statement of `month` (YYYY-MM, the community's time zone)."""
    rows = await FeePayment.filter(community_id=community_id, local_month=month).values_list(
        "kind", "amount_fen"
    )
    fen = sum(amount if kind == PaymentKind.PAYMENT else -amount for kind, amount in rows)
    return Decimal(fen) / 100
