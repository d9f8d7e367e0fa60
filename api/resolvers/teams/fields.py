"""Nested fields of teams and activities, through the request's loaders (one query per level).

Every parent was checked for the caller's community by the field that returned it; fields that
only captains and staff may read check that here, from one cached lookup of the caller's teams.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from strawberry.dataloader import DataLoader

from api.context import Info
from api.ids import decode_cursor
from api.schema.connections import children, connection
from api.schema.places import types as place_types
from models.teams import Attendance
from runtime.i18n import N_
from services import teams
from services.errors import Forbidden
from services.paging import clamp_first
from services.teams import attendance
from services.teams.zero_minutes import may_count_zero, zero_minutes_reason

if TYPE_CHECKING:
    # For annotations only: the schema types import this module at load time.
    from api.schema.accounts import types as people_types
    from api.schema.common import Connection
    from api.schema.reports import types as report_types
    from api.schema.teams import types as team_types

T = TypeVar("T")


async def _require_captain_or_manager(info: Info, team_id: int, community_id: int) -> None:
    viewer = info.context.viewer
    viewer.require_member(community_id)
    if viewer.manages(community_id):
        return
    if team_id not in await info.context.loaders.teams.captain_team_ids_by_user.load(viewer.user_id):
        raise Forbidden(N_("Only a captain of this team or the community office can see this."))


async def members_of(
    root: team_types.Team, info: Info, first: int | None, after: str | None
) -> Connection[team_types.TeamMember]:
    # Imported here: the schema types import this module, so a top-level import is a cycle.
    from api.resolvers.teams import mapping as team_mapping

    loaders = info.context.loaders.teams
    return await children(
        root.id, loaders.members_by_team, loaders.member_count_by_team, team_mapping.member, first, after
    )


async def my_membership_of(root: team_types.Team, info: Info) -> team_types.TeamMember | None:
    # Imported here: the schema types import this module, so a top-level import is a cycle.
    from api.resolvers.teams import mapping as team_mapping

    viewer = info.context.viewer
    if viewer.user is None:
        return None
    row = await info.context.loaders.teams.team_membership_by_user.load((viewer.user.id, root.id))
    return None if row is None else team_mapping.member(row)


async def activities_of(
    root: team_types.Team, info: Info, first: int | None, after: str | None
) -> Connection[team_types.Activity]:
    # Imported here: the schema types import this module, so a top-level import is a cycle.
    from api.resolvers.teams import mapping as team_mapping

    loaders = info.context.loaders.teams
    return await children(
        root.id,
        loaders.activities_by_team,
        loaders.activity_count_by_team,
        team_mapping.activity,
        first,
        after,
    )


async def join_requests_of(
    root: team_types.Team, info: Info, first: int | None, after: str | None
) -> Connection[team_types.TeamJoinRequest] | None:
    # Imported here: the schema types import this module, so a top-level import is a cycle.
    from api.resolvers.teams import mapping as team_mapping

    await _require_captain_or_manager(info, root.id, root.community_id)
    size, after_id = clamp_first(first), decode_cursor(after)
    team = await info.context.loaders.teams.team_by_id.load(root.id)
    assert team is not None
    rows = await teams.pending_requests(info.context.viewer, team, size, after_id)
    return connection(
        rows[:size],
        len(rows) > size,
        team_mapping.join_request,
        lambda: teams.pending_request_count(root.id),
        after_id,
    )


async def to_review_of(
    root: team_types.Team, info: Info, first: int | None, after: str | None
) -> Connection[team_types.Attendance] | None:
    # Imported here: the schema types import this module, so a top-level import is a cycle.
    from api.resolvers.teams import mapping as team_mapping

    await _require_captain_or_manager(info, root.id, root.community_id)
    size, after_id = clamp_first(first), decode_cursor(after)
    team = await info.context.loaders.teams.team_by_id.load(root.id)
    assert team is not None
    rows = await attendance.to_review(info.context.viewer, team, size, after_id)
    return connection(
        rows[:size],
        len(rows) > size,
        team_mapping.attendance,
        lambda: attendance.to_review_count(root.id),
        after_id,
    )


async def user_of(user_id: int, info: Info) -> people_types.User:
    # Imported here: the schema types import this module, so a top-level import is a cycle.
    from api.schema.accounts import types as people_types

    row = await info.context.loaders.accounts.user_by_id.load(user_id)
    assert row is not None
    return people_types.User(id=row.id, display_name=row.display_name)


async def team_of(team_id: int, info: Info) -> team_types.Team:
    # Imported here: the schema types import this module, so a top-level import is a cycle.
    from api.resolvers.teams import mapping as team_mapping

    row = await info.context.loaders.teams.team_by_id.load(team_id)
    assert row is not None
    return team_mapping.team(row)


async def zero_minutes_reason_of(row: Attendance, info: Info) -> str | None:
    """Read beside the attendance's activity, which the captain's screen loads anyway."""
    if not may_count_zero(row):
        return None  # nothing to explain: no statement spent
    activity = await info.context.loaders.teams.activity_by_id.load(row.activity_id)
    return zero_minutes_reason(row, activity) if activity is not None else None


async def activity_of(activity_id: int, info: Info) -> team_types.Activity:
    # Imported here: the schema types import this module, so a top-level import is a cycle.
    from api.resolvers.teams import mapping as team_mapping

    row = await info.context.loaders.teams.activity_by_id.load(activity_id)
    assert row is not None
    return team_mapping.activity(row)


async def place_of(type_name: str, place_id: int, info: Info) -> place_types.Place:
    loaders = info.context.loaders.places
    by_type: dict[str, DataLoader[int, Any]] = {
        "Compound": loaders.compound_by_id,
        "Building": loaders.building_by_id,
        "Entrance": loaders.entrance_by_id,
    }
    loader = by_type[type_name]
    row = await loader.load(place_id)
    assert row is not None
    return place_types.place_of_row(row)


async def open_to_community(root: team_types.Activity, info: Info) -> bool:
    emergencies = await info.context.loaders.teams.emergencies_in_force_by_community.load(root.community_id)
    return any(e.activity_kind is None or e.activity_kind == root.kind for e in emergencies)


async def my_attendance_of(root: team_types.Activity, info: Info) -> team_types.Attendance | None:
    # Imported here: the schema types import this module, so a top-level import is a cycle.
    from api.resolvers.teams import mapping as team_mapping

    viewer = info.context.viewer
    if viewer.user is None:
        return None
    row = await info.context.loaders.teams.attendance_by_user.load((viewer.user.id, root.id))
    return None if row is None else team_mapping.attendance(row)


async def attendances_of(
    root: team_types.Activity, info: Info, first: int | None, after: str | None
) -> Connection[team_types.Attendance] | None:
    # Imported here: the schema types import this module, so a top-level import is a cycle.
    from api.resolvers.teams import mapping as team_mapping

    await _require_captain_or_manager(info, root.team_id, root.community_id)
    loaders = info.context.loaders.teams
    return await children(
        root.id,
        loaders.attendances_by_activity,
        loaders.attendance_count_by_activity,
        team_mapping.attendance,
        first,
        after,
    )


async def logs_of(
    root: team_types.Activity, info: Info, first: int | None, after: str | None
) -> Connection[team_types.ActivityLog]:
    # Imported here: the schema types import this module, so a top-level import is a cycle.
    from api.resolvers.teams import mapping as team_mapping

    loaders = info.context.loaders.teams
    return await children(
        root.id, loaders.logs_by_activity, loaders.log_count_by_activity, team_mapping.log, first, after
    )


async def findings_of(root: team_types.PatrolLog, info: Info) -> list[team_types.PatrolFinding]:
    # Imported here: the schema types import this module, so a top-level import is a cycle.
    from api.resolvers.teams import mapping as team_mapping

    return [
        team_mapping.finding(row) for row in await info.context.loaders.teams.findings_by_log.load(root.id)
    ]


async def report_of_finding(root: team_types.PatrolFinding, info: Info) -> report_types.Report | None:
    # Imported here: the schema types import this module, so a top-level import is a cycle.
    from api.resolvers.reports.fields import report

    if root.report_id is None:
        return None
    row = await info.context.loaders.reports.report_by_id.load(root.report_id)
    if row is None or not info.context.viewer.is_member(row.community_id):
        return None
    return report(row)
