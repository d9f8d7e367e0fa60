"""The clocks: 30 minutes to claim, 48 hours to fix, 7 days to confirm — moved by hand, never slept."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from models.reports import Report, ReportEvent, ReportEventKind
from runtime import clock
from runtime.clock import MovableClock
from runtime.settings import Settings
from services.events import DomainEvent
from services.reports.clocks import run_clock_tick
from tests.support.people import Person
from tests.support.reports import CLAIM, CONFIRM, Cast, ReportsApi, make_cast

QUEUE = """
query Queue($community: ID!, $queue: ReportQueue!) {
  reportQueue(communityId: $community, queue: $queue) { totalCount nodes { id escalationLevel } }
}"""
SET_CLOCKS = """
mutation Set($input: ReportClocksSetInput!) {
  reportClocksSet(input: $input) { clocks { category claimMinutes resolveMinutes } errors { code field } }
}"""


async def queue(reports_api: ReportsApi, cast: Cast, name: str, person: Person | None = None) -> list[str]:
    data = await reports_api.api.data(
        QUEUE, {"community": cast.community_id, "queue": name}, (person or cast.staff).token
    )
    return [node["id"] for node in data["reportQueue"]["nodes"]]


async def read(reports_api: ReportsApi, cast: Cast, report_id: str) -> dict[str, Any]:
    report = await reports_api.read(report_id, cast.staff)
    assert report is not None
    return report


async def test_a_report_nobody_claims_escalates_once_per_level(
    reports_api: ReportsApi, moved_clock: MovableClock, published: list[DomainEvent]
) -> None:
    cast = await make_cast()
    report_id = (await reports_api.create(cast))["report"]["id"]
    assert await queue(reports_api, cast, "UNCLAIMED", cast.repairer) == [report_id]

    moved_clock.advance(minutes=29)
    assert (await run_clock_tick()).total == 0
    assert await queue(reports_api, cast, "OVERDUE") == []

    moved_clock.advance(minutes=2)
    first = await run_clock_tick()
    again = await run_clock_tick()
    assert (first.claim_escalations, again.total) == (1, 0)
    report = await read(reports_api, cast, report_id)
    assert report["escalationLevel"] == 1
    assert await queue(reports_api, cast, "OVERDUE") == [report_id]
    assert await queue(reports_api, cast, "ESCALATED") == [report_id]

    moved_clock.advance(hours=48)
    second = await run_clock_tick()
    assert (second.claim_escalations, second.resolve_escalations) == (0, 1)
    assert (await run_clock_tick()).total == 0
    report = await read(reports_api, cast, report_id)
    assert report["escalationLevel"] == 2
    escalations = [e for e in report["timeline"]["nodes"] if e["kind"] == "ESCALATED"]
    assert [(e["escalationLevel"], e["actorName"]) for e in escalations] == [(1, None), (2, None)]
    assert [e.data["escalation_level"] for e in published if e.name == "report.escalated"] == [1, 2]


async def test_a_claimed_report_escalates_only_when_its_fix_is_late(
    reports_api: ReportsApi, moved_clock: MovableClock
) -> None:
    cast = await make_cast()
    on_time = (await reports_api.create(cast))["report"]["id"]
    late = (await reports_api.create(cast, category="PLUMBING"))["report"]["id"]
    for report_id in (on_time, late):
        await reports_api.move(CLAIM, cast.repairer, reportId=report_id)
    moved_clock.advance(hours=47)
    await reports_api.resolve(on_time, cast.repairer)
    moved_clock.advance(hours=2)
    result = await run_clock_tick()
    assert (result.claim_escalations, result.resolve_escalations) == (0, 1)
    assert (await read(reports_api, cast, on_time))["escalationLevel"] == 0
    assert (await read(reports_api, cast, late))["escalationLevel"] == 2
    assert await queue(reports_api, cast, "ESCALATED") == [late]


async def test_a_fix_nobody_answers_confirms_itself_after_seven_days(
    reports_api: ReportsApi, moved_clock: MovableClock, published: list[DomainEvent]
) -> None:
    cast = await make_cast()
    report_id = (await reports_api.create(cast))["report"]["id"]
    await reports_api.move(CLAIM, cast.repairer, reportId=report_id)
    await reports_api.resolve(report_id, cast.repairer)
    moved_clock.advance(days=7)
    moved_clock.advance(seconds=-1)
    assert (await run_clock_tick()).auto_confirmed == 0
    moved_clock.advance(seconds=1)
    assert (await run_clock_tick()).auto_confirmed == 1
    assert (await run_clock_tick()).total == 0

    report = await read(reports_api, cast, report_id)
    assert (report["state"], report["autoConfirmed"], report["rating"]) == ("CONFIRMED", True, None)
    assert report["timeline"]["nodes"][-1]["kind"] == "AUTO_CONFIRMED"
    confirmed = [e for e in published if e.name == "report.confirmed"]
    assert len(confirmed) == 1
    assert confirmed[0].data["auto"] is True
    assert confirmed[0].data["repairer_user_id"] == cast.repairer.user.id
    assert confirmed[0].data["within_clock"] is True
    late = await reports_api.move(CONFIRM, cast.resident, reportId=report_id, rating=5)
    assert [e["code"] for e in late["errors"]] == ["INVALID_TRANSITION"]


async def test_staff_set_the_clocks_per_community_and_category(
    reports_api: ReportsApi, moved_clock: MovableClock
) -> None:
    cast = await make_cast()
    everything = {"communityId": cast.community_id, "claimMinutes": 60, "resolveMinutes": 1440}
    lamps = {**everything, "category": "LIGHTING", "claimMinutes": 10, "resolveMinutes": 120}
    denied = await reports_api.api.post(SET_CLOCKS, {"input": everything}, cast.repairer.token)
    assert [e["extensions"]["code"] for e in denied["errors"]] == ["FORBIDDEN"]
    bad = await reports_api.api.data(
        SET_CLOCKS, {"input": {**everything, "resolveMinutes": 5}}, cast.staff.token
    )
    assert bad["reportClocksSet"]["errors"] == [{"code": "INVALID_INPUT", "field": "resolveMinutes"}]
    for clocks in (everything, lamps):
        set_ = await reports_api.api.data(SET_CLOCKS, {"input": clocks}, cast.staff.token)
        assert set_["reportClocksSet"]["errors"] == []

    await reports_api.create(cast)  # lighting
    await reports_api.create(cast, category="PLUMBING")
    now = clock.now()
    dues = {
        row["category"]: (row["claim_due_at"] - now, row["resolve_due_at"] - now)
        for row in await Report.all().values("category", "claim_due_at", "resolve_due_at")
    }
    assert dues == {
        "lighting": (timedelta(minutes=10), timedelta(minutes=120)),
        "plumbing": (timedelta(minutes=60), timedelta(minutes=1440)),
    }


async def test_redsteward_tick_runs_the_same_job(
    reports_api: ReportsApi, moved_clock: MovableClock, settings: Settings
) -> None:
    """The CLI works on the wall clock: file a report 31 minutes in the wall clock's past."""
    cast = await make_cast()
    moved_clock.set(datetime.now(UTC) - timedelta(minutes=31))
    report_id = (await reports_api.create(cast))["report"]["id"]
    env = {**os.environ, "RS_DATABASE_URL": settings.database_url}
    run = [sys.executable, "-m", "cli.main", "tick"]
    first = subprocess.run(run, env=env, capture_output=True, text=True, timeout=60)
    second = subprocess.run(run, env=env, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    assert "接单超时上报 1 张" in first.stdout
    assert "接单超时上报 0 张，维修超时上报 0 张，自动确认 0 张" in second.stdout
    assert (await read(reports_api, cast, report_id))["escalationLevel"] == 1
    assert await ReportEvent.filter(kind=ReportEventKind.ESCALATED).count() == 1
