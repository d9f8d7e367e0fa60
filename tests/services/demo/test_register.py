"""The demo's register: shaped like the real community, the two communities isolated, seeded once.

Each test seeds the register only (well under a second on SQLite with the fast argon2 settings);
tests/services/demo/test_story.py runs the whole story.
"""

from __future__ import annotations

from tortoise.queryset import QuerySet

from models.enums import Role
from models.people import Membership, MembershipRole, User
from models.places import Building, Community, Compound, Entrance, Household, HouseholdCareTag
from services.demo import DEMO_PASSWORD, LOGIN_LABELS, seed_register
from services.passwords import verify_password
from services.phones import normalize_phone


async def test_the_demo_community_has_the_shape_of_the_real_one() -> None:
    steps: list[tuple[int, int, str]] = []

    result = await seed_register(lambda done, total, label: steps.append((done, total, label)))

    assert result.created
    assert steps[-1][0] == steps[-1][1]  # the bar ends full
    counts = result.counts
    assert (counts["compounds"], counts["buildings"], counts["staff"], counts["volunteers"]) == (
        8,
        34,
        10,
        213,
    )
    assert 3000 <= counts["households"] <= 3400
    assert counts["admins"] == 1
    assert counts["captains"] == 6
    assert 6 <= counts["repairers"] <= 10
    assert counts["cleaners"] >= 4
    assert counts["residents"] > counts["volunteers"]
    assert 0.03 <= counts["care_tags"] / counts["households"] <= 0.08
    assert counts["assets"] > 0
    hongxing = await Community.get(slug="hongxing")
    assert (hongxing.name, hongxing.timezone) == ("红星社区", "Asia/Shanghai")
    assert await Household.filter(community_id=hongxing.id).count() == counts["households"]
    per_building = await Entrance.filter(community_id=hongxing.id).values_list("building_id", flat=True)
    assert all(2 <= per_building.count(building) <= 4 for building in set(per_building))


async def test_every_place_and_role_row_belongs_to_the_community_of_its_parent() -> None:
    await seed_register()

    for entrance in await Entrance.all().prefetch_related("building"):
        assert entrance.community_id == entrance.building.community_id
    for building in await Building.all().prefetch_related("compound"):
        assert building.community_id == building.compound.community_id
    for tag in await HouseholdCareTag.all().prefetch_related("household"):
        assert tag.community_id == tag.household.community_id
    for role in await MembershipRole.all().prefetch_related("membership"):
        assert role.community_id == role.membership.community_id
    for membership in await Membership.filter(household_id__isnull=False).prefetch_related("household"):
        assert membership.household is not None
        assert membership.community_id == membership.household.community_id


async def test_residents_and_volunteers_live_in_a_household_of_their_community() -> None:
    await seed_register()
    hongxing = await Community.get(slug="hongxing")

    def holders(role: Role) -> QuerySet[Membership]:
        return Membership.filter(community_id=hongxing.id, roles__role=role)

    assert not await holders(Role.RESIDENT).filter(household_id__isnull=True).exists()
    volunteers = set(await holders(Role.VOLUNTEER).values_list("id", flat=True))
    residents = set(await holders(Role.RESIDENT).values_list("id", flat=True))
    assert len(volunteers) == 213
    assert volunteers <= residents


async def test_the_second_community_is_small_and_shares_no_one() -> None:
    result = await seed_register()

    binhe = await Community.get(slug="binhe")
    assert await Compound.filter(community_id=binhe.id).count() == 1
    assert await Building.filter(community_id=binhe.id).count() == 2
    assert (result.counts["binhe_staff"], result.counts["binhe_residents"]) == (1, 2)
    binhe_users = set(await Membership.filter(community_id=binhe.id).values_list("user_id", flat=True))
    other_users = set(await Membership.exclude(community_id=binhe.id).values_list("user_id", flat=True))
    assert binhe_users and not binhe_users & other_users


async def test_seeding_twice_creates_nothing_and_prints_the_same_logins() -> None:
    first = await seed_register()
    users = await User.all().count()

    second = await seed_register()

    assert not second.created
    assert second.counts == first.counts
    assert second.logins == first.logins
    assert await User.all().count() == users
    assert await Community.all().count() == 2


async def test_one_login_per_role_signs_in_with_the_demo_password() -> None:
    result = await seed_register()

    assert [login.role for login in result.logins] == list(LOGIN_LABELS)
    for login in result.logins:
        assert login.phone.isdigit() and len(login.phone) == 11
        assert login.password == DEMO_PASSWORD
        user = await User.get(phone=normalize_phone(login.phone))
        assert verify_password(user.password_hash, login.password)
    admin = await User.get(phone=normalize_phone(result.logins[0].phone))
    roles = await MembershipRole.filter(membership__user_id=admin.id).values_list("role", flat=True)
    assert set(roles) == {Role.STAFF, Role.ADMIN}


async def test_all_demo_accounts_share_one_password_hash() -> None:
    await seed_register()

    assert len(set(await User.all().values_list("password_hash", flat=True))) == 1


async def test_the_logins_name_accounts_with_the_role_they_stand_for() -> None:
    result = await seed_register()
    expected = {
        "admin": Role.ADMIN,
        "staff": Role.STAFF,
        "captain": Role.CAPTAIN,
        "volunteer": Role.VOLUNTEER,
        "repairer": Role.REPAIRER,
        "cleaner": Role.CLEANER,
        "resident": Role.RESIDENT,
        "binhe staff": Role.STAFF,
    }

    for login in result.logins:
        roles = await MembershipRole.filter(membership__user__phone=normalize_phone(login.phone)).values_list(
            "role", flat=True
        )
        assert expected[login.role] in roles
