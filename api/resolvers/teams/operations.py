"""Queries and mutations of volunteer teams and activities: decode ids, call services, map."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry

from api.context import Info
from api.ids import decode_cursor, decode_global_id, split_global_id
from api.resolvers.payloads import answered, guarded
from api.schema.common import Connection
from api.schema.connections import connection
from api.schema.teams import types
from models.teams import Activity, LogKind, Team
from services import teams
from services.access import Viewer
from services.errors import DomainError
from services.paging import clamp_first
from services.teams import activities, activity_logs, attendance, checkin_codes
from services.teams.activities import PlaceRef


def _community(value: str) -> int:
    return decode_global_id(value, "Community", "communityId")


async def _team(viewer: Viewer, value: str, field: str = "teamId") -> Team:
    viewer.require_user()
    return await teams.get_team(viewer, decode_global_id(value, "Team", field), field)


async def _activity(viewer: Viewer, value: str, field: str = "activityId") -> activities.Activity:
    viewer.require_user()
    return await activities.get_activity(viewer, decode_global_id(value, "Activity", field), field)


def _place(value: str, field: str) -> PlaceRef:
    type_name, _ = split_global_id(value, field)
    return PlaceRef(type_name, decode_global_id(value, type_name, field))


def _user(value: str | None) -> int | None:
    return None if value is None else decode_global_id(value, "User", "userId")


# Queries ---------------------------------------------------------------------------------------


async def teams_list(
    info: Info, community_id: strawberry.ID, first: int | None = None, after: str | None = None
) -> Connection[types.Team]:
    viewer, cid = info.context.viewer, _community(community_id)
    size, after_id = clamp_first(first), decode_cursor(after)
    rows = await teams.teams_of_community(viewer, cid, size, after_id)
    return connection(rows[:size], len(rows) > size, types.Team.of, lambda: teams.team_count(cid), after_id)


async def team(info: Info, id: strawberry.ID) -> types.Team | None:
    try:
        return types.Team.of(await _team(info.context.viewer, id, "id"))
    except DomainError:
        return None


async def activity(info: Info, id: strawberry.ID) -> types.Activity | None:
    try:
        return types.Activity.of(await _activity(info.context.viewer, id, "id"))
    except DomainError:
        return None


async def my_activities(
    info: Info,
    community_id: strawberry.ID,
    upcoming: bool = True,
    first: int | None = None,
    after: str | None = None,
) -> Connection[types.Activity]:
    viewer, cid = info.context.viewer, _community(community_id)
    size, after_id = clamp_first(first), decode_cursor(after)
    rows = await activities.my_activities(viewer, cid, size, after_id, upcoming)
    return connection(
        rows[:size],
        len(rows) > size,
        types.Activity.of,
        lambda: activities.my_activity_count(viewer, cid, upcoming),
        after_id,
    )


async def activity_check_in_code(info: Info, activity_id: strawberry.ID) -> types.CheckInCode:
    viewer = info.context.viewer
    code, seconds = await attendance.rotating_code(viewer, await _activity(viewer, activity_id))
    return types.CheckInCode(code=code, seconds_to_rotation=seconds, url=checkin_codes.checkin_url(code))


async def my_service_hours(
    info: Info, community_id: strawberry.ID, year: int | None = None
) -> list[types.ServiceHours]:
    rows = await attendance.my_hours(info.context.viewer, _community(community_id), year)
    return [
        types.ServiceHours(kind=r.kind, month=r.month, minutes=r.minutes, attendances=r.attendances)
        for r in rows
    ]


async def team_hours(
    info: Info, team_id: strawberry.ID, month: str | None = None
) -> list[types.TeamServiceHours]:
    viewer = info.context.viewer
    rows = await attendance.team_hours(viewer, await _team(viewer, team_id), month)
    return [
        types.TeamServiceHours(
            kind=r.kind, month=r.month, minutes=r.minutes, attendances=r.attendances, user_id=r.user_id or 0
        )
        for r in rows
    ]


async def emergencies(
    info: Info, community_id: strawberry.ID, first: int | None = None, after: str | None = None
) -> Connection[types.Emergency]:
    viewer, cid = info.context.viewer, _community(community_id)
    size, before_id = clamp_first(first), decode_cursor(after)
    rows = await activities.emergencies(viewer, cid, size, before_id)
    return connection(
        rows[:size], len(rows) > size, types.Emergency.of, lambda: activities.emergency_count(cid), before_id
    )


# Teams -----------------------------------------------------------------------------------------


async def team_create(info: Info, input: types.TeamCreateInput) -> types.TeamPayload:
    async def work() -> types.TeamPayload:
        row = await teams.create_team(
            info.context.viewer, _community(input.community_id), input.name, input.kind, input.idempotency_key
        )
        return types.TeamPayload(team=types.Team.of(row))

    return await guarded(types.TeamPayload, work())


async def team_captain_appoint(info: Info, input: types.TeamCaptainAppointInput) -> types.TeamMemberPayload:
    async def work() -> types.TeamMemberPayload:
        viewer = info.context.viewer
        row = await teams.appoint_captain(
            viewer, await _team(viewer, input.team_id), _user(input.user_id) or 0
        )
        return types.TeamMemberPayload(member=types.TeamMember.of(row))

    return await guarded(types.TeamMemberPayload, work())


async def team_join_request(info: Info, input: types.TeamJoinRequestInput) -> types.TeamJoinRequestPayload:
    async def work() -> types.TeamJoinRequestPayload:
        viewer = info.context.viewer
        row = await teams.request_join(viewer, await _team(viewer, input.team_id))
        return types.TeamJoinRequestPayload(request=types.TeamJoinRequest.of(row))

    return await guarded(types.TeamJoinRequestPayload, work())


async def team_join_decide(info: Info, input: types.TeamJoinDecideInput) -> types.TeamJoinRequestPayload:
    async def work() -> types.TeamJoinRequestPayload:
        viewer = info.context.viewer
        viewer.require_user()
        request_id = decode_global_id(input.request_id, "TeamJoinRequest", "requestId")
        row = await teams.decide_join(viewer, request_id, input.approve)
        return types.TeamJoinRequestPayload(request=types.TeamJoinRequest.of(row))

    return await guarded(types.TeamJoinRequestPayload, work())


# Activities ------------------------------------------------------------------------------------


async def activity_schedule(info: Info, input: types.ActivityScheduleInput) -> types.ActivityPayload:
    async def work() -> types.ActivityPayload:
        viewer = info.context.viewer
        row = await activities.schedule(
            viewer,
            await _team(viewer, input.team_id),
            title=input.title,
            kind=input.kind,
            place=_place(input.place_id, "placeId"),
            starts_at=input.starts_at,
            ends_at=input.ends_at,
            capacity=input.capacity,
            requires_signup=input.requires_signup,
            idempotency_key=input.idempotency_key,
        )
        return types.ActivityPayload(activity=types.Activity.of(row))

    return await guarded(types.ActivityPayload, work())


async def activity_sign_up(info: Info, input: types.ActivitySignUpInput) -> types.ActivityPayload:
    async def work() -> types.ActivityPayload:
        viewer = info.context.viewer
        row = await _activity(viewer, input.activity_id)
        await activities.sign_up(viewer, row)
        return types.ActivityPayload(
            activity=types.Activity.of(await activities.get_activity(viewer, row.id))
        )

    return await guarded(types.ActivityPayload, work())


async def emergency_declare(info: Info, input: types.EmergencyDeclareInput) -> types.EmergencyPayload:
    return await answered(
        types.EmergencyPayload,
        "emergency",
        types.Emergency.of,
        lambda: activities.declare_emergency(
            info.context.viewer,
            _community(input.community_id),
            title=input.title,
            activity_kind=input.activity_kind,
            starts_at=input.starts_at,
            ends_at=input.ends_at,
            multiplier_percent=input.multiplier_percent,
            idempotency_key=input.idempotency_key,
        ),
    )


# Attendance ------------------------------------------------------------------------------------


def _optional_activity(value: strawberry.ID | None) -> int | None:
    return None if value is None else decode_global_id(value, "Activity", "activityId")


def _attendance_answer(
    change: Callable[[], Awaitable[attendance.Attendance]],
) -> Awaitable[types.AttendancePayload]:
    return answered(types.AttendancePayload, "attendance", types.Attendance.of, change)


async def _scan(
    info: Info,
    input: types.AttendanceScanInput,
    act: Callable[[Viewer, str, int | None], Awaitable[attendance.Attendance]],
) -> types.AttendancePayload:
    """A member scans the activity's check-in code (in or out)."""
    viewer = info.context.viewer

    async def change() -> attendance.Attendance:
        viewer.require_user()
        return await act(viewer, input.code, _optional_activity(input.activity_id))

    return await _attendance_answer(change)


async def _captain_scan(
    info: Info,
    input: types.AttendanceCaptainInput,
    act: Callable[[Viewer, Activity, str | None, int | None], Awaitable[attendance.Attendance]],
) -> types.AttendancePayload:
    """A captain scans a volunteer's card (in or out)."""
    viewer = info.context.viewer

    async def change() -> attendance.Attendance:
        return await act(
            viewer, await _activity(viewer, input.activity_id), input.card_code, _user(input.user_id)
        )

    return await _attendance_answer(change)


async def attendance_check_in(info: Info, input: types.AttendanceScanInput) -> types.AttendancePayload:
    return await _scan(info, input, attendance.check_in_by_code)


async def attendance_check_out(info: Info, input: types.AttendanceScanInput) -> types.AttendancePayload:
    return await _scan(info, input, attendance.check_out_by_code)


async def attendance_captain_check_in(
    info: Info, input: types.AttendanceCaptainInput
) -> types.AttendancePayload:
    return await _captain_scan(info, input, attendance.check_in_by_captain)


async def attendance_captain_check_out(
    info: Info, input: types.AttendanceCaptainInput
) -> types.AttendancePayload:
    return await _captain_scan(info, input, attendance.check_out_by_captain)


async def _decided(
    info: Info,
    attendance_id: str,
    act: Callable[[Viewer, attendance.Attendance], Awaitable[attendance.Attendance]],
) -> types.AttendancePayload:
    """Staff or a captain decide on one attendance (approve, adjust, reject)."""
    viewer = info.context.viewer

    async def change() -> attendance.Attendance:
        viewer.require_user()
        row = await attendance.get_attendance(
            viewer, decode_global_id(attendance_id, "Attendance", "attendanceId")
        )
        return await act(viewer, row)

    return await _attendance_answer(change)


async def attendance_approve(info: Info, input: types.AttendanceApproveInput) -> types.AttendancePayload:
    return await _decided(info, input.attendance_id, attendance.approve)


async def attendance_adjust(info: Info, input: types.AttendanceAdjustInput) -> types.AttendancePayload:
    return await _decided(
        info,
        input.attendance_id,
        lambda viewer, row: attendance.adjust(viewer, row, input.minutes, input.note),
    )


async def attendance_reject(info: Info, input: types.AttendanceRejectInput) -> types.AttendancePayload:
    return await _decided(
        info, input.attendance_id, lambda viewer, row: attendance.reject(viewer, row, input.reason)
    )


async def volunteer_card_issue(
    info: Info, input: types.VolunteerCardIssueInput
) -> types.VolunteerCardPayload:
    async def work() -> types.VolunteerCardPayload:
        code = await attendance.card(
            info.context.viewer, _community(input.community_id), input.replace, _user(input.user_id)
        )
        return types.VolunteerCardPayload(code=code)

    return await guarded(types.VolunteerCardPayload, work())


# Logs ------------------------------------------------------------------------------------------


async def _log(
    info: Info,
    activity_id: str,
    kind: LogKind,
    key: str,
    values: dict[str, Any],
    findings: Callable[[], list[activity_logs.Finding]] = list,
) -> types.ActivityLogPayload:
    async def work() -> types.ActivityLogPayload:
        viewer = info.context.viewer
        row = await activity_logs.write(
            viewer, await _activity(viewer, activity_id), kind, key, values, findings()
        )
        return types.ActivityLogPayload(log=types.ActivityLog.of(row))

    return await guarded(types.ActivityLogPayload, work())


async def activity_log_patrol(info: Info, input: types.ActivityLogPatrolInput) -> types.ActivityLogPayload:
    def findings() -> list[activity_logs.Finding]:
        return [
            activity_logs.Finding(
                _place(f.place_id, f"findings.{i}.placeId"), f.description, f.wants_repair, f.repair_category
            )
            for i, f in enumerate(input.findings)
        ]

    values = {
        "distance_km": input.distance_km,
        "duration_minutes": input.duration_minutes,
        "note": input.note,
    }
    return await _log(info, input.activity_id, LogKind.PATROL, input.idempotency_key, values, findings)


async def activity_log_tutoring(
    info: Info, input: types.ActivityLogTutoringInput
) -> types.ActivityLogPayload:
    values = {"pupils": input.pupils, "subject": input.subject}
    return await _log(info, input.activity_id, LogKind.TUTORING, input.idempotency_key, values)


async def activity_log_mediation(
    info: Info, input: types.ActivityLogMediationInput
) -> types.ActivityLogPayload:
    values = {"settled": input.settled, "category": input.category}
    return await _log(info, input.activity_id, LogKind.MEDIATION, input.idempotency_key, values)


async def activity_log_snow_clearing(
    info: Info, input: types.ActivityLogSnowClearingInput
) -> types.ActivityLogPayload:
    values = {"area_m2": input.area_m2, "volume_m3": input.volume_m3}
    return await _log(info, input.activity_id, LogKind.SNOW_CLEARING, input.idempotency_key, values)


async def activity_log_cleaning(
    info: Info, input: types.ActivityLogCleaningInput
) -> types.ActivityLogPayload:
    values = {"area_m2": input.area_m2, "bags": input.bags, "note": input.note}
    return await _log(info, input.activity_id, LogKind.CLEANING, input.idempotency_key, values)
