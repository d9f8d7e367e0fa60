"""A neighbourhood with staff, a resident, and a second community for isolation checks."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from models.enums import AssetKind, Role
from models.places import Asset, Entrance
from tests.support.people import Neighbourhood, Person, make_neighbourhood, make_person


@dataclass
class TagWorld:
    place: Neighbourhood
    staff: Person
    resident: Person
    other: Neighbourhood
    other_staff: Person
    lamp: Asset


@pytest.fixture
async def world() -> TagWorld:
    place = await make_neighbourhood()
    await Entrance.create(community=place.community, building=place.building, name="1单元")
    lamp = await Asset.create(
        community=place.community,
        compound=place.compound,
        building=place.building,
        entrance=place.entrance,
        kind=AssetKind.LAMP,
        name="楼道灯",
    )
    other = await make_neighbourhood("binhe", "滨河社区")
    return TagWorld(
        place=place,
        staff=await make_person(place.community, (Role.STAFF,), name="办公室"),
        resident=await make_person(place.community, (Role.RESIDENT,), household=place.households[0]),
        other=other,
        other_staff=await make_person(other.community, (Role.STAFF,), name="滨河办公室"),
        lamp=lamp,
    )
