"""The office console's fee pages through the ASGI app: the bills list and its filters, a
household's bills and payments, a payment with its receipt (image and PDF), a waiver and its
undoing with the reason required, a hardship reduction reaching the open bills; typed errors
next to their field, in Chinese."""

from __future__ import annotations

import base64
import re
from datetime import date

import httpx

from models.fees import BillingPeriod, BillState, BillTiming, FeeBill, FeeBillAdjustment, FeePayment
from models.people import Membership, User
from models.places import Building, Community
from services.access import load_viewer
from services.demo import DEMO_PASSWORD, seed_register
from services.fees import billing, schedule
from services.phones import normalize_phone
from tests.api.web.support import post_form, sign_in


async def _fees_ready(http: httpx.AsyncClient, role: str = "staff") -> FeeBill:
    """The demo register with the seeds' schedule and this quarter's bills; signed in as `role`.
    The resident's household's bill is returned."""
    logins = {login.role: login.phone for login in (await seed_register()).logins}
    community = await Community.get(slug="hongxing")
    staff = await load_viewer((await User.get(phone=normalize_phone(logins["staff"]))).id)
    await schedule.set_schedule(
        staff,
        community.id,
        unit_price_fen=30,
        period=BillingPeriod.QUARTER,
        timing=BillTiming.PERIOD_START,
        applies_from=date(2026, 1, 1),
    )
    await billing.issue(staff, community.id, date(2026, 11, 23))
    assert (await sign_in(http, logins[role], DEMO_PASSWORD)).status_code == 303
    resident = await User.get(phone=normalize_phone(logins["resident"]))
    home = await Membership.get(user_id=resident.id, community_id=community.id)
    return await FeeBill.get(household_id=home.household_id)


async def test_the_bills_list_filters_by_building_period_and_state(http: httpx.AsyncClient) -> None:
    bill = await _fees_ready(http)
    everything = await http.get("/office/fees")
    assert everything.status_code == 200 and "物业费账单" in everything.text
    total = int(re.search(r"账单（(\d+)）", everything.text)[1])  # type: ignore[index]
    assert total == await FeeBill.all().count() > 1
    assert not re.search(r'(?:src|href)="(?:https?:)?//', everything.text)
    building = await Building.get(id=bill.building_id)
    one = await http.get(f"/office/fees?building={building.id}&period=2026-10~2026-12&state=UNPAID")
    shown = int(re.search(r"账单（(\d+)）", one.text)[1])  # type: ignore[index]
    assert shown == await FeeBill.filter(building_id=building.id, state=BillState.UNPAID).count()
    assert shown < total and f'value="{building.id}" selected' in one.text
    none = await http.get("/office/fees?state=PAID")
    assert "没有符合条件的账单" in none.text
    assert (await http.get("/office/fees/households/999999")).status_code == 404
    assert (await http.get("/office/fees/receipts/999999")).status_code == 404
    assert (await http.get("/office/fees/bills/999999")).status_code == 404


async def test_the_office_takes_a_payment_and_prints_its_receipt(http: httpx.AsyncClient) -> None:
    bill = await _fees_ready(http)
    page = f"/office/fees/households/{bill.household_id}"
    shown = await http.get(page)
    assert shown.status_code == 200 and bill.period_label.split("~")[0][:4] in shown.text
    # Nothing chosen, no amount: said next to the fields, nothing recorded.
    empty = await post_form(http, f"{page}/pay", {"method": "CASH"}, from_page=page)
    assert empty.status_code == 400 and 'id="amount-error"' in empty.text and "请勾选要收的账单" in empty.text
    too_much = await post_form(
        http, f"{page}/pay", {"billIds": str(bill.id), "amount": "9999", "method": "CASH"}, from_page=page
    )
    assert too_much.status_code == 400 and "金额超过了所选账单还欠的钱" in too_much.text
    assert not await FeePayment.exists()
    paid = await post_form(
        http,
        f"{page}/pay",
        {"billIds": str(bill.id), "amount": f"{bill.amount_fen / 100:.2f}", "method": "CASH"},
        from_page=page,
    )
    assert paid.status_code == 303, paid.text[:2000]
    payment = await FeePayment.get()
    assert paid.headers["location"] == f"/office/fees/receipts/{payment.id}"
    receipt = await http.get(paid.headers["location"])
    assert receipt.status_code == 200 and "2026-000001" in receipt.text and "元" in receipt.text
    image = re.search(r'src="data:image/png;base64,([^"]+)"', receipt.text)
    assert image and base64.b64decode(image[1])[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = await http.get(f"/office/fees/receipts/{payment.id}.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert (await FeeBill.get(id=bill.id)).state == BillState.PAID
    after = await http.get(page)
    assert "2026-000001" in after.text and "已缴清" in after.text


async def test_waiving_needs_a_reason_and_undoing_restores_the_bill(http: httpx.AsyncClient) -> None:
    bill = await _fees_ready(http)
    page = f"/office/fees/households/{bill.household_id}"
    household = {"household": str(bill.household_id)}
    no_reason = await post_form(http, f"/office/fees/bills/{bill.id}/waive", household, from_page=page)
    assert no_reason.status_code == 400 and 'id="reason-error"' in no_reason.text
    assert not await FeeBillAdjustment.exists()
    waived = await post_form(
        http, f"/office/fees/bills/{bill.id}/waive", {**household, "reason": "孤老户，免收"}, from_page=page
    )
    assert waived.status_code == 303 and waived.headers["location"].endswith("done=waived")
    assert (await FeeBill.get(id=bill.id)).state == BillState.WAIVED
    shown = await http.get(waived.headers["location"])
    assert "已免收这张账单" in shown.text and 'data-testid="owed">0.00<' in shown.text
    undone = await post_form(
        http, f"/office/fees/bills/{bill.id}/unwaive", {**household, "reason": "弄错了"}, from_page=page
    )
    assert undone.status_code == 303
    again = await post_form(
        http, f"/office/fees/bills/{bill.id}/unwaive", {**household, "reason": "再撤一次"}, from_page=page
    )
    assert again.status_code == 400 and "这张账单没有免收" in again.text
    history = await http.get(f"/office/fees/bills/{bill.id}?household={bill.household_id}")
    assert [m for m in ("免收", "孤老户，免收", "撤销免收", "弄错了") if m not in history.text] == []


async def test_a_paid_bill_cannot_be_waived_from_the_page(http: httpx.AsyncClient) -> None:
    bill = await _fees_ready(http)
    page = f"/office/fees/households/{bill.household_id}"
    await post_form(
        http, f"{page}/pay", {"billIds": str(bill.id), "amount": "1", "method": "CASH"}, from_page=page
    )
    refused = await post_form(
        http,
        f"/office/fees/bills/{bill.id}/waive",
        {"household": str(bill.household_id), "reason": "免收"},
        from_page=page,
    )
    assert refused.status_code == 400 and "已缴或部分已缴的账单不能免收" in refused.text


async def test_staff_grant_a_reduction_that_reaches_the_open_bill(http: httpx.AsyncClient) -> None:
    bill = await _fees_ready(http)
    page = f"/office/fees/households/{bill.household_id}"
    bad = await post_form(
        http, f"{page}/reduce", {"percent": "150", "validFrom": "2026-01-01"}, from_page=page
    )
    assert bad.status_code == 400 and 'id="percent-error"' in bad.text
    granted = await post_form(
        http, f"{page}/reduce", {"percent": "50", "validFrom": "2026-01-01", "note": "低保户"}, from_page=page
    )
    assert granted.status_code == 303 and "adjusted=1" in granted.headers["location"]
    reduced = await FeeBill.get(id=bill.id)
    assert reduced.reduction_fen == (bill.gross_fen * 50 + 50) // 100
    shown = await http.get(granted.headers["location"])
    assert "已登记困难减免" in shown.text and "低保户" not in shown.text


async def test_a_resident_gets_no_fee_page(http: httpx.AsyncClient) -> None:
    bill = await _fees_ready(http, role="resident")
    refused = await http.get(f"/office/fees/households/{bill.household_id}")
    assert refused.status_code == 403 and "只有社区办公室的工作人员" in refused.text
