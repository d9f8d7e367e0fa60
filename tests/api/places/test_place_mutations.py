"""Staff keep the register: adding compounds, buildings, entrances and households, renaming them.
Every refused change leaves the register exactly as it was."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from models.enums import Role
from models.places import Building, Compound, Entrance, Household
from tests.api.places.tree import register_snapshot
from tests.support.graphql import GraphQLClient
from tests.support.people import Neighbourhood, Person, gid, make_neighbourhood, make_person

PLACE_CREATE = """
mutation($input: PlaceCreateInput!) {
  placeCreate(input: $input) {
    place { __typename id name ... on Household { areaM2 } }
    errors { code field }
  }
}
"""
PLACE_RENAME = """
mutation($input: PlaceRenameInput!) {
  placeRename(input: $input) { place { __typename id name } errors { code field } }
}
"""


@pytest.fixture
async def place() -> Neighbourhood:
    return await make_neighbourhood()


@pytest.fixture
async def staff(place: Neighbourhood) -> Person:
    return await make_person(place.community, (Role.STAFF,))


async def _create(
    api: GraphQLClient, token: str, parent_id: str, name: str, area: Any = None
) -> dict[str, Any]:
    variables: dict[str, Any] = {"parentId": parent_id, "name": name}
    if area is not None:
        variables["areaM2"] = area
    data = await api.data(PLACE_CREATE, {"input": variables}, token)
    result: dict[str, Any] = data["placeCreate"]
    return result


async def _rename(api: GraphQLClient, token: str, place_id: str, name: str) -> dict[str, Any]:
    data = await api.data(PLACE_RENAME, {"input": {"id": place_id, "name": name}}, token)
    result: dict[str, Any] = data["placeRename"]
    return result


async def test_staff_add_a_compound_down_to_a_household(
    api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    # when staff add a compound, a building in it, an entrance in that and a household there
    compound = await _create(api, staff.token, gid("Community", place.community.id), "幸福小区")
    building = await _create(api, staff.token, compound["place"]["id"], "1号楼")
    entrance = await _create(api, staff.token, building["place"]["id"], "1单元")
    household = await _create(api, staff.token, entrance["place"]["id"], "101", "86.25")

    # then each is the right kind of place with its name, and no errors
    assert [r["errors"] for r in (compound, building, entrance, household)] == [[], [], [], []]
    assert [
        (r["place"]["__typename"], r["place"]["name"]) for r in (compound, building, entrance, household)
    ] == [
        ("Compound", "幸福小区"),
        ("Building", "1号楼"),
        ("Entrance", "1单元"),
        ("Household", "101"),
    ]
    assert household["place"]["areaM2"] == "86.25"
    # and the tree shows the new branch under its parents
    data = await api.data(
        """query($id: ID!) { node(id: $id) { ... on Household {
             name entrance { householdCount building { name compound { name community { slug } } } } } } }""",
        {"id": household["place"]["id"]},
        staff.token,
    )
    assert data["node"] == {
        "name": "101",
        "entrance": {
            "householdCount": 1,
            "building": {
                "name": "1号楼",
                "compound": {"name": "幸福小区", "community": {"slug": "hongxing"}},
            },
        },
    }
    stored = await Household.get(number="101", entrance__name="1单元")
    assert (str(stored.area_m2), stored.community_id) == ("86.25", place.community.id)


async def test_an_admin_adds_places_too(api: GraphQLClient, place: Neighbourhood) -> None:
    admin = await make_person(place.community, (Role.ADMIN,))

    result = await _create(api, admin.token, gid("Compound", place.compound.id), "5号楼")

    assert (result["place"]["__typename"], result["errors"]) == ("Building", [])


async def test_a_household_without_an_area(api: GraphQLClient, place: Neighbourhood, staff: Person) -> None:
    result = await _create(api, staff.token, gid("Entrance", place.entrance.id), "401")

    assert result["place"]["areaM2"] is None


@pytest.mark.parametrize(
    ("given", "stored"), [("  7号楼 ", "7号楼"), ("东区\t 7号楼", "东区 7号楼"), ("楼" * 100, "楼" * 100)]
)
async def test_names_are_trimmed_and_may_be_100_long(
    api: GraphQLClient, place: Neighbourhood, staff: Person, given: str, stored: str
) -> None:
    result = await _create(api, staff.token, gid("Compound", place.compound.id), given)

    assert (result["place"]["name"], result["errors"]) == (stored, [])


@pytest.mark.parametrize("area", ["0", 0, "-1", -12.5, "0.001", "1.234", 72.505, "100000", "NaN", "Infinity"])
async def test_a_bad_area_is_refused(
    api: GraphQLClient, place: Neighbourhood, staff: Person, area: Any
) -> None:
    before = await register_snapshot()

    result = await _create(api, staff.token, gid("Entrance", place.entrance.id), "401", area)

    assert result == {"place": None, "errors": [{"code": "INVALID_INPUT", "field": "areaM2"}]}
    assert await register_snapshot() == before


@pytest.mark.parametrize("kind", ["Community", "Compound", "Building"])
async def test_only_a_household_has_an_area(
    api: GraphQLClient, place: Neighbourhood, staff: Person, kind: str
) -> None:
    parents = {"Community": place.community.id, "Compound": place.compound.id, "Building": place.building.id}
    before = await register_snapshot()

    result = await _create(api, staff.token, gid(kind, parents[kind]), "新地方", "50")

    assert result["errors"] == [{"code": "INVALID_INPUT", "field": "areaM2"}]
    assert await register_snapshot() == before


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("Community", ""),
        ("Compound", "   "),
        ("Building", "\n\t"),
        ("Community", "院" * 101),
        ("Entrance", "1" * 41),  # household numbers are at most 40 characters
        ("Entrance", ""),
    ],
)
async def test_an_empty_or_too_long_name_is_refused(
    api: GraphQLClient, place: Neighbourhood, staff: Person, kind: str, name: str
) -> None:
    parents = {
        "Community": place.community.id,
        "Compound": place.compound.id,
        "Building": place.building.id,
        "Entrance": place.entrance.id,
    }
    before = await register_snapshot()

    result = await _create(api, staff.token, gid(kind, parents[kind]), name)

    assert result == {"place": None, "errors": [{"code": "INVALID_INPUT", "field": "name"}]}
    assert await register_snapshot() == before


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("Community", "休闲小区"),
        ("Community", " 休闲小区  "),
        ("Compound", "4号楼"),
        ("Building", "2单元"),
        ("Entrance", "301"),
    ],
)
async def test_a_name_taken_under_the_same_parent_is_refused(
    api: GraphQLClient, place: Neighbourhood, staff: Person, kind: str, name: str
) -> None:
    parents = {
        "Community": place.community.id,
        "Compound": place.compound.id,
        "Building": place.building.id,
        "Entrance": place.entrance.id,
    }
    before = await register_snapshot()

    result = await _create(api, staff.token, gid(kind, parents[kind]), name)

    assert result == {"place": None, "errors": [{"code": "NAME_TAKEN", "field": "name"}]}
    assert await register_snapshot() == before
    # and the next change goes through: the refused one left no broken transaction behind
    assert (await _create(api, staff.token, gid(kind, parents[kind]), "另一个"))["errors"] == []


async def test_the_same_name_under_another_parent_is_fine(
    api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    other = await Compound.create(community=place.community, name="幸福小区")

    result = await _create(api, staff.token, gid("Compound", other.id), "4号楼")

    assert (result["place"]["name"], result["errors"]) == ("4号楼", [])


async def test_of_several_creations_racing_for_one_name_one_wins(
    api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    results = await asyncio.gather(
        *(_create(api, staff.token, gid("Compound", place.compound.id), "新楼") for _ in range(5))
    )

    assert sorted(str(r["errors"]) for r in results) == sorted(
        ["[]"] + [str([{"code": "NAME_TAKEN", "field": "name"}])] * 4
    )
    assert await Building.filter(compound_id=place.compound.id, name="新楼").count() == 1


@pytest.mark.parametrize(
    "parent",
    [
        "Household",  # a household has no children
        "User",
        "Membership",
        "Asset",
    ],
)
async def test_a_parent_that_cannot_have_places_is_refused(
    api: GraphQLClient, place: Neighbourhood, staff: Person, parent: str
) -> None:
    ids = {"Household": place.households[0].id, "User": staff.user.id, "Membership": 1, "Asset": 1}
    before = await register_snapshot()

    result = await _create(api, staff.token, gid(parent, ids[parent]), "新地方")

    assert result == {"place": None, "errors": [{"code": "INVALID_PARENT", "field": "parentId"}]}
    assert await register_snapshot() == before


# No id of a place at all: the request is badly formed, whatever rows exist (api.ids).
MALFORMED_IDS = [
    "garbage",
    "",
    "Q29tcG91bmQ6",  # "Compound:"
    gid("Building", "abc"),
    gid("Entrance", "-1"),
    gid("Compound", "²"),
    gid("Compound", "١"),  # an Arabic-Indic one: not our spelling of 1
]
# Well formed, naming no row.
NAMES_NOTHING = [
    gid("Compound", 987654),
    gid("Compound", 2**31),  # beyond the range of keys
    gid("Compound", 10**20),
]


@pytest.mark.parametrize(
    ("parent_id", "code"),
    [*((i, "INVALID_INPUT") for i in MALFORMED_IDS), *((i, "NOT_FOUND") for i in NAMES_NOTHING)],
)
async def test_a_parent_that_is_malformed_or_not_there_is_refused(
    api: GraphQLClient, place: Neighbourhood, staff: Person, parent_id: str, code: str
) -> None:
    before = await register_snapshot()

    result = await _create(api, staff.token, parent_id, "新地方")

    assert result == {"place": None, "errors": [{"code": code, "field": "parentId"}]}
    assert await register_snapshot() == before


@pytest.mark.parametrize(
    ("place_id", "code"),
    [
        *((i, "INVALID_INPUT") for i in [*MALFORMED_IDS, gid("Community", 1), gid("User", 1)]),
        *((i, "NOT_FOUND") for i in NAMES_NOTHING),
    ],
)
async def test_renaming_a_place_that_is_malformed_or_not_there(
    api: GraphQLClient, place: Neighbourhood, staff: Person, place_id: str, code: str
) -> None:
    before = await register_snapshot()

    result = await _rename(api, staff.token, place_id, "新名字")

    assert result == {"place": None, "errors": [{"code": code, "field": "id"}]}
    assert await register_snapshot() == before


@pytest.mark.parametrize("kind", ["Compound", "Building", "Entrance", "Household"])
async def test_staff_rename_a_place_of_each_kind(
    api: GraphQLClient, place: Neighbourhood, staff: Person, kind: str
) -> None:
    rows = {
        "Compound": place.compound.id,
        "Building": place.building.id,
        "Entrance": place.entrance.id,
        "Household": place.households[0].id,
    }

    result = await _rename(api, staff.token, gid(kind, rows[kind]), "  新 名 ")

    assert result == {
        "place": {"__typename": kind, "id": gid(kind, rows[kind]), "name": "新 名"},
        "errors": [],
    }
    models = {"Compound": Compound, "Building": Building, "Entrance": Entrance, "Household": Household}
    stored = await models[kind].get(id=rows[kind])
    assert getattr(stored, "number" if kind == "Household" else "name") == "新 名"


async def test_renaming_a_place_to_its_own_name_is_fine(
    api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    result = await _rename(api, staff.token, gid("Compound", place.compound.id), "休闲小区")

    assert result["errors"] == []


@pytest.mark.parametrize(
    ("kind", "name", "code"),
    [
        ("Compound", "幸福小区", "NAME_TAKEN"),
        ("Building", "5号楼", "NAME_TAKEN"),
        ("Household", "302", "NAME_TAKEN"),
        ("Compound", " ", "INVALID_INPUT"),
        ("Building", "楼" * 101, "INVALID_INPUT"),
        ("Household", "3" * 41, "INVALID_INPUT"),
    ],
)
async def test_a_rename_to_a_taken_or_bad_name_is_refused(
    api: GraphQLClient, place: Neighbourhood, staff: Person, kind: str, name: str, code: str
) -> None:
    await Compound.create(community=place.community, name="幸福小区")
    await Building.create(community=place.community, compound=place.compound, name="5号楼")
    rows = {"Compound": place.compound.id, "Building": place.building.id, "Household": place.households[0].id}
    before = await register_snapshot()

    result = await _rename(api, staff.token, gid(kind, rows[kind]), name)

    assert result == {"place": None, "errors": [{"code": code, "field": "name"}]}
    assert await register_snapshot() == before
