"""Reports (work orders), their timeline, photos and materials, and the inbox."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry import relay

from api.context import Info
from api.resolvers.reports import fields as resolve
from api.schema.accounts.types import User
from api.schema.common import Connection
from api.schema.places.types import Place
from models import reports as report_models
from models.enums import ReportCategory
from models.reports import PhotoKind, RejectReason, ReportEventKind, ReportState
from runtime.i18n import Text
from services.reports.queries import ReportQueue

strawberry.enum(ReportCategory, description="What kind of problem a report is about.")
strawberry.enum(
    ReportState,
    description="OPEN → CLAIMED → RESOLVED → CONFIRMED; REOPENED goes back to the repairer; "
    "REJECTED and CANCELLED end a report without a fix.",
)
strawberry.enum(RejectReason, description="Why staff closed a report without a fix.")
strawberry.enum(ReportEventKind, description="What happened to a report.")
strawberry.enum(PhotoKind, description="REPORT: taken when filing; PROOF: taken by the repairer.")
strawberry.enum(ReportQueue, description="The lists the repair team and staff work from.")


@strawberry.type(description="A problem at a place, and everything that happened to it.")
class Report(relay.Node):
    id: relay.NodeID[int]
    category: ReportCategory
    text: str
    state: ReportState
    created_at: datetime
    updated_at: datetime
    claim_due_at: datetime = strawberry.field(description="Claim it by then, or it escalates (level 1).")
    resolve_due_at: datetime = strawberry.field(description="Fix it by then, or it escalates (level 2).")
    escalation_level: int = strawberry.field(
        description="0 none, 1 community coordinator (claim missed), 2 district (fix missed)."
    )
    claimed_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    resolution_note: str
    rating: int | None
    comment: str
    auto_confirmed: bool = strawberry.field(description="Confirmed by itself: nobody answered for 7 days.")
    reject_reason: RejectReason | None
    reopen_count: int
    is_proxy: bool = strawberry.field(description="Filed by someone on behalf of a resident.")
    row: strawberry.Private[report_models.Report]

    @strawberry.field(description="Where: a compound, building or entrance.")
    async def place(self, info: Info) -> Place:
        return await resolve.place_of(self, info)

    @strawberry.field(description="The category in words for people (照明), in the request's language.")
    def category_label(self, info: Info) -> str:
        return resolve.word_of(self.category, info)

    @strawberry.field(description="Why it was rejected, in words for people; null unless rejected.")
    def reject_reason_label(self, info: Info) -> str | None:
        return resolve.word_of(self.reject_reason, info) if self.reject_reason is not None else None

    @strawberry.field(description='Where, in full: "休闲小区 4号楼 2单元".')
    async def place_label(self, info: Info) -> str:
        return await resolve.place_label_of(self, info)

    @strawberry.field(description="The asset at the place this is about, if any (global id of an Asset).")
    def asset_id(self) -> strawberry.ID | None:
        asset_id = resolve.asset_id_of(self)
        return strawberry.ID(asset_id) if asset_id is not None else None

    @strawberry.field(
        description="Who reported: the full name to staff and to the reporter, initials to others."
    )
    async def reporter_name(self, info: Info) -> str:
        return await resolve.reporter_name_of(self, info)

    @strawberry.field(description="You filed this report, or it was filed for you.")
    def reported_by_me(self, info: Info) -> bool:
        return resolve.reported_by_me(self, info)

    @strawberry.field(description="Staff only (null for others): the resident a proxy report is for.")
    async def proxy_for(self, info: Info) -> User | None:
        return await resolve.proxy_for_of(self, info)

    @strawberry.field(
        description="Staff only (null for others): how the resident hears back, or, on a report the "
        "office filed for a caller who is not a member, who called."
    )
    def proxy_channel(self, info: Info) -> str | None:
        return resolve.proxy_channel_of(self, info)

    @strawberry.field(description="The repairer who claimed it.")
    async def claimed_by(self, info: Info) -> User | None:
        return await resolve.claimed_by_of(self, info)

    @strawberry.field(description="How many others said they have the same problem here.")
    async def me_too_count(self, info: Info) -> int:
        return await info.context.loaders.reports.me_too_count_by_report.load(self.id)

    @strawberry.field(description='You said "me too" on this report.')
    async def me_too_by_me(self, info: Info) -> bool:
        return await resolve.me_too_by_me(self, info)

    @strawberry.field(description="What the repair used. Public to every member.")
    async def materials(self, info: Info) -> list[ReportMaterial]:
        return await resolve.materials_of(self, info)

    @strawberry.field(description="Photos of the problem and proof of the fix (links valid 1–2 hours).")
    async def photos(self, info: Info) -> list[ReportPhoto]:
        return await resolve.photos_of(self, info)

    @strawberry.field(description="Every change, oldest first.")
    async def timeline(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[ReportEvent]:
        return await resolve.timeline_of(self, info, first, after)


@strawberry.type(description="One line of a report's timeline.")
class ReportEvent(relay.Node):
    id: relay.NodeID[int]
    kind: ReportEventKind
    from_state: ReportState | None
    to_state: ReportState | None
    escalation_level: int | None
    note: str = strawberry.field(
        resolver=resolve.event_note,
        description="A person's note as written; the system's notes in the language the request asked "
        "for (Accept-Language), Chinese by default.",
    )
    created_at: datetime
    actor_name: str | None = strawberry.field(
        description="Who did it (initials for the reporter, unless you are staff); null for the system."
    )
    note_text: strawberry.Private[Text]


@strawberry.type(
    description="A photo of a report. The url works for an hour or two; ask again for a new one."
)
class ReportPhoto(relay.Node):
    id: relay.NodeID[int]
    kind: PhotoKind
    content_type: str
    width: int
    height: int
    size: int = strawberry.field(description="Bytes, after metadata was stripped.")
    url: str
    created_at: datetime


@strawberry.type(description="Material used by a repair.")
class ReportMaterial:
    item: str
    brand_model: str
    quantity: Decimal
    cost: Decimal = strawberry.field(description="Yuan, for the whole quantity.")


@strawberry.type(description="A line in your inbox.")
class Notification(relay.Node):
    id: relay.NodeID[int]
    event: str = strawberry.field(description="What happened, e.g. report.claimed.")
    text: str = strawberry.field(
        resolver=resolve.notification_text,
        description="In the language the request asked for (Accept-Language); Chinese by default.",
    )
    created_at: datetime
    read_at: datetime | None
    report_id: strawberry.Private[int | None]
    message: strawberry.Private[Text]

    @strawberry.field(description="The report it is about, if you may still see it.")
    async def report(self, info: Info) -> Report | None:
        return await resolve.report_of_notification(self, info)
