"""The protections a public API needs: limits tested at the limit and one past, security headers,
CORS off unless configured, and no stack trace or SQL in any response."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from api import app as app_module
from api.app import create_app
from api.contract import operation_documents
from api.gate import MAX_JSON_BODY, GraphQLGate
from api.graphql import MAX_ALIASES, MAX_DEPTH, MAX_DIRECTIVES, MAX_TOKENS
from api.headers import API_CSP
from runtime.settings import Settings
from services import accounts
from services.paging import MAX_PAGE
from tests.support.people import gid, make_neighbourhood, make_person

# Community → compounds → nodes → community → …: a path as deep as we like (one compound a
# page, so the cost budget, which multiplies pages through the nesting, stays out of the way).
_CYCLE = ["compounds(first: 1)", "nodes", "community"]
_LEAF = {"compounds": "totalCount", "nodes": "id", "community": "id"}


def _deep(depth: int) -> str:
    path = ['community(id: "Q29tbXVuaXR5OjE=")'] + [_CYCLE[i % 3] for i in range(depth - 1)]
    leaf = _LEAF[path[-1].split("(")[0]]
    return "{ " + " { ".join(path) + " { " + leaf + " }" + " }" * len(path)


async def _messages(http: httpx.AsyncClient, query: str, token: str | None = None) -> list[str]:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = await http.post("/graphql", json={"query": query}, headers=headers)
    assert response.status_code == 200, response.text
    return [e["message"] for e in response.json().get("errors", [])]


async def test_depth_at_the_limit_runs_and_one_past_is_refused(http: httpx.AsyncClient) -> None:
    person = await make_person((await make_neighbourhood()).community)
    assert await _messages(http, _deep(MAX_DEPTH), person.token) == []
    assert await _messages(http, _deep(MAX_DEPTH + 1), person.token) == [
        f"'anonymous' exceeds maximum operation depth of {MAX_DEPTH}"
    ]


async def test_aliases_at_the_limit_run_and_one_past_are_refused(http: httpx.AsyncClient) -> None:
    def aliased(count: int) -> str:
        return "{ " + " ".join(f"a{i}: __typename" for i in range(count)) + " }"

    assert await _messages(http, aliased(MAX_ALIASES)) == []
    assert await _messages(http, aliased(MAX_ALIASES + 1)) == [
        f"{MAX_ALIASES + 1} aliases found. Allowed: {MAX_ALIASES}"
    ]


async def test_tokens_at_the_limit_parse_and_one_past_are_refused(http: httpx.AsyncClient) -> None:
    def tokens(count: int) -> str:  # the braces are two tokens
        return "{ " + "__typename " * (count - 2) + "}"

    too_many = f"Document contains more than {MAX_TOKENS} tokens"
    assert not any(too_many in m for m in await _messages(http, tokens(MAX_TOKENS)))
    assert any(too_many in m for m in await _messages(http, tokens(MAX_TOKENS + 1)))


async def test_first_at_the_cap_runs_and_one_past_is_a_typed_error(http: httpx.AsyncClient) -> None:
    place = await make_neighbourhood()
    person = await make_person(place.community)
    query = operation_documents()["MyRedemptions"]
    cid = gid("Community", place.community.id)
    auth = {"authorization": f"Bearer {person.token}"}

    async def send(first: int) -> dict[str, object]:
        variables = {"communityId": cid, "first": first}
        response = await http.post("/graphql", json={"query": query, "variables": variables}, headers=auth)
        body: dict[str, object] = response.json()
        return body

    at_cap = await send(MAX_PAGE)
    assert "errors" not in at_cap
    past = await send(MAX_PAGE + 1)
    assert [e["extensions"]["code"] for e in past["errors"]] == ["INVALID_INPUT"]  # type: ignore[attr-defined]


async def test_a_body_at_the_limit_is_read_and_one_byte_more_is_refused(http: httpx.AsyncClient) -> None:
    def body(size: int) -> bytes:
        text = json.dumps({"query": "{ __typename }"})
        return (text[:-1] + " " * (size - len(text)) + "}").encode()

    at_limit = await http.post(
        "/graphql", content=body(MAX_JSON_BODY), headers={"content-type": "application/json"}
    )
    assert at_limit.json() == {"data": {"__typename": "Query"}}
    past = await http.post(
        "/graphql", content=body(MAX_JSON_BODY + 1), headers={"content-type": "application/json"}
    )
    assert past.status_code == 413
    assert [e["extensions"]["code"] for e in past.json()["errors"]] == ["PAYLOAD_TOO_LARGE"]


async def test_an_upload_body_at_the_limit_passes_the_gate_and_one_byte_more_does_not() -> None:
    seen: list[int] = []

    async def inner(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(len((await receive())["body"]))
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    def upload(size: int) -> bytes:
        head = (
            b'--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query": "{ __typename }"}\r\n'
            b'--x\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0": ["variables.f"]}\r\n'
            b'--x\r\nContent-Disposition: form-data; name="0"; filename="a.jpg"\r\n\r\n'
        )
        tail = b"\r\n--x--\r\n"
        return head + b"a" * (size - len(head) - len(tail)) + tail

    gate = GraphQLGate(inner, production=False, max_multipart_bytes=1000)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=gate), base_url="http://t") as client:
        headers = {"content-type": "multipart/form-data; boundary=x", "authorization": "Bearer t"}
        assert (await client.post("/graphql", content=upload(1000), headers=headers)).status_code == 204
        assert (await client.post("/graphql", content=upload(1001), headers=headers)).status_code == 413
    assert seen == [1000]


async def test_one_operation_per_request(http: httpx.AsyncClient) -> None:
    one = {"query": "{ __typename }"}
    for batch in ([one], [one, one]):
        response = await http.post("/graphql", json=batch)
        assert [e["extensions"]["code"] for e in response.json()["errors"]] == ["BATCHING_NOT_SUPPORTED"]


# ── headers and CORS ──────────────────────────────────────────────────────────────────────


async def test_api_answers_carry_the_security_headers(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", json={"query": "{ __typename }"})
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["content-security-policy"] == API_CSP
    assert response.headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in response.headers  # development: plain HTTP
    assert "access-control-allow-origin" not in response.headers


async def test_the_tag_page_has_a_strict_csp_that_allows_only_its_own_files(http: httpx.AsyncClient) -> None:
    page = await http.get("/t/not-a-real-code")
    assert page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "form-action 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    # No inline style or script the CSP would block: the page's look is its own stylesheet.
    assert "<style" not in page.text and re.search(r"<script>", page.text) is None
    assert re.search(r'<link rel="stylesheet" href="/web/static/site\.css\?v=[0-9a-f]{12}">', page.text)


async def test_no_cors_by_default_and_only_listed_origins_when_configured(settings: Settings) -> None:
    preflight = {
        "origin": "https://evil.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type",
    }
    plain = create_app(settings, manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=plain), base_url="http://t") as client:
        answer = await client.options("/graphql", headers=preflight)
        assert "access-control-allow-origin" not in answer.headers
        posted = await client.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"origin": "https://evil.example"}
        )
        assert "access-control-allow-origin" not in posted.headers

    listed = create_app(replace(settings, cors_origins=("https://console.example",)), manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=listed), base_url="http://t") as client:
        allowed = await client.options("/graphql", headers={**preflight, "origin": "https://console.example"})
        assert allowed.headers["access-control-allow-origin"] == "https://console.example"
        refused = await client.options("/graphql", headers=preflight)
        assert "access-control-allow-origin" not in refused.headers


async def test_production_answers_ask_for_https(settings: Settings) -> None:
    app = create_app(replace(settings, production=True), manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        response = await client.get("/healthz")
    assert response.headers["strict-transport-security"] == "max-age=31536000"


# ── internal errors ─────────────────────────────────────────────────────────────────────────

LEAK = 'SELECT "password_hash" FROM "user_account" WHERE "phone"=$1'
MARKERS = ("SELECT", "password_hash", "user_account", "Traceback", "RuntimeError", 'File "', ".py")


async def test_an_internal_error_in_graphql_shows_no_stack_or_sql(
    http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(phone: str, password: str) -> None:
        raise RuntimeError(LEAK)

    monkeypatch.setattr(accounts, "sign_in", broken)
    response = await http.post(
        "/graphql",
        json={
            "query": operation_documents()["SignIn"],
            "variables": {"input": {"phone": "139 0000 0001", "password": "whatever-it-is"}},
        },
    )
    body = response.text
    assert [e["extensions"]["code"] for e in response.json()["errors"]] == ["INTERNAL_ERROR"]
    assert not [m for m in MARKERS if m in body], body


async def test_an_internal_error_outside_graphql_shows_no_stack_or_sql(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(request: object) -> None:
        raise RuntimeError(LEAK)

    monkeypatch.setattr(app_module, "healthz", broken)
    app = create_app(settings, manage_database=False)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/healthz")
    assert response.status_code == 500
    assert not [m for m in MARKERS if m in response.text], response.text
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_directives_at_the_limit_run_and_one_past_are_refused(http: httpx.AsyncClient) -> None:
    def directed(count: int) -> str:
        # @include may appear once per field, so each directive gets a field of its own.
        return "{ " + " ".join(f"a{i}: __typename @include(if: true)" for i in range(count)) + " }"

    too_many = f"More than {MAX_DIRECTIVES} directives in one document."
    assert await _messages(http, directed(MAX_DIRECTIVES)) == []
    assert too_many in await _messages(http, directed(MAX_DIRECTIVES + 1))


async def test_overloaded_unknown_directives_are_not_answered_one_by_one(http: httpx.AsyncClient) -> None:
    # graphql-cop's probe: ten copies of an unknown directive; a server that validates each
    # one answers with ten errors, which it takes as "no limit".
    messages = await _messages(http, "query cop { __typename @aa@aa@aa@aa@aa@aa@aa@aa@aa@aa@aa }")
    assert f"More than {MAX_DIRECTIVES} directives in one document." in messages
