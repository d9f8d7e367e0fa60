"""The background jobs keep running when one of them fails."""

from __future__ import annotations

import asyncio

import pytest

from services import jobs


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
