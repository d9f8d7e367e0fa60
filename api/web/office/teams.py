"""Teams and their captains; rewards with stock, limits and images."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.ids import decode_global_id
from api.web.office.common import Office, new_key, numbers, office_errors, office_page, required_errors
from api.web.office.labels import REWARD_KINDS, TEAM_KINDS
from api.web.operations import Problem
from services.errors import DomainError
from services.tags import printing as tag_printing
from services.teams import attendance

TEAM_FIELDS = ("name", "kind", "userId")
REWARD_FIELDS = ("name", "kind", "cost", "stock", "monthlyLimit", "description", "imageUrl", "activeUntil")


async def _teams(office: Office, status: int = 200, errors: Any = None, **context: Any) -> Response:
    after = office.page.request.query_params.get("after")
    variables: dict[str, Any] = {
        "communityId": office.cid,
        "first": 20,
        **({"after": after} if after else {}),
    }
    teams = (await office.run("OfficeTeams", variables)).data.get("teams") or {}
    context.setdefault("done", office.page.request.query_params.get("done"))
    # The form's key: kept while the form is shown again with an error, new after a success.
    context.setdefault("key", office.page.value("idempotency_key") or new_key())
    return office.render(
        "office/teams.html", "teams", "志愿队伍", status, errors, teams=teams, kinds=TEAM_KINDS, **context
    )


@office_page
async def teams(office: Office) -> Response:
    if office.page.request.method == "GET":
        return await _teams(office)
    values = office.page.values("name", "kind")
    empty = [Problem("INVALID_INPUT", "", f) for f in ("name", "kind") if not values[f]]
    if empty:
        return await _teams(office, 400, required_errors(empty), values=values)
    key = office.page.value("idempotency_key") or None
    created = await office.run(
        "OfficeTeamCreate", {"input": {"communityId": office.cid, **values, "idempotencyKey": key}}
    )
    if not created.ok:
        return await _teams(office, 400, office_errors(created.problems, TEAM_FIELDS), values=values)
    return office.done("/office/teams?done=created")


@office_page
async def captain(office: Office) -> Response:
    page = office.page
    done = await office.run(
        "OfficeTeamCaptainAppoint",
        {"input": {"teamId": page.value("teamId"), "userId": page.value("userId")}},
    )
    if not done.ok:
        return await _teams(office, 400, office_errors(done.problems, TEAM_FIELDS))
    return office.done("/office/teams?done=captain")


async def _rewards(office: Office, status: int = 200, errors: Any = None, **context: Any) -> Response:
    after = office.page.request.query_params.get("after")
    variables: dict[str, Any] = {
        "communityId": office.cid,
        "first": 50,
        **({"after": after} if after else {}),
    }
    rewards = (await office.run("OfficeRewards", variables)).data.get("rewardCatalog") or {}
    context.setdefault("done", office.page.request.query_params.get("done"))
    context.setdefault("key", office.page.value("idempotency_key") or new_key())
    return office.render(
        "office/rewards.html",
        "rewards",
        "积分礼品",
        status,
        errors,
        rewards=rewards,
        kinds=REWARD_KINDS,
        **context,
    )


@office_page
async def rewards(office: Office) -> Response:
    page = office.page
    if page.request.method == "GET":
        return await _rewards(office)
    values = page.values("name", "kind", "cost", "stock", "monthlyLimit", "description", "imageUrl")
    counts, problems = numbers(page, "cost", optional=("stock", "monthlyLimit"))
    problems += [Problem("INVALID_INPUT", "", f) for f in ("name", "kind") if not values[f]]
    if problems:
        return await _rewards(office, 400, office_errors(problems, REWARD_FIELDS), values=values)
    created = await office.run(
        "OfficeRewardCreate",
        {
            "input": {
                "communityId": office.cid,
                "name": values["name"],
                "kind": values["kind"],
                "description": values["description"],
                "imageUrl": values["imageUrl"],
                "idempotencyKey": page.value("idempotency_key") or None,
                **counts,
            }
        },
    )
    if not created.ok:
        return await _rewards(office, 400, office_errors(created.problems, REWARD_FIELDS), values=values)
    return office.done("/office/rewards?done=created")


@office_page
async def reward_update(office: Office) -> Response:
    page = office.page
    counts, problems = numbers(page, optional=("stock", "cost"))
    if problems:
        return await _rewards(office, 400, office_errors(problems, REWARD_FIELDS))
    changes: dict[str, Any] = {k: v for k, v in counts.items() if v is not None}
    if page.value("isActive") in ("true", "false"):
        changes["isActive"] = page.value("isActive") == "true"
    done = await office.run("OfficeRewardUpdate", {"input": {"id": page.value("id"), **changes}})
    if not done.ok:
        return await _rewards(office, 400, office_errors(done.problems, REWARD_FIELDS))
    return office.done("/office/rewards?done=updated")


@office_page
async def card(office: Office) -> Response:
    """A member's printed volunteer card (for a volunteer without a smartphone): issued through
    the API's own volunteerCardIssue, the QR drawn by the image route below."""
    user_id = office.page.request.query_params.get("user", "")
    issued = await office.run(
        "OfficeVolunteerCardIssue",
        {"input": {"communityId": office.cid, "userId": user_id, "replace": False}},
    )
    if not issued.ok:
        return await _teams(office, 400, office_errors(issued.problems, TEAM_FIELDS))
    return office.render(
        "office/card.html",
        "teams",
        "志愿者证",
        image=f"/office/card.png?user={quote(user_id)}",
        name=office.page.request.query_params.get("name", ""),
    )


@office_page
async def card_image(office: Office) -> Response:
    """The card's QR with the holder's name, as `GET /cards/volunteer.png` draws it for the app,
    here for the signed-in office (a cookie, not a bearer token). It issues nothing."""
    try:
        user_id = decode_global_id(office.page.request.query_params.get("user", ""), "User", "user")
        community_id = decode_global_id(office.cid, "Community", "community")
        printable = await attendance.printable_card(office.page.visit.viewer, community_id, user_id)
    except DomainError:
        return Response("没有这张志愿者证。", status_code=404, media_type="text/plain; charset=utf-8")
    printed = tag_printing.PrintedTag(
        url=printable.code, label=f"{printable.holder_name} {printable.community_name}志愿者"
    )
    png = await run_in_threadpool(tag_printing.tag_png, printed)
    return Response(png, media_type="image/png", headers={"cache-control": "private, no-store"})
