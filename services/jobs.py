"""The periodic chores of a community, as one list: each server runs them in the background and
`redsteward run-jobs` runs them once (for cron, or a machine without a server).

Every job is idempotent and safe to run in several processes at once (conditional updates and
unique source keys decide who does each thing), so no leader election is needed: running more
often only costs a few queries.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

log = logging.getLogger("redsteward.jobs")


@dataclass(frozen=True)
class Job:
    name: str
    every_seconds: float
    run: Callable[[], Awaitable[object]]


async def _report_clocks() -> object:
    from services.reports.clocks import run_clock_tick

    return await run_clock_tick()


async def _close_attendances() -> object:
    from services.teams.attendance import close_overdue

    return await close_overdue()


async def _expire_redemptions() -> object:
    from services.points import expire_due

    return await expire_due()


async def _expire_points() -> object:
    from services.points import expire_points

    return await expire_points()


async def _close_months() -> object:
    from services.corridor_flag import close_due

    return await close_due()


async def _issue_fee_bills() -> object:
    from services.fees.billing import issue_all_due

    return await issue_all_due()


async def _forget_expired() -> object:
    from services import idempotency, rate_limits

    return {
        "idempotency-records": await idempotency.forget_expired(),
        "rate-counters": await rate_limits.forget_expired(),
    }


def periodic_jobs(report_clock_seconds: float) -> list[Job]:
    """Report clocks at the configured pace (claim clocks are 30 minutes, so a minute matters);
    the rest are measured in hours or days and run every few minutes."""
    return [
        Job("report-clocks", report_clock_seconds, _report_clocks),
        Job("close-attendances", 300, _close_attendances),
        Job("expire-redemptions", 900, _expire_redemptions),
        Job("expire-points", 3600, _expire_points),
        Job("close-months", 3600, _close_months),
        Job("issue-fee-bills", 3600, _issue_fee_bills),
        Job("forget-expired", 3600, _forget_expired),
    ]


async def run_once(jobs: list[Job]) -> dict[str, object]:
    results: dict[str, object] = {}
    for job in jobs:
        results[job.name] = await job.run()
    return results


async def run_forever(job: Job) -> None:
    while True:
        await asyncio.sleep(job.every_seconds)
        try:
            await job.run()
        except Exception:
            # The next round tries again; one failing job must not stop the others or the server.
            log.exception("background job failed", extra={"job": job.name})


def start(jobs: list[Job]) -> list[asyncio.Task[None]]:
    return [
        asyncio.create_task(run_forever(job), name=f"job:{job.name}") for job in jobs if job.every_seconds > 0
    ]
