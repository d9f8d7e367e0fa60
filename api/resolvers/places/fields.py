"""Resolvers of the place tree. Children inherit the community their parent was checked for."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from api.context import Info
from api.schema.connections import children
from api.schema.places import mapping
from api.schema.places.labels import label_by_id
from models.enums import TagTargetKind
from services.places.labels import PlaceKind
from services.tags import active_key

T = TypeVar("T")

if TYPE_CHECKING:
    # For annotations only: the schema types import this module at load time.
    from api.schema.common import Connection
    from api.schema.places import types
    from api.schema.tags import types as tag_types


async def compounds_of(
    root: types.Community, info: Info, first: int | None, after: str | None
) -> Connection[types.Compound]:
    loaders = info.context.loaders.places
    return await children(
        root.id,
        loaders.compounds_by_community,
        loaders.compound_count_by_community,
        mapping.compound,
        first,
        after,
    )


async def buildings_of(
    root: types.Compound, info: Info, first: int | None, after: str | None
) -> Connection[types.Building]:
    loaders = info.context.loaders.places
    return await children(
        root.id,
        loaders.buildings_by_compound,
        loaders.building_count_by_compound,
        mapping.building,
        first,
        after,
    )


async def entrances_of(
    root: types.Building, info: Info, first: int | None, after: str | None
) -> Connection[types.Entrance]:
    loaders = info.context.loaders.places
    return await children(
        root.id,
        loaders.entrances_by_building,
        loaders.entrance_count_by_building,
        mapping.entrance,
        first,
        after,
    )


async def households_of(
    root: types.Entrance, info: Info, first: int | None, after: str | None
) -> Connection[types.Household] | None:
    info.context.viewer.require_manager(root.community_id)
    loaders = info.context.loaders.places
    return await children(
        root.id,
        loaders.households_by_entrance,
        loaders.household_count_by_entrance,
        mapping.household,
        first,
        after,
    )


async def household_count_of(root: types.Entrance, info: Info) -> int:
    return await info.context.loaders.places.household_count_by_entrance.load(root.id)


async def care_tags_of(root: types.Household, info: Info) -> list[types.CareTagKind] | None:
    info.context.viewer.require_staff(root.community_id)
    return await info.context.loaders.places.care_tags_by_household.load(root.id)


async def community_of(root: types.Compound, info: Info) -> types.Community:
    row = await info.context.loaders.places.community_by_id.load(root.community_id)
    assert row is not None
    return mapping.community(row)


async def compound_of(root: types.Building, info: Info) -> types.Compound:
    row = await info.context.loaders.places.compound_by_id.load(root.compound_id)
    assert row is not None
    return mapping.compound(row)


async def building_of(root: types.Entrance, info: Info) -> types.Building:
    row = await info.context.loaders.places.building_by_id.load(root.building_id)
    assert row is not None
    return mapping.building(row)


async def entrance_of(root: types.Household, info: Info) -> types.Entrance:
    row = await info.context.loaders.places.entrance_by_id.load(root.entrance_id)
    assert row is not None
    return mapping.entrance(row)


async def place_of_asset(root: types.Asset, info: Info) -> types.Place:
    loaders = info.context.loaders.places
    if root.entrance_id is not None:
        entrance = await loaders.entrance_by_id.load(root.entrance_id)
        assert entrance is not None
        return mapping.entrance(entrance)
    if root.building_id is not None:
        building = await loaders.building_by_id.load(root.building_id)
        assert building is not None
        return mapping.building(building)
    compound = await loaders.compound_by_id.load(root.compound_id)
    assert compound is not None
    return mapping.compound(compound)


async def active_tag_of(
    kind: TagTargetKind, target_id: int, community_id: int, info: Info
) -> tag_types.Tag | None:
    # Imported here: the schema types import this module, so a top-level import is a cycle.
    from api.resolvers.tags.fields import tag

    info.context.viewer.require_manager(community_id)
    row = await info.context.loaders.tags.active_tag_by_target.load(active_key(kind, target_id))
    return tag(row) if row is not None else None


async def label_of(root: types.Place | types.Asset, info: Info) -> str:
    """The full label. The kind is the GraphQL type's name (Compound, Building, Entrance,
    Household, Asset)."""
    label = await label_by_id(info, PlaceKind(type(root).__name__.lower()), int(root.id))
    return label or root.name
