"""Referral and dispatch (三级派单): a problem beyond one community, from the street to a
department and back to the reporter.

    REFERRED ──liaison claims (30 min)──> STREET_CLAIMED ──dispatch──> DISPATCHED
       │  │                                   │                          │  ▲
       │  └─────────── send back ─────────────┴──> SENT_BACK             │  │ coordinator
       │ (clock: nobody claimed)                                          │  │ assigns
       └──────────────────────────────> COORDINATION <──(clock / dispute)─┤  │
                                              └───────────────────────────┼──┘
    DISPATCHED ──department claims (30 min)──> IN_PROGRESS ──feeds back with proof (48 h)──> FED_BACK
    FED_BACK ──reporter confirms (or 7 days)──> CONFIRMED

Every move is services.reports.moves.conditional_move, so a liaison and the clock racing on the
same dispatch leave one winner; every move writes a DispatchEvent, and for a community's
report also a line on the report's own timeline, in the same transaction, and tells the people
of the next step (services.notifications.tell). A referred report is resolved on the community's
side when the department feeds back, so its reporter confirms it as any other fix (reportConfirm)
and the dispatch follows (services.district.clocks).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any, Literal

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.district import (
    Department,
    Dispatch,
    DispatchEvent,
    DispatchEventKind,
    DispatchPhoto,
    DispatchSource,
    DispatchState,
    District,
    DistrictRole,
    DistrictRoleKind,
    Street,
    StreetCommunity,
)
from models.enums import Role
from models.people import MembershipRole
from models.reports import ACTIVE_STATES, Report
from runtime import clock
from runtime.i18n import N_, Text
from runtime.labels import word
from services import notifications
from services import reports as report_flow
from services.access import Viewer
from services.district import points as outpost_points
from services.district.scope import DistrictScope, not_found, out_of_jurisdiction, scope_of
from services.errors import DomainError, ErrorCode
from services.paging import Page
from services.reports.clocks import AUTO_CONFIRM_AFTER, DEFAULT_CLAIM_MINUTES, DEFAULT_RESOLVE_MINUTES
from services.reports.moves import conditional_move
from services.reports.photos import CleanPhoto, PhotoOwner, PhotoWrites, clean_photos
from services.reports.queries import get_report

# The seed's rules: the street claims within 30 minutes, the department within 30 minutes of
# being dispatched, and feeds back within 48 hours of it; the same numbers as a report's clocks.
STREET_CLAIM = timedelta(minutes=DEFAULT_CLAIM_MINUTES)
DEPARTMENT_CLAIM = timedelta(minutes=DEFAULT_CLAIM_MINUTES)
FIX = timedelta(minutes=DEFAULT_RESOLVE_MINUTES)
CONFIRM_WINDOW = AUTO_CONFIRM_AFTER
TEXT_MAX = 1000

Queue = Literal["street", "department", "coordination", "mine"]


def clean_text(value: str, field: str, required: bool = True) -> str:
    cleaned = (value or "").strip()
    if (required and not cleaned) or len(cleaned) > TEXT_MAX:
        message = (
            N_("Write 1 to {limit} characters.") if required else N_("Write at most {limit} characters.")
        )
        raise DomainError(ErrorCode.INVALID_INPUT, message, field, limit=TEXT_MAX)
    return cleaned


def _state_error(dispatch: Dispatch, claiming: bool = False) -> DomainError:
    if claiming and dispatch.state in (DispatchState.STREET_CLAIMED, DispatchState.IN_PROGRESS):
        return DomainError(ErrorCode.ALREADY_CLAIMED, N_("Someone has claimed this already."), "dispatchId")
    return DomainError(
        ErrorCode.INVALID_TRANSITION,
        N_("This dispatch is {state} now; that cannot be done."),
        "dispatchId",
        state=word(dispatch.state),
    )


# ── who sees and acts ────────────────────────────────────────────────────────────────────


def may_see(viewer: Viewer, scope: DistrictScope, dispatch: Dispatch) -> bool:
    """The reporter, the community it came from (every step on its timeline), the street's
    liaisons, the department it is dispatched to, and the district's coordinators."""
    return (
        dispatch.reporter_id == scope.user_id
        or (dispatch.community_id is not None and viewer.is_member(dispatch.community_id))
        or scope.liaison_of(dispatch.street_id)
        or scope.member_of(dispatch.department_id)
        or scope.coordinates(dispatch.district_id)
    )


async def get_dispatch(viewer: Viewer, dispatch_id: int, field: str | None = "dispatchId") -> Dispatch:
    viewer.require_user()
    dispatch = await Dispatch.get_or_none(id=dispatch_id)
    if dispatch is None or not may_see(viewer, await scope_of(viewer), dispatch):
        raise not_found(field)
    return dispatch


async def _acting(viewer: Viewer, dispatch_id: int) -> tuple[Dispatch, DistrictScope]:
    """The dispatch and the caller's roles, for a caller who holds some role in its district;
    anybody else is told it does not exist."""
    viewer.require_user()
    scope = await scope_of(viewer)
    dispatch = await Dispatch.get_or_none(id=dispatch_id)
    if dispatch is None or not (scope.in_district(dispatch.district_id) or may_see(viewer, scope, dispatch)):
        raise not_found("dispatchId")
    return dispatch, scope


def _require_liaison(scope: DistrictScope, dispatch: Dispatch) -> None:
    if not scope.liaison_of(dispatch.street_id):
        raise out_of_jurisdiction(N_("Only this street's liaison can do that."), "dispatchId")


def _require_department(scope: DistrictScope, dispatch: Dispatch) -> None:
    if not scope.member_of(dispatch.department_id):
        raise out_of_jurisdiction(N_("Only the department it was dispatched to can do that."), "dispatchId")


# ── telling people ───────────────────────────────────────────────────────────────────────


async def holders(district_id: int, role: DistrictRoleKind, **scope: int | None) -> list[int]:
    rows: list[Any] = await DistrictRole.filter(district_id=district_id, role=role, **scope).values_list(
        "user_id", flat=True
    )
    return sorted({int(r) for r in rows})


async def _community_staff(dispatch: Dispatch) -> list[int]:
    """The staff of the community a dispatch came from (none for the outpost's street snaps)."""
    if dispatch.community_id is None:
        return []
    rows: list[Any] = await MembershipRole.filter(
        community_id=dispatch.community_id, role=Role.STAFF
    ).values_list("membership__user_id", flat=True)
    return sorted({int(r) for r in rows})


async def _inbox_community(dispatch: Dispatch) -> int:
    if dispatch.community_id is not None:
        return dispatch.community_id
    return (await District.get(id=dispatch.district_id)).ledger_community_id


async def record_step(
    dispatch: Dispatch,
    kind: DispatchEventKind,
    actor_id: int | None,
    from_state: DispatchState | None,
    note: Text,
    tell: Sequence[int] = (),
) -> None:
    """The timeline line, the report's own timeline line, and the inbox, in one transaction.
    `note` is a text whose `{number}` is the dispatch's (filled in here)."""
    text = Text(note.msgid, {**note.params, "number": dispatch.id})
    await DispatchEvent.create(
        dispatch_id=dispatch.id,
        actor_id=actor_id,
        kind=kind,
        from_state=from_state,
        to_state=dispatch.state,
        department_id=dispatch.department_id,
        note=str(text)[:TEXT_MAX],
        note_id=text.msgid,
        note_params=text.params_json(),
        created_at=clock.now(),
    )
    if dispatch.report_id is not None:
        await report_flow.record_dispatch_step(
            dispatch.report_id, actor_id, text, dispatch_id=dispatch.id, dispatch_state=dispatch.state.value
        )
    # The reporter hears of every step; the next people to act hear of theirs.
    await notifications.tell(
        await _inbox_community(dispatch),
        f"dispatch.{kind.value}",
        [dispatch.reporter_id, *tell],
        text,
        actor_id,
        dispatch.report_id,
    )


async def _department_name(department_id: int | None) -> str:
    if department_id is None:
        return ""
    return (await Department.get(id=department_id)).name


# ── opening ──────────────────────────────────────────────────────────────────────────────


async def open_dispatch(
    *,
    district_id: int,
    street_id: int,
    community_id: int | None,
    report_id: int | None,
    source: DispatchSource,
    category: Any,
    text: str,
    reporter_id: int,
    actor_id: int | None,
    note: str = "",
    by_clock: bool = False,
    latitude: float | None = None,
    longitude: float | None = None,
    address: str = "",
    idempotency_key: str | None = None,
    photos: Sequence[CleanPhoto] = (),
    written: PhotoWrites | None = None,
) -> Dispatch:
    """Write a dispatch waiting for its street, in the caller's transaction."""
    now = clock.now()
    dispatch = await Dispatch.create(
        district_id=district_id,
        street_id=street_id,
        community_id=community_id,
        report_id=report_id,
        source=source,
        category=category,
        text=text,
        latitude=latitude,
        longitude=longitude,
        address=address,
        reporter_id=reporter_id,
        idempotency_key=idempotency_key,
        state=DispatchState.REFERRED,
        street_claim_due_at=now + STREET_CLAIM,
        created_at=now,
        updated_at=now,
    )
    if photos:
        assert written is not None
        await store_photos(dispatch, photos, reporter_id, proof=False, written=written)
    street = await Street.get(id=street_id)
    if by_clock:
        said = Text(
            N_(
                "Dispatch #{number}: not fixed in time by the community, referred to {street} by the "
                "clock; its liaison claims it within 30 minutes."
            ),
            {"street": street.name},
        )
    elif note:
        said = Text(
            N_(
                "Dispatch #{number}: referred to {street}, whose liaison claims it within 30 minutes "
                "({note})."
            ),
            {"street": street.name, "note": note},
        )
    else:
        said = Text(
            N_("Dispatch #{number}: referred to {street}, whose liaison claims it within 30 minutes."),
            {"street": street.name},
        )
    await record_step(
        dispatch,
        DispatchEventKind.OPENED,
        actor_id,
        None,
        said,
        await holders(district_id, DistrictRoleKind.STREET_LIAISON, street_id=street_id),
    )
    return dispatch


async def store_photos(
    dispatch: Dispatch, photos: Sequence[CleanPhoto], uploader_id: int, proof: bool, written: PhotoWrites
) -> list[tuple[str, CleanPhoto]]:
    """The photos in the PhotoStorage and their rows; (storage key, photo) of each."""
    owner_space = await _inbox_community(dispatch)
    stored: list[tuple[str, CleanPhoto]] = []
    for photo in photos:
        key = await written.put(PhotoOwner.DISPATCH, owner_space, photo)
        stored.append((key, photo))
        await DispatchPhoto.create(
            dispatch_id=dispatch.id,
            proof=proof,
            uploaded_by_id=uploader_id,
            storage_key=key,
            content_type=photo.content_type,
            size=len(photo.data),
            created_at=clock.now(),
        )
    return stored


async def _street_of(community_id: int) -> StreetCommunity:
    link = await StreetCommunity.get_or_none(community_id=community_id)
    if link is None:
        raise DomainError(
            ErrorCode.NOT_IN_A_STREET,
            N_("This community is not linked to a street yet: nobody to refer to."),
            "reportId",
        )
    return link


async def refer(viewer: Viewer, report_id: int, note: str) -> Dispatch:
    """Community staff send their report beyond the community, to its street."""
    report = await get_report(viewer, report_id)
    viewer.require_staff(report.community_id)
    note = clean_text(note, "note")
    if await Dispatch.exists(report_id=report.id):
        raise DomainError(ErrorCode.ALREADY_REFERRED, N_("This report was referred already."), "reportId")
    if report.state not in ACTIVE_STATES:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION, N_("Only a report still being handled can be referred."), "reportId"
        )
    link = await _street_of(report.community_id)
    try:
        async with in_transaction():
            return await _open_for_report(report, link, DispatchSource.COMMUNITY, viewer.user_id, note)
    except IntegrityError:
        # Two referrals at once: the unique report key let one through.
        raise DomainError(
            ErrorCode.ALREADY_REFERRED, N_("This report was referred already."), "reportId"
        ) from None


async def refer_by_clock(report_id: int) -> Dispatch | None:
    """The report missed its resolution clock: the district takes it, once. Nothing happens
    for a community not yet in a street, or a report already referred."""
    report = await Report.get(id=report_id)
    link = await StreetCommunity.get_or_none(community_id=report.community_id)
    if link is None or report.state not in ACTIVE_STATES or await Dispatch.exists(report_id=report.id):
        return None
    async with in_transaction():
        return await _open_for_report(report, link, DispatchSource.CLOCK, None)


async def _open_for_report(
    report: Report, link: StreetCommunity, source: DispatchSource, actor_id: int | None, note: str = ""
) -> Dispatch:
    """A community's report goes to its street; the person it is for follows the dispatch."""
    return await open_dispatch(
        district_id=link.district_id,
        street_id=link.street_id,
        community_id=report.community_id,
        report_id=report.id,
        source=source,
        category=report.category,
        text=report.text,
        reporter_id=report.proxy_for_id or report.reporter_id,
        actor_id=actor_id,
        note=note,
        by_clock=source is DispatchSource.CLOCK,
    )


# ── the street ───────────────────────────────────────────────────────────────────────────


async def _claim(
    dispatch: Dispatch, me: int, waiting: DispatchState, claimed: DispatchState, by: str
) -> tuple[Dispatch, bool]:
    """The street's or the department's claim: `waiting` → `claimed`, setting `<by>_by_id` and
    `<by>_at`, in the caller's transaction. (The dispatch, True) for the call that moved it;
    (the dispatch, False) for a retried claim of the winner."""
    if dispatch.state is claimed and getattr(dispatch, f"{by}_by_id") == me:
        return dispatch, False
    if dispatch.state is not waiting:
        raise _state_error(dispatch, claiming=True)
    moved = await conditional_move(
        Dispatch, dispatch.id, [waiting], claimed, **{f"{by}_by_id": me, f"{by}_at": clock.now()}
    )
    if moved is None:
        raise _state_error(await Dispatch.get(id=dispatch.id), claiming=True)
    return moved, True


async def street_claim(viewer: Viewer, dispatch_id: int) -> Dispatch:
    dispatch, scope = await _acting(viewer, dispatch_id)
    _require_liaison(scope, dispatch)
    me = viewer.user_id
    now = clock.now()
    async with in_transaction():
        moved, won = await _claim(
            dispatch, me, DispatchState.REFERRED, DispatchState.STREET_CLAIMED, "street_claimed"
        )
        if not won:
            return moved  # a retried claim by the winner
        if now <= moved.street_claim_due_at:
            said = Text(N_("Dispatch #{number}: claimed by the street's liaison, in time."))
        else:
            said = Text(N_("Dispatch #{number}: claimed by the street's liaison, late."))
        await record_step(moved, DispatchEventKind.STREET_CLAIMED, me, DispatchState.REFERRED, said)
        if moved.source is DispatchSource.OUTPOST:
            await outpost_points.pay_for_dispatch(moved.id)
    return moved


async def assign(viewer: Viewer, dispatch_id: int, department_id: int, note: str = "") -> Dispatch:
    """The street's liaison (after claiming) or the district coordinator (for what landed in
    coordination) dispatches to a department of the district."""
    dispatch, scope = await _acting(viewer, dispatch_id)
    if dispatch.state is DispatchState.COORDINATION:
        if not scope.coordinates(dispatch.district_id):
            raise out_of_jurisdiction(
                N_("Only the district coordinator assigns what is in coordination."), "dispatchId"
            )
        allowed = [DispatchState.COORDINATION]
    else:
        _require_liaison(scope, dispatch)
        allowed = [DispatchState.STREET_CLAIMED]
    department = await Department.get_or_none(id=department_id, district_id=dispatch.district_id)
    if department is None:
        raise not_found("departmentId")
    note = clean_text(note, "note", required=False)
    if dispatch.state is DispatchState.DISPATCHED and dispatch.department_id == department.id:
        return dispatch  # a retried dispatch
    if dispatch.state not in allowed:
        raise _state_error(dispatch)
    before = dispatch.state
    now = clock.now()
    async with in_transaction():
        moved = await conditional_move(
            Dispatch,
            dispatch.id,
            allowed,
            DispatchState.DISPATCHED,
            department_id=department.id,
            department_claimed_by_id=None,
            department_claimed_at=None,
            dispatched_at=now,
            department_claim_due_at=now + DEPARTMENT_CLAIM,
            fix_due_at=now + FIX,
            fix_escalated_at=None,
        )
        if moved is None:
            raise _state_error(await Dispatch.get(id=dispatch.id))
        if note:
            said = Text(
                N_(
                    "Dispatch #{number}: dispatched to {department}, which claims it within 30 minutes "
                    "and feeds back within 48 hours ({note})."
                ),
                {"department": department.name, "note": note},
            )
        else:
            said = Text(
                N_(
                    "Dispatch #{number}: dispatched to {department}, which claims it within 30 minutes "
                    "and feeds back within 48 hours."
                ),
                {"department": department.name},
            )
        await record_step(
            moved,
            DispatchEventKind.DISPATCHED,
            viewer.user_id,
            before,
            said,
            await holders(
                dispatch.district_id, DistrictRoleKind.DEPARTMENT_MEMBER, department_id=department.id
            ),
        )
    return moved


async def send_back(viewer: Viewer, dispatch_id: int, reason: str) -> Dispatch:
    """Not a matter for the district: back to the community, with the reason on its timeline."""
    dispatch, scope = await _acting(viewer, dispatch_id)
    _require_liaison(scope, dispatch)
    reason = clean_text(reason, "reason")
    if dispatch.report_id is None:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            N_("This is outside every compound: there is no community to send it back to; dispatch it."),
            "dispatchId",
        )
    if dispatch.state not in (DispatchState.REFERRED, DispatchState.STREET_CLAIMED):
        raise _state_error(dispatch)
    before = dispatch.state
    async with in_transaction():
        moved = await conditional_move(
            Dispatch,
            dispatch.id,
            [DispatchState.REFERRED, DispatchState.STREET_CLAIMED],
            DispatchState.SENT_BACK,
            send_back_reason=reason,
            closed_at=clock.now(),
        )
        if moved is None:
            raise _state_error(await Dispatch.get(id=dispatch.id))
        await record_step(
            moved,
            DispatchEventKind.SENT_BACK,
            viewer.user_id,
            before,
            Text(
                N_("Dispatch #{number}: sent back to the community by the street: {reason}"),
                {"reason": reason},
            ),
            await _community_staff(moved),
        )
    return moved


# ── the department ───────────────────────────────────────────────────────────────────────


async def department_claim(viewer: Viewer, dispatch_id: int) -> Dispatch:
    dispatch, scope = await _acting(viewer, dispatch_id)
    _require_department(scope, dispatch)
    me = viewer.user_id
    async with in_transaction():
        moved, won = await _claim(
            dispatch, me, DispatchState.DISPATCHED, DispatchState.IN_PROGRESS, "department_claimed"
        )
        if not won:
            return moved
        name = await _department_name(moved.department_id)
        await record_step(
            moved,
            DispatchEventKind.DEPARTMENT_CLAIMED,
            me,
            DispatchState.DISPATCHED,
            Text(N_("Dispatch #{number}: claimed by {department}, at work."), {"department": name}),
        )
    return moved


async def dispute(viewer: Viewer, dispatch_id: int, reason: str) -> Dispatch:
    """Not this department's: the district coordinator decides who owns it."""
    dispatch, scope = await _acting(viewer, dispatch_id)
    _require_department(scope, dispatch)
    reason = clean_text(reason, "reason")
    if dispatch.state not in (DispatchState.DISPATCHED, DispatchState.IN_PROGRESS):
        raise _state_error(dispatch)
    before = dispatch.state
    name = await _department_name(dispatch.department_id)
    async with in_transaction():
        moved = await conditional_move(
            Dispatch,
            dispatch.id,
            [DispatchState.DISPATCHED, DispatchState.IN_PROGRESS],
            DispatchState.COORDINATION,
            coordination_at=clock.now(),
        )
        if moved is None:
            raise _state_error(await Dispatch.get(id=dispatch.id))
        await record_step(
            moved,
            DispatchEventKind.DISPUTED,
            viewer.user_id,
            before,
            Text(
                N_(
                    "Dispatch #{number}: {department} says it is not theirs ({reason}); the district "
                    "coordinator decides."
                ),
                {"department": name, "reason": reason},
            ),
            await holders(dispatch.district_id, DistrictRoleKind.DISTRICT_COORDINATOR),
        )
    return moved


async def feed_back(viewer: Viewer, dispatch_id: int, note: str, photos: Sequence[bytes]) -> Dispatch:
    """The department's answer with proof; for a community's report it resolves the report."""
    dispatch, scope = await _acting(viewer, dispatch_id)
    _require_department(scope, dispatch)
    me = viewer.user_id
    if dispatch.state is DispatchState.FED_BACK and dispatch.department_claimed_by_id == me:
        return dispatch
    if dispatch.state is not DispatchState.IN_PROGRESS:
        raise _state_error(dispatch)
    note = clean_text(note, "note")
    if not photos:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("Add at least one photo of the work done."), "photos")
    cleaned = await clean_photos(photos)
    now = clock.now()
    written = PhotoWrites()
    try:
        async with in_transaction():
            moved = await conditional_move(
                Dispatch,
                dispatch.id,
                [DispatchState.IN_PROGRESS],
                DispatchState.FED_BACK,
                fed_back_at=now,
                feedback_note=note,
            )
            if moved is None:
                raise _state_error(await Dispatch.get(id=dispatch.id))
            proof = await store_photos(moved, cleaned, me, proof=True, written=written)
            name = await _department_name(moved.department_id)
            assert moved.fix_due_at is not None
            if now <= moved.fix_due_at:
                said = N_("Dispatch #{number}: {department} fed back in time: {note}")
            else:
                said = N_("Dispatch #{number}: {department} fed back late: {note}")
            await record_step(
                moved,
                DispatchEventKind.FED_BACK,
                me,
                DispatchState.IN_PROGRESS,
                Text(said, {"department": name, "note": note}),
            )
            if moved.report_id is not None:
                await report_flow.resolve_by_department(moved.report_id, me, name, note)
                # The resident sees the department's proof on their report, as a repairer's.
                await report_flow.add_department_proof(moved.report_id, me, proof)
    except BaseException:
        await written.remove()
        raise
    return moved


# ── the reporter ─────────────────────────────────────────────────────────────────────────


async def confirm(viewer: Viewer, dispatch_id: int, rating: int, comment: str = "") -> Dispatch:
    """The outpost reporter accepts the department's feedback. A community's report is
    confirmed on the report itself (reportConfirm), which confirms its dispatch."""
    dispatch = await get_dispatch(viewer, dispatch_id)
    if dispatch.reporter_id != viewer.user_id:
        raise DomainError(
            ErrorCode.NOT_REPORTER, N_("Only the person who reported this can do that."), "dispatchId"
        )
    if dispatch.report_id is not None:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION, N_("Confirm it on the community's report."), "dispatchId"
        )
    if dispatch.state is DispatchState.CONFIRMED and dispatch.rating == rating:
        return dispatch
    if dispatch.state is not DispatchState.FED_BACK:
        raise _state_error(dispatch)
    if not 1 <= rating <= 5:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("Rate from 1 to 5."), "rating")
    comment = clean_text(comment, "comment", required=False)
    if comment:
        said = Text(
            N_("Dispatch #{number}: the reporter confirmed the result: {comment}"), {"comment": comment}
        )
    else:
        said = Text(N_("Dispatch #{number}: the reporter confirmed the result."))
    return await close(dispatch.id, viewer.user_id, rating, said)


async def close(dispatch_id: int, actor_id: int | None, rating: int | None, note: Text) -> Dispatch:
    """FED_BACK → CONFIRMED (by the reporter, by the community report's confirmation, or by
    the clock after 7 days); the caller's transaction if it has one."""
    async with in_transaction():
        moved = await conditional_move(
            Dispatch,
            dispatch_id,
            [DispatchState.FED_BACK],
            DispatchState.CONFIRMED,
            rating=rating,
            closed_at=clock.now(),
        )
        if moved is None:
            raise _state_error(await Dispatch.get(id=dispatch_id))
        kind = DispatchEventKind.CONFIRMED if actor_id is not None else DispatchEventKind.AUTO_CONFIRMED
        await record_step(moved, kind, actor_id, DispatchState.FED_BACK, note)
    return moved


# ── reads ────────────────────────────────────────────────────────────────────────────────


async def queue(viewer: Viewer, which: Queue, first: int, after_id: int | None) -> Page[Dispatch]:
    """What waits for the caller: their street's referrals, their department's work, the
    coordination queue, or (`mine`) what they reported themselves."""
    viewer.require_user()
    scope = await scope_of(viewer)
    if which == "street":
        query = Dispatch.filter(
            street_id__in=sorted(scope.streets(DistrictRoleKind.STREET_LIAISON)),
            state__in=[DispatchState.REFERRED, DispatchState.STREET_CLAIMED],
        )
    elif which == "department":
        query = Dispatch.filter(
            department_id__in=sorted(scope.departments()),
            state__in=[DispatchState.DISPATCHED, DispatchState.IN_PROGRESS],
        )
    elif which == "coordination":
        query = Dispatch.filter(
            district_id__in=sorted(scope.districts(DistrictRoleKind.DISTRICT_COORDINATOR)),
            state=DispatchState.COORDINATION,
        )
    else:
        query = Dispatch.filter(reporter_id=viewer.user_id)
    if after_id is not None:
        query = query.filter(id__gt=after_id)
    rows = await query.order_by("id").limit(first + 1)
    return Page(rows[:first], len(rows) > first)


async def photos_by_dispatch(dispatch_ids: Sequence[int]) -> list[list[DispatchPhoto]]:
    """The photos of several dispatches in one query, in the order asked (a DataLoader's batch):
    the reporter's then the department's proof, in the order taken (the caller checked it may
    see the dispatches)."""
    found: dict[int, list[DispatchPhoto]] = {i: [] for i in dispatch_ids}
    if dispatch_ids:
        for photo in await DispatchPhoto.filter(dispatch_id__in=sorted(set(dispatch_ids))).order_by("id"):
            found[photo.dispatch_id].append(photo)
    return [found[i] for i in dispatch_ids]


async def timeline(dispatch_ids: Sequence[int]) -> dict[int, list[DispatchEvent]]:
    """The steps of several dispatches in one query (the caller checked it may see them)."""
    found: dict[int, list[DispatchEvent]] = {i: [] for i in dispatch_ids}
    for event in await DispatchEvent.filter(dispatch_id__in=list(dispatch_ids)).order_by("id"):
        found[event.dispatch_id].append(event)
    return found
