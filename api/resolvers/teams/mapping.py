"""Team, activity, attendance and log rows to schema objects."""

from __future__ import annotations

from typing import Any

from api.schema.teams import types as t
from models import teams as m
from runtime import clock
from services.teams.activities import place_of
from services.teams.activity_logs import place_of_finding


def team(row: m.Team) -> t.Team:
    return t.Team(id=row.id, name=row.name, kind=m.TeamKind(row.kind), community_id=row.community_id)


def member(row: m.TeamMember) -> t.TeamMember:
    return t.TeamMember(id=row.id, is_captain=row.is_captain, joined_at=row.joined_at, user_id=row.user_id)


def join_request(row: m.TeamJoinRequest) -> t.TeamJoinRequest:
    return t.TeamJoinRequest(
        id=row.id,
        status=m.JoinRequestStatus(row.status),
        created_at=row.created_at,
        decided_at=row.decided_at,
        user_id=row.user_id,
        team_id=row.team_id,
    )


def activity(row: m.Activity) -> t.Activity:
    place = place_of(row)
    return t.Activity(
        id=row.id,
        title=row.title,
        kind=m.TeamKind(row.kind),
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


def attendance(row: m.Attendance) -> t.Attendance:
    method = m.CheckInMethod(row.method)
    return t.Attendance(
        id=row.id,
        status=m.AttendanceStatus(row.status),
        method=method,
        marked_by_hand=method == m.CheckInMethod.HAND,
        checked_in_at=row.checked_in_at,
        checked_out_at=row.checked_out_at,
        checked_out_method=None if row.out_method is None else m.CheckInMethod(row.out_method),
        flagged=row.flagged,
        credited_minutes=row.credited_minutes,
        note=row.note,
        user_id=row.user_id,
        activity_id=row.activity_id,
        row=row,
    )


def log(row: m.ActivityLog) -> t.ActivityLog:
    kind = m.LogKind(row.kind)
    common: dict[str, Any] = {
        "id": row.id,
        "kind": kind,
        "created_at": row.created_at,
        "author_id": row.author_id,
    }
    if kind == m.LogKind.PATROL:
        assert row.distance_km is not None and row.duration_minutes is not None
        return t.PatrolLog(
            **common, distance_km=row.distance_km, duration_minutes=row.duration_minutes, note=row.note
        )
    if kind == m.LogKind.TUTORING:
        assert row.pupils is not None and row.subject is not None
        return t.TutoringLog(**common, pupils=row.pupils, subject=row.subject)
    if kind == m.LogKind.MEDIATION:
        assert row.settled is not None and row.category is not None
        return t.MediationLog(**common, settled=row.settled, category=m.MediationCategory(row.category))
    if kind == m.LogKind.SNOW_CLEARING:
        assert row.area_m2 is not None and row.volume_m3 is not None
        return t.SnowClearingLog(**common, area_m2=row.area_m2, volume_m3=row.volume_m3)
    return t.CleaningLog(**common, cleaned_area_m2=row.area_m2, bags=row.bags, note=row.note)


def finding(row: m.PatrolFinding) -> t.PatrolFinding:
    place = place_of_finding(row)
    return t.PatrolFinding(
        id=row.id,
        description=row.description,
        wants_repair=row.wants_repair,
        place_type=place.type_name,
        place_id=place.id,
        report_id=row.report_id,
    )


def emergency(row: m.Emergency) -> t.Emergency:
    now = clock.now()
    return t.Emergency(
        id=row.id,
        title=row.title,
        activity_kind=None if row.activity_kind is None else m.TeamKind(row.activity_kind),
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        multiplier_percent=row.multiplier_percent,
        rules_version=row.rules_version,
        in_force=row.starts_at <= now < row.ends_at,
    )
