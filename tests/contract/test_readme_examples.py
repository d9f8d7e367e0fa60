"""The worked examples of mobile-contract/README.md, run as written against a production-mode
server (persisted documents only) over real HTTP and a real WebSocket.

Every ```http block is one or more exchanges: a request (method and path, headers, a blank line,
the body) and the answer (`HTTP <status>`, headers, the body). Every ```graphql-transport-ws
block is a WebSocket transcript: `→` what the app sends, `←` what it receives. In both, a line
`-- (…)` is something another person does meanwhile (the ACTIONS below).

Placeholders `<Name>`: an operation's name stands for its hash; other names are values. In a
request they are replaced by their value; in an answer an unknown one is learned from the answer
(the sign-in's `<accessToken>`), a known one must match. In an answer, `…` inside a string stands
for any text, `"…"` for any value, and objects list only the fields that are checked.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from api.app import create_app
from api.contract import CONTRACT, operation_documents
from api.gate import document_hash
from models.places import Community, Entrance
from runtime.settings import Settings
from services import rate_limits
from services.demo import DEMO_PASSWORD, seed_register
from services.errors import RateLimited
from services.photo_storage import LocalDiskStorage, use_storage
from tests.support.people import gid
from tests.support.photos import jpeg_with_gps
from tests.support.server import serving_in_process

README = CONTRACT / "README.md"
BLOCK = re.compile(r"^```(http|graphql-transport-ws)\n(.*?)^```", re.MULTILINE | re.DOTALL)
PLACEHOLDER = re.compile(r"<([A-Za-z][A-Za-z0-9]*)>")
PHOTO = "<bytes of stairs.jpg>"


@dataclass
class Walk:
    http: httpx.AsyncClient
    ws_base: str
    values: dict[str, Any]
    sent: list[str] = field(default_factory=list)

    def fill(self, text: str) -> str:
        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            assert name in self.values, f"the README uses <{name}> before any example gives it"
            return str(self.values[name])

        return PLACEHOLDER.sub(value, text)

    async def run_as(self, token_name: str, operation: str, **variables: Any) -> dict[str, Any]:
        body = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": self.values[operation]}}}
        headers = {"authorization": f"Bearer {self.values[token_name]}"}
        answer = (
            await self.http.post("/graphql", json={**body, "variables": variables}, headers=headers)
        ).json()
        assert "errors" not in answer, answer
        data: dict[str, Any] = answer["data"]
        return data


async def _repairer_claims_your_report(walk: Walk) -> None:
    claimed = await walk.run_as("repairerToken", "ReportClaim", input={"reportId": walk.values["reportId"]})
    assert claimed["reportClaim"]["errors"] == []


async def _ten_sign_ins(walk: Walk) -> None:
    for _ in range(10):
        with contextlib.suppress(RateLimited):  # the README's own sign-in counted too
            await rate_limits.check("signIn", rate_limits.phone_key(walk.values["residentPhone"]), None)


ACTIONS: dict[str, Callable[[Walk], Awaitable[None]]] = {
    "-- (the repairer claims your report)": _repairer_claims_your_report,
    "-- (ten sign-ins with this number in the last ten minutes)": _ten_sign_ins,
}


def matches(expected: Any, actual: Any, values: dict[str, Any], where: str = "") -> None:
    """Assert `actual` fits `expected` (see the module's docstring), learning new placeholders."""
    if expected == "…":
        return
    if isinstance(expected, str):
        whole = PLACEHOLDER.fullmatch(expected)
        if whole and whole.group(1) not in values:
            values[whole.group(1)] = actual
            return
        pattern = "".join(".*" if part == "…" else re.escape(part) for part in re.split("(…)", expected))
        assert isinstance(actual, str) and re.fullmatch(pattern, actual, re.DOTALL), (where, expected, actual)
        return
    if isinstance(expected, dict):
        assert isinstance(actual, dict), (where, expected, actual)
        for key, value in expected.items():
            assert key in actual, (where, key, actual)
            matches(value, actual[key], values, f"{where}.{key}")
        return
    if isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), (where, expected, actual)
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            matches(e, a, values, f"{where}[{i}]")
        return
    assert expected == actual, (where, expected, actual)


def _expected_json(text: str, values: dict[str, Any]) -> Any:
    """The answer as written, with known placeholders filled in (unknown ones stay, to be learned)."""
    return json.loads(PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), text))


async def run_http_block(walk: Walk, text: str) -> None:
    exchanges = re.split(r"^(?=(?:POST|GET) /)", text, flags=re.MULTILINE)
    for exchange in filter(str.strip, exchanges):
        lines = exchange.splitlines()
        for line in lines:
            if line.startswith("-- "):
                assert line in ACTIONS, f"no action for {line!r}"
                await ACTIONS[line](walk)
        lines = [line for line in lines if not line.startswith("-- ")]
        if not "".join(lines).strip():
            continue  # only something that happens before the next request
        method, path = lines[0].split()
        at = next(i for i, line in enumerate(lines) if line.startswith("HTTP "))
        blank = lines.index("", 1)
        headers = dict(line.split(": ", 1) for line in lines[1:blank])
        headers = {k: walk.fill(v) for k, v in headers.items()}
        body_text = "\n".join(lines[blank + 1 : at]).strip("\n")
        content_type = headers.setdefault("Content-Type", "application/json")
        if content_type.startswith("multipart/"):
            parts = walk.fill(body_text).replace("\n", "\r\n").split(PHOTO)
            assert len(parts) == 2, "the upload example holds one photo"
            body = parts[0].encode() + jpeg_with_gps() + parts[1].encode() + b"\r\n"
        else:
            body = walk.fill(body_text).encode()
            json.loads(body)  # the example is valid JSON
        response = await walk.http.request(method, path, content=body, headers=headers)
        status = int(lines[at].split()[1])
        answer_lines = lines[at + 1 :]
        start = next(i for i, line in enumerate(answer_lines) if line.startswith("{"))
        assert response.status_code == status, (path, response.status_code, response.text)
        for line in answer_lines[:start]:
            name, value = line.split(": ", 1)
            matches(value, response.headers.get(name), walk.values, name)
        matches(_expected_json("\n".join(answer_lines[start:]), walk.values), response.json(), walk.values)
        walk.sent.append(path)


async def run_ws_block(walk: Walk, text: str) -> None:
    messages = re.split(r"^(?=→|←|-- )", text, flags=re.MULTILINE)
    ws: ClientConnection = await connect(
        walk.ws_base + "/graphql", subprotocols=[Subprotocol("graphql-transport-ws")]
    )
    try:
        for message in filter(str.strip, messages):
            if message.startswith("-- "):
                await ACTIONS[message.strip()](walk)
            elif message.startswith("→"):
                await ws.send(json.dumps(json.loads(walk.fill(message[1:]))))
            else:
                received = json.loads(await asyncio.wait_for(ws.recv(), 10))
                matches(_expected_json(message[1:], walk.values), received, walk.values, "ws")
    finally:
        await ws.close()


@pytest.fixture
async def walk(settings: Settings, tmp_path: Path) -> AsyncIterator[Walk]:
    previous = use_storage(LocalDiskStorage(tmp_path / "photos"))
    logins = {login.role: login.phone for login in (await seed_register()).logins}
    community = await Community.get(slug="hongxing")
    entrance = await Entrance.filter(building__compound__community_id=community.id).order_by("id").first()
    assert entrance is not None
    values: dict[str, Any] = {name: document_hash(doc) for name, doc in operation_documents().items()}
    values |= {
        "communityId": gid("Community", community.id),
        "entranceId": gid("Entrance", entrance.id),
        "residentPhone": logins["resident"],
        "password": DEMO_PASSWORD,
    }
    app = create_app(replace(settings, production=True), manage_database=False)
    async with serving_in_process(app) as base, httpx.AsyncClient(base_url=base, timeout=20) as http:
        repairer = await http.post(
            "/graphql",
            json={
                "extensions": {"persistedQuery": {"version": 1, "sha256Hash": values["SignIn"]}},
                "variables": {"input": {"phone": logins["repairer"], "password": DEMO_PASSWORD}},
            },
        )
        values["repairerToken"] = repairer.json()["data"]["sessionCreate"]["accessToken"]
        yield Walk(http, base.replace("http://", "ws://"), values)
    use_storage(previous)


async def test_every_worked_example_of_the_mobile_readme_is_true(walk: Walk) -> None:
    blocks = BLOCK.findall(README.read_text(encoding="utf-8"))
    assert len(blocks) >= 8, "the README's worked examples are gone"
    for kind, text in blocks:
        if kind == "http":
            await run_http_block(walk, text)
        else:
            await run_ws_block(walk, text)
