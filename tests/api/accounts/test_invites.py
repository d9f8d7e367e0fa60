"""The community office creates invite codes; only a digest of each code is kept."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from models.enums import Role
from models.people import Invite
from runtime.clock import MovableClock
from tests.api.accounts.operations import INVITE, codes, create_invite, fields_at_fault
from tests.support.graphql import GraphQLClient
from tests.support.people import Neighbourhood, gid, make_neighbourhood, make_person


@pytest.fixture
async def place() -> Neighbourhood:
    return await make_neighbourhood()


async def test_staff_create_an_invite_and_see_its_code_once(
    api: GraphQLClient, place: Neighbourhood, moved_clock: MovableClock
) -> None:
    # given
    staff = await make_person(place.community, roles=(Role.STAFF,))
    # when
    payload = await create_invite(api, staff.token, communityId=gid("Community", place.community.id))
    # then
    assert payload["errors"] == []
    assert len(payload["code"].replace("-", "")) == 12
    invite = payload["invite"]
    assert invite["roles"] == ["RESIDENT"]
    assert (invite["maxUses"], invite["uses"]) == (1, 0)
    assert datetime.fromisoformat(invite["expiresAt"]) == moved_clock.now() + timedelta(days=14)


async def test_an_invite_keeps_only_a_digest_of_its_code(api: GraphQLClient, place: Neighbourhood) -> None:
    # given
    staff = await make_person(place.community, roles=(Role.STAFF,))
    # when
    payload = await create_invite(api, staff.token, communityId=gid("Community", place.community.id))
    # then
    code = payload["code"]
    rows = await Invite.all().values()
    stored = " ".join(str(value) for row in rows for value in row.values()).upper()
    for form in (code, code.replace("-", ""), *code.split("-")):
        assert form.upper() not in stored


async def test_staff_invite_with_roles_a_household_and_several_uses(
    api: GraphQLClient, place: Neighbourhood
) -> None:
    staff = await make_person(place.community, roles=(Role.STAFF,))
    payload = await create_invite(
        api,
        staff.token,
        communityId=gid("Community", place.community.id),
        roles=["VOLUNTEER", "RESIDENT"],
        householdId=gid("Household", place.households[0].id),
        maxUses=3,
        validDays=30,
    )
    assert payload["errors"] == []
    assert sorted(payload["invite"]["roles"]) == ["RESIDENT", "VOLUNTEER"]
    assert payload["invite"]["maxUses"] == 3
    invite = await Invite.get()
    assert invite.household_id == place.households[0].id


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.VOLUNTEER, Role.CAPTAIN, Role.REPAIRER, Role.CLEANER])
async def test_only_the_community_office_creates_invites(
    api: GraphQLClient, place: Neighbourhood, role: Role
) -> None:
    # given
    member = await make_person(place.community, roles=(role,))
    # when
    errors = await api.error_codes(
        INVITE, {"input": {"communityId": gid("Community", place.community.id)}}, token=member.token
    )
    # then
    assert errors == ["FORBIDDEN"]
    assert await Invite.all().count() == 0


async def test_signed_out_people_create_no_invites(api: GraphQLClient, place: Neighbourhood) -> None:
    errors = await api.error_codes(INVITE, {"input": {"communityId": gid("Community", place.community.id)}})
    assert errors == ["UNAUTHENTICATED"]


@pytest.mark.parametrize("roles", [["STAFF"], ["ADMIN"], ["RESIDENT", "STAFF"]])
async def test_staff_cannot_invite_staff_or_admins(
    api: GraphQLClient, place: Neighbourhood, roles: list[str]
) -> None:
    staff = await make_person(place.community, roles=(Role.STAFF,))
    errors = await api.error_codes(
        INVITE,
        {"input": {"communityId": gid("Community", place.community.id), "roles": roles}},
        token=staff.token,
    )
    assert errors == ["FORBIDDEN"]
    assert await Invite.all().count() == 0


@pytest.mark.parametrize("roles", [["STAFF"], ["ADMIN"], ["STAFF", "ADMIN"]])
async def test_an_admin_invites_staff_and_admins(
    api: GraphQLClient, place: Neighbourhood, roles: list[str]
) -> None:
    admin = await make_person(place.community, roles=(Role.ADMIN,))
    payload = await create_invite(
        api, admin.token, communityId=gid("Community", place.community.id), roles=roles
    )
    assert payload["errors"] == []
    assert sorted(payload["invite"]["roles"]) == sorted(roles)


async def test_staff_of_one_community_learn_nothing_of_another(
    api: GraphQLClient, place: Neighbourhood
) -> None:
    # given
    other = await make_neighbourhood(slug="qingshan", name="青山社区")
    staff = await make_person(place.community, roles=(Role.STAFF, Role.ADMIN))
    # when
    elsewhere = await create_invite(api, staff.token, communityId=gid("Community", other.community.id))
    nowhere = await create_invite(api, staff.token, communityId=gid("Community", other.community.id + 1000))
    # then
    assert codes(elsewhere) == ["NOT_FOUND"]
    assert elsewhere == nowhere
    assert await Invite.all().count() == 0


async def test_a_household_of_another_community_cannot_be_bound(
    api: GraphQLClient, place: Neighbourhood
) -> None:
    other = await make_neighbourhood(slug="qingshan", name="青山社区")
    staff = await make_person(place.community, roles=(Role.STAFF,))
    payload = await create_invite(
        api,
        staff.token,
        communityId=gid("Community", place.community.id),
        householdId=gid("Household", other.households[0].id),
    )
    assert codes(payload) == ["NOT_FOUND"]
    assert fields_at_fault(payload) == ["householdId"]
    assert await Invite.all().count() == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"maxUses": 0}, "maxUses"),
        ({"maxUses": 501}, "maxUses"),
        ({"validDays": 0}, "validDays"),
        ({"validDays": 91}, "validDays"),
        ({"maxUses": 6, "household": True}, "maxUses"),
    ],
)
async def test_invites_out_of_range_are_refused(
    api: GraphQLClient, place: Neighbourhood, fields: dict[str, Any], field: str
) -> None:
    # given
    staff = await make_person(place.community, roles=(Role.STAFF,))
    bound = fields.pop("household", False)
    if bound:
        fields["householdId"] = gid("Household", place.households[0].id)
    # when
    payload = await create_invite(
        api, staff.token, communityId=gid("Community", place.community.id), **fields
    )
    # then
    assert codes(payload) == ["INVALID_INPUT"]
    assert fields_at_fault(payload) == [field]
    assert await Invite.all().count() == 0
