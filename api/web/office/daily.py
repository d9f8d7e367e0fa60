"""The counter (pickups), residents' opinions, the public books, and closing the month."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from starlette.responses import Response

from api.web.office.common import Office, new_key, office_errors, office_page, required_errors
from api.web.office.labels import ACCOUNT_CATEGORIES, OPINION_OUTCOMES, OPINION_STATUS
from api.web.office.overview import adopted_waiting
from api.web.operations import Problem

PICKUP_FIELDS = ("pickupCode",)
OPINION_FIELDS = ("outcome", "answer", "action")
ACCOUNT_FIELDS = ("month", "category", "amount", "memo", "brandModel", "correctsId")


def _after(office: Office) -> dict[str, Any]:
    after = office.page.request.query_params.get("after")
    return {"after": after} if after else {}


async def _pickups(office: Office, status: int = 200, errors: Any = None, **context: Any) -> Response:
    pending = (await office.run("OfficePendingPickups", {"communityId": office.cid, **_after(office)})).data
    return office.render(
        "office/pickups.html",
        "pickups",
        "兑换领取",
        status,
        errors,
        pending=pending.get("pendingPickups") or {},
        **context,
    )


@office_page
async def pickups(office: Office) -> Response:
    page = office.page
    if page.request.method == "GET":
        return await _pickups(office)
    code = "".join(page.value("pickupCode").split()).upper()
    if not code:
        return await _pickups(office, 400, required_errors([Problem("INVALID_INPUT", "", "pickupCode")]))
    handed = await office.run("OfficeRedemptionFulfil", {"input": {"pickupCode": code}})
    if not handed.ok:
        return await _pickups(
            office,
            400,
            office_errors(handed.problems, PICKUP_FIELDS, default="pickupCode"),
            values={"pickupCode": code},
        )
    return await _pickups(office, handed=handed.payload.get("redemption"))


def opinion_tabs(data: dict[str, Any]) -> dict[str, int]:
    """Each status tab's number, the rows its list shows: "已采纳" lists the opinions adopted and
    not done yet (the done ones have their own tab), while the API's `adopted` counts both."""
    counts = data.get("opinionCounts") or {}
    tabs = {key: int(counts.get(key.lower()) or 0) for key in OPINION_STATUS}
    tabs["ADOPTED"] = adopted_waiting(data)
    return tabs


async def _opinions(office: Office, status: int = 200, errors: Any = None, **context: Any) -> Response:
    chosen = office.page.request.query_params.get("status")
    chosen = chosen if chosen in OPINION_STATUS else None
    data = (
        await office.run("OfficeOpinions", {"communityId": office.cid, "status": chosen, **_after(office)})
    ).data
    context.setdefault("done", office.page.request.query_params.get("done"))
    return office.render(
        "office/opinions.html",
        "opinions",
        "居民意见",
        status,
        errors,
        opinions=data.get("opinions") or {},
        collected=(data.get("opinionCounts") or {}).get("collected", 0),
        tabs=opinion_tabs(data),
        chosen=chosen,
        outcomes=OPINION_OUTCOMES,
        **context,
    )


@office_page
async def opinions(office: Office) -> Response:
    return await _opinions(office)


@office_page
async def opinion_answer(office: Office) -> Response:
    page = office.page
    opinion_id = str(page.request.path_params["opinion_id"])
    values = page.values("outcome", "answer", "action")
    if values["outcome"] not in OPINION_OUTCOMES:
        return await _opinions(
            office,
            400,
            required_errors([Problem("INVALID_INPUT", "", "outcome")]),
            values=values,
            open_id=opinion_id,
        )
    answered = await office.run("OfficeOpinionAnswer", {"input": {"opinionId": opinion_id, **values}})
    if not answered.ok:
        errors = office_errors(answered.problems, OPINION_FIELDS)
        return await _opinions(office, 400, errors, values=values, open_id=opinion_id)
    return office.done("/office/opinions?done=answered")


@office_page
async def opinion_done(office: Office) -> Response:
    opinion_id = str(office.page.request.path_params["opinion_id"])
    done = await office.run("OfficeOpinionDone", {"input": {"opinionId": opinion_id}})
    if not done.ok:
        return await _opinions(office, 400, office_errors(done.problems, OPINION_FIELDS))
    return office.done("/office/opinions?done=done")


def _month(office: Office, value: str | None) -> str:
    try:
        return datetime.strptime(value or "", "%Y-%m").strftime("%Y-%m")
    except ValueError:
        return office.now().strftime("%Y-%m")


async def _accounts(
    office: Office, month: str, status: int = 200, errors: Any = None, **context: Any
) -> Response:
    statement = (await office.run("OfficeAccountStatement", {"communityId": office.cid, "month": month})).data
    context.setdefault("done", office.page.request.query_params.get("done"))
    context.setdefault("key", office.page.value("idempotency_key") or new_key())
    return office.render(
        "office/accounts.html",
        "accounts",
        "账目公开",
        status,
        errors,
        statement=statement.get("accountStatement") or {},
        month=month,
        categories=ACCOUNT_CATEGORIES,
        **context,
    )


@office_page
async def accounts(office: Office) -> Response:
    page = office.page
    if page.request.method == "GET":
        month = _month(office, page.request.query_params.get("month"))
        return await _accounts(office, month, values={"month": month})
    values = page.values("month", "category", "amount", "memo", "brandModel", "correctsId")
    month = _month(office, values["month"])
    empty = [Problem("INVALID_INPUT", "", f) for f in ("month", "category", "amount") if not values[f]]
    if empty:
        return await _accounts(office, month, 400, required_errors(empty), values=values)
    recorded = await office.run(
        "OfficeAccountEntryRecord",
        {
            "input": {
                "communityId": office.cid,
                "month": values["month"],
                "category": values["category"],
                "amount": values["amount"],
                "memo": values["memo"],
                "brandModel": values["brandModel"],
                "correctsId": values["correctsId"] or None,
                "idempotencyKey": page.value("idempotency_key") or None,
            }
        },
    )
    if not recorded.ok:
        return await _accounts(
            office, month, 400, office_errors(recorded.problems, ACCOUNT_FIELDS), values=values
        )
    return office.done(f"/office/accounts?month={month}&done=recorded")


def _previous_month(office: Office) -> str:
    first = office.now().replace(day=1)
    return (first - timedelta(days=1)).strftime("%Y-%m")


@office_page
async def month_close(office: Office) -> Response:
    """The flag's breakdown first (the standing as it will be stored), then the confirmation; a
    month closed earlier shows its closed card above the stored breakdown."""
    page = office.page
    month = page.value("month") or page.request.query_params.get("month") or _previous_month(office)
    if page.request.method == "POST" and page.value("confirm") == "yes":
        closed = await office.run("OfficeMonthClose", {"input": {"communityId": office.cid, "month": month}})
        if closed.ok:
            award = closed.payload.get("award") or {}
            return office.render(
                "office/month.html",
                "month",
                "月末评比",
                closed=closed.payload,
                holder=award.get("entranceLabel") or award.get("entranceName"),
                month=month,
                standing=None,
            )
        errors = office_errors(closed.problems, ("month",))
    else:
        errors = []
    data = (await office.run("OfficeCorridorStanding", {"communityId": office.cid, "month": month})).data
    payload = data.get("corridorStanding") or {}
    standing = payload.get("standing")
    if standing:
        standing = {
            **standing,
            "entrances": [
                {
                    **e,
                    # "休闲小区 1号楼 1单元": "1单元" alone says nothing in a community of many compounds.
                    "label": e.get("entranceLabel") or e["entranceName"],
                    "reason": said_reason(e.get("reason") or ""),
                }
                for e in standing["entrances"]
            ],
        }
    errors += office_errors([Problem(**_problem(e)) for e in payload.get("errors") or []], ("month",))
    closed_card = closed_before(standing, month)
    return office.render(
        "office/month.html",
        "month",
        "月末评比",
        400 if errors else 200,
        errors,
        standing=standing,
        month=month,
        closed=closed_card,
        holder=(closed_card or {}).get("holder"),
    )


def closed_before(standing: dict[str, Any] | None, month: str) -> dict[str, Any] | None:
    """A month closed earlier (by the monthly job, the demo, or another staff member) as the
    closed card reads it. The stored standing is what was closed, and its first-ranked eligible
    entrance holds the flag next month (services.corridor_flag.close_month). Without this a closed
    month showed neither the button (nothing left to confirm) nor the card (issue 18)."""
    if not standing or standing.get("provisional"):
        return None
    winner = next((e for e in standing["entrances"] if e.get("eligible") and e.get("rank") == 1), None)
    award = (
        {"entranceName": winner["entranceName"], "score": winner["score"], "holdsMonth": _next_month(month)}
        if winner
        else None
    )
    return {"created": False, "earlier": True, "award": award, "holder": winner["label"] if winner else None}


def _next_month(month: str) -> str:
    first = datetime.strptime(month, "%Y-%m")
    return (first.replace(day=28) + timedelta(days=4)).strftime("%Y-%m")


_FEWER = re.compile(r"fewer than (\d+) inspections")


def said_reason(reason: str) -> str:
    """Why an entrance is out of the running, in Chinese (the API states it in English)."""
    if found := _FEWER.fullmatch(reason):
        return f"本月检查少于 {found[1]} 次"
    return {"no occupied household": "没有住户"}.get(reason, reason)


def _problem(error: dict[str, Any]) -> dict[str, Any]:
    return {"code": error["code"], "message": error.get("message") or "", "field": error.get("field")}
