"""我的物业费 on the resident's web pages: the household's bills (a reduction as an amount only,
never its note), payments with their receipts, and the offer in force; the same statements
whatever the number of bills and payments."""

from __future__ import annotations

import base64
import re
from datetime import date

import httpx

from models.fees import FeeBill
from services.fees import reductions
from tests.api.web.support import sign_in
from tests.conftest import QueryCounter
from tests.services.fees.support import QUARTER_FEN, billed, fee_world, pay, year_offer
from tests.support.people import PASSWORD


async def test_the_resident_sees_the_bills_payments_receipts_and_offer(
    http: httpx.AsyncClient, queries: QueryCounter
) -> None:
    world = await fee_world()
    bill = await billed(world)
    await reductions.set_reduction(
        world.staff_viewer,
        world.home,
        percent=50,
        valid_from=date(2026, 1, 1),
        valid_until=None,
        note="低保户",
    )
    await year_offer(world, date(2026, 1, 1))
    paid = await pay(world, bill, 1000)
    assert (await sign_in(http, world.resident.phone, PASSWORD)).status_code == 303
    page = await http.get("/me/fees")
    assert page.status_code == 200, page.text[:2000]
    half = (QUARTER_FEN * 50 + 50) // 100
    owed = (QUARTER_FEN - half - 1000) / 100
    assert f"尚欠 {owed:.2f} 元" in page.text
    assert f"减免 {half / 100:.2f} 元" in page.text and "低保户" not in page.text
    assert "预缴全年" in page.text and "2026-000001" in page.text
    receipt = await http.get(f"/me/fees/receipts/{paid.payment.id}")
    image = re.search(r'src="data:image/png;base64,([^"]+)"', receipt.text)
    assert image and base64.b64decode(image[1])[:4] == b"\x89PNG"
    # More bills and payments cost no more statements.
    before = queries.count
    await http.get("/me/fees")
    few = queries.count - before
    for _ in range(4):
        await pay(world, await FeeBill.get(id=bill.id), 100)
    before = queries.count
    await http.get("/me/fees")
    assert queries.count - before == few, (few, queries.count - before)


async def test_another_households_receipt_is_not_found(http: httpx.AsyncClient) -> None:
    world = await fee_world()
    neighbour = world.place.households[1]
    paid = await pay(world, await FeeBill.get(household_id=(await billed(world)).household_id), 100)
    theirs = await pay(world, await FeeBill.get(household_id=neighbour.id), 100, household=neighbour)
    await sign_in(http, world.resident.phone, PASSWORD)
    assert (await http.get(f"/me/fees/receipts/{paid.payment.id}")).status_code == 200
    assert (await http.get(f"/me/fees/receipts/{theirs.payment.id}")).status_code == 404
