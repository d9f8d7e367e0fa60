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


@pytest.mark.own_sqlite
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


def sign_in_codes(base: str, phone: str, forwarded_for: str) -> list[str]:
    with httpx.Client(base_url=base, timeout=10) as client:
        answer = client.post(
            "/graphql",
            json={
                "query": "mutation($i: SessionCreateInput!) { sessionCreate(input: $i) { errors { code } } }",
                "variables": {"i": {"phone": phone, "password": "not-it-2026"}},
            },
            headers={"x-forwarded-for": forwarded_for},
        ).json()
    return [e["code"] for e in answer["data"]["sessionCreate"]["errors"]]


@pytest.mark.parametrize(
    ("trusted", "separate_addresses"), [("127.0.0.1", True), ("10.9.9.9", False)], ids=["proxy", "stranger"]
)
@pytest.mark.own_sqlite
def test_per_address_limits_use_x_forwarded_for_only_from_a_trusted_proxy(
    tmp_path: Path, trusted: str, separate_addresses: bool
) -> None:
    """Behind a proxy every request comes from the proxy's address; `--forwarded-allow-ips` names the
    proxies whose X-Forwarded-For is believed, so each phone gets its own per-address count, while
    the same header from anyone else is ignored (it could be forged)."""
    env = {"RS_RATE_LIMITS": "signIn.ip=1/600"}
    url = f"sqlite://{tmp_path / 'db.sqlite3'}"
    with running_server(url, tmp_path / "server.log", env, ("--forwarded-allow-ips", trusted)) as base:
        first = sign_in_codes(base, "13900001001", "203.0.113.10")
        second = sign_in_codes(base, "13900002002", "203.0.113.20")
    assert first == ["INVALID_CREDENTIALS"]
    assert second == (["INVALID_CREDENTIALS"] if separate_addresses else ["RATE_LIMITED"])
