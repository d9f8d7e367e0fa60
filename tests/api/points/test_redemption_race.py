"""Many simultaneous redemptions against two real server processes on one PostgreSQL database:
exactly as many succeed as stock and balances allow, the rest get typed errors, the ledger adds up."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.points import flows
from tests.support.server import running_server

# Every simulated phone calls from this one host: lift the per-address and per-account limits.
UNLIMITED = {"RS_RATE_LIMITS": "redeem.account=100000/3600,redeem.ip=100000/3600"}

pytestmark = pytest.mark.postgres

MEMBERS = 5
REQUESTS_PER_MEMBER = 12  # 60 requests in all
BALANCE = 30  # each member can afford 3 at cost 10 → 15 by balance
STOCK = 12  # … but only 12 in stock
COST = 10

REGISTER = """
mutation R($input: AccountRegisterInput!) {
  accountRegister(input: $input) { accessToken errors { code } }
}"""
JOIN = "mutation J($input: CommunityJoinInput!) { communityJoin(input: $input) { errors { code } } }"
INVITE = "mutation I($input: InviteCreateInput!) { inviteCreate(input: $input) { code errors { code } } }"
ME = "{ me { user { id } memberships { community { id } } } }"


def _cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RS_DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args], env=env, capture_output=True, text=True, timeout=120
    )


async def _gql(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any], token: str | None = None
) -> Any:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


async def _person(client: httpx.AsyncClient, n: int, code: str) -> tuple[str, str, str]:
    registered = await _gql(
        client,
        REGISTER,
        {"input": {"phone": f"139 1000 {n:04d}", "password": "snow-shift-2026", "displayName": f"p{n}"}},
    )
    token = registered["accountRegister"]["accessToken"]
    joined = await _gql(client, JOIN, {"input": {"code": code}}, token)
    assert joined["communityJoin"]["errors"] == []
    me = (await _gql(client, ME, {}, token))["me"]
    return token, me["user"]["id"], me["memberships"][0]["community"]["id"]


async def _race(bases: list[str], staff_code: str) -> tuple[Counter[str], str]:
    async with httpx.AsyncClient(base_url=bases[0], timeout=60) as client:
        staff_token, _, community_id = await _person(client, 0, staff_code)
        invite = await _gql(
            client,
            INVITE,
            {"input": {"communityId": community_id, "roles": ["RESIDENT"], "maxUses": MEMBERS}},
            staff_token,
        )
        code = invite["inviteCreate"]["code"]
        members = [await _person(client, n, code) for n in range(1, MEMBERS + 1)]
        for _token, user_id, _ in members:
            award = await _gql(
                client,
                flows.AWARD,
                {
                    "input": {
                        "communityId": community_id,
                        "userId": user_id,
                        "amount": BALANCE,
                        "reason": "snow shift",
                        "idempotencyKey": f"a-{user_id}",
                    }
                },
                staff_token,
            )
            assert award["pointsAward"]["errors"] == []
        created = await _gql(
            client,
            flows.REWARD_CREATE,
            {
                "input": {
                    "communityId": community_id,
                    "kind": "GIFT",
                    "name": "gloves",
                    "cost": COST,
                    "stock": STOCK,
                }
            },
            staff_token,
        )
        reward_id = created["rewardCreate"]["reward"]["id"]

    clients = [httpx.AsyncClient(base_url=base, timeout=60) for base in bases]
    try:

        async def one(i: int) -> str:
            token = members[i % MEMBERS][0]
            data = await _gql(
                clients[i % 2],
                flows.REDEEM,
                {"input": {"rewardId": reward_id, "idempotencyKey": f"k{i}"}},
                token,
            )
            payload = data["rewardRedeem"]
            return "OK" if not payload["errors"] else payload["errors"][0]["code"]

        outcomes = await asyncio.gather(*(one(i) for i in range(MEMBERS * REQUESTS_PER_MEMBER)))
        catalog = await _gql(clients[1], flows.CATALOG, {"communityId": community_id}, staff_token)
        stock = catalog["rewardCatalog"]["nodes"][0]["stock"]
    finally:
        for client in clients:
            await client.aclose()
    return Counter(outcomes), str(stock)


def test_sixty_simultaneous_redemptions_from_two_servers(pg_url: str, tmp_path: Path) -> None:
    assert _cli(pg_url, "migrate").returncode == 0
    assert _cli(pg_url, "community-create", "--slug", "hongxing", "--name", "红星社区").returncode == 0
    invite = _cli(pg_url, "invite-create", "--community", "hongxing", "--roles", "staff,admin")
    match = re.search(r"\b([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\b", invite.stdout)
    assert match, invite.stdout
    with (
        running_server(pg_url, tmp_path / "one.log", UNLIMITED) as first,
        running_server(pg_url, tmp_path / "two.log", UNLIMITED) as second,
    ):
        outcomes, stock = asyncio.run(_race([first, second], match.group(1)))
    assert outcomes["OK"] == STOCK, outcomes
    assert set(outcomes) <= {"OK", "OUT_OF_STOCK", "INSUFFICIENT_POINTS"}, outcomes
    assert sum(outcomes.values()) == MEMBERS * REQUESTS_PER_MEMBER
    assert stock == "0"
    check = _cli(pg_url, "ledger-check")
    assert check.returncode == 0, check.stdout + check.stderr
