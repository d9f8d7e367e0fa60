"""Inputs of the district's mutations."""

from __future__ import annotations

import strawberry
from strawberry.file_uploads import Upload

from api.schema.reports.types import ReportCategory


@strawberry.input
class ReportReferInput:
    report_id: strawberry.ID
    note: str = strawberry.field(description="Why the community cannot handle it, 1 to 1000 characters.")


@strawberry.input
class OutpostReportInput:
    district_id: strawberry.ID
    category: ReportCategory
    text: str
    tag_code: str | None = strawberry.field(default=None, description="The code of a tag, when there is one.")
    latitude: float | None = None
    longitude: float | None = None
    address: str | None = strawberry.field(default=None, description="An address line, up to 200 characters.")
    photos: list[Upload] = strawberry.field(
        default_factory=list, description="Required without a tag: up to 6 JPEG, PNG or WebP photos."
    )
    idempotency_key: str | None = None


@strawberry.input
class OutpostRewardPayInput:
    district_id: strawberry.ID
    month: str = strawberry.field(description="YYYY-MM, a month that is over.")
    user_id: strawberry.ID = strawberry.field(description="Someone on that month's ranking.")
    amount_fen: int = strawberry.field(description="Integer fen, from 1 to 10,000,000.")


@strawberry.input
class OutpostRewardReverseInput:
    outpost_reward_id: strawberry.ID
    reason: str


@strawberry.input
class DispatchInput:
    dispatch_id: strawberry.ID


@strawberry.input
class DispatchAssignInput:
    dispatch_id: strawberry.ID
    department_id: strawberry.ID
    note: str | None = None


@strawberry.input
class DispatchReasonInput:
    dispatch_id: strawberry.ID
    reason: str


@strawberry.input
class DispatchFeedbackInput:
    dispatch_id: strawberry.ID
    note: str
    photos: list[Upload] = strawberry.field(
        default_factory=list, description="Proof of the work: at least one."
    )


@strawberry.input
class DispatchConfirmInput:
    dispatch_id: strawberry.ID
    rating: int
    comment: str | None = None
