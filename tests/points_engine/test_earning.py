"""Earning through domain events, as reports and activities will publish them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from tortoise.transactions import in_transaction

from models.enums import Role
from models.ledger import PointTransfer, TransferKind
from points_engine import rules, statements
from runtime.clock import MovableClock
from services import subscribers
from services.events import DomainEvent, publish
from services.points import wiring as points_wiring
from tests.support.people import make_neighbourhood, make_person


@pytest.fixture(autouse=True)
def wired() -> Iterator[None]:
    # Only the engine listens: these events are synthetic, with no report rows behind them
    # for the inbox subscriber to point at.
    subscribers.uninstall()
    points_wiring.register()
    yield
    points_wiring.unregister()


async def _event(
    name: str, community_id: int, subject_id: int, actor: int | None = None, **data: Any
) -> None:
    async with in_transaction():
        await publish(DomainEvent(name, community_id, subject_id, actor, data))


async def test_attendance_pays_base_plus_minutes_above_the_minimum(moved_clock: MovableClock) -> None:
    place = await make_neighbourhood()
    cid = place.community.id
    volunteer = await make_person(place.community, (Role.VOLUNTEER,))
    uid = volunteer.user.id
    await _event("attendance.approved", cid, 1, None, user_id=uid, minutes=90, activity_kind="patrol")
    await _event("attendance.approved", cid, 1, None, user_id=uid, minutes=90, activity_kind="patrol")
    await _event("attendance.approved", cid, 2, None, user_id=uid, minutes=20, activity_kind="patrol")
    assert await statements.balance(cid, uid) == 10 + 90
    transfer = await PointTransfer.get(source_key="attendance:1")
    assert transfer.rule_version == 0 and not transfer.by_hand


async def test_a_new_rules_version_prices_new_earnings_and_old_ones_keep_theirs(
    moved_clock: MovableClock,
) -> None:
    place = await make_neighbourhood()
    cid = place.community.id
    uid = (await make_person(place.community)).user.id
    await _event("report.claimed", cid, 5, None, reporter_user_id=uid)
    changed = await rules.update(cid, None, report_validated=8)
    assert changed.version == 1
    await _event("report.claimed", cid, 6, None, reporter_user_id=uid)
    await _event("report.resolved", cid, 6, None, reporter_user_id=uid)  # already paid for report 6
    paid = {t.source_key: (t.amount, t.rule_version) for t in await PointTransfer.all()}
    assert paid["report:5:validated"] == (5, 0)
    assert paid["report:6:validated"] == (8, 1)


async def test_a_repair_pays_its_clock_bonus_and_a_good_rating(moved_clock: MovableClock) -> None:
    place = await make_neighbourhood()
    cid = place.community.id
    repairer = (await make_person(place.community, (Role.REPAIRER,))).user.id
    reporter = (await make_person(place.community)).user.id
    await _event("report.resolved", cid, 9, repairer, reporter_user_id=reporter, within_clock=True)
    await _event("report.resolved", cid, 10, repairer, reporter_user_id=reporter, within_clock=False)
    # resolving alone credits the repairer nothing; the confirmation does
    assert await statements.balance(cid, repairer) == 0
    await _event("report.confirmed", cid, 9, reporter, repairer_user_id=repairer, rating=5, within_clock=True)
    await _event(
        "report.confirmed", cid, 10, reporter, repairer_user_id=repairer, rating=3, within_clock=False
    )
    assert await statements.balance(cid, repairer) == (20 + 10) + 10 + 20
    assert await statements.balance(cid, reporter) == 5 + 5


async def test_a_fix_that_confirms_itself_pays_the_repairer_without_a_rating_bonus(
    moved_clock: MovableClock,
) -> None:
    place = await make_neighbourhood()
    cid = place.community.id
    repairer = (await make_person(place.community, (Role.REPAIRER,))).user.id
    await _event(
        "report.confirmed",
        cid,
        11,
        None,
        repairer_user_id=repairer,
        rating=None,
        within_clock=True,
        auto=True,
    )
    assert await statements.balance(cid, repairer) == 20 + 10


async def test_the_daily_cap_counts_the_community_day(moved_clock: MovableClock) -> None:
    place = await make_neighbourhood()
    cid = place.community.id
    cleaner = (await make_person(place.community, (Role.CLEANER,))).user.id
    await rules.update(cid, None, inspection=15, daily_caps={"inspection": 40})
    for inspection in range(1, 5):
        await _event("inspection.recorded", cid, inspection, cleaner)
    assert await statements.balance(cid, cleaner) == 40  # 15 + 15 + 10 (capped) + nothing
    # 02:00 UTC is 10:00 in Shanghai; 16:00 UTC is already the next day there.
    moved_clock.advance(hours=14)
    await _event("inspection.recorded", cid, 5, cleaner)
    assert await statements.balance(cid, cleaner) == 55


async def test_a_multiplier_doubles_snow_shifts_only_in_its_window(moved_clock: MovableClock) -> None:
    place = await make_neighbourhood()
    cid = place.community.id
    uid = (await make_person(place.community, (Role.VOLUNTEER,))).user.id
    now = moved_clock.now()
    storm = rules.Multiplier(
        TransferKind.ATTENDANCE, 200, now - timedelta(hours=1), now + timedelta(hours=48), "snow_shift"
    )
    await rules.update(cid, None, multipliers=[storm])
    await _event("attendance.approved", cid, 1, None, user_id=uid, minutes=60, activity_kind="snow_shift")
    await _event("attendance.approved", cid, 2, None, user_id=uid, minutes=60, activity_kind="patrol")
    moved_clock.advance(days=3)
    await _event("attendance.approved", cid, 3, None, user_id=uid, minutes=60, activity_kind="snow_shift")
    amounts = {t.source_key: t.amount for t in await PointTransfer.all()}
    assert amounts == {"attendance:1": 140, "attendance:2": 70, "attendance:3": 70}


async def test_a_rejected_report_takes_back_what_it_paid_and_only_what_is_left(
    moved_clock: MovableClock,
) -> None:
    place = await make_neighbourhood()
    cid = place.community.id
    reporter = (await make_person(place.community)).user.id
    await _event("report.claimed", cid, 3, None, reporter_user_id=reporter)
    await _event("report.rejected", cid, 3, None)
    await _event("report.rejected", cid, 3, None)
    assert await statements.balance(cid, reporter) == 0
    reversal = await PointTransfer.get(kind=TransferKind.REVERSAL)
    assert reversal.reverses_id == (await PointTransfer.get(source_key="report:3:validated")).id


async def test_an_event_for_someone_outside_the_community_pays_nobody_and_does_not_fail(
    moved_clock: MovableClock,
) -> None:
    place = await make_neighbourhood()
    outsider = (await make_person(None)).user.id
    await _event("report.claimed", place.community.id, 4, None, reporter_user_id=outsider)
    await _event("report.claimed", place.community.id, 4, None)
    assert await PointTransfer.all().count() == 0
