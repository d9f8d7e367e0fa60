"""The office's fee day, as the app and the office console send it: part of the day in the life
(tests/contract/test_day_in_the_life.py), which must send every operation of the contract."""

from __future__ import annotations

import base64
import io
from datetime import date
from typing import Any, Protocol

from PIL import Image


class Runs(Protocol):
    async def run(self, name: str, token: str | None = None, **variables: Any) -> dict[str, Any]: ...


async def property_fees(app: Runs, staff: str, resident: str, cid: str, today: date) -> None:
    # The office sets the seeds' price, 0.3 yuan per m² a month, billed by quarter as a quarter starts.
    applies = date(today.year, 1, 1).isoformat()
    schedule = {"communityId": cid, "unitPriceFen": 30, "period": "QUARTER", "timing": "PERIOD_START"}
    await app.run("FeeScheduleSet", staff, input={**schedule, "appliesFrom": applies})
    shown = (await app.run("FeeSchedule", resident, communityId=cid))["feeSchedule"]
    assert (shown["unitPriceYuan"], shown["period"]) == ("0.30", "QUARTER"), shown
    # Bills of the summer quarter (overdue by now) and of the current one; a re-run adds nothing.
    summer = date(today.year, 7, 1).isoformat()
    first = (await app.run("FeeBillsIssue", staff, input={"communityId": cid, "on": summer}))["feeBillsIssue"]
    assert first["created"] > 0 and first["periodLabel"] == f"{today.year}-07~{today.year}-09", first
    again = (await app.run("FeeBillsIssue", staff, input={"communityId": cid, "on": summer}))["feeBillsIssue"]
    assert (again["created"], again["existing"]) == (0, first["created"])
    await app.run("FeeBillsIssue", staff, input={"communityId": cid})
    unbillable = (await app.run("FeeUnbillable", staff, communityId=cid))["feeUnbillable"]
    assert len(unbillable) == first["unbillable"], unbillable  # every flat of the register has its area

    mine = (await app.run("MyFees", resident, communityId=cid))["myFees"]
    home = mine["household"]
    bills = (await app.run("FeeBills", staff, communityId=cid, householdId=home, first=10))["feeBills"][
        "nodes"
    ]
    assert [b["household"] for b in bills] == [home, home]
    oldest = bills[-1]

    # An offer for the autumn: a whole year at once, two months free.
    offer = {"communityId": cid, "name": "预缴全年", "payMonths": 12, "freeMonths": 2, "validFrom": applies}
    await app.run("FeeOfferCreate", staff, input=offer)
    assert (await app.run("FeeOffers", resident, communityId=cid))["feeOffers"][0]["freeMonths"] == 2

    # The resident pays the summer quarter in cash; the office took the wrong amount first and
    # reverses it, then records it right. The receipt of the first one is void.
    pay = {"householdId": home, "billIds": [oldest["id"]], "method": "CASH"}
    wrong = await app.run(
        "FeePaymentRecord", staff, input={**pay, "amountFen": 100, "idempotencyKey": "fee-1"}
    )
    wrong_id = wrong["feePaymentRecord"]["payment"]["id"]
    await app.run(
        "FeePaymentReverse",
        staff,
        input={"paymentId": wrong_id, "reason": "金额录错", "idempotencyKey": "rev-1"},
    )
    right = await app.run(
        "FeePaymentRecord", staff, input={**pay, "amountFen": oldest["amountFen"], "idempotencyKey": "fee-2"}
    )
    payment = right["feePaymentRecord"]["payment"]
    assert payment["receiptNumber"] == f"{today.year}-000002", payment
    receipt = (await app.run("FeeReceipt", resident, paymentId=payment["id"], withImage=True))["feeReceipt"]
    assert (
        receipt["totalCapitals"].endswith("整")
        or "分" in receipt["totalCapitals"]
        or "角" in receipt["totalCapitals"]
    )
    image = Image.open(io.BytesIO(base64.b64decode(receipt["pngBase64"])))
    assert image.format == "PNG" and image.width > 1000
    void = (await app.run("FeeReceipt", staff, paymentId=wrong_id))["feeReceipt"]
    assert void["voided"] is True

    # The same household then takes the offer: this quarter and the next four at once. The
    # office asks what to collect (15 months, two of them free) and records exactly that.
    current = bills[0]
    asked = await app.run(
        "FeePaymentQuote", staff, householdId=home, billIds=[current["id"]], prepayPeriods=4
    )
    quote = asked["feePaymentQuote"]
    assert (quote["months"], quote["discountFen"] > 0) == (15, True), quote
    prepaid = await app.run(
        "FeePaymentRecord",
        staff,
        input={
            "householdId": home,
            "billIds": [current["id"]],
            "prepayPeriods": 4,
            "amountFen": quote["dueFen"],
            "method": "WECHAT_TRANSFER",
            "reference": "4200009999",
            "idempotencyKey": "fee-3",
        },
    )
    assert prepaid["feePaymentRecord"]["payment"]["discountFen"] == quote["discountFen"]

    # A hardship household gets half off; only staff see the reduction itself.
    neighbour = next(
        b
        for b in (await app.run("FeeBills", staff, communityId=cid, first=50))["feeBills"]["nodes"]
        if b["household"] != home
    )
    granted = await app.run(
        "FeeReductionSet",
        staff,
        input={
            "householdId": neighbour["household"],
            "percent": 50,
            "validFrom": applies,
            "note": "困难家庭",
            "idempotencyKey": "reduce-1",
        },
    )
    # Its bills issued already this year and still open are halved now, by an entry each.
    adjusted = granted["feeReductionSet"]["adjustedBills"]
    assert adjusted and all(b["reductionFen"] * 2 >= b["grossFen"] for b in adjusted), adjusted
    assert (await app.run("FeeReductions", staff, communityId=cid))["feeReductions"][0]["percent"] == 50

    # The office lets that household off the summer quarter, thinks again, and undoes it: both
    # with a reason, both in the bill's history beside the reduction.
    summer_bill = adjusted[0]
    waive = {"billId": summer_bill["id"], "reason": "居委会研究决定免收", "idempotencyKey": "waive-1"}
    waived = (await app.run("FeeBillWaive", staff, input=waive))["feeBillWaive"]["bill"]
    assert (waived["state"], waived["owedFen"]) == ("WAIVED", 0), waived
    undo = {"billId": summer_bill["id"], "reason": "误操作，撤销免收", "idempotencyKey": "unwaive-1"}
    owed_again = (await app.run("FeeBillWaiverUndo", staff, input=undo))["feeBillWaiverUndo"]["bill"]
    assert owed_again["state"] == "UNPAID" and owed_again["owedFen"] == summer_bill["owedFen"]
    history = (await app.run("FeeBillHistory", staff, billId=summer_bill["id"]))["feeBillHistory"]
    assert [e["kind"] for e in history] == ["REDUCTION", "WAIVER", "WAIVER_UNDONE"], history
    theirs = (await app.run("FeeHousehold", staff, householdId=neighbour["household"]))["feeHousehold"]
    assert theirs["owedFen"] == sum(b["owedFen"] for b in theirs["bills"]) > 0

    # The office looks at who is behind, reminds them once, and the rate is up for everyone.
    behind = (await app.run("FeeArrears", staff, communityId=cid))["feeArrears"]
    assert behind and home not in {a["household"] for a in behind if a["oldestPeriod"].endswith("9月")}
    await app.run("FeeRemindersSend", staff, input={"communityId": cid})
    rates = await app.run(
        "FeeCollectionRates", resident, communityId=cid, year=today.year, granularity="PERIOD"
    )
    summer_rate = rates["feeCollectionRates"][0]
    assert summer_rate["householdsPaid"] >= 1 and summer_rate["householdsBilled"] > 1, summer_rate
    mine = (await app.run("MyFees", resident, communityId=cid))["myFees"]
    assert [p["kind"] for p in mine["payments"]] == ["PAYMENT", "PAYMENT", "REVERSAL", "PAYMENT"]
    assert mine["owedFen"] == 0 and len(mine["bills"]) == 6
