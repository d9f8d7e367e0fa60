"""Place rows to schema objects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from api.schema.places import types
from models import places as place_models

T = TypeVar("T")


def community(row: place_models.Community) -> types.Community:
    return types.Community(
        id=row.id, name=row.name, slug=row.slug, timezone=row.timezone, office_phone=row.office_phone
    )


def compound(row: place_models.Compound) -> types.Compound:
    return types.Compound(id=row.id, name=row.name, community_id=row.community_id)


def building(row: place_models.Building) -> types.Building:
    return types.Building(
        id=row.id, name=row.name, community_id=row.community_id, compound_id=row.compound_id
    )


def entrance(row: place_models.Entrance) -> types.Entrance:
    return types.Entrance(
        id=row.id, name=row.name, community_id=row.community_id, building_id=row.building_id
    )


def household(row: place_models.Household) -> types.Household:
    return types.Household(
        id=row.id,
        name=row.number,
        area_m2=row.area_m2,
        community_id=row.community_id,
        entrance_id=row.entrance_id,
    )


def asset(row: place_models.Asset) -> types.Asset:
    return types.Asset(
        id=row.id,
        name=row.name,
        kind=row.kind,
        community_id=row.community_id,
        compound_id=row.compound_id,
        building_id=row.building_id,
        entrance_id=row.entrance_id,
    )


def place(row: Any) -> types.Place:
    mapper: dict[type, Callable[[Any], types.Place]] = {
        place_models.Compound: compound,
        place_models.Building: building,
        place_models.Entrance: entrance,
        place_models.Household: household,
    }
    return mapper[type(row)](row)
