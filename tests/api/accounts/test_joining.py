"""Joining a community with an invite code."""

from __future__ import annotations

import asyncio

import pytest

from models.enums import Role
from models.people import Invite, Membership, MembershipRole
from runtime.clock import MovableClock
from services.accounts import memberships
from services.bootstrap import office_invite
from tests.api.accounts.operations import JOIN, codes, create_invite, join, me
from tests.support.graphql import GraphQLClient
from tests.support.people import Neighbourhood, Person, gid, make_neighbourhood, make_person


@pytest.fixture
async def place() -> Neighbourhood:
    return await make_neighbourhood()


# Tests that move the clock ask for `moved_clock` first, so staff tokens are issued by it.
@pytest.fixture
async def staff(place: Neighbourhood) -> Person:
    return await make_person(place.community, roles=(Role.STAFF,))


async def invite_code(
    api: GraphQLClient, staff: Person, place: Neighbourhood, *, household: bool = False, **fields: object
) -> str:
    if household:
        fields["householdId"] = gid("Household", place.households[0].id)
    payload = await create_invite(
        api, staff.token, communityId=gid("Community", place.community.id), **fields
    )
    assert payload["errors"] == [], payload["errors"]
    code: str = payload["code"]
    return code


async def test_a_resident_joins_with_the_roles_and_home_of_the_invite(
    api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    # given
    code = await invite_code(api, staff, place, household=True, roles=["RESIDENT", "VOLUNTEER"])
    newcomer = await make_person()
    # when
    payload = await join(api, newcomer.token, code)
    # then
    assert payload["errors"] == []
    membership = payload["membership"]
    assert sorted(membership["roles"]) == ["RESIDENT", "VOLUNTEER"]
    assert membership["community"]["name"] == "红星社区"
    assert membership["household"]["name"] == "301"
    viewer = await me(api, newcomer.token)
    assert viewer is not None
    assert viewer["memberships"] == [{"roles": ["RESIDENT", "VOLUNTEER"], "community": {"name": "红星社区"}}]


async def test_the_code_may_be_typed_in_lower_case_without_dashes(
    api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    code = await invite_code(api, staff, place)
    newcomer = await make_person()
    payload = await join(api, newcomer.token, " " + code.replace("-", "").lower() + " ")
    assert payload["errors"] == []


async def test_a_code_read_aloud_may_be_typed_with_o_for_zero_and_i_or_l_for_one(
    api: GraphQLClient, place: Neighbourhood, staff: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    monkeypatch.setattr(memberships, "new_invite_code", lambda: "10A0-B1C0-D01E")
    code = await invite_code(api, staff, place)
    # when
    payload = await join(api, (await make_person()).token, "lOa0 bIco dolE")
    # then
    assert code == "10A0-B1C0-D01E"
    assert payload["errors"] == []


async def test_joining_counts_a_use_of_the_invite(
    api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    code = await invite_code(api, staff, place, maxUses=3)
    await join(api, (await make_person()).token, code)
    assert (await Invite.get()).uses == 1


async def test_joining_names_the_community_the_code_is_for(
    api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    code = await invite_code(api, staff, place)
    payload = await join(api, (await make_person()).token, code, gid("Community", place.community.id))
    assert payload["errors"] == []


async def test_joining_again_with_the_same_code_says_already_a_member(
    api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    # given
    code = await invite_code(api, staff, place, maxUses=2)
    newcomer = await make_person()
    await join(api, newcomer.token, code)
    # when
    again = await join(api, newcomer.token, code)
    # then
    assert codes(again) == ["ALREADY_MEMBER"]
    assert again["membership"] is None
    assert (await Invite.get()).uses == 1


async def test_joining_again_with_a_used_up_code_still_says_already_a_member(
    api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    code = await invite_code(api, staff, place, maxUses=1)
    newcomer = await make_person()
    await join(api, newcomer.token, code)
    assert codes(await join(api, newcomer.token, code)) == ["ALREADY_MEMBER"]


async def test_a_second_person_cannot_use_a_used_up_invite(
    api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    # given
    code = await invite_code(api, staff, place, maxUses=1)
    await join(api, (await make_person()).token, code)
    latecomer = await make_person()
    # when
    payload = await join(api, latecomer.token, code)
    # then
    assert codes(payload) == ["INVITE_USED_UP"]
    assert await Membership.filter(user_id=latecomer.user.id).count() == 0


async def test_an_invite_expires(
    moved_clock: MovableClock, api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    # given
    code = await invite_code(api, staff, place, validDays=14)
    moved_clock.advance(days=14, seconds=1)
    newcomer = await make_person()
    # when
    payload = await join(api, newcomer.token, code)
    # then
    assert codes(payload) == ["INVITE_EXPIRED"]
    assert await Membership.all().count() == 1  # the staff member's own
    assert (await Invite.get()).uses == 0


async def test_an_invite_works_until_its_last_day_ends(
    moved_clock: MovableClock, api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    code = await invite_code(api, staff, place, validDays=14)
    moved_clock.advance(days=14, seconds=-1)
    assert (await join(api, (await make_person()).token, code))["errors"] == []


async def test_a_code_for_another_community_is_refused_when_the_community_is_named(
    api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    # given
    other = await make_neighbourhood(slug="qingshan", name="青山社区")
    code = await invite_code(api, staff, place)
    newcomer = await make_person()
    # when
    payload = await join(api, newcomer.token, code, gid("Community", other.community.id))
    # then
    assert codes(payload) == ["INVITE_INVALID"]
    assert await Membership.filter(user_id=newcomer.user.id).count() == 0
    assert (await Invite.get()).uses == 0


@pytest.mark.parametrize("code", ["", "ABCD-EFGH-JKMN", "garbage", "' OR 1=1 --", "码" * 200])
async def test_a_code_nobody_issued_is_refused(api: GraphQLClient, code: str) -> None:
    newcomer = await make_person()
    payload = await join(api, newcomer.token, code)
    assert codes(payload) == ["INVITE_INVALID"]
    assert await Membership.all().count() == 0


async def test_signed_out_people_cannot_join(api: GraphQLClient, place: Neighbourhood, staff: Person) -> None:
    code = await invite_code(api, staff, place)
    assert await api.error_codes(JOIN, {"input": {"code": code}}) == ["UNAUTHENTICATED"]
    assert (await Invite.get()).uses == 0


async def test_a_second_invite_adds_its_roles_to_the_membership(
    api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    # given
    resident = await make_person()
    await join(api, resident.token, await invite_code(api, staff, place, roles=["RESIDENT"]))
    # when
    payload = await join(
        api, resident.token, await invite_code(api, staff, place, roles=["VOLUNTEER", "RESIDENT"])
    )
    # then
    assert payload["errors"] == []
    assert sorted(payload["membership"]["roles"]) == ["RESIDENT", "VOLUNTEER"]
    assert await Membership.filter(user_id=resident.user.id).count() == 1
    assert await MembershipRole.filter(membership__user_id=resident.user.id).count() == 2


async def test_a_household_invite_gives_an_existing_member_a_home(
    api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    # given
    resident = await make_person()
    await join(api, resident.token, await invite_code(api, staff, place))
    # when
    payload = await join(api, resident.token, await invite_code(api, staff, place, household=True))
    # then
    assert payload["errors"] == []
    assert payload["membership"]["household"]["name"] == "301"
    assert payload["membership"]["roles"] == ["RESIDENT"]


async def test_people_racing_for_the_last_use_of_an_invite_get_in_once(
    api: GraphQLClient, place: Neighbourhood, staff: Person
) -> None:
    # given
    code = await invite_code(api, staff, place, maxUses=1)
    people = [await make_person() for _ in range(4)]
    # when
    payloads = await asyncio.gather(*(join(api, person.token, code) for person in people))
    # then
    assert sorted(tuple(codes(p)) for p in payloads) == [
        (),
        ("INVITE_USED_UP",),
        ("INVITE_USED_UP",),
        ("INVITE_USED_UP",),
    ]
    assert (await Invite.get()).uses == 1
    assert await Membership.filter(user_id__in=[p.user.id for p in people]).count() == 1


async def test_the_first_staff_join_with_an_invite_made_on_the_server(
    api: GraphQLClient, place: Neighbourhood
) -> None:
    # given: `redsteward invite-create` ran on the server
    code = await office_invite(place.community, [Role.STAFF, Role.ADMIN], uses=1, days=7)
    newcomer = await make_person()
    # when
    payload = await join(api, newcomer.token, code)
    # then
    assert sorted(payload["membership"]["roles"]) == ["ADMIN", "STAFF"]


async def test_a_server_invite_naming_no_roles_makes_a_resident(
    api: GraphQLClient, place: Neighbourhood
) -> None:
    code = await office_invite(place.community, [], uses=1, days=7)
    payload = await join(api, (await make_person()).token, code)
    assert payload["membership"]["roles"] == ["RESIDENT"]
