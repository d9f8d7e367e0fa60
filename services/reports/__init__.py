"""The repair order lifecycle: file, "me too", claim, resolve, confirm, reopen, reject, cancel.

    OPEN ──claim──> CLAIMED ──resolve──> RESOLVED ──confirm (or 7 days)──> CONFIRMED
     │                 │  ▲                  │
     │cancel           │  └──resolve── REOPENED <──reopen (reporter, ≤ 7 days)
     ▼                 ▼
  CANCELLED         REJECTED <──reject (staff) from OPEN, CLAIMED or REOPENED

Every move is a conditional UPDATE (`… WHERE id = :id AND state IN (:allowed)`) whose row count
says whether this call won, so two repairers claiming at once, or a confirm racing a reopen,
leave exactly one winner on PostgreSQL and SQLite alike. Each move writes a ReportEvent and
publishes a DomainEvent in the same transaction.

Filing when the same place already has an active report of the category raises
`DuplicateReport` carrying that report: the app offers "me too" on it (`me_too`) instead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Subquery
from tortoise.transactions import in_transaction

from models.enums import ReportCategory, Role
from models.people import Membership
from models.places import Asset, Building, Compound, Entrance
from models.reports import (
    ACTIVE_STATES,
    PhotoKind,
    RejectReason,
    Report,
    ReportEvent,
    ReportEventKind,
    ReportMaterial,
    ReportMeToo,
    ReportPhoto,
    ReportState,
)
from models.teams import PatrolFinding
from runtime import clock
from runtime.database import fetch, insert, is_postgres
from runtime.i18n import N_, Text
from runtime.labels import word
from runtime.settings import get_settings
from services import idempotency
from services.access import Viewer
from services.errors import DomainError, DuplicateReport, ErrorCode, Forbidden, RateLimited
from services.events import DomainEvent, publish
from services.reports import filing
from services.reports.clocks import REOPEN_WINDOW, clocks_for
from services.reports.moves import conditional_move
from services.reports.photos import CleanPhoto, PhotoOwner, PhotoWrites, clean_photos
from services.reports.queries import get_report, is_reporter

TEXT_MAX = 1000
MAX_MATERIALS = 20
# Who may file for a resident without a smartphone. Neighbourhood observers are volunteers.
PROXY_ROLES = (Role.STAFF, Role.CAPTAIN, Role.VOLUNTEER)
RATE_WINDOW = timedelta(hours=1)

EVENT_NAMES = {
    ReportEventKind.OPENED: "report.opened",
    ReportEventKind.CLAIMED: "report.claimed",
    ReportEventKind.RESOLVED: "report.resolved",
    ReportEventKind.CONFIRMED: "report.confirmed",
    ReportEventKind.AUTO_CONFIRMED: "report.confirmed",
    ReportEventKind.REOPENED: "report.reopened",
    ReportEventKind.REJECTED: "report.rejected",
    ReportEventKind.CANCELLED: "report.cancelled",
    ReportEventKind.ESCALATED: "report.escalated",
}


@dataclass(frozen=True)
class MaterialInput:
    item: str
    brand_model: str
    quantity: Decimal
    cost: Decimal


Place = Compound | Building | Entrance


# ── checks ───────────────────────────────────────────────────────────────────────────────


def _clean_text(value: str, field: str, required: bool = True, limit: int = TEXT_MAX) -> str:
    cleaned = (value or "").strip()
    if (required and not cleaned) or len(cleaned) > limit:
        if required:
            raise DomainError(
                ErrorCode.INVALID_INPUT, N_("Write 1 to {limit} characters."), field, limit=limit
            )
        raise DomainError(
            ErrorCode.INVALID_INPUT, N_("Write at most {limit} characters."), field, limit=limit
        )
    return cleaned


def _decimal(value: Decimal | str, field: str, ceiling: Decimal, allow_zero: bool) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("Enter a number."), field) from None
    low_ok = number >= 0 if allow_zero else number > 0
    exponent = number.as_tuple().exponent
    if (
        not number.is_finite()
        or not low_ok
        or number >= ceiling
        or (isinstance(exponent, int) and exponent < -2)
    ):
        if allow_zero:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                N_("Enter a number from 0 below {ceiling}, with at most 2 decimals."),
                field,
                ceiling=ceiling,
            )
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            N_("Enter a number above 0 below {ceiling}, with at most 2 decimals."),
            field,
            ceiling=ceiling,
        )
    return number


def _clean_materials(materials: Sequence[MaterialInput]) -> list[MaterialInput]:
    if len(materials) > MAX_MATERIALS:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            N_("List at most {max_materials} materials."),
            "materials",
            max_materials=MAX_MATERIALS,
        )
    return [
        MaterialInput(
            item=_clean_text(m.item, f"materials.{i}.item", limit=100),
            brand_model=_clean_text(m.brand_model, f"materials.{i}.brandModel", required=False, limit=100),
            quantity=_decimal(m.quantity, f"materials.{i}.quantity", Decimal(100000), allow_zero=False),
            cost=_decimal(m.cost, f"materials.{i}.cost", Decimal(10000000), allow_zero=True),
        )
        for i, m in enumerate(materials)
    ]


def _state_error(report: Report, action: str) -> DomainError:
    if action == "claimed" and report.state in (ReportState.CLAIMED, ReportState.REOPENED):
        return DomainError(
            ErrorCode.ALREADY_CLAIMED, N_("Someone has already claimed this order."), "reportId"
        )
    return DomainError(
        ErrorCode.INVALID_TRANSITION,
        N_("This report is {state}; this cannot be done now."),
        "reportId",
        state=word(report.state),
    )


def _require_reporter(viewer: Viewer, report: Report) -> None:
    if not is_reporter(viewer, report):
        raise DomainError(
            ErrorCode.NOT_REPORTER, N_("Only the person who reported this can do that."), "reportId"
        )


async def _rate_check(viewer: Viewer, community_id: int, now: datetime) -> None:
    """At most N reports per account in any rolling hour, counted from the reports table, so the
    limit holds across processes and restarts. Staff take calls for others and are exempt.
    Reports a patrol's findings opened are not the volunteer's own complaints and do not count."""
    if viewer.is_staff(community_id):
        return
    limit = get_settings().reports_per_hour
    from_patrols = Subquery(
        PatrolFinding.filter(community_id=community_id, report_id__isnull=False).values("report_id")
    )
    recent = (
        await Report.filter(reporter_id=viewer.user_id, created_at__gt=now - RATE_WINDOW)
        .exclude(id__in=from_patrols)
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    if len(recent) >= limit:
        raise _limited(recent[len(recent) - limit], now, limit)  # type: ignore[arg-type]


# ── events ───────────────────────────────────────────────────────────────────────────────


def _event_data(report: Report, **extra: Any) -> dict[str, Any]:
    return {
        "report_id": report.id,
        "category": report.category.value,
        "state": report.state.value,
        "reporter_user_id": report.reporter_id,
        "proxy_for_user_id": report.proxy_for_id,
        "repairer_user_id": report.claimed_by_id,
        "escalation_level": report.escalation_level,
        **extra,
    }


async def _record(
    report: Report,
    kind: ReportEventKind,
    actor_id: int | None,
    from_state: ReportState | None,
    note: str | Text = "",
    level: int | None = None,
    **data: Any,
) -> None:
    """One timeline line. `note` is what a person wrote (kept as written) or, for the system's own
    notes, a Text: its id and parameters are stored so each reader sees it in their language."""
    now = clock.now()
    system_note = note if isinstance(note, Text) else None
    await insert(
        ReportEvent,
        {
            "report_id": report.id,
            "community_id": report.community_id,
            "actor_id": actor_id,
            "kind": kind,
            "from_state": from_state,
            "to_state": report.state if from_state is not None or kind is ReportEventKind.OPENED else None,
            "escalation_level": level,
            "note": str(note),
            "note_id": system_note.msgid if system_note else "",
            "note_params": system_note.params_json() if system_note and system_note.params else None,
            "created_at": now,
        },
    )
    await publish(
        DomainEvent(
            name=EVENT_NAMES[kind],
            community_id=report.community_id,
            subject_id=report.id,
            actor_user_id=actor_id,
            data=_event_data(report, **data),
            occurred_at=now,
        )
    )


async def _move(
    report_id: int, allowed: Sequence[ReportState], to: ReportState, **changes: Any
) -> Report | None:
    """The conditional UPDATE every transition goes through; None when another call won."""
    return await conditional_move(Report, report_id, allowed, to, **changes)


async def _photo_row(
    report_id: int, kind: PhotoKind, uploader_id: int, key: str, photo: CleanPhoto
) -> ReportPhoto:
    return await insert(
        ReportPhoto,
        {
            "report_id": report_id,
            "kind": kind,
            "uploaded_by_id": uploader_id,
            "storage_key": key,
            "content_type": photo.content_type,
            "size": len(photo.data),
            "width": photo.width,
            "height": photo.height,
            "created_at": clock.now(),
        },
    )


async def _store_photos(
    report: Report, photos: Sequence[CleanPhoto], kind: PhotoKind, uploader_id: int, written: PhotoWrites
) -> list[ReportPhoto]:
    stored = []
    for photo in photos:
        key = await written.put(PhotoOwner.REPORT, report.community_id, photo)
        stored.append(await _photo_row(report.id, kind, uploader_id, key, photo))
    return stored


# ── filing ───────────────────────────────────────────────────────────────────────────────


async def _place_columns(
    place: Place, building_compound_id: int | None
) -> tuple[int, int | None, int | None]:
    """`building_compound_id`: the compound of an entrance's building, when already read."""
    if isinstance(place, Compound):
        return place.id, None, None
    if isinstance(place, Building):
        return place.compound_id, place.id, None
    if building_compound_id is None:
        building_compound_id = (await Building.get(id=place.building_id)).compound_id
    return building_compound_id, place.building_id, place.id


def _limited(edge: datetime, now: datetime, limit: int) -> RateLimited:
    """The hour holds `limit` reports; `edge` is the one whose leaving frees a place."""
    wait = max(1, math.ceil((edge + RATE_WINDOW - now).total_seconds()))
    return RateLimited(
        N_("You can file {limit} reports an hour; try again in {minutes} min."),
        wait,
        limit=limit,
        minutes=wait // 60 + 1,
    )


# One account's filings queue up behind this row lock on PostgreSQL, so two at once cannot both
# slip under the rate limit. SQLite serialises writers and has no FOR UPDATE: nothing to send.
_LOCK_FILER = 'SELECT "id" FROM "user_account" WHERE "id" = $1 FOR UPDATE'


@dataclass(frozen=True)
class Filed:
    """What filing answers: the report, and whether this call opened it (a replayed key did
    not). A report opened by this call has no me-toos and no materials yet, and exactly the
    photos stored with it, so the answer can show it without reading those back."""

    report: Report
    opened_now: bool
    photos: tuple[ReportPhoto, ...] = ()


async def file_report(
    viewer: Viewer,
    place: Place,
    category: ReportCategory,
    text: str,
    photos: Sequence[bytes] = (),
    asset_id: int | None = None,
    idempotency_key: str | None = None,
    proxy_for_user_id: int | None = None,
    proxy_channel: str = "",
    rate_limited: bool = True,
    outpost: bool = False,
) -> Filed:
    """File a report at a place the caller has checked the viewer may see.

    Replaying an idempotency key returns the report that key filed first, whatever the input.
    `rate_limited=False` is for reports another workflow opens on the viewer's behalf (a patrol's
    finding), which the per-resident hourly limit is not meant to hold back. `outpost=True` is
    for an outpost reporter (services.district) whose snap the district routed to this
    community: they report here without being a member.
    """
    me = viewer.user_id
    community_id = place.community_id
    if not outpost:
        viewer.require_member(community_id)
    key = idempotency.clean_key(idempotency_key)
    digest = idempotency.input_hash(
        {
            "place": [type(place).__name__, place.id],
            "category": str(category),
            "text": text,
            "asset": asset_id,
            "photos": list(photos),
            "proxyFor": proxy_for_user_id,
            "proxyChannel": proxy_channel,
        }
    )
    # What filing needs to know before its transaction, in one statement: the key's record and
    # report (a replay), the entrance's compound, the category's clocks.
    known = await filing.before_filing(
        me, key, place.building_id if isinstance(place, Entrance) else None, community_id, category
    )
    if key is not None:
        if known.record is not None:  # refuses another operation or input under the key
            record = known.record
            idempotency.judged(
                record.operation,
                record.input_hash,
                record.result_id,
                record.created_at,
                "reportCreate",
                digest,
            )
        # Within 24 hours the record names the report the key filed, and past them the report's
        # own unique (reporter, key) still does: the same report either way.
        if known.by_key is not None:
            return Filed(known.by_key, opened_now=False)
    text = _clean_text(text, "text")
    channel = ""
    if proxy_for_user_id is not None:
        if not viewer.has_role(community_id, *PROXY_ROLES):
            raise Forbidden(N_("Only staff, captains and volunteers can report for someone else."))
        if proxy_for_user_id == me or not await Membership.exists(
            user_id=proxy_for_user_id, community_id=community_id
        ):
            raise DomainError(
                ErrorCode.NOT_FOUND, N_("No other member of this community has this id."), "proxyForId"
            )
        channel = _clean_text(proxy_channel, "proxyChannel", limit=200)
    elif proxy_channel.strip():
        # A caller who is not a member (name and phone), noted by the office that took the call:
        # staff read it on the report, nobody else does (api: proxyChannel).
        if not viewer.manages(community_id):
            raise Forbidden(N_("Only the community office can note who called."))
        channel = _clean_text(proxy_channel, "proxyChannel", limit=200)
    compound_id, building_id, entrance_id = await _place_columns(place, known.building_compound_id)
    if asset_id is not None:
        asset = await Asset.get_or_none(id=asset_id, community_id=community_id)
        if (
            asset is None
            or asset.compound_id != compound_id
            or (building_id is not None and asset.building_id not in (None, building_id))
            or (entrance_id is not None and asset.entrance_id not in (None, entrance_id))
        ):
            raise DomainError(ErrorCode.NOT_FOUND, N_("No asset at this place has this id."), "assetId")
    now = clock.now()
    if rate_limited and photos:
        # Before decoding photos, so a limited account cannot make us decode them; without
        # photos there is nothing to spare and the check under the row lock below decides.
        await _rate_check(viewer, community_id, now)
    cleaned = await clean_photos(photos)
    clocks = known.clocks
    # Staff take calls for others and are exempt from the hourly limit.
    limit = get_settings().reports_per_hour
    rate = (now - RATE_WINDOW, limit) if rate_limited and not viewer.is_staff(community_id) else None
    written = PhotoWrites()
    try:
        async with in_transaction():
            if is_postgres():
                await fetch(_LOCK_FILER, [me])  # the lock, not the row
            # Under the lock, in one statement: a retry of this key that raced the first attempt
            # (on another worker) gets the first report, not DUPLICATE_REPORT of it; then the
            # hourly limit; then the active report of the category here ("me too" instead).
            checked = await filing.under_lock(
                me, key, community_id, (compound_id, building_id, entrance_id, asset_id), category, rate
            )
            if checked.raced_id is not None:
                return Filed(await Report.get(id=checked.raced_id), opened_now=False)
            if checked.limit_edge is not None:
                raise _limited(checked.limit_edge, now, limit)
            if checked.duplicate_id is not None:
                raise DuplicateReport(checked.duplicate_id)
            report = await insert(
                Report,
                {
                    "community_id": community_id,
                    "compound_id": compound_id,
                    "building_id": building_id,
                    "entrance_id": entrance_id,
                    "asset_id": asset_id,
                    "category": category,
                    "text": text,
                    "reporter_id": me,
                    "proxy_for_id": proxy_for_user_id,
                    "proxy_channel": channel,
                    "idempotency_key": key,
                    "state": ReportState.OPEN,
                    "claimed_by_id": None,
                    "claim_due_at": now + timedelta(minutes=clocks.claim_minutes),
                    "resolve_due_at": now + timedelta(minutes=clocks.resolve_minutes),
                    "escalation_level": 0,
                    "claim_escalated_at": None,
                    "resolve_escalated_at": None,
                    "claimed_at": None,
                    "resolved_at": None,
                    "resolution_note": "",
                    "closed_at": None,
                    "rating": None,
                    "comment": "",
                    "auto_confirmed": False,
                    "reject_reason": None,
                    "reopen_count": 0,
                    "created_at": now,
                    "updated_at": now,
                },
            )
            stored = await _store_photos(report, cleaned, PhotoKind.REPORT, me, written)
            await _record(report, ReportEventKind.OPENED, me, None, proxy=proxy_for_user_id is not None)
            if key is not None:
                await idempotency.remember(me, key, "reportCreate", digest, report.id)
    except IntegrityError:
        await written.remove()
        if key is not None:  # the same key raced itself: the first one's report is the answer
            await idempotency.replayed(me, key, "reportCreate", digest)  # unless the input differs
            first = await Report.get_or_none(reporter_id=me, idempotency_key=key)
            if first is not None:
                return Filed(first, opened_now=False)
        raise
    except BaseException:
        await written.remove()
        raise
    return Filed(report, opened_now=True, photos=tuple(stored))


async def me_too(viewer: Viewer, report_id: int) -> Report:
    """Add the viewer to an active report's "me too"s; saying it twice changes nothing."""
    report = await get_report(viewer, report_id)
    if is_reporter(viewer, report):
        raise DomainError(ErrorCode.OWN_REPORT, N_("This is your own report."), "reportId")
    if report.state not in ACTIVE_STATES:
        raise _state_error(report, "joined with a me too")
    try:
        async with in_transaction():
            await ReportMeToo.create(report_id=report.id, user_id=viewer.user_id, created_at=clock.now())
    except IntegrityError:
        pass  # already there: the unique (report, user) key keeps it at one
    return report


# ── transitions ──────────────────────────────────────────────────────────────────────────


async def claim(viewer: Viewer, report_id: int) -> Report:
    report = await get_report(viewer, report_id)
    me = viewer.user_id
    if not viewer.has_role(report.community_id, Role.REPAIRER):
        raise Forbidden(N_("Only the repair team can claim orders."))
    if report.state is ReportState.CLAIMED and report.claimed_by_id == me:
        return report  # a retried claim by the winner
    if report.state is not ReportState.OPEN:
        raise _state_error(report, "claimed")
    now = clock.now()
    async with in_transaction():
        moved = await _move(
            report.id, [ReportState.OPEN], ReportState.CLAIMED, claimed_by_id=me, claimed_at=now
        )
        if moved is None:
            raise _state_error(await Report.get(id=report.id), "claimed")
        await _record(
            moved, ReportEventKind.CLAIMED, me, ReportState.OPEN, within_clock=now <= moved.claim_due_at
        )
    return moved


async def resolve(
    viewer: Viewer, report_id: int, note: str, photos: Sequence[bytes], materials: Sequence[MaterialInput]
) -> Report:
    report = await get_report(viewer, report_id)
    me = viewer.user_id
    if report.state is ReportState.RESOLVED and report.claimed_by_id == me:
        return report  # a retried resolution (its photos are not stored twice)
    if report.state not in (ReportState.CLAIMED, ReportState.REOPENED):
        raise _state_error(report, "resolved")
    if report.claimed_by_id != me:
        raise DomainError(
            ErrorCode.NOT_CLAIMER, N_("Only the repairer who claimed this order can resolve it."), "reportId"
        )
    note = _clean_text(note, "note")
    if not photos:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("Attach at least one photo of the fix."), "photos")
    rows = _clean_materials(materials)
    cleaned = await clean_photos(photos)
    now = clock.now()
    written = PhotoWrites()
    try:
        async with in_transaction():
            before = report.state
            moved = await Report.filter(
                id=report.id, state__in=[ReportState.CLAIMED, ReportState.REOPENED], claimed_by_id=me
            ).update(state=ReportState.RESOLVED, resolved_at=now, resolution_note=note, updated_at=now)
            if not moved:
                raise _state_error(await Report.get(id=report.id), "resolved")
            report = await Report.get(id=report.id)
            await ReportMaterial.bulk_create(
                [
                    ReportMaterial(
                        report_id=report.id,
                        item=m.item,
                        brand_model=m.brand_model,
                        quantity=m.quantity,
                        cost=m.cost,
                        created_at=now,
                    )
                    for m in rows
                ]
            )
            await _store_photos(report, cleaned, PhotoKind.PROOF, me, written)
            await _record(
                report, ReportEventKind.RESOLVED, me, before, note, within_clock=now <= report.resolve_due_at
            )
    except BaseException:
        await written.remove()
        raise
    return report


async def confirm(viewer: Viewer, report_id: int, rating: int, comment: str = "") -> Report:
    """The reporter accepts the fix; this is when the repairer is credited."""
    report = await get_report(viewer, report_id)
    _require_reporter(viewer, report)
    if report.state is ReportState.CONFIRMED and report.rating == rating and not report.auto_confirmed:
        return report  # a retried confirmation: the first stands
    if report.state is not ReportState.RESOLVED:
        raise _state_error(report, "confirmed")
    if not 1 <= rating <= 5:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("Rate the repair from 1 to 5."), "rating")
    comment = _clean_text(comment, "comment", required=False)
    now = clock.now()
    async with in_transaction():
        moved = await _move(
            report.id,
            [ReportState.RESOLVED],
            ReportState.CONFIRMED,
            rating=rating,
            comment=comment,
            closed_at=now,
        )
        if moved is None:
            raise _state_error(await Report.get(id=report.id), "confirmed")
        assert moved.resolved_at is not None
        await _record(
            moved,
            ReportEventKind.CONFIRMED,
            viewer.user_id,
            ReportState.RESOLVED,
            comment,
            within_clock=moved.resolved_at <= moved.resolve_due_at,
            rating=rating,
            auto=False,
        )
    return moved


async def reopen(viewer: Viewer, report_id: int, reason: str) -> Report:
    """Not fixed after all: back to the repairer who claimed it, with a fresh resolution clock."""
    report = await get_report(viewer, report_id)
    _require_reporter(viewer, report)
    if report.state is not ReportState.RESOLVED:
        raise _state_error(report, "reopened")
    now = clock.now()
    assert report.resolved_at is not None
    if now > report.resolved_at + REOPEN_WINDOW:
        raise DomainError(
            ErrorCode.REOPEN_WINDOW_CLOSED,
            N_("A report can be reopened within 7 days of its fix."),
            "reportId",
        )
    reason = _clean_text(reason, "reason")
    clocks = await clocks_for(report.community_id, report.category)
    async with in_transaction():
        moved = await _move(
            report.id,
            [ReportState.RESOLVED],
            ReportState.REOPENED,
            resolved_at=None,
            reopen_count=F("reopen_count") + 1,
            resolve_due_at=now + timedelta(minutes=clocks.resolve_minutes),
        )
        if moved is None:
            raise _state_error(await Report.get(id=report.id), "reopened")
        await _record(moved, ReportEventKind.REOPENED, viewer.user_id, ReportState.RESOLVED, reason)
    return moved


async def reject(viewer: Viewer, report_id: int, reason: RejectReason, note: str = "") -> Report:
    report = await get_report(viewer, report_id)
    viewer.require_staff(report.community_id)
    if report.state not in ACTIVE_STATES:
        raise _state_error(report, "rejected")
    note = _clean_text(note, "note", required=False)
    before = report.state
    async with in_transaction():
        moved = await _move(
            report.id, ACTIVE_STATES, ReportState.REJECTED, reject_reason=reason, closed_at=clock.now()
        )
        if moved is None:
            raise _state_error(await Report.get(id=report.id), "rejected")
        await _record(moved, ReportEventKind.REJECTED, viewer.user_id, before, note, reason=reason.value)
    return moved


async def cancel(viewer: Viewer, report_id: int, note: str = "") -> Report:
    report = await get_report(viewer, report_id)
    _require_reporter(viewer, report)
    if report.state is ReportState.CANCELLED:
        return report  # a retried cancellation
    if report.state is not ReportState.OPEN:
        raise _state_error(report, "cancelled")
    note = _clean_text(note, "note", required=False)
    async with in_transaction():
        moved = await _move(report.id, [ReportState.OPEN], ReportState.CANCELLED, closed_at=clock.now())
        if moved is None:
            raise _state_error(await Report.get(id=report.id), "cancelled")
        await _record(moved, ReportEventKind.CANCELLED, viewer.user_id, ReportState.OPEN, note)
    return moved


# ── the clock job's moves (services.reports.clocks.run_clock_tick) ─────────────────────────


async def escalate(report_id: int, level: int, now: datetime) -> bool:
    """Level 1 (community coordinator) for a missed claim clock, level 2 (district) for a missed
    resolution clock. True if this call escalated; a second call finds the mark set and does nothing."""
    async with in_transaction():
        if level == 1:
            done = await Report.filter(
                id=report_id, state=ReportState.OPEN, claim_due_at__lte=now, claim_escalated_at__isnull=True
            ).update(claim_escalated_at=now, updated_at=now)
            note = Text(N_("Not claimed in time: escalated to the community coordinator."))
        else:
            done = await Report.filter(
                id=report_id,
                state__in=list(ACTIVE_STATES),
                resolve_due_at__lte=now,
                resolve_escalated_at__isnull=True,
            ).update(resolve_escalated_at=now, updated_at=now)
            note = Text(N_("Not fixed in time: escalated to the district."))
        if not done:
            return False
        await Report.filter(id=report_id, escalation_level__lt=level).update(escalation_level=level)
        report = await Report.get(id=report_id)
        await _record(
            report,
            ReportEventKind.ESCALATED,
            None,
            None,
            note,
            level=level,
            clock="claim" if level == 1 else "resolve",
        )
    return True


async def auto_confirm(report_id: int, now: datetime) -> bool:
    """A fix nobody confirmed or reopened within 7 days confirms itself (marked auto)."""
    async with in_transaction():
        done = await Report.filter(
            id=report_id, state=ReportState.RESOLVED, resolved_at__lte=now - REOPEN_WINDOW
        ).update(state=ReportState.CONFIRMED, auto_confirmed=True, closed_at=now, updated_at=now)
        if not done:
            return False
        report = await Report.get(id=report_id)
        assert report.resolved_at is not None
        await _record(
            report,
            ReportEventKind.AUTO_CONFIRMED,
            None,
            ReportState.RESOLVED,
            Text(N_("Nobody confirmed or reopened within 7 days.")),
            within_clock=report.resolved_at <= report.resolve_due_at,
            rating=None,
            auto=True,
        )
    return True


# ── beyond the community (services.district drives these) ───────────────────────────────


async def record_dispatch_step(report_id: int, actor_id: int | None, note: Text, **data: Any) -> None:
    """A step of the report's dispatch beyond the community, on the report's own timeline (an
    escalation to level 2, the district, with the step in its note), so the community and the
    reporter see it where they see everything else. Published as `report.dispatch_step`, not
    `report.escalated`: the district tells the people of each step itself."""
    report = await Report.get(id=report_id)
    now = clock.now()
    await ReportEvent.create(
        report_id=report.id,
        community_id=report.community_id,
        actor_id=actor_id,
        kind=ReportEventKind.ESCALATED,
        escalation_level=2,
        note=str(note)[:TEXT_MAX],
        note_id=note.msgid,
        note_params=note.params_json() if note.params else None,
        created_at=now,
    )
    await publish(
        DomainEvent(
            name="report.dispatch_step",
            community_id=report.community_id,
            subject_id=report.id,
            actor_user_id=actor_id,
            data=_event_data(report, **data),
            occurred_at=now,
        )
    )


async def resolve_by_department(report_id: int, actor_id: int, department: str, note: str) -> Report | None:
    """A department fed back on the report's dispatch: the report is resolved by the district,
    and its reporter confirms or reopens it as any fix (None when it was no longer active). The
    resolution note is the department's words as written; the timeline names the department."""
    now = clock.now()
    report = await Report.get(id=report_id)
    before = report.state
    moved = await _move(
        report_id, ACTIVE_STATES, ReportState.RESOLVED, resolved_at=now, resolution_note=note[:TEXT_MAX]
    )
    if moved is None:
        return None
    said = Text(N_("Fixed by {department}: {note}"), {"department": department, "note": note})
    await _record(
        moved, ReportEventKind.RESOLVED, actor_id, before, said, within_clock=now <= moved.resolve_due_at
    )
    return moved


async def add_department_proof(
    report_id: int, uploader_id: int, stored: Sequence[tuple[str, CleanPhoto]]
) -> list[ReportPhoto]:
    """A department's proof photos (stored by its dispatch's feedback, in the caller's
    transaction) on the referred report too, as PROOF, so its reporter sees them where they see a
    repairer's proof: the report page and `Report.photos`. The rows point to the same stored
    files: no file is copied, and the only deletion of a photo file is the PhotoWrites of a
    failed change, which takes these rows down with it. A replayed feedback writes nothing
    (only the call that moved the dispatch gets here); a key already on the report would fail
    the unique storage key rather than show a photo twice."""
    return [await _photo_row(report_id, PhotoKind.PROOF, uploader_id, key, photo) for key, photo in stored]
