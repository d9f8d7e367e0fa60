"""Inputs and payloads of the staff's place register mutations."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from api.schema.common import UserError
from api.schema.places.types import CareTagKind, Household, Place


@strawberry.input
class PlaceCreateInput:
    parent_id: strawberry.ID = strawberry.field(
        description="A community (creates a compound), compound (building), building (entrance) or "
        "entrance (household)."
    )
    name: str = strawberry.field(description="The name, or the household number.")
    area_m2: Decimal | None = strawberry.field(default=None, description="Households only.")


@strawberry.input
class PlaceRenameInput:
    id: strawberry.ID
    name: str


@strawberry.type
class PlacePayload:
    place: Place | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class HouseholdCareTagsSetInput:
    household_id: strawberry.ID
    tags: list[CareTagKind]


@strawberry.type
class HouseholdCareTagsSetPayload:
    household: Household | None = None
    tags: list[CareTagKind] | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
