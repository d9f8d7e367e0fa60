"""Hypothesis drives random sequences of award, deduct, redeem, cancel, expire (redemptions and
points), reverse, expiry policy changes and replay through the engine and checks the ledger's
invariants after every step, among them that every member's lots hold exactly the balance."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from datetime import UTC, datetime
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from tortoise import Tortoise, connections

from models.enums import Role
from models.ledger import AccountKind, PointAccount, PointLot, PointTransfer
from models.rewards import Redemption, RedemptionStatus, Reward, RewardKind
from points_engine import earning, expiry, redemption, rules
from points_engine.audit import check_ledger
from points_engine.errors import ErrorCode, PointsError
from points_engine.rules import ExpiryMode, ExpiryPolicy
from runtime import clock
from tests.support.people import make_neighbourhood, make_person

T = TypeVar("T")
INITIAL_STOCK = {0: 3, 1: 1}
COSTS = {0: 10, 1: 25}
# Errors the engine may answer with for a random but well-formed request; anything else fails.
EXPECTED = {
    ErrorCode.INSUFFICIENT_POINTS,
    ErrorCode.OUT_OF_STOCK,
    ErrorCode.ALREADY_REVERSED,
    ErrorCode.NOT_REVERSIBLE,
    ErrorCode.REDEMPTION_CLOSED,
    ErrorCode.ALREADY_FULFILLED,
    ErrorCode.IDEMPOTENCY_KEY_REUSED,
}


async def _empty_tables() -> None:
    conn = connections.get("default")
    tables = [m._meta.db_table for m in Tortoise.apps["models"].values() if m._meta.db_table != "aerich"]
    if conn.capabilities.dialect == "postgres":
        await conn.execute_script(
            f"TRUNCATE {', '.join(repr(t).replace(chr(39), chr(34)) for t in tables)} CASCADE"
        )
    else:
        script = "".join(f'DELETE FROM "{t}";' for t in tables)
        await conn.execute_script(f"PRAGMA foreign_keys=OFF;{script}PRAGMA foreign_keys=ON;")


class Ledger(RuleBasedStateMachine):
    loop: asyncio.AbstractEventLoop
    moving: clock.MovableClock

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(work, self.loop).result()

    def attempt(self, work: Coroutine[Any, Any, Any]) -> Any:
        try:
            return self.run(work)
        except PointsError as exc:
            assert exc.code in EXPECTED, exc.code
            return None

    @initialize()
    def setup(self) -> None:
        async def build() -> None:
            await _empty_tables()
            place = await make_neighbourhood()
            self.community_id = place.community.id
            self.staff = (await make_person(place.community, (Role.STAFF,))).user.id
            self.members = [(await make_person(place.community)).user.id for _ in range(3)]
            await rules.update(
                self.community_id, self.staff, expiry=ExpiryPolicy(ExpiryMode.AFTER_DAYS, days=45)
            )
            now = clock.now()
            self.rewards = [
                (
                    await Reward.create(
                        community_id=self.community_id,
                        kind=RewardKind.GIFT,
                        name=f"gift {i}",
                        cost=COSTS[i],
                        stock=INITIAL_STOCK[i],
                        created_at=now,
                        updated_at=now,
                    )
                ).id
                for i in (0, 1)
            ]

        self.run(build())

    @rule(
        member=st.integers(0, 2), amount=st.integers(1, 40), key=st.sampled_from("abcde"), award=st.booleans()
    )
    def manual(self, member: int, amount: int, key: str, award: bool) -> None:
        self.attempt(
            earning.manual(
                self.community_id, self.staff, self.members[member], amount, "test", key, award=award
            )
        )

    @rule(member=st.integers(0, 2), report=st.integers(1, 6))
    def earn_report(self, member: int, report: int) -> None:
        self.attempt(earning.report_validated(self.community_id, report, self.members[member]))

    @rule(member=st.integers(0, 2), reward=st.integers(0, 1), key=st.sampled_from("pqrs"))
    def redeem(self, member: int, reward: int, key: str) -> None:
        self.attempt(redemption.redeem(self.community_id, self.members[member], self.rewards[reward], key))

    @rule(pick=st.integers(0, 20), by_staff=st.booleans())
    def cancel(self, pick: int, by_staff: bool) -> None:
        async def work() -> None:
            rows = await Redemption.filter(community_id=self.community_id).order_by("id")
            if rows:
                row = rows[pick % len(rows)]
                await redemption.close(
                    row, RedemptionStatus.CANCELLED, self.staff if by_staff else row.user_id
                )

        self.attempt(work())

    @rule(pick=st.integers(0, 20))
    def fulfil(self, pick: int) -> None:
        async def work() -> None:
            rows = await Redemption.filter(community_id=self.community_id).order_by("id")
            if rows:
                await redemption.fulfil(rows[pick % len(rows)], self.staff)

        self.attempt(work())

    @rule(days=st.integers(1, 40))
    def expire(self, days: int) -> None:
        self.moving.advance(days=days)
        self.run(redemption.expire_due())

    @rule(days=st.integers(0, 60))
    def expire_points(self, days: int) -> None:
        self.moving.advance(days=days)
        before = self.run(_expired_total(self.community_id))
        done = self.run(expiry.expire_all())
        assert self.run(_expired_total(self.community_id)) == before + done.points
        assert self.run(expiry.expire_all()).points == 0, "a second run right after changes nothing"

        async def due() -> bool:
            return await PointLot.filter(remaining__gt=0, expires_at__lte=clock.now()).exists()

        assert not self.run(due()), "an expiry run leaves nothing past its date"

    @rule(mode=st.sampled_from(list(ExpiryMode)), years=st.integers(0, 2), days=st.integers(1, 90))
    def change_expiry_policy(self, mode: ExpiryMode, years: int, days: int) -> None:
        self.run(rules.update(self.community_id, self.staff, expiry=ExpiryPolicy(mode, years, days)))

    @rule(pick=st.integers(0, 40))
    def reverse(self, pick: int) -> None:
        async def work() -> None:
            rows = await PointTransfer.filter(community_id=self.community_id).order_by("id")
            if rows:
                await earning.staff_reverse(self.community_id, self.staff, rows[pick % len(rows)].id, "test")

        self.attempt(work())

    @rule(report=st.integers(1, 6))
    def reject_report(self, report: int) -> None:
        self.run(earning.report_rejected(self.community_id, report, self.staff))

    @invariant()
    def ledger_adds_up(self) -> None:
        if not hasattr(self, "community_id"):
            return

        async def check() -> None:
            _, problems = await check_ledger()
            assert problems == [], problems
            keys = await PointTransfer.all().values_list("source_key", flat=True)
            # Lots: never below zero, and a member's lots hold exactly the balance.
            assert not await PointLot.filter(remaining__lt=0).exists()
            for account in await PointAccount.filter(kind=AccountKind.MEMBER):
                held = await PointLot.filter(account_id=account.id).values_list("remaining", flat=True)
                assert sum(int(n) for n in held) == account.balance  # type: ignore[call-overload]
            assert len(keys) == len(set(keys))
            for index, reward_id in enumerate(self.rewards):
                reward = await Reward.get(id=reward_id)
                assert reward.stock is not None and reward.stock >= 0
                live = await Redemption.filter(
                    reward_id=reward_id, status__in=[RedemptionStatus.PENDING, RedemptionStatus.FULFILLED]
                ).count()
                assert reward.stock + live == INITIAL_STOCK[index]
            # Every closed redemption was refunded exactly once, every live one charged once.
            for row in await Redemption.filter(community_id=self.community_id):
                refunded = await PointTransfer.exists(source_key=f"redemption:{row.id}:refund")
                assert refunded == (row.status in (RedemptionStatus.CANCELLED, RedemptionStatus.EXPIRED))
                assert await PointTransfer.exists(source_key=f"redemption:{row.id}")

        self.run(check())


async def _expired_total(community_id: int) -> int:
    amounts = await PointTransfer.filter(community_id=community_id, kind="expiry").values_list(
        "amount", flat=True
    )
    return sum(int(a) for a in amounts)  # type: ignore[call-overload]


async def test_random_sequences_keep_the_ledger_sound() -> None:
    loop = asyncio.get_running_loop()
    moving = clock.MovableClock(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))
    previous = clock.use_clock(moving)

    class Machine(Ledger):
        pass

    Machine.loop = loop
    Machine.moving = moving
    try:
        await asyncio.to_thread(
            run_state_machine_as_test,
            Machine,
            settings=settings(
                max_examples=25,
                stateful_step_count=30,
                deadline=None,
                suppress_health_check=list(HealthCheck),
            ),
        )
    finally:
        clock.use_clock(previous)
