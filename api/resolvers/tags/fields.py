"""Resolvers of tags: decode ids, call services.tags, map rows to schema objects."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from api.context import Info
from api.ids import decode_global_id, split_global_id
from api.resolvers.reports import fields as report_fields
from api.schema.places import types as place_types
from models import places as place_models
from models.enums import ReportCategory
from models.reports import ReportState
from models.tags import Tag
from runtime.i18n import N_
from services import places, tags
from services.errors import DomainError, ErrorCode

if TYPE_CHECKING:
    # For annotations only: the schema types import this module at load time.
    from api.schema.reports import types as report_types
    from api.schema.tags import types

TARGETS: dict[str, type[Any]] = {
    "Compound": place_models.Compound,
    "Building": place_models.Building,
    "Entrance": place_models.Entrance,
    "Asset": place_models.Asset,
}


def tag(row: Tag) -> types.Tag:
    # Imported here: the schema types import this module, so a top-level import is a cycle.
    from api.schema.tags import types

    return types.Tag.of(row)


async def _asset(info: Info, asset_id: int, field: str) -> place_models.Asset:
    viewer = info.context.viewer
    viewer.require_user()
    row = await place_models.Asset.get_or_none(id=asset_id)
    if row is None or not viewer.is_member(row.community_id):
        raise DomainError(ErrorCode.NOT_FOUND, N_("Not found."), field)
    return row


async def target_of_id(info: Info, global_id: str, field: str) -> tags.Target:
    type_name, _ = split_global_id(global_id, field)
    if type_name not in TARGETS:
        raise DomainError(
            ErrorCode.INVALID_PARENT, N_("Tags go on compounds, buildings, entrances or assets."), field
        )
    row_id = decode_global_id(global_id, type_name, field)
    if type_name == "Asset":
        return await _asset(info, row_id, field)
    target: tags.Target = await places.get_place(info.context.viewer, TARGETS[type_name], row_id, field)
    return target


# ---- fields of Tag -------------------------------------------------------------------------


def code_of(root: types.Tag) -> str:
    return tags.code_of(root.row)


async def label_of(root: types.Tag, info: Info) -> str:
    location = await info.context.loaders.tags.tag_location_by_tag.load(root.row)
    return location.label


async def asset_of(root: types.Tag, info: Info) -> place_types.Asset | None:
    if root.row.asset_id is None:
        return None
    row = await info.context.loaders.places.asset_by_id.load(root.row.asset_id)
    assert row is not None
    return place_types.Asset.of(row)


async def place_of(root: types.Tag, info: Info) -> place_types.Place:
    loaders, row = info.context.loaders.places, root.row
    if row.asset_id is not None:
        asset = await loaders.asset_by_id.load(row.asset_id)
        assert asset is not None
        return await place_types.place_at(info, asset.compound_id, asset.building_id, asset.entrance_id)
    assert row.compound_id is not None  # a tag hangs somewhere: an asset, or a place down to a compound
    return await place_types.place_at(info, row.compound_id, row.building_id, row.entrance_id)


# ---- scanning ------------------------------------------------------------------------------


def _member(info: Info, root: types.TagScan) -> bool:
    viewer = info.context.viewer
    return viewer.user is not None and viewer.is_member(root.community_id)


async def scan_community(root: types.TagScan, info: Info) -> place_types.Community | None:
    if not _member(info, root):
        return None
    row = await info.context.loaders.places.community_by_id.load(root.community_id)
    assert row is not None
    return place_types.Community.of(row)


async def scan_place(root: types.TagScan, info: Info) -> place_types.Place | None:
    if not _member(info, root):
        return None
    return await place_of(tag(root.tag_row), info)


async def scan_asset(root: types.TagScan, info: Info) -> place_types.Asset | None:
    if not _member(info, root):
        return None
    return await asset_of(tag(root.tag_row), info)


async def scan_open_reports(root: types.TagScan, info: Info) -> list[report_types.Report] | None:
    # Members of a community read its reports (reporters masked by the Report type's own fields).
    if not _member(info, root):
        return None
    return [report_fields.report(row) for row in root.open_report_rows]


def scan_open_report_summaries(root: types.TagScan) -> list[types.OpenReportSummary]:
    from api.schema.tags import types  # the schema types import this module: a cycle at import

    return [
        types.OpenReportSummary(
            category=ReportCategory(row.category), state=ReportState(row.state), created_at=row.created_at
        )
        for row in root.open_report_rows
    ]


async def scan_tag_row(root: types.TagScan, info: Info) -> types.Tag | None:
    viewer = info.context.viewer
    if viewer.user is None or not viewer.manages(root.community_id):
        return None
    return tag(root.tag_row)
