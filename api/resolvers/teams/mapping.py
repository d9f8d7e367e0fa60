"""Team, activity, attendance and log rows to schema objects."""

from __future__ import annotations

from typing import Any

from api.schema.teams import types
from models import teams as team_models
from runtime import clock
from services.teams.activities import place_of
from services.teams.activity_logs import place_of_finding


def team(row: team_models.Team) -> types.Team:
    return types.Team(
        id=row.id, name=row.name, kind=team_models.TeamKind(row.kind), community_id=row.community_id
    )


def member(row: team_models.TeamMember) -> types.TeamMember:
    return types.TeamMember(
        id=row.id, is_captain=row.is_captain, joined_at=row.joined_at, user_id=row.user_id
    )


def join_request(row: team_models.TeamJoinRequest) -> types.TeamJoinRequest:
    return types.TeamJoinRequest(
        id=row.id,
        status=team_models.JoinRequestStatus(row.status),
        created_at=row.created_at,
        decided_at=row.decided_at,
        user_id=row.user_id,
        team_id=row.team_id,
    )


def activity(row: team_models.Activity) -> types.Activity:
    place = place_of(row)
    return types.Activity(
        id=row.id,
        title=row.title,
        kind=team_models.TeamKind(row.kind),
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        capacity=row.capacity,
        requires_signup=row.requires_signup,
        attendee_count=row.attendee_count,
        signup_count=row.signup_count,
        team_id=row.team_id,
        community_id=row.community_id,
        place_type=place.type_name,
        place_id=place.id,
    )


def attendance(row: team_models.Attendance) -> types.Attendance:
    method = team_models.CheckInMethod(row.method)
    return types.Attendance(
        id=row.id,
        status=team_models.AttendanceStatus(row.status),
        method=method,
        marked_by_hand=method == team_models.CheckInMethod.HAND,
        checked_in_at=row.checked_in_at,
        checked_out_at=row.checked_out_at,
        checked_out_method=None if row.out_method is None else team_models.CheckInMethod(row.out_method),
        flagged=row.flagged,
        credited_minutes=row.credited_minutes,
        note=row.note,
        user_id=row.user_id,
        activity_id=row.activity_id,
        row=row,
    )


def log(row: team_models.ActivityLog) -> types.ActivityLog:
    kind = team_models.LogKind(row.kind)
    common: dict[str, Any] = {
        "id": row.id,
        "kind": kind,
        "created_at": row.created_at,
        "author_id": row.author_id,
    }
    if kind == team_models.LogKind.PATROL:
        assert row.distance_km is not None and row.duration_minutes is not None
        return types.PatrolLog(
            **common, distance_km=row.distance_km, duration_minutes=row.duration_minutes, note=row.note
        )
    if kind == team_models.LogKind.TUTORING:
        assert row.pupils is not None and row.subject is not None
        return types.TutoringLog(**common, pupils=row.pupils, subject=row.subject)
    if kind == team_models.LogKind.MEDIATION:
        assert row.settled is not None and row.category is not None
        return types.MediationLog(
            **common, settled=row.settled, category=team_models.MediationCategory(row.category)
        )
    if kind == team_models.LogKind.SNOW_CLEARING:
        assert row.area_m2 is not None and row.volume_m3 is not None
        return types.SnowClearingLog(**common, area_m2=row.area_m2, volume_m3=row.volume_m3)
    return types.CleaningLog(**common, cleaned_area_m2=row.area_m2, bags=row.bags, note=row.note)


def finding(row: team_models.PatrolFinding) -> types.PatrolFinding:
    place = place_of_finding(row)
    return types.PatrolFinding(
        id=row.id,
        description=row.description,
        wants_repair=row.wants_repair,
        place_type=place.type_name,
        place_id=place.id,
        report_id=row.report_id,
    )


def emergency(row: team_models.Emergency) -> types.Emergency:
    now = clock.now()
    return types.Emergency(
        id=row.id,
        title=row.title,
        activity_kind=None if row.activity_kind is None else team_models.TeamKind(row.activity_kind),
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        multiplier_percent=row.multiplier_percent,
        rules_version=row.rules_version,
        in_force=row.starts_at <= now < row.ends_at,
    )
