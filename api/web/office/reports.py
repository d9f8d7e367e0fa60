"""Report queues (a changelist per queue), one report's timeline and photos with reject and
cancel, and filing a report for a resident who phoned."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from api.web.office.common import Office, new_key, office_errors, office_page, required_errors
from api.web.office.labels import CATEGORIES, QUEUES
from api.web.operations import Problem

REPORT_FIELDS = ("reason", "note", "placeId", "category", "text", "caller")


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


async def _places(office: Office) -> list[tuple[str, str]]:
    """Every entrance (and building) as a choice, by its full label."""
    tree = (await office.run("OfficePlaceTree", {"communityId": office.cid, "first": 20})).data.get(
        "community"
    ) or {}
    options: list[tuple[str, str]] = []
    for compound in (tree.get("compounds") or {}).get("nodes") or []:
        for building in compound["buildings"]["nodes"]:
            for entrance in building["entrances"]["nodes"]:
                options.append((entrance["id"], f"{compound['name']} {building['name']} {entrance['name']}"))
    return options


@office_page
async def new(office: Office) -> Response:
    page = office.page
    places = await _places(office)
    if page.request.method == "GET":
        return office.render(
            "office/report_new.html",
            "reports",
            "代居民报修",
            places=places,
            categories=CATEGORIES,
            key=new_key(),
        )
    values = page.values("placeId", "category", "text", "caller")
    empty = [
        Problem("INVALID_INPUT", "", f) for f in ("placeId", "category", "text", "caller") if not values[f]
    ]
    if empty:
        return office.render(
            "office/report_new.html",
            "reports",
            "代居民报修",
            400,
            required_errors(empty),
            places=places,
            categories=CATEGORIES,
            key=page.value("idempotency_key") or new_key(),
            values=values,
        )
    filed = await office.run(
        "OfficeReportCreate",
        {
            "input": {
                "placeId": values["placeId"],
                "category": values["category"],
                # Who called stays in the report's text: the caller may have no account at all.
                "text": f"{values['text']}（来电居民：{values['caller']}）",
                "photos": [],
                "idempotencyKey": page.value("idempotency_key") or new_key(),
            }
        },
    )
    payload = filed.payload
    if not filed.ok:
        existing = payload.get("existingReport")
        return office.render(
            "office/report_new.html",
            "reports",
            "代居民报修",
            400,
            office_errors(filed.problems, REPORT_FIELDS),
            places=places,
            categories=CATEGORIES,
            key=page.value("idempotency_key"),
            values=values,
            existing=existing,
        )
    return office.done(f"/office/reports/{payload['report']['id']}?done=filed")
