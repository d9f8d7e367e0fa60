"""Kill -9 under load, short: the fault harness of `make faults` for one small round each way.

The harness runs in its own process: it opens its own scratch database and server, which the
test session's database (opened once per session in conftest) must not be mixed with.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import postgres

SMALL_ROUND = ["--rounds", "1", "--clients", "4", "--members", "8", "--awards", "16", "--redemptions", "14"]
SMALL_ROUND += ["--stock", "8", "--max-kills", "2"]


def harness(tmp_path: Path, *extra: str) -> tuple[int, dict[str, object], str]:
    figures = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.fault_harness", *SMALL_ROUND, "--json", str(figures), *extra],
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = done.stdout + done.stderr
    assert figures.exists(), output
    return done.returncode, json.loads(figures.read_text()), output


@pytest.mark.postgres
async def test_every_acknowledged_write_survives_the_server_being_killed(tmp_path: Path) -> None:
    await postgres.skip_unless_server()

    code, figures, output = harness(tmp_path)

    assert code == 0, output
    assert figures["problems"] == [], output
    assert figures["kills"] >= 1, output
    assert figures["acknowledged_writes"] == figures["found"] > 0, output
    assert "every balance equals its transfers" in str(figures["ledger_check"]), output


@pytest.mark.postgres
async def test_the_harness_catches_a_server_that_answers_before_it_commits(tmp_path: Path) -> None:
    await postgres.skip_unless_server()

    code, figures, output = harness(tmp_path, "--plant", "respond-before-commit", "--expect-failure")

    assert code == 0, output  # with --expect-failure: 0 means the checks caught the planted bug
    problems = [str(p) for p in figures["problems"]]  # type: ignore[attr-defined]
    assert any("acknowledged as" in p and "the database holds []" in p for p in problems), output
    assert figures["found"] < figures["acknowledged_writes"], output
