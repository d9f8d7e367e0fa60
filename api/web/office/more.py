"""The rest of the office's work: abuse flags, inspections, the record of observers' and
mediators' appointments, round tables, surveys, point rules and report clocks, reversing a
transfer, invites, the notice board."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.responses import Response
from starlette.routing import Route

from api.web.core import Handler
from api.web.office.common import Office, numbers, office_errors, office_page, required_errors
from api.web.office.labels import CATEGORIES, ROLES
from api.web.operations import Problem

RULE_FIELDS = (
    "attendanceBase",
    "attendancePerMinute",
    "attendanceMinMinutes",
    "reportValidated",
    "repairBase",
    "repairWithinClockBonus",
    "repairRatingBonus",
    "inspection",
    "redemptionPickupDays",
)
CLOCK_FIELDS = ("claimMinutes", "resolveMinutes", "category")
MEETING_FIELDS = ("title", "location", "startsAt", "endsAt", "choices", "decision", "followUp")
SURVEY_FIELDS = ("title", "questions", "opensAt", "closesAt")
INVITE_FIELDS = ("roles", "maxUses", "validDays")
REVERSE_FIELDS = ("transferId", "reason")


def _after(office: Office) -> dict[str, Any]:
    after = office.page.request.query_params.get("after")
    return {"after": after} if after else {}


def _local(office: Office, value: str, field: str, problems: list[Problem]) -> str | None:
    """A `datetime-local` form value, in the community's zone, as the API's ISO-8601 UTC."""
    try:
        moment = datetime.fromisoformat(value).replace(tzinfo=office.zone)
    except ValueError:
        problems.append(Problem("INVALID_INPUT", "", field))
        return None
    return moment.astimezone(ZoneInfo("UTC")).isoformat()


# ---- abuse flags ---------------------------------------------------------------------------


async def _flags(office: Office, status: int = 200, errors: Any = None) -> Response:
    state = office.page.request.query_params.get("state", "OPEN")
    state = state if state in ("OPEN", "DISMISSED", "CONFIRMED") else "OPEN"
    data = (
        await office.run("OfficeAbuseFlags", {"communityId": office.cid, "state": state, **_after(office)})
    ).data
    return office.render(
        "office/flags.html",
        "flags",
        "积分异常",
        status,
        errors,
        flags=data.get("abuseFlags") or {},
        state=state,
        done=office.page.request.query_params.get("done"),
    )


@office_page
async def flags(office: Office) -> Response:
    return await _flags(office)


@office_page
async def flag_decide(office: Office) -> Response:
    page = office.page
    decision = page.value("decision")
    if decision not in ("DISMISS", "CONFIRM"):
        return await _flags(office, 400, required_errors([Problem("INVALID_INPUT", "", "decision")]))
    done = await office.run(
        "OfficeAbuseFlagDecide",
        {"input": {"flagId": page.value("flagId"), "decision": decision, "note": page.value("note")}},
    )
    if not done.ok:
        return await _flags(office, 400, office_errors(done.problems, ("note", "decision")))
    return office.done("/office/flags?done=decided")


# ---- inspections ---------------------------------------------------------------------------


@office_page
async def inspections(office: Office) -> Response:
    month = office.page.request.query_params.get("month") or office.now().strftime("%Y-%m")
    data = (
        await office.run("OfficeInspections", {"communityId": office.cid, "month": month, **_after(office)})
    ).data
    return office.render(
        "office/inspections.html",
        "inspections",
        "楼道检查",
        inspections=data.get("inspections") or {},
        month=month,
    )


# ---- appointments of observers and mediators ------------------------------------------------


@office_page
async def appointments(office: Office) -> Response:
    """Who the office appointed or stood down, and why. A stand-down's reason can be personal, so
    the record is for staff (the API refuses an admin alone): an admin is told so, not refused."""
    events: dict[str, Any] = {}
    if office.is_staff:
        run = await office.run("OfficeAppointmentEvents", {"communityId": office.cid, **_after(office)})
        events = run.data.get("appointmentEvents") or {}
    return office.render("office/appointments.html", "appointments", "任免记录", events=events)


# ---- round tables --------------------------------------------------------------------------


async def _meetings(office: Office, status: int = 200, errors: Any = None, **context: Any) -> Response:
    data = (await office.run("OfficeMeetings", {"communityId": office.cid, **_after(office)})).data
    context.setdefault("done", office.page.request.query_params.get("done"))
    return office.render(
        "office/meetings.html",
        "meetings",
        "圆桌会",
        status,
        errors,
        meetings=data.get("meetings") or {},
        suggestions=data.get("roundTableSuggestions") or [],
        categories=CATEGORIES,
        **context,
    )


@office_page
async def meetings(office: Office) -> Response:
    page = office.page
    if page.request.method == "GET":
        return await _meetings(office)
    values = page.values("title", "location", "startsAt", "endsAt")
    problems = [Problem("INVALID_INPUT", "", f) for f in ("title", "startsAt", "endsAt") if not values[f]]
    if problems:
        return await _meetings(office, 400, required_errors(problems), values=values)
    starts = _local(office, values["startsAt"], "startsAt", problems)
    ends = _local(office, values["endsAt"], "endsAt", problems)
    if problems:
        return await _meetings(office, 400, office_errors(problems, MEETING_FIELDS), values=values)
    created = await office.run(
        "OfficeMeetingCreate",
        {
            "input": {
                "communityId": office.cid,
                "title": values["title"],
                "location": values["location"],
                "startsAt": starts,
                "endsAt": ends,
            }
        },
    )
    if not created.ok:
        return await _meetings(office, 400, office_errors(created.problems, MEETING_FIELDS), values=values)
    return office.done(f"/office/meetings/{created.payload['meeting']['id']}")


async def _agenda(
    office: Office, meeting_id: str, status: int = 200, errors: Any = None, **context: Any
) -> Response:
    data = (await office.run("OfficeMeetingAgenda", {"meetingId": meeting_id})).data
    agenda = data.get("meetingAgenda")
    if not agenda:
        return office.page.render("problem.html", 404, title="没有找到", message="没有找到这次圆桌会。")
    return office.render(
        "office/meeting.html",
        "meetings",
        f"圆桌会：{agenda['meeting']['title']}",
        status,
        errors,
        agenda=agenda,
        **context,
    )


@office_page
async def meeting(office: Office) -> Response:
    page = office.page
    meeting_id = str(page.request.path_params["meeting_id"])
    if page.request.method == "GET":
        return await _agenda(office, meeting_id)
    values = page.values("title", "choices", "opinionId")
    if not values["title"]:
        return await _agenda(
            office, meeting_id, 400, required_errors([Problem("INVALID_INPUT", "", "title")]), values=values
        )
    choices = [c.strip() for c in values["choices"].replace("，", ",").split(",") if c.strip()]
    added = await office.run(
        "OfficeAgendaTopicAdd",
        {
            "input": {
                "meetingId": meeting_id,
                "title": values["title"],
                "choices": choices,
                "opinionId": values["opinionId"] or None,
                "oneVotePerHousehold": page.value("oneVotePerHousehold") == "on",
            }
        },
    )
    if not added.ok:
        return await _agenda(
            office, meeting_id, 400, office_errors(added.problems, MEETING_FIELDS), values=values
        )
    return office.done(f"/office/meetings/{meeting_id}")


@office_page
async def topic_close(office: Office) -> Response:
    page = office.page
    meeting_id = str(page.request.path_params["meeting_id"])
    decision = page.value("decision")
    if not decision:
        return await _agenda(
            office, meeting_id, 400, required_errors([Problem("INVALID_INPUT", "", "decision")])
        )
    closed = await office.run(
        "OfficeTopicClose",
        {
            "input": {
                "topicId": page.value("topicId"),
                "decision": decision,
                "followUp": page.value("followUp"),
            }
        },
    )
    if not closed.ok:
        return await _agenda(office, meeting_id, 400, office_errors(closed.problems, MEETING_FIELDS))
    return office.done(f"/office/meetings/{meeting_id}")


# ---- surveys -------------------------------------------------------------------------------


async def _surveys(office: Office, status: int = 200, errors: Any = None, **context: Any) -> Response:
    data = (await office.run("OfficeSurveys", {"communityId": office.cid, **_after(office)})).data
    context.setdefault("done", office.page.request.query_params.get("done"))
    return office.render(
        "office/surveys.html",
        "surveys",
        "满意度问卷",
        status,
        errors,
        surveys=data.get("surveys") or {},
        **context,
    )


@office_page
async def surveys(office: Office) -> Response:
    page = office.page
    if page.request.method == "GET":
        return await _surveys(office)
    values = page.values("title", "questions", "opensAt", "closesAt")
    problems = [
        Problem("INVALID_INPUT", "", f)
        for f in ("title", "questions", "opensAt", "closesAt")
        if not values[f]
    ]
    if problems:
        return await _surveys(office, 400, required_errors(problems), values=values)
    opens = _local(office, values["opensAt"], "opensAt", problems)
    closes = _local(office, values["closesAt"], "closesAt", problems)
    if problems:
        return await _surveys(office, 400, office_errors(problems, SURVEY_FIELDS), values=values)
    questions = [q.strip() for q in values["questions"].splitlines() if q.strip()]
    created = await office.run(
        "OfficeSurveyCreate",
        {
            "input": {
                "communityId": office.cid,
                "title": values["title"],
                "questions": questions,
                "opensAt": opens,
                "closesAt": closes,
            }
        },
    )
    if not created.ok:
        return await _surveys(office, 400, office_errors(created.problems, SURVEY_FIELDS), values=values)
    return office.done("/office/surveys?done=created")


# ---- point rules, report clocks, reversals -------------------------------------------------


async def _rules(office: Office, status: int = 200, errors: Any = None, **context: Any) -> Response:
    rules = (await office.run("OfficePointRules", {"communityId": office.cid})).data.get("pointRules") or {}
    context.setdefault("done", office.page.request.query_params.get("done"))
    context.setdefault("values", {k: str(rules.get(k, "")) for k in RULE_FIELDS})
    return office.render(
        "office/rules.html",
        "rules",
        "积分规则与时限",
        status,
        errors,
        rules=rules,
        rule_fields=RULE_LABELS,
        categories=CATEGORIES,
        **context,
    )


RULE_LABELS = {
    "attendanceBase": "参加一次活动的基础积分",
    "attendancePerMinute": "活动每分钟积分",
    "attendanceMinMinutes": "至少参加多少分钟才计分",
    "reportValidated": "报修属实奖励",
    "repairBase": "修好一件的积分",
    "repairWithinClockBonus": "按时修好加分",
    "repairRatingBonus": "五星好评加分",
    "inspection": "保洁检查一次的积分",
    "redemptionPickupDays": "兑换后几天内领取",
}


@office_page
async def rules(office: Office) -> Response:
    page = office.page
    if page.request.method == "GET":
        return await _rules(office)
    values, problems = numbers(page, *RULE_FIELDS)
    typed = page.values(*RULE_FIELDS)
    if problems:
        return await _rules(office, 400, office_errors(problems, RULE_FIELDS), values=typed)
    updated = await office.run("OfficePointRulesUpdate", {"input": {"communityId": office.cid, **values}})
    if not updated.ok:
        return await _rules(office, 400, office_errors(updated.problems, RULE_FIELDS), values=typed)
    return office.done("/office/rules?done=rules")


@office_page
async def clocks(office: Office) -> Response:
    page = office.page
    values, problems = numbers(page, "claimMinutes", "resolveMinutes")
    category = page.value("category") or None
    typed = page.values("claimMinutes", "resolveMinutes", "category")
    if problems:
        return await _rules(office, 400, office_errors(problems, CLOCK_FIELDS), clock_values=typed)
    done = await office.run(
        "OfficeReportClocksSet", {"input": {"communityId": office.cid, "category": category, **values}}
    )
    if not done.ok:
        return await _rules(office, 400, office_errors(done.problems, CLOCK_FIELDS), clock_values=typed)
    return office.done("/office/rules?done=clocks")


@office_page
async def reverse(office: Office) -> Response:
    page = office.page
    values = page.values("transferId", "reason")
    empty = [Problem("INVALID_INPUT", "", f) for f in REVERSE_FIELDS if not values[f]]
    if empty:
        return await _rules(office, 400, required_errors(empty), reverse_values=values)
    done = await office.run("OfficePointTransferReverse", {"input": values})
    if not done.ok:
        return await _rules(
            office,
            400,
            office_errors(done.problems, REVERSE_FIELDS, default="transferId"),
            reverse_values=values,
        )
    return office.done("/office/rules?done=reversed")


# ---- invites and the notice board ----------------------------------------------------------


@office_page
async def invites(office: Office) -> Response:
    page = office.page
    if page.request.method == "GET":
        return office.render(
            "office/invites.html",
            "invites",
            "邀请码",
            roles=ROLES,
            values={"maxUses": "1", "validDays": "14"},
        )
    counts, problems = numbers(page, "maxUses", "validDays")
    typed = page.values("maxUses", "validDays")
    roles = [
        r for r in (page.form.getlist("roles") if page.form else []) if isinstance(r, str) and r in ROLES
    ]
    if problems:
        return office.render(
            "office/invites.html",
            "invites",
            "邀请码",
            400,
            office_errors(problems, INVITE_FIELDS),
            roles=ROLES,
            values=typed,
        )
    made = await office.run(
        "OfficeInviteCreate", {"input": {"communityId": office.cid, "roles": roles, **counts}}
    )
    if not made.ok:
        errors = office_errors(made.problems, INVITE_FIELDS, default="roles")
        return office.render(
            "office/invites.html", "invites", "邀请码", 400, errors, roles=ROLES, values=typed
        )
    return office.render(
        "office/invites.html", "invites", "邀请码", roles=ROLES, values=typed, made=made.payload, chosen=roles
    )


BOARD_SECTIONS = {
    "flag": "文明楼道流动红旗",
    "volunteers": "志愿者排行",
    "repairs": "报修处理情况",
    "satisfaction": "满意度",
    "accounts": "账目公开",
}


@office_page
async def board(office: Office) -> Response:
    page = office.page
    if page.request.method == "POST":
        chosen = {key: page.value(key) == "on" for key in BOARD_SECTIONS}
        done = await office.run("OfficeBoardPublicitySet", {"input": {"communityId": office.cid, **chosen}})
        if not done.ok:
            return office.render(
                "office/board.html",
                "board",
                "公示栏",
                400,
                office_errors(done.problems),
                publicity=chosen,
                sections=BOARD_SECTIONS,
            )
        return office.done("/office/board?done=saved")
    publicity = (await office.run("OfficeBoardPublicity", {"communityId": office.cid})).data.get(
        "boardPublicity"
    ) or {}
    return office.render(
        "office/board.html",
        "board",
        "公示栏",
        publicity=publicity,
        sections=BOARD_SECTIONS,
        done=page.request.query_params.get("done"),
    )


GET, POST, BOTH = ("GET",), ("POST",), ("GET", "POST")


def routes(page: Callable[[str, Handler, tuple[str, ...]], Route]) -> list[Route]:
    return [
        page("/office/flags", flags, GET),
        page("/office/flags/decide", flag_decide, POST),
        page("/office/inspections", inspections, GET),
        page("/office/appointments", appointments, GET),
        page("/office/meetings", meetings, BOTH),
        page("/office/meetings/{meeting_id}", meeting, BOTH),
        page("/office/meetings/{meeting_id}/close", topic_close, POST),
        page("/office/surveys", surveys, BOTH),
        page("/office/rules", rules, BOTH),
        page("/office/rules/clocks", clocks, POST),
        page("/office/rules/reverse", reverse, POST),
        page("/office/invites", invites, BOTH),
        page("/office/board", board, BOTH),
    ]
