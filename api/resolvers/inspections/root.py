"""Inspections (检查) of entrances, with their photos.

Query and Mutation fields of the area, merged into the root schema."""

from __future__ import annotations

import strawberry

from api.resolvers.inspections import operations as resolve
from api.schema.common import Connection
from api.schema.inspections.types import Inspection, InspectionPayload


@strawberry.type
class InspectionsQuery:
    inspections: Connection[Inspection] = strawberry.field(
        resolver=resolve.inspections,
        description="Inspections of the community's entrances, newest first (`month`: YYYY-MM, or "
        "null for all). Staff and admins see all; cleaners the ones they made; residents none.",
    )


@strawberry.type
class InspectionsMutation:
    inspection_record: InspectionPayload = strawberry.mutation(
        resolver=resolve.inspection_record,
        description="Cleaners and staff: record an entrance's cleanliness by its scanned tag; "
        "one per inspector, entrance and day.",
    )
