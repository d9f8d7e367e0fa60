"""Reports (work orders), their timeline, photos and materials, and the inbox.

A Report object exists only after `services.reports.queries.get_report` (or a listing with the same
check) let the viewer see it; its nested fields inherit that check and add their own where a
field is narrower (proxy details: staff only; the reporter's name: staff and the reporter).
"""

from __future__ import annotations

import asyncio
import base64
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

import strawberry
from strawberry import relay

from api.context import Info
from api.ids import decode_cursor
from api.schema.accounts.types import User
from api.schema.common import Connection
from api.schema.connections import connection
from api.schema.places.types import Place, place_at
from models import reports as report_models
from models.enums import ReportCategory
from models.reports import PhotoKind, RejectReason, ReportEventKind, ReportState
from runtime.i18n import Label, Text
from runtime.labels import word
from services.paging import clamp_first
from services.reports import queries as report_queries
from services.reports.photos import photo_link
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


def _word(value: StrEnum, info: Info) -> str:
    """An enum value in words, in the caller's language (runtime.labels), never the raw value."""
    said = word(value)
    return said.render(info.context.language) if isinstance(said, Label) else said


async def _user(info: Info, user_id: int | None) -> User | None:
    if user_id is None:
        return None
    row = await info.context.loaders.accounts.user_by_id.load(user_id)
    return User.of(row) if row else None


async def _none() -> None:
    return None


async def report_for_member(info: Info, report_id: int | None) -> Report | None:
    """A report another object names (a notification, a patrol finding), if the caller is still a
    member of its community; null otherwise."""
    if report_id is None:
        return None
    row = await info.context.loaders.reports.report_by_id.load(report_id)
    if row is None or not info.context.viewer.is_member(row.community_id):
        return None
    return Report.of(row)


def _event_note(root: ReportEvent, info: Info) -> str:
    return root.note_text.render(info.context.language)


def _notification_text(root: Notification, info: Info) -> str:
    """The inbox line in the caller's language (the row keeps the message id and parameters)."""
    return root.message.render(info.context.language)


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

    @classmethod
    def of(cls, row: report_models.Report) -> Report:
        return cls(
            id=row.id,
            category=row.category,
            text=row.text,
            state=row.state,
            created_at=row.created_at,
            updated_at=row.updated_at,
            claim_due_at=row.claim_due_at,
            resolve_due_at=row.resolve_due_at,
            escalation_level=row.escalation_level,
            claimed_at=row.claimed_at,
            resolved_at=row.resolved_at,
            closed_at=row.closed_at,
            resolution_note=row.resolution_note,
            rating=row.rating,
            comment=row.comment,
            auto_confirmed=row.auto_confirmed,
            reject_reason=row.reject_reason,
            reopen_count=row.reopen_count,
            is_proxy=row.proxy_for_id is not None,
            row=row,
        )

    @strawberry.field(description="Where: a compound, building or entrance.")
    async def place(self, info: Info) -> Place:
        row = self.row
        return await place_at(info, row.compound_id, row.building_id, row.entrance_id)

    @strawberry.field(description="The category in words for people (照明), in the request's language.")
    def category_label(self, info: Info) -> str:
        return _word(self.category, info)

    @strawberry.field(description="Why it was rejected, in words for people; null unless rejected.")
    def reject_reason_label(self, info: Info) -> str | None:
        return _word(self.reject_reason, info) if self.reject_reason is not None else None

    @strawberry.field(description='Where, in full: "休闲小区 4号楼 2单元".')
    async def place_label(self, info: Info) -> str:
        """The place in full ("休闲小区 4号楼 2单元"): a list of reports from many compounds is useless
        with "2单元" alone. The place columns are filled down to the level filed at, so the three
        names are three batched loads for a whole page of reports."""
        loaders, row = info.context.loaders.places, self.row
        compound, building, entrance = await asyncio.gather(
            loaders.compound_by_id.load(row.compound_id),
            loaders.building_by_id.load(row.building_id) if row.building_id is not None else _none(),
            loaders.entrance_by_id.load(row.entrance_id) if row.entrance_id is not None else _none(),
        )
        return " ".join(place.name for place in (compound, building, entrance) if place is not None)

    @strawberry.field(description="The asset at the place this is about, if any (global id of an Asset).")
    def asset_id(self) -> strawberry.ID | None:
        asset_id = self.row.asset_id
        if asset_id is None:
            return None
        return strawberry.ID(base64.b64encode(f"Asset:{asset_id}".encode()).decode())

    @strawberry.field(
        description="Who reported: the full name to staff and to the reporter, initials to others."
    )
    async def reporter_name(self, info: Info) -> str:
        user = await info.context.loaders.accounts.user_by_id.load(self.row.reporter_id)
        name = user.display_name if user else ""
        return (
            name
            if report_queries.sees_reporter(info.context.viewer, self.row)
            else report_queries.initials(name)
        )

    @strawberry.field(description="You filed this report, or it was filed for you.")
    def reported_by_me(self, info: Info) -> bool:
        return report_queries.is_reporter(info.context.viewer, self.row)

    @strawberry.field(description="Staff only (null for others): the resident a proxy report is for.")
    async def proxy_for(self, info: Info) -> User | None:
        if not info.context.viewer.is_staff(self.row.community_id):
            return None
        return await _user(info, self.row.proxy_for_id)

    @strawberry.field(
        description="Staff only (null for others): how the resident hears back, or, on a report the "
        "office filed for a caller who is not a member, who called."
    )
    def proxy_channel(self, info: Info) -> str | None:
        if not info.context.viewer.is_staff(self.row.community_id) or not self.row.proxy_channel:
            return None
        return self.row.proxy_channel

    @strawberry.field(description="The repairer who claimed it.")
    async def claimed_by(self, info: Info) -> User | None:
        return await _user(info, self.row.claimed_by_id)

    @strawberry.field(description="How many others said they have the same problem here.")
    async def me_too_count(self, info: Info) -> int:
        return await info.context.loaders.reports.me_too_count_by_report.load(self.id)

    @strawberry.field(description='You said "me too" on this report.')
    async def me_too_by_me(self, info: Info) -> bool:
        viewer = info.context.viewer
        if viewer.user is None:
            return False
        return await info.context.loaders.reports.me_too_by_report_and_user.load((self.id, viewer.user.id))

    @strawberry.field(description="What the repair used. Public to every member.")
    async def materials(self, info: Info) -> list[ReportMaterial]:
        rows = await info.context.loaders.reports.materials_by_report.load(self.id)
        return [
            ReportMaterial(item=r.item, brand_model=r.brand_model, quantity=r.quantity, cost=r.cost)
            for r in rows
        ]

    @strawberry.field(description="Photos of the problem and proof of the fix (links valid 1–2 hours).")
    async def photos(self, info: Info) -> list[ReportPhoto]:
        rows = await info.context.loaders.reports.photos_by_report.load(self.id)
        return [
            ReportPhoto(
                id=r.id,
                kind=r.kind,
                content_type=r.content_type,
                width=r.width,
                height=r.height,
                size=r.size,
                url=photo_link(r.id),
                created_at=r.created_at,
            )
            for r in rows
        ]

    @strawberry.field(description="Every change, oldest first.")
    async def timeline(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[ReportEvent]:
        loaders = info.context.loaders.reports
        size, after_id = clamp_first(first), decode_cursor(after)
        page = await loaders.events_by_report.load((self.id, size, after_id))
        actor_ids = sorted({e.actor_id for e in page.items if e.actor_id is not None})
        users = await info.context.loaders.accounts.user_by_id.load_many(actor_ids)
        names = {uid: (user.display_name if user else "") for uid, user in zip(actor_ids, users, strict=True)}
        hide_reporter = not report_queries.sees_reporter(info.context.viewer, self.row)
        reporters = {self.row.reporter_id, self.row.proxy_for_id}

        def convert(row: report_models.ReportEvent) -> ReportEvent:
            name = names.get(row.actor_id) if row.actor_id is not None else None
            if name is not None and hide_reporter and row.actor_id in reporters:
                name = report_queries.initials(name)
            return ReportEvent(
                id=row.id,
                kind=row.kind,
                from_state=row.from_state,
                to_state=row.to_state,
                escalation_level=row.escalation_level,
                note_text=Text.from_stored(row.note_id, row.note_params, row.note),
                created_at=row.created_at,
                actor_name=name,
            )

        return connection(
            page.items, page.has_next, convert, lambda: loaders.event_count_by_report.load(self.id), after_id
        )


@strawberry.type(description="One line of a report's timeline.")
class ReportEvent(relay.Node):
    id: relay.NodeID[int]
    kind: ReportEventKind
    from_state: ReportState | None
    to_state: ReportState | None
    escalation_level: int | None
    note: str = strawberry.field(
        resolver=_event_note,
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
        resolver=_notification_text,
        description="In the language the request asked for (Accept-Language); Chinese by default.",
    )
    created_at: datetime
    read_at: datetime | None
    report_id: strawberry.Private[int | None]
    message: strawberry.Private[Text]

    @classmethod
    def of(cls, row: report_models.Notification) -> Notification:
        return cls(
            id=row.id,
            event=row.event,
            message=Text.from_stored(row.text_id, row.text_params, row.text),
            created_at=row.created_at,
            read_at=row.read_at,
            report_id=row.report_id,
        )

    @strawberry.field(description="The report it is about, if you may still see it.")
    async def report(self, info: Info) -> Report | None:
        return await report_for_member(info, self.report_id)
