"""The Query and Mutation fields of volunteer teams and activities, merged into the root schema."""

from __future__ import annotations

import strawberry

from api.resolvers.teams import operations as resolve
from api.schema.common import Connection
from api.schema.teams.types import (
    Activity,
    ActivityLogPayload,
    ActivityPayload,
    AttendancePayload,
    CheckInCode,
    Emergency,
    EmergencyPayload,
    ServiceHours,
    Team,
    TeamJoinRequestPayload,
    TeamMemberPayload,
    TeamPayload,
    TeamServiceHours,
    VolunteerCardPayload,
)


@strawberry.type
class TeamsQuery:
    teams: Connection[Team] = strawberry.field(
        resolver=resolve.teams_list, description="A community's teams."
    )
    team: Team | None = strawberry.field(
        resolver=resolve.team, description="A team; null if not there for you."
    )
    activity: Activity | None = strawberry.field(
        resolver=resolve.activity, description="An activity; null if not there for you."
    )
    my_activities: Connection[Activity] = strawberry.field(
        resolver=resolve.my_activities,
        description="Activities of your teams, those you attended, and those an emergency opens to "
        "everyone; by start time. `upcoming` (default) leaves out the ones that ended.",
    )
    activity_check_in_code: CheckInCode = strawberry.field(
        resolver=resolve.activity_check_in_code,
        description="Captains: the rotating code to show as a QR. Poll after `secondsToRotation`.",
    )
    my_service_hours: list[ServiceHours] = strawberry.field(
        resolver=resolve.my_service_hours, description="Your approved service by kind and month."
    )
    team_hours: list[TeamServiceHours] = strawberry.field(
        resolver=resolve.team_hours,
        description="Captains and staff: the team's approved service by person, kind and month.",
    )
    emergencies: Connection[Emergency] = strawberry.field(
        resolver=resolve.emergencies, description="Emergency call-outs of a community, newest first."
    )


@strawberry.type
class TeamsMutation:
    team_create: TeamPayload = strawberry.mutation(resolver=resolve.team_create, description="Staff.")
    team_captain_appoint: TeamMemberPayload = strawberry.mutation(
        resolver=resolve.team_captain_appoint, description="Staff: make a member of the community a captain."
    )
    team_join_request: TeamJoinRequestPayload = strawberry.mutation(
        resolver=resolve.team_join_request, description="Ask to join a team; a captain decides."
    )
    team_join_decide: TeamJoinRequestPayload = strawberry.mutation(
        resolver=resolve.team_join_decide, description="Captains: approve or decline a request to join."
    )
    activity_schedule: ActivityPayload = strawberry.mutation(
        resolver=resolve.activity_schedule, description="Captains (and staff): schedule an activity."
    )
    activity_sign_up: ActivityPayload = strawberry.mutation(
        resolver=resolve.activity_sign_up, description="Put yourself on an activity's sign-up list."
    )
    emergency_declare: EmergencyPayload = strawberry.mutation(
        resolver=resolve.emergency_declare,
        description="Staff: declare a call-out; in its window activities open to all and the "
        "multiplier applies.",
    )
    attendance_check_in: AttendancePayload = strawberry.mutation(
        resolver=resolve.attendance_check_in,
        description="Check in with the code scanned from the captain's screen. Again returns the first.",
    )
    attendance_check_out: AttendancePayload = strawberry.mutation(
        resolver=resolve.attendance_check_out, description="Check out the same way. Again returns the first."
    )
    attendance_captain_check_in: AttendancePayload = strawberry.mutation(
        resolver=resolve.attendance_captain_check_in,
        description="Captains: check a volunteer in by their personal card, or by hand (marked).",
    )
    attendance_captain_check_out: AttendancePayload = strawberry.mutation(
        resolver=resolve.attendance_captain_check_out, description="Captains: check a volunteer out."
    )
    attendance_approve: AttendancePayload = strawberry.mutation(
        resolver=resolve.attendance_approve,
        description="Captains of the team: approve the minutes served; points are paid once.",
    )
    attendance_adjust: AttendancePayload = strawberry.mutation(
        resolver=resolve.attendance_adjust,
        description="Captains of the team: approve with the minutes you set.",
    )
    attendance_reject: AttendancePayload = strawberry.mutation(
        resolver=resolve.attendance_reject, description="Captains of the team: reject, with a reason."
    )
    volunteer_card_issue: VolunteerCardPayload = strawberry.mutation(
        resolver=resolve.volunteer_card_issue,
        description="Your personal card's code (for volunteers without a smartphone); "
        "`replace` voids the old card.",
    )
    activity_log_patrol: ActivityLogPayload = strawberry.mutation(resolver=resolve.activity_log_patrol)
    activity_log_tutoring: ActivityLogPayload = strawberry.mutation(resolver=resolve.activity_log_tutoring)
    activity_log_mediation: ActivityLogPayload = strawberry.mutation(resolver=resolve.activity_log_mediation)
    activity_log_snow_clearing: ActivityLogPayload = strawberry.mutation(
        resolver=resolve.activity_log_snow_clearing
    )
    activity_log_cleaning: ActivityLogPayload = strawberry.mutation(resolver=resolve.activity_log_cleaning)
