"""Importing a community's register of places from the CSV file its office keeps.

The whole file is checked before anything is written: an office fixing its spreadsheet wants every
problem at once, and a half-imported register is worse than none. Writing then goes level by level
(compounds, buildings, entrances, households) with one read and a few bulk inserts per level, because
a real register has thousands of households and a query per row would take minutes on PostgreSQL.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TextIO

from tortoise import fields
from tortoise.models import Model
from tortoise.transactions import in_transaction

from models.places import Building, Community, Compound, Entrance, Household
from services.access import Viewer
from services.errors import DomainError, ErrorCode
from services.places import get_community

COLUMNS = ("compound", "building", "entrance", "household", "area_m2")
PLACE_COLUMNS = COLUMNS[:4]
# The headers a community office writes in its own spreadsheet.
HEADER_ALIASES = {
    "小区": "compound",
    "楼栋": "building",
    "单元": "entrance",
    "户号": "household",
    "面积": "area_m2",
}
MAX_AREA_M2 = Decimal("99999")
PROGRESS_EVERY = 500
# Plain digits only: a sign, an exponent or a thousands separator in an area column is a typo.
_AREA = re.compile(r"\d+(?:\.\d+)?")
_CENT = Decimal("0.01")

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class RowProblem:
    """`line` is the physical line of the file (the header is line 1); line 0 means the file as a
    whole. `column` is the canonical column name (`compound` … `area_m2`), whatever the header said."""

    line: int
    column: str | None
    message: str


class PlaceImportError(DomainError):
    def __init__(self, problems: list[RowProblem]) -> None:
        count = len(problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(ErrorCode.INVALID_INPUT, f"{count} {noun} in the file; nothing was imported.")
        self.problems = tuple(problems)


@dataclass
class ImportSummary:
    compounds_created: int = 0
    buildings_created: int = 0
    entrances_created: int = 0
    households_created: int = 0
    households_updated: int = 0
    households_unchanged: int = 0
    rows: int = 0


@dataclass(frozen=True)
class _Row:
    line: int
    compound: str
    building: str
    entrance: str
    household: str
    area_m2: Decimal | None


def _max_length(model: type[Model], field_name: str) -> int:
    field = model._meta.fields_map[field_name]
    assert isinstance(field, fields.CharField)
    return field.max_length


_MAX_LENGTH = {
    "compound": _max_length(Compound, "name"),
    "building": _max_length(Building, "name"),
    "entrance": _max_length(Entrance, "name"),
    "household": _max_length(Household, "number"),
}


async def import_places(
    community: Community, source: TextIO, progress: ProgressCallback | None = None
) -> ImportSummary:
    """Create the places of `source` that `community` lacks and update changed areas.

    Existing places missing from the file are left alone (they may carry reports and history), and
    an empty area never erases a stored one: an empty cell means "not known", not "none".
    Raises `PlaceImportError` with every problem found, before writing anything.
    """
    rows = _read_rows(source)
    if progress:
        progress(0, len(rows))
    return await _write(community.id, rows, progress)


def _read_rows(source: TextIO) -> list[_Row]:
    try:
        text = source.read()
    except UnicodeDecodeError:
        # Excel on a Chinese Windows saves "CSV" as GBK unless told otherwise.
        message = 'The file is not UTF-8 text; save it as "CSV UTF-8" and import it again.'
        raise PlaceImportError([RowProblem(0, None, message)]) from None
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    problems: list[RowProblem] = []
    rows: list[_Row] = []
    columns: dict[str, int] | None = None
    width = 0
    first_seen: dict[tuple[str, str, str, str], int] = {}
    line_done = 0
    try:
        for record in reader:
            # A quoted cell may span lines; a row's line is where it starts.
            line, line_done = line_done + 1, reader.line_num
            # Spreadsheets end files with blank lines or rows of empty cells.
            if not any(cell.strip() for cell in record):
                continue
            if columns is None:
                columns = _read_header(record, line)
                width = len(record)
                continue
            row = _check_row(record, line, columns, width, problems)
            if row is None:
                continue
            key = (row.compound, row.building, row.entrance, row.household)
            if key in first_seen:
                problems.append(
                    RowProblem(
                        line,
                        "household",
                        f"Household {row.household} of {row.compound} {row.building} {row.entrance} "
                        f"is already on line {first_seen[key]}.",
                    )
                )
                continue
            first_seen[key] = line
            rows.append(row)
    except csv.Error as exc:
        # The reader cannot find row boundaries past this point, so later lines are not checked.
        problems.append(RowProblem(reader.line_num, None, f"The file cannot be read as CSV here: {exc}."))
    if columns is None:
        problems.append(RowProblem(1, None, "The file is empty; it needs a header row: " + ",".join(COLUMNS)))
    elif not rows and not problems:
        problems.append(RowProblem(1, None, "The file has a header but no households."))
    if problems:
        raise PlaceImportError(problems)
    return rows


def _read_header(record: list[str], line: int) -> dict[str, int]:
    """Map each canonical column to its index. A header problem stops the import at once: without
    knowing the columns, no row can be checked."""
    columns: dict[str, int] = {}
    problems: list[RowProblem] = []
    for index, cell in enumerate(record):
        name = cell.strip().lower()
        name = HEADER_ALIASES.get(name, name)
        if name not in COLUMNS:
            continue  # Offices keep notes in extra columns; they are not ours to judge.
        if name in columns:
            problems.append(RowProblem(line, name, f"The column {name} appears twice in the header."))
        columns[name] = index
    for name in COLUMNS:
        if name not in columns:
            problems.append(RowProblem(line, name, f"The header has no {name} column."))
    if problems:
        raise PlaceImportError(problems)
    return columns


def _check_row(
    record: list[str], line: int, columns: dict[str, int], width: int, problems: list[RowProblem]
) -> _Row | None:
    if len(record) != width:
        message = f"Expected {width} columns as in the header, found {len(record)}."
        problems.append(RowProblem(line, None, message))
        return None
    values = {name: record[index].strip() for name, index in columns.items()}
    found = len(problems)
    for name in PLACE_COLUMNS:
        value = values[name]
        if not value:
            problems.append(RowProblem(line, name, f"The {name} is missing."))
        elif len(value) > _MAX_LENGTH[name]:
            problems.append(
                RowProblem(line, name, f"The {name} is longer than {_MAX_LENGTH[name]} characters.")
            )
    area = _parse_area(values["area_m2"], line, problems)
    if len(problems) > found:
        return None
    return _Row(line, values["compound"], values["building"], values["entrance"], values["household"], area)


def _parse_area(value: str, line: int, problems: list[RowProblem]) -> Decimal | None:
    if not value:
        return None
    if _AREA.fullmatch(value):
        area = Decimal(value)
        # "85.50" and "85.500" are the same area; "85.505" is not one we can store.
        if area == area.quantize(_CENT) and 0 < area <= MAX_AREA_M2:
            return area.quantize(_CENT)
    problems.append(
        RowProblem(
            line,
            "area_m2",
            f"The area must be a number of square metres above 0 and at most {MAX_AREA_M2}, "
            "with at most 2 decimals.",
        )
    )
    return None


async def _write(community_id: int, rows: list[_Row], progress: ProgressCallback | None) -> ImportSummary:
    summary = ImportSummary(rows=len(rows))
    async with in_transaction():
        # Two imports of one community (a double click, two office PCs) take turns, so each reads
        # what the other wrote and its summary counts only its own work. NO KEY: a plain FOR UPDATE
        # would also block every insert that references the community, for the whole import.
        # On SQLite this is a no-op; writers are serialised there anyway.
        await Community.filter(id=community_id).select_for_update(no_key=True).first()
        compound_ids, summary.compounds_created = await _ensure_level(
            Compound, community_id, "community_id", [(community_id, row.compound) for row in rows]
        )
        building_ids, summary.buildings_created = await _ensure_level(
            Building, community_id, "compound_id", _pair(compound_ids, [row.building for row in rows])
        )
        entrance_ids, summary.entrances_created = await _ensure_level(
            Entrance, community_id, "building_id", _pair(building_ids, [row.entrance for row in rows])
        )
        await _write_households(community_id, rows, entrance_ids, summary, progress)
    return summary


def _pair(parent_ids: list[int], names: list[str]) -> list[tuple[int, str]]:
    return list(zip(parent_ids, names, strict=True))


async def _ensure_level(
    model: type[Model], community_id: int, parent_field: str, wanted: list[tuple[int, str]]
) -> tuple[list[int], int]:
    """Create the (parent id, name) pairs of one level that do not exist yet; return the id of each
    wanted pair, in order, and how many were created."""
    existing = await _load_level(model, community_id, parent_field)
    # dict.fromkeys keeps the file's order, so ids follow the office's own listing.
    missing = [key for key in dict.fromkeys(wanted) if key not in existing]
    if missing:
        new_rows = [
            model(**{"community_id": community_id, parent_field: parent_id, "name": name})
            for parent_id, name in missing
        ]
        # A place added meanwhile through the app is taken as is rather than failing the import.
        await model.bulk_create(new_rows, ignore_conflicts=True)
        existing = await _load_level(model, community_id, parent_field)
    return [existing[key] for key in wanted], len(missing)


async def _load_level(model: type[Model], community_id: int, parent_field: str) -> dict[tuple[int, str], int]:
    found: list[tuple[Any, ...]] = await model.filter(community_id=community_id).values_list(
        parent_field, "name", "id"
    )
    return {(parent_id, name): row_id for parent_id, name, row_id in found}


async def _write_households(
    community_id: int,
    rows: list[_Row],
    entrance_ids: list[int],
    summary: ImportSummary,
    progress: ProgressCallback | None,
) -> None:
    existing = {
        (household.entrance_id, household.number): household
        for household in await Household.filter(community_id=community_id)
    }
    to_create: list[Household] = []
    to_update: list[Household] = []
    for done, (row, entrance_id) in enumerate(zip(rows, entrance_ids, strict=True), start=1):
        household = existing.get((entrance_id, row.household))
        if household is None:
            to_create.append(
                Household(
                    community_id=community_id,
                    entrance_id=entrance_id,
                    number=row.household,
                    area_m2=row.area_m2,
                )
            )
        elif row.area_m2 is not None and household.area_m2 != row.area_m2:
            household.area_m2 = row.area_m2
            to_update.append(household)
        else:
            summary.households_unchanged += 1
        if done % PROGRESS_EVERY == 0 or done == len(rows):
            if to_create:
                await Household.bulk_create(to_create, ignore_conflicts=True)
            if to_update:
                await Household.bulk_update(to_update, fields=["area_m2"])
            summary.households_created += len(to_create)
            summary.households_updated += len(to_update)
            to_create, to_update = [], []
            if progress:
                progress(done, len(rows))


# An office's register is some thousands of rows of ~40 bytes; anything far above is not one.
MAX_REGISTER_BYTES = 5 * 2**20


async def community_for_import(viewer: Viewer, community_id: int) -> Community:
    """The community whose register the viewer may import: managers of it only."""
    community = await get_community(viewer, community_id, "communityId")
    viewer.require_manager(community.id)
    return community


async def import_register(community: Community, data: bytes) -> ImportSummary:
    """The office's import of an uploaded register (UTF-8, with or without Excel's BOM), for a
    community from `community_for_import`. Importing the same file again changes nothing, so a
    double-clicked upload needs no idempotency key."""
    if len(data) > MAX_REGISTER_BYTES:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"The file is larger than {MAX_REGISTER_BYTES // 2**20} MB; a register is far smaller.",
            "file",
        )
    source = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    return await import_places(community, source)
