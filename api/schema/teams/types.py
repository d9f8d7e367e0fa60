"""Volunteer teams, activities, attendance, logs, emergencies, service hours."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry import relay

from api.context import Info
from api.resolvers.teams import fields as resolve
from api.schema.accounts.types import User
from api.schema.common import Connection, UserError
from api.schema.places.types import Place
from api.schema.reports.types import Report
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


@strawberry.type(description="A volunteer team of a community.")
class Team(relay.Node):
    id: relay.NodeID[int]
    name: str
    kind: TeamKind
    community_id: strawberry.Private[int]

    @strawberry.field
    async def members(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[TeamMember]:
        return await resolve.members_of(self, info, first, after)

    @strawberry.field(description="Your place in the team; null when you are not in it.")
    async def my_membership(self, info: Info) -> TeamMember | None:
        return await resolve.my_membership_of(self, info)

    @strawberry.field(description="Oldest first.")
    async def activities(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Activity]:
        return await resolve.activities_of(self, info, first, after)

    @strawberry.field(description="Captains and staff: people asking to join. Others get FORBIDDEN.")
    async def join_requests(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[TeamJoinRequest] | None:
        return await resolve.join_requests_of(self, info, first, after)

    @strawberry.field(
        description="Captains and staff: attendances checked out or closed by the system, waiting "
        "for approval (flagged ones among them). Others get FORBIDDEN."
    )
    async def attendances_to_review(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Attendance] | None:
        return await resolve.to_review_of(self, info, first, after)


@strawberry.type(description="A person in a team.")
class TeamMember(relay.Node):
    id: relay.NodeID[int]
    is_captain: bool
    joined_at: datetime
    user_id: strawberry.Private[int]

    @strawberry.field
    async def user(self, info: Info) -> User:
        return await resolve.user_of(self.user_id, info)


@strawberry.type(description="Someone asking to join a team; a captain decides.")
class TeamJoinRequest(relay.Node):
    id: relay.NodeID[int]
    status: JoinRequestStatus
    created_at: datetime
    decided_at: datetime | None
    user_id: strawberry.Private[int]
    team_id: strawberry.Private[int]

    @strawberry.field
    async def user(self, info: Info) -> User:
        return await resolve.user_of(self.user_id, info)

    @strawberry.field
    async def team(self, info: Info) -> Team:
        return await resolve.team_of(self.team_id, info)


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

    @strawberry.field
    async def team(self, info: Info) -> Team:
        return await resolve.team_of(self.team_id, info)

    @strawberry.field(description="The compound, building or entrance where it takes place.")
    async def place(self, info: Info) -> Place:
        return await resolve.place_of(self.place_type, self.place_id, info)

    @strawberry.field(
        description="An emergency call-out in force opens it: anyone of the community may check in."
    )
    async def open_to_community(self, info: Info) -> bool:
        return await resolve.open_to_community(self, info)

    @strawberry.field(description="Your attendance, if you checked in.")
    async def my_attendance(self, info: Info) -> Attendance | None:
        return await resolve.my_attendance_of(self, info)

    @strawberry.field(description="Captains and staff: everyone who checked in. Others get FORBIDDEN.")
    async def attendances(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Attendance] | None:
        return await resolve.attendances_of(self, info, first, after)

    @strawberry.field(description="What the activity did, oldest first. Every member may read them.")
    async def logs(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[ActivityLog]:
        return await resolve.logs_of(self, info, first, after)


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

    @strawberry.field
    async def user(self, info: Info) -> User:
        return await resolve.user_of(self.user_id, info)

    @strawberry.field
    async def activity(self, info: Info) -> Activity:
        return await resolve.activity_of(self.activity_id, info)

    @strawberry.field(
        description="Why the clock gives 0 minutes (checked out before the activity began, in after "
        "it ended, under a minute within it), so approving pays no points; null when it gives some."
    )
    async def zero_minutes_reason(self, info: Info) -> str | None:
        return await resolve.zero_minutes_reason_of(self.row, info)


@strawberry.interface(description="What an activity did; one type per kind of activity.")
class ActivityLog(relay.Node):
    id: relay.NodeID[int]
    kind: LogKind
    created_at: datetime
    author_id: strawberry.Private[int]

    @strawberry.field
    async def author(self, info: Info) -> User:
        return await resolve.user_of(self.author_id, info)


@strawberry.type(description="Something a patrol found at a place; it may ask for a repair.")
class PatrolFinding(relay.Node):
    id: relay.NodeID[int]
    description: str
    wants_repair: bool
    place_type: strawberry.Private[str]
    place_id: strawberry.Private[int]
    report_id: strawberry.Private[int | None]

    @strawberry.field
    async def place(self, info: Info) -> Place:
        return await resolve.place_of(self.place_type, self.place_id, info)

    @strawberry.field(
        description="The repair report it opened (or joined, when one was already open there); "
        "null when it did not ask for a repair."
    )
    async def report(self, info: Info) -> Report | None:
        return await resolve.report_of_finding(self, info)


@strawberry.type
class PatrolLog(ActivityLog):
    distance_km: Decimal
    duration_minutes: int
    note: str

    @strawberry.field
    async def findings(self, info: Info) -> list[PatrolFinding]:
        return await resolve.findings_of(self, info)


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
        return await resolve.user_of(self.user_id, info)


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
