"""Making communities and people for tests without going through sign-up every time."""

from __future__ import annotations

import base64
import itertools
from dataclasses import dataclass

from models.enums import Role
from models.people import Membership, MembershipRole, User
from models.places import Building, Community, Compound, Entrance, Household
from services.passwords import hash_password
from services.tokens import issue_access_token

PASSWORD = "community-2026"
_phones = itertools.count(13700000000)
_hash: str | None = None


def gid(type_name: str, row_id: int) -> str:
    return base64.b64encode(f"{type_name}:{row_id}".encode()).decode()


@dataclass
class Person:
    user: User
    token: str
    phone: str


@dataclass
class Neighbourhood:
    """A community with one compound → building → entrance → two households."""

    community: Community
    compound: Compound
    building: Building
    entrance: Entrance
    households: list[Household]


async def make_neighbourhood(slug: str = "hongxing", name: str = "红星社区") -> Neighbourhood:
    community = await Community.create(name=name, slug=slug)
    compound = await Compound.create(community=community, name="休闲小区")
    building = await Building.create(community=community, compound=compound, name="4号楼")
    entrance = await Entrance.create(community=community, building=building, name="2单元")
    households = [
        await Household.create(community=community, entrance=entrance, number=n, area_m2="72.50")
        for n in ("301", "302")
    ]
    return Neighbourhood(community, compound, building, entrance, households)


async def make_person(
    community: Community | None = None,
    roles: tuple[Role, ...] = (Role.RESIDENT,),
    household: Household | None = None,
    name: str = "测试",
) -> Person:
    global _hash
    if _hash is None:
        _hash = hash_password(PASSWORD)
    phone = f"+86{next(_phones)}"
    user = await User.create(phone=phone, password_hash=_hash, display_name=name)
    if community is not None:
        membership = await Membership.create(user=user, community=community, household=household)
        for role in roles:
            await MembershipRole.create(membership=membership, community=community, role=role)
    token, _ = issue_access_token(user.id)
    return Person(user=user, token=token, phone=phone)
