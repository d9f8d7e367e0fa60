"""The server as the app meets it: a real uvicorn process over real HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.support.server import running_server

REGISTER = """
mutation Register($input: AccountRegisterInput!) {
  accountRegister(input: $input) { accessToken refreshToken errors { code field } }
}"""
ME = "query Me { me { user { displayName } phone } }"


def register_and_read_me(base: str) -> tuple[dict[str, object], str, str]:
    with httpx.Client(base_url=base, timeout=10) as client:
        registered = client.post(
            "/graphql",
            json={
                "query": REGISTER,
                "variables": {
                    "input": {
                        "phone": "138 0013 8000",
                        "password": "lamp-fixed-2026",
                        "displayName": "王阿姨",
                    }
                },
            },
        ).json()["data"]["accountRegister"]
        assert registered["errors"] == []
        me = client.post(
            "/graphql", json={"query": ME}, headers={"authorization": f"Bearer {registered['accessToken']}"}
        )
        assert me.headers["x-request-id"]
        return me.json(), registered["accessToken"], registered["refreshToken"]


def test_a_new_resident_registers_and_reads_themselves_over_http(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    with running_server(f"sqlite://{tmp_path / 'db.sqlite3'}", log) as base:
        body, access, refresh = register_and_read_me(base)
        health = httpx.get(base + "/healthz").json()

    assert body == {"data": {"me": {"user": {"displayName": "王阿姨"}, "phone": "+8613800138000"}}}
    assert health == {"status": "ok", "database": "ok"}
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    requests = [line for line in lines if line.get("msg") == "request"]
    assert {r["operation"] for r in requests} >= {"Register", "Me"}
    assert all(r["request_id"] != "-" and "duration_ms" in r for r in requests)
    text = log.read_text()
    for secret in ("13800138000", "lamp-fixed-2026", access, refresh):
        assert secret not in text, "the server log holds a phone number, password or token"


@pytest.mark.postgres
def test_the_server_runs_on_postgresql(tmp_path: Path, pg_url: str) -> None:
    with running_server(pg_url, tmp_path / "server.log") as base:
        body, _, _ = register_and_read_me(base)
    assert body["data"]["me"]["phone"] == "+8613800138000"  # type: ignore[index]
