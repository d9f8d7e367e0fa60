"""Volunteer teams, activities, attendance, logs, emergencies, service hours.

Nested fields read through the request's loaders (one query per level). Every parent was
checked for the caller's community by the field that returned it; fields that only captains and
staff may read check that here, from one cached lookup of the caller's teams.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader

from api.context import Info
from api.ids import decode_cursor
from api.schema.accounts.types import User
from api.schema.common import Connection, UserError
from api.schema.connections import children, connection
from api.schema.places.types import Place, place_of_row
from api.schema.reports.types import Report, report_for_member
from models import teams as team_models
from models.enums import ReportCategory
from models.teams import Attendance as AttendanceRow
from models.teams import (
    AttendanceStatus,
    CheckInMethod,
    JoinRequestStatus,
    LogKind,
    MediationCategory,
    TeamKind,
)
from runtime import clock
from runtime.i18n import N_
from services import teams
from services.access import Viewer
from services.errors import Forbidden
from services.paging import clamp_first
from services.teams import attendance as attendance_service
from services.teams.activities import place_of as place_of_activity
from services.teams.activity_logs import place_of_finding
from services.teams.zero_minutes import may_count_zero, zero_minutes_reason

T = TypeVar("T")

strawberry.enum(TeamKind, description="What a volunteer team does; activities have the same kinds.")
strawberry.enum(JoinRequestStatus)
strawberry.enum(
    CheckInMethod,
    description="SCAN: the volunteer scanned the captain's code; CARD: the captain scanned the "
    "volunteer's personal card; HAND: the captain entered it by hand (marked).",
)
strawberry.enum(
    AttendanceStatus,
    description="AUTO_CLOSED: left open past the end plus grace, closed at the activity's end and "
    "flagged for the captain. ADJUSTED: approved with minutes the captain set.",
)
strawberry.enum(LogKind)
strawberry.enum(MediationCategory, description="What a dispute was about. Mediation logs hold no names.")


async def _require_captain_or_manager(info: Info, team_id: int, community_id: int) -> None:
    viewer = info.context.viewer
    viewer.require_member(community_id)
    if viewer.manages(community_id):
        return
    if team_id not in await info.context.loaders.teams.captain_team_ids_by_user.load(viewer.user_id):
        raise Forbidden(N_("Only a captain of this team or the community office can see this."))


async def _captains_page(
    info: Info,
    root: Team,
    first: int | None,
    after: str | None,
    read: Callable[[Viewer, team_models.Team, int, int | None], Awaitable[list[Any]]],
    convert: Callable[[Any], T],
    count: Callable[[int], Awaitable[int]],
) -> Connection[T]:
    """A page of a team's list that only its captains and the office may read (`read` returns
    one row more than the page when more follow)."""
    await _require_captain_or_manager(info, root.id, root.community_id)
    size, after_id = clamp_first(first), decode_cursor(after)
    team = await info.context.loaders.teams.team_by_id.load(root.id)
    assert team is not None
    rows = await read(info.context.viewer, team, size, after_id)
    return connection(rows[:size], len(rows) > size, convert, lambda: count(root.id), after_id)


async def _user(user_id: int, info: Info) -> User:
    row = await info.context.loaders.accounts.user_by_id.load(user_id)
    assert row is not None
    return User.of(row)


async def _team(team_id: int, info: Info) -> Team:
    row = await info.context.loaders.teams.team_by_id.load(team_id)
    assert row is not None
    return Team.of(row)


async def _activity(activity_id: int, info: Info) -> Activity:
    row = await info.context.loaders.teams.activity_by_id.load(activity_id)
    assert row is not None
    return Activity.of(row)


async def _place(type_name: str, place_id: int, info: Info) -> Place:
    loaders = info.context.loaders.places
    by_type: dict[str, DataLoader[int, Any]] = {
        "Compound": loaders.compound_by_id,
        "Building": loaders.building_by_id,
        "Entrance": loaders.entrance_by_id,
    }
    row = await by_type[type_name].load(place_id)
    assert row is not None
    return place_of_row(row)


@strawberry.type(description="A volunteer team of a community.")
class Team(relay.Node):
    id: relay.NodeID[int]
    name: str
    kind: TeamKind
    community_id: strawberry.Private[int]

    @classmethod
    def of(cls, row: team_models.Team) -> Team:
        return cls(id=row.id, name=row.name, kind=TeamKind(row.kind), community_id=row.community_id)

    @strawberry.field
    async def members(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[TeamMember]:
        loaders = info.context.loaders.teams
        return await children(
            self.id, loaders.members_by_team, loaders.member_count_by_team, TeamMember.of, first, after
        )

    @strawberry.field(description="Your place in the team; null when you are not in it.")
    async def my_membership(self, info: Info) -> TeamMember | None:
        viewer = info.context.viewer
        if viewer.user is None:
            return None
        row = await info.context.loaders.teams.team_membership_by_user.load((viewer.user.id, self.id))
        return None if row is None else TeamMember.of(row)

    @strawberry.field(description="Oldest first.")
    async def activities(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Activity]:
        loaders = info.context.loaders.teams
        return await children(
            self.id, loaders.activities_by_team, loaders.activity_count_by_team, Activity.of, first, after
        )

    @strawberry.field(description="Captains and staff: people asking to join. Others get FORBIDDEN.")
    async def join_requests(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[TeamJoinRequest] | None:
        return await _captains_page(
            info, self, first, after, teams.pending_requests, TeamJoinRequest.of, teams.pending_request_count
        )

    @strawberry.field(
        description="Captains and staff: attendances checked out or closed by the system, waiting "
        "for approval (flagged ones among them). Others get FORBIDDEN."
    )
    async def attendances_to_review(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Attendance] | None:
        return await _captains_page(
            info,
            self,
            first,
            after,
            attendance_service.to_review,
            Attendance.of,
            attendance_service.to_review_count,
        )


@strawberry.type(description="A person in a team.")
class TeamMember(relay.Node):
    id: relay.NodeID[int]
    is_captain: bool
    joined_at: datetime
    user_id: strawberry.Private[int]

    @classmethod
    def of(cls, row: team_models.TeamMember) -> TeamMember:
        return cls(id=row.id, is_captain=row.is_captain, joined_at=row.joined_at, user_id=row.user_id)

    @strawberry.field
    async def user(self, info: Info) -> User:
        return await _user(self.user_id, info)


@strawberry.type(description="Someone asking to join a team; a captain decides.")
class TeamJoinRequest(relay.Node):
    id: relay.NodeID[int]
    status: JoinRequestStatus
    created_at: datetime
    decided_at: datetime | None
    user_id: strawberry.Private[int]
    team_id: strawberry.Private[int]

    @classmethod
    def of(cls, row: team_models.TeamJoinRequest) -> TeamJoinRequest:
        return cls(
            id=row.id,
            status=JoinRequestStatus(row.status),
            created_at=row.created_at,
            decided_at=row.decided_at,
            user_id=row.user_id,
            team_id=row.team_id,
        )

    @strawberry.field
    async def user(self, info: Info) -> User:
        return await _user(self.user_id, info)

    @strawberry.field
    async def team(self, info: Info) -> Team:
        return await _team(self.team_id, info)


@strawberry.type(description="A patrol, a class, a snow shift … at a place, at a time.")
class Activity(relay.Node):
    id: relay.NodeID[int]
    title: str
    kind: TeamKind
    starts_at: datetime
    ends_at: datetime
    capacity: int | None = strawberry.field(description="Most people; null for no limit.")
    requires_signup: bool = strawberry.field(description="Only people on the sign-up list may check in.")
    attendee_count: int
    signup_count: int
    team_id: strawberry.Private[int]
    community_id: strawberry.Private[int]
    place_type: strawberry.Private[str]
    place_id: strawberry.Private[int]

    @classmethod
    def of(cls, row: team_models.Activity) -> Activity:
        place = place_of_activity(row)
        return cls(
            id=row.id,
            title=row.title,
            kind=TeamKind(row.kind),
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

    @strawberry.field
    async def team(self, info: Info) -> Team:
        return await _team(self.team_id, info)

    @strawberry.field(description="The compound, building or entrance where it takes place.")
    async def place(self, info: Info) -> Place:
        return await _place(self.place_type, self.place_id, info)

    @strawberry.field(
        description="An emergency call-out in force opens it: anyone of the community may check in."
    )
    async def open_to_community(self, info: Info) -> bool:
        loaders = info.context.loaders.teams
        emergencies = await loaders.emergencies_in_force_by_community.load(self.community_id)
        return any(e.activity_kind is None or e.activity_kind == self.kind for e in emergencies)

    @strawberry.field(description="Your attendance, if you checked in.")
    async def my_attendance(self, info: Info) -> Attendance | None:
        viewer = info.context.viewer
        if viewer.user is None:
            return None
        row = await info.context.loaders.teams.attendance_by_user.load((viewer.user.id, self.id))
        return None if row is None else Attendance.of(row)

    @strawberry.field(description="Captains and staff: everyone who checked in. Others get FORBIDDEN.")
    async def attendances(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Attendance] | None:
        await _require_captain_or_manager(info, self.team_id, self.community_id)
        loaders = info.context.loaders.teams
        return await children(
            self.id,
            loaders.attendances_by_activity,
            loaders.attendance_count_by_activity,
            Attendance.of,
            first,
            after,
        )

    @strawberry.field(description="What the activity did, oldest first. Every member may read them.")
    async def logs(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[ActivityLog]:
        loaders = info.context.loaders.teams
        return await children(
            self.id, loaders.logs_by_activity, loaders.log_count_by_activity, ActivityLog.of, first, after
        )


@strawberry.type(description="One volunteer at one activity: checked in, out, and the captain's decision.")
class Attendance(relay.Node):
    id: relay.NodeID[int]
    status: AttendanceStatus
    method: CheckInMethod
    marked_by_hand: bool = strawberry.field(description="The captain checked this person in by hand.")
    checked_in_at: datetime
    checked_out_at: datetime | None
    checked_out_method: CheckInMethod | None
    flagged: bool = strawberry.field(description="Left open and closed by the system: check it.")
    credited_minutes: int | None = strawberry.field(description="Minutes approved (null until decided).")
    note: str
    user_id: strawberry.Private[int]
    activity_id: strawberry.Private[int]
    row: strawberry.Private[AttendanceRow]

    @classmethod
    def of(cls, row: AttendanceRow) -> Attendance:
        method = CheckInMethod(row.method)
        return cls(
            id=row.id,
            status=AttendanceStatus(row.status),
            method=method,
            marked_by_hand=method == CheckInMethod.HAND,
            checked_in_at=row.checked_in_at,
            checked_out_at=row.checked_out_at,
            checked_out_method=None if row.out_method is None else CheckInMethod(row.out_method),
            flagged=row.flagged,
            credited_minutes=row.credited_minutes,
            note=row.note,
            user_id=row.user_id,
            activity_id=row.activity_id,
            row=row,
        )

    @strawberry.field
    async def user(self, info: Info) -> User:
        return await _user(self.user_id, info)

    @strawberry.field
    async def activity(self, info: Info) -> Activity:
        return await _activity(self.activity_id, info)

    @strawberry.field(
        description="Why the clock gives 0 minutes (checked out before the activity began, in after "
        "it ended, under a minute within it), so approving pays no points; null when it gives some."
    )
    async def zero_minutes_reason(self, info: Info) -> str | None:
        # Read beside the attendance's activity, which the captain's screen loads anyway.
        if not may_count_zero(self.row):
            return None  # nothing to explain: no statement spent
        activity = await info.context.loaders.teams.activity_by_id.load(self.row.activity_id)
        return zero_minutes_reason(self.row, activity) if activity is not None else None


@strawberry.interface(description="What an activity did; one type per kind of activity.")
class ActivityLog(relay.Node):
    id: relay.NodeID[int]
    kind: LogKind
    created_at: datetime
    author_id: strawberry.Private[int]

    @classmethod
    def of(cls, row: team_models.ActivityLog) -> ActivityLog:
        """The log as the type of its kind."""
        kind = LogKind(row.kind)
        common: dict[str, Any] = {
            "id": row.id,
            "kind": kind,
            "created_at": row.created_at,
            "author_id": row.author_id,
        }
        if kind == LogKind.PATROL:
            assert row.distance_km is not None and row.duration_minutes is not None
            return PatrolLog(
                **common, distance_km=row.distance_km, duration_minutes=row.duration_minutes, note=row.note
            )
        if kind == LogKind.TUTORING:
            assert row.pupils is not None and row.subject is not None
            return TutoringLog(**common, pupils=row.pupils, subject=row.subject)
        if kind == LogKind.MEDIATION:
            assert row.settled is not None and row.category is not None
            return MediationLog(**common, settled=row.settled, category=MediationCategory(row.category))
        if kind == LogKind.SNOW_CLEARING:
            assert row.area_m2 is not None and row.volume_m3 is not None
            return SnowClearingLog(**common, area_m2=row.area_m2, volume_m3=row.volume_m3)
        return CleaningLog(**common, cleaned_area_m2=row.area_m2, bags=row.bags, note=row.note)

    @strawberry.field
    async def author(self, info: Info) -> User:
        return await _user(self.author_id, info)


@strawberry.type(description="Something a patrol found at a place; it may ask for a repair.")
class PatrolFinding(relay.Node):
    id: relay.NodeID[int]
    description: str
    wants_repair: bool
    place_type: strawberry.Private[str]
    place_id: strawberry.Private[int]
    report_id: strawberry.Private[int | None]

    @classmethod
    def of(cls, row: team_models.PatrolFinding) -> PatrolFinding:
        place = place_of_finding(row)
        return cls(
            id=row.id,
            description=row.description,
            wants_repair=row.wants_repair,
            place_type=place.type_name,
            place_id=place.id,
            report_id=row.report_id,
        )

    @strawberry.field
    async def place(self, info: Info) -> Place:
        return await _place(self.place_type, self.place_id, info)

    @strawberry.field(
        description="The repair report it opened (or joined, when one was already open there); "
        "null when it did not ask for a repair."
    )
    async def report(self, info: Info) -> Report | None:
        return await report_for_member(info, self.report_id)


@strawberry.type
class PatrolLog(ActivityLog):
    distance_km: Decimal
    duration_minutes: int
    note: str

    @strawberry.field
    async def findings(self, info: Info) -> list[PatrolFinding]:
        return [
            PatrolFinding.of(row) for row in await info.context.loaders.teams.findings_by_log.load(self.id)
        ]


@strawberry.type
class TutoringLog(ActivityLog):
    pupils: int
    subject: str


@strawberry.type(description="Whether a dispute was settled, and what about. No names, on purpose.")
class MediationLog(ActivityLog):
    settled: bool
    category: MediationCategory


@strawberry.type
class SnowClearingLog(ActivityLog):
    area_m2: Decimal
    volume_m3: Decimal


@strawberry.type
class CleaningLog(ActivityLog):
    cleaned_area_m2: Decimal | None = strawberry.field(description="Null when only bags were counted.")
    bags: int | None
    note: str


@strawberry.type(description="A call-out declared by staff: open activities and a points multiplier.")
class Emergency(relay.Node):
    id: relay.NodeID[int]
    title: str
    activity_kind: TeamKind | None = strawberry.field(description="Null: every kind of activity.")
    starts_at: datetime
    ends_at: datetime
    multiplier_percent: int
    rules_version: int = strawberry.field(description="The points rules version carrying its multiplier.")
    in_force: bool

    @classmethod
    def of(cls, row: team_models.Emergency) -> Emergency:
        now = clock.now()
        return cls(
            id=row.id,
            title=row.title,
            activity_kind=None if row.activity_kind is None else TeamKind(row.activity_kind),
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            multiplier_percent=row.multiplier_percent,
            rules_version=row.rules_version,
            in_force=row.starts_at <= now < row.ends_at,
        )


@strawberry.type(description="The code the captain's screen shows as a QR; it changes every 30 s.")
class CheckInCode:
    code: str
    seconds_to_rotation: int = strawberry.field(description="Poll again after this many seconds.")
    url: str = strawberry.field(
        description="Show this as the QR: the check-in page a phone camera opens (the code is "
        "its last part; attendanceCheckIn accepts the URL as the code too)."
    )


@strawberry.type(description="Approved service minutes of one kind in one month.")
class ServiceHours:
    kind: TeamKind
    month: str = strawberry.field(description="YYYY-MM in the community's time zone.")
    minutes: int
    attendances: int

    @strawberry.field
    def hours(self) -> float:
        return round(self.minutes / 60, 2)


@strawberry.type(description="A team member's approved service minutes of one kind in one month.")
class TeamServiceHours(ServiceHours):
    user_id: strawberry.Private[int]

    @strawberry.field
    async def user(self, info: Info) -> User:
        return await _user(self.user_id, info)


# Inputs and payloads --------------------------------------------------------------------------


@strawberry.input
class TeamCreateInput:
    community_id: strawberry.ID
    name: str
    kind: TeamKind
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="A fresh key per action; a retry with it within 24 h returns the first result.",
    )


@strawberry.type
class TeamPayload:
    team: Team | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class TeamCaptainAppointInput:
    team_id: strawberry.ID
    user_id: strawberry.ID


@strawberry.type
class TeamMemberPayload:
    member: TeamMember | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class TeamJoinRequestInput:
    team_id: strawberry.ID


@strawberry.input
class TeamJoinDecideInput:
    request_id: strawberry.ID
    approve: bool


@strawberry.type
class TeamJoinRequestPayload:
    request: TeamJoinRequest | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class ActivityScheduleInput:
    team_id: strawberry.ID
    title: str
    place_id: strawberry.ID = strawberry.field(description="A compound, building or entrance.")
    starts_at: datetime
    ends_at: datetime
    idempotency_key: str = strawberry.field(description="A retry with the same key returns the first result.")
    kind: TeamKind | None = strawberry.field(default=None, description="Defaults to the team's kind.")
    capacity: int | None = None
    requires_signup: bool = False


@strawberry.input
class ActivitySignUpInput:
    activity_id: strawberry.ID


@strawberry.type
class ActivityPayload:
    activity: Activity | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="What the volunteer's phone scanned from the captain's screen.")
class AttendanceScanInput:
    code: str
    activity_id: strawberry.ID | None = strawberry.field(
        default=None, description="The activity on screen, if any: a code of another one is refused."
    )


@strawberry.input(description="The captain checks someone in or out: by their card's code, or by hand.")
class AttendanceCaptainInput:
    activity_id: strawberry.ID
    card_code: str | None = None
    user_id: strawberry.ID | None = strawberry.field(default=None, description="By hand: marked as such.")


@strawberry.input
class AttendanceApproveInput:
    attendance_id: strawberry.ID


@strawberry.input
class AttendanceAdjustInput:
    attendance_id: strawberry.ID
    minutes: int
    note: str = ""


@strawberry.input
class AttendanceRejectInput:
    attendance_id: strawberry.ID
    reason: str


@strawberry.type
class AttendancePayload:
    attendance: Attendance | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class PatrolFindingInput:
    place_id: strawberry.ID
    description: str
    wants_repair: bool = strawberry.field(
        default=False, description="Open a repair report at the place, filed by you."
    )
    repair_category: ReportCategory = strawberry.field(
        default=ReportCategory.OTHER, description="What the repair report is about."
    )


@strawberry.input
class ActivityLogInput:
    """What every log input starts with (its fields come first in each); not a GraphQL type
    itself, as no field takes it."""

    activity_id: strawberry.ID
    idempotency_key: str


@strawberry.input
class ActivityLogPatrolInput(ActivityLogInput):
    distance_km: Decimal
    duration_minutes: int
    note: str = ""
    findings: list[PatrolFindingInput] = strawberry.field(default_factory=list)


@strawberry.input
class ActivityLogTutoringInput(ActivityLogInput):
    pupils: int
    subject: str


@strawberry.input(description="No names: only whether it was settled and what it was about.")
class ActivityLogMediationInput(ActivityLogInput):
    settled: bool
    category: MediationCategory


@strawberry.input
class ActivityLogSnowClearingInput(ActivityLogInput):
    area_m2: Decimal
    volume_m3: Decimal


@strawberry.input
class ActivityLogCleaningInput(ActivityLogInput):
    area_m2: Decimal | None = None
    bags: int | None = None
    note: str = ""


@strawberry.type
class ActivityLogPayload:
    log: ActivityLog | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class EmergencyDeclareInput:
    community_id: strawberry.ID
    title: str
    starts_at: datetime
    ends_at: datetime
    multiplier_percent: int = strawberry.field(description="200 doubles attendance points in the window.")
    idempotency_key: str
    activity_kind: TeamKind | None = None


@strawberry.type
class EmergencyPayload:
    emergency: Emergency | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class VolunteerCardIssueInput:
    community_id: strawberry.ID
    replace: bool = strawberry.field(
        default=False, description="Print a new card; the old one stops working."
    )
    user_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The community office only: the member to issue a card for (an elderly "
        "volunteer without a smartphone). Leave out for your own card.",
    )


@strawberry.type
class VolunteerCardPayload:
    code: str | None = strawberry.field(
        default=None,
        description="Print it as a QR on the personal card: GET /cards/volunteer.png?community=…"
        "[&user=…] with your bearer token draws it with the holder's name.",
    )
    errors: list[UserError] = strawberry.field(default_factory=list)
