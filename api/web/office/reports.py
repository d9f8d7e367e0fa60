"""Report queues (a changelist per queue), one report's timeline and photos with reject and
cancel, and filing a report for a resident who phoned."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from api.web.office.common import (
    Office,
    entrance_choices,
    new_key,
    office_errors,
    office_page,
    required_errors,
    search_members,
)
from api.web.office.labels import CATEGORIES, QUEUES
from api.web.operations import Problem

REPORT_FIELDS = ("reason", "note")


@office_page
async def queue(office: Office) -> Response:
    params = office.page.request.query_params
    chosen = params.get("queue") if params.get("queue") in QUEUES else "UNCLAIMED"
    variables: dict[str, Any] = {"communityId": office.cid, "queue": chosen, "first": 20}
    if params.get("after"):
        variables["after"] = params["after"]
    data = (await office.run("OfficeReportQueue", variables)).data
    return office.render(
        "office/reports.html", "reports", "报修工单", queue=chosen, reports=data.get("reportQueue") or {}
    )


async def _detail(
    office: Office, report_id: str, status: int = 200, errors: Any = None, **context: Any
) -> Response:
    data = (await office.run("OfficeReport", {"id": report_id})).data
    report = data.get("node")
    if not report:
        return office.page.render("problem.html", 404, title="没有找到", message="没有找到这条报修。")
    return office.render(
        "office/report.html",
        "reports",
        f"报修：{report['placeLabel']}",
        status,
        errors,
        report=report,
        **context,
    )


def _report_id(office: Office) -> str:
    return str(office.page.request.path_params["report_id"])


@office_page
async def detail(office: Office) -> Response:
    return await _detail(office, _report_id(office))


@office_page
async def reject(office: Office) -> Response:
    report_id, page = _report_id(office), office.page
    if page.value("reason") not in ("DUPLICATE", "INVALID"):
        errors = required_errors([Problem("INVALID_INPUT", "", "reason")])
        return await _detail(office, report_id, 400, errors, values=page.values("note"))
    done = await office.run(
        "OfficeReportReject",
        {"input": {"reportId": report_id, "reason": page.value("reason"), "note": page.value("note")}},
    )
    if not done.ok:
        return await _detail(
            office, report_id, 400, office_errors(done.problems, REPORT_FIELDS), values=page.values("note")
        )
    return office.done(f"/office/reports/{report_id}?done=rejected")


@office_page
async def cancel(office: Office) -> Response:
    report_id, page = _report_id(office), office.page
    done = await office.run(
        "OfficeReportCancel", {"input": {"reportId": report_id, "note": page.value("cancel_note")}}
    )
    if not done.ok:
        return await _detail(office, report_id, 400, office_errors(done.problems, REPORT_FIELDS))
    return office.done(f"/office/reports/{report_id}?done=cancelled")


FILING_FIELDS = ("placeId", "category", "text", "callerName", "callerPhone", "proxyForId")


async def _filing(office: Office, status: int = 200, errors: Any = None, **context: Any) -> Response:
    """The form, with the resident who called: searched by name, phone or home (a GET, so it
    works without JavaScript), chosen from the list, or typed as a caller who is not a member."""
    params = office.page.request.query_params
    context.setdefault("values", {})
    chosen = office.page.value("proxyForId") or params.get("for", "")
    found = await search_members(office, params.get("q", ""))
    resident = next((m for m in found if m["user"]["id"] == chosen), None)
    if chosen and resident is None:
        # Chosen from an earlier search: find them again by the name the link carried.
        again = await search_members(office, params.get("name", "") or office.page.value("proxyForName"))
        resident = next((m for m in again if m["user"]["id"] == chosen), None)
    return office.render(
        "office/report_new.html",
        "reports",
        "代居民报修",
        status,
        errors,
        places=await entrance_choices(office),
        categories=CATEGORIES,
        key=office.page.value("idempotency_key") or new_key(),
        q=params.get("q", ""),
        found=found,
        resident=resident,
        **context,
    )


@office_page
async def new(office: Office) -> Response:
    page = office.page
    if page.request.method == "GET":
        return await _filing(office)
    values = page.values("placeId", "category", "text", "callerName", "callerPhone", "proxyForId")
    required = ["placeId", "category", "text"] + ([] if values["proxyForId"] else ["callerName"])
    empty = [Problem("INVALID_INPUT", "", f) for f in required if not values[f]]
    if empty:
        return await _filing(office, 400, required_errors(empty), values=values)
    if values["proxyForId"]:
        # For a member: it is theirs (我的报修) and they get its notifications.
        caller: dict[str, Any] = {"proxyForId": values["proxyForId"], "proxyChannel": "电话报修"}
    else:
        # A caller who is not a member: who called stays with the report, for staff only.
        caller = {"proxyChannel": f"来电人：{values['callerName']} {values['callerPhone']}".strip()}
    filed = await office.run(
        "OfficeReportCreate",
        {
            "input": {
                "placeId": values["placeId"],
                "category": values["category"],
                "text": values["text"],
                "photos": [],
                "idempotencyKey": page.value("idempotency_key") or new_key(),
                **caller,
            }
        },
    )
    payload = filed.payload
    if not filed.ok:
        return await _filing(
            office,
            400,
            office_errors(filed.problems, FILING_FIELDS),
            values=values,
            existing=payload.get("existingReport"),
        )
    return office.done(f"/office/reports/{payload['report']['id']}?done=filed")
