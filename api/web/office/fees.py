"""Property fees (物业费) in the office console: the bills with filters by building, period and
state; one household's bills and payments, where the office records a payment (and prints its
receipt), waives a bill or undoes the waiver, and staff grant a hardship reduction; a bill's
history. Every page runs the contract's `office` documents (OfficeFee…); none reads models.

URLs carry the plain row numbers (a global id may hold a "/"); the page turns them back into
global ids for the API.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from starlette.responses import Response
from starlette.routing import Route
from strawberry import relay

from api.ids import decode_global_id
from api.web.core import Handler
from api.web.messages import Shown
from api.web.office.common import Office, missing, new_key, office_errors, office_page, required_errors
from api.web.operations import Problem

GET, POST = ("GET",), ("POST",)
BILL_STATES = {"UNPAID": "未缴", "PART_PAID": "部分已缴", "PAID": "已缴清", "WAIVED": "已免收"}
METHODS = {"CASH": "现金", "BANK_TRANSFER": "银行转账", "WECHAT_TRANSFER": "微信转账"}
ENTRY_KINDS = {
    "PAYMENT": "缴费",
    "REVERSAL": "冲正",
    "WAIVER": "免收",
    "WAIVER_UNDONE": "撤销免收",
    "REDUCTION": "困难减免",
}
PAY_FIELDS = ("billIds", "amountFen", "method", "reference", "note")
REDUCE_FIELDS = ("percent", "validFrom", "validUntil", "note")
# The fee codes as the office reads them (the shared codes are said by office_errors).
FEE_TEXTS = {
    "FEE_OVERPAID": "金额超过了所选账单还欠的钱，请核对。",
    "FEE_BILL_SETTLED": "所选账单已缴清或已免收，请刷新后再看。",
    "FEE_BILL_PAID": "已缴或部分已缴的账单不能免收；如确需免收，请先冲正缴费。",
    "FEE_NO_SCHEDULE": "还没有设置物业费标准。",
    "NOT_REVERSIBLE": "这张账单没有免收，无需撤销。",
    "ALREADY_REVERSED": "已经撤销过了。",
}


def _gid(type_name: str, number: str) -> str:
    return str(relay.GlobalID(type_name, number))


def number_of(global_id: str | None, type_name: str) -> str:
    """The row number inside a global id, for this console's URLs."""
    return str(decode_global_id(global_id or "", type_name, "id"))


def _errors(problems: list[Problem], fields: tuple[str, ...], default: str | None = None) -> list[Shown]:
    shown = office_errors(problems, fields, default)
    return [Shown(FEE_TEXTS.get(p.code, s.text), s.field) for p, s in zip(problems, shown, strict=True)]


def _render(office: Office, template: str, title: str, status: int, errors: Any, **context: Any) -> Response:
    return office.render(
        template,
        "fees",
        title,
        status,
        errors,
        bill_states=BILL_STATES,
        methods=METHODS,
        entry_kinds=ENTRY_KINDS,
        number_of=number_of,
        **context,
    )


@office_page
async def bills(office: Office) -> Response:
    params = office.page.request.query_params
    state = params.get("state") or ""
    chosen: dict[str, str] = {
        "building": params.get("building") or "",
        "period": (params.get("period") or "").strip(),
        "state": state if state in BILL_STATES else "",
    }
    variables: dict[str, Any] = {
        "communityId": office.cid,
        "buildingId": _gid("Building", chosen["building"]) if chosen["building"].isdigit() else None,
        "period": chosen["period"] or None,
        "state": chosen["state"] or None,
        **({"after": params["after"]} if params.get("after") else {}),
    }
    found = await office.run("OfficeFeeBills", variables)
    community = found.data.get("community") or {}
    buildings = [
        (number_of(b["id"], "Building"), f"{c['name']} {b['name']}")
        for c in (community.get("compounds") or {}).get("nodes") or []
        for b in (c.get("buildings") or {}).get("nodes") or []
    ]
    query = "&".join(f"{k}={v}" for k, v in chosen.items() if v)
    return _render(
        office,
        "office/fees.html",
        "物业费账单",
        200 if found.ok else 400,
        _errors(found.problems, ("buildingId", "period", "state")),
        bills=found.data.get("feeBills") or {},
        buildings=buildings,
        chosen=chosen,
        base="/office/fees" + (f"?{query}" if query else ""),
    )


async def _household(
    office: Office, number: str, status: int = 200, errors: Any = None, **context: Any
) -> Response:
    found = await office.run("OfficeFeeHousehold", {"householdId": _gid("Household", number)})
    statement = found.data.get("feeHousehold")
    if statement is None:
        return office.page.render("problem.html", 404, title="没有找到", message="没有找到这一户。")
    context.setdefault("done", office.page.request.query_params.get("done"))
    context.setdefault("adjusted", office.page.request.query_params.get("adjusted", "0"))
    context.setdefault("key", office.page.value("idempotency_key") or new_key())
    return _render(
        office,
        "office/fee_household.html",
        f"物业费 · {statement['householdLabel']}",
        status,
        errors,
        statement=statement,
        number=number,
        **context,
    )


@office_page
async def household(office: Office) -> Response:
    return await _household(office, str(office.page.request.path_params["household_id"]))


def _fen(text: str) -> int | None:
    """Yuan as typed (180, 180.5, 180.50) to fen; None when it is not an amount."""
    try:
        value = Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation:
        return None
    if not value.is_finite() or value != value.quantize(Decimal("0.01")):
        return None
    return int(value * 100)


@office_page
async def pay(office: Office) -> Response:
    page = office.page
    number = str(page.request.path_params["household_id"])
    assert page.form is not None
    chosen = [str(v) for v in page.form.getlist("billIds")]
    values = page.values("amount", "method", "reference", "note")
    empty = missing(page, "amount", "method")
    if not chosen:
        empty.append(Problem("INVALID_INPUT", "", "billIds"))
    if empty:
        return await _household(office, number, 400, required_errors(empty), values=values, chosen=chosen)
    amount = _fen(values["amount"])
    if amount is None:
        shown = [Shown("请填写金额，单位元，例如 65.25。", "amount")]
        return await _household(office, number, 400, shown, values=values, chosen=chosen)
    key = page.value("idempotency_key") or None
    recorded = await office.run(
        "OfficeFeePaymentRecord",
        {
            "input": {
                "householdId": _gid("Household", number),
                "billIds": [_gid("FeeBill", n) for n in chosen if n.isdigit()],
                "amountFen": amount,
                "method": values["method"],
                "reference": values["reference"],
                "note": values["note"],
                "idempotencyKey": key,
            }
        },
    )
    if not recorded.ok:
        errors = _errors(recorded.problems, PAY_FIELDS)
        # The API says amountFen; the form asks for yuan.
        errors = [Shown(e.text, "amount" if e.field == "amountFen" else e.field) for e in errors]
        return await _household(office, number, 400, errors, values=values, chosen=chosen)
    payment = recorded.payload.get("payment") or {}
    return office.done(f"/office/fees/receipts/{number_of(payment.get('id'), 'FeePayment')}")


async def _receipt(office: Office, document: str) -> tuple[str, dict[str, Any] | None]:
    """The payment's number in the URL, and its receipt as `document` reads it (None: not ours)."""
    number = str(office.page.request.path_params["payment_id"])
    found = await office.run(document, {"paymentId": _gid("FeePayment", number)})
    return number, found.data.get("feeReceipt")


def _no_receipt(office: Office) -> Response:
    return office.page.render("problem.html", 404, title="没有找到", message="没有找到这张收据。")


@office_page
async def receipt(office: Office) -> Response:
    number, shown = await _receipt(office, "OfficeFeeReceipt")
    if shown is None:
        return _no_receipt(office)
    return _render(
        office, "office/fee_receipt.html", f"收据 {shown['number']}", 200, None, receipt=shown, number=number
    )


@office_page
async def receipt_pdf(office: Office) -> Response:
    _, shown = await _receipt(office, "OfficeFeeReceiptPdf")
    if shown is None:
        return _no_receipt(office)
    return Response(
        base64.b64decode(shown["pdfBase64"]),
        media_type="application/pdf",
        headers={"content-disposition": f'inline; filename="receipt-{shown["number"]}.pdf"'},
    )


async def _bill_change(office: Office, document: str) -> Response:
    """Waive a bill or undo its waiver, with the reason typed beside its button."""
    page = office.page
    bill = str(page.request.path_params["bill_id"])
    number = page.value("household")
    reason = page.value("reason")
    if not reason:
        errors = required_errors([Problem("INVALID_INPUT", "", "reason")])
        return await _household(office, number, 400, errors, open_bill=bill)
    done = await office.run(
        document,
        {
            "input": {
                "billId": _gid("FeeBill", bill),
                "reason": reason,
                "idempotencyKey": page.value("idempotency_key") or None,
            }
        },
    )
    if not done.ok:
        errors = _errors(done.problems, ("reason",), default="reason")
        return await _household(office, number, 400, errors, open_bill=bill, values={"reason": reason})
    flag = "waived" if document == "OfficeFeeBillWaive" else "unwaived"
    return office.done(f"/office/fees/households/{number}?done={flag}")


@office_page
async def waive(office: Office) -> Response:
    return await _bill_change(office, "OfficeFeeBillWaive")


@office_page
async def unwaive(office: Office) -> Response:
    return await _bill_change(office, "OfficeFeeBillWaiverUndo")


@office_page
async def reduce(office: Office) -> Response:
    page = office.page
    number = str(page.request.path_params["household_id"])
    values = page.values("percent", "validFrom", "validUntil", "note")
    empty = missing(page, "percent", "validFrom")
    if empty:
        return await _household(office, number, 400, required_errors(empty), values=values)
    if not values["percent"].isdigit():
        return await _household(
            office, number, 400, [Shown("请填写 1 到 100 的整数。", "percent")], values=values
        )
    done = await office.run(
        "OfficeFeeReductionSet",
        {
            "input": {
                "householdId": _gid("Household", number),
                "percent": int(values["percent"]),
                "validFrom": values["validFrom"],
                "validUntil": values["validUntil"] or None,
                "note": values["note"],
                "idempotencyKey": page.value("idempotency_key") or None,
            }
        },
    )
    if not done.ok:
        return await _household(office, number, 400, _errors(done.problems, REDUCE_FIELDS), values=values)
    adjusted = len(done.payload.get("adjustedBills") or [])
    return office.done(f"/office/fees/households/{number}?done=reduced&adjusted={adjusted}")


@office_page
async def bill_history(office: Office) -> Response:
    number = str(office.page.request.path_params["bill_id"])
    found = await office.run("OfficeFeeBillHistory", {"billId": _gid("FeeBill", number)})
    if not found.ok:
        return office.page.render("problem.html", 404, title="没有找到", message="没有找到这张账单。")
    return _render(
        office,
        "office/fee_bill.html",
        "账单记录",
        200,
        None,
        entries=found.data.get("feeBillHistory") or [],
        household=office.page.request.query_params.get("household", ""),
    )


def routes(page: Callable[[str, Handler, tuple[str, ...]], Route]) -> list[Route]:
    return [
        page("/office/fees", bills, GET),
        page("/office/fees/households/{household_id:int}", household, GET),
        page("/office/fees/households/{household_id:int}/pay", pay, POST),
        page("/office/fees/households/{household_id:int}/reduce", reduce, POST),
        page("/office/fees/bills/{bill_id:int}", bill_history, GET),
        page("/office/fees/bills/{bill_id:int}/waive", waive, POST),
        page("/office/fees/bills/{bill_id:int}/unwaive", unwaive, POST),
        page("/office/fees/receipts/{payment_id:int}", receipt, GET),
        page("/office/fees/receipts/{payment_id:int}.pdf", receipt_pdf, GET),
    ]
