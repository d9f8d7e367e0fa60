"""The seeded demo, as a newcomer meets it: sign in with the printed staff login and browse down to
a household that needs care."""

from __future__ import annotations

from typing import Any

from models.places import Household, HouseholdCareTag
from services.demo import DEMO_PASSWORD, seed_register
from tests.support.graphql import GraphQLClient

SIGN_IN = """
mutation($input: SessionCreateInput!) {
  sessionCreate(input: $input) { accessToken errors { code } }
}
"""
ME = "{ me { memberships { roles community { id name slug } } } }"
COMPOUNDS = """
query($id: ID!) { community(id: $id) { compounds(first: 8) { totalCount nodes { id name } } } }
"""
_PAGE = "(first: 100, after: $after) { nodes { id name } pageInfo { hasNextPage endCursor } }"
CHILDREN = f"""
query($id: ID!, $after: String) {{
  node(id: $id) {{
    ... on Compound {{ buildings{_PAGE} }}
    ... on Building {{ entrances{_PAGE} }}
    ... on Entrance {{ households{_PAGE} }}
  }}
}}
"""


async def _child(api: GraphQLClient, token: str, parent_id: str, name: str) -> str:
    """The id of the named child of a place, paging through its children as the app would."""
    after = None
    while True:
        data = await api.data(CHILDREN, {"id": parent_id, "after": after}, token)
        (connection,) = data["node"].values()
        for node in connection["nodes"]:
            if node["name"] == name:
                node_id: str = node["id"]
                return node_id
        if not connection["pageInfo"]["hasNextPage"]:
            raise AssertionError(f"{name} is not under {parent_id}")
        after = connection["pageInfo"]["endCursor"]


async def test_the_printed_staff_login_browses_to_a_household_in_care(api: GraphQLClient) -> None:
    # given the seeded demo and its printed staff login
    seeded = await seed_register()
    login = next(login for login in seeded.logins if login.role == "staff")
    assert login.password == DEMO_PASSWORD

    # when they sign in over the API with the phone number as printed
    signed_in = await api.data(SIGN_IN, {"input": {"phone": login.phone, "password": login.password}})
    assert signed_in["sessionCreate"]["errors"] == []
    token = signed_in["sessionCreate"]["accessToken"]

    # then they are staff of 红星社区 with its 8 compounds
    me = await api.data(ME, token=token)
    (membership,) = me["me"]["memberships"]
    assert "STAFF" in membership["roles"]
    community = membership["community"]
    assert (community["name"], community["slug"]) == ("红星社区", "hongxing")
    compounds = (await api.data(COMPOUNDS, {"id": community["id"]}, token))["community"]["compounds"]
    assert compounds["totalCount"] == 8

    # and browsing compound → building → entrance → household finds a tagged household's tags
    tagged = await HouseholdCareTag.filter(household__community__slug="hongxing").order_by("-id").first()
    assert tagged is not None
    household: Any = await Household.get(id=tagged.household_id).prefetch_related(
        "entrance__building__compound"
    )
    entrance = household.entrance
    compound_id = next(c["id"] for c in compounds["nodes"] if c["name"] == entrance.building.compound.name)
    building_id = await _child(api, token, compound_id, entrance.building.name)
    entrance_id = await _child(api, token, building_id, entrance.name)
    household_id = await _child(api, token, entrance_id, household.number)
    data = await api.data(
        """query($id: ID!) { node(id: $id) { ... on Household { name areaM2 careTags } } }""",
        {"id": household_id},
        token,
    )
    expected = sorted(
        kind.upper()
        for kind in await HouseholdCareTag.filter(household_id=household.id).values_list("kind", flat=True)
    )
    assert data["node"]["name"] == household.number
    assert data["node"]["careTags"] == expected
    assert expected
