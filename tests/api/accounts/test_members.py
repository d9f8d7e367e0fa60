"""The office registers a member directly (an elder without a phone), finds members by name, phone
or home, and gives a phone-less member a phone later, after which they can sign in."""

from __future__ import annotations

from typing import Any

import pytest

from models.enums import Role
from models.people import Membership, User
from tests.api.accounts.operations import ERRORS, SIGN_IN
from tests.support.graphql import GraphQLClient
from tests.support.people import Neighbourhood, Person, gid, make_neighbourhood, make_person

MEMBER = "user { id displayName } phone householdId householdLabel roles"
ADD = f"""
mutation Add($input: MemberAddInput!) {{ memberAdd(input: $input) {{ member {{ {MEMBER} }} {ERRORS} }} }}
"""
PHONE_SET = f"""
mutation PhoneSet($input: MemberPhoneSetInput!) {{
  memberPhoneSet(input: $input) {{ member {{ {MEMBER} }} {ERRORS} }}
}}
"""
SEARCH = f"""
query Search($communityId: ID!, $search: String!) {{
  membersSearch(communityId: $communityId, search: $search) {{ {MEMBER} }}
}}
"""


@pytest.fixture
async def place() -> Neighbourhood:
    return await make_neighbourhood()


@pytest.fixture
async def staff(place: Neighbourhood) -> Person:
    return await make_person(place.community, roles=(Role.STAFF,), name="办事员")


async def _add(api: GraphQLClient, token: str, place: Neighbourhood, **fields: Any) -> dict[str, Any]:
    data = await api.data(
        ADD, {"input": {"communityId": gid("Community", place.community.id), **fields}}, token
    )
    payload: dict[str, Any] = data["memberAdd"]
    return payload


async def test_staff_register_an_elder_without_a_phone_at_their_home(
    api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    # when
    home = place.households[0]
    payload = await _add(api, staff.token, place, displayName="张大爷", householdId=gid("Household", home.id))
    # then
    assert payload["errors"] == []
    member = payload["member"]
    assert member["phone"] is None and member["roles"] == ["RESIDENT"]
    assert member["householdLabel"] == f"休闲小区 {place.building.name} {place.entrance.name} {home.number}"
    user = await User.get(display_name="张大爷")
    assert user.phone is None
    assert await Membership.exists(user_id=user.id, community_id=place.community.id, household_id=home.id)


async def test_two_members_without_a_phone_do_not_collide_and_a_phone_stays_unique(
    api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    first = await _add(api, staff.token, place, displayName="李奶奶")
    second = await _add(api, staff.token, place, displayName="王奶奶", phone="")
    assert first["errors"] == second["errors"] == []
    taken = await _add(api, staff.token, place, displayName="赵大爷", phone=staff.phone)
    assert [e["code"] for e in taken["errors"]] == ["PHONE_TAKEN"] and taken["errors"][0]["field"] == "phone"
    assert not await User.exists(display_name="赵大爷")


async def test_bad_input_is_said_at_its_field_and_adds_nobody(
    api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    before = await User.all().count()
    for fields, code, field in (
        ({"displayName": "  "}, "INVALID_INPUT", "displayName"),
        ({"displayName": "名" * 61}, "INVALID_INPUT", "displayName"),
        ({"displayName": "孙大爷", "phone": "12345"}, "INVALID_PHONE", "phone"),
        ({"displayName": "孙大爷", "householdId": gid("Household", 999_999)}, "NOT_FOUND", "householdId"),
    ):
        payload = await _add(api, staff.token, place, **fields)
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [(code, field)], fields
    assert await User.all().count() == before


async def test_a_retried_add_returns_the_first_member(
    api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    first = await _add(api, staff.token, place, displayName="周大爷", idempotencyKey="k-1")
    again = await _add(api, staff.token, place, displayName="周大爷", idempotencyKey="k-1")
    assert again["member"]["user"]["id"] == first["member"]["user"]["id"]
    assert await User.filter(display_name="周大爷").count() == 1


async def _refusals(api: GraphQLClient, query: str, variables: dict[str, Any], token: str) -> set[str]:
    """Top-level codes (FORBIDDEN) and a payload's (NOT_FOUND for another community's caller)."""
    body = await api.post(query, variables, token)
    codes = {e.get("extensions", {}).get("code") for e in body.get("errors", [])}
    payload = next(iter((body.get("data") or {}).values()), None)
    if isinstance(payload, dict):
        codes |= {e["code"] for e in payload.get("errors", [])}
    return codes


async def test_residents_and_other_communities_cannot_add_search_or_set_phones(
    api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    resident = await make_person(place.community, roles=(Role.RESIDENT,), name="居民")
    other = await make_neighbourhood(slug="binhe", name="滨河社区")
    their_staff = await make_person(other.community, roles=(Role.STAFF,))
    community = gid("Community", place.community.id)
    phone = {"communityId": community, "userId": gid("User", resident.user.id), "phone": "13900000001"}
    for token in (resident.token, their_staff.token):
        for query, variables in (
            (ADD, {"input": {"communityId": community, "displayName": "钱大爷"}}),
            (SEARCH, {"communityId": community, "search": "居民"}),
            (PHONE_SET, {"input": {**phone, "password": "long-enough-9"}}),
        ):
            refused = await _refusals(api, query, variables, token)
            assert refused and refused <= {"FORBIDDEN", "NOT_FOUND"}, (query, refused)
    assert not await User.exists(display_name="钱大爷")
    assert (await User.get(id=resident.user.id)).phone == resident.phone


async def test_staff_find_members_by_name_phone_or_home(
    api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    home = place.households[1]
    await _add(api, staff.token, place, displayName="吴阿姨", householdId=gid("Household", home.id))
    resident = await make_person(place.community, roles=(Role.RESIDENT,), name="郑先生")
    community = gid("Community", place.community.id)

    async def names(text: str) -> list[str]:
        data = await api.data(SEARCH, {"communityId": community, "search": text}, staff.token)
        return [m["user"]["displayName"] for m in data["membersSearch"]]

    assert await names("吴") == ["吴阿姨"]
    assert await names(resident.phone[-8:]) == ["郑先生"]
    assert await names(f"{place.entrance.name} {home.number}") == ["吴阿姨"]
    assert await names("   ") == []


async def test_a_member_given_a_phone_signs_in_with_it(
    api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    added = await _add(api, staff.token, place, displayName="冯大爷")
    user_id = added["member"]["user"]["id"]
    community = gid("Community", place.community.id)
    phone = "13912345678"
    # Before: no phone, so no sign-in can reach the account.
    before = await api.data(SIGN_IN, {"input": {"phone": phone, "password": "long-enough-9"}})
    assert [e["code"] for e in before["sessionCreate"]["errors"]] == ["INVALID_CREDENTIALS"]
    weak = await api.data(
        PHONE_SET,
        {"input": {"communityId": community, "userId": user_id, "phone": phone, "password": "1"}},
        staff.token,
    )
    assert [e["code"] for e in weak["memberPhoneSet"]["errors"]] == ["WEAK_PASSWORD"]
    done = await api.data(
        PHONE_SET,
        {"input": {"communityId": community, "userId": user_id, "phone": phone, "password": "long-enough-9"}},
        staff.token,
    )
    assert (
        done["memberPhoneSet"]["errors"] == []
        and done["memberPhoneSet"]["member"]["phone"] == "+8613912345678"
    )
    signed = await api.data(SIGN_IN, {"input": {"phone": phone, "password": "long-enough-9"}})
    assert signed["sessionCreate"]["errors"] == []
    assert signed["sessionCreate"]["viewer"]["user"]["displayName"] == "冯大爷"
    # A member who has a phone keeps it: the office cannot take it over.
    again = await api.data(
        PHONE_SET,
        {
            "input": {
                "communityId": community,
                "userId": user_id,
                "phone": "13912345679",
                "password": "x" * 12,
            }
        },
        staff.token,
    )
    assert [e["code"] for e in again["memberPhoneSet"]["errors"]] == ["INVALID_INPUT"]
