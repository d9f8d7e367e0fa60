"""Live notifications over graphql-transport-ws, with a real WebSocket client and real uvicorn
processes: one on SQLite (in-process delivery), two sharing one PostgreSQL (LISTEN/NOTIFY), where
the subscriber listens on one server while the report is filed through the other."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from api.contract import operation_documents
from api.gate import document_hash
from tests.support.server import running_server

SUBSCRIBE = (
    "subscription($after: String) { notificationAdded(after: $after) { id event text report { id state } } }"
)


def cli(database_url: str, *args: str) -> str:
    env = {**os.environ, "RS_DATABASE_URL": database_url}
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", *args], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def invite(database_url: str, roles: str) -> str:
    out = cli(database_url, "invite-create", "--community", "hx", "--roles", roles)
    return out.strip().splitlines()[-1].strip()


@dataclass
class Town:
    staff: str
    repairer: str
    resident: str
    entrance_id: str


async def gql(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any], token: str | None = None
) -> Any:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    body = (
        await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    ).json()
    assert "errors" not in body, body
    return body["data"]


async def build_town(base: str, database_url: str) -> Town:
    """Everything through the CLI and the public API, as a new community would start."""
    cli(database_url, "community-create", "--slug", "hx", "--name", "红星社区")
    tokens: dict[str, str] = {}
    async with httpx.AsyncClient(base_url=base, timeout=20) as client:
        for n, (who, roles) in enumerate(
            (("staff", "staff"), ("repairer", "repairer"), ("resident", "resident"))
        ):
            registered = await gql(
                client,
                "mutation($i: AccountRegisterInput!) "
                "{ accountRegister(input: $i) { accessToken errors { code } } }",
                {"i": {"phone": f"1380013800{n}", "password": "lamp-fixed-2026", "displayName": who}},
            )
            token = registered["accountRegister"]["accessToken"]
            joined = await gql(
                client,
                "mutation($i: CommunityJoinInput!) { communityJoin(input: $i) "
                "{ membership { community { id } } errors { code } } }",
                {"i": {"code": invite(database_url, roles)}},
                token,
            )
            assert joined["communityJoin"]["errors"] == []
            tokens[who] = token
            community_id = joined["communityJoin"]["membership"]["community"]["id"]
        parent = community_id
        for name in ("休闲小区", "4号楼", "2单元"):
            created = await gql(
                client,
                "mutation($i: PlaceCreateInput!) { placeCreate(input: $i) { place { id } errors { code } } }",
                {"i": {"parentId": parent, "name": name}},
                tokens["staff"],
            )
            parent = created["placeCreate"]["place"]["id"]
    return Town(tokens["staff"], tokens["repairer"], tokens["resident"], parent)


async def inbox_cursor(base: str, token: str) -> str:
    async with httpx.AsyncClient(base_url=base, timeout=20) as client:
        cursor: str = (await gql(client, "{ myInboxCursor }", {}, token))["myInboxCursor"]
        return cursor


async def connected(ws_base: str, token: str) -> ClientConnection:
    ws = await connect(ws_base + "/graphql", subprotocols=[Subprotocol("graphql-transport-ws")])
    await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
    assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "connection_ack"
    return ws


async def subscribe(ws_base: str, token: str, after: str) -> ClientConnection:
    """Subscribed from `after`, and returned at once: graphql-transport-ws does not acknowledge a
    subscription, so a notification may commit before the server starts watching; the cursor
    makes the server send it anyway."""
    ws = await connected(ws_base, token)
    payload = {"query": SUBSCRIBE, "variables": {"after": after}}
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
    return ws


async def next_notification(ws: ClientConnection) -> dict[str, Any]:
    message = json.loads(await asyncio.wait_for(ws.recv(), 10))
    assert message["type"] == "next", message
    payload: dict[str, Any] = message["payload"]["data"]["notificationAdded"]
    return payload


async def file_and_claim(base: str, town: Town, category: str = "LIGHTING") -> str:
    async with httpx.AsyncClient(base_url=base, timeout=20) as client:
        created = await gql(
            client,
            "mutation($i: ReportCreateInput!) { reportCreate(input: $i) { report { id } errors { code } } }",
            {"i": {"placeId": town.entrance_id, "category": category, "text": "楼道灯不亮了"}},
            town.resident,
        )
        report_id: str = created["reportCreate"]["report"]["id"]
        return report_id


async def claim(base: str, town: Town, report_id: str) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=20) as client:
        claimed = await gql(
            client,
            "mutation($i: ReportInput!) { reportClaim(input: $i) { errors { code } } }",
            {"i": {"reportId": report_id}},
            town.repairer,
        )
        assert claimed["reportClaim"]["errors"] == []


async def run_scenario(filing_base: str, listening_base: str, database_url: str) -> Town:
    town = await build_town(filing_base, database_url)
    ws_base = listening_base.replace("http://", "ws://")
    repairer_ws = await subscribe(ws_base, town.repairer, await inbox_cursor(listening_base, town.repairer))
    resident_ws = await subscribe(ws_base, town.resident, await inbox_cursor(listening_base, town.resident))
    try:
        report_id = await file_and_claim(filing_base, town)
        opened = await next_notification(repairer_ws)
        assert (opened["event"], opened["report"]) == ("report.opened", {"id": report_id, "state": "OPEN"})

        await claim(filing_base, town, report_id)
        claimed = await next_notification(resident_ws)
        assert claimed["event"] == "report.claimed"
        assert claimed["report"]["state"] == "CLAIMED"
    finally:
        await repairer_ws.close()
        await resident_ws.close()
    return town


def assert_clean_log(path: Path, town: Town) -> None:
    lines = [json.loads(line) for line in path.read_text().splitlines() if line.startswith("{")]
    assert [line for line in lines if line["level"] in ("error", "critical")] == []
    text = path.read_text()
    for secret in (town.staff, town.repairer, town.resident, "lamp-fixed-2026", "13800138000"):
        assert secret not in text


@pytest.mark.own_sqlite
async def test_a_repairer_hears_of_a_new_order_over_a_websocket(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'db.sqlite3'}"
    log = tmp_path / "server.log"
    with running_server(url, log, {"RS_PHOTO_DIR": str(tmp_path / "photos")}) as base:
        town = await run_scenario(base, base, url)
    assert_clean_log(log, town)


@pytest.mark.own_sqlite
async def test_a_websocket_without_a_token_is_refused(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'db.sqlite3'}"
    with running_server(url, tmp_path / "server.log") as base:
        ws = await connect(
            base.replace("http://", "ws://") + "/graphql", subprotocols=[Subprotocol("graphql-transport-ws")]
        )
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        await asyncio.wait_for(ws.wait_closed(), 10)
        assert ws.close_code == 4403


@pytest.mark.own_sqlite
async def test_a_late_subscriber_gets_what_came_after_its_cursor_then_the_live_ones_each_once(
    tmp_path: Path,
) -> None:
    """The app loaded its inbox (the cursor), then the connection dropped; two orders came in
    meanwhile. Subscribing from the cursor sends those two, oldest first, then the next live one,
    and nothing twice."""
    url = f"sqlite://{tmp_path / 'db.sqlite3'}"
    with running_server(url, tmp_path / "server.log") as base:
        town = await build_town(base, url)
        before = await file_and_claim(base, town, "LIGHTING")
        cursor = await inbox_cursor(base, town.repairer)
        missed = [await file_and_claim(base, town, c) for c in ("PLUMBING", "ELECTRICAL")]
        ws = await subscribe(base.replace("http://", "ws://"), town.repairer, cursor)
        try:
            replayed = [await next_notification(ws), await next_notification(ws)]
            live = await file_and_claim(base, town, "SANITATION")
            heard = await next_notification(ws)
        finally:
            await ws.close()
    assert [n["report"]["id"] for n in replayed] == missed
    assert heard["report"]["id"] == live  # the next message is the new one, not a repeat
    assert before not in {n["report"]["id"] for n in [*replayed, heard]}


@pytest.mark.own_sqlite
async def test_a_bad_cursor_ends_that_subscription_with_a_coded_error(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'db.sqlite3'}"
    with running_server(url, tmp_path / "server.log") as base:
        town = await build_town(base, url)
        ws = await subscribe(base.replace("http://", "ws://"), town.repairer, "not-a-cursor")
        try:
            message = json.loads(await asyncio.wait_for(ws.recv(), 10))
            done = json.loads(await asyncio.wait_for(ws.recv(), 10))
        finally:
            await ws.close()
    assert (message["id"], message["type"], message["payload"]["data"]) == ("1", "next", None), message
    assert [e["extensions"]["code"] for e in message["payload"]["errors"]] == ["INVALID_INPUT"]
    assert done == {"id": "1", "type": "complete"}


@pytest.mark.postgres
async def test_delivery_crosses_server_processes_on_postgresql(tmp_path: Path, pg_url: str) -> None:
    with ExitStack() as servers:
        one = servers.enter_context(running_server(pg_url, tmp_path / "one.log"))
        two = servers.enter_context(running_server(pg_url, tmp_path / "two.log"))
        town = await run_scenario(filing_base=one, listening_base=two, database_url=pg_url)
    assert_clean_log(tmp_path / "one.log", town)
    assert_clean_log(tmp_path / "two.log", town)


class PersistedApp:
    """The app in production: every document by its hash from the manifest."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.hashes = {name: document_hash(text) for name, text in operation_documents().items()}

    def body(self, name: str, variables: dict[str, Any]) -> dict[str, Any]:
        return {
            "variables": variables,
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": self.hashes[name]}},
        }

    async def run(self, name: str, token: str | None = None, **variables: Any) -> Any:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        answer = (await self.client.post("/graphql", json=self.body(name, variables), headers=headers)).json()
        assert "errors" not in answer, answer
        return answer["data"]

    async def member(self, database_url: str, n: int, roles: str) -> tuple[str, str]:
        """Signs up and joins by an office invite; the token and the community id."""
        phone, password = f"1390013900{n}", "lamp-fixed-2026"
        session = await self.run(
            "Register", input={"phone": phone, "password": password, "displayName": roles}
        )
        token: str = session["accountRegister"]["accessToken"]
        joined = await self.run("JoinCommunity", token, input={"code": invite(database_url, roles)})
        return token, joined["communityJoin"]["membership"]["community"]["id"]


@pytest.mark.own_sqlite
async def test_production_subscriptions_run_only_the_apps_documents_and_refuse_others_by_id(
    tmp_path: Path,
) -> None:
    """Over one socket: an arbitrary document and an unknown hash each get an `error` for their
    own id with the gate's code; the socket stays open and the app's NotificationAdded, by hash,
    delivers the volunteers' call-out."""
    url = f"sqlite://{tmp_path / 'db.sqlite3'}"
    env = {
        "RS_PRODUCTION": "1",
        "RS_SECRET_KEY": "s" * 48,
        "RS_ARGON2_FAST": "",
        "RS_PHOTO_DIR": str(tmp_path),
    }
    with running_server(url, tmp_path / "server.log", env) as base:
        cli(url, "community-create", "--slug", "hx", "--name", "红星社区")
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            app = PersistedApp(client)
            staff, community_id = await app.member(url, 0, "staff")
            volunteer, _ = await app.member(url, 1, "volunteer")
            cursor = (await app.run("MyInbox", volunteer))["myInboxCursor"]
            ws = await connected(base.replace("http://", "ws://"), volunteer)
            try:
                await ws.send(
                    json.dumps({"id": "typed", "type": "subscribe", "payload": {"query": SUBSCRIBE}})
                )
                unknown = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}}
                await ws.send(json.dumps({"id": "unknown", "type": "subscribe", "payload": unknown}))
                refusals = [json.loads(await asyncio.wait_for(ws.recv(), 10)) for _ in range(2)]
                payload = app.body("NotificationAdded", {"after": cursor})
                await ws.send(json.dumps({"id": "app", "type": "subscribe", "payload": payload}))
                now = datetime.now(UTC)
                await app.run(
                    "EmergencyDeclare",
                    staff,
                    input={
                        "communityId": community_id,
                        "title": "暴雪",
                        "startsAt": now.isoformat(),
                        "endsAt": (now + timedelta(hours=12)).isoformat(),
                        "multiplierPercent": 200,
                        "idempotencyKey": "snow-1",
                    },
                )
                heard = json.loads(await asyncio.wait_for(ws.recv(), 10))
            finally:
                await ws.close()
    assert sorted((m["id"], m["type"], m["payload"][0]["extensions"]["code"]) for m in refusals) == [
        ("typed", "error", "PERSISTED_QUERY_REQUIRED"),
        ("unknown", "error", "PERSISTED_QUERY_NOT_FOUND"),
    ]
    assert (heard["id"], heard["type"]) == ("app", "next"), heard
    assert heard["payload"]["data"]["notificationAdded"]["event"] == "emergency.declared"
