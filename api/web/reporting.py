"""The resident's report path: /t/<code> (what is reported here, 我也遇到了, the report form with
sign-in or registration inside it), 我的报修 and one report (timeline, proof photos, confirm and
rate, or reopen). Modelled on FixMyStreet's report/new templates: one form that works without
JavaScript, signing in inside the flow without losing the text or the photos, a duplicate
offered as "me too"."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import quote

from starlette.responses import Response

from api.web import drafts
from api.web.accounts import account_errors, join, sign_in_or_register
from api.web.core import Page
from api.web.messages import Shown, shown_all
from api.web.operations import Problem
from runtime.settings import get_settings

NOTICES = {
    "metoo": "已记下：您也遇到了这个问题。维修进度会显示在这里。",
    "sent": "报修已提交。维修队接单、修好时，这里会显示进度。",
    "confirmed": "谢谢您的评价！",
    "reopened": "已退回维修队重新处理。",
}
TAG_PROBLEMS = {
    "TAG_REVOKED": (
        410,
        "这个码已停用",
        "社区办公室已更换或撤下这个码。请扫附近的新标签，或联系社区办公室。",
    ),
    "TAG_CODE_INVALID": (
        404,
        "无法识别这个码",
        "这不是社区办公室印制的报修码，或者码不完整。请扫描贴在现场的标签。",
    ),
}
NOT_HERE = "请填写社区办公室给的邀请码：加入本社区后才能在这里报修。"


def _notice(page: Page) -> str | None:
    return NOTICES.get(page.request.query_params.get("done", ""))


async def _scan(page: Page, code: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    outcome = await page.run("WebTagPage", {"code": code})
    return outcome.payload.get("scan"), outcome.problems


def _tag_problem(page: Page, problems: list[Problem]) -> Response:
    status, title, message = TAG_PROBLEMS.get(
        problems[0].code if problems else "", TAG_PROBLEMS["TAG_CODE_INVALID"]
    )
    return page.render("problem.html", status, title=title, message=message)


def _form(
    page: Page,
    scan: dict[str, Any],
    status: int = 200,
    errors: list[Shown] | None = None,
    values: dict[str, str] | None = None,
    kept: list[str] | None = None,
    duplicate: dict[str, Any] | None = None,
) -> Response:
    return page.render(
        "tag.html",
        status,
        errors,
        scan=scan,
        code=page.request.path_params["code"],
        values=values or {},
        kept=kept or [],
        duplicate=duplicate,
        # A new key for each form shown: a double-tapped 提交 replays the first answer.
        idempotency_key=secrets.token_hex(16),
        flash=_notice(page),
        register_open=bool(values and (values.get("code") or values.get("display_name"))),
        tab="report",
        app_download_url=get_settings().app_download_url,
    )


async def tag_page(page: Page) -> Response:
    code = page.request.path_params["code"]
    scan, problems = await _scan(page, code)
    if scan is None:
        return _tag_problem(page, problems)
    if page.request.method == "GET":
        return _form(page, scan)
    if page.value("action") == "metoo":
        return await _me_too(page, code)
    return await _report(page, code, scan)


async def _me_too(page: Page, code: str) -> Response:
    if not page.visit.signed_in:
        return page.redirect(f"/login?next={quote('/t/' + code)}")
    done = await page.run("ReportMeToo", {"input": {"reportId": page.value("report_id")}}, client="app")
    if not done.ok:
        scan, _ = await _scan(page, code)
        return _form(page, scan or {}, 400, shown_all(done.problems))
    return page.redirect(f"/t/{quote(code)}?done=metoo")


async def _report(page: Page, code: str, scan: dict[str, Any]) -> Response:
    values = page.values("category", "text", "phone", "display_name", "code")
    kept = await drafts.known(
        [n for n in (page.form.getlist("draft") if page.form else []) if isinstance(n, str)]
    )
    fresh = page.files("photos")

    async def again(status: int, errors: list[Shown], duplicate: dict[str, Any] | None = None) -> Response:
        # Whatever was photographed stays with the form for the next post.
        held = kept + (await drafts.keep(fresh[: drafts.MAX_DRAFTS - len(kept)]) if fresh else [])
        current, _ = await _scan(page, code)
        return _form(page, current or scan, status, errors, values, held, duplicate)

    if not page.visit.signed_in:
        problems = await sign_in_or_register(page)
        if problems:
            return await again(400, account_errors(problems))
        rescanned, _ = await _scan(page, code)
        if rescanned is None:
            return await again(400, [])
        scan = rescanned
    if not scan.get("mayReport"):
        if not values["code"]:
            return await again(400, [Shown(NOT_HERE, "code")])
        problems = await join(page, values["code"], None)
        rescanned, _ = await _scan(page, code)
        if problems or rescanned is None or not rescanned.get("mayReport"):
            return await again(400, account_errors(problems) or [Shown(NOT_HERE, "code")])
        scan = rescanned
    errors = []
    if values["category"] not in scan["categories"]:
        errors.append(Shown("请选择问题的类型。", "category"))
    if not values["text"]:
        errors.append(Shown("请简单写一下是什么问题。", "text"))
    if errors:
        return await again(400, errors)
    photos = await drafts.load(kept) + fresh
    variables = {
        "input": {
            "placeId": scan["place"]["id"],
            "assetId": scan["asset"]["id"] if scan.get("asset") else None,
            "category": values["category"],
            "text": values["text"],
            "photos": photos[: drafts.MAX_DRAFTS + 1],
            "idempotencyKey": page.value("idempotency_key") or None,
        }
    }
    created = await page.run("ReportCreate", variables, client="app")
    if created.ok and created.payload.get("report"):
        return page.redirect(f"/me/reports/{created.payload['report']['id']}?done=sent")
    duplicate = created.payload.get("existingReport")
    return await again(400, shown_all(created.problems), duplicate)


async def my_reports(page: Page) -> Response:
    outcome = await page.run("WebMyReports")
    reports = outcome.data.get("myReports") or {"nodes": [], "totalCount": 0}
    return page.render("reports.html", reports=reports, tab="reports", flash=_notice(page))


async def report_page(page: Page) -> Response:
    report_id = page.request.path_params["id"]
    errors: list[Shown] = []
    values: dict[str, str] = {}
    if page.request.method == "POST":
        action = page.value("action")
        values = page.values("rating", "comment", "reason")
        if action == "confirm":
            rating = int(values["rating"]) if values["rating"].isdigit() else 0
            if not 1 <= rating <= 5:
                errors = [Shown("请选择 1 到 5 颗星。", "rating")]
            else:
                done = await page.run(
                    "ReportConfirm",
                    {"input": {"reportId": report_id, "rating": rating, "comment": values["comment"]}},
                    client="app",
                )
                errors = shown_all(done.problems)
                if not errors:
                    return page.redirect(f"/me/reports/{report_id}?done=confirmed")
        elif action == "reopen":
            if not values["reason"]:
                errors = [Shown("请说一下哪里还没修好。", "reason")]
            else:
                done = await page.run(
                    "ReportReopen",
                    {"input": {"reportId": report_id, "reason": values["reason"]}},
                    client="app",
                )
                errors = shown_all(done.problems)
                if not errors:
                    return page.redirect(f"/me/reports/{report_id}?done=reopened")
    outcome = await page.run("WebReport", {"id": report_id})
    report = outcome.data.get("report")
    if report is None:
        return page.render(
            "problem.html", 404, title="没有找到这条报修", message="它可能不是您报的，或者已被删除。"
        )
    return page.render(
        "report.html",
        400 if errors else 200,
        errors,
        report=report,
        values=values,
        tab="reports",
        flash=_notice(page),
    )
