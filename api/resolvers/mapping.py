"""Model rows to schema objects, and service pages to connections."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from api.ids import encode_cursor
from api.schema import places as types
from api.schema.common import Connection, Edge, PageInfo
from models import places as m
from services.paging import Page

T = TypeVar("T")


def community(row: m.Community) -> types.Community:
    return types.Community(
        id=row.id, name=row.name, slug=row.slug, timezone=row.timezone, office_phone=row.office_phone
    )


def compound(row: m.Compound) -> types.Compound:
    return types.Compound(id=row.id, name=row.name, community_id=row.community_id)


def building(row: m.Building) -> types.Building:
    return types.Building(
        id=row.id, name=row.name, community_id=row.community_id, compound_id=row.compound_id
    )


def entrance(row: m.Entrance) -> types.Entrance:
    return types.Entrance(
        id=row.id, name=row.name, community_id=row.community_id, building_id=row.building_id
    )


def household(row: m.Household) -> types.Household:
    return types.Household(
        id=row.id,
        name=row.number,
        area_m2=row.area_m2,
        community_id=row.community_id,
        entrance_id=row.entrance_id,
    )


def asset(row: m.Asset) -> types.Asset:
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
        m.Compound: compound,
        m.Building: building,
        m.Entrance: entrance,
        m.Household: household,
    }
    return mapper[type(row)](row)


def connection(
    page: Page[Any], convert: Callable[[Any], T], count: Callable[[], Awaitable[int]], after: int | None
) -> Connection[T]:
    edges = [Edge(cursor=encode_cursor(row.pk), node=convert(row)) for row in page.items]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=after is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        _count=count,
    )
