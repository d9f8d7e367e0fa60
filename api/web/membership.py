"""The member's other pages: checking in with the captain's rotating code, points (balance,
history, catalogue, redeeming with a pickup QR), and this month's board with the corridor flag."""

from __future__ import annotations

import secrets
from typing import Any

from starlette.responses import Response

from api.web.core import Page
from api.web.messages import Shown, shown_all
from api.web.words import this_month

REDEEMED = "兑换成功！请到社区办公室出示下面的领取码。"


async def _communities(page: Page) -> list[dict[str, Any]]:
    home = await page.run("WebHome")
    me = home.data.get("me") or {}
    return [m["community"] for m in me.get("memberships") or []]


async def _community(page: Page) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The community a page is about: `?c=<id>` among mine, else my first."""
    mine = await _communities(page)
    wanted = page.request.query_params.get("c") or page.value("community_id")
    chosen = next((c for c in mine if c["id"] == wanted), mine[0] if mine else None)
    return chosen, mine


def _no_community(page: Page) -> Response:
    return page.render(
        "problem.html",
        200,
        title="还没有加入社区",
        message="加入社区后才能看到积分和排行榜。",
        link="/me",
        link_text="填写邀请码加入社区",
    )


async def check_in(page: Page) -> Response:
    """GET shows what the code is for and the buttons; POST checks in or out. The code came from
    the captain's screen within the last minute; a forwarded photo of it has long expired."""
    code = page.request.path_params["code"]
    if not page.visit.signed_in:
        return page.sign_in_first()
    if page.request.method == "GET":
        return page.render("checkin.html", code=code, attendance=None, tab="me")
    name = "WebCheckOut" if page.value("action") == "out" else "WebCheckIn"
    done = await page.run(name, {"input": {"code": code}})
    if not done.ok:
        return page.render(
            "checkin.html", 400, shown_all(done.problems), code=code, attendance=None, tab="me"
        )
    return page.render(
        "checkin.html",
        code=code,
        attendance=done.payload["attendance"],
        checked_out=name == "WebCheckOut",
        tab="me",
    )


async def points(page: Page) -> Response:
    community, mine = await _community(page)
    if community is None:
        return _no_community(page)
    errors: list[Shown] = []
    if page.request.method == "POST":
        redeemed = await page.run(
            "RewardRedeem",
            {"input": {"rewardId": page.value("reward_id"), "idempotencyKey": page.value("idempotency_key")}},
            client="app",
        )
        if redeemed.ok and redeemed.payload.get("redemption"):
            return page.redirect(f"/me/redemptions/{redeemed.payload['redemption']['id']}")
        errors = shown_all(redeemed.problems)
    outcome = await page.run("WebPoints", {"communityId": community["id"]})
    return page.render(
        "points.html",
        400 if errors else 200,
        errors,
        community=community,
        communities=mine,
        points=outcome.data.get("myPoints")
        or {"balance": 0, "upcomingExpiries": [], "history": {"nodes": []}},
        catalog=(outcome.data.get("rewardCatalog") or {}).get("nodes") or [],
        redemptions=(outcome.data.get("myRedemptions") or {}).get("nodes") or [],
        idempotency_key=secrets.token_hex(16),
        tab="points",
    )


async def redemption(page: Page) -> Response:
    outcome = await page.run("WebRedemption", {"id": page.request.path_params["id"]})
    found = outcome.data.get("node")
    if not found:
        return page.render("problem.html", 404, title="没有找到", message="没有找到这次兑换。")
    fresh = found["status"] == "PENDING"
    return page.render("redemption.html", redemption=found, flash=REDEEMED if fresh else None, tab="points")


async def board(page: Page) -> Response:
    community, mine = await _community(page)
    if community is None:
        return _no_community(page)
    month = this_month()
    outcome = await page.run("WebBoard", {"communityId": community["id"], "month": month})
    leaderboard = (outcome.data.get("leaderboard") or {}).get("board")
    standing = (outcome.data.get("corridorStanding") or {}).get("standing")
    flags = (outcome.data.get("corridorFlagHistory") or {}).get("nodes") or []
    return page.render(
        "board.html",
        community=community,
        communities=mine,
        month=month,
        board=leaderboard,
        standing=standing,
        flag=flags[0] if flags else None,
        tab="board",
    )
