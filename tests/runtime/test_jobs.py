"""The background jobs keep running when one of them fails, and housekeeping forgets only what expired."""

from __future__ import annotations

import asyncio

import pytest

from models.guards import IdempotencyRecord, RateCounter
from runtime.clock import MovableClock
from services import idempotency, jobs, rate_limits
from tests.support.people import make_neighbourhood, make_person


async def test_a_failing_job_is_logged_and_tried_again(caplog: pytest.LogCaptureFixture) -> None:
    calls = 0

    async def flaky() -> object:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("database went away")
        return "ok"

    tasks = jobs.start([jobs.Job("flaky", 0.01, flaky), jobs.Job("off", 0, flaky)])
    await asyncio.sleep(0.1)
    for task in tasks:
        task.cancel()

    assert len(tasks) == 1  # a job with no interval is not started
    assert calls >= 2
    assert any(r.getMessage() == "background job failed" and r.job == "flaky" for r in caplog.records)  # type: ignore[attr-defined]


async def test_the_housekeeping_job_forgets_only_expired_retry_records_and_closed_rate_windows(
    moved_clock: MovableClock,
) -> None:
    place = await make_neighbourhood()
    person = await make_person(place.community)
    await idempotency.remember(person.user.id, "old", "reportCreate", "h", 1)
    await rate_limits.check("signIn", "13900000001", "10.0.0.1")  # two counters: account and address
    moved_clock.advance(hours=23, minutes=59)
    await idempotency.remember(person.user.id, "new", "reportCreate", "h", 2)
    await rate_limits.check("signIn", "13900000001", "10.0.0.1")  # a new 10-minute window
    forget = [job for job in jobs.periodic_jobs(60) if job.name == "forget-expired"]

    assert await jobs.run_once(forget) == {"forget-expired": {"idempotency-records": 0, "rate-counters": 2}}
    assert await RateCounter.all().count() == 2  # the open windows keep counting
    moved_clock.advance(minutes=1)  # the first record is 24 h old, the second window still open
    assert await jobs.run_once(forget) == {"forget-expired": {"idempotency-records": 1, "rate-counters": 0}}
    assert [r.key for r in await IdempotencyRecord.all()] == ["new"]
    assert await RateCounter.all().count() == 2
