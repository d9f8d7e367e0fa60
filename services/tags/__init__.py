"""Tags: create, revoke and re-issue the printed codes of places and assets; resolve a scanned code.

A code is checked by its signature before any database read, so a forged or mangled code costs
nothing but a hash. Staff (managers) of the tag's community do everything here except scanning,
which anyone may do: the sticker hangs in a public stairwell anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.functions import Max
from tortoise.models import Model
from tortoise.transactions import in_transaction

from models.enums import AssetKind, ReportCategory, TagTargetKind
from models.places import Asset, Building, Community, Compound, Entrance
from models.reports import Report
from models.tags import Tag
from runtime import clock
from runtime.database import dialect, placeholder
from runtime.i18n import N_
from runtime.settings import get_settings
from services import signed_codes
from services.access import Viewer
from services.errors import DomainError, ErrorCode
from services.places.labels import full_label
from services.reports.queries import (
    ReportsShown,
    SqlPart,
    active_at_tag_sql,
    reports_shown,
    shown_columns_sql,
)
from services.tags.printing import PrintedTag

PURPOSE = "tag"
Target = Compound | Building | Entrance | Asset

_KIND_OF: dict[type, TagTargetKind] = {
    Compound: TagTargetKind.COMPOUND,
    Building: TagTargetKind.BUILDING,
    Entrance: TagTargetKind.ENTRANCE,
    Asset: TagTargetKind.ASSET,
}

ALL_CATEGORIES: tuple[ReportCategory, ...] = tuple(ReportCategory)
# What can break on a thing; "other" always stays possible. Places take every category.
CATEGORIES_BY_ASSET_KIND: dict[AssetKind, tuple[ReportCategory, ...]] = {
    AssetKind.LAMP: (ReportCategory.LIGHTING, ReportCategory.ELECTRICAL, ReportCategory.SAFETY_HAZARD),
    AssetKind.PIPE: (ReportCategory.PLUMBING, ReportCategory.SNOW_ICE, ReportCategory.SAFETY_HAZARD),
    AssetKind.CAMERA: (ReportCategory.ELECTRICAL, ReportCategory.PUBLIC_FACILITY),
    AssetKind.DOOR: (
        ReportCategory.PUBLIC_FACILITY,
        ReportCategory.ELECTRICAL,
        ReportCategory.SAFETY_HAZARD,
    ),
    AssetKind.GARDEN_BED: (ReportCategory.SANITATION, ReportCategory.ILLEGAL_CONSTRUCTION),
    AssetKind.OTHER: ALL_CATEGORIES[:-1],
}


@dataclass(frozen=True)
class TagLocation:
    """Where a tag hangs, by name: what the landing page and the printed label say."""

    community_id: int
    community_name: str
    compound_name: str | None = None
    building_name: str | None = None
    entrance_name: str | None = None
    asset_name: str | None = None
    asset_kind: AssetKind | None = None
    # The community office's phone, for someone who cannot report here (no app, not a member).
    office_phone: str = ""
    # The rows the names were read from, so a caller that goes on to show the place (a scan's
    # reports name their community and entrance) need not read them again.
    rows: tuple[Community | Compound | Building | Entrance | Asset, ...] = field(
        default=(), compare=False, repr=False
    )

    @property
    def label(self) -> str:
        """e.g. "休闲小区 4号楼 2单元", "休闲小区 4号楼 2单元 楼道灯".

        Asset names often already say where they are ("4号楼2单元楼道灯"); a place the asset's
        name contains is not repeated."""
        return full_label(self.compound_name, self.building_name, self.entrance_name, asset=self.asset_name)


@dataclass(frozen=True)
class Scan:
    """What scanning a code tells the caller, including what is already being handled here."""

    tag: Tag
    location: TagLocation
    may_report: bool
    categories: tuple[ReportCategory, ...]
    # The reports being handled here, with what the scan shows of each.
    shown: ReportsShown = field(default_factory=ReportsShown)

    @property
    def open_reports(self) -> tuple[Report, ...]:
        return self.shown.reports


@dataclass
class BulkResult:
    created: list[Tag] = field(default_factory=list)
    already_active: list[Tag] = field(default_factory=list)

    @property
    def tags(self) -> list[Tag]:
        return sorted(self.created + self.already_active, key=lambda t: t.id)


# ---- codes ---------------------------------------------------------------------------------


def code_of(tag: Tag) -> str:
    return signed_codes.sign(PURPOSE, (tag.id, tag.version))


def url_of(tag: Tag) -> str:
    return f"{get_settings().public_base_url}/t/{code_of(tag)}"


def image_url_of(tag: Tag, extension: str) -> str:
    return f"{get_settings().public_base_url}/qr/{code_of(tag)}.{extension}"


def _read_code(code: str) -> tuple[int, int]:
    """(tag id, version) of a genuine code, without touching the database."""
    try:
        tag_id, version = signed_codes.verify(PURPOSE, code, 2)
    except signed_codes.SignedCodeError:
        raise DomainError(
            ErrorCode.TAG_CODE_INVALID, N_("This is not a code the community office printed."), "code"
        ) from None
    return tag_id, version


async def tag_by_code(code: str) -> Tag:
    """The active tag of a genuine code. Forged/mangled → TAG_CODE_INVALID; a genuine code whose
    tag is gone → NOT_FOUND; revoked or re-issued → TAG_REVOKED."""
    tag_id, version = _read_code(code)
    return _active(await Tag.get_or_none(id=tag_id), version)


def _active(tag: Tag | None, version: int) -> Tag:
    """The tag a code of this version names, if it still hangs (see tag_by_code)."""
    if tag is None or tag.version != version:
        raise DomainError(ErrorCode.NOT_FOUND, N_("No tag has this code."), "code")
    if tag.revoked_at is not None:
        raise DomainError(
            ErrorCode.TAG_REVOKED,
            N_("This code was withdrawn by the community office; look for a newer sticker nearby."),
            "code",
        )
    return tag


# ---- where a tag is ------------------------------------------------------------------------


async def locations_of(tags: Sequence[Tag]) -> list[TagLocation]:
    """Names of every tag's place, for any number of tags in at most five queries."""
    asset_ids = {t.asset_id for t in tags if t.asset_id}
    assets = {a.id: a for a in await Asset.filter(id__in=list(asset_ids))} if asset_ids else {}

    def parts(tag: Tag) -> tuple[int | None, int | None, int | None]:
        if tag.asset_id:
            asset = assets[tag.asset_id]
            return asset.compound_id, asset.building_id, asset.entrance_id
        return tag.compound_id, tag.building_id, tag.entrance_id

    wanted = [parts(t) for t in tags]
    entrances = (
        {e.id: e for e in await Entrance.filter(id__in=list({w[2] for w in wanted if w[2]}))}
        if any(w[2] for w in wanted)
        else {}
    )
    building_ids = {w[1] for w in wanted if w[1]} | {e.building_id for e in entrances.values()}
    buildings = {b.id: b for b in await Building.filter(id__in=list(building_ids))} if building_ids else {}
    compound_ids = {w[0] for w in wanted if w[0]} | {b.compound_id for b in buildings.values()}
    compounds = {c.id: c for c in await Compound.filter(id__in=list(compound_ids))} if compound_ids else {}
    communities = (
        {c.id: c for c in await Community.filter(id__in=list({t.community_id for t in tags}))} if tags else {}
    )

    result = []
    for tag, (compound_id, building_id, entrance_id) in zip(tags, wanted, strict=True):
        entrance = entrances.get(entrance_id) if entrance_id else None
        building_id = building_id or (entrance.building_id if entrance else None)
        building = buildings.get(building_id) if building_id else None
        compound_id = compound_id or (building.compound_id if building else None)
        compound = compounds.get(compound_id) if compound_id else None
        asset = assets.get(tag.asset_id) if tag.asset_id else None
        result.append(_location(communities[tag.community_id], compound, building, entrance, asset))
    return result


def _location(
    community: Community,
    compound: Compound | None,
    building: Building | None,
    entrance: Entrance | None,
    asset: Asset | None,
) -> TagLocation:
    return TagLocation(
        community_id=community.id,
        community_name=community.name,
        compound_name=compound.name if compound else None,
        building_name=building.name if building else None,
        entrance_name=entrance.name if entrance else None,
        asset_name=asset.name if asset else None,
        asset_kind=AssetKind(asset.kind) if asset else None,
        office_phone=community.office_phone,
        rows=tuple(row for row in (community, compound, building, entrance, asset) if row),
    )


# Every column of the rows a scan shows, as "<alias>__<column>", so that one statement reads the
# tag with its asset, the places above it and the reports being handled there: a scan is the
# hottest read, and each statement costs more Python than the database's work on it.
_SCANNED: tuple[tuple[str, type[Model]], ...] = (
    ("t", Tag),
    ("a", Asset),
    ("e", Entrance),
    ("b", Building),
    ("c", Compound),
    ("m", Community),
)


@cache  # built once per dialect
def _scanned_sql(dialect_name: str) -> SqlPart:
    """Parameters: the viewer's user id (or NULL), the reports' join's, the tag's id; numbered in
    the order they stand in the text, as SQLite's "?" binds them."""

    def table(model: type[Model]) -> str:
        return f'"{model._meta.db_table}"'

    def here(column: str) -> str:
        # The same choice as locations_of: an asset's tag hangs where its asset is.
        return f'CASE WHEN t."asset_id" IS NULL THEN t."{column}" ELSE a."{column}" END'

    places = ", ".join(
        f'{alias}."{column}" AS "{alias}__{column}"'
        for alias, model in _SCANNED
        for column in model._meta.fields_db_projection.values()
    )
    reports = active_at_tag_sql("t", "r", placeholder, 2)
    sql = (
        f"SELECT {places}, {shown_columns_sql('r', placeholder(1))} "  # noqa: S608 - no values formatted in
        f"FROM {table(Tag)} t "
        f'LEFT JOIN {table(Asset)} a ON a."id" = t."asset_id" '
        f'LEFT JOIN {table(Entrance)} e ON e."id" = {here("entrance_id")} '
        f'LEFT JOIN {table(Building)} b ON b."id" = COALESCE({here("building_id")}, e."building_id") '
        f'LEFT JOIN {table(Compound)} c ON c."id" = COALESCE({here("compound_id")}, b."compound_id") '
        f'JOIN {table(Community)} m ON m."id" = t."community_id" '
        f"LEFT JOIN {table(Report)} r ON {reports.sql} "
        f'WHERE t."id" = {placeholder(2 + len(reports.params))}'
    )
    return SqlPart(sql, reports.params)


@lru_cache(maxsize=8)
def _split(keys: tuple[str, ...]) -> tuple[tuple[str, Any, tuple[tuple[str, str], ...]], ...]:
    """Which of the statement's columns (`alias__field`) belong to which model, worked out once
    per column list rather than by testing every column's prefix on every scan."""
    return tuple(
        (
            alias,
            model,
            tuple((key, key.removeprefix(f"{alias}__")) for key in keys if key.startswith(f"{alias}__")),
        )
        for alias, model in _SCANNED
    )


async def _scanned(tag_id: int, viewer_id: int | None) -> tuple[Tag, TagLocation, ReportsShown] | None:
    """The tag of this id, where it hangs and what is being handled there, in one statement (one
    row per report, or one without); None if there is no such tag."""
    statement = _scanned_sql(dialect())
    params = [viewer_id, *statement.params, tag_id]
    _, found = await connections.get("default").execute_query(statement.sql, params)
    if not found:
        return None
    records = [dict(record) for record in found]
    rows: dict[str, Any] = {}
    first = records[0]
    for alias, model, columns in _split(tuple(first)):
        values = {field: first[key] for key, field in columns}
        rows[alias] = model._init_from_db(**values) if values["id"] is not None else None
    location = _location(rows["m"], rows["c"], rows["b"], rows["e"], rows["a"])
    return rows["t"], location, reports_shown(records, viewer_id)


def categories_for(location: TagLocation) -> tuple[ReportCategory, ...]:
    if location.asset_kind is None:
        return ALL_CATEGORIES
    return (*CATEGORIES_BY_ASSET_KIND[location.asset_kind], ReportCategory.OTHER)


async def scan(viewer: Viewer, code: str) -> Scan:
    """Anyone may scan; only members of the tag's community may report there."""
    tag_id, version = _read_code(code)
    scanned = await _scanned(tag_id, viewer.user.id if viewer.user else None)
    tag = _active(scanned[0] if scanned else None, version)
    assert scanned is not None  # _active raised otherwise
    _, location, shown = scanned
    return Scan(
        tag=tag,
        location=location,
        may_report=viewer.user is not None and viewer.is_member(tag.community_id),
        categories=categories_for(location),
        shown=shown,
    )


# ---- staff: create, revoke, re-issue -------------------------------------------------------


def _target_fields(target: Target) -> dict[str, Any]:
    kind = _KIND_OF[type(target)]
    return {
        "community_id": target.community_id,
        "target_kind": kind,
        f"{kind.value}_id": target.id,
    }


def active_key(kind: TagTargetKind, target_id: int) -> str:
    return f"{kind.value}:{target_id}"


async def _next_versions(kind: TagTargetKind, target_ids: Sequence[int]) -> dict[int, int]:
    column = f"{kind.value}_id"
    rows = (
        await Tag.filter(**{f"{column}__in": list(target_ids)})
        .group_by(column)
        .annotate(top=Max("version"))
        .values(column, "top")
    )
    versions = {row[column]: row["top"] + 1 for row in rows}
    return {tid: versions.get(tid, 1) for tid in target_ids}


async def _insert(viewer: Viewer, targets: Sequence[Target]) -> list[Tag]:
    """New active tags for targets of one kind; IntegrityError if one already has one."""
    if not targets:
        return []
    kind = _KIND_OF[type(targets[0])]
    versions = await _next_versions(kind, [t.id for t in targets])
    now = clock.now()
    created = []
    for target in targets:
        created.append(
            await Tag.create(
                **_target_fields(target),
                version=versions[target.id],
                active_key=active_key(kind, target.id),
                created_at=now,
                created_by_id=viewer.user_id,
            )
        )
    return created


async def create_tag(viewer: Viewer, target: Target) -> Tag:
    viewer.require_manager(target.community_id)
    try:
        async with in_transaction():
            (tag,) = await _insert(viewer, [target])
    except IntegrityError:
        raise DomainError(
            ErrorCode.TAG_EXISTS,
            N_("This place already has an active tag; re-issue it if the sticker is lost or damaged."),
            "targetId",
        ) from None
    return tag


async def _create_missing(viewer: Viewer, kind: TagTargetKind, targets: Sequence[Target]) -> BulkResult:
    """Tags for every target that has no active one. Idempotent; a concurrent run that got there
    first makes our insert fail on the unique active key, and the second attempt finds its tags."""
    keys = {active_key(kind, t.id): t for t in targets}
    for attempt in range(2):
        try:
            async with in_transaction():
                existing = await Tag.filter(active_key__in=list(keys)).order_by("id")
                have = {t.active_key for t in existing}
                created = await _insert(viewer, [t for k, t in keys.items() if k not in have])
            return BulkResult(created=created, already_active=list(existing))
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")


async def create_for_building(viewer: Viewer, building: Building) -> BulkResult:
    """A tag for every entrance of the building."""
    viewer.require_manager(building.community_id)
    entrances = await Entrance.filter(building_id=building.id).order_by("id")
    return await _create_missing(viewer, TagTargetKind.ENTRANCE, entrances)


async def create_for_compound_assets(viewer: Viewer, compound: Compound) -> BulkResult:
    """A tag for every asset of the compound (those on its buildings and entrances too)."""
    viewer.require_manager(compound.community_id)
    assets = await Asset.filter(compound_id=compound.id).order_by("id")
    return await _create_missing(viewer, TagTargetKind.ASSET, assets)


async def get_tag(viewer: Viewer, tag_id: int, field: str = "id") -> Tag:
    """A tag of a community the viewer manages; other communities' tags are NOT_FOUND."""
    viewer.require_user()
    tag = await Tag.get_or_none(id=tag_id)
    if tag is None or not viewer.is_member(tag.community_id):
        raise DomainError(ErrorCode.NOT_FOUND, N_("Not found."), field)
    viewer.require_manager(tag.community_id)
    return tag


async def _revoke(viewer: Viewer, tag: Tag) -> None:
    now = clock.now()
    # Conditional: of two staff revoking (or re-issuing) at once, exactly one does it.
    changed = await Tag.filter(id=tag.id, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by_id=viewer.user_id, active_key=None
    )
    if not changed:
        raise DomainError(ErrorCode.TAG_REVOKED, N_("This tag is already revoked."), "id")
    tag.revoked_at, tag.revoked_by_id, tag.active_key = now, viewer.user_id, None


async def revoke(viewer: Viewer, tag: Tag) -> Tag:
    viewer.require_manager(tag.community_id)
    async with in_transaction():
        await _revoke(viewer, tag)
    return tag


async def target_of(tag: Tag) -> Target:
    kind = TagTargetKind(tag.target_kind)
    models: dict[TagTargetKind, type[Target]] = {
        TagTargetKind.COMPOUND: Compound,
        TagTargetKind.BUILDING: Building,
        TagTargetKind.ENTRANCE: Entrance,
        TagTargetKind.ASSET: Asset,
    }
    return await models[kind].get(id=getattr(tag, f"{kind.value}_id"))


async def reissue(viewer: Viewer, tag: Tag) -> Tag:
    """Revoke the tag (if still active) and give its target a new tag with a new code."""
    viewer.require_manager(tag.community_id)
    target = await target_of(tag)
    try:
        async with in_transaction():
            if tag.revoked_at is None:
                await _revoke(viewer, tag)
            (new,) = await _insert(viewer, [target])
    except IntegrityError:
        raise DomainError(
            ErrorCode.TAG_EXISTS, N_("This place already has another active tag; re-issue that one."), "id"
        ) from None
    return new


async def active_tags_by_key(keys: Sequence[str]) -> list[Tag | None]:
    """Raw batch read for DataLoaders; callers check the viewer manages each target's community."""
    rows = {t.active_key: t for t in await Tag.filter(active_key__in=list(set(keys)))}
    return [rows.get(key) for key in keys]


# ---- printing ------------------------------------------------------------------------------


async def active_tags_of_building(building: Building) -> list[Tag]:
    """Every active tag that hangs in a building: its own, its entrances', its assets'.
    In print order: the building, then entrances, then assets, each by id."""
    entrance_ids = await Entrance.filter(building_id=building.id).values_list("id", flat=True)
    asset_ids = await Asset.filter(building_id=building.id).values_list("id", flat=True)
    tags = await Tag.filter(
        Q(building_id=building.id) | Q(entrance_id__in=list(entrance_ids)) | Q(asset_id__in=list(asset_ids)),
        revoked_at__isnull=True,
    )
    order = {TagTargetKind.BUILDING: 0, TagTargetKind.ENTRANCE: 1, TagTargetKind.ASSET: 2}
    return sorted(tags, key=lambda t: (order[TagTargetKind(t.target_kind)], t.id))


async def printable_building(building: Building) -> tuple[str, list[PrintedTag]]:
    """The sheet title and the codes of every active tag of a building, in print order.
    Callers check who asks (the HTTP route: the community's managers; the CLI: the operator)."""
    tags = await active_tags_of_building(building)
    compound = await Compound.get(id=building.compound_id)
    community = await Community.get(id=building.community_id)
    locations = await locations_of(tags)
    title = f"{community.name} · {compound.name} {building.name}"
    return title, [PrintedTag(url=url_of(t), label=loc.label) for t, loc in zip(tags, locations, strict=True)]
