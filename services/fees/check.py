"""fees-check: bills, payments, reversals and receipts add up.

- every bill's paid amount equals its payment lines minus its reversal lines, its discount the
  discounts of payments not reversed, its amount gross − discount − reduction, its state follows;
- every payment equals its lines; every payment has a receipt, a reversal names a payment, and a
  receipt is void exactly when its payment was reversed;
- receipt numbers of each community and year run 1…n without a gap, n being the counter;
- every bill's reduction is what it was issued with plus its reduction entries (each above
  zero); a bill is waived exactly when it has a waiver not undone, nothing is paid on a waived
  bill, its waiver took what the bill asked, and an undoing names a waiver of the same bill for
  the same amount (so a waiver neither makes money appear nor vanish: the bill keeps its amount
  and the collection rate leaves it out).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from models.fees import (
    AdjustmentKind,
    BillState,
    FeeBill,
    FeeBillAdjustment,
    FeePayment,
    FeePaymentLine,
    FeeReceipt,
    FeeReceiptCounter,
    PaymentKind,
)
from services.fees.billing import bill_state


@dataclass(frozen=True)
class Problem:
    message: str


@dataclass(frozen=True)
class Checked:
    bills: int
    payments: int
    receipts: int
    problems: list[Problem]
    adjustments: int = 0  # waivers, their undoing, reductions of issued bills


async def check_fees(community_id: int | None = None) -> Checked:
    scope = {} if community_id is None else {"community_id": community_id}
    problems: list[Problem] = []
    payments = {p["id"]: p for p in await FeePayment.filter(**scope).values(
        "id", "kind", "amount_fen", "discount_fen", "reverses_id", "receipt_id")}  # fmt: skip
    reversed_ids = {p["reverses_id"] for p in payments.values() if p["reverses_id"] is not None}
    lines = await FeePaymentLine.filter(payment_id__in=list(payments)).values(
        "payment_id", "bill_id", "amount_fen", "discount_fen"
    )
    paid: dict[int, int] = defaultdict(int)
    discounted: dict[int, int] = defaultdict(int)
    per_payment: dict[int, int] = defaultdict(int)
    for line in lines:
        payment = payments[line["payment_id"]]
        sign = 1 if payment["kind"] == PaymentKind.PAYMENT else -1
        paid[line["bill_id"]] += sign * line["amount_fen"]
        discounted[line["bill_id"]] += sign * line["discount_fen"]
        per_payment[line["payment_id"]] += line["amount_fen"]
    bills = await FeeBill.filter(**scope).values(
        "id", "gross_fen", "discount_fen", "reduction_fen", "issued_reduction_fen", "amount_fen",
        "paid_fen", "state",
    )  # fmt: skip
    adjustments, found = await _adjustments(scope, {bill["id"]: bill for bill in bills})
    problems += found
    for bill in bills:
        where = f"bill {bill['id']}"
        if bill["paid_fen"] != paid[bill["id"]]:
            problems.append(
                Problem(f"{where}: paid {bill['paid_fen']} but its payments say {paid[bill['id']]}")
            )
        if bill["discount_fen"] != discounted[bill["id"]]:
            problems.append(
                Problem(
                    f"{where}: discount {bill['discount_fen']} but payments gave {discounted[bill['id']]}"
                )
            )
        if bill["amount_fen"] != bill["gross_fen"] - bill["discount_fen"] - bill["reduction_fen"]:
            problems.append(Problem(f"{where}: amount is not gross - discount - reduction"))
        if not 0 <= bill["paid_fen"] <= bill["amount_fen"]:
            problems.append(Problem(f"{where}: paid {bill['paid_fen']} outside 0..{bill['amount_fen']}"))
        if bill["state"] != BillState.WAIVED and bill["state"] != bill_state(
            bill["amount_fen"], bill["paid_fen"]
        ):
            problems.append(Problem(f"{where}: state {bill['state']} does not follow its amounts"))
    receipts = {
        r["id"]: r
        for r in await FeeReceipt.filter(**scope).values("id", "community_id", "year", "number", "voided_at")
    }
    for payment in payments.values():
        where = f"payment {payment['id']}"
        if payment["amount_fen"] != per_payment[payment["id"]]:
            problems.append(
                Problem(
                    f"{where}: amount {payment['amount_fen']} but lines sum to {per_payment[payment['id']]}"
                )
            )
        if payment["kind"] == PaymentKind.PAYMENT:
            receipt = receipts.get(payment["receipt_id"])
            if receipt is None:
                problems.append(Problem(f"{where}: no receipt"))
            elif (receipt["voided_at"] is not None) != (payment["id"] in reversed_ids):
                problems.append(Problem(f"{where}: receipt void state does not match its reversal"))
        else:
            original = payments.get(payment["reverses_id"])
            if original is None or original["kind"] != PaymentKind.PAYMENT:
                problems.append(Problem(f"{where}: a reversal must name a payment"))
            elif original["amount_fen"] != payment["amount_fen"]:
                problems.append(Problem(f"{where}: reverses a different amount"))
    numbers: dict[tuple[int, int], list[int]] = defaultdict(list)
    for receipt in receipts.values():
        numbers[(receipt["community_id"], receipt["year"])].append(receipt["number"])
    counters = {
        (c["community_id"], c["year"]): c["last_number"]
        for c in await FeeReceiptCounter.filter(**scope).values("community_id", "year", "last_number")
    }
    for key in sorted(set(numbers) | set(counters)):
        got = sorted(numbers.get(key, []))
        expected = list(range(1, counters.get(key, 0) + 1))
        if got != expected:
            missing = sorted(set(expected) - set(got))
            problems.append(
                Problem(f"community {key[0]} year {key[1]}: numbers {missing[:10]} missing (or extra)")
            )
    return Checked(len(bills), len(payments), len(receipts), problems, adjustments)


async def _adjustments(scope: dict[str, int], bills: dict[int, dict[str, Any]]) -> tuple[int, list[Problem]]:
    problems: list[Problem] = []
    entries = {
        a["id"]: a
        for a in await FeeBillAdjustment.filter(**scope).values(
            "id", "bill_id", "kind", "amount_fen", "reverses_id"
        )
    }
    reduced: dict[int, int] = defaultdict(int)
    waivers: dict[int, int] = defaultdict(int)  # bill → waivers not undone
    last_waiver: dict[int, dict[str, Any]] = {}
    for entry in sorted(entries.values(), key=lambda e: e["id"]):
        bill_id, where = entry["bill_id"], f"adjustment {entry['id']}"
        if entry["amount_fen"] <= 0 and entry["kind"] == AdjustmentKind.REDUCTION:
            problems.append(Problem(f"{where}: a reduction entry of {entry['amount_fen']}"))
        if entry["kind"] == AdjustmentKind.REDUCTION:
            reduced[bill_id] += entry["amount_fen"]
        elif entry["kind"] == AdjustmentKind.WAIVER:
            waivers[bill_id] += 1
            last_waiver[bill_id] = entry
        else:
            waivers[bill_id] -= 1
            named = entries.get(entry["reverses_id"])
            if (
                named is None
                or named["kind"] != AdjustmentKind.WAIVER
                or named["bill_id"] != bill_id
                or named["amount_fen"] != entry["amount_fen"]
            ):
                problems.append(
                    Problem(f"{where}: an undoing must name a waiver of the same bill and amount")
                )
    for bill_id, bill in bills.items():
        where = f"bill {bill_id}"
        if bill["reduction_fen"] != bill["issued_reduction_fen"] + reduced[bill_id]:
            problems.append(
                Problem(
                    f"{where}: reduction {bill['reduction_fen']} but issued with "
                    f"{bill['issued_reduction_fen']} and reduced by {reduced[bill_id]} since"
                )
            )
        if waivers[bill_id] not in (0, 1):
            problems.append(Problem(f"{where}: {waivers[bill_id]} waivers not undone"))
        if (waivers[bill_id] == 1) != (bill["state"] == BillState.WAIVED):
            problems.append(Problem(f"{where}: state {bill['state']} but its waivers say otherwise"))
        if bill["state"] == BillState.WAIVED and bill["paid_fen"]:
            problems.append(Problem(f"{where}: waived with {bill['paid_fen']} paid on it"))
        waiver = last_waiver.get(bill_id)
        if bill["state"] == BillState.WAIVED and waiver and waiver["amount_fen"] != bill["amount_fen"]:
            problems.append(Problem(f"{where}: waived {waiver['amount_fen']} but asks {bill['amount_fen']}"))
    return len(entries), problems
