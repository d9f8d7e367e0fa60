"""Ten reports an hour per account, counted in the database so every server process agrees."""

from __future__ import annotations

from models.enums import ReportCategory
from models.reports import Report
from runtime.clock import MovableClock
from tests.support.reports import CANCEL, ReportsApi, make_cast

CATEGORIES = [c.name for c in ReportCategory]


async def test_the_eleventh_report_in_an_hour_waits(
    reports_api: ReportsApi, moved_clock: MovableClock
) -> None:
    cast = await make_cast()
    for i in range(10):
        report = await reports_api.create(cast, category=CATEGORIES[i])
        assert report["errors"] == [], i
        # Cancel so the next one is not a duplicate; cancelled reports still count.
        await reports_api.move(CANCEL, cast.resident, reportId=report["report"]["id"])
        moved_clock.advance(minutes=5)  # the first was filed 50 minutes before the eleventh

    eleventh = await reports_api.create(cast, category="OTHER", text="第十一个")
    assert [e["code"] for e in eleventh["errors"]] == ["RATE_LIMITED"]
    assert eleventh["retryAfterSeconds"] == 10 * 60
    assert await Report.all().count() == 10

    # Another account is not affected, and staff taking calls are exempt.
    assert (await reports_api.create(cast, person=cast.neighbour, category="SNOW_ICE"))["errors"] == []

    moved_clock.advance(minutes=10)
    later = await reports_api.create(cast, category="PARKING")
    assert later["errors"] == []


async def test_staff_taking_calls_are_not_limited(reports_api: ReportsApi) -> None:
    cast = await make_cast()
    for i in range(11):
        report = await reports_api.create(
            cast, person=cast.staff, category=CATEGORIES[i % 10], text=f"电话 {i}"
        )
        assert report["errors"] == [], i
        await reports_api.move(CANCEL, cast.staff, reportId=report["report"]["id"])
