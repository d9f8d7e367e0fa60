"""The demo's people: staff, volunteers (captains and repairers among them), cleaners and residents,
each with a Chinese name drawn from the seed, a phone number fixed by their place in the list, and
the one demo password. Written in bulk: the register of accounts has no invariant a service guards
beyond unique phones, which the seed checks first.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from models.enums import Role
from models.people import Membership, MembershipRole, User
from models.places import Community
from services.errors import DomainError, ErrorCode
from services.phones import normalize_phone

# Printed with the logins and meant to be shared: demo databases hold no real people.
DEMO_PASSWORD = "hongxing-demo-2026"  # noqa: S105

STAFF = 10
VOLUNTEERS = 213
# One captain for each of the six teams DESIGN.md names, in services.demo.teams.TEAMS order; the
# repair team's captain repairs too, so the printed captain (the river patrol's) leads another team.
CAPTAINS = 6
PRINTED_CAPTAIN = 1
# Repair-team members besides its captain, who repairs too.
EXTRA_REPAIRERS = 7
CLEANERS = 6
PLAIN_RESIDENTS = 120

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

# One account per role is printed for people trying the app, in this order.
LOGIN_LABELS = ("admin", "staff", "captain", "volunteer", "repairer", "cleaner", "resident", "binhe staff")


class DemoLogin(NamedTuple):
    role: str
    phone: str
    password: str
    try_first: str = ""


@dataclass(frozen=True)
class Person:
    phone: str  # local form, as printed
    display_name: str
    roles: tuple[Role, ...]
    lives_here: bool
    login_label: str | None = None


def phone(number: int) -> str:
    return f"139{number:08d}"


def _names(count: int, rng: random.Random) -> list[str]:
    return [rng.choice(_SURNAMES) + rng.choice(_GIVEN) for _ in range(count)]


def hongxing_people(seed: int) -> list[Person]:
    """Staff, volunteers (captains and repairers among them), cleaners and plain residents, each
    role with one account picked for the printed logins. Phones depend on the order only, names
    on the seed."""
    rng = random.Random(seed)
    people: list[Person] = []

    def add(roles: tuple[Role, ...], lives_here: bool, login_label: str | None = None) -> None:
        number = HONGXING_FIRST_PHONE + len(people)
        people.append(Person(phone(number), _names(1, rng)[0], roles, lives_here, login_label))

    add((Role.STAFF, Role.ADMIN), lives_here=False, login_label="admin")
    for index in range(1, STAFF):
        add((Role.STAFF,), lives_here=False, login_label="staff" if index == 1 else None)
    volunteer = (Role.RESIDENT, Role.VOLUNTEER)
    for index in range(CAPTAINS):
        repairs = (Role.REPAIRER,) if index == 0 else ()
        label = "captain" if index == PRINTED_CAPTAIN else None
        add((*volunteer, Role.CAPTAIN, *repairs), lives_here=True, login_label=label)
    for index in range(EXTRA_REPAIRERS):
        add((*volunteer, Role.REPAIRER), lives_here=True, login_label="repairer" if index == 0 else None)
    for index in range(VOLUNTEERS - CAPTAINS - EXTRA_REPAIRERS):
        add(volunteer, lives_here=True, login_label="volunteer" if index == 0 else None)
    for index in range(CLEANERS):
        add((Role.CLEANER,), lives_here=False, login_label="cleaner" if index == 0 else None)
    for index in range(PLAIN_RESIDENTS):
        add((Role.RESIDENT,), lives_here=True, login_label="resident" if index == 0 else None)
    return people


def binhe_people(seed: int) -> list[Person]:
    rng = random.Random(seed + 1)
    names = _names(3, rng)
    return [
        Person(
            phone(BINHE_FIRST_PHONE), names[0], (Role.STAFF,), lives_here=False, login_label="binhe staff"
        ),
        Person(phone(BINHE_FIRST_PHONE + 1), names[1], (Role.RESIDENT,), lives_here=True),
        Person(phone(BINHE_FIRST_PHONE + 2), names[2], (Role.RESIDENT,), lives_here=True),
    ]


async def refuse_clashes(people: Sequence[Person], slugs: Sequence[str]) -> None:
    """Without these checks a half-used database fails deep inside the seed on a unique key."""
    taken = await Community.filter(slug__in=list(slugs)).values_list("slug", flat=True)
    if taken:
        raise DomainError(
            ErrorCode.NAME_TAKEN,
            f"A community with the slug {', '.join(map(str, taken))} exists already; seed an empty database.",
        )
    phones = [normalize_phone(person.phone) for person in people]
    if await User.filter(phone__in=phones).exists():
        message = "Some demo phone numbers (139 000…) belong to accounts already; seed an empty database."
        raise DomainError(ErrorCode.PHONE_TAKEN, message)


async def add_people(
    community_id: int,
    people: Sequence[Person],
    household_ids: Sequence[int],
    password_hash: str,
    rng: random.Random,
) -> dict[str, int]:
    """Accounts, memberships and roles; returns user ids by local phone."""
    phones = [normalize_phone(person.phone) for person in people]
    await User.bulk_create(
        [
            User(phone=number, password_hash=password_hash, display_name=person.display_name)
            for number, person in zip(phones, people, strict=True)
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
                user_id=user_ids[number],
                community_id=community_id,
                household_id=homes.get(person.phone),
            )
            for number, person in zip(phones, people, strict=True)
        ]
    )
    membership_ids = dict(await Membership.filter(community_id=community_id).values_list("user_id", "id"))
    await MembershipRole.bulk_create(
        [
            MembershipRole(
                membership_id=membership_ids[user_ids[number]],
                community_id=community_id,
                role=role,
            )
            for number, person in zip(phones, people, strict=True)
            for role in person.roles
        ]
    )
    return {person.phone: int(user_ids[number]) for number, person in zip(phones, people, strict=True)}
