"""我的物业费 for people without the app: the household's bills (with any reduction shown as an
amount, never why), its payments and receipts, and the offer in force."""

from __future__ import annotations

from starlette.responses import Response
from strawberry import relay

from api.ids import decode_global_id
from api.web.core import Page
from api.web.membership import _community, _no_community

BILL_STATES = {"UNPAID": "未缴", "PART_PAID": "部分已缴", "PAID": "已缴清", "WAIVED": "已免收"}


def _number(global_id: str) -> str:
    return str(decode_global_id(global_id, "FeePayment", "id"))


async def my_fees(page: Page) -> Response:
    community, mine = await _community(page)
    if community is None:
        return _no_community(page)
    outcome = await page.run("WebMyFees", {"communityId": community["id"]})
    return page.render(
        "fees.html",
        community=community,
        communities=mine,
        fees=outcome.data.get("myFees") or {},
        bill_states=BILL_STATES,
        number_of=_number,
        tab="me",
    )


async def receipt(page: Page) -> Response:
    payment = str(relay.GlobalID("FeePayment", str(page.request.path_params["payment_id"])))
    outcome = await page.run("WebFeeReceipt", {"paymentId": payment})
    found = outcome.data.get("feeReceipt")
    if not found:
        return page.render("problem.html", 404, title="没有找到", message="没有找到这张收据。")
    return page.render("fee_receipt.html", receipt=found, tab="me")
