"""Home observers (家园观察员): the office posts a member to a compound; on each visit the observer
notes where they went and what they saw, takes down residents' opinions (as opinions of the
opinions area, linked to the visit), and steps into disputes early: settled on the spot, or
referred to the mediation room (services.mediation_room), which opens a case.

The monthly 家园议事会 reads `month_counts`: visits, opinions taken down and taken up, disputes
stepped into, settled on the spot and referred.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.enums import Role
from models.mediation_room import MediationCase
from models.observers import (
    AppointedAs,
    AppointmentEventKind,
    DisputeIntervention,
    ObserverPost,
    ObserverVisit,
    ObserverVisitPhoto,
    VisitOpinion,
)
from models.places import Compound
from models.teams import MediationCategory
from models.voice import Opinion, OpinionKind, OpinionStatus, OpinionTopic
from points_engine.localtime import timezone_of, zone
from runtime import clock
from runtime.i18n import N_
from services import mediation_room, opinions
from services.access import Viewer
from services.accounts.memberships import grant_role, revoke_role
from services.errors import DomainError, ErrorCode, Forbidden
from services.reports.photos import PhotoOwner, PhotoWrites, clean_photos

MAX_SPOT = 200
KEY_MAX = 64
# A visit is written up the same day or soon after; a week back at most, never ahead.
BACKDATE = timedelta(days=7)
TAKEN_UP = (OpinionStatus.ADOPTED, OpinionStatus.DONE)


def _invalid(message: str, field: str, **params: object) -> DomainError:
    return DomainError(ErrorCode.INVALID_INPUT, message, field, **params)


async def compound_of(viewer: Viewer, compound_id: int, field: str = "compoundId") -> Compound:
    compound = await Compound.get_or_none(id=compound_id)
    if compound is None or not viewer.is_member(compound.community_id):
        raise DomainError(ErrorCode.NOT_FOUND, N_("No such compound."), field)
    return compound


async def appoint(viewer: Viewer, compound: Compound, user_id: int) -> ObserverPost:
    """The office posts a member to a compound (granting the observer role). Again: the same post."""
    viewer.require_manager(compound.community_id)
    async with in_transaction():
        await grant_role(compound.community_id, user_id, Role.OBSERVER, "userId")
        post, created = await ObserverPost.get_or_create(
            compound_id=compound.id,
            user_id=user_id,
            defaults={
                "community_id": compound.community_id,
                "appointed_by_id": viewer.user_id,
                "appointed_at": clock.now(),
            },
        )
        if created:
            await mediation_room.record_appointment(
                compound.community_id,
                user_id,
                AppointedAs.OBSERVER,
                AppointmentEventKind.APPOINTED,
                viewer.user_id,
                compound_id=compound.id,
            )
    return post


async def stand_down(viewer: Viewer, compound: Compound, user_id: int, reason: str) -> None:
    """The office ends someone's post at a compound. The observer role goes with their last
    post in the community (and with it their visits and interventions); what they recorded
    stays, and so does the record of the stand-down. Again: nothing changes."""
    viewer.require_manager(compound.community_id)
    why = mediation_room.text(reason, "reason", mediation_room.MAX_REASON, required=False)
    post = await ObserverPost.get_or_none(compound_id=compound.id, user_id=user_id)
    if post is None:
        if await mediation_room.stood_down_before(
            compound.community_id, user_id, AppointedAs.OBSERVER, compound.id
        ):
            return
        raise _invalid(N_("This member is not an observer of this compound."), "userId")
    async with in_transaction():
        # Conditional: of two stand-downs at once, one deletes the post and records it.
        if not await ObserverPost.filter(id=post.id).delete():
            return
        if not await ObserverPost.exists(community_id=compound.community_id, user_id=user_id):
            await revoke_role(compound.community_id, user_id, Role.OBSERVER)
        await mediation_room.record_appointment(
            compound.community_id,
            user_id,
            AppointedAs.OBSERVER,
            AppointmentEventKind.STOOD_DOWN,
            viewer.user_id,
            compound_id=compound.id,
            reason=why,
        )


async def posts(viewer: Viewer, community_id: int) -> list[ObserverPost]:
    """Who watches which compound: anyone of the community may know their observer."""
    viewer.require_member(community_id)
    return list(await ObserverPost.filter(community_id=community_id).order_by("compound_id", "id"))


async def _require_posted(viewer: Viewer, compound: Compound) -> None:
    viewer.require_member(compound.community_id)
    if not await ObserverPost.exists(compound_id=compound.id, user_id=viewer.user_id):
        raise Forbidden(N_("Only an observer of this compound can record its visits."))


async def record_visit(
    viewer: Viewer,
    compound: Compound,
    visited_at: datetime | None,
    spot: str,
    seen: str,
    idempotency_key: str,
    photos: Sequence[bytes] = (),
) -> ObserverVisit:
    """A retry with the same key returns the first visit (and stores no photo again). Photos
    are checked and cleaned (services.reports.photos) before anything is written, stored in the
    PhotoStorage inside the visit's transaction, and removed again if it fails."""
    await _require_posted(viewer, compound)
    if not 1 <= len(idempotency_key or "") <= KEY_MAX:
        raise _invalid(
            N_("The idempotency key must be 1 to {key_max} characters."), "idempotencyKey", key_max=KEY_MAX
        )
    where = mediation_room.text(spot, "spot", MAX_SPOT)
    what = mediation_room.text(seen, "seen")
    now = clock.now()
    when = visited_at or now
    if when.tzinfo is None:
        raise _invalid(N_("Give the time with its time zone."), "visitedAt")
    if when > now or when < now - BACKDATE:
        raise _invalid(N_("A visit is recorded within a week of it, never ahead."), "visitedAt")
    existing = await ObserverVisit.get_or_none(observer_id=viewer.user_id, idempotency_key=idempotency_key)
    if existing is not None:
        return existing
    cleaned = await clean_photos(photos)
    written = PhotoWrites()
    try:
        async with in_transaction():
            visit = await ObserverVisit.create(
                community_id=compound.community_id,
                compound_id=compound.id,
                observer_id=viewer.user_id,
                visited_at=when,
                spot=where,
                seen=what,
                idempotency_key=idempotency_key,
                created_at=now,
            )
            for photo in cleaned:
                key = await written.put(PhotoOwner.VISIT, compound.community_id, photo)
                await ObserverVisitPhoto.create(
                    community_id=compound.community_id,
                    visit_id=visit.id,
                    storage_key=key,
                    content_type=photo.content_type,
                    width=photo.width,
                    height=photo.height,
                    size=len(photo.data),
                    created_at=now,
                )
    except IntegrityError:  # the same key, raced: the first one stands
        await written.remove()
        return await ObserverVisit.get(observer_id=viewer.user_id, idempotency_key=idempotency_key)
    except BaseException:
        await written.remove()
        raise
    return visit


async def visit_photos(visit_ids: Sequence[int]) -> dict[int, list[ObserverVisitPhoto]]:
    """The photos of several visits in one statement (the caller checked who may see them)."""
    found: dict[int, list[ObserverVisitPhoto]] = {i: [] for i in visit_ids}
    if visit_ids:
        for photo in await ObserverVisitPhoto.filter(visit_id__in=list(visit_ids)).order_by("id"):
            found[photo.visit_id].append(photo)
    return found


async def visit_for(viewer: Viewer, visit_id: int, field: str = "visitId") -> ObserverVisit:
    """A visit its observer may add to (the one who made it)."""
    viewer.require_user()
    visit = await ObserverVisit.get_or_none(id=visit_id)
    if visit is None or not viewer.is_member(visit.community_id):
        raise DomainError(ErrorCode.NOT_FOUND, N_("No such visit."), field)
    if visit.observer_id != viewer.user_id or not viewer.has_role(visit.community_id, Role.OBSERVER):
        raise Forbidden(N_("Only the observer who made the visit can add to it."))
    return visit


async def take_opinion(
    viewer: Viewer, visit: ObserverVisit, kind: OpinionKind, topic: OpinionTopic, text: str
) -> Opinion:
    """An opinion residents gave the observer: posted in the opinions area in the observer's
    name, so the office answers it like any other, and linked to the visit."""
    async with in_transaction():
        opinion = await opinions.post(viewer, visit.community_id, kind, topic, text)
        await VisitOpinion.create(community_id=visit.community_id, visit_id=visit.id, opinion_id=opinion.id)
    return opinion


async def step_in(
    viewer: Viewer, visit: ObserverVisit, category: MediationCategory, summary: str, settled_on_spot: bool
) -> DisputeIntervention:
    about = mediation_room.text(summary, "summary")
    return await DisputeIntervention.create(
        community_id=visit.community_id,
        visit_id=visit.id,
        observer_id=viewer.user_id,
        category=category,
        summary=about,
        settled_on_spot=settled_on_spot,
        created_at=clock.now(),
    )


async def intervention_for(
    viewer: Viewer, intervention_id: int, field: str = "interventionId"
) -> DisputeIntervention:
    """Its observer and the office; the summary names people."""
    viewer.require_user()
    row = await DisputeIntervention.get_or_none(id=intervention_id)
    if row is None or not viewer.is_member(row.community_id):
        raise DomainError(ErrorCode.NOT_FOUND, N_("No such intervention."), field)
    its_observer = row.observer_id == viewer.user_id and viewer.has_role(row.community_id, Role.OBSERVER)
    if not (its_observer or viewer.manages(row.community_id)):
        raise Forbidden(N_("Only its observer and the community office can see this."))
    return row


async def refer(
    viewer: Viewer,
    intervention: DisputeIntervention,
    party_household_ids: Sequence[int],
    mediator_ids: Sequence[int],
) -> MediationCase:
    """Open a mediation case from a dispute not settled on the spot; once only."""
    if intervention.settled_on_spot:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION, N_("This dispute was settled on the spot."), "interventionId"
        )
    async with in_transaction():
        case = await mediation_room.open_referred(
            viewer,
            intervention.community_id,
            MediationCategory(intervention.category),
            intervention.summary,
            party_household_ids,
            mediator_ids,
        )
        # Conditional: of two referrals at once, one opens the case and the other rolls back.
        linked = await DisputeIntervention.filter(id=intervention.id, case_id__isnull=True).update(
            case_id=case.id
        )
        if not linked:
            raise DomainError(
                ErrorCode.ALREADY_DECIDED,
                N_("This dispute is already with the mediation room."),
                "interventionId",
            )
    await intervention.refresh_from_db()
    return case


def require_observer_or_office(viewer: Viewer, community_id: int) -> None:
    viewer.require_member(community_id)
    if not (viewer.manages(community_id) or viewer.has_role(community_id, Role.OBSERVER)):
        raise Forbidden(N_("Only observers and the community office can see visits."))


@dataclass(frozen=True)
class Month:
    """A calendar month in the community's own zone: [start, end)."""

    start: datetime
    end: datetime


async def month_of(community_id: int, month: str) -> Month:
    check_month(month)
    local = zone(await timezone_of(community_id))
    year, number = int(month[:4]), int(month[5:])
    return Month(
        datetime(year, number, 1, tzinfo=local),
        datetime(year + number // 12, number % 12 + 1, 1, tzinfo=local),
    )


def _visits_query(  # type: ignore[no-untyped-def]
    viewer: Viewer, community_id: int, compound_id: int | None, month: Month | None = None
):
    query = ObserverVisit.filter(community_id=community_id)
    if not viewer.manages(community_id):
        query = query.filter(observer_id=viewer.user_id)
    if month is not None:
        query = query.filter(visited_at__gte=month.start, visited_at__lt=month.end)
    return query if compound_id is None else query.filter(compound_id=compound_id)


async def visits(
    viewer: Viewer,
    community_id: int,
    compound_id: int | None,
    first: int,
    after: tuple[datetime, int] | None,
    month: Month | None = None,
) -> list[ObserverVisit]:
    """By visit time, newest first, first+1 rows, of one month (`month_of`) if asked. A visit
    may be recorded up to a week after it happened, so the order of recording is not the order
    of visits. Visits at the same moment come by id, newest first: `after` is the (visited_at,
    id) of the last row of the previous page, and the next page starts strictly after it. The
    office sees every visit, an observer their own."""
    require_observer_or_office(viewer, community_id)
    if compound_id is not None and not await Compound.exists(id=compound_id, community_id=community_id):
        raise DomainError(ErrorCode.NOT_FOUND, N_("No such compound."), "compoundId")
    query = _visits_query(viewer, community_id, compound_id, month)
    if after is not None:
        at, row_id = after
        query = query.filter(Q(visited_at__lt=at) | Q(visited_at=at, id__lt=row_id))
    return list(await query.order_by("-visited_at", "-id").limit(first + 1))


async def visit_count(
    viewer: Viewer, community_id: int, compound_id: int | None, month: Month | None = None
) -> int:
    return await _visits_query(viewer, community_id, compound_id, month).count()


@dataclass(frozen=True)
class VisitExtras:
    opinions: list[Opinion]
    interventions: list[DisputeIntervention]


async def extras(visit_ids: Sequence[int]) -> list[VisitExtras]:
    """The opinions and interventions of each visit, in two statements for the whole page."""
    found: dict[int, VisitExtras] = {i: VisitExtras([], []) for i in visit_ids}
    if visit_ids:
        for link in (
            await VisitOpinion.filter(visit_id__in=list(visit_ids)).select_related("opinion").order_by("id")
        ):
            found[link.visit_id].opinions.append(link.opinion)
        for row in await DisputeIntervention.filter(visit_id__in=list(visit_ids)).order_by("id"):
            found[row.visit_id].interventions.append(row)
    return [found[i] for i in visit_ids]


@dataclass(frozen=True)
class MonthCounts:
    month: str
    visits: int
    opinions_collected: int
    opinions_taken_up: int  # adopted by the office (and those since done)
    disputes_stepped_into: int
    disputes_settled_on_spot: int
    disputes_referred: int


def check_month(month: str) -> str:
    try:
        datetime.strptime(month, "%Y-%m")
    except ValueError as exc:
        raise _invalid(N_("A month is written YYYY-MM."), "month") from exc
    return month


async def month_counts(viewer: Viewer, community_id: int, month: str) -> MonthCounts:
    """For the monthly 家园议事会: every member may see them (no names)."""
    viewer.require_member(community_id)
    span = await month_of(community_id, month)
    start, end = span.start, span.end
    in_month = {"community_id": community_id}
    visits_n = await ObserverVisit.filter(**in_month, visited_at__gte=start, visited_at__lt=end).count()
    taken = await VisitOpinion.filter(
        **in_month, visit__visited_at__gte=start, visit__visited_at__lt=end
    ).values_list("opinion__status", flat=True)
    disputes = await DisputeIntervention.filter(
        **in_month, visit__visited_at__gte=start, visit__visited_at__lt=end
    ).values_list("settled_on_spot", "case_id")
    return MonthCounts(
        month=month,
        visits=visits_n,
        opinions_collected=len(taken),
        opinions_taken_up=sum(1 for status in taken if OpinionStatus(str(status)) in TAKEN_UP),
        disputes_stepped_into=len(disputes),
        disputes_settled_on_spot=sum(1 for settled, _ in disputes if settled),
        disputes_referred=sum(1 for _, case_id in disputes if case_id is not None),
    )
