"""Two real server processes on one PostgreSQL, as SCALING.md runs the app on many hosts: what one
process counts, remembers or announces, the other one sees.

Alone, the pieces are tested elsewhere (limits across two processes on SQLite in
test_rate_limits.py, delivery across processes in reports/test_subscriptions.py); here they
are checked together on the production database, with requests racing across the two servers.
"""

from __future__ import annotations

import asyncio
import json
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from tests.api.reports.test_subscriptions import (
    assert_clean_log,
    build_town,
    inbox_cursor,
    next_notification,
    subscribe,
)
from tests.support.server import running_server

REGISTER = (
    "mutation($i: AccountRegisterInput!) { accountRegister(input: $i) { accessToken errors { code } } }"
)
REPORT = (
    "mutation($i: ReportCreateInput!) { reportCreate(input: $i) "
    "{ report { id } existingReport { id } errors { code } } }"
)


async def _post(base: str, query: str, variables: dict[str, Any], token: str | None = None) -> Any:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        response = await client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


async def _count(database_url: str, sql: str) -> int:
    conn = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        return int(await conn.fetchval(sql))
    finally:
        await conn.close()


@pytest.mark.postgres
async def test_two_servers_share_rate_limits_idempotency_and_subscriptions(
    tmp_path: Path, pg_url: str
) -> None:
    env = {"RS_RATE_LIMITS": "register.ip=6/3600", "RS_PHOTO_DIR": str(tmp_path / "photos")}
    with ExitStack() as stack:
        one = stack.enter_context(running_server(pg_url, tmp_path / "one.log", env))
        two = stack.enter_context(running_server(pg_url, tmp_path / "two.log", env))
        servers = (one, two)
        town = await build_town(one, pg_url)  # three accounts registered: three of the address's six

        # Rate limit: eight sign-ups from one address at once, spread over both servers; the
        # counter row in PostgreSQL admits exactly the three left, whichever process asks.
        answers = await asyncio.gather(
            *(
                _post(
                    servers[n % 2],
                    REGISTER,
                    {"i": {"phone": f"1390000100{n}", "password": "lamp-fixed-2026", "displayName": "x"}},
                )
                for n in range(8)
            )
        )
        codes = sorted(str([e["code"] for e in a["accountRegister"]["errors"]]) for a in answers)
        assert codes == ["['RATE_LIMITED']"] * 5 + ["[]"] * 3

        # Subscription: the repairer listens on server two while the report is filed on both.
        cursor = await inbox_cursor(two, town.repairer)
        ws = await subscribe(two.replace("http://", "ws://"), town.repairer, cursor)
        try:
            # Idempotency: a retry that the balancer sends to the other server while the first
            # attempt is still running gets the same report, and only one exists.
            report = {
                "i": {
                    "placeId": town.entrance_id,
                    "category": "LIGHTING",
                    "text": "楼道灯不亮了",
                    "idempotencyKey": "retry-after-timeout-1",
                }
            }
            first, retry = await asyncio.gather(
                *(_post(base, REPORT, report, town.resident) for base in servers)
            )
            assert first["reportCreate"]["errors"] == [] and retry["reportCreate"]["errors"] == [], (
                first,
                retry,
            )
            report_id = first["reportCreate"]["report"]["id"]
            assert retry["reportCreate"]["report"]["id"] == report_id
            assert await _count(pg_url, "SELECT count(*) FROM report") == 1

            opened = await next_notification(ws)
            assert (opened["event"], opened["report"]["id"]) == ("report.opened", report_id)
            with pytest.raises(TimeoutError):  # one report, so one notification, not one per server
                await asyncio.wait_for(ws.recv(), 1.5)
        finally:
            await ws.close()
    assert_clean_log(tmp_path / "one.log", town)
    assert_clean_log(tmp_path / "two.log", town)
    lines = [json.loads(x) for x in (tmp_path / "two.log").read_text().splitlines() if x.startswith("{")]
    assert any(line.get("operation") is not None for line in lines)  # server two really served requests
