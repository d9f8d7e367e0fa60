"""The teams area's DataLoaders: teams, members, activities, attendance, service logs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from api.resolvers.batching import OnFirstUse, by_user, counts, pages
from models.teams import Activity, ActivityLog, Attendance, Emergency, TeamMember
from runtime import clock
from services import teams
from services.teams import activities, activity_logs, attendance


async def _emergencies_in_force(community_ids: Sequence[int]) -> list[list[Emergency]]:
    now = clock.now()
    return [list(await activities.in_force(cid, now)) for cid in community_ids]


async def _captain_team_ids(user_ids: Sequence[int]) -> list[frozenset[int]]:
    rows = await TeamMember.filter(user_id__in=list(set(user_ids)), is_captain=True).values_list(
        "user_id", "team_id"
    )
    found: dict[int, set[int]] = defaultdict(set)
    for user_id, team_id in rows:
        found[int(user_id)].add(int(team_id))
    return [frozenset(found.get(u, set())) for u in user_ids]


class TeamLoaders:
    """Made on first use, kept for the request (see api/loaders.py)."""

    team_by_id = OnFirstUse(teams.teams_by_ids)
    activity_by_id = OnFirstUse(activities.activities_by_ids)
    members_by_team = OnFirstUse(pages(TeamMember, "team_id"))
    member_count_by_team = OnFirstUse(counts(TeamMember, "team_id"))
    activities_by_team = OnFirstUse(pages(Activity, "team_id"))
    activity_count_by_team = OnFirstUse(counts(Activity, "team_id"))
    attendances_by_activity = OnFirstUse(pages(Attendance, "activity_id"))
    attendance_count_by_activity = OnFirstUse(counts(Attendance, "activity_id"))
    logs_by_activity = OnFirstUse(pages(ActivityLog, "activity_id"))
    log_count_by_activity = OnFirstUse(counts(ActivityLog, "activity_id"))
    findings_by_log = OnFirstUse(activity_logs.findings_by_log)
    team_membership_by_user = OnFirstUse(by_user(teams.memberships_of))
    attendance_by_user = OnFirstUse(by_user(attendance.mine_by_activity))
    captain_team_ids_by_user = OnFirstUse(_captain_team_ids)
    emergencies_in_force_by_community = OnFirstUse(_emergencies_in_force)
