"""观察员与调解: the home observers (家园观察员, one per compound) and the red mediation room
(红色调解室) as the office runs them (issue 21). One page runs OfficeObservers: the posts per
compound, a month's visits and counts, the mediators with their open cases, the cases (those
being worked first). The office appoints from its members (found by the register's search),
stands people down after a confirmation page with the reason, and sets a case's mediators on
the case's own page. The record of who was appointed or stood down is the 任免记录 page
(/office/appointments, more.py); this page links to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

from starlette.responses import Response
from starlette.routing import Route

from api.web.core import Handler
from api.web.messages import Shown
from api.web.office.common import Office, new_key, office_errors, office_page, required_errors, search_members
from api.web.office.labels import CASE_STATES, MEDIATION_CATEGORIES
from api.web.operations import Problem

SECTION, TITLE, HOME = "observers", "观察员与调解", "/office/observers"
APPOINT_FIELDS = ("userId", "compoundId")
STAND_DOWN_FIELDS = ("reason", "userId", "compoundId")
CASE_FIELDS = ("mediatorIds",)
OPEN_FIELDS = ("category", "summary", "partyHouseholdIds", "mediatorIds")
MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
# The service's limit on a stand-down's reason (services.mediation_room.MAX_REASON).
REASON_MAX = 300
DONE = {
    "observer": "已任命观察员。",
    "mediator": "已任命调解员。",
    "observer-down": "已免去观察员。",
    "mediator-down": "已免去调解员。",
    "mediators": "已更新这件案件的调解员。",
    "opened": "已开立调解案件。",
}


def said(problems: list[Problem], fields: tuple[str, ...], default: str | None = None) -> list[Shown]:
    """The office's words for the typed errors, except where the API's own message says more than
    the code: a mediator with open cases is told how many (CONFLICT, in the caller's language)."""
    shown = office_errors(problems, fields, default)
    return [
        Shown(problem.message, s.field) if problem.code == "CONFLICT" and problem.message else s
        for problem, s in zip(problems, shown, strict=True)
    ]


def _month(office: Office) -> tuple[str, list[Shown]]:
    asked = office.page.request.query_params.get("month", "")
    if MONTH.fullmatch(asked):
        return asked, []
    this_month = office.now().strftime("%Y-%m")
    return this_month, ([Shown("月份写成 2026-11 这样。", "month")] if asked else [])


def _months(office: Office, chosen: str) -> list[tuple[str, str]]:
    """The last twelve months to choose from, said in Chinese (a browser's own month picker speaks
    the browser's language, not the page's), with the month asked for if it is older."""
    year, number = office.now().year, office.now().month
    months = []
    for _ in range(12):
        months.append(f"{year:04d}-{number:02d}")
        year, number = (year, number - 1) if number > 1 else (year - 1, 12)
    if chosen not in months:
        months.append(chosen)
    return [(m, f"{m[:4]}年{int(m[5:])}月") for m in months]


async def _read(office: Office, month: str) -> dict[str, Any]:
    params = office.page.request.query_params
    variables: dict[str, Any] = {"communityId": office.cid, "month": month}
    for name in ("visitsAfter", "closedAfter"):
        if params.get(name):
            variables[name] = params[name]
    return (await office.run("OfficeObservers", variables)).data


async def _show(
    office: Office, status: int = 200, errors: list[Shown] | None = None, **context: Any
) -> Response:
    month, month_errors = _month(office)
    data = await _read(office, month)
    query = office.page.request.query_params.get("q") or office.page.value("q")
    party_query = office.page.request.query_params.get("partyQ") or office.page.value("partyQ")
    compounds = ((data.get("community") or {}).get("compounds") or {}).get("nodes") or []
    context.setdefault("values", {})
    context.setdefault("done", DONE.get(office.page.request.query_params.get("done", "")))
    # The open-case form's key: kept while the form is shown again with an error, so a second
    # click of a slow 开立 button opens nothing twice; new once a case was opened.
    context.setdefault("open_key", office.page.value("idempotency_key") or new_key())
    return office.render(
        "office/observers.html",
        SECTION,
        TITLE,
        status,
        [*month_errors, *(errors or [])],
        month=month,
        months=_months(office, month),
        q=query,
        found=await search_members(office, query),
        party_q=party_query,
        party_households=_households(
            await search_members(office, party_query), context.pop("chosen_households", [])
        ),
        compounds=compounds,
        compound_names={c["id"]: c["name"] for c in compounds},
        posts=data.get("observerPosts") or [],
        counts=data.get("observerMonthCounts") or {},
        visits=data.get("observerVisits") or {},
        mediators=data.get("mediators") or [],
        open_cases=data.get("openCases") or {},
        closed_cases=data.get("closedCases") or {},
        **context,
    )


@office_page
async def observers(office: Office) -> Response:
    return await _show(office)


@office_page
async def appoint(office: Office) -> Response:
    """Appoint a member the search found: as observer of the chosen compound, or as mediator (the
    form's two buttons say which)."""
    page = office.page
    values = page.values("as", "userId", "compoundId", "q")
    needed = ("userId", "compoundId") if values["as"] == "observer" else ("userId",)
    empty = [Problem("INVALID_INPUT", "", f) for f in needed if not values[f]]
    if empty:
        return await _show(office, 400, required_errors(empty), values=values)
    if values["as"] == "observer":
        done = await office.run(
            "OfficeObserverAppoint",
            {"input": {"compoundId": values["compoundId"], "userId": values["userId"]}},
        )
    else:
        done = await office.run(
            "OfficeMediatorAppoint", {"input": {"communityId": office.cid, "userId": values["userId"]}}
        )
    if not done.ok:
        return await _show(office, 400, said(done.problems, APPOINT_FIELDS, "userId"), values=values)
    kind = "observer" if values["as"] == "observer" else "mediator"
    return office.done(f"{HOME}?{urlencode({'done': kind})}")


def _households(found: list[dict[str, Any]], chosen: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The homes of the members a search found, each once, after those already ticked (kept
    when the form comes back with an error, whatever the search finds now)."""
    homes = dict(chosen)
    for member in found:
        if member.get("householdId") and member["householdId"] not in homes:
            homes[member["householdId"]] = member.get("householdLabel") or ""
    return list(homes.items())


@office_page
async def open_case(office: Office) -> Response:
    """The office opens a mediation case itself (a dispute brought to the office rather than met
    on a visit): category, the households on each side, the mediators, a short description."""
    page = office.page
    values = page.values("category", "summary", "partyQ")
    form = page.form
    parties = [h for h in (form.getlist("partyHouseholdIds") if form else []) if isinstance(h, str) and h]
    chosen = [m for m in (form.getlist("mediatorIds") if form else []) if isinstance(m, str) and m]
    # Every home the form listed came back as "id|label": the ticked ones stay listed on a retry.
    listed = [h.partition("|") for h in (form.getlist("listed") if form else []) if isinstance(h, str)]
    kept = [(home, label) for home, _, label in listed if home in parties]
    shown = {"category": values["category"], "summary": values["summary"]}

    async def again(errors: list[Shown]) -> Response:
        return await _show(
            office,
            400,
            errors,
            values=shown,
            chosen_parties=parties,
            chosen_mediators=chosen,
            chosen_households=kept,
        )

    errors: list[Shown] = []
    if values["category"] not in MEDIATION_CATEGORIES:
        errors.append(Shown("请选择纠纷类别。", "category"))
    if not parties:
        errors.append(Shown("请至少选一户当事人（先按门牌或姓名查找）。", "partyHouseholdIds"))
    if not chosen:
        errors.append(Shown("请至少选一位调解员。", "mediatorIds"))
    if not values["summary"]:
        errors.append(Shown("请简单写几句案情。", "summary"))
    if errors:
        return await again(errors)
    done = await office.run(
        "OfficeMediationCaseOpen",
        {
            "input": {
                "communityId": office.cid,
                "category": values["category"],
                "summary": values["summary"],
                "partyHouseholdIds": parties,
                "mediatorIds": chosen,
                "idempotencyKey": office.page.value("idempotency_key") or None,
            }
        },
    )
    if not done.ok:
        return await again(said(done.problems, OPEN_FIELDS, default="summary"))
    case_id = done.payload["case"]["id"]
    return office.done(f"{HOME}/cases/{quote(case_id)}?{urlencode({'done': 'opened'})}")


def _stood(data: dict[str, Any], kind: str, user_id: str, compound_id: str) -> dict[str, Any] | None:
    """The post or the mediator the confirmation is about, as the page's own operation read it."""
    if kind == "observer":
        return next(
            (
                {"name": p["observerName"], "compoundName": p["compoundName"]}
                for p in data.get("observerPosts") or []
                if p["observer"] == user_id and p["compound"] == compound_id
            ),
            None,
        )
    if kind == "mediator":
        return next(
            (
                {"name": m["displayName"], "openCases": m["openCases"]}
                for m in data.get("mediators") or []
                if m["user"] == user_id
            ),
            None,
        )
    return None


async def _confirm(
    office: Office, values: dict[str, str], status: int = 200, errors: list[Shown] | None = None
) -> Response:
    month, _ = _month(office)
    data = await _read(office, month)
    who = _stood(data, values["as"], values["userId"], values["compoundId"])
    if who is None:
        return office.page.render(
            "problem.html",
            404,
            title="没有找到",
            message="这个人已经不在这个岗位上了，可能刚被免去。",
            link=HOME,
            link_text="回到观察员与调解",
        )
    cases = (data.get("openCases") or {}).get("nodes") or []
    their_cases = [c for c in cases if any(m["user"] == values["userId"] for m in c["mediators"])]
    return office.render(
        "office/stand_down.html",
        SECTION,
        "确认免去" + ("观察员" if values["as"] == "observer" else "调解员"),
        status,
        errors,
        who=who,
        their_cases=their_cases,
        values=values,
        reason_max=REASON_MAX,
    )


@office_page
async def stand_down(office: Office) -> Response:
    """A stand-down is confirmed on a page of its own, with the reason; the API refuses a mediator
    who still mediates open cases, and the refusal is shown on that page, nothing written."""
    page = office.page
    if page.request.method == "GET":
        params = page.request.query_params
        values = {k: params.get(k, "") for k in ("as", "userId", "compoundId")} | {"reason": ""}
        return await _confirm(office, values)
    values = page.values("as", "userId", "compoundId", "reason")
    if values["as"] not in ("observer", "mediator"):
        return await _confirm(office, values)  # says there is nobody to stand down
    if not values["reason"]:
        return await _confirm(office, values, 400, required_errors([Problem("INVALID_INPUT", "", "reason")]))
    if values["as"] == "observer":
        done = await office.run(
            "OfficeObserverStandDown",
            {"input": {k: values[k] for k in ("compoundId", "userId", "reason")}},
        )
    else:
        done = await office.run(
            "OfficeMediatorStandDown",
            {"input": {"communityId": office.cid, "userId": values["userId"], "reason": values["reason"]}},
        )
    if not done.ok:
        return await _confirm(office, values, 400, said(done.problems, STAND_DOWN_FIELDS, default="reason"))
    return office.done(f"{HOME}?done={'observer' if values['as'] == 'observer' else 'mediator'}-down")


async def _case(
    office: Office, case_id: str, status: int = 200, errors: list[Shown] | None = None
) -> Response:
    data = (await office.run("OfficeMediationCase", {"id": case_id, "communityId": office.cid})).data
    case = data.get("mediationCase")
    if not case:
        return office.page.render("problem.html", 404, title="没有找到", message="没有找到这件调解案件。")
    return office.render(
        "office/mediation_case.html",
        SECTION,
        f"调解案件：{MEDIATION_CATEGORIES.get(case['category'], case['category'])}纠纷",
        status,
        errors,
        case=case,
        mediators=data.get("mediators") or [],
        working=case["state"] not in ("SETTLED", "NOT_SETTLED", "REFERRED"),
        done=DONE.get(office.page.request.query_params.get("done", "")),
        state_word=CASE_STATES.get(case["state"], case["state"]),
    )


@office_page
async def case(office: Office) -> Response:
    page = office.page
    case_id = str(page.request.path_params["case_id"])
    if page.request.method == "GET":
        return await _case(office, case_id)
    chosen = [m for m in (page.form.getlist("mediatorIds") if page.form else []) if isinstance(m, str) and m]
    if not chosen:
        return await _case(office, case_id, 400, [Shown("请至少选一位调解员。", "mediatorIds")])
    done = await office.run(
        "OfficeMediationCaseMediatorsSet", {"input": {"caseId": case_id, "mediatorIds": chosen}}
    )
    if not done.ok:
        return await _case(office, case_id, 400, said(done.problems, CASE_FIELDS, default="mediatorIds"))
    return office.done(f"{HOME}/cases/{quote(case_id)}?{urlencode({'done': 'mediators'})}")


GET, POST, BOTH = ("GET",), ("POST",), ("GET", "POST")


def routes(page: Callable[[str, Handler, tuple[str, ...]], Route]) -> list[Route]:
    return [
        page(HOME, observers, GET),
        page(f"{HOME}/appoint", appoint, POST),
        page(f"{HOME}/open-case", open_case, POST),
        page(f"{HOME}/stand-down", stand_down, BOTH),
        page(HOME + "/cases/{case_id}", case, BOTH),
    ]
