"""An emergency call-out reaches every volunteer of the community: in the inbox, written with the
declaration, and live over graphql-transport-ws; residents who do not volunteer hear nothing."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from models.enums import Role
from models.reports import Notification
from runtime import clock
from tests.api.reports.test_subscriptions import (
    cli,
    gql,
    inbox_cursor,
    invite,
    next_notification,
    subscribe,
)
from tests.api.teams import support
from tests.support.graphql import GraphQLClient
from tests.support.people import make_neighbourhood, make_person
from tests.support.server import running_server

INBOX = "query { myUnreadCount myInbox(first: 10) { nodes { event text report { id } } } }"


def _storm(community_id: str, key: str = "storm-1", now: datetime | None = None) -> dict[str, Any]:
    # A real server process keeps the wall clock, not the test's moved one.
    starts = now or clock.now()
    return {
        "communityId": community_id,
        "title": "暴雪",
        "activityKind": "SNOW_CLEARING",
        "startsAt": starts.isoformat(),
        "endsAt": (starts + timedelta(hours=48)).isoformat(),
        "multiplierPercent": 200,
        "idempotencyKey": key,
    }


async def test_every_volunteer_and_no_one_else_finds_the_call_out_in_the_inbox(api: GraphQLClient) -> None:
    squad = await support.make_squad(api)
    # A volunteer in no team yet, and a volunteer of another community.
    loose = await make_person(squad.place.community, (Role.VOLUNTEER,), name="loose")
    elsewhere = await make_person((await make_neighbourhood(slug="other")).community, (Role.VOLUNTEER,))

    await support.ok(
        api, support.EMERGENCY, {"input": _storm(squad.community_id)}, squad.staff.token, "emergencyDeclare"
    )
    # A retried declaration is the same call-out: nobody hears of it twice.
    await support.ok(
        api, support.EMERGENCY, {"input": _storm(squad.community_id)}, squad.staff.token, "emergencyDeclare"
    )

    for person in (squad.captain, *squad.volunteers, loose):
        box = await api.data(INBOX, {}, person.token)
        assert box["myUnreadCount"] == 1
        [note] = box["myInbox"]["nodes"]
        assert note["event"] == "emergency.declared" and note["report"] is None
        assert "暴雪" in note["text"]
    for person in (squad.neighbour, squad.staff, elsewhere):
        assert (await api.data(INBOX, {}, person.token))["myUnreadCount"] == 0


async def test_a_refused_declaration_tells_no_one(api: GraphQLClient) -> None:
    squad = await support.make_squad(api)
    bad = {**_storm(squad.community_id), "multiplierPercent": 50}
    assert await support.errors(
        api, support.EMERGENCY, {"input": bad}, squad.staff.token, "emergencyDeclare"
    ) == ["INVALID_INPUT"]
    assert await api.error_codes(
        support.EMERGENCY, {"input": _storm(squad.community_id)}, squad.captain.token
    ) == ["FORBIDDEN"]
    assert await Notification.all().count() == 0


@pytest.mark.own_sqlite
async def test_a_volunteer_hears_of_the_call_out_over_a_websocket(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'db.sqlite3'}"
    with running_server(url, tmp_path / "server.log") as base:
        cli(url, "community-create", "--slug", "hx", "--name", "红星社区")
        tokens: dict[str, str] = {}
        async with httpx.AsyncClient(base_url=base, timeout=20) as client:
            for n, who in enumerate(("staff", "volunteer", "resident")):
                registered = await gql(
                    client,
                    "mutation($i: AccountRegisterInput!) { accountRegister(input: $i) { accessToken } }",
                    {"i": {"phone": f"1380013801{n}", "password": "snow-shift-2026", "displayName": who}},
                )
                tokens[who] = registered["accountRegister"]["accessToken"]
                joined = await gql(
                    client,
                    "mutation($i: CommunityJoinInput!) { communityJoin(input: $i) "
                    "{ membership { community { id } } errors { code } } }",
                    {"i": {"code": invite(url, who)}},
                    tokens[who],
                )
                community_id = joined["communityJoin"]["membership"]["community"]["id"]
            ws_base = base.replace("http://", "ws://")
            # From their inbox cursors: the call-out right after subscribing is not missed.
            volunteer_ws = await subscribe(
                ws_base, tokens["volunteer"], await inbox_cursor(base, tokens["volunteer"])
            )
            resident_ws = await subscribe(
                ws_base, tokens["resident"], await inbox_cursor(base, tokens["resident"])
            )
            try:
                declared = await gql(
                    client,
                    support.EMERGENCY,
                    {"input": _storm(community_id, now=datetime.now(UTC))},
                    tokens["staff"],
                )
                assert declared["emergencyDeclare"]["errors"] == []
                heard = await next_notification(volunteer_ws)
                assert heard["event"] == "emergency.declared" and "暴雪" in heard["text"]
                assert heard["report"] is None
                # The resident's subscription stays silent, and their inbox is empty.
                with pytest.raises(TimeoutError):
                    await asyncio.wait_for(resident_ws.recv(), 1)
                box = await gql(client, INBOX, {}, tokens["resident"])
                assert box["myUnreadCount"] == 0
            finally:
                await volunteer_ws.close()
                await resident_ws.close()
