"""`redsteward ledger-check`: every balance equals its transfers, every community sums to zero,
and every member's lots hold exactly the member's balance."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from tortoise.functions import Sum

from models.ledger import AccountKind, PointAccount, PointLot, PointLotMove, PointTransfer


@dataclass(frozen=True)
class LedgerProblem:
    community_id: int
    account_id: int | None
    message: str


async def check_ledger() -> tuple[int, list[LedgerProblem]]:
    """Returns how many accounts were checked and every problem found."""
    rows: list[dict[str, Any]] = await PointAccount.all().values("id", "community_id", "kind", "balance")
    credits = await _sums("credit_id")
    debits = await _sums("debit_id")
    problems: list[LedgerProblem] = []
    totals: dict[int, int] = defaultdict(int)
    for row in rows:
        expected = credits.get(row["id"], 0) - debits.get(row["id"], 0)
        balance = int(row["balance"])
        totals[row["community_id"]] += balance
        if balance != expected:
            problems.append(
                LedgerProblem(
                    row["community_id"],
                    row["id"],
                    f"account {row['id']} ({row['kind']}) holds {balance} "
                    f"but its transfers sum to {expected}",
                )
            )
        if row["kind"] == AccountKind.MEMBER and balance < 0:
            problems.append(
                LedgerProblem(row["community_id"], row["id"], f"member account {row['id']} is negative")
            )
    for community_id, total in sorted(totals.items()):
        if total != 0:
            problems.append(
                LedgerProblem(community_id, None, f"community {community_id} accounts sum to {total}, not 0")
            )
    bad = await PointTransfer.filter(amount__lte=0).values_list("id", "community_id")
    for transfer_id, community_id in bad:
        problems.append(
            LedgerProblem(community_id, None, f"transfer {transfer_id} has a non-positive amount")
        )
    problems += await _lot_problems([row for row in rows if row["kind"] == AccountKind.MEMBER])
    return len(rows), problems


async def _lot_problems(members: list[dict[str, Any]]) -> list[LedgerProblem]:
    """A member's lots sum to the balance; a lot holds what it was given plus its moves, never
    less than nothing."""
    held = {
        row["account_id"]: int(row["total"] or 0)
        for row in await PointLot.annotate(total=Sum("remaining"))
        .group_by("account_id")
        .values("account_id", "total")
    }
    problems: list[LedgerProblem] = []
    for row in members:
        lots = held.get(row["id"], 0)
        if lots != int(row["balance"]):
            problems.append(
                LedgerProblem(
                    row["community_id"],
                    row["id"],
                    f"member account {row['id']} holds {row['balance']} but its lots hold {lots}",
                )
            )
    sums = await PointLotMove.annotate(total=Sum("amount")).group_by("lot_id").values("lot_id", "total")
    moved = {row["lot_id"]: int(row["total"] or 0) for row in sums}
    lots_rows = await PointLot.all().values("id", "community_id", "account_id", "amount", "remaining")
    for lot in lots_rows:
        expected = int(lot["amount"]) + moved.get(lot["id"], 0)
        if int(lot["remaining"]) != expected or expected < 0:
            problems.append(
                LedgerProblem(
                    lot["community_id"],
                    lot["account_id"],
                    f"lot {lot['id']} holds {lot['remaining']} but its moves leave {expected}",
                )
            )
    return problems


async def _sums(column: str) -> dict[int, int]:
    rows = await PointTransfer.annotate(total=Sum("amount")).group_by(column).values(column, "total")
    return {row[column]: int(row["total"] or 0) for row in rows}
