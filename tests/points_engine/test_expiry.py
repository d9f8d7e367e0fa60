"""Expiry and lots without GraphQL: oldest points spent first, expiry takes exactly what is left
of expired earnings, refunds and reversals put points back where they came from."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from tortoise import connections

from models.enums import Role
from models.ledger import AccountKind, PointAccount, PointLot, PointTransfer, TransferKind
from models.rewards import Redemption, RedemptionStatus, Reward, RewardKind
from points_engine import accounts, earning, expiry, lots, redemption, rules, statements
from points_engine.audit import check_ledger
from points_engine.errors import ErrorCode, PointsError
from points_engine.rules import ExpiryMode, ExpiryPolicy
from runtime.clock import MovableClock
from runtime.settings import Settings
from tests.support.people import make_neighbourhood, make_person

# End of the calendar year after the one earned in, midnight in Shanghai (UTC+8).
END_OF_2027 = datetime(2027, 12, 31, 16, 0, tzinfo=UTC)
END_OF_2028 = datetime(2028, 12, 31, 16, 0, tzinfo=UTC)
YEAR_AFTER = ExpiryPolicy(ExpiryMode.END_OF_YEAR, 1)


async def _community(
    policy: ExpiryPolicy | None = YEAR_AFTER,
) -> tuple[int, int, int]:
    place = await make_neighbourhood()
    staff = await make_person(place.community, (Role.STAFF,))
    member = await make_person(place.community)
    if policy is not None:
        await rules.update(place.community.id, staff.user.id, expiry=policy)
    return place.community.id, staff.user.id, member.user.id


async def _award(cid: int, staff: int, uid: int, amount: int, key: str) -> PointTransfer:
    return (await earning.manual(cid, staff, uid, amount, "help", key, award=True)).transfer


async def _deduct(cid: int, staff: int, uid: int, amount: int, key: str) -> PointTransfer:
    return (await earning.manual(cid, staff, uid, amount, "fix", key, award=False)).transfer


async def _reward(cid: int, cost: int) -> int:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    row = await Reward.create(
        community_id=cid, kind=RewardKind.GIFT, name="rice", cost=cost, created_at=now, updated_at=now
    )
    return row.id


async def _remaining(uid: int, cid: int) -> list[int]:
    account = await accounts.member_account(cid, uid, create=False)
    assert account is not None
    return [int(lot.remaining) for lot in await PointLot.filter(account_id=account.id).order_by("id")]


async def _sound() -> None:
    _, problems = await check_ledger()
    assert problems == []


async def test_points_never_expire_unless_the_community_says_so(moved_clock: MovableClock) -> None:
    cid, staff, uid = await _community(policy=None)
    await _award(cid, staff, uid, 50, "a")
    moved_clock.advance(days=5000)
    assert await expiry.expire_all() == expiry.ExpiryRun(0, 0, 0)
    assert await statements.balance(cid, uid) == 50
    assert (await PointLot.get()).expires_at is None


async def test_end_of_the_year_after_spends_oldest_first_and_expires_exactly_what_is_left(
    moved_clock: MovableClock,
) -> None:
    cid, staff, uid = await _community()
    await _award(cid, staff, uid, 30, "2026-a")  # 2026-11-23
    await _award(cid, staff, uid, 20, "2026-b")
    moved_clock.set(datetime(2027, 3, 1, 2, 0, tzinfo=UTC))
    await _award(cid, staff, uid, 40, "2027")
    account = await accounts.member_account(cid, uid, create=False)
    assert account is not None
    assert await lots.upcoming(account.id, 10) == [(END_OF_2027, 50), (END_OF_2028, 40)]

    reward_id = await _reward(cid, 35)
    await redemption.redeem(cid, uid, reward_id, "r1")  # takes 30 + 5 of 2026's points
    assert await _remaining(uid, cid) == [0, 15, 40]
    assert await lots.upcoming(account.id, 10) == [(END_OF_2027, 15), (END_OF_2028, 40)]

    moved_clock.set(END_OF_2027.replace(second=1))
    done = await expiry.expire_all()
    assert done == expiry.ExpiryRun(members=1, transfers=1, points=15)
    assert await expiry.expire_all() == expiry.ExpiryRun(0, 0, 0), "a second run changes nothing"
    expired = await PointTransfer.get(kind=TransferKind.EXPIRY)
    sink = await accounts.system_account(cid, AccountKind.EXPIRY)
    assert expired.debit_id == account.id and expired.credit_id == sink.id and expired.amount == 15
    assert expired.memo == "15 points earned 2026-11-23 expired"
    assert await statements.balance(cid, uid) == 40
    assert await _remaining(uid, cid) == [0, 0, 40]
    assert (await statements.economy(cid)).expired == 15
    await _sound()


async def test_after_days_and_a_policy_change_keeps_what_was_earned(moved_clock: MovableClock) -> None:
    cid, staff, uid = await _community(policy=ExpiryPolicy(ExpiryMode.AFTER_DAYS, days=30))
    await _award(cid, staff, uid, 10, "a")
    await rules.update(cid, staff, expiry=ExpiryPolicy())  # expiry turned off again
    await _award(cid, staff, uid, 7, "b")
    moved_clock.advance(days=30)
    assert (await expiry.expire_all()).points == 10
    assert await statements.balance(cid, uid) == 7


async def test_a_refund_puts_points_back_into_their_own_lots_and_old_ones_still_expire(
    moved_clock: MovableClock,
) -> None:
    cid, staff, uid = await _community()
    await _award(cid, staff, uid, 30, "old")
    moved_clock.set(datetime(2027, 6, 1, tzinfo=UTC))
    await _award(cid, staff, uid, 30, "new")
    reward_id = await _reward(cid, 40)
    done = await redemption.redeem(cid, uid, reward_id, "r")
    assert await _remaining(uid, cid) == [0, 20]
    moved_clock.set(datetime(2028, 1, 5, tzinfo=UTC))  # the old points' date has passed meanwhile
    await redemption.close(done.redemption, RedemptionStatus.CANCELLED, uid)
    assert await _remaining(uid, cid) == [30, 30]
    # Redeeming and cancelling does not make old points new: they expire at the next run.
    assert (await expiry.expire_all()).points == 30
    assert await statements.balance(cid, uid) == 30
    await _sound()


async def test_a_lot_refilled_after_it_expired_expires_again_under_its_own_key(
    moved_clock: MovableClock,
) -> None:
    cid, staff, uid = await _community(policy=ExpiryPolicy(ExpiryMode.AFTER_DAYS, days=10))
    await _award(cid, staff, uid, 30, "a")
    await _award(cid, staff, uid, 30, "b")
    reward_id = await _reward(cid, 40)
    done = await redemption.redeem(cid, uid, reward_id, "r")  # 30 of a, 10 of b
    moved_clock.advance(days=11)
    assert (await expiry.expire_all()).points == 20
    await redemption.close(done.redemption, RedemptionStatus.EXPIRED, None)
    assert await _remaining(uid, cid) == [30, 10]
    assert (await expiry.expire_all()).points == 40
    keys = (
        await PointTransfer.filter(kind=TransferKind.EXPIRY)
        .order_by("id")
        .values_list("source_key", flat=True)
    )
    assert len(keys) == 2 and keys[1] == f"{keys[0]}:2"
    assert await statements.balance(cid, uid) == 0
    await _sound()


async def test_reversing_an_earning_takes_its_own_lot_first_and_undoing_a_deduction_restores_lots(
    moved_clock: MovableClock,
) -> None:
    cid, staff, uid = await _community()
    await _award(cid, staff, uid, 20, "a")
    second = await _award(cid, staff, uid, 15, "b")
    await earning.staff_reverse(cid, staff, second.id, "entered twice")
    assert await _remaining(uid, cid) == [20, 0], "the reversed award's own points go, not the oldest"

    await _award(cid, staff, uid, 10, "c")
    deducted = await _deduct(cid, staff, uid, 25, "d")
    assert await _remaining(uid, cid) == [0, 0, 5]
    await earning.staff_reverse(cid, staff, deducted.id, "deducted by mistake")
    assert await _remaining(uid, cid) == [20, 0, 10]
    await _sound()


async def test_a_rejected_report_takes_back_what_is_left(moved_clock: MovableClock) -> None:
    cid, staff, uid = await _community()
    await _award(cid, staff, uid, 3, "a")
    await earning.report_validated(cid, 7, uid)  # 5 points
    await _deduct(cid, staff, uid, 6, "d")  # 3 of the award, 3 of the report
    await earning.report_rejected(cid, 7, staff)
    assert await statements.balance(cid, uid) == 0
    assert await _remaining(uid, cid) == [0, 0]
    await _sound()


async def test_bad_expiry_policies_are_refused(moved_clock: MovableClock) -> None:
    cid, staff, _ = await _community(policy=None)
    for policy in (
        ExpiryPolicy(ExpiryMode.END_OF_YEAR, years_after=-1),
        ExpiryPolicy(ExpiryMode.AFTER_DAYS, days=0),
    ):
        with pytest.raises(PointsError) as caught:
            await rules.update(cid, staff, expiry=policy)
        assert caught.value.code == ErrorCode.INVALID_RULES
    assert (await rules.current(cid)).version == 0


def _cli(settings: Settings, command: str) -> subprocess.CompletedProcess[str]:
    # The English wording is asserted; the Chinese default is tests/runtime/test_cli.py's.
    env = {**os.environ, "RS_DATABASE_URL": settings.database_url, "RS_LANGUAGE": "en"}
    return subprocess.run(
        [sys.executable, "-m", "cli.main", command], env=env, capture_output=True, text=True, timeout=60
    )


async def test_the_cli_expires_points_and_ledger_check_catches_lots_out_of_step(
    moved_clock: MovableClock, settings: Settings
) -> None:
    cid, staff, uid = await _community(policy=ExpiryPolicy(ExpiryMode.AFTER_DAYS, days=1))
    # The CLI runs on the real clock: points earned "in 2026-11" of the test clock are long due
    # only if the test clock is in the past, so earn them two days before now.
    moved_clock.set(datetime.now(UTC).replace(microsecond=0) - timedelta(days=2))
    await _award(cid, staff, uid, 12, "a")
    run = _cli(settings, "expire-points")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "expired 12 point(s) of 1 member(s)" in run.stdout
    assert await statements.balance(cid, uid) == 0
    again = _cli(settings, "expire-points")
    assert "expired 0 point(s)" in again.stdout

    await _award(cid, staff, uid, 5, "b")
    assert _cli(settings, "ledger-check").returncode == 0
    account = await PointAccount.get(kind=AccountKind.MEMBER)
    await connections.get("default").execute_query(
        f"UPDATE point_lot SET remaining = remaining + 1 WHERE account_id = {account.id} AND remaining > 0"
    )
    broken = _cli(settings, "ledger-check")
    assert broken.returncode == 1
    assert f"member account {account.id} holds 5 but its lots hold 6" in broken.stdout
    assert "but its moves leave 5" in broken.stdout
    assert await Redemption.all().count() == 0
