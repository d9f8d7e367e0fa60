"""A place's full label ("休闲小区 4号楼 2单元") through the request's loaders, for any type that
names a place by id (a report, a board row, an inspection, a flag standing)."""

from __future__ import annotations

from typing import Any

from strawberry.dataloader import DataLoader

from api.context import Info
from services.places.labels import PlaceKind, label_of_row


async def label_by_id(info: Info, kind: PlaceKind, place_id: int) -> str | None:
    """Through the request's by-id loaders, which read a place with its parents: free when the
    place was already loaded (a report's place), else one statement per kind for every row
    that asks (two when another read primed the loader with rows without parents). Callers
    have checked the viewer may see the place (its name is no more private)."""
    loaders = info.context.loaders.places
    by_kind: dict[PlaceKind, DataLoader[int, Any]] = {
        PlaceKind.COMPOUND: loaders.compound_by_id,
        PlaceKind.BUILDING: loaders.building_by_id,
        PlaceKind.ENTRANCE: loaders.entrance_by_id,
        PlaceKind.HOUSEHOLD: loaders.household_by_id,
        PlaceKind.ASSET: loaders.asset_by_id,
    }
    row = await by_kind[kind].load(place_id)
    label = label_of_row(row) if row is not None else None
    if label is None and row is not None:
        # Another read (a scan) primed the loader with the bare row: read the label itself.
        label = await loaders.label_by_place.load((kind, place_id))
    return label


async def entrance_label(info: Info, entrance_id: int | None) -> str | None:
    """An entrance's full label for rows that name one by id (board rows, inspections)."""
    return await label_by_id(info, PlaceKind.ENTRANCE, entrance_id) if entrance_id else None
