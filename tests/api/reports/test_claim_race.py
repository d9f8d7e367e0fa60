"""Two repairers tap "claim" at the same moment: exactly one gets the order.

Runs against the suite's database, so the PostgreSQL pass (`make test-pg`) races real
concurrent transactions on separate pool connections, and the SQLite pass races its writer lock.
"""

from __future__ import annotations

import asyncio

from models.enums import Role
from models.reports import Report, ReportEvent, ReportEventKind
from runtime.database import dialect
from tests.support.people import make_person
from tests.support.reports import CLAIM, ReportsApi, make_cast


async def test_of_several_simultaneous_claims_exactly_one_wins(reports_api: ReportsApi) -> None:
    cast = await make_cast()
    claimers = [cast.repairer, cast.repairer2] + [
        await make_person(cast.place.community, (Role.REPAIRER,), name=f"师傅{i}") for i in range(2)
    ]
    report_ids = []
    for category in ("LIGHTING", "PLUMBING", "ELECTRICAL", "SANITATION", "OTHER"):
        report_ids.append((await reports_api.create(cast, category=category))["report"]["id"])

    for report_id in report_ids:
        answers = await asyncio.gather(
            *(reports_api.move(CLAIM, person, reportId=report_id) for person in claimers)
        )
        winners = [a for a in answers if a["errors"] == []]
        losers = [a for a in answers if a["errors"] != []]
        assert len(winners) == 1, (dialect(), answers)
        assert {e["code"] for a in losers for e in a["errors"]} == {"ALREADY_CLAIMED"}
        winner_name = winners[0]["report"]["claimedBy"]["displayName"]
        assert winner_name in {p.user.display_name for p in claimers}

    assert await ReportEvent.filter(kind=ReportEventKind.CLAIMED).count() == len(report_ids)
    claimed_by = await Report.all().values_list("claimed_by_id", flat=True)
    assert all(uid is not None for uid in claimed_by)


async def test_the_winner_retrying_its_claim_gets_the_order_again(reports_api: ReportsApi) -> None:
    cast = await make_cast()
    report_id = (await reports_api.create(cast))["report"]["id"]
    first = await reports_api.move(CLAIM, cast.repairer, reportId=report_id)
    again = await reports_api.move(CLAIM, cast.repairer, reportId=report_id)
    assert first["errors"] == again["errors"] == []
    assert await ReportEvent.filter(kind=ReportEventKind.CLAIMED).count() == 1
