"""The office's fee morning, as the office console sends it: part of the office month
(test_office_operations.py), which must send every office document by its hash."""

from __future__ import annotations

from typing import Any, Protocol

from runtime import clock


class Runs(Protocol):
    async def run(self, name: str, token: str | None = None, **variables: Any) -> dict[str, Any]: ...


async def office_fees(api: Runs, staff: str, cid: str) -> None:
    # The seeds' price from January, this quarter's bills (the app's documents: set-up).
    applies = clock.now().date().replace(month=1, day=1).isoformat()
    schedule = {"communityId": cid, "unitPriceFen": 30, "period": "QUARTER", "timing": "PERIOD_START"}
    await api.run("FeeScheduleSet", staff, input={**schedule, "appliesFrom": applies})
    await api.run("FeeBillsIssue", staff, input={"communityId": cid})
    bills = (await api.run("OfficeFeeBills", staff, communityId=cid, state="UNPAID"))["feeBills"]["nodes"]
    assert len(bills) >= 2, bills
    first, second = bills[0], next(b for b in bills if b["household"] != bills[0]["household"])
    home = first["household"]
    statement = (await api.run("OfficeFeeHousehold", staff, householdId=home))["feeHousehold"]
    assert statement["owedFen"] == first["owedFen"]
    # A hardship household gets a tenth off: its open bill is reduced at once.
    granted = await api.run(
        "OfficeFeeReductionSet",
        staff,
        input={"householdId": home, "percent": 10, "validFrom": applies, "note": "困难家庭"},
    )
    (reduced,) = granted["feeReductionSet"]["adjustedBills"]
    # The neighbour's bill waived, then the waiver undone; the bill's history shows both.
    await api.run("OfficeFeeBillWaive", staff, input={"billId": second["id"], "reason": "居委会决定免收"})
    await api.run("OfficeFeeBillWaiverUndo", staff, input={"billId": second["id"], "reason": "撤销免收"})
    history = (await api.run("OfficeFeeBillHistory", staff, billId=second["id"]))["feeBillHistory"]
    assert [e["kind"] for e in history] == ["WAIVER", "WAIVER_UNDONE"]
    # The first household pays what it owes now, in cash; the receipt is printed.
    paid = await api.run(
        "OfficeFeePaymentRecord",
        staff,
        input={
            "householdId": home,
            "billIds": [reduced["id"]],
            "amountFen": reduced["owedFen"],
            "method": "CASH",
        },
    )
    payment = paid["feePaymentRecord"]["payment"]["id"]
    receipt = (await api.run("OfficeFeeReceipt", staff, paymentId=payment))["feeReceipt"]
    assert receipt["pngBase64"] and receipt["totalCapitals"]
    assert (await api.run("OfficeFeeReceiptPdf", staff, paymentId=payment))["feeReceipt"]["pdfBase64"]
