"""A patrol's finding that asks for a repair opens a real repair report at its place.

Subscribed to `patrol.finding_recorded`, so the report is filed inside the transaction that logs
the patrol: the log, its findings and their reports commit (or roll back) together, and the
report's id is written back onto the finding.

Decisions:
- The reporter is the volunteer who logged the patrol, filing as themselves (not as a proxy for
  anyone): they saw it, they hear of its progress, they confirm the fix.
- The resident's hourly rate limit does not apply: one patrol may walk past ten broken lamps, and
  the log (checked, idempotent, written only by someone who took part) is the bound. Such reports
  do not count towards the volunteer's own limit either (services.reports._rate_check).
- When the place already has an active report of the category, the finding is linked to that
  report instead of failing the whole log: the repair is already on its way.
"""

from __future__ import annotations

from models.enums import ReportCategory
from models.teams import PatrolFinding
from services import reports
from services.access import load_viewer
from services.errors import DuplicateReport
from services.events import DomainEvent, subscribe, unsubscribe
from services.teams.activities import PLACE_MODELS

EVENT = "patrol.finding_recorded"


async def on_finding_recorded(event: DomainEvent) -> None:
    data = event.data
    assert event.actor_user_id is not None, "a finding is always logged by someone"
    viewer = await load_viewer(event.actor_user_id)
    place = await PLACE_MODELS[str(data["place_type"])].get(id=int(data["place_id"]))
    try:
        filed = await reports.file_report(
            viewer,
            place,
            ReportCategory(str(data.get("category") or ReportCategory.OTHER)),
            str(data["description"]),
            rate_limited=False,
        )
        report_id = filed.report.id
    except DuplicateReport as duplicate:
        report_id = duplicate.existing_report_id
    await PatrolFinding.filter(id=int(data["finding_id"])).update(report_id=report_id)


def install() -> None:
    subscribe(EVENT, on_finding_recorded)


def uninstall() -> None:
    unsubscribe(EVENT, on_finding_recorded)
