"""The operations the volunteers' and captains' screens send, and a team to run them against."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from models.enums import Role
from models.teams import TeamKind
from runtime import clock
from services.tokens import issue_access_token
from tests.support.graphql import GraphQLClient
from tests.support.people import Neighbourhood, Person, gid, make_neighbourhood, make_person

TEAM_CREATE = """
mutation TeamCreate($input: TeamCreateInput!) {
  teamCreate(input: $input) { team { id name kind } errors { code field } }
}"""
APPOINT = """
mutation Appoint($input: TeamCaptainAppointInput!) {
  teamCaptainAppoint(input: $input) { member { id isCaptain user { id } } errors { code field } }
}"""
JOIN_REQUEST = """
mutation JoinRequest($input: TeamJoinRequestInput!) {
  teamJoinRequest(input: $input) { request { id status } errors { code field } }
}"""
JOIN_DECIDE = """
mutation JoinDecide($input: TeamJoinDecideInput!) {
  teamJoinDecide(input: $input) { request { id status } errors { code field } }
}"""
SCHEDULE = """
mutation Schedule($input: ActivityScheduleInput!) {
  activitySchedule(input: $input) {
    activity { id title kind startsAt endsAt capacity requiresSignup place { id name } team { id } }
    errors { code field }
  }
}"""
SIGN_UP = """
mutation SignUp($input: ActivitySignUpInput!) {
  activitySignUp(input: $input) { activity { id signupCount } errors { code field } }
}"""
CODE = """
query Code($activityId: ID!) { activityCheckInCode(activityId: $activityId) { code secondsToRotation } }
"""
ATTENDANCE_FIELDS = (
    "attendance { id status method markedByHand checkedInAt checkedOutAt flagged creditedMinutes "
    "user { id } } errors { code field }"
)
CHECK_IN = f"""
mutation CheckIn($input: AttendanceScanInput!) {{
  attendanceCheckIn(input: $input) {{ {ATTENDANCE_FIELDS} }}
}}"""
CHECK_OUT = f"""
mutation CheckOut($input: AttendanceScanInput!) {{
  attendanceCheckOut(input: $input) {{ {ATTENDANCE_FIELDS} }}
}}"""
CAPTAIN_IN = f"""
mutation CaptainIn($input: AttendanceCaptainInput!) {{
  attendanceCaptainCheckIn(input: $input) {{ {ATTENDANCE_FIELDS} }}
}}"""
CAPTAIN_OUT = f"""
mutation CaptainOut($input: AttendanceCaptainInput!) {{
  attendanceCaptainCheckOut(input: $input) {{ {ATTENDANCE_FIELDS} }}
}}"""
APPROVE = f"""
mutation Approve($input: AttendanceApproveInput!) {{
  attendanceApprove(input: $input) {{ {ATTENDANCE_FIELDS} }}
}}"""
ADJUST = f"""
mutation Adjust($input: AttendanceAdjustInput!) {{
  attendanceAdjust(input: $input) {{ {ATTENDANCE_FIELDS} }}
}}"""
REJECT = f"""
mutation Reject($input: AttendanceRejectInput!) {{
  attendanceReject(input: $input) {{ {ATTENDANCE_FIELDS} }}
}}"""
CARD = """
mutation Card($input: VolunteerCardIssueInput!) { volunteerCardIssue(input: $input) { code errors { code } } }
"""
BALANCE = "query B($communityId: ID!) { myPoints(communityId: $communityId) { balance } }"
EMERGENCY = """
mutation Emergency($input: EmergencyDeclareInput!) {
  emergencyDeclare(input: $input) {
    emergency { id title activityKind multiplierPercent rulesVersion inForce }
    errors { code field }
  }
}"""


@dataclass
class Squad:
    """A community with staff, a snow-clearing team (a captain, two volunteers), a neighbour who
    is in no team, and an activity of the team running from now for two hours."""

    place: Neighbourhood
    staff: Person
    captain: Person
    volunteers: list[Person]
    neighbour: Person
    team_id: str
    activity_id: str

    @property
    def community_id(self) -> str:
        return gid("Community", self.place.community.id)

    def people(self) -> list[Person]:
        return [self.staff, self.captain, *self.volunteers, self.neighbour]

    def renew_tokens(self) -> None:
        """Access tokens last 15 minutes: after moving the clock further, sign everyone in again."""
        for person in self.people():
            person.token, _ = issue_access_token(person.user.id)


async def ok(
    api: GraphQLClient, query: str, variables: dict[str, Any], token: str, field: str
) -> dict[str, Any]:
    """The payload of a mutation that must succeed."""
    payload: dict[str, Any] = (await api.data(query, variables, token))[field]
    assert payload["errors"] == [], payload["errors"]
    return payload


async def errors(
    api: GraphQLClient, query: str, variables: dict[str, Any], token: str, field: str
) -> list[str]:
    payload = (await api.data(query, variables, token))[field]
    return [e["code"] for e in payload["errors"]]


async def schedule(
    api: GraphQLClient,
    squad: Squad,
    *,
    key: str,
    starts_at: datetime | None = None,
    hours: float = 2,
    token: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    start = starts_at or clock.now()
    variables = {
        "input": {
            "teamId": squad.team_id,
            "title": "扫雪 4号楼",
            "placeId": gid("Building", squad.place.building.id),
            "startsAt": start.isoformat(),
            "endsAt": (start + timedelta(hours=hours)).isoformat(),
            "idempotencyKey": key,
            **extra,
        }
    }
    return await api.data(SCHEDULE, variables, token or squad.captain.token)


async def make_squad(
    api: GraphQLClient, slug: str = "hongxing", kind: TeamKind = TeamKind.SNOW_CLEARING
) -> Squad:
    place = await make_neighbourhood(slug=slug)
    community = place.community
    staff = await make_person(community, (Role.STAFF,), name="office")
    captain = await make_person(community, (Role.VOLUNTEER, Role.CAPTAIN), name="captain")
    volunteers = [await make_person(community, (Role.VOLUNTEER,), name=f"v{i}") for i in range(2)]
    neighbour = await make_person(community, (Role.RESIDENT,), name="neighbour")
    cid = gid("Community", community.id)
    team = await ok(
        api,
        TEAM_CREATE,
        {"input": {"communityId": cid, "name": f"{slug} snow", "kind": kind.name}},
        staff.token,
        "teamCreate",
    )
    team_id = team["team"]["id"]
    await ok(
        api,
        APPOINT,
        {"input": {"teamId": team_id, "userId": gid("User", captain.user.id)}},
        staff.token,
        "teamCaptainAppoint",
    )
    for volunteer in volunteers:
        asked = await ok(
            api, JOIN_REQUEST, {"input": {"teamId": team_id}}, volunteer.token, "teamJoinRequest"
        )
        await ok(
            api,
            JOIN_DECIDE,
            {"input": {"requestId": asked["request"]["id"], "approve": True}},
            captain.token,
            "teamJoinDecide",
        )
    squad = Squad(place, staff, captain, volunteers, neighbour, team_id, "")
    created = await schedule(api, squad, key="first")
    squad.activity_id = created["activitySchedule"]["activity"]["id"]
    return squad


async def current_code(api: GraphQLClient, squad: Squad, activity_id: str | None = None) -> str:
    data = await api.data(CODE, {"activityId": activity_id or squad.activity_id}, squad.captain.token)
    code: str = data["activityCheckInCode"]["code"]
    return code


async def check_in(
    api: GraphQLClient, squad: Squad, person: Person, code: str | None = None
) -> dict[str, Any]:
    payload: dict[str, Any] = (
        await api.data(
            CHECK_IN,
            {"input": {"code": code or await current_code(api, squad), "activityId": squad.activity_id}},
            person.token,
        )
    )["attendanceCheckIn"]
    return payload


async def check_out(api: GraphQLClient, squad: Squad, person: Person) -> dict[str, Any]:
    payload: dict[str, Any] = (
        await api.data(
            CHECK_OUT,
            {"input": {"code": await current_code(api, squad), "activityId": squad.activity_id}},
            person.token,
        )
    )["attendanceCheckOut"]
    return payload


async def balance(api: GraphQLClient, squad: Squad, person: Person) -> int:
    data = await api.data(BALANCE, {"communityId": squad.community_id}, person.token)
    return int(data["myPoints"]["balance"])
