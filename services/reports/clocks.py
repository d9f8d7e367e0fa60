"""The clocks on a report: when it must be claimed and fixed, and what happens when it is not.

`run_clock_tick(now)` is the one job that enforces them. It is idempotent: every effect is a
conditional UPDATE that only one run can win (`… WHERE claim_escalated_at IS NULL`, `… WHERE
state = 'resolved'`), so the CLI, a server's background task and several servers at once can
all run it without escalating twice or confirming twice.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.enums import ReportCategory
from models.reports import ACTIVE_STATES, Report, ReportClockPolicy, ReportState
from runtime import clock
from runtime.i18n import N_
from services.access import Viewer
from services.errors import DomainError, ErrorCode

log = logging.getLogger("redsteward.clocks")

DEFAULT_CLAIM_MINUTES = 30
DEFAULT_RESOLVE_MINUTES = 48 * 60
AUTO_CONFIRM_AFTER = timedelta(days=7)
REOPEN_WINDOW = AUTO_CONFIRM_AFTER
MAX_CLOCK_MINUTES = 30 * 24 * 60


@dataclass(frozen=True)
class Clocks:
    claim_minutes: int
    resolve_minutes: int


async def clocks_for(community_id: int, category: ReportCategory) -> Clocks:
    """The category's own row wins over the community-wide row, which wins over the defaults."""
    rows = await ReportClockPolicy.filter(
        Q(category=category) | Q(category__isnull=True), community_id=community_id
    )
    rows.sort(key=lambda row: row.category is None)
    if rows:
        return Clocks(rows[0].claim_minutes, rows[0].resolve_minutes)
    return Clocks(DEFAULT_CLAIM_MINUTES, DEFAULT_RESOLVE_MINUTES)


async def set_clocks(
    viewer: Viewer,
    community_id: int,
    category: ReportCategory | None,
    claim_minutes: int,
    resolve_minutes: int,
) -> Clocks:
    viewer.require_staff(community_id)
    if not 1 <= claim_minutes <= MAX_CLOCK_MINUTES:
        raise DomainError(
            ErrorCode.INVALID_INPUT, N_("The claim clock must be 1 minute to 30 days."), "claimMinutes"
        )
    if not claim_minutes <= resolve_minutes <= MAX_CLOCK_MINUTES:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            N_("The resolution clock must be at least the claim clock and at most 30 days."),
            "resolveMinutes",
        )
    async with in_transaction():
        row = (
            await ReportClockPolicy.filter(community_id=community_id, category=category)
            .select_for_update()
            .first()
        )
        if row is None:
            await ReportClockPolicy.create(
                community_id=community_id,
                category=category,
                claim_minutes=claim_minutes,
                resolve_minutes=resolve_minutes,
                updated_at=clock.now(),
            )
        else:
            row.claim_minutes, row.resolve_minutes, row.updated_at = (
                claim_minutes,
                resolve_minutes,
                clock.now(),
            )
            await row.save()
    return Clocks(claim_minutes, resolve_minutes)


@dataclass(frozen=True)
class ClockedStep:
    """A clock of another workflow that moves like a report's (services.district's dispatch
    steps): `due(now)` lists the rows whose clock ran out, `act(row_id, now)` is its conditional
    move (escalate, hand over, confirm), True only for the one run that won it."""

    name: str
    due: Callable[[datetime], Awaitable[list[int]]]
    act: Callable[[int, datetime], Awaitable[bool]]


_steps: dict[str, ClockedStep] = {}


def register_step(step: ClockedStep) -> None:
    """Add a step to every clock tick; registering the same name again replaces it."""
    _steps[step.name] = step


def unregister_step(name: str) -> None:
    _steps.pop(name, None)


@dataclass
class TickResult:
    claim_escalations: int = 0
    resolve_escalations: int = 0
    auto_confirmed: int = 0
    # What the registered steps did, by step name.
    steps: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return (
            self.claim_escalations + self.resolve_escalations + self.auto_confirmed + sum(self.steps.values())
        )


async def run_clock_tick(now: datetime | None = None) -> TickResult:
    """Escalate every missed clock once and confirm every report resolved 7 days ago."""
    from services import reports  # the report workflow owns events and the timeline

    now = now or clock.now()
    result = TickResult()
    missed_claims: list[Any] = await Report.filter(
        state=ReportState.OPEN, claim_due_at__lte=now, claim_escalated_at__isnull=True
    ).values_list("id", flat=True)
    for report_id in missed_claims:
        if await reports.escalate(int(report_id), level=1, now=now):
            result.claim_escalations += 1
    missed_fixes: list[Any] = await Report.filter(
        state__in=list(ACTIVE_STATES), resolve_due_at__lte=now, resolve_escalated_at__isnull=True
    ).values_list("id", flat=True)
    for report_id in missed_fixes:
        if await reports.escalate(int(report_id), level=2, now=now):
            result.resolve_escalations += 1
    unconfirmed: list[Any] = await Report.filter(
        state=ReportState.RESOLVED, resolved_at__lte=now - AUTO_CONFIRM_AFTER
    ).values_list("id", flat=True)
    for report_id in unconfirmed:
        if await reports.auto_confirm(int(report_id), now=now):
            result.auto_confirmed += 1
    for step in list(_steps.values()):
        for row_id in await step.due(now):
            if await step.act(row_id, now):
                result.steps[step.name] = result.steps.get(step.name, 0) + 1
    if result.total:
        log.info(
            "clock tick",
            extra={
                "claim_escalations": result.claim_escalations,
                "resolve_escalations": result.resolve_escalations,
                "auto_confirmed": result.auto_confirmed,
                "steps": result.steps,
            },
        )
    return result
