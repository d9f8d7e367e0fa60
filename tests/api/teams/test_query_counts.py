"""List fields of teams and activities cost a fixed number of statements, however long the list."""

from __future__ import annotations

from typing import Any

from tests.api.teams import support
from tests.conftest import QueryCounter
from tests.support.graphql import GraphQLClient

MY_ACTIVITIES = """
query Mine($c: ID!) {
  myActivities(communityId: $c, first: 50) {
    totalCount
    nodes {
      title startsAt openToCommunity
      team { name myMembership { isCaptain } }
      place { id name }
      myAttendance { status }
      attendances(first: 20) { totalCount nodes { status user { displayName } activity { title } } }
      logs(first: 5) { totalCount nodes { kind author { displayName } } }
    }
  }
}"""
TEAMS = """
query Teams($c: ID!) {
  teams(communityId: $c, first: 50) {
    nodes {
      name
      members(first: 20) { totalCount nodes { isCaptain user { displayName } } }
      activities { totalCount }
    }
  }
}"""


async def _count(
    api: GraphQLClient, queries: QueryCounter, query: str, squad: support.Squad
) -> tuple[int, Any]:
    queries.statements.clear()
    data = await api.data(query, {"c": squad.community_id}, squad.captain.token)
    return queries.count, data


async def test_my_activities_cost_the_same_for_two_or_eight(
    api: GraphQLClient, queries: QueryCounter
) -> None:
    squad = await support.make_squad(api)
    assert (await support.check_in(api, squad, squad.volunteers[0]))["errors"] == []
    small, data = await _count(api, queries, MY_ACTIVITIES, squad)
    assert data["myActivities"]["totalCount"] == 1
    for n in range(7):
        await support.schedule(api, squad, key=f"more{n}")
    large, data = await _count(api, queries, MY_ACTIVITIES, squad)
    assert data["myActivities"]["totalCount"] == 8
    assert data["myActivities"]["nodes"][0]["attendances"]["totalCount"] == 1
    assert large == small, queries.statements
    # viewer 1; the page and its count each: my teams, emergencies in force, the rows (6); then one
    # batch each: team, my membership, place, emergencies in force, my attendance, captain's teams,
    # attendances page and count, their users and activities, logs page and count (12).
    assert large == 1 + 6 + 12, queries.statements


async def test_teams_with_members_cost_the_same_for_one_or_five(
    api: GraphQLClient, queries: QueryCounter
) -> None:
    squad = await support.make_squad(api)
    small, _ = await _count(api, queries, TEAMS, squad)
    for n in range(4):
        await support.ok(
            api,
            support.TEAM_CREATE,
            {"input": {"communityId": squad.community_id, "name": f"team {n}", "kind": "CLEANING"}},
            squad.staff.token,
            "teamCreate",
        )
    large, data = await _count(api, queries, TEAMS, squad)
    assert len(data["teams"]["nodes"]) == 5
    assert large == small, queries.statements
