"""Full place labels: "休闲小区 1号楼 1单元", never "1单元" alone.

A community has a hundred entrances named "1单元" … "4单元", so a place is only findable by its
whole path. Each read below is one statement for any number of places of one kind: the names up
the tree come by joins in the same SELECT, so a list of reports or inspections costs one more
statement, not one per row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any, TypeVar

from tortoise.models import Model

from models.places import Asset, Building, Compound, Entrance, Household
from runtime.database import fetch


class PlaceKind(StrEnum):
    COMPOUND = "compound"
    BUILDING = "building"
    ENTRANCE = "entrance"
    HOUSEHOLD = "household"
    ASSET = "asset"


def full_label(
    compound: str | None,
    building: str | None = None,
    entrance: str | None = None,
    household: str | None = None,
    asset: str | None = None,
) -> str:
    """Join the names from the compound down. Asset names often already say where they are
    ("4号楼2单元楼道灯"): a place the asset's name contains is not repeated."""
    places = [compound, building, entrance, household]
    if asset:
        places = [p for p in places if p and p not in asset]
    return " ".join(p for p in (*places, asset) if p)


# The columns each kind is labelled from, read with one joined SELECT.
_COLUMNS: dict[PlaceKind, tuple[Any, tuple[str, ...]]] = {
    PlaceKind.COMPOUND: (Compound, ("name",)),
    PlaceKind.BUILDING: (Building, ("compound__name", "name")),
    PlaceKind.ENTRANCE: (Entrance, ("building__compound__name", "building__name", "name")),
    PlaceKind.HOUSEHOLD: (
        Household,
        ("entrance__building__compound__name", "entrance__building__name", "entrance__name", "number"),
    ),
    # An asset on an entrance may leave its building empty: the entrance's building stands in.
    PlaceKind.ASSET: (
        Asset,
        ("compound__name", "building__name", "entrance__building__name", "entrance__name", "name"),
    ),
}


def _label(kind: PlaceKind, names: Sequence[str | None]) -> str:
    if kind == PlaceKind.ASSET:
        compound, building, entrance_building, entrance, asset = names
        return full_label(compound, building or entrance_building, entrance, asset=asset)
    return full_label(*names)


async def labels_by_id(kind: PlaceKind, ids: Iterable[int]) -> dict[int, str]:
    """Labels of places of one kind, by id; ids that do not exist are left out. Callers check
    that the viewer may see the places."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    model, columns = _COLUMNS[kind]
    rows = await model.filter(id__in=wanted).values_list("id", *columns)
    return {int(row[0]): _label(kind, row[1:]) for row in rows}


# The parents each kind is read with, so its label needs no further statement.
_PARENTS: dict[type[Model], tuple[str, ...]] = {
    Compound: (),
    Building: ("compound",),
    Entrance: ("building__compound",),
    Household: ("entrance__building__compound",),
    Asset: ("compound", "building", "entrance__building"),
}
PlaceRow = TypeVar("PlaceRow", Compound, Building, Entrance, Household, Asset)


async def rows_with_parents(model: type[PlaceRow], ids: Sequence[int]) -> list[PlaceRow | None]:
    """Batch read for a DataLoader: the places by id, each with the places above it joined into
    the same statement, so `label_of_row` works on every row."""
    query = model.filter(id__in=list(set(ids)))
    if _PARENTS[model]:
        query = query.select_related(*_PARENTS[model])
    rows = {row.pk: row for row in await query}
    return [rows.get(i) for i in ids]


def _fetched(row: Model, relation: str) -> Any:
    """The related row when it was read along (select_related), else None: never a query."""
    value = row.__dict__.get(f"_{relation}")
    return value if isinstance(value, Model) else None


def label_of_row(row: Compound | Building | Entrance | Household | Asset) -> str | None:
    """The full label of a row read by `rows_with_parents`; None when its parents were not read."""
    if isinstance(row, Compound):
        return full_label(row.name)
    if isinstance(row, Building):
        compound = _fetched(row, "compound")
        return full_label(compound.name, row.name) if compound else None
    if isinstance(row, Entrance):
        building = _fetched(row, "building")
        compound = _fetched(building, "compound") if building else None
        return full_label(compound.name, building.name, row.name) if compound else None
    if isinstance(row, Household):
        entrance = _fetched(row, "entrance")
        label = label_of_row(entrance) if entrance else None
        return f"{label} {row.number}" if label else None
    compound = _fetched(row, "compound")
    if compound is None:
        return None
    entrance = _fetched(row, "entrance")
    building = _fetched(row, "building") or (_fetched(entrance, "building") if entrance else None)
    return full_label(
        compound.name,
        building.name if building else None,
        entrance.name if entrance else None,
        asset=row.name,
    )


async def labels(keys: Sequence[tuple[PlaceKind, int]]) -> list[str | None]:
    """Batch read for a DataLoader keyed by (kind, id): one statement per kind asked."""
    by_kind: dict[PlaceKind, list[int]] = defaultdict(list)
    for kind, place_id in keys:
        by_kind[kind].append(place_id)
    found: dict[tuple[PlaceKind, int], str] = {}
    for kind, ids in by_kind.items():
        found.update({(kind, i): text for i, text in (await labels_by_id(kind, ids)).items()})
    return [found.get(key) for key in keys]


# Hand-written: every notification about a report names its place, so each report filed,
# claimed, resolved or confirmed reads it (the ORM's join cost ~0.6 ms of worker CPU more).
_REPORT_LABEL = (
    'SELECT k."name" AS "compound", b."name" AS "building", eb."name" AS "entrance_building", '
    'e."name" AS "entrance", a."name" AS "asset" FROM "report" r '
    'JOIN "compound" k ON k."id" = r."compound_id" '
    'LEFT JOIN "building" b ON b."id" = r."building_id" '
    'LEFT JOIN "entrance" e ON e."id" = r."entrance_id" '
    'LEFT JOIN "building" eb ON eb."id" = e."building_id" '
    'LEFT JOIN "asset" a ON a."id" = r."asset_id" '
    'WHERE r."id" = $1'
)


async def report_label(report_id: int) -> str:
    """Where a report is (its asset's label when it has one), in one statement."""
    rows = await fetch(_REPORT_LABEL, [report_id])
    if not rows:
        return ""
    row = rows[0]
    return full_label(
        row["compound"], row["building"] or row["entrance_building"], row["entrance"], asset=row["asset"]
    )
