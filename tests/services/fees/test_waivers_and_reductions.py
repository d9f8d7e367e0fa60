"""Waiving a bill (免收) and undoing it, and hardship reductions reaching bills already issued:
each an entry of the bill's history, the issued price untouched, receipts, arrears, reminders
and the collection rate right, fees-check clean; every refusal typed and writing nothing."""

from __future__ import annotations

from datetime import date

import pytest

from models.fees import AdjustmentKind, BillState, FeeBill, FeeBillAdjustment, FeeReminder
from runtime import clock
from runtime.i18n import CHINESE
from services.errors import DomainError, ErrorCode, Forbidden
from services.fees import adjustments, arrears, billing, payments, reductions, resident
from services.fees.adjustments import EntryKind
from services.fees.check import check_fees
from services.fees.collection_rate import Granularity, Scope, rates
from tests.services.fees.support import QUARTER_FEN, TODAY, FeeWorld, fee_world, pay, refused


async def _clean() -> None:
    assert (await check_fees()).problems == []


async def _period_rate(world: FeeWorld) -> tuple[int, int, int, int]:
    (row,) = await rates(world.community_id, "红星社区", 2026, Scope.COMMUNITY, Granularity.PERIOD)
    return row.households_billed, row.households_paid, row.billed_fen, row.collected_fen


# Waivers ---------------------------------------------------------------------------------------


async def test_a_waived_bill_leaves_arrears_reminders_and_the_rate(world: FeeWorld, bill: FeeBill) -> None:
    assert await _period_rate(world) == (2, 0, 2 * QUARTER_FEN, 0)
    done = await adjustments.waive(world.staff_viewer, bill.id, reason="孤寡老人，居委会决定免收")
    assert done.created and done.bill.state == BillState.WAIVED
    assert (done.bill.amount_fen, done.bill.gross_fen, done.bill.paid_fen) == (QUARTER_FEN, QUARTER_FEN, 0)
    assert (done.entry.kind, done.entry.amount_fen) == (AdjustmentKind.WAIVER, QUARTER_FEN)
    # Neither billed nor collected: the rate is the neighbour's alone.
    assert await _period_rate(world) == (1, 0, QUARTER_FEN, 0)
    listed = await arrears.list_for_office(world.staff_viewer, world.community_id)
    assert world.home.id not in {a.household_id for a in listed}
    assert await arrears.send_reminders(world.staff_viewer, world.community_id) == 0  # 302 has no account
    assert not await FeeReminder.exists(household_id=world.home.id)
    assert (await resident.my_fees(world.resident_viewer, world.community_id)).owed_fen == 0
    error = await refused(ErrorCode.FEE_BILL_SETTLED, pay(world, bill, 100))
    assert "免收" in error.text.render(CHINESE)
    await _clean()


async def test_undoing_a_waiver_is_an_entry_naming_it_and_the_bill_is_owed_again(
    world: FeeWorld, bill: FeeBill
) -> None:
    waived = await adjustments.waive(world.staff_viewer, bill.id, reason="困难")
    undone = await adjustments.undo_waiver(world.staff_viewer, bill.id, reason="误点了免收")
    assert undone.entry.reverses_id == waived.entry.id
    assert (undone.entry.kind, undone.entry.amount_fen) == (AdjustmentKind.WAIVER_UNDONE, QUARTER_FEN)
    assert undone.bill.state == BillState.UNPAID
    assert (await FeeBillAdjustment.get(id=waived.entry.id)).reason == "困难", "never edited"
    await refused(
        ErrorCode.NOT_REVERSIBLE, adjustments.undo_waiver(world.staff_viewer, bill.id, reason="再撤")
    )
    # Waived again later, and paid on the neighbour's bill: the history reads in order.
    await adjustments.waive(world.staff_viewer, bill.id, reason="重新研究，免收")
    _, entries = await adjustments.history(world.staff_viewer, bill.id)
    assert [(e.kind, e.reason, e.by) for e in entries] == [
        (EntryKind.WAIVER, "困难", "王会计"),
        (EntryKind.WAIVER_UNDONE, "误点了免收", "王会计"),
        (EntryKind.WAIVER, "重新研究，免收", "王会计"),
    ]
    await _clean()


async def test_a_paid_or_part_paid_bill_cannot_be_waived(world: FeeWorld, bill: FeeBill) -> None:
    await pay(world, bill, 1000)
    await refused(ErrorCode.FEE_BILL_PAID, adjustments.waive(world.staff_viewer, bill.id, reason="免收"))
    await pay(world, bill, QUARTER_FEN - 1000)
    await refused(ErrorCode.FEE_BILL_PAID, adjustments.waive(world.staff_viewer, bill.id, reason="免收"))
    await refused(ErrorCode.NOT_REVERSIBLE, adjustments.undo_waiver(world.staff_viewer, bill.id, reason="撤"))


@pytest.mark.parametrize("reason", ["", "   ", "理" * 201])
async def test_a_waiver_needs_its_reason(world: FeeWorld, bill: FeeBill, reason: str) -> None:
    error = await refused(
        ErrorCode.INVALID_INPUT, adjustments.waive(world.staff_viewer, bill.id, reason=reason)
    )
    assert error.field == "reason"


async def test_only_the_office_of_the_bills_community_may_waive(world: FeeWorld, bill: FeeBill) -> None:
    with pytest.raises(Forbidden):
        await adjustments.waive(world.resident_viewer, bill.id, reason="我家困难")
    other = await fee_world(slug="binhe", name="滨河社区")
    await refused(ErrorCode.NOT_FOUND, adjustments.waive(other.staff_viewer, bill.id, reason="免收"))
    await refused(ErrorCode.NOT_FOUND, adjustments.history(other.staff_viewer, bill.id))
    assert (await FeeBill.get(id=bill.id)).state == BillState.UNPAID


async def test_a_replayed_waiver_returns_the_first(world: FeeWorld, bill: FeeBill) -> None:
    first = await adjustments.waive(world.staff_viewer, bill.id, reason="免收", idempotency_key="w-1")
    again = await adjustments.waive(world.staff_viewer, bill.id, reason="免收", idempotency_key="w-1")
    assert (again.entry.id, again.created, again.bill.state) == (first.entry.id, False, BillState.WAIVED)
    assert await FeeBillAdjustment.all().count() == 1
    await refused(
        ErrorCode.IDEMPOTENCY_KEY_REUSED,
        adjustments.waive(world.staff_viewer, bill.id, reason="另一个原因", idempotency_key="w-1"),
    )
    # Without the key the second one is refused for what it is: waived already.
    await refused(ErrorCode.FEE_BILL_SETTLED, adjustments.waive(world.staff_viewer, bill.id, reason="免收"))


# Reductions reaching issued bills ---------------------------------------------------------------


async def test_a_reduction_now_reduces_the_issued_open_bills_of_its_window(world: FeeWorld) -> None:
    # Spring (paid in part), summer (paid in full) and the current quarter (unpaid), and the first
    # quarter, before the reduction's window.
    for day in (date(2026, 1, 1), date(2026, 4, 1), date(2026, 7, 1), TODAY):
        await billing.issue_due(world.community_id, day)
    bills = {b.period_label: b for b in await FeeBill.filter(household_id=world.home.id)}
    paid, part, current = bills["2026-07~2026-09"], bills["2026-04~2026-06"], bills["2026-10~2026-12"]
    await pay(world, paid, QUARTER_FEN)
    await pay(world, part, 5000)
    granted = await reductions.set_reduction(
        world.staff_viewer,
        world.home,
        percent=50,
        valid_from=date(2026, 4, 1),
        valid_until=None,
        note="低保户",
        idempotency_key="r-1",
    )
    half = (QUARTER_FEN * 50 + 50) // 100  # 3263, as a bill issued under it would carry
    assert [b.period_label for b in granted.adjusted] == ["2026-04~2026-06", "2026-10~2026-12"]
    after = {b.period_label: b for b in await FeeBill.filter(household_id=world.home.id)}
    # Paid in full: untouched (a refund is a reversal of the payment). Paid in part: reduced only
    # down to what was paid. Unpaid: reduced as if the reduction had been there at issue.
    assert (after["2026-07~2026-09"].reduction_fen, after["2026-07~2026-09"].amount_fen) == (0, QUARTER_FEN)
    assert (after["2026-04~2026-06"].reduction_fen, after["2026-04~2026-06"].amount_fen) == (
        QUARTER_FEN - 5000,
        5000,
    )
    assert after["2026-04~2026-06"].state == BillState.PAID
    assert (after["2026-10~2026-12"].reduction_fen, after["2026-10~2026-12"].amount_fen) == (
        half,
        QUARTER_FEN - half,
    )
    assert all(b.gross_fen == QUARTER_FEN and b.unit_price_fen == 30 for b in after.values()), "price kept"
    assert (after["2026-01~2026-03"].reduction_fen, after["2026-01~2026-03"].state) == (0, BillState.UNPAID)
    entries = await FeeBillAdjustment.filter(reduction_id=granted.reduction.id).order_by("bill_id")
    assert [(e.kind, e.amount_fen, e.reason) for e in entries] == [
        (AdjustmentKind.REDUCTION, QUARTER_FEN - 5000, ""),
        (AdjustmentKind.REDUCTION, half, ""),
    ], "the entry never carries the reduction's note (it may come from a care tag)"
    # What the household owes, the arrears and the rate follow; the next payment is the rest.
    mine = await resident.my_fees(world.resident_viewer, world.community_id)
    assert mine.owed_fen == QUARTER_FEN + (QUARTER_FEN - half)  # the first quarter, and the rest of this one
    await refused(ErrorCode.FEE_OVERPAID, pay(world, current, QUARTER_FEN))
    settled = await pay(world, current, QUARTER_FEN - half)
    assert (await FeeBill.get(id=current.id)).state == BillState.PAID and settled.created
    # A replay of the key returns the first reduction and the bills it reduced; nothing again.
    again = await reductions.set_reduction(
        world.staff_viewer,
        world.home,
        percent=50,
        valid_from=date(2026, 4, 1),
        valid_until=None,
        note="低保户",
        idempotency_key="r-1",
    )
    assert (again.reduction.id, again.created) == (granted.reduction.id, False)
    assert [b.id for b in again.adjusted] == [b.id for b in granted.adjusted]
    assert await FeeBillAdjustment.all().count() == 2
    await _clean()


async def test_a_reduction_reaches_only_the_periods_of_its_window_and_never_raises_a_bill(
    world: FeeWorld, bill: FeeBill
) -> None:
    later = await reductions.set_reduction(
        world.staff_viewer, world.home, percent=50, valid_from=date(2027, 1, 1), valid_until=None, note=""
    )
    assert later.adjusted == []
    bigger = await reductions.set_reduction(
        world.staff_viewer, world.home, percent=60, valid_from=date(2026, 1, 1), valid_until=None, note=""
    )
    smaller = await reductions.set_reduction(
        world.staff_viewer, world.home, percent=20, valid_from=date(2026, 1, 1), valid_until=None, note=""
    )
    assert [b.id for b in bigger.adjusted] == [bill.id] and smaller.adjusted == []
    assert (await FeeBill.get(id=bill.id)).reduction_fen == (QUARTER_FEN * 60 + 50) // 100
    # A waived bill is not reduced: it asks nothing already.
    neighbour = await FeeBill.get(household_id=world.place.households[1].id)
    await adjustments.waive(world.staff_viewer, neighbour.id, reason="免收")
    granted = await reductions.set_reduction(
        world.staff_viewer,
        await neighbour.household,
        percent=50,
        valid_from=date(2026, 1, 1),
        valid_until=None,
        note="",
    )
    assert granted.adjusted == [] and (await FeeBill.get(id=neighbour.id)).reduction_fen == 0
    await _clean()


async def _columns(household_id: int) -> dict[str, tuple[object, ...]]:
    bills = await FeeBill.filter(household_id=household_id)
    return {
        b.period_label: (b.gross_fen, b.discount_fen, b.reduction_fen, b.amount_fen, b.paid_fen, b.state)
        for b in bills
    }


async def test_a_reversed_payment_leaves_the_bill_as_if_it_had_never_been_made(
    world: FeeWorld, moved_clock: clock.MovableClock
) -> None:
    """A reduction granted after issue stops at what was paid (a bill paid in full gets nothing).
    Reversing the payment that stopped it gives the bill the rest, as a new entry naming the
    reduction: the home's bills then ask exactly what the neighbour's ask, whose same bills got
    the same reduction and the same payments but never the reversed ones."""
    home, neighbour = world.place.households[0], world.place.households[1]
    for day in (date(2026, 4, 1), date(2026, 7, 1), TODAY):
        await billing.issue_due(world.community_id, day)
    mine = {b.period_label: b for b in await FeeBill.filter(household_id=home.id)}
    theirs = {b.period_label: b for b in await FeeBill.filter(household_id=neighbour.id)}
    spring, summer, autumn = "2026-04~2026-06", "2026-07~2026-09", "2026-10~2026-12"
    part = await pay(world, mine[spring], 5000)  # paid in part: the reduction stops at 5000
    full = await pay(world, mine[summer], QUARTER_FEN)  # paid in full: the reduction passes it by
    await pay(world, mine[autumn], 4000)
    last = await pay(world, mine[autumn], 1000)  # reversed: 4000 paid stays, the cap moves to it
    await pay(world, theirs[autumn], 4000, household=neighbour)
    moved_clock.advance(minutes=5)
    for household in (home, neighbour):
        await reductions.set_reduction(
            world.staff_viewer, household, percent=50, valid_from=date(2026, 4, 1), valid_until=None, note=""
        )
    half = (QUARTER_FEN * 50 + 50) // 100
    capped = (await _columns(home.id))[spring]
    assert capped[2:] == (QUARTER_FEN - 5000, 5000, 5000, BillState.PAID)
    before = await FeeBillAdjustment.filter(bill__household_id=home.id).order_by("id")
    moved_clock.advance(minutes=5)

    undone = [
        await payments.reverse(world.staff_viewer, p.payment.id, reason="收错了", idempotency_key=f"v-{n}")
        for n, p in enumerate((part, full, last))
    ]
    assert await _columns(home.id) == await _columns(neighbour.id)
    assert (await _columns(home.id))[summer][2:] == (half, QUARTER_FEN - half, 0, BillState.UNPAID)
    assert (await _columns(home.id))[autumn][2:] == (QUARTER_FEN - 4000, 4000, 4000, BillState.PAID)
    # The entries written with the reduction stand as they were; each reversal added its own.
    after = await FeeBillAdjustment.filter(bill__household_id=home.id).order_by("id")
    assert [(e.id, e.amount_fen) for e in after[: len(before)]] == [(e.id, e.amount_fen) for e in before]
    added = {(e.bill_id, e.kind, e.amount_fen) for e in after[len(before) :]}
    assert added == {
        (mine[spring].id, AdjustmentKind.REDUCTION, half - (QUARTER_FEN - 5000)),
        (mine[summer].id, AdjustmentKind.REDUCTION, half),
        (mine[autumn].id, AdjustmentKind.REDUCTION, 1000),
    }
    # A replayed reversal returns the first and adds nothing; the bills now waive alike.
    again = await payments.reverse(
        world.staff_viewer, full.payment.id, reason="收错了", idempotency_key="v-1"
    )
    assert (again.payment.id, again.created) == (undone[1].payment.id, False)
    assert await FeeBillAdjustment.filter(bill__household_id=home.id).count() == len(after)
    waived = [
        await adjustments.waive(world.staff_viewer, bills[summer].id, reason="困难")
        for bills in (mine, theirs)
    ]
    assert waived[0].entry.amount_fen == waived[1].entry.amount_fen == QUARTER_FEN - half
    _, entries = await adjustments.history(world.staff_viewer, mine[spring].id)
    assert [(e.kind, e.amount_fen) for e in entries] == [
        (EntryKind.PAYMENT, 5000),
        (EntryKind.REDUCTION, QUARTER_FEN - 5000),
        (EntryKind.REVERSAL, 5000),
        (EntryKind.REDUCTION, half - (QUARTER_FEN - 5000)),
    ]
    await _clean()


async def test_a_reduction_granted_while_a_bill_is_waived_applies_when_the_waiver_is_undone(
    world: FeeWorld, moved_clock: clock.MovableClock
) -> None:
    """A reduction passes a waived bill by (it asks nothing). Undoing the waiver makes the bill
    owed again: it then asks what the neighbour's asks, whose same bill got the same reduction
    and was never waived, the reduction taken off as an entry of its own naming it; the waiver
    and its undoing stay as written, and waiving and undoing again changes nothing more."""
    home, neighbour = world.place.households[0], world.place.households[1]
    await billing.issue(world.staff_viewer, world.community_id, TODAY)
    mine = await FeeBill.get(household_id=home.id)
    # Given the home's bill waived, then both households granted 50% from the bill's quarter
    waived = await adjustments.waive(world.staff_viewer, mine.id, reason="孤寡老人，免收")
    moved_clock.advance(minutes=5)
    granted = {}
    for household in (home, neighbour):
        granted[household.id] = await reductions.set_reduction(
            world.staff_viewer, household, percent=50, valid_from=date(2026, 1, 1), valid_until=None, note=""
        )
    assert granted[home.id].adjusted == []  # the waived bill was passed by
    half = (QUARTER_FEN * 50 + 50) // 100
    moved_clock.advance(minutes=5)

    # When the office undoes the waiver
    undone = await adjustments.undo_waiver(world.staff_viewer, mine.id, reason="家属已接回，照常收费")

    # Then the bill asks what the neighbour's asks, and the answer says so
    assert await _columns(home.id) == await _columns(neighbour.id)
    assert (undone.bill.reduction_fen, undone.bill.amount_fen, undone.bill.state) == (
        half,
        QUARTER_FEN - half,
        BillState.UNPAID,
    )
    entries = await FeeBillAdjustment.filter(bill_id=mine.id).order_by("id")
    assert [(e.kind, e.amount_fen, e.reverses_id, e.reduction_id) for e in entries] == [
        (AdjustmentKind.WAIVER, QUARTER_FEN, None, None),
        (AdjustmentKind.WAIVER_UNDONE, QUARTER_FEN, waived.entry.id, None),
        (AdjustmentKind.REDUCTION, half, None, granted[home.id].reduction.id),
    ]
    assert (await resident.my_fees(world.resident_viewer, world.community_id)).owed_fen == QUARTER_FEN - half
    await _clean()
    # Waived again (the reduced amount) and undone again: the reduction is not taken twice
    again = await adjustments.waive(world.staff_viewer, mine.id, reason="重新研究，免收")
    assert again.entry.amount_fen == QUARTER_FEN - half
    await adjustments.undo_waiver(world.staff_viewer, mine.id, reason="照常收费")
    assert await _columns(home.id) == await _columns(neighbour.id)
    assert await FeeBillAdjustment.filter(bill_id=mine.id, kind=AdjustmentKind.REDUCTION).count() == 1
    await _clean()


async def test_a_refused_reduction_writes_nothing(world: FeeWorld, bill: FeeBill) -> None:
    for percent in (0, 101):
        await refused(
            ErrorCode.INVALID_INPUT,
            reductions.set_reduction(
                world.staff_viewer, world.home, percent=percent, valid_from=TODAY, valid_until=None, note=""
            ),
        )
    with pytest.raises(Forbidden):
        await reductions.set_reduction(
            world.resident_viewer, world.home, percent=50, valid_from=TODAY, valid_until=None, note=""
        )


async def test_fees_check_finds_a_waiver_or_a_reduction_done_by_hand(world: FeeWorld, bill: FeeBill) -> None:
    await FeeBill.filter(id=bill.id).update(state=BillState.WAIVED)
    neighbour = await FeeBill.get(household_id=world.place.households[1].id)
    await FeeBill.filter(id=neighbour.id).update(reduction_fen=100, amount_fen=QUARTER_FEN - 100)
    problems = [p.message for p in (await check_fees()).problems]
    assert any(f"bill {bill.id}: state waived" in p for p in problems), problems
    assert any(f"bill {neighbour.id}: reduction 100" in p for p in problems), problems


async def test_the_resident_does_not_see_the_waiver_history(world: FeeWorld, bill: FeeBill) -> None:
    await adjustments.waive(world.staff_viewer, bill.id, reason="低保户")
    with pytest.raises((Forbidden, DomainError)):
        await adjustments.history(world.resident_viewer, bill.id)
