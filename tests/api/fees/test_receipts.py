"""Receipts through the API: numbered, printable as PNG and PDF with the amount in Chinese
capitals, voided by a reversal; the resident reads their own, not a neighbour's."""

from __future__ import annotations

import base64
import io
from datetime import date
from pathlib import Path

from PIL import Image

from models.enums import Role
from models.fees import FeeBill
from services.fees import billing
from tests.api.fees.support import payload, refused, run
from tests.services.fees.support import fee_world
from tests.support.graphql import GraphQLClient
from tests.support.people import gid, make_person

TODAY = "2026-11-23"
QUARTER_FEN = 6525


def _red_pixels(image: Image.Image) -> int:
    raw = image.convert("RGB").tobytes()
    return sum(1 for i in range(0, len(raw), 3) if raw[i] > 200 and raw[i + 1] < 60 and raw[i + 2] < 60)


async def test_a_receipt_is_printed_with_capitals_and_voided_by_its_reversal(
    api: GraphQLClient, tmp_path: Path
) -> None:
    world = await fee_world()
    await billing.issue(world.staff_viewer, world.community_id, date(2026, 11, 23))
    bill = await FeeBill.get(household_id=world.home.id)
    staff, resident = world.staff.token, world.resident.token
    paid = await payload(
        api,
        "FeePaymentRecord",
        staff,
        input={
            "householdId": gid("Household", world.home.id),
            "billIds": [gid("FeeBill", bill.id)],
            "amountFen": QUARTER_FEN,
            "method": "WECHAT_TRANSFER",
            "reference": "4200001234202611230001",
            "idempotencyKey": "pay-1",
        },
    )
    assert paid["errors"] == []
    payment = paid["payment"]
    assert (payment["receiptNumber"], payment["amountYuan"]) == ("2026-000001", "65.25")
    # The app retries after a timeout: the same payment, no second receipt.
    again = await payload(
        api,
        "FeePaymentRecord",
        staff,
        input={
            "householdId": gid("Household", world.home.id),
            "billIds": [gid("FeeBill", bill.id)],
            "amountFen": QUARTER_FEN,
            "method": "WECHAT_TRANSFER",
            "reference": "4200001234202611230001",
            "idempotencyKey": "pay-1",
        },
    )
    assert again["payment"]["id"] == payment["id"]

    receipt = (await run(api, "FeeReceipt", resident, paymentId=payment["id"], withImage=True))["feeReceipt"]
    assert receipt["totalCapitals"] == "陆拾伍元贰角伍分"
    assert receipt["householdLabel"] == "休闲小区 4号楼 2单元 301"
    assert (receipt["method"], receipt["receivedBy"], receipt["voided"]) == ("微信转账", "王会计", False)
    lines = [(x["period"], x["amountFen"], x["discountFen"]) for x in receipt["lines"]]
    assert lines == [("2026年10月—12月", QUARTER_FEN, 0)]
    image = Image.open(io.BytesIO(base64.b64decode(receipt["pngBase64"])))
    assert image.format == "PNG" and image.size[0] == 1240
    assert _red_pixels(image) == 0, "no void stamp on a valid receipt"
    # Ink on the page where the capitals are written: the text was drawn, not left blank.
    dark = sum(1 for px in image.convert("L").tobytes() if px < 100)
    assert dark > 5000
    image.save(tmp_path / "receipt-valid.png")  # kept by pytest's tmp dir to look at

    reversed_ = await payload(
        api, "FeePaymentReverse", staff, input={"paymentId": payment["id"], "reason": "收款方式记错"}
    )
    assert reversed_["payment"]["reverses"] == payment["id"]
    assert reversed_["payment"]["receiptNumber"] is None
    void = (await run(api, "FeeReceipt", staff, paymentId=payment["id"], withImage=True))["feeReceipt"]
    assert (void["voided"], void["voidReason"]) == (True, "收款方式记错")
    stamped = Image.open(io.BytesIO(base64.b64decode(void["pngBase64"])))
    assert _red_pixels(stamped) > 2000, "the 作废 stamp is on the voided receipt"
    stamped.save(tmp_path / "receipt-void.png")
    # The PDF is one page, and a reversal has no receipt of its own.
    pdf = await api.data(
        "query P($id: ID!) { feeReceipt(paymentId: $id) { pdfBase64 } }", {"id": payment["id"]}, staff
    )
    raw = base64.b64decode(pdf["feeReceipt"]["pdfBase64"])
    assert (
        raw.startswith(b"%PDF") and raw.count(b"/Type /Page\n") + raw.count(b"/Type /Page ") <= 1
    ) or b"/Count 1" in raw
    assert await refused(api, "FeeReceipt", staff, paymentId=reversed_["payment"]["id"]) == ["NOT_FOUND"]
    twice = await payload(
        api, "FeePaymentReverse", staff, input={"paymentId": reversed_["payment"]["id"], "reason": "再冲"}
    )
    assert [e["code"] for e in twice["errors"]] == ["NOT_REVERSIBLE"]


async def test_a_neighbour_cannot_read_another_households_receipt(api: GraphQLClient) -> None:
    world = await fee_world()
    await billing.issue(world.staff_viewer, world.community_id, date(2026, 11, 23))
    bill = await FeeBill.get(household_id=world.home.id)
    paid = await payload(
        api,
        "FeePaymentRecord",
        world.staff.token,
        input={
            "householdId": gid("Household", world.home.id),
            "billIds": [gid("FeeBill", bill.id)],
            "amountFen": 100,
            "method": "CASH",
        },
    )
    neighbour = await make_person(
        world.place.community, (Role.RESIDENT,), household=world.place.households[1]
    )
    codes = await refused(api, "FeeReceipt", neighbour.token, paymentId=paid["payment"]["id"])
    assert codes == ["NOT_FOUND"]
    mine = (await run(api, "MyFees", neighbour.token, communityId=gid("Community", world.community_id)))[
        "myFees"
    ]
    assert mine["payments"] == [] and mine["householdLabel"] == "休闲小区 4号楼 2单元 302"
