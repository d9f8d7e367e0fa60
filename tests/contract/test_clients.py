"""The contract as a mobile team uses it: stock clients from the npm registry, unmodified.

The npm project in mobile-contract/clients-test/ (package-lock.json pins every version) runs, in
Node 20:
- Apollo Client 4 (InMemoryCache, the persisted-query link reading Apollo's manifest, HttpLink,
  GraphQLWsLink): every query a day in the community ran answers the same under `cache-first` as
  under `no-cache`, every mutation answers its typed payload, NotificationAdded arrives;
- urql with its persisted exchange: the same queries answer as the server answers their hashes,
  and NotificationAdded arrives through its subscriptionExchange;
- the stock graphql-ws client: NotificationAdded delivers a missed and a live call-out;
- graphql-codegen with mobile-contract/codegen.ts, then `tsc --strict`: no `unknown` scalars;
- Apollo's manifest generator over operations/ and fragments/ writes, byte for byte,
  mobile-contract/persisted-query-manifest.json (our Python transform in api/contract.py).
The server is a real uvicorn on a free port in production mode, over the database the day
left (the demo seed and everything the day did). Without Node or npm these tests fail: a
client check that does not run is not a pass.
"""

from __future__ import annotations

import asyncio
import copy
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest
from graphql import OperationDefinitionNode, parse

from api.app import create_app
from api.contract import CONTRACT, operation_documents
from runtime import clock
from runtime.clock import MovableClock
from runtime.settings import Settings
from services.photo_storage import LocalDiskStorage, use_storage
from services.tokens import decode_access_token, issue_access_token
from tests.contract import test_day_in_the_life as day
from tests.support.server import serving_in_process

PROJECT = CONTRACT / "clients-test"
# Each script's own ceiling; the whole stage takes well under a minute here.
SCRIPT_TIMEOUT = 180


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: the client tests need Node 20 and npm (CI fails, never skips)")
    return found


@pytest.fixture(scope="session")
def node_project() -> Path:
    """`npm ci` from package-lock.json, the npm cache kept in the project folder (so a second run
    needs no network). Under a lock, and only when the lock file changed since the last install:
    two pytest workers share the folder, and `npm ci` empties node_modules first."""
    npm = _tool("npm")
    _tool("node")
    lock = PROJECT / "package-lock.json"
    stamp = PROJECT / "node_modules" / ".installed-from"
    wanted = hashlib.sha256(lock.read_bytes()).hexdigest()
    with (PROJECT / ".npm-install.lock").open("w") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        if not stamp.exists() or stamp.read_text() != wanted:
            installed = subprocess.run(
                [
                    npm,
                    "ci",
                    "--cache",
                    str(PROJECT / ".npm-cache"),
                    "--prefer-offline",
                    "--no-audit",
                    "--no-fund",
                ],
                cwd=PROJECT,
                capture_output=True,
                text=True,
                timeout=600,
            )
            assert installed.returncode == 0, installed.stdout + installed.stderr
            stamp.write_text(wanted)
    return PROJECT


def _run(*command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=SCRIPT_TIMEOUT,
        env={**os.environ, **(env or {})},
    )


def test_apollos_generator_writes_our_manifest_byte_for_byte(node_project: Path, tmp_path: Path) -> None:
    config = tmp_path / "persisted-query-manifest.config.json"
    output = tmp_path / "persisted-query-manifest.json"
    config.write_text(
        json.dumps(
            {
                "documents": [
                    str(CONTRACT / "operations" / "*.graphql"),
                    str(CONTRACT / "fragments" / "*.graphql"),
                ],
                "output": str(output),
            }
        )
    )
    generated = _run(
        str(PROJECT / "node_modules" / ".bin" / "generate-persisted-query-manifest"), "-c", str(config)
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    ours = (CONTRACT / "persisted-query-manifest.json").read_bytes()
    assert output.read_bytes() == ours, (
        "persisted-query-manifest.json differs from Apollo's: run `make contract`"
    )
    assert len(json.loads(ours)["operations"]) == len(list((CONTRACT / "operations").glob("*.graphql")))


def test_codegen_types_every_operation_and_tsc_strict_accepts_them(node_project: Path) -> None:
    out = PROJECT / "generated" / "graphql.ts"
    generated = _run(
        str(PROJECT / "node_modules" / ".bin" / "graphql-codegen"),
        "--config",
        str(CONTRACT / "codegen.ts"),
        env={"CODEGEN_OUT": str(out)},
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    types = out.read_text(encoding="utf-8")
    for name, document in operation_documents().items():
        kind = next(d for d in parse(document).definitions if isinstance(d, OperationDefinitionNode))
        assert f"export type {name}{kind.operation.value.capitalize()} = " in types, name
    # Outside codegen's own `Exact` helper, nothing may be typed `unknown` or `any`.
    loose = [
        line
        for line in types.splitlines()
        if re.search(r"[:<|,]\s*(unknown|any)\b", line) and not line.startswith("type Exact<")
    ]
    assert loose == []
    compiled = _run(str(PROJECT / "node_modules" / ".bin" / "tsc"), "-p", "tsconfig.json")
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr


class _Recorder(day.App):
    """The day's data layer, noting every operation it sends: by whom, with what variables."""

    calls: ClassVar[list[dict[str, Any]]] = []

    def _note(self, name: str, token: str | None, variables: dict[str, Any]) -> None:
        user = str(decode_access_token(token).user_id) if token else ""
        self.calls.append({"name": name, "user": user, "variables": copy.deepcopy(variables)})

    async def run(self, name: str, token: str | None = None, **variables: Any) -> dict[str, Any]:
        self._note(name, token, variables)
        return await super().run(name, token, **variables)

    async def upload(
        self, name: str, token: str, variables: dict[str, Any], photos: list[bytes]
    ) -> dict[str, Any]:
        if photos:  # without photos, upload() goes through run(), which notes it
            self._note(name, token, {**variables, "input": {**variables["input"], "photos": []}})
        return await super().upload(name, token, variables, photos)

    def subscribe(self, name: str, token: str, **variables: Any) -> Any:
        self._note(name, token, variables)
        return super().subscribe(name, token, **variables)


@pytest.fixture
def photo_dir(tmp_path: Path) -> Iterator[Path]:
    previous = use_storage(LocalDiskStorage(tmp_path / "photos"))
    yield tmp_path / "photos"
    use_storage(previous)


@pytest.fixture
async def lived_day(
    http: httpx.AsyncClient,
    moved_clock: MovableClock,
    photo_dir: Path,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[list[dict[str, Any]]]:
    """The demo community after a day in the life, and every call the day made."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(_Recorder, "calls", calls)
    monkeypatch.setattr(day, "App", _Recorder)
    await day.a_day_in_the_life(http, moved_clock, photo_dir, settings)
    yield calls


def _fixture(calls: list[dict[str, Any]], base: str) -> dict[str, Any]:
    kinds = {
        name: next(
            d for d in parse(text).definitions if isinstance(d, OperationDefinitionNode)
        ).operation.value
        for name, text in operation_documents().items()
    }
    declared = next(c for c in calls if c["name"] == "EmergencyDeclare")
    listener = next(c for c in calls if c["name"] == "NotificationAdded")
    now = clock.now()
    emergency = {
        **declared["variables"]["input"],
        "startsAt": now.isoformat(),
        "endsAt": (now + timedelta(hours=12)).isoformat(),
    }
    users = {c["user"] for c in calls}
    return {
        "url": base,
        "ws": base.replace("http://", "ws://"),
        # Fresh tokens: the day's have expired on its moved clock.
        "users": {user: issue_access_token(int(user))[0] if user else None for user in users},
        "calls": [{**c, "type": kinds[c["name"]]} for c in calls],
        "staff": declared["user"],
        "volunteer": listener["user"],
        "emergency": {"input": emergency},
    }


async def _script(script: str, fixture: Path) -> dict[str, Any]:
    process = await asyncio.create_subprocess_exec(
        _tool("node"),
        script,
        str(fixture),
        cwd=PROJECT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), SCRIPT_TIMEOUT)
    assert process.returncode == 0, f"{script} failed:\n{err.decode()[-6000:]}\n{out.decode()[-2000:]}"
    summary: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    return summary


async def test_stock_clients_work_against_a_production_server(
    node_project: Path, lived_day: list[dict[str, Any]], settings: Settings, tmp_path: Path
) -> None:
    production = create_app(replace(settings, production=True), manage_database=False)
    async with serving_in_process(production) as base:
        fixture = tmp_path / "day.json"
        fixture.write_text(json.dumps(_fixture(lived_day, base), ensure_ascii=False))
        apollo = await _script("apollo.mjs", fixture)
        urql = await _script("urql.mjs", fixture)
        graphql_ws = await _script("graphql-ws.mjs", fixture)
    queries = {c["name"] for c in lived_day if c["name"] in _names_of("query")}
    assert apollo["queryOperations"] == len(queries) == len(_names_of("query"))
    assert apollo["heard"] == urql["heard"] == graphql_ws["heard"] == 2
    assert urql["queryOperations"] == len(queries)


def _names_of(kind: str) -> set[str]:
    return {
        name
        for name, text in operation_documents().items()
        if next(d for d in parse(text).definitions if isinstance(d, OperationDefinitionNode)).operation.value
        == kind
    }
