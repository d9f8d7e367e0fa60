"""Operations and a small community for the board, inspection and flag tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from models.enums import Role
from models.places import Building, Entrance, Household
from models.teams import Team, TeamKind, TeamMember
from runtime import clock
from services import tags
from services.access import load_viewer
from services.tokens import issue_access_token
from tests.support.graphql import GraphQLClient
from tests.support.people import Neighbourhood, Person, gid, make_neighbourhood, make_person

BOARD = """
query Board($communityId: ID!, $scope: BoardScope!, $scopeId: ID, $month: String, $first: Int,
            $after: String) {
  leaderboard(communityId: $communityId, scope: $scope, scopeId: $scopeId, month: $month,
              first: $first, after: $after) {
    board {
      period myPoints
      me { rank points name isMe }
      entries { totalCount edges { cursor node { rank points name isMe } }
                pageInfo { hasNextPage endCursor } }
    }
    errors { code field }
  }
}"""
GROUPS = """
query Groups($communityId: ID!, $kind: GroupBoardKind!, $month: String) {
  groupBoard(communityId: $communityId, kind: $kind, month: $month) {
    period entries { id name rank points households perHousehold } errors { code field }
  }
}"""
PRIVACY = """
mutation Privacy($input: BoardPrivacySetInput!) {
  boardPrivacySet(input: $input) { byInitials errors { code field } }
}"""
AWARD = """
mutation Award($input: PointsManualInput!) {
  pointsAward(input: $input) { transfer { id } errors { code field } }
}"""
DEDUCT = """
mutation Deduct($input: PointsManualInput!) {
  pointsDeduct(input: $input) { transfer { id } errors { code field } }
}"""
REVERSE = """
mutation Reverse($input: PointTransferReverseInput!) {
  pointTransferReverse(input: $input) { transfer { id } errors { code field } }
}"""
INSPECT = """
mutation Inspect($input: InspectionRecordInput!) {
  inspectionRecord(input: $input) { inspection { score notes localDay entranceName } errors { code field } }
}"""
BREAKDOWN = """
  entranceId entranceName eligible reason rank score inspections averageInspection cleanliness
  households volunteeringHouseholds volunteering reportsCounted reportsInTime reports
"""
STANDING = f"""
query Standing($communityId: ID!, $month: String) {{
  corridorStanding(communityId: $communityId, month: $month) {{
    standing {{ month provisional entrances {{ {BREAKDOWN} }} }}
    errors {{ code field }}
  }}
}}"""
WEIGHTS = """
mutation Weights($input: CorridorWeightsSetInput!) {
  corridorWeightsSet(input: $input) {
    weights { inspection volunteering reports minInspections } errors { code field }
  }
}"""
CLOSE = f"""
mutation Close($input: MonthCloseInput!) {{
  monthClose(input: $input) {{
    created
    award {{ month holdsMonth entranceId entranceName score
             weights {{ inspection volunteering reports minInspections }}
             breakdown {{ {BREAKDOWN} }} }}
    errors {{ code field }}
  }}
}}"""
HISTORY = """
query History($communityId: ID!, $first: Int, $after: String) {
  corridorFlagHistory(communityId: $communityId, first: $first, after: $after) {
    totalCount nodes { month holdsMonth entranceName score breakdown { entranceName rank score } }
    pageInfo { hasNextPage endCursor }
  }
}"""
SCAN = """
query Scan($code: String!) {
  scanTag(code: $code) {
    scan { label corridorFlag { holdsFlag month provisionalRank provisionalScore eligible } }
    errors { code }
  }
}"""


@dataclass
class Town:
    """Building 4号楼 (entrance E1: households 301, 302) and building 5号楼 (entrance E2: 101),
    and an entrance E3 with household 201 nobody lives in."""

    place: Neighbourhood
    building2: Building
    e1: Entrance
    e2: Entrance
    e3: Entrance
    h101: Household
    staff: Person
    cleaner: Person
    a: Person  # lives in 301
    b: Person  # lives in 302
    c: Person  # lives in 101
    d: Person  # no household
    team: Team  # c and d

    @property
    def cid(self) -> str:
        return gid("Community", self.place.community.id)


async def make_town() -> Town:
    place = await make_neighbourhood()
    community = place.community
    building2 = await Building.create(community=community, compound=place.compound, name="5号楼")
    e2 = await Entrance.create(community=community, building=building2, name="1单元")
    e3 = await Entrance.create(community=community, building=building2, name="3单元")
    h101 = await Household.create(community=community, entrance=e2, number="101")
    await Household.create(community=community, entrance=e3, number="201")
    staff = await make_person(community, (Role.STAFF,), name="Office")
    cleaner = await make_person(community, (Role.CLEANER,), name="Kang")
    a = await make_person(community, household=place.households[0], name="An Ping")
    b = await make_person(community, household=place.households[1], name="Bo Hai")
    c = await make_person(community, household=h101, name="Chen Li")
    d = await make_person(community, name="Du Wen")
    team = await Team.create(
        community=community, name="巡逻队", kind=TeamKind.RIVER_PATROL, created_at=clock.now()
    )
    for person in (c, d):
        await TeamMember.create(community=community, team=team, user=person.user, joined_at=clock.now())
    return Town(place, building2, place.entrance, e2, e3, h101, staff, cleaner, a, b, c, d, team)


async def award(api: GraphQLClient, town: Town, who: Person, amount: int, key: str) -> str:
    data = await api.data(
        AWARD,
        {
            "input": {
                "communityId": town.cid,
                "userId": gid("User", who.user.id),
                "amount": amount,
                "reason": "good work",
                "idempotencyKey": key,
            }
        },
        town.staff.token,
    )
    assert data["pointsAward"]["errors"] == [], data
    transfer_id: str = data["pointsAward"]["transfer"]["id"]
    return transfer_id


async def board(
    api: GraphQLClient, town: Town, who: Person, scope: str = "COMMUNITY", **variables: Any
) -> dict[str, Any]:
    data = await api.data(BOARD, {"communityId": town.cid, "scope": scope, **variables}, who.token)
    payload: dict[str, Any] = data["leaderboard"]
    return payload


def ranks(payload: dict[str, Any]) -> list[tuple[int, str, int]]:
    return [
        (e["node"]["rank"], e["node"]["name"], e["node"]["points"])
        for e in payload["board"]["entries"]["edges"]
    ]


async def entrance_code(town: Town, entrance: Entrance) -> str:
    viewer = await load_viewer(town.staff.user.id)
    return tags.code_of(await tags.create_tag(viewer, entrance))


def renew_tokens(town: Town) -> None:
    """After moving the clock past the access tokens' lifetime."""
    for person in (town.staff, town.cleaner, town.a, town.b, town.c, town.d):
        person.token, _ = issue_access_token(person.user.id)
