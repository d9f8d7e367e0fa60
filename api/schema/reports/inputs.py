"""Inputs and payloads of the report and inbox mutations."""

from __future__ import annotations

from decimal import Decimal

import strawberry
from strawberry.file_uploads import Upload

from api.schema.common import UserError
from api.schema.reports.types import RejectReason, Report, ReportCategory


@strawberry.input
class ReportCreateInput:
    place_id: strawberry.ID = strawberry.field(description="A compound, building or entrance.")
    category: ReportCategory
    text: str = strawberry.field(description="What is wrong, 1 to 1000 characters.")
    asset_id: strawberry.ID | None = strawberry.field(default=None, description="An asset at that place.")
    photos: list[Upload] = strawberry.field(
        default_factory=list,
        description="Up to 6 JPEG, PNG or WebP photos of at most 8 MB each (multipart request); "
        "location and other metadata are removed before they are stored.",
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description="Send the same key when retrying: the first report comes back."
    )
    proxy_for_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Staff, captains and volunteers: the resident (a User) this report is filed for.",
    )
    proxy_channel: str | None = strawberry.field(
        default=None,
        description="With proxyForId: how the resident hears back (phone call, door-to-door). Without it, "
        "the office only: who called, when the caller is not a member (name and phone).",
    )


@strawberry.type
class ReportCreatePayload:
    report: Report | None = None
    existing_report: Report | None = strawberry.field(
        default=None,
        description="With DUPLICATE_REPORT: the active report of this category here. "
        "Offer the person reportMeToo on it instead.",
    )
    retry_after_seconds: int | None = strawberry.field(
        default=None, description="With RATE_LIMITED: when the next report will be accepted."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ReportPayload:
    report: Report | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class ReportInput:
    report_id: strawberry.ID


@strawberry.input
class ReportMaterialInput:
    item: str
    quantity: Decimal
    cost: Decimal = strawberry.field(description="Yuan, for the whole quantity.")
    brand_model: str = ""


@strawberry.input
class ReportResolveInput:
    report_id: strawberry.ID
    note: str = strawberry.field(description="What was done.")
    photos: list[Upload] = strawberry.field(description="1 to 6 photos proving the fix (multipart).")
    materials: list[ReportMaterialInput] = strawberry.field(default_factory=list)


@strawberry.input
class ReportConfirmInput:
    report_id: strawberry.ID
    rating: int = strawberry.field(description="1 to 5.")
    comment: str = ""


@strawberry.input
class ReportReopenInput:
    report_id: strawberry.ID
    reason: str = strawberry.field(description="What is still wrong.")


@strawberry.input
class ReportRejectInput:
    report_id: strawberry.ID
    reason: RejectReason
    note: str = ""


@strawberry.input
class ReportCancelInput:
    report_id: strawberry.ID
    note: str = ""


@strawberry.input
class ReportClocksSetInput:
    community_id: strawberry.ID
    category: ReportCategory | None = strawberry.field(
        default=None, description="Leave out to set the community's clocks for every category."
    )
    claim_minutes: int
    resolve_minutes: int


@strawberry.type
class ReportClocks:
    category: ReportCategory | None
    claim_minutes: int
    resolve_minutes: int


@strawberry.type
class ReportClocksSetPayload:
    clocks: ReportClocks | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class NotificationMarkReadInput:
    ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Leave out to mark the whole inbox read."
    )


@strawberry.type
class NotificationMarkReadPayload:
    marked: int = 0
    unread_count: int = 0
    errors: list[UserError] = strawberry.field(default_factory=list)
