"""Two offices pay the same bills at the same moment from two processes on PostgreSQL: exactly
one payment per bill stands, the other office gets FEE_BILL_SETTLED, and the receipts are
numbered 1…n without a gap."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[3]


def _worker(url: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.services.fees.race_worker", args[0], url, *args[1:]],
        cwd=ROOT,
        env={**os.environ, "RS_DATABASE_URL": url},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _answer(process: subprocess.Popen[str]) -> Any:
    out, err = process.communicate(timeout=180)
    assert process.returncode == 0, err[-3000:]
    return json.loads(out.strip().splitlines()[-1])


async def test_two_offices_paying_the_same_bills_at_once(pg_url: str, tmp_path: Path) -> None:
    seeded = _answer(_worker(pg_url, "seed"))
    bills = seeded["bills"]
    assert len(bills) == 12
    rounds = json.dumps(bills)
    go = tmp_path / "go"
    offices = []
    for n, staff_id in enumerate(seeded["staff"]):
        ready = tmp_path / f"ready-{n}"
        offices.append((ready, _worker(pg_url, "pay", str(staff_id), str(ready), str(go), rounds)))
    deadline = time.monotonic() + 120
    while not all(ready.exists() for ready, _ in offices):
        assert time.monotonic() < deadline, "the offices never got ready"
        await asyncio.sleep(0.02)
    go.write_text("go")
    outcomes = [_answer(process)["outcomes"] for _, process in offices]
    for index in range(len(bills)):
        per_bill = sorted(office[index] for office in outcomes)
        assert per_bill[0] == "FEE_BILL_SETTLED" and per_bill[1].startswith("ok:"), per_bill
    checked = _answer(_worker(pg_url, "check"))
    assert checked["problems"] == []
    assert checked["receipts"] == list(range(1, 13)) and checked["counter"] == [12]
    assert checked["paid"] == checked["amounts"]
