"""Resolvers of the place tree. Children inherit the community their parent was checked for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from api.context import Info
from api.ids import decode_cursor
from api.resolvers import mapping
from models.enums import TagTargetKind
from services.paging import clamp_first
from services.tags import active_key

if TYPE_CHECKING:
    from api.schema import places as types
    from api.schema import tags as tag_types
    from api.schema.common import Connection


async def compounds_of(
    root: types.Community, info: Info, first: int | None, after: str | None
) -> Connection[types.Compound]:
    loaders = info.context.loaders
    size, after_id = clamp_first(first), decode_cursor(after)
    page = await loaders.compounds_by_community.load((root.id, size, after_id))
    return mapping.connection(
        page, mapping.compound, lambda: loaders.compound_count_by_community.load(root.id), after_id
    )


async def buildings_of(
    root: types.Compound, info: Info, first: int | None, after: str | None
) -> Connection[types.Building]:
    loaders = info.context.loaders
    size, after_id = clamp_first(first), decode_cursor(after)
    page = await loaders.buildings_by_compound.load((root.id, size, after_id))
    return mapping.connection(
        page, mapping.building, lambda: loaders.building_count_by_compound.load(root.id), after_id
    )


async def entrances_of(
    root: types.Building, info: Info, first: int | None, after: str | None
) -> Connection[types.Entrance]:
    loaders = info.context.loaders
    size, after_id = clamp_first(first), decode_cursor(after)
    page = await loaders.entrances_by_building.load((root.id, size, after_id))
    return mapping.connection(
        page, mapping.entrance, lambda: loaders.entrance_count_by_building.load(root.id), after_id
    )


async def households_of(
    root: types.Entrance, info: Info, first: int | None, after: str | None
) -> Connection[types.Household] | None:
    info.context.viewer.require_staff(root.community_id)
    loaders = info.context.loaders
    size, after_id = clamp_first(first), decode_cursor(after)
    page = await loaders.households_by_entrance.load((root.id, size, after_id))
    return mapping.connection(
        page, mapping.household, lambda: loaders.household_count_by_entrance.load(root.id), after_id
    )


async def household_count_of(root: types.Entrance, info: Info) -> int:
    return await info.context.loaders.household_count_by_entrance.load(root.id)


async def care_tags_of(root: types.Household, info: Info) -> list[types.CareTagKind] | None:
    info.context.viewer.require_staff(root.community_id)
    return await info.context.loaders.care_tags_by_household.load(root.id)


async def community_of(root: types.Compound, info: Info) -> types.Community:
    row = await info.context.loaders.community_by_id.load(root.community_id)
    assert row is not None
    return mapping.community(row)


async def compound_of(root: types.Building, info: Info) -> types.Compound:
    row = await info.context.loaders.compound_by_id.load(root.compound_id)
    assert row is not None
    return mapping.compound(row)


async def building_of(root: types.Entrance, info: Info) -> types.Building:
    row = await info.context.loaders.building_by_id.load(root.building_id)
    assert row is not None
    return mapping.building(row)


async def entrance_of(root: types.Household, info: Info) -> types.Entrance:
    row = await info.context.loaders.entrance_by_id.load(root.entrance_id)
    assert row is not None
    return mapping.entrance(row)


async def place_of_asset(root: types.Asset, info: Info) -> types.Place:
    loaders = info.context.loaders
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
    from api.resolvers.tags import tag

    info.context.viewer.require_manager(community_id)
    row = await info.context.loaders.active_tag_by_target.load(active_key(kind, target_id))
    return tag(row) if row is not None else None
