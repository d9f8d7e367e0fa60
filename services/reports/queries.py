"""Reading reports: the access check every report goes through, and the lists people work from.

Any member of a report's community may read it: the community's account is public. Who
reported it is shown in full to staff and to the reporter, as initials to everyone else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from models.enums import Role, TagTargetKind
from models.people import User
from models.reports import ACTIVE_STATES, Report, ReportMeToo, ReportState
from runtime import clock
from runtime.i18n import N_
from services.access import UserName, Viewer
from services.errors import DomainError, ErrorCode, Forbidden
from services.paging import Page


class ReportQueue(StrEnum):
    UNCLAIMED = "unclaimed"  # open, nobody has claimed it (repairers and staff)
    OVERDUE = "overdue"  # a clock has run out (staff)
    ESCALATED = "escalated"  # active and escalated at least once (staff)


def _not_found(field: str | None = "reportId") -> DomainError:
    return DomainError(ErrorCode.NOT_FOUND, N_("No report has this id."), field)


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
            raise Forbidden(N_("Only the repair team and staff see the unclaimed orders."))
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
class SqlPart:
    """A piece of a raw statement and the values of its placeholders, in order."""

    sql: str
    params: list[Any]


@dataclass(frozen=True)
class ReportsShown:
    """Reports with what their list shows of each beyond its row, read with the rows so the list's
    nested fields need not read them again: me-too counts, which ones the viewer joined (for a
    signed-in viewer), and the names of reporters and claimers by user id."""

    reports: tuple[Report, ...] = ()
    me_too_counts: Mapping[int, int] = field(default_factory=dict)
    me_too_by_viewer: frozenset[int] | None = None
    user_names: Mapping[int, UserName] = field(default_factory=dict)


def active_at_tag_sql(tag: str, report: str, placeholder: Callable[[int], str], first: int) -> SqlPart:
    """The join condition that pairs the tag aliased `tag` with the reports being handled exactly
    where it hangs: on its asset, or at its place itself (not at the places below it), the same
    notion of "here" as the duplicate check. Its parameters are numbered from `first` on.

    Same community (a report's is its place's) and an active state first: the (community,
    state) index finds the few rows the place columns are then checked on; the tag's own target
    column is the only one of its four that is set, so exactly one arm can match."""
    states = list(ACTIVE_STATES)
    kinds = [TagTargetKind.COMPOUND, TagTargetKind.BUILDING, TagTargetKind.ENTRANCE, TagTargetKind.ASSET]
    p = [placeholder(first + i) for i in range(len(states) + len(kinds))]
    state_list = ", ".join(p[: len(states)])
    compound, building, entrance, asset = p[len(states) :]
    sql = (
        f'{report}."community_id" = {tag}."community_id" AND {report}."state" IN ({state_list}) AND ('
        f'({tag}."target_kind" = {compound} AND {report}."compound_id" = {tag}."compound_id" '
        f'AND {report}."building_id" IS NULL) '
        f'OR ({tag}."target_kind" = {building} AND {report}."building_id" = {tag}."building_id" '
        f'AND {report}."entrance_id" IS NULL) '
        f'OR ({tag}."target_kind" = {entrance} AND {report}."entrance_id" = {tag}."entrance_id") '
        f'OR ({tag}."target_kind" = {asset} AND {report}."asset_id" = {tag}."asset_id"))'
    )
    return SqlPart(sql, [state.value for state in states] + [kind.value for kind in kinds])


def shown_columns_sql(report: str, viewer_placeholder: str) -> str:
    """Every column of the report aliased `report`, as "r__<column>", and what its list shows of
    it beyond its row as "shown__<what>": correlated subqueries rather than joins, so there is one
    row per report however many me-toos it has. The parameter is the viewer's user id or NULL."""
    me_toos, users = ReportMeToo._meta.db_table, User._meta.db_table
    of_report = f'FROM "{me_toos}" mt WHERE mt."report_id" = {report}."id"'

    def name_of(column: str) -> str:
        return f'(SELECT u."display_name" FROM "{users}" u WHERE u."id" = {report}."{column}")'  # noqa: S608 - names only

    columns = [f'{report}."{c}" AS "r__{c}"' for c in Report._meta.fields_db_projection.values()]
    return ", ".join(
        [
            *columns,
            f'(SELECT COUNT(*) {of_report}) AS "shown__me_too_count"',
            f'(SELECT COUNT(*) {of_report} AND mt."user_id" = {viewer_placeholder}) AS "shown__me_too_mine"',
            f'{name_of("reporter_id")} AS "shown__reporter_name"',
            f'{name_of("claimed_by_id")} AS "shown__claimer_name"',
        ]
    )


def reports_shown(records: Sequence[Mapping[str, Any]], viewer_id: int | None) -> ReportsShown:
    """The reports (oldest first) of records selected with shown_columns_sql; records without a
    report (of a left join that found none) are skipped."""
    rows: list[Report] = []
    counts: dict[int, int] = {}
    mine: set[int] = set()
    names: dict[int, UserName] = {}
    for record in records:
        if record["r__id"] is None:
            continue
        row = Report._init_from_db(
            **{key.removeprefix("r__"): value for key, value in record.items() if key.startswith("r__")}
        )
        rows.append(row)
        counts[row.id] = int(record["shown__me_too_count"])
        if record["shown__me_too_mine"]:
            mine.add(row.id)
        for user_id, name in (
            (row.reporter_id, record["shown__reporter_name"]),
            (row.claimed_by_id, record["shown__claimer_name"]),
        ):
            if user_id is not None and name is not None:
                names[user_id] = UserName(id=user_id, display_name=name)
    rows.sort(key=lambda row: row.id)
    return ReportsShown(
        reports=tuple(rows),
        me_too_counts=counts,
        me_too_by_viewer=frozenset(mine) if viewer_id is not None else None,
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
