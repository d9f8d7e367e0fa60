"""A separate process for the races of test_payment_race.py: `seed URL [paid|waived]` (paid: each
bill paid, every other one in full, the rest in part; waived: each bill waived), `pay URL
STAFF_ID READY GO BILLS`, `reduce URL STAFF_ID READY GO BILLS` (a hardship reduction for each
bill's household), `waive URL STAFF_ID READY GO BILLS`, `reverse URL STAFF_ID READY GO BILLS`
(each bill's payment reversed), `undo URL STAFF_ID READY GO BILLS` (each bill's waiver undone),
`check URL`. Each prints one JSON line."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from models.enums import Role
from models.fees import (
    AdjustmentKind,
    FeeBill,
    FeeBillAdjustment,
    FeePaymentLine,
    FeeReceipt,
    FeeReceiptCounter,
    PaymentMethod,
)
from models.places import Household
from runtime.database import close_database, open_database
from runtime.migrations import upgrade
from services.access import load_viewer
from services.errors import DomainError
from services.fees import adjustments, billing, payments, reductions
from services.fees.check import check_fees
from tests.services.fees.support import fee_world
from tests.support.people import make_person

T = TypeVar("T")


# A pause before a reduction's or a reversal's transaction commits (RS_RACE_HOLD_MS): each would
# otherwise take a few ms and one office soon runs ahead; held open, the two overlap bill by bill.
HOLD_SECONDS = float(os.environ.get("RS_RACE_HOLD_MS", "0")) / 1000
PART_FEN = 5000  # what a bill "paid in part" got: less than any bill here asks


async def seed(url: str, paid: bool = False, waived: bool = False) -> dict[str, object]:
    await upgrade(url)
    await open_database(url)
    world = await fee_world()
    second_office = await make_person(world.place.community, (Role.STAFF,), name="张出纳")
    for number in range(303, 313):  # a dozen households, so the offices collide bill after bill
        await Household.create(
            community_id=world.community_id,
            entrance=world.place.entrance,
            number=str(number),
            area_m2="88.00",
        )
    await billing.issue(world.staff_viewer, world.community_id, date(2026, 11, 23))
    bills = await FeeBill.filter(community_id=world.community_id).order_by("id")
    for index, bill in enumerate(bills if paid else []):
        amount = bill.amount_fen if index % 2 == 0 else PART_FEN
        await payments.record(
            world.staff_viewer,
            bill.household_id,
            bill_ids=[bill.id],
            amount_fen=amount,
            method=PaymentMethod.CASH,
        )
    for bill in bills if waived else []:
        await adjustments.waive(world.staff_viewer, bill.id, reason="居委会决定免收")
    return {
        "staff": [world.staff.user.id, second_office.user.id],
        "bills": [[b.id, b.household_id, b.amount_fen] for b in bills],
    }


def _wait_for(go: Path) -> None:
    """Blocking on purpose: nothing else runs in this process until the start."""
    while not go.exists():
        time.sleep(0.002)


async def pay(url: str, staff_id: int, ready: Path, go: Path, bills: list[list[int]]) -> dict[str, object]:
    await open_database(url)
    viewer = await load_viewer(staff_id)
    await FeeBill.all().count()  # the connection is open before the start
    ready.write_text("ready")
    _wait_for(go)
    outcomes: list[str] = []
    for bill_id, household_id, amount in bills:
        try:
            done = await payments.record(
                viewer, household_id, bill_ids=[bill_id], amount_fen=amount, method=PaymentMethod.CASH
            )
            outcomes.append(f"ok:{done.payment.id}")
        except DomainError as exc:
            outcomes.append(str(exc.code))
    return {"outcomes": outcomes}


def _meet(ready: Path, index: int) -> None:
    """Both offices start each bill together (they hold their transactions open: see HOLD_SECONDS)."""
    (ready.parent / f"{ready.name}.{index}").write_text("here")
    deadline = time.monotonic() + 60
    while len(list(ready.parent.glob(f"ready-*.{index}"))) < 2:
        assert time.monotonic() < deadline, "the other office never came"
        time.sleep(0.001)


def _held(work: Callable[..., Awaitable[T]]) -> Callable[..., Awaitable[T]]:
    async def held(*args: Any, **kwargs: Any) -> T:
        done = await work(*args, **kwargs)
        await asyncio.sleep(HOLD_SECONDS)
        return done

    return held


async def adjust(
    url: str, mode: str, staff_id: int, ready: Path, go: Path, bills: list[list[int]]
) -> dict[str, object]:
    """The other office, at the same moment as `pay` (or as `reduce`): reduces, waives or
    reverses the payment of the same bills in order."""
    await open_database(url)
    viewer = await load_viewer(staff_id)
    homes = {h.id: h for h in await Household.filter(id__in=[b[1] for b in bills])}
    paid_by = dict(
        await FeePaymentLine.filter(bill_id__in=[b[0] for b in bills]).values_list("bill_id", "payment_id")
    )
    if HOLD_SECONDS:
        adjustments.reduce_issued = _held(adjustments.reduce_issued)  # type: ignore[method-assign]
        adjustments.reduce_reopened = _held(adjustments.reduce_reopened)  # type: ignore[method-assign]
    ready.write_text("ready")
    _wait_for(go)
    outcomes: list[str] = []
    for index, (bill_id, household_id, _) in enumerate(bills):
        if HOLD_SECONDS:
            _meet(ready, index)
        try:
            if mode == "reduce":
                granted = await reductions.set_reduction(
                    viewer,
                    homes[household_id],
                    percent=50,
                    valid_from=date(2026, 1, 1),
                    valid_until=None,
                    note="困难家庭",
                )
                outcomes.append(f"reduced:{len(granted.adjusted)}")
            elif mode == "reverse":
                await payments.reverse(viewer, paid_by[bill_id], reason="收错了")
                outcomes.append("reversed")
            elif mode == "undo":
                await adjustments.undo_waiver(viewer, bill_id, reason="照常收费")
                outcomes.append("undone")
            else:
                await adjustments.waive(viewer, bill_id, reason="居委会决定免收")
                outcomes.append("waived")
        except DomainError as exc:
            outcomes.append(str(exc.code))
    return {"outcomes": outcomes}


async def check(url: str) -> dict[str, object]:
    await open_database(url)
    checked = await check_fees()
    return {
        "problems": [p.message for p in checked.problems],
        "receipts": sorted(await FeeReceipt.all().values_list("number", flat=True)),
        "counter": list(await FeeReceiptCounter.all().values_list("last_number", flat=True)),
        "paid": list(await FeeBill.all().order_by("id").values_list("paid_fen", flat=True)),
        "amounts": list(await FeeBill.all().order_by("id").values_list("amount_fen", flat=True)),
        "states": list(await FeeBill.all().order_by("id").values_list("state", flat=True)),
        "reductions": list(await FeeBill.all().order_by("id").values_list("reduction_fen", flat=True)),
        "entries": list(
            await FeeBillAdjustment.all().order_by("bill_id", "id").values_list("bill_id", "amount_fen")
        ),
        "reduction_entries": list(
            await FeeBillAdjustment.filter(kind=AdjustmentKind.REDUCTION)
            .order_by("bill_id", "id")
            .values_list("bill_id", "amount_fen")
        ),
    }


async def main(argv: list[str]) -> None:
    mode, url = argv[0], argv[1]
    try:
        if mode == "seed":
            answer = await seed(url, paid=argv[2:] == ["paid"], waived=argv[2:] == ["waived"])
        elif mode == "pay":
            answer = await pay(url, int(argv[2]), Path(argv[3]), Path(argv[4]), json.loads(argv[5]))
        elif mode in ("reduce", "waive", "reverse", "undo"):
            answer = await adjust(url, mode, int(argv[2]), Path(argv[3]), Path(argv[4]), json.loads(argv[5]))
        else:
            answer = await check(url)
    finally:
        await close_database()
    print(json.dumps(answer))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
