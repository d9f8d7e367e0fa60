"""Inspections (检查) of entrances, with their photos.

Resolvers of the queries and mutations of the area."""

from __future__ import annotations

import strawberry

from api.context import Info
from api.ids import decode_cursor, decode_global_id, global_id
from api.photos import read_uploads
from api.resolvers.payloads import guarded
from api.schema.common import Connection
from api.schema.connections import connection
from api.schema.inspections import types
from models.boards import Inspection
from services import inspections as inspection_service  # this module names a resolver `inspections`
from services.paging import clamp_first


def _community(value: str) -> int:
    return decode_global_id(value, "Community", "communityId")


def _inspection(row: Inspection, entrance_name: str) -> types.Inspection:
    return types.Inspection(
        id=global_id("Inspection", row.id),
        entrance_name=entrance_name,
        score=row.score,
        notes=row.notes,
        local_day=row.local_day,
        row_id=row.id,
        entrance_row_id=row.entrance_id,
    )


async def inspection_record(info: Info, input: types.InspectionRecordInput) -> types.InspectionPayload:
    async def work() -> types.InspectionPayload:
        viewer = info.context.viewer
        viewer.require_user()
        photos = await read_uploads(input.photos, "photos")
        row = await inspection_service.record_inspection(viewer, input.code, input.score, input.notes, photos)
        # Read with its building and compound, so its full label costs no further statement.
        entrance = await info.context.loaders.places.entrance_by_id.load(row.entrance_id)
        assert entrance is not None
        return types.InspectionPayload(inspection=_inspection(row, entrance.name))

    return await guarded(types.InspectionPayload, work())


async def inspections(
    info: Info,
    community_id: strawberry.ID,
    month: str | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Connection[types.Inspection]:
    viewer = info.context.viewer
    viewer.require_user()
    cid = _community(community_id)
    size, after_id = clamp_first(first), decode_cursor(after)
    rows = await inspection_service.inspections(viewer, cid, month, size, after_id)

    async def count() -> int:
        return await inspection_service.inspection_count(viewer, cid, month)

    for row in rows:  # read with their parents: the labels come from these rows
        info.context.loaders.places.entrance_by_id.prime(row.entrance_id, row.entrance)
    return connection(
        rows[:size], len(rows) > size, lambda r: _inspection(r, r.entrance.name), count, after_id
    )
