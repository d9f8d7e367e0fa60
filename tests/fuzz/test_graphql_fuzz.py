"""Fuzz every root field of a running, seeded server as a resident and as staff.

The normal suite sends a handful of operations per field so a new field is fuzzed from its first
commit; `make fuzz` sends a few hundred (RS_FUZZ_EXAMPLES) and CI runs it. Documents are derived
from a fixed seed, so a finding reproduces on the next run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from services.demo import DEMO_PASSWORD
from tests.fuzz.harness import FieldRun, fuzz_field, graphql_schema, root_fields
from tests.support.demo import sqlite_copy
from tests.support.server import running_server

# On a copy of the demo in its own SQLite file: CI runs it in the SQLite pass only (and `make fuzz`).
pytestmark = pytest.mark.own_sqlite
EXAMPLES = int(os.environ.get("RS_FUZZ_EXAMPLES", "3"))
REPORT = os.environ.get("RS_FUZZ_REPORT", "")
# To reproduce or dig into a finding: only these root fields (comma-separated), e.g. "myInbox".
ONLY = {name.strip() for name in os.environ.get("RS_FUZZ_FIELDS", "").split(",") if name.strip()}
# Demo logins (README): a plain resident and a member of the community office.
ROLES = {"resident": "13900000230", "staff": "13900000002"}
SIGN_IN = """mutation SignIn($input: SessionCreateInput!) {
  sessionCreate(input: $input) { accessToken errors { code } } }"""
# Rate limits would answer RATE_LIMITED after a few dozen examples and hide what lies behind them;
# they have their own tests.
NO_LIMITS = ",".join(
    f"{name}=1000000/60"
    for name in (
        "signIn.account",
        "signIn.ip",
        "register.account",
        "register.ip",
        "report.ip",
        "redeem.account",
        "redeem.ip",
    )
)
UNLIMITED = {
    "RS_RATE_LIMITS": NO_LIMITS,
    "RS_REPORTS_PER_HOUR": "1000000",
    "RS_ABUSE_BURST_REPORTS": "1000000",
}


@pytest.fixture(scope="module")
def seeded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, dict[str, str]]]:
    directory = tmp_path_factory.mktemp("fuzz")
    # A copy of the demo `redsteward seed-demo` made once this run (tests/support/demo.py).
    seeded = sqlite_copy(directory)
    url = seeded.database_url
    server_env = {**UNLIMITED, "RS_PHOTO_DIR": str(seeded.photo_dir)}
    env = {**os.environ, "RS_DATABASE_URL": url, **server_env}
    log = directory / "server.log"
    with running_server(url, log, server_env) as base:
        yield base, log, env


def sign_in(client: httpx.Client, phone: str) -> str:
    body = client.post(
        "/graphql",
        json={"query": SIGN_IN, "variables": {"input": {"phone": phone, "password": DEMO_PASSWORD}}},
    ).json()
    token: str = body["data"]["sessionCreate"]["accessToken"]
    assert token, body
    return token


def test_no_generated_operation_gets_a_server_error_or_an_unknown_code(
    seeded_server: tuple[str, Path, dict[str, str]],
) -> None:
    base, log, env = seeded_server
    schema = graphql_schema()
    runs: list[FieldRun] = []
    with httpx.Client(base_url=base, timeout=30) as client:
        for kind, name in root_fields(schema):
            if ONLY and name not in ONLY:
                continue
            # Fresh sessions per field: a fuzzed sign-out must not blind the fields after it.
            tokens = {role: sign_in(client, phone) for role, phone in ROLES.items()}
            runs.append(fuzz_field(client, schema, kind, name, tokens, EXAMPLES))

    if REPORT:
        Path(REPORT).write_text(json.dumps(summary(runs), indent=2, ensure_ascii=False))
    findings = [(run.kind, run.name, finding) for run in runs for finding in run.findings]
    # Whatever the fuzzed mutations did to the economy, the books must still balance.
    books = subprocess.run(
        [sys.executable, "-m", "cli.main", "ledger-check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert books.returncode == 0, books.stdout + books.stderr
    assert all(run.examples > 0 for run in runs)
    assert not findings, "\n\n".join(
        [f"{kind} {name} as {f.role}: {f.detail}\n{f.document}" for kind, name, f in findings[:10]]
        + ["server log, unexpected errors:\n" + _unexpected(log)]
    )


def summary(runs: list[FieldRun]) -> dict[str, object]:
    return {
        "roles": sorted(ROLES),
        "fields": {kind: sum(run.kind == kind for run in runs) for kind in ("query", "mutation")},
        "examples_per_field": EXAMPLES,
        "examples": sum(run.examples for run in runs),
        "requests": sum(run.requests for run in runs),
        "seconds": round(sum(run.seconds for run in runs), 1),
        "findings": sum(len(run.findings) for run in runs),
        "slowest_fields": sorted(((round(r.seconds, 1), r.name) for r in runs), reverse=True)[:5],
    }


def _unexpected(log: Path) -> str:
    lines = [line for line in log.read_text().splitlines() if "unexpected error" in line]
    return "\n".join(lines[-20:])
