"""Races between two processes on PostgreSQL (`select_for_update` does nothing on SQLite). Two
offices pay the same bills at the same moment: exactly one payment per bill stands, the other
office gets FEE_BILL_SETTLED, and the receipts are numbered 1…n without a gap. One office pays
while the other grants the household a hardship reduction, or waives the bill: for each bill
exactly one of the two takes effect, the other sees it (FEE_OVERPAID, no reduction of a paid
bill, FEE_BILL_PAID), and fees-check finds nothing. One office reverses payments (or undoes
waivers) while the other grants the households a reduction: every bill ends reduced exactly
once, as if never paid (or never waived)."""

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


def _worker(url: str, *args: str, hold_ms: int = 0) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.services.fees.race_worker", args[0], url, *args[1:]],
        cwd=ROOT,
        env={**os.environ, "RS_DATABASE_URL": url, "RS_RACE_HOLD_MS": str(hold_ms)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _answer(process: subprocess.Popen[str]) -> Any:
    out, err = process.communicate(timeout=180)
    assert process.returncode == 0, err[-3000:]
    return json.loads(out.strip().splitlines()[-1])


async def _race(
    pg_url: str, tmp_path: Path, modes: tuple[str, str], *seeding: str, hold_ms: int = 0
) -> tuple[Any, list[list[str]]]:
    """Seed, start one process per mode (the two staff members), let them go at once."""
    seeded = _answer(_worker(pg_url, "seed", *seeding))
    bills = seeded["bills"]
    assert len(bills) == 12
    rounds = json.dumps(bills)
    go = tmp_path / "go"
    offices = []
    for n, (mode, staff_id) in enumerate(zip(modes, seeded["staff"], strict=True)):
        ready = tmp_path / f"ready-{n}"
        offices.append(
            (ready, _worker(pg_url, mode, str(staff_id), str(ready), str(go), rounds, hold_ms=hold_ms))
        )
    deadline = time.monotonic() + 120
    while not all(ready.exists() for ready, _ in offices):
        assert time.monotonic() < deadline, "the offices never got ready"
        await asyncio.sleep(0.02)
    go.write_text("go")
    return bills, [_answer(process)["outcomes"] for _, process in offices]


async def test_two_offices_paying_the_same_bills_at_once(pg_url: str, tmp_path: Path) -> None:
    bills, outcomes = await _race(pg_url, tmp_path, ("pay", "pay"))
    for index in range(len(bills)):
        per_bill = sorted(office[index] for office in outcomes)
        assert per_bill[0] == "FEE_BILL_SETTLED" and per_bill[1].startswith("ok:"), per_bill
    checked = _answer(_worker(pg_url, "check"))
    assert checked["problems"] == []
    assert checked["receipts"] == list(range(1, 13)) and checked["counter"] == [12]
    assert checked["paid"] == checked["amounts"]


async def test_a_payment_and_a_reduction_of_the_same_bill_at_once(pg_url: str, tmp_path: Path) -> None:
    bills, (paid, reduced) = await _race(pg_url, tmp_path, ("pay", "reduce"))
    checked = _answer(_worker(pg_url, "check"))
    assert checked["problems"] == []
    for index, (_, _, amount) in enumerate(bills):
        if paid[index].startswith("ok:"):
            # The payment came first: the reduction found the bill settled and left it.
            assert reduced[index] == "reduced:0", (index, paid[index], reduced[index])
            assert (checked["states"][index], checked["reductions"][index]) == ("paid", 0)
        else:
            # The reduction came first: the payment of the old amount was more than owed.
            assert (paid[index], reduced[index]) == ("FEE_OVERPAID", "reduced:1"), index
            assert checked["reductions"][index] == (amount * 50 + 50) // 100
            assert checked["states"][index] == "unpaid"
    assert checked["paid"] == [
        a if p.startswith("ok:") else 0 for (_, _, a), p in zip(bills, paid, strict=True)
    ]


async def test_a_payment_and_a_waiver_of_the_same_bill_at_once(pg_url: str, tmp_path: Path) -> None:
    _, (paid, waived) = await _race(pg_url, tmp_path, ("pay", "waive"))
    checked = _answer(_worker(pg_url, "check"))
    assert checked["problems"] == []
    for index, (payment, waiver) in enumerate(zip(paid, waived, strict=True)):
        if payment.startswith("ok:"):
            assert (waiver, checked["states"][index]) == ("FEE_BILL_PAID", "paid"), index
        else:
            assert (payment, waiver, checked["states"][index]) == ("FEE_BILL_SETTLED", "waived", "waived"), (
                index
            )


async def test_a_reversal_and_a_reduction_of_the_same_bill_at_once(pg_url: str, tmp_path: Path) -> None:
    """Each bill paid (in full or in part) is reversed while the household is granted 50%: in
    either order the bill ends as if never paid, reduced by exactly half once (the reduction is
    neither missed on a bill the reversal opened again, nor taken twice), its entries adding up.
    Each transaction is held open 30 ms before it commits, so the two overlap bill after bill."""
    bills, (reversed_, reduced) = await _race(pg_url, tmp_path, ("reverse", "reduce"), "paid", hold_ms=30)
    assert set(reversed_) == {"reversed"} and set(reduced) <= {"reduced:0", "reduced:1"}, (reversed_, reduced)
    checked = _answer(_worker(pg_url, "check"))
    assert checked["problems"] == []
    halves = [(amount * 50 + 50) // 100 for _, _, amount in bills]
    assert checked["reductions"] == halves
    assert checked["paid"] == [0] * len(bills) and set(checked["states"]) == {"unpaid"}
    assert checked["amounts"] == [amount - half for (_, _, amount), half in zip(bills, halves, strict=True)]
    taken: dict[int, int] = {}
    for bill_id, amount in checked["entries"]:
        taken[bill_id] = taken.get(bill_id, 0) + amount
    assert [taken.get(bill_id, 0) for bill_id, _, _ in bills] == halves


async def test_undoing_a_waiver_and_a_reduction_of_the_same_bill_at_once(pg_url: str, tmp_path: Path) -> None:
    """Each bill waived has its waiver undone while the household is granted 50%: in either order
    the bill ends owed again, reduced by exactly half once (by the reduction when the undoing
    came first, by the undoing when the reduction had passed the waived bill by), the waiver and
    its undoing standing as written. Transactions held open 30 ms, as above."""
    bills, (undone, reduced) = await _race(pg_url, tmp_path, ("undo", "reduce"), "waived", hold_ms=30)
    assert set(undone) == {"undone"} and set(reduced) <= {"reduced:0", "reduced:1"}, (undone, reduced)
    checked = _answer(_worker(pg_url, "check"))
    assert checked["problems"] == []
    halves = [(amount * 50 + 50) // 100 for _, _, amount in bills]
    assert checked["reductions"] == halves
    assert checked["paid"] == [0] * len(bills) and set(checked["states"]) == {"unpaid"}
    assert checked["amounts"] == [amount - half for (_, _, amount), half in zip(bills, halves, strict=True)]
    taken: dict[int, int] = {}
    for bill_id, amount in checked["reduction_entries"]:
        taken[bill_id] = taken.get(bill_id, 0) + amount
    assert [taken.get(bill_id, 0) for bill_id, _, _ in bills] == halves
