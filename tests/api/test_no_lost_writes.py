"""Kill -9 under load, short: the fault harness of `make faults`, one small round against the
real server and one against a server planted with a respond-before-commit bug, which it must catch.

The harness runs in its own process with its own scratch database and server (the session's
database, opened once in conftest, must not be mixed with them). It takes about half a minute of
fixed cost (a database to migrate, servers to start), so it runs in the PostgreSQL suite
(`make test-pg`, RS_TEST_DATABASE_URL) and in `make faults`, not again in the SQLite pass.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TEST_DATABASE_URL
from tests.support import postgres

SMALL_ROUNDS = ["--rounds", "1", "--selfcheck-rounds", "1", "--clients", "4", "--members", "8"]
SMALL_ROUNDS += ["--awards", "16", "--redemptions", "14", "--stock", "8", "--max-kills", "2"]


@pytest.mark.postgres
@pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("postgres"), reason="runs in the PostgreSQL suite and make faults"
)
async def test_acknowledged_writes_survive_kill_9_and_a_planted_early_answer_is_caught(
    tmp_path: Path,
) -> None:
    await postgres.skip_unless_server()
    figures_path = tmp_path / "figures.json"

    done = subprocess.run(
        [sys.executable, "-m", "tests.support.fault_harness", *SMALL_ROUNDS, "--json", str(figures_path)],
        capture_output=True,
        text=True,
        timeout=400,
    )

    output = done.stdout + done.stderr
    assert figures_path.exists(), output
    figures: dict[str, Any] = json.loads(figures_path.read_text())
    honest, planted = figures["honest"], figures["planted"]
    assert done.returncode == 0, output
    assert honest["problems"] == [], output
    assert honest["kills"] >= 1, output
    assert honest["acknowledged_writes"] == honest["found"] > 0, output
    assert "every balance equals its transfers" in figures["ledger_check"], output
    # The planted server answered before committing, and a kill lost what it had answered.
    assert any("acknowledged as" in p and "the database holds []" in p for p in planted["problems"]), output
    assert planted["found"] < planted["acknowledged_writes"], output
