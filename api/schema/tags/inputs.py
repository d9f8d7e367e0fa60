"""Inputs and payloads of scanning tags and of the staff's tag mutations."""

from __future__ import annotations

import strawberry

from api.schema.common import UserError
from api.schema.tags.types import Tag, TagScan


@strawberry.type
class TagScanPayload:
    scan: TagScan | None = None
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="TAG_CODE_INVALID (forged, altered, truncated), TAG_REVOKED, NOT_FOUND.",
    )


@strawberry.input
class TagCreateInput:
    target_id: strawberry.ID = strawberry.field(description="A compound, building, entrance or asset.")


@strawberry.input
class TagsCreateForBuildingInput:
    building_id: strawberry.ID


@strawberry.input
class TagsCreateForCompoundAssetsInput:
    compound_id: strawberry.ID


@strawberry.input
class TagRevokeInput:
    id: strawberry.ID


@strawberry.input
class TagReissueInput:
    id: strawberry.ID


@strawberry.type
class TagPayload:
    tag: Tag | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class TagsCreatePayload:
    tags: list[Tag] | None = strawberry.field(
        default=None, description="The active tag of every target, new or already there."
    )
    created_count: int | None = strawberry.field(default=None, description="How many were new.")
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class TagReissuePayload:
    tag: Tag | None = strawberry.field(default=None, description="The new tag, with a new code.")
    revoked_tag: Tag | None = strawberry.field(default=None, description="The old tag, now revoked.")
    errors: list[UserError] = strawberry.field(default_factory=list)
