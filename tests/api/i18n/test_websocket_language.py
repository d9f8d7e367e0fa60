"""A live notification over graphql-transport-ws reads in the language the connection asked for:
the upgrade request's Accept-Language, or the connection_init payload's (a browser cannot set
headers on a WebSocket). A real uvicorn process on SQLite, as tests/api/reports/test_subscriptions."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from tests.api.reports.test_subscriptions import (
    SUBSCRIBE,
    build_town,
    claim,
    file_and_claim,
    inbox_cursor,
    next_notification,
)
from tests.support.server import running_server


async def listening(
    ws_base: str, token: str, after: str, init: dict[str, object], headers: dict[str, str] | None = None
) -> ClientConnection:
    ws = await connect(
        ws_base + "/graphql", subprotocols=[Subprotocol("graphql-transport-ws")], additional_headers=headers
    )
    await ws.send(
        json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}", **init}})
    )
    assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "connection_ack"
    payload = {"query": SUBSCRIBE, "variables": {"after": after}}
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
    return ws


@pytest.mark.own_sqlite
async def test_a_live_notification_reads_in_the_connections_language(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'db.sqlite3'}"
    with running_server(url, tmp_path / "server.log", {"RS_PHOTO_DIR": str(tmp_path / "photos")}) as base:
        town = await build_town(base, url)
        ws_base = base.replace("http://", "ws://")
        cursor = await inbox_cursor(base, town.resident)
        chinese = await listening(ws_base, town.resident, cursor, {})
        english = await listening(ws_base, town.resident, cursor, {"Accept-Language": "en"})
        nested = await listening(ws_base, town.resident, cursor, {"headers": {"accept-language": "en-US"}})
        by_header = await listening(
            ws_base, town.resident, cursor, {}, {"Accept-Language": "en;q=0.9, zh;q=0.1"}
        )
        try:
            await claim(base, town, await file_and_claim(base, town))
            heard = [await next_notification(ws) for ws in (chinese, english, nested, by_header)]
        finally:
            for ws in (chinese, english, nested, by_header):
                await ws.close()
    assert {n["event"] for n in heard} == {"report.claimed"}
    # Each notification is headed by the report's full place label, the same in every language.
    assert all(n["text"].startswith("【休闲小区 ") for n in heard), heard
    texts = [n["text"].split("】", 1)[1] for n in heard]
    assert texts[0].startswith("您的照明报修单 #") and texts[0].endswith("已由维修队员接单。")
    assert all(t.startswith("Your lighting report #") for t in texts[1:]), texts
