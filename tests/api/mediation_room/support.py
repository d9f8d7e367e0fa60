"""Operations of the mediation room and the home observers, and a community to run them in:
the office, two mediators, an observer of the compound, residents of both households."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from models.enums import Role
from tests.support.graphql import GraphQLClient
from tests.support.people import Neighbourhood, Person, gid, make_neighbourhood, make_person

CASE_FIELDS = """
id category state summary openedAt agreement agreementSignedOn followUpOn followUpNote outcomeNote closedAt
parties { household label } mediators { user displayName }
sessions { id heldOn attended notes } timeline { kind at actorName }
"""
APPOINT_MEDIATOR = """
mutation MA($input: MediatorAppointInput!) {
  mediatorAppoint(input: $input) { appointed errors { code field } }
}
"""
OPEN = f"""
mutation MO($input: MediationCaseOpenInput!) {{
  mediationCaseOpen(input: $input) {{ case {{ {CASE_FIELDS} }} errors {{ code field }} }}
}}"""
SESSION = f"""
mutation MS($input: MediationSessionRecordInput!) {{
  mediationSessionRecord(input: $input) {{
    session {{ id heldOn }} case {{ {CASE_FIELDS} }} errors {{ code field }}
  }}
}}"""
AGREE = f"""
mutation MAg($input: MediationAgreementRecordInput!) {{
  mediationAgreementRecord(input: $input) {{ case {{ {CASE_FIELDS} }} errors {{ code field }} }}
}}"""
FOLLOW_UP = f"""
mutation MF($input: MediationFollowUpRecordInput!) {{
  mediationFollowUpRecord(input: $input) {{ case {{ {CASE_FIELDS} }} errors {{ code field }} }}
}}"""
CLOSE = f"""
mutation MC($input: MediationCaseCloseInput!) {{
  mediationCaseClose(input: $input) {{ case {{ {CASE_FIELDS} }} errors {{ code field }} }}
}}"""
CASE = f"query Q($id: ID!) {{ mediationCase(id: $id) {{ {CASE_FIELDS} }} }}"
CASES = f"""
query L($c: ID!, $state: MediationCaseState, $first: Int) {{
  mediationCases(communityId: $c, state: $state, first: $first) {{ totalCount nodes {{ {CASE_FIELDS} }} }}
}}"""
COUNTS = """
query N($c: ID!, $year: Int) {
  mediationCounts(communityId: $c, year: $year) { year settled byCategory { category settled } }
}"""

VISIT_FIELDS = """
id compound observerName visitedAt spot seen
opinions { id text status isMine } interventions { id category summary settledOnSpot case }
"""
OBSERVER_APPOINT = """
mutation OA($input: ObserverAppointInput!) {
  observerAppoint(input: $input) {
    post { compound compoundName observer observerName } errors { code field }
  }
}"""
VISIT = f"""
mutation OV($input: ObserverVisitRecordInput!) {{
  observerVisitRecord(input: $input) {{ visit {{ {VISIT_FIELDS} }} errors {{ code field }} }}
}}"""
TAKE = """
mutation OT($input: ObserverOpinionTakeInput!) {
  observerOpinionTake(input: $input) { opinion { id status isMine } errors { code field } }
}"""
STEP_IN = """
mutation OS($input: ObserverDisputeStepInInput!) {
  observerDisputeStepIn(input: $input) {
    intervention { id category settledOnSpot case } errors { code field }
  }
}"""
REFER = f"""
mutation OR($input: ObserverDisputeReferInput!) {{
  observerDisputeRefer(input: $input) {{ case {{ {CASE_FIELDS} }} errors {{ code field }} }}
}}"""
VISITS = f"""
query V($c: ID!, $compound: ID, $first: Int) {{
  observerVisits(communityId: $c, compoundId: $compound, first: $first) {{
    totalCount nodes {{ {VISIT_FIELDS} }}
  }}
}}"""
POSTS = "query P($c: ID!) { observerPosts(communityId: $c) { compound compoundName observer observerName } }"
MONTH = """
query M($c: ID!, $m: String!) {
  observerMonthCounts(communityId: $c, month: $m) {
    month visits opinionsCollected opinionsTakenUp disputesSteppedInto disputesSettledOnSpot disputesReferred
  }
}"""


@dataclass
class Room:
    place: Neighbourhood
    staff: Person
    mediators: list[Person]
    observer: Person
    residents: list[Person]

    @property
    def cid(self) -> str:
        return gid("Community", self.place.community.id)

    @property
    def households(self) -> list[str]:
        return [gid("Household", h.id) for h in self.place.households]

    def mediator_ids(self, *people: Person) -> list[str]:
        return [gid("User", p.user.id) for p in people]


async def make_room(api: GraphQLClient, slug: str = "hongxing", name: str = "红星社区") -> Room:
    """The office appoints two mediators and one observer through the API."""
    place = await make_neighbourhood(slug=slug, name=name)
    staff = await make_person(place.community, (Role.STAFF,), name="社区主任")
    mediators = [await make_person(place.community, (Role.RESIDENT,), name=n) for n in ("老张", "老李")]
    observer = await make_person(place.community, (Role.RESIDENT,), name="观察员王")
    residents = [
        await make_person(place.community, (Role.RESIDENT,), household=place.households[i], name=f"住户{i}")
        for i in range(2)
    ]
    room = Room(place, staff, mediators, observer, residents)
    for mediator in mediators:
        await ok(
            api,
            APPOINT_MEDIATOR,
            {"input": {"communityId": room.cid, "userId": gid("User", mediator.user.id)}},
            staff.token,
        )
    compound = gid("Compound", place.compound.id)
    await ok(
        api,
        OBSERVER_APPOINT,
        {"input": {"compoundId": compound, "userId": gid("User", observer.user.id)}},
        staff.token,
    )
    return room


async def payload(api: GraphQLClient, query: str, variables: dict[str, Any], token: str) -> dict[str, Any]:
    data = await api.data(query, variables, token)
    return next(iter(data.values()))  # type: ignore[no-any-return]


async def ok(api: GraphQLClient, query: str, variables: dict[str, Any], token: str) -> dict[str, Any]:
    found = await payload(api, query, variables, token)
    assert found["errors"] == [], found["errors"]
    return found


async def codes(api: GraphQLClient, query: str, variables: dict[str, Any], token: str) -> list[str]:
    return [e["code"] for e in (await payload(api, query, variables, token))["errors"]]


async def open_case(
    api: GraphQLClient, room: Room, *mediators: Person, category: str = "WATER_LEAK"
) -> dict[str, Any]:
    opened = await ok(
        api,
        OPEN,
        {
            "input": {
                "communityId": room.cid,
                "category": category,
                "summary": "301漏水渗到302天花板，两家争执维修费",
                "partyHouseholdIds": room.households,
                "mediatorIds": room.mediator_ids(*(mediators or (room.mediators[0],))),
            }
        },
        room.staff.token,
    )
    return opened["case"]  # type: ignore[no-any-return]
