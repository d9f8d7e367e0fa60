"""A demo community shaped like the real one in DESIGN.md, and a small neighbour to show isolation.

Everything comes from fixed names and `random.Random(2026)`, so two databases seeded apart hold the
same places and the same people at the same phone numbers, and the printed logins stay true.
The register goes through `import_places`, the path a real community office uses.
"""

from __future__ import annotations

import asyncio
import io
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple, cast

from tortoise.functions import Count
from tortoise.transactions import in_transaction

from models.enums import AssetKind, CareTagKind, Role
from models.people import Membership, MembershipRole, User
from models.places import Asset, Building, Community, Compound, Entrance, Household, HouseholdCareTag
from runtime.i18n import N_
from services.errors import DomainError, ErrorCode
from services.passwords import hash_password
from services.phones import normalize_phone
from services.places.importer import import_places

# Printed with the logins and meant to be shared: demo databases hold no real people.
DEMO_PASSWORD = "hongxing-demo-2026"  # noqa: S105
RANDOM_SEED = 2026
HONGXING = "hongxing"
BINHE = "binhe"

HONGXING_COMPOUNDS = (
    "休闲小区",
    "幸福小区",
    "和平小区",
    "光明小区",
    "团结小区",
    "友谊小区",
    "春晖小区",
    "建设小区",
)
# 34 buildings in all, as in the real community.
BUILDINGS_PER_COMPOUND = (5, 4, 5, 4, 4, 4, 4, 4)
TARGET_HOUSEHOLDS = 3200
# Walk-ups of the eighties have 5–7 floors, later blocks up to 18: this keeps the mix plausible.
MIN_FLOORS, MAX_FLOORS = 5, 18

STAFF = 10
VOLUNTEERS = 213
# One captain per team DESIGN.md names; teams themselves are not modelled yet, only the role.
TEAMS = (
    "repair team",
    "silver-haired river patrol",
    "after-school tutoring",
    "mediation room",
    "snow-clearing squad",
    "neighbourhood observers",
)
# Repair-team members besides its captain, who repairs too.
EXTRA_REPAIRERS = 7
CLEANERS = 6
PLAIN_RESIDENTS = 120
CARE_TAG_SHARE = 0.05

# Local mobile numbers 139 0000 0001…; binhe's start at 139 0009 0001 so the two never collide.
HONGXING_FIRST_PHONE = 1
BINHE_FIRST_PHONE = 90001

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
# Given names as they are common among people now in their fifties to eighties.
_GIVEN = tuple(
    "伟 芳 娜 秀英 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀兰 霞 "
    "平 刚 桂英 建国 建华 玉兰 淑珍 德明 志强 国庆 红梅 凤英 文华 海燕 "
    "振华 立新 春生 秋菊 卫东 小燕".split()
)

_COUNT_NAMES = {
    Role.RESIDENT: "residents",
    Role.VOLUNTEER: "volunteers",
    Role.CAPTAIN: "captains",
    Role.REPAIRER: "repairers",
    Role.CLEANER: "cleaners",
    Role.STAFF: "staff",
    Role.ADMIN: "admins",
}

# One account per role is printed for people trying the app, in this order.
LOGIN_LABELS = ("admin", "staff", "captain", "volunteer", "repairer", "cleaner", "resident", "binhe staff")

ProgressCallback = Callable[[str], None]


class DemoLogin(NamedTuple):
    role: str
    phone: str
    password: str


@dataclass
class DemoSeedResult:
    created: bool
    counts: dict[str, int]
    logins: list[DemoLogin]


@dataclass(frozen=True)
class _Person:
    phone: str  # local form, as printed
    display_name: str
    roles: tuple[Role, ...]
    lives_here: bool
    login_label: str | None = None


async def seed_demo(progress: ProgressCallback | None = None) -> DemoSeedResult:
    """Create the demo communities unless `hongxing` exists; either way return what is there."""
    report = progress or (lambda _message: None)
    hongxing_people, binhe_people = _hongxing_people(), _binhe_people()
    by_label = {person.login_label: person.phone for person in (*hongxing_people, *binhe_people)}
    logins = [DemoLogin(label, by_label[label], DEMO_PASSWORD) for label in LOGIN_LABELS]
    existing = await Community.get_or_none(slug=HONGXING)
    if existing is not None:
        report("The demo communities are already there; nothing to do.")
        return DemoSeedResult(created=False, counts=await _counts(), logins=logins)
    # argon2 takes a good fraction of a second: once for every demo account, off the event loop,
    # and before the transaction so no write lock is held meanwhile.
    password_hash = await asyncio.to_thread(hash_password, DEMO_PASSWORD)
    async with in_transaction():
        await _refuse_clashes([*hongxing_people, *binhe_people])
        hongxing = await Community.create(
            name="红星社区", slug=HONGXING, timezone="Asia/Shanghai", district="示范区", city="示范市"
        )
        await import_places(hongxing, io.StringIO(_hongxing_register()))
        report("红星社区: places imported.")
        await _add_assets(hongxing.id)
        report("红星社区: assets added.")
        household_ids = await _household_ids(hongxing.id)
        await _add_people(
            hongxing.id, hongxing_people, household_ids, password_hash, random.Random(RANDOM_SEED)
        )
        report("红星社区: people added.")
        await _add_care_tags(hongxing.id, household_ids, random.Random(RANDOM_SEED))
        report("红星社区: care tags added.")

        binhe = await Community.create(
            name="滨河社区", slug=BINHE, timezone="Asia/Shanghai", district="示范区", city="示范市"
        )
        await import_places(binhe, io.StringIO(_binhe_register()))
        binhe_households = await _household_ids(binhe.id)
        await _add_people(binhe.id, binhe_people, binhe_households, password_hash, random.Random(RANDOM_SEED))
        report("滨河社区: places and people added.")
    return DemoSeedResult(created=True, counts=await _counts(), logins=logins)


def _phone(number: int) -> str:
    return f"139{number:08d}"


def _names(count: int, rng: random.Random) -> list[str]:
    return [rng.choice(_SURNAMES) + rng.choice(_GIVEN) for _ in range(count)]


def _hongxing_people() -> list[_Person]:
    """Staff, volunteers (captains and repairers among them), cleaners and plain residents, each
    role with one account picked for the printed logins."""
    rng = random.Random(RANDOM_SEED)
    people: list[_Person] = []

    def add(roles: tuple[Role, ...], lives_here: bool, login_label: str | None = None) -> None:
        number = HONGXING_FIRST_PHONE + len(people)
        people.append(_Person(_phone(number), _names(1, rng)[0], roles, lives_here, login_label))

    add((Role.STAFF, Role.ADMIN), lives_here=False, login_label="admin")
    for index in range(1, STAFF):
        add((Role.STAFF,), lives_here=False, login_label="staff" if index == 1 else None)
    volunteer = (Role.RESIDENT, Role.VOLUNTEER)
    for index, _team in enumerate(TEAMS):
        repairs = (Role.REPAIRER,) if index == 0 else ()
        # The repair team's captain also repairs, so the printed captain leads another team.
        add(
            (*volunteer, Role.CAPTAIN, *repairs),
            lives_here=True,
            login_label="captain" if index == 1 else None,
        )
    for index in range(EXTRA_REPAIRERS):
        add((*volunteer, Role.REPAIRER), lives_here=True, login_label="repairer" if index == 0 else None)
    for index in range(VOLUNTEERS - len(TEAMS) - EXTRA_REPAIRERS):
        add(volunteer, lives_here=True, login_label="volunteer" if index == 0 else None)
    for index in range(CLEANERS):
        add((Role.CLEANER,), lives_here=False, login_label="cleaner" if index == 0 else None)
    for index in range(PLAIN_RESIDENTS):
        add((Role.RESIDENT,), lives_here=True, login_label="resident" if index == 0 else None)
    return people


def _binhe_people() -> list[_Person]:
    rng = random.Random(RANDOM_SEED + 1)
    names = _names(3, rng)
    return [
        _Person(
            _phone(BINHE_FIRST_PHONE), names[0], (Role.STAFF,), lives_here=False, login_label="binhe staff"
        ),
        _Person(_phone(BINHE_FIRST_PHONE + 1), names[1], (Role.RESIDENT,), lives_here=True),
        _Person(_phone(BINHE_FIRST_PHONE + 2), names[2], (Role.RESIDENT,), lives_here=True),
    ]


def _hongxing_register() -> str:
    """The register as a community office would export it: one CSV row per household."""
    rng = random.Random(RANDOM_SEED)
    buildings = [
        (compound, f"{number}号楼")
        for compound, count in zip(HONGXING_COMPOUNDS, BUILDINGS_PER_COMPOUND, strict=True)
        for number in range(1, count + 1)
    ]
    entrances = [rng.randint(2, 4) for _ in buildings]
    lines = ["compound,building,entrance,household,area_m2"]
    households_left, entrances_left = TARGET_HOUSEHOLDS, sum(entrances)
    for (compound, building), entrance_count in zip(buildings, entrances, strict=True):
        per_floor = rng.choice((2, 2, 3))
        # Aim each building at the households still to place, with some variety around the aim.
        aim = round(households_left / entrances_left / per_floor) + rng.randint(-3, 3)
        floors = min(MAX_FLOORS, max(MIN_FLOORS, aim))
        # Flats in the same position on every floor have the same plan, hence the same area.
        areas = [rng.randint(4500, 12800) for _ in range(per_floor)]
        for entrance in range(1, entrance_count + 1):
            for floor in range(1, floors + 1):
                for flat, cents in enumerate(areas, start=1):
                    area = f"{cents // 100}.{cents % 100:02d}"
                    lines.append(f"{compound},{building},{entrance}单元,{floor}{flat:02d},{area}")
        households_left -= entrance_count * floors * per_floor
        entrances_left -= entrance_count
    return "\n".join(lines) + "\n"


def _binhe_register() -> str:
    lines = ["小区,楼栋,单元,户号,面积"]
    for building in ("1号楼", "2号楼"):
        for floor in range(1, 4):
            for flat in (1, 2):
                lines.append(f"滨河小区,{building},1单元,{floor}{flat:02d},{60 + 8 * flat}.00")
    return "\n".join(lines) + "\n"


async def _refuse_clashes(people: Sequence[_Person]) -> None:
    """Without these checks a half-used database fails deep inside the seed on a unique key."""
    if await Community.filter(slug=BINHE).exists():
        raise DomainError(
            ErrorCode.NAME_TAKEN, N_("A community with the slug {slug} exists already."), slug=BINHE
        )
    phones = [normalize_phone(person.phone) for person in people]
    if await User.filter(phone__in=phones).exists():
        message = N_("Some demo phone numbers (139 000…) belong to accounts already; seed an empty database.")
        raise DomainError(ErrorCode.PHONE_TAKEN, message)


async def _household_ids(community_id: int) -> list[int]:
    ids = await Household.filter(community_id=community_id).order_by("id").values_list("id", flat=True)
    return cast(list[int], ids)


async def _add_assets(community_id: int) -> None:
    scope = {"community_id": community_id}
    buildings = await Building.filter(**scope).order_by("id").values_list("id", "compound_id", "name")
    entrances = await Entrance.filter(**scope).order_by("id").values_list("id", "building_id", "name")
    compounds = dict(await Compound.filter(**scope).values_list("id", "name"))
    compound_of = {building_id: compound_id for building_id, compound_id, _name in buildings}
    building_name = {building_id: name for building_id, _compound_id, name in buildings}
    assets: list[Asset] = []

    def add(
        kind: AssetKind,
        name: str,
        compound_id: int,
        building_id: int | None = None,
        entrance_id: int | None = None,
    ) -> None:
        assets.append(
            Asset(
                community_id=community_id,
                compound_id=compound_id,
                building_id=building_id,
                entrance_id=entrance_id,
                kind=kind,
                name=name,
            )
        )

    for compound_id, name in compounds.items():
        add(AssetKind.CAMERA, f"{name}东门摄像头", compound_id)
        add(AssetKind.CAMERA, f"{name}西门摄像头", compound_id)
    for index, (building_id, compound_id, name) in enumerate(buildings):
        add(AssetKind.PIPE, f"{name}供水管", compound_id, building_id)
        if index % 2 == 0:
            add(AssetKind.GARDEN_BED, f"{name}前花坛", compound_id, building_id)
    for entrance_id, building_id, name in entrances:
        place = f"{building_name[building_id]}{name}"
        add(AssetKind.LAMP, f"{place}楼道灯", compound_of[building_id], building_id, entrance_id)
        add(AssetKind.DOOR, f"{place}单元门", compound_of[building_id], building_id, entrance_id)
    await Asset.bulk_create(assets)


async def _add_people(
    community_id: int,
    people: Sequence[_Person],
    household_ids: Sequence[int],
    password_hash: str,
    rng: random.Random,
) -> None:
    phones = [normalize_phone(person.phone) for person in people]
    await User.bulk_create(
        [
            User(phone=phone, password_hash=password_hash, display_name=person.display_name)
            for phone, person in zip(phones, people, strict=True)
        ]
    )
    user_ids = dict(await User.filter(phone__in=phones).values_list("phone", "id"))
    residents = [person for person in people if person.lives_here]
    # Each resident in a household of their own, scattered over the community.
    homes = dict(
        zip(
            (person.phone for person in residents),
            rng.sample(list(household_ids), len(residents)),
            strict=True,
        )
    )
    await Membership.bulk_create(
        [
            Membership(
                user_id=user_ids[phone],
                community_id=community_id,
                household_id=homes.get(person.phone),
            )
            for phone, person in zip(phones, people, strict=True)
        ]
    )
    membership_ids = dict(await Membership.filter(community_id=community_id).values_list("user_id", "id"))
    await MembershipRole.bulk_create(
        [
            MembershipRole(
                membership_id=membership_ids[user_ids[phone]],
                community_id=community_id,
                role=role,
            )
            for phone, person in zip(phones, people, strict=True)
            for role in person.roles
        ]
    )


async def _add_care_tags(community_id: int, household_ids: Sequence[int], rng: random.Random) -> None:
    kinds = (CareTagKind.PARTY_MEMBER, CareTagKind.LIVING_ALONE, CareTagKind.HARDSHIP, CareTagKind.DISABILITY)
    weights = (40, 30, 15, 15)
    tagged = sorted(rng.sample(list(household_ids), round(len(household_ids) * CARE_TAG_SHARE)))
    tags: list[HouseholdCareTag] = []
    for index, household_id in enumerate(tagged):
        # Needs come together: one tagged household in ten carries a second tag.
        count = 2 if index % 10 == 0 else 1
        chosen: list[CareTagKind] = []
        while len(chosen) < count:
            kind = rng.choices(kinds, weights)[0]
            if kind not in chosen:
                chosen.append(kind)
        tags.extend(
            HouseholdCareTag(community_id=community_id, household_id=household_id, kind=kind)
            for kind in chosen
        )
    await HouseholdCareTag.bulk_create(tags)


async def _counts() -> dict[str, int]:
    """What the two demo communities hold now, by name; read back rather than remembered so a
    second run reports the same numbers as the first."""
    counts: dict[str, int] = {}
    for slug, prefix in ((HONGXING, ""), (BINHE, "binhe_")):
        community = await Community.get_or_none(slug=slug)
        if community is None:
            continue
        scope = {"community_id": community.id}
        counts[prefix + "compounds"] = await Compound.filter(**scope).count()
        counts[prefix + "buildings"] = await Building.filter(**scope).count()
        counts[prefix + "entrances"] = await Entrance.filter(**scope).count()
        counts[prefix + "households"] = await Household.filter(**scope).count()
        counts[prefix + "assets"] = await Asset.filter(**scope).count()
        counts[prefix + "care_tags"] = await HouseholdCareTag.filter(**scope).count()
        counts[prefix + "members"] = await Membership.filter(**scope).count()
        by_role = await (
            MembershipRole.filter(**scope).annotate(n=Count("id")).group_by("role").values_list("role", "n")
        )
        held = {str(role): n for role, n in by_role}
        for role in Role:
            counts[prefix + _COUNT_NAMES[role]] = held.get(role.value, 0)
    return counts
