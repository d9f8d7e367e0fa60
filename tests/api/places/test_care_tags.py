"""Staff mark households that need care. Setting the tags replaces them; the same set twice is
the same as once."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from models.enums import Role
from models.places import HouseholdCareTag
from tests.api.places.tree import register_snapshot
from tests.support.graphql import GraphQLClient
from tests.support.people import Neighbourhood, Person, gid, make_neighbourhood, make_person

SET = """
mutation($input: HouseholdCareTagsSetInput!) {
  householdCareTagsSet(input: $input) { household { id name careTags } tags errors { code field } }
}
"""
READ = """query($id: ID!) { node(id: $id) { ... on Household { careTags } } }"""


@pytest.fixture
async def place() -> Neighbourhood:
    return await make_neighbourhood()


@pytest.fixture
async def staff(place: Neighbourhood) -> Person:
    return await make_person(place.community, (Role.STAFF,))


async def _set(api: GraphQLClient, token: str, household_id: str, tags: list[str]) -> dict[str, Any]:
    data = await api.data(SET, {"input": {"householdId": household_id, "tags": tags}}, token)
    result: dict[str, Any] = data["householdCareTagsSet"]
    return result


async def _read(api: GraphQLClient, token: str, household_id: str) -> list[str]:
    data = await api.data(READ, {"id": household_id}, token)
    tags: list[str] = data["node"]["careTags"]
    return tags


async def test_staff_set_replace_and_clear_a_households_tags(
    api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    household = gid("Household", place.households[0].id)
    neighbour = gid("Household", place.households[1].id)
    await _set(api, staff.token, neighbour, ["DISABILITY"])

    # when staff set two tags
    first = await _set(api, staff.token, household, ["PARTY_MEMBER", "LIVING_ALONE"])
    # then both are there, in a stable order, in the payload and when read back
    assert first == {
        "household": {"id": household, "name": "301", "careTags": ["LIVING_ALONE", "PARTY_MEMBER"]},
        "tags": ["LIVING_ALONE", "PARTY_MEMBER"],
        "errors": [],
    }
    assert await _read(api, staff.token, household) == ["LIVING_ALONE", "PARTY_MEMBER"]
    kept = await HouseholdCareTag.get(household_id=place.households[0].id, kind="living_alone")

    # when they set another set: the tags are replaced, and a tag that stays is the same row
    second = await _set(api, staff.token, household, ["HARDSHIP", "LIVING_ALONE"])
    assert second["tags"] == ["HARDSHIP", "LIVING_ALONE"]
    assert await _read(api, staff.token, household) == ["HARDSHIP", "LIVING_ALONE"]
    assert (
        await HouseholdCareTag.get(household_id=place.households[0].id, kind="living_alone")
    ).id == kept.id

    # when they clear them
    cleared = await _set(api, staff.token, household, [])
    assert (cleared["tags"], cleared["errors"]) == ([], [])
    assert await _read(api, staff.token, household) == []

    # then the neighbour's tags were never touched
    assert await _read(api, staff.token, neighbour) == ["DISABILITY"]


async def test_setting_the_same_tags_again_changes_nothing(
    api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    household = gid("Household", place.households[0].id)
    await _set(api, staff.token, household, ["HARDSHIP", "DISABILITY"])
    before = (
        await HouseholdCareTag.all().order_by("id").values_list("id", "household_id", "kind", "created_at")
    )

    again = await _set(api, staff.token, household, ["DISABILITY", "HARDSHIP"])

    assert (again["tags"], again["errors"]) == (["DISABILITY", "HARDSHIP"], [])
    assert (
        await HouseholdCareTag.all().order_by("id").values_list("id", "household_id", "kind", "created_at")
        == before
    )


async def test_a_tag_named_twice_is_stored_once(
    api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    household = gid("Household", place.households[0].id)

    result = await _set(api, staff.token, household, ["HARDSHIP", "HARDSHIP"])

    assert result["tags"] == ["HARDSHIP"]
    assert await HouseholdCareTag.filter(household_id=place.households[0].id).count() == 1


async def test_clearing_a_household_without_tags_is_fine(
    api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    result = await _set(api, staff.token, gid("Household", place.households[0].id), [])

    assert (result["tags"], result["errors"]) == ([], [])


@pytest.mark.parametrize(
    ("household_id", "code"),
    [
        ("garbage", "INVALID_INPUT"),  # no id of a household at all: badly formed (api.ids)
        (gid("Entrance", 1), "INVALID_INPUT"),
        (gid("Household", "x"), "INVALID_INPUT"),
        (gid("Household", 987654), "NOT_FOUND"),  # well formed, naming no row
        (gid("Household", 10**12), "NOT_FOUND"),
    ],
)
async def test_tags_for_a_household_that_is_malformed_or_not_there(
    api: GraphQLClient, place: Neighbourhood, staff: Person, household_id: str, code: str
) -> None:
    before = await register_snapshot()

    result = await _set(api, staff.token, household_id, ["HARDSHIP"])

    assert result == {
        "household": None,
        "tags": None,
        "errors": [{"code": code, "field": "householdId"}],
    }
    assert await register_snapshot() == before


async def test_an_unknown_tag_is_refused_before_anything_runs(
    api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    body = await api.post(
        SET,
        {"input": {"householdId": gid("Household", place.households[0].id), "tags": ["VIP"]}},
        staff.token,
    )

    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]
    assert await HouseholdCareTag.all().count() == 0


async def test_concurrent_sets_leave_exactly_one_of_the_asked_sets(
    api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    # given staff on several devices setting different single tags on one household at once
    household = gid("Household", place.households[0].id)
    asked = [["HARDSHIP"], ["DISABILITY"], ["LIVING_ALONE"], ["PARTY_MEMBER"]] * 3

    # when the sets run concurrently (on PostgreSQL truly in parallel)
    results = await asyncio.gather(*(_set(api, staff.token, household, tags) for tags in asked))

    # then every one succeeded, and the household holds one of the sets, not a mix of several
    assert [result["errors"] for result in results] == [[]] * len(asked)
    assert [tags for tags in asked if tags == await _read(api, staff.token, household)]
