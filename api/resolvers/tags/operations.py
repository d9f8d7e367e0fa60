"""Scanning a code, and the staff's tag mutations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from strawberry.dataloader import DataLoader
from tortoise.models import Model

from api.context import Info
from api.ids import decode_global_id, split_global_id
from api.resolvers.payloads import guarded
from api.schema.tags import inputs, types
from models import places as place_models
from runtime.i18n import N_
from services import places, tags
from services.errors import DomainError, ErrorCode
from services.places.labels import PlaceKind, full_label
from services.reports.queries import ReportsShown

TARGETS: dict[str, type[Any]] = {
    "Compound": place_models.Compound,
    "Building": place_models.Building,
    "Entrance": place_models.Entrance,
    "Asset": place_models.Asset,
}


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


async def scan_tag(info: Info, code: str) -> inputs.TagScanPayload:
    async def work() -> inputs.TagScanPayload:
        result = await tags.scan(info.context.viewer, code)
        location = result.location
        _prime(info, location.rows)
        _prime_labels(info, location)
        _prime_reports(info, result.shown)
        return inputs.TagScanPayload(
            scan=types.TagScan(
                label=location.label,
                community_name=location.community_name,
                compound_name=location.compound_name,
                building_name=location.building_name,
                entrance_name=location.entrance_name,
                asset_name=location.asset_name,
                may_report=result.may_report,
                categories=list(result.categories),
                office_phone=location.office_phone,
                community_id=result.tag.community_id,
                tag_row=result.tag,
                open_report_rows=list(result.open_reports),
            )
        )

    return await guarded(inputs.TagScanPayload, work())


def _prime(info: Info, rows: Sequence[Model]) -> None:
    """The scan read the tag's place and community; its reports show them, so hand them to the
    loaders rather than read them twice (two statements of the hottest read)."""
    loaders = info.context.loaders.places
    by_type: dict[type[Model], DataLoader[int, Any]] = {
        place_models.Community: loaders.community_by_id,
        place_models.Compound: loaders.compound_by_id,
        place_models.Building: loaders.building_by_id,
        place_models.Entrance: loaders.entrance_by_id,
        place_models.Asset: loaders.asset_by_id,
    }
    for row in rows:
        by_type[type(row)].prime(row.pk, row)


def _prime_labels(info: Info, location: tags.TagLocation) -> None:
    """The scan read every name up the tree: the places' full labels cost nothing more."""
    names = (location.compound_name, location.building_name, location.entrance_name)
    levels: dict[type[Model], tuple[PlaceKind, int]] = {
        place_models.Compound: (PlaceKind.COMPOUND, 1),
        place_models.Building: (PlaceKind.BUILDING, 2),
        place_models.Entrance: (PlaceKind.ENTRANCE, 3),
    }
    for row in location.rows:
        if isinstance(row, place_models.Asset):
            info.context.loaders.places.label_by_place.prime((PlaceKind.ASSET, row.pk), location.label)
        elif type(row) in levels:
            kind, depth = levels[type(row)]
            info.context.loaders.places.label_by_place.prime((kind, row.pk), full_label(*names[:depth]))


# ---- staff mutations -----------------------------------------------------------------------


async def tag_create(info: Info, input: inputs.TagCreateInput) -> inputs.TagPayload:
    async def work() -> inputs.TagPayload:
        target = await target_of_id(info, input.target_id, "targetId")
        return inputs.TagPayload(tag=types.Tag.of(await tags.create_tag(info.context.viewer, target)))

    return await guarded(inputs.TagPayload, work())


def _bulk_payload(result: tags.BulkResult) -> inputs.TagsCreatePayload:
    return inputs.TagsCreatePayload(
        tags=[types.Tag.of(row) for row in result.tags], created_count=len(result.created)
    )


async def tags_create_for_building(
    info: Info, input: inputs.TagsCreateForBuildingInput
) -> inputs.TagsCreatePayload:
    async def work() -> inputs.TagsCreatePayload:
        viewer = info.context.viewer
        building_id = decode_global_id(input.building_id, "Building", "buildingId")
        building = await places.get_place(viewer, place_models.Building, building_id, "buildingId")
        return _bulk_payload(await tags.create_for_building(viewer, building))

    return await guarded(inputs.TagsCreatePayload, work())


async def tags_create_for_compound_assets(
    info: Info, input: inputs.TagsCreateForCompoundAssetsInput
) -> inputs.TagsCreatePayload:
    async def work() -> inputs.TagsCreatePayload:
        viewer = info.context.viewer
        compound_id = decode_global_id(input.compound_id, "Compound", "compoundId")
        compound = await places.get_place(viewer, place_models.Compound, compound_id, "compoundId")
        return _bulk_payload(await tags.create_for_compound_assets(viewer, compound))

    return await guarded(inputs.TagsCreatePayload, work())


async def tag_revoke(info: Info, input: inputs.TagRevokeInput) -> inputs.TagPayload:
    async def work() -> inputs.TagPayload:
        viewer = info.context.viewer
        row = await tags.get_tag(viewer, decode_global_id(input.id, "Tag", "id"))
        return inputs.TagPayload(tag=types.Tag.of(await tags.revoke(viewer, row)))

    return await guarded(inputs.TagPayload, work())


async def tag_reissue(info: Info, input: inputs.TagReissueInput) -> inputs.TagReissuePayload:
    async def work() -> inputs.TagReissuePayload:
        viewer = info.context.viewer
        row = await tags.get_tag(viewer, decode_global_id(input.id, "Tag", "id"))
        new = await tags.reissue(viewer, row)
        return inputs.TagReissuePayload(tag=types.Tag.of(new), revoked_tag=types.Tag.of(row))

    return await guarded(inputs.TagReissuePayload, work())


def _prime_reports(info: Info, shown: ReportsShown) -> None:
    """The scan read what its open reports show of each (me-toos, names); hand it to the loaders of
    the reports' fields rather than read it again (three statements of the hottest read)."""
    loaders = info.context.loaders.reports
    for report_id, count in shown.me_too_counts.items():
        loaders.me_too_count_by_report.prime(report_id, count)
    viewer = info.context.viewer
    if viewer.user is not None and shown.me_too_by_viewer is not None:
        for report in shown.reports:
            loaders.me_too_by_report_and_user.prime(
                (report.id, viewer.user.id), report.id in shown.me_too_by_viewer
            )
    for user_id, name in shown.user_names.items():
        info.context.loaders.accounts.user_by_id.prime(user_id, name)
