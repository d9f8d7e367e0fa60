"""Who may see and change what of a community's places.

Community A (红星) has one person for every role, the resident living in household 301; community
B (滨河) has its own staff member. Household 301 carries a party-member tag, 302 a hardship tag.
Rules: members of A see A's tree; only A's office (staff, admin) sees its households, and only A's
staff see their care tags (a member also sees their own home, never its tags); only A's staff and
admin change places; only A's staff set care tags. Nobody else learns that A's places exist:
they are "not found", never "forbidden".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from models.enums import CareTagKind, Role
from models.people import Membership, MembershipRole
from models.places import Building, Community, Compound, Entrance, Household, HouseholdCareTag
from tests.api.places.tree import register_snapshot
from tests.support.graphql import GraphQLClient
from tests.support.people import Neighbourhood, Person, gid, make_neighbourhood, make_person

A_ROLES = {role.value: role for role in Role}
CALLERS = [*A_ROLES, "staff of B", "anonymous"]

# Every name of community A, none of which may reach a caller from outside it.
A_NAMES = ("红星社区", "hongxing", "红星休闲小区", "红星4号楼", "红星2单元", "红星301", "红星302")
TAG_WORDS = ("PARTY_MEMBER", "HARDSHIP", "party_member", "hardship")


@dataclass
class World:
    a: Neighbourhood
    b: Neighbourhood
    callers: dict[str, Person | None]

    def token(self, caller: str) -> str | None:
        person = self.callers[caller]
        return person.token if person else None


async def _rename(place: Neighbourhood, prefix: str) -> None:
    await Compound.filter(id=place.compound.id).update(name=f"{prefix}休闲小区")
    await Building.filter(id=place.building.id).update(name=f"{prefix}4号楼")
    await Entrance.filter(id=place.entrance.id).update(name=f"{prefix}2单元")
    for household in place.households:
        await Household.filter(id=household.id).update(number=f"{prefix}{household.number}")


@pytest.fixture
async def world() -> World:
    a = await make_neighbourhood("hongxing", "红星社区")
    b = await make_neighbourhood("binhe", "滨河社区")
    await _rename(a, "红星")
    await _rename(b, "滨河")
    await HouseholdCareTag.create(
        community=a.community, household=a.households[0], kind=CareTagKind.PARTY_MEMBER
    )
    await HouseholdCareTag.create(community=a.community, household=a.households[1], kind=CareTagKind.HARDSHIP)
    callers: dict[str, Person | None] = {}
    for name, role in A_ROLES.items():
        home = a.households[0] if role is Role.RESIDENT else None
        callers[name] = await make_person(a.community, (role,), household=home)
    callers["staff of B"] = await make_person(b.community, (Role.STAFF,))
    callers["anonymous"] = None
    return World(a, b, callers)


def _codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


# --- reading ---------------------------------------------------------------------------------

TREE = """
query($id: ID!) {
  community(id: $id) {
    name
    compounds { totalCount nodes { name buildings { nodes { name entrances {
      nodes { name householdCount } } } } } }
  }
}
"""

A_TREE = {
    "name": "红星社区",
    "compounds": {
        "totalCount": 1,
        "nodes": [
            {
                "name": "红星休闲小区",
                "buildings": {
                    "nodes": [
                        {
                            "name": "红星4号楼",
                            "entrances": {"nodes": [{"name": "红星2单元", "householdCount": 2}]},
                        }
                    ]
                },
            }
        ],
    },
}


@pytest.mark.parametrize("caller", CALLERS)
async def test_reading_the_tree(api: GraphQLClient, world: World, caller: str) -> None:
    # when the caller asks for A's tree
    body = await api.post(TREE, {"id": gid("Community", world.a.community.id)}, world.token(caller))

    # then every member of A sees it, B's staff get null, and the anonymous must sign in
    if caller in A_ROLES:
        assert "errors" not in body
        assert body["data"]["community"] == A_TREE
    elif caller == "staff of B":
        assert body == {"data": {"community": None}}
    else:
        assert _codes(body) == ["UNAUTHENTICATED"]
        assert body["data"] == {"community": None}


NODES = """
query($community: ID!, $compound: ID!, $building: ID!, $entrance: ID!, $home: ID!, $other: ID!) {
  community: node(id: $community) { id }
  compound: node(id: $compound) { id }
  building: node(id: $building) { id }
  entrance: node(id: $entrance) { id }
  home: node(id: $home) { id ... on Household { name } }
  other: node(id: $other) { id ... on Household { name } }
}
"""

# Which of A's objects each caller gets from node(id); `home` is the resident's household 301.
VISIBLE_NODES = {
    **{
        role: {"community", "compound", "building", "entrance", "home", "other"}
        for role in ("staff", "admin")
    },
    "resident": {"community", "compound", "building", "entrance", "home"},
    **{
        role: {"community", "compound", "building", "entrance"}
        for role in ("volunteer", "captain", "repairer", "cleaner", "observer", "mediator")
    },
    "staff of B": set(),
}


def _node_ids(world: World) -> dict[str, str]:
    a = world.a
    return {
        "community": gid("Community", a.community.id),
        "compound": gid("Compound", a.compound.id),
        "building": gid("Building", a.building.id),
        "entrance": gid("Entrance", a.entrance.id),
        "home": gid("Household", a.households[0].id),
        "other": gid("Household", a.households[1].id),
    }


@pytest.mark.parametrize("caller", CALLERS)
async def test_node_of_each_place_kind(api: GraphQLClient, world: World, caller: str) -> None:
    ids = _node_ids(world)

    body = await api.post(NODES, ids, world.token(caller))

    if caller == "anonymous":
        assert _codes(body) == ["UNAUTHENTICATED"] * 6
        return
    assert "errors" not in body
    visible = {key for key, value in body["data"].items() if value is not None}
    assert visible == VISIBLE_NODES[caller]
    for key in visible:
        assert body["data"][key]["id"] == ids[key]
    if "home" in visible:
        assert body["data"]["home"]["name"] == "红星301"


HOUSEHOLDS = """
query($id: ID!) {
  node(id: $id) { ... on Entrance { householdCount households { totalCount nodes { name } } } }
}
"""


@pytest.mark.parametrize("caller", CALLERS)
async def test_households_of_an_entrance_are_for_staff(api: GraphQLClient, world: World, caller: str) -> None:
    body = await api.post(HOUSEHOLDS, {"id": gid("Entrance", world.a.entrance.id)}, world.token(caller))

    if caller in ("staff", "admin"):
        assert body == {
            "data": {
                "node": {
                    "householdCount": 2,
                    "households": {"totalCount": 2, "nodes": [{"name": "红星301"}, {"name": "红星302"}]},
                }
            }
        }
    elif caller in A_ROLES:
        # the count is public to members, the list is not
        assert _codes(body) == ["FORBIDDEN"]
        assert body["data"] == {"node": {"householdCount": 2, "households": None}}
    elif caller == "staff of B":
        assert body == {"data": {"node": None}}
    else:
        assert _codes(body) == ["UNAUTHENTICATED"]


CARE_TAGS = """
query($home: ID!, $other: ID!) {
  home: node(id: $home) { ... on Household { name careTags } }
  other: node(id: $other) { ... on Household { name careTags } }
}
"""


@pytest.mark.parametrize("caller", CALLERS)
async def test_care_tags_are_for_the_communitys_staff_only(
    api: GraphQLClient, world: World, caller: str
) -> None:
    ids = {
        "home": gid("Household", world.a.households[0].id),
        "other": gid("Household", world.a.households[1].id),
    }

    response = await api.http.post(
        "/graphql",
        json={"query": CARE_TAGS, "variables": ids},
        headers={"authorization": f"Bearer {world.token(caller)}"} if world.token(caller) else {},
    )
    body = response.json()

    if caller == "staff":
        assert body == {
            "data": {
                "home": {"name": "红星301", "careTags": ["PARTY_MEMBER"]},
                "other": {"name": "红星302", "careTags": ["HARDSHIP"]},
            }
        }
        return
    # nobody else learns a tag, not even the household that carries it
    assert not any(word in response.text for word in TAG_WORDS)
    if caller == "admin":
        # the office's admin keeps the register but is not trusted with care tags
        assert _codes(body) == ["FORBIDDEN", "FORBIDDEN"]
        assert body["data"] == {
            "home": {"name": "红星301", "careTags": None},
            "other": {"name": "红星302", "careTags": None},
        }
    elif caller == "resident":
        assert _codes(body) == ["FORBIDDEN"]
        assert [error["path"] for error in body["errors"]] == [["home", "careTags"]]
        assert body["data"] == {"home": {"name": "红星301", "careTags": None}, "other": None}
    elif caller == "anonymous":
        assert _codes(body) == ["UNAUTHENTICATED", "UNAUTHENTICATED"]
    else:
        assert body == {"data": {"home": None, "other": None}}


async def test_a_resident_sees_their_home_but_never_its_care_tags(api: GraphQLClient, world: World) -> None:
    # given the resident of 301, which carries a party-member tag
    resident = world.callers["resident"]
    assert resident is not None

    # when they look at their own membership, with and without the tags
    plain = await api.data(
        "{ me { memberships { roles community { name } household { id name areaM2 } } } }",
        token=resident.token,
    )
    response = await api.http.post(
        "/graphql",
        json={"query": "{ me { memberships { household { name careTags } } } }"},
        headers={"authorization": f"Bearer {resident.token}"},
    )

    # then the household and its number are theirs to see, and the tags are refused
    assert plain["me"]["memberships"] == [
        {
            "roles": ["RESIDENT"],
            "community": {"name": "红星社区"},
            "household": {
                "id": gid("Household", world.a.households[0].id),
                "name": "红星301",
                "areaM2": "72.50",
            },
        }
    ]
    body = response.json()
    assert _codes(body) == ["FORBIDDEN"]
    assert body["errors"][0]["path"] == ["me", "memberships", 0, "household", "careTags"]
    assert body["data"]["me"]["memberships"][0]["household"] == {"name": "红星301", "careTags": None}
    assert not any(word in response.text for word in TAG_WORDS)


async def test_roles_count_only_in_the_community_that_gave_them(api: GraphQLClient, world: World) -> None:
    # given a person who is staff in B and a plain resident in A
    person = world.callers["staff of B"]
    assert person is not None
    membership = await Membership.create(user=person.user, community=world.a.community)
    await MembershipRole.create(membership=membership, community=world.a.community, role=Role.RESIDENT)

    # when they read both communities' households and try A's care tags
    a_body = await api.post(HOUSEHOLDS, {"id": gid("Entrance", world.a.entrance.id)}, person.token)
    b_body = await api.post(HOUSEHOLDS, {"id": gid("Entrance", world.b.entrance.id)}, person.token)
    tags = await api.data(
        CARE_TAGS_SET,
        {"input": {"householdId": gid("Household", world.a.households[1].id), "tags": []}},
        person.token,
    )

    # then B's staff role opens B's register only
    assert _codes(a_body) == ["FORBIDDEN"]
    assert a_body["data"]["node"]["households"] is None
    assert b_body["data"]["node"]["households"]["totalCount"] == 2
    assert tags["householdCareTagsSet"]["errors"] == [{"code": "NOT_FOUND", "field": "householdId"}]
    assert await HouseholdCareTag.filter(household_id=world.a.households[1].id).count() == 1


# --- changing --------------------------------------------------------------------------------

PLACE_CREATE = """
mutation($input: PlaceCreateInput!) { placeCreate(input: $input) { place { name } errors { code field } } }
"""
PLACE_RENAME = """
mutation($input: PlaceRenameInput!) { placeRename(input: $input) { place { name } errors { code field } } }
"""
CARE_TAGS_SET = """
mutation($input: HouseholdCareTagsSetInput!) {
  householdCareTagsSet(input: $input) { tags errors { code field } }
}
"""

OK, FORBIDDEN, NOT_FOUND, UNAUTHENTICATED = "ok", "FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED"
# caller → (create a compound, rename the compound, rename a household, set 302's care tags)
MAY_CHANGE = {
    "staff": (OK, OK, OK, OK),
    # the admin keeps the register of households but never touches care tags
    "admin": (OK, OK, OK, FORBIDDEN),
    # the resident can find their own home, so renaming it is forbidden rather than not found
    **{
        role: (FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND)
        for role in ("volunteer", "captain", "repairer", "cleaner", "observer", "mediator")
    },
    "resident": (FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND),
    "staff of B": (NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "anonymous": (UNAUTHENTICATED,) * 4,
}


def _outcome(body: dict[str, Any], field: str) -> str:
    """ "ok", the code of a top-level error, or the code of the payload's error."""
    if body.get("errors"):
        codes = set(_codes(body))
        assert len(codes) == 1, body
        assert body["data"] is None
        return codes.pop()
    errors = body["data"][field]["errors"]
    if not errors:
        return OK
    assert len(errors) == 1, errors
    return str(errors[0]["code"])


@pytest.mark.parametrize("caller", CALLERS)
async def test_who_may_change_places_and_care_tags(api: GraphQLClient, world: World, caller: str) -> None:
    a = world.a
    token = world.token(caller)
    before = await register_snapshot()

    create = await api.post(
        PLACE_CREATE, {"input": {"parentId": gid("Community", a.community.id), "name": "新建小区"}}, token
    )
    rename = await api.post(
        PLACE_RENAME, {"input": {"id": gid("Compound", a.compound.id), "name": "改名小区"}}, token
    )
    # the resident's own home, which they can see
    rename_home = await api.post(
        PLACE_RENAME, {"input": {"id": gid("Household", a.households[0].id), "name": "999"}}, token
    )
    tags = await api.post(
        CARE_TAGS_SET,
        {"input": {"householdId": gid("Household", a.households[1].id), "tags": ["DISABILITY"]}},
        token,
    )

    outcomes = (
        _outcome(create, "placeCreate"),
        _outcome(rename, "placeRename"),
        _outcome(rename_home, "placeRename"),
        _outcome(tags, "householdCareTagsSet"),
    )
    assert outcomes == MAY_CHANGE[caller]
    after = await register_snapshot()
    if caller == "staff":
        assert [name for _, _, name in after["compounds"] if name in {"新建小区", "改名小区"}] == [
            "改名小区",
            "新建小区",
        ]
        assert (a.households[1].id, CareTagKind.DISABILITY) in after["care_tags"]
        assert (a.households[0].id, a.entrance.id, "999", "72.50") in after["households"]
    elif caller == "admin":
        assert (a.households[0].id, a.entrance.id, "999", "72.50") in after["households"]
        assert after["care_tags"] == before["care_tags"]
        assert len(after["compounds"]) == len(before["compounds"]) + 1
    else:
        assert after == before
    for body in (create, rename, rename_home, tags):
        for error in body.get("errors", []):
            assert error.get("path") and "field" not in error["extensions"]


async def test_a_resident_setting_their_own_homes_tags_is_forbidden(api: GraphQLClient, world: World) -> None:
    resident = world.callers["resident"]
    assert resident is not None

    body = await api.post(
        CARE_TAGS_SET,
        {"input": {"householdId": gid("Household", world.a.households[0].id), "tags": []}},
        resident.token,
    )

    assert _codes(body) == ["FORBIDDEN"]
    assert await HouseholdCareTag.filter(household_id=world.a.households[0].id).count() == 1


async def test_an_admin_who_adds_a_household_does_not_see_its_care_tags(
    api: GraphQLClient, world: World
) -> None:
    admin = world.callers["admin"]
    assert admin is not None

    body = await api.post(
        """mutation($input: PlaceCreateInput!) {
             placeCreate(input: $input) { place { name ... on Household { careTags } } errors { code } } }""",
        {"input": {"parentId": gid("Entrance", world.a.entrance.id), "name": "401"}},
        admin.token,
    )

    assert _codes(body) == ["FORBIDDEN"]
    assert body["data"]["placeCreate"]["place"] == {"name": "401", "careTags": None}


# --- another community sees nothing ----------------------------------------------------------


async def test_staff_of_another_community_learn_nothing_of_it(api: GraphQLClient, world: World) -> None:
    # given B's staff member and every id of A
    outsider = world.callers["staff of B"]
    assert outsider is not None
    ids = _node_ids(world)
    operations: list[tuple[str, dict[str, Any]]] = [
        (TREE, {"id": ids["community"]}),
        (NODES, ids),
        (HOUSEHOLDS, {"id": ids["entrance"]}),
        (CARE_TAGS, {"home": ids["home"], "other": ids["other"]}),
        ("""query($id: ID!) { community(id: $id) { name } }""", {"id": ids["community"]}),
        ("{ me { memberships { community { name slug } household { name } } } }", {}),
    ]
    for kind in ("community", "compound", "building", "entrance"):
        operations.append((PLACE_CREATE, {"input": {"parentId": ids[kind], "name": "外来"}}))
    operations.append((PLACE_CREATE, {"input": {"parentId": ids["entrance"], "name": "红星301"}}))
    for kind in ("compound", "building", "entrance", "home", "other"):
        operations.append((PLACE_RENAME, {"input": {"id": ids[kind], "name": "外来"}}))
    for kind in ("home", "other"):
        operations.append((CARE_TAGS_SET, {"input": {"householdId": ids[kind], "tags": ["HARDSHIP"]}}))
        operations.append((CARE_TAGS_SET, {"input": {"householdId": ids[kind], "tags": []}}))
    before = await register_snapshot()

    # when they send every query and mutation at A's objects
    for query, variables in operations:
        response = await api.http.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"authorization": f"Bearer {outsider.token}"},
        )
        assert response.status_code == 200
        body = response.json()
        readable = json.dumps(body, ensure_ascii=False)

        # then no response names anything of A, reads are null and changes are "not found"
        for text in (response.text, readable):
            for secret in (*A_NAMES, *TAG_WORDS):
                assert secret not in text, (query, variables, body)
        assert "errors" not in body, body
        for key, value in body["data"].items():
            if isinstance(value, dict) and "errors" in value:
                assert [e["code"] for e in value["errors"]] == ["NOT_FOUND"]
            elif key != "me":
                assert value is None or all(v is None for v in value.values()), body
    assert await register_snapshot() == before
    assert await Community.filter(compounds__name="外来").count() == 0


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (PLACE_CREATE, {"input": {"parentId": "garbage", "name": "新地方"}}),
        (PLACE_CREATE, {"input": {"parentId": gid("Household", 1), "name": "新地方"}}),
        (PLACE_RENAME, {"input": {"id": "garbage", "name": "新名字"}}),
        (CARE_TAGS_SET, {"input": {"householdId": "garbage", "tags": []}}),
    ],
)
async def test_signed_out_callers_are_told_to_sign_in_whatever_the_id(
    api: GraphQLClient, world: World, query: str, variables: dict[str, Any]
) -> None:
    body = await api.post(query, variables)

    assert _codes(body) == ["UNAUTHENTICATED"]


async def test_a_refused_token_is_unauthenticated_not_anonymous(api: GraphQLClient, world: World) -> None:
    body = await api.post(TREE, {"id": gid("Community", world.a.community.id)}, token="not-a-jwt")

    assert _codes(body) == ["UNAUTHENTICATED"]
    assert body["data"] == {"community": None}
