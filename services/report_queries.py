"""Reading reports: the access check every report goes through, and the lists people work from.

Any member of a report's community may read it: the community's account is public. Who
reported it is shown in full to staff and to the reporter, as initials to everyone else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from tortoise.expressions import Q, RawSQL
from tortoise.queryset import QuerySet

from models.enums import Role, TagTargetKind
from models.people import User
from models.reports import ACTIVE_STATES, Report, ReportMeToo, ReportState
from runtime import clock
from services.access import UserName, Viewer
from services.errors import DomainError, ErrorCode, Forbidden
from services.paging import Page


class ReportQueue(StrEnum):
    UNCLAIMED = "unclaimed"  # open, nobody has claimed it (repairers and staff)
    OVERDUE = "overdue"  # a clock has run out (staff)
    ESCALATED = "escalated"  # active and escalated at least once (staff)


def _not_found(field: str | None = "reportId") -> DomainError:
    return DomainError(ErrorCode.NOT_FOUND, "No report has this id.", field)


async def get_report(viewer: Viewer, report_id: int, field: str | None = "reportId") -> Report:
    """Any member of the report's community may read it (the community's account is public)."""
    viewer.require_user()
    report = await Report.get_or_none(id=report_id)
    if report is None or not viewer.is_member(report.community_id):
        raise _not_found(field)
    return report


def is_reporter(viewer: Viewer, report: Report) -> bool:
    return viewer.user is not None and viewer.user.id in (report.reporter_id, report.proxy_for_id)


def sees_reporter(viewer: Viewer, report: Report) -> bool:
    """Staff and the reporter see who reported; everyone else sees initials."""
    return viewer.is_staff(report.community_id) or is_reporter(viewer, report)


def initials(name: str) -> str:
    name = name.strip()
    return (name[:1] + "**") if name else "**"


async def _page(
    query: QuerySet[Report], first: int, after_id: int | None, newest_first: bool
) -> Page[Report]:
    if after_id is not None:
        query = query.filter(id__lt=after_id) if newest_first else query.filter(id__gt=after_id)
    rows = await query.order_by("-id" if newest_first else "id").limit(first + 1)
    return Page(rows[:first], len(rows) > first)


def _mine(viewer: Viewer) -> QuerySet[Report]:
    me = viewer.user_id
    return Report.filter(Q(reporter_id=me) | Q(proxy_for_id=me))


async def my_reports(viewer: Viewer, first: int, after_id: int | None) -> Page[Report]:
    """Reports the viewer filed, or that were filed for them; newest first."""
    return await _page(_mine(viewer), first, after_id, newest_first=True)


async def my_report_count(viewer: Viewer) -> int:
    return await _mine(viewer).count()


def _queue(viewer: Viewer, community_id: int, queue: ReportQueue) -> QuerySet[Report]:
    if queue is ReportQueue.UNCLAIMED:
        viewer.require_member(community_id)
        if not viewer.has_role(community_id, Role.STAFF, Role.REPAIRER):
            raise Forbidden("Only the repair team and staff see the unclaimed orders.")
        return Report.filter(community_id=community_id, state=ReportState.OPEN)
    viewer.require_staff(community_id)
    if queue is ReportQueue.OVERDUE:
        now = clock.now()
        return Report.filter(
            Q(state=ReportState.OPEN, claim_due_at__lte=now)
            | Q(state__in=list(ACTIVE_STATES), resolve_due_at__lte=now),
            community_id=community_id,
        )
    return Report.filter(community_id=community_id, state__in=list(ACTIVE_STATES), escalation_level__gt=0)


async def queue_page(
    viewer: Viewer, community_id: int, queue: ReportQueue, first: int, after_id: int | None
) -> Page[Report]:
    """Oldest first: the order that has waited longest is the first to act on."""
    return await _page(_queue(viewer, community_id, queue), first, after_id, newest_first=False)


async def queue_count(viewer: Viewer, community_id: int, queue: ReportQueue) -> int:
    return await _queue(viewer, community_id, queue).count()


@dataclass(frozen=True)
class ReportsShown:
    """Reports with what their list shows of each beyond its row, read with the rows so the list's
    nested fields need not read them again: me-too counts, which ones the viewer joined (for a
    signed-in viewer), and the names of reporters and claimers by user id."""

    reports: tuple[Report, ...] = ()
    me_too_counts: Mapping[int, int] = field(default_factory=dict)
    me_too_by_viewer: frozenset[int] | None = None
    user_names: Mapping[int, UserName] = field(default_factory=dict)


def _shown(row: Report, name: str) -> Any:
    """A value the read annotated the row with (tortoise sets annotations as attributes)."""
    return getattr(row, f"shown_{name}")


def _name_of(column: str) -> RawSQL:
    users, reports = User._meta.db_table, Report._meta.db_table
    return RawSQL(f'(SELECT "display_name" FROM "{users}" WHERE "id" = "{reports}"."{column}")')  # noqa: S608 - names of the models only


async def active_reports_at_target(
    kind: TagTargetKind, target_id: int, viewer_id: int | None
) -> ReportsShown:
    """What is being handled exactly where a tag hangs: on its asset, or at its place itself
    (not at the places below it), the same notion of "here" as the duplicate check. Oldest first."""
    below = {
        TagTargetKind.COMPOUND: {"building_id__isnull": True},
        TagTargetKind.BUILDING: {"entrance_id__isnull": True},
        TagTargetKind.ENTRANCE: {},
        TagTargetKind.ASSET: {},
    }[kind]
    me_toos, reports = ReportMeToo._meta.db_table, Report._meta.db_table
    # Correlated subqueries rather than joins: one row per report, and the count stays one
    # statement however long the list. Only ints and the models' names are formatted in.
    of_report = f'FROM "{me_toos}" WHERE "{me_toos}"."report_id" = "{reports}"."id"'
    extras: dict[str, RawSQL] = {
        "shown_me_too_count": RawSQL(f"(SELECT COUNT(*) {of_report})"),
        "shown_reporter_name": _name_of("reporter_id"),
        "shown_claimer_name": _name_of("claimed_by_id"),
    }
    if viewer_id is not None:
        extras["shown_me_too_mine"] = RawSQL(
            f'(SELECT COUNT(*) {of_report} AND "{me_toos}"."user_id" = {int(viewer_id)})'
        )
    rows = (
        await Report.filter(**{f"{kind.value}_id": target_id}, **below, state__in=list(ACTIVE_STATES))
        .annotate(**extras)
        .order_by("id")
    )
    names: dict[int, UserName] = {}
    for row in rows:
        for user_id, name in (
            (row.reporter_id, _shown(row, "reporter_name")),
            (row.claimed_by_id, _shown(row, "claimer_name")),
        ):
            if user_id is not None and name is not None:
                names[user_id] = UserName(id=user_id, display_name=name)
    return ReportsShown(
        reports=tuple(rows),
        me_too_counts={row.id: int(_shown(row, "me_too_count")) for row in rows},
        me_too_by_viewer=(
            frozenset(row.id for row in rows if _shown(row, "me_too_mine")) if viewer_id is not None else None
        ),
        user_names=names,
    )


async def active_reports_at(
    community_id: int, compound_id: int, building_id: int | None, entrance_id: int | None
) -> list[Report]:
    """What is already being handled at exactly this place (for a scanned tag)."""
    return await Report.filter(
        community_id=community_id,
        compound_id=compound_id,
        building_id=building_id,
        entrance_id=entrance_id,
        state__in=list(ACTIVE_STATES),
    ).order_by("id")
