"""Inspections (检查) of entrances, with their photos.

The GraphQL types of the area."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.file_uploads import Upload

from api.context import Info
from api.ids import global_id
from api.schema.common import UserError
from api.schema.places.labels import entrance_label
from services.reports.photos import PhotoOwner, photo_link


@strawberry.input
class InspectionRecordInput:
    code: str = strawberry.field(description="The code scanned from the entrance's tag.")
    score: int = strawberry.field(description="Cleanliness from 1 (dirty) to 5 (spotless).")
    notes: str = ""
    photos: list[Upload] = strawberry.field(
        default_factory=list,
        description="Up to 6 JPEG, PNG or WebP photos of at most 8 MB each (multipart request); "
        "location and other metadata are removed before they are stored.",
    )


@strawberry.type(description="A photo taken at an inspection. The url works for an hour or two.")
class InspectionPhoto:
    id: strawberry.ID
    content_type: str
    width: int
    height: int
    size: int = strawberry.field(description="Bytes, after metadata was stripped.")
    url: str
    created_at: datetime


@strawberry.type(description="An inspection of an entrance: seen by its inspector, staff and admins.")
class Inspection:
    id: strawberry.ID
    entrance_name: str
    score: int
    notes: str
    local_day: str
    row_id: strawberry.Private[int]
    entrance_row_id: strawberry.Private[int | None] = None

    @strawberry.field(description='The entrance\'s full label: "休闲小区 1号楼 1单元".')
    async def entrance_label(self, info: Info) -> str:
        return await entrance_label(info, self.entrance_row_id) or self.entrance_name

    @strawberry.field(description="Photos taken at the inspection (links valid 1–2 hours).")
    async def photos(self, info: Info) -> list[InspectionPhoto]:
        # Only reached through an Inspection the viewer was allowed to see (its inspector, staff
        # or an admin), so the signed links go to them alone.
        rows = await info.context.loaders.inspections.photos_by_inspection.load(self.row_id)
        return [
            InspectionPhoto(
                id=global_id("InspectionPhoto", r.id),
                content_type=r.content_type,
                width=r.width,
                height=r.height,
                size=r.size,
                url=photo_link(r.id, PhotoOwner.INSPECTION),
                created_at=r.created_at,
            )
            for r in rows
        ]


@strawberry.type
class InspectionPayload:
    inspection: Inspection | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
