"""Joining teams, scheduling, service hours, and who may see what."""

from __future__ import annotations

from datetime import timedelta

from models.enums import Role
from runtime import clock
from runtime.clock import MovableClock
from tests.api.teams import support
from tests.support.graphql import GraphQLClient
from tests.support.people import gid, make_person

TEAM = """
query Team($id: ID!) {
  team(id: $id) {
    name kind
    myMembership { isCaptain }
    members(first: 10) { totalCount nodes { isCaptain user { id displayName } } }
    joinRequests { totalCount nodes { id status user { id } } }
  }
}"""
MY_HOURS = """
query Hours($c: ID!, $year: Int) {
  myServiceHours(communityId: $c, year: $year) { kind month minutes hours attendances }
}
"""
TEAM_HOURS = """
query TeamHours($id: ID!, $month: String) {
  teamHours(teamId: $id, month: $month) { kind month minutes user { id } }
}"""


async def test_people_ask_to_join_and_a_captain_decides(api: GraphQLClient) -> None:
    squad = await support.make_squad(api)
    newcomer = await make_person(squad.place.community, (Role.RESIDENT,), name="newcomer")
    asked = await support.ok(
        api, support.JOIN_REQUEST, {"input": {"teamId": squad.team_id}}, newcomer.token, "teamJoinRequest"
    )
    again = await support.ok(
        api, support.JOIN_REQUEST, {"input": {"teamId": squad.team_id}}, newcomer.token, "teamJoinRequest"
    )
    assert again["request"]["id"] == asked["request"]["id"]

    seen = await api.data(TEAM, {"id": squad.team_id}, squad.captain.token)
    assert seen["team"]["joinRequests"]["totalCount"] == 1
    assert seen["team"]["members"]["totalCount"] == 3
    assert await api.error_codes(TEAM, {"id": squad.team_id}, newcomer.token) == ["FORBIDDEN"]

    decide = {"input": {"requestId": asked["request"]["id"], "approve": True}}
    assert await api.error_codes(support.JOIN_DECIDE, decide, squad.volunteers[0].token) == ["FORBIDDEN"]
    approved = await support.ok(api, support.JOIN_DECIDE, decide, squad.captain.token, "teamJoinDecide")
    assert approved["request"]["status"] == "APPROVED"
    same = await support.ok(api, support.JOIN_DECIDE, decide, squad.captain.token, "teamJoinDecide")
    assert same["request"]["status"] == "APPROVED"
    decline = {"input": {"requestId": asked["request"]["id"], "approve": False}}
    assert await support.errors(api, support.JOIN_DECIDE, decline, squad.captain.token, "teamJoinDecide") == [
        "ALREADY_DECIDED"
    ]
    assert await support.errors(
        api, support.JOIN_REQUEST, {"input": {"teamId": squad.team_id}}, newcomer.token, "teamJoinRequest"
    ) == ["ALREADY_MEMBER"]
    mine = await api.data(
        "query T($id: ID!) { team(id: $id) { myMembership { isCaptain } members { totalCount } } }",
        {"id": squad.team_id},
        newcomer.token,
    )
    assert mine["team"] == {"myMembership": {"isCaptain": False}, "members": {"totalCount": 4}}


async def test_scheduling_checks_who_when_where_and_replays(api: GraphQLClient) -> None:
    squad = await support.make_squad(api)
    other = await support.make_squad(api, slug="lanting")
    created = await support.schedule(api, squad, key="k", capacity=10)
    activity = created["activitySchedule"]["activity"]
    assert activity["kind"] == "SNOW_CLEARING" and activity["capacity"] == 10
    assert activity["place"]["id"] == gid("Building", squad.place.building.id)
    assert (await support.schedule(api, squad, key="k", capacity=10))["activitySchedule"]["activity"][
        "id"
    ] == activity["id"]
    reused = await support.schedule(api, squad, key="k", capacity=11)
    assert [e["code"] for e in reused["activitySchedule"]["errors"]] == ["IDEMPOTENCY_KEY_REUSED"]

    def codes(data: dict) -> list[tuple[str, str]]:  # type: ignore[type-arg]
        return [(e["code"], e["field"]) for e in data["activitySchedule"]["errors"]]

    assert codes(await support.schedule(api, squad, key="a", hours=-1)) == [("INVALID_INPUT", "endsAt")]
    assert codes(await support.schedule(api, squad, key="b", hours=30)) == [("INVALID_INPUT", "endsAt")]
    past = clock.now() - timedelta(hours=5)
    assert codes(await support.schedule(api, squad, key="c", starts_at=past)) == [("INVALID_INPUT", "endsAt")]
    assert codes(await support.schedule(api, squad, key="d", capacity=0)) == [("INVALID_INPUT", "capacity")]
    assert codes(
        await support.schedule(api, squad, key="e", placeId=gid("Building", other.place.building.id))
    ) == [("NOT_FOUND", "placeId")]
    assert codes(
        await support.schedule(api, squad, key="f", placeId=gid("Household", squad.place.households[0].id))
    ) == [("INVALID_PARENT", "placeId")]
    # A volunteer is not a captain; another community's captain does not see the team.
    variables = {
        "input": {
            "teamId": squad.team_id,
            "title": "x",
            "placeId": gid("Building", squad.place.building.id),
            "startsAt": clock.now().isoformat(),
            "endsAt": (clock.now() + timedelta(hours=1)).isoformat(),
            "idempotencyKey": "z",
        }
    }
    assert await api.error_codes(support.SCHEDULE, variables, squad.volunteers[0].token) == ["FORBIDDEN"]
    foreign = await api.data(support.SCHEDULE, variables, other.captain.token)
    assert [e["code"] for e in foreign["activitySchedule"]["errors"]] == ["NOT_FOUND"]


async def test_another_communitys_teams_and_activities_are_not_there(api: GraphQLClient) -> None:
    squad = await support.make_squad(api)
    other = await support.make_squad(api, slug="lanting")
    assert (await api.data(TEAM, {"id": squad.team_id}, other.captain.token))["team"] is None
    activity = await api.data(
        "query A($id: ID!) { activity(id: $id) { id } }", {"id": squad.activity_id}, other.staff.token
    )
    assert activity["activity"] is None
    code = await support.current_code(api, squad)
    foreign = await api.data(support.CHECK_IN, {"input": {"code": code}}, other.volunteers[0].token)
    assert [e["code"] for e in foreign["attendanceCheckIn"]["errors"]] == ["NOT_FOUND"]
    assert await api.error_codes(support.CODE, {"activityId": squad.activity_id}, other.captain.token) == [
        "NOT_FOUND"
    ]
    listed = await api.post(
        "query L($c: ID!) { teams(communityId: $c) { totalCount } }",
        {"c": squad.community_id},
        other.staff.token,
    )
    assert [e["extensions"]["code"] for e in listed["errors"]] == ["NOT_FOUND"]
    assert await api.error_codes(
        "query L($c: ID!) { teams(communityId: $c) { totalCount } }", {"c": squad.community_id}
    ) == ["UNAUTHENTICATED"]


async def test_hours_by_kind_and_month_for_me_and_for_the_captain(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    squad = await support.make_squad(api)
    first, second = squad.volunteers
    for person in (first, second):
        assert (await support.check_in(api, squad, person))["errors"] == []
    moved_clock.advance(minutes=45)
    squad.renew_tokens()
    approved = []
    for person in (first, second):
        approved.append((await support.check_out(api, squad, person))["attendance"]["id"])
    for attendance_id in approved:
        await support.ok(
            api,
            support.APPROVE,
            {"input": {"attendanceId": attendance_id}},
            squad.captain.token,
            "attendanceApprove",
        )

    # Next month (Shanghai time): another shift of 60 minutes for the first volunteer.
    moved_clock.set(clock.now().replace(month=12, day=2, hour=1, minute=0))
    squad.renew_tokens()
    december = await support.schedule(api, squad, key="dec")
    squad.activity_id = december["activitySchedule"]["activity"]["id"]
    assert (await support.check_in(api, squad, first))["errors"] == []
    moved_clock.advance(minutes=60)
    squad.renew_tokens()
    out = await support.check_out(api, squad, first)
    await support.ok(
        api,
        support.APPROVE,
        {"input": {"attendanceId": out["attendance"]["id"]}},
        squad.captain.token,
        "attendanceApprove",
    )

    mine = await api.data(MY_HOURS, {"c": squad.community_id}, first.token)
    assert mine["myServiceHours"] == [
        {"kind": "SNOW_CLEARING", "month": "2026-11", "minutes": 45, "hours": 0.75, "attendances": 1},
        {"kind": "SNOW_CLEARING", "month": "2026-12", "minutes": 60, "hours": 1.0, "attendances": 1},
    ]
    assert (await api.data(MY_HOURS, {"c": squad.community_id, "year": 2025}, first.token))[
        "myServiceHours"
    ] == []

    board = await api.data(TEAM_HOURS, {"id": squad.team_id, "month": "2026-11"}, squad.captain.token)
    assert sorted((r["user"]["id"], r["minutes"]) for r in board["teamHours"]) == sorted(
        [(gid("User", first.user.id), 45), (gid("User", second.user.id), 45)]
    )
    assert await api.error_codes(TEAM_HOURS, {"id": squad.team_id}, first.token) == ["FORBIDDEN"]
    assert await api.error_codes(TEAM_HOURS, {"id": squad.team_id, "month": "Nov"}, squad.captain.token) == [
        "INVALID_INPUT"
    ]
