"""The mediation room (红色调解室): cases between neighbours from opening to outcome.

A case is opened by the office (or referred by a home observer, services.observers), with the
households on each side and the mediators (people the office appointed to the mediator role).
The mediators record sessions; an agreement is signed; a follow-up visit sees whether it holds;
the case ends settled, not settled, or referred. Every step is a conditional state change in
one transaction with its timeline row, so two mediators acting at once cannot both move it.

Who sees what: the case's mediators and the office see names, notes and agreements; anyone
else, a mediator of another case included, is refused; the public sees counts only (`counts`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.enums import Role
from models.mediation_room import (
    CLOSED_STATES,
    CaseEventKind,
    CaseMediator,
    CaseState,
    MediationCase,
    MediationCaseEvent,
    MediationParty,
    MediationSession,
)
from models.observers import AppointedAs, AppointmentEvent, AppointmentEventKind
from models.people import MembershipRole
from models.places import Household
from models.teams import MediationCategory
from runtime import clock
from runtime.i18n import N_
from services import idempotency
from services.access import Viewer
from services.accounts.memberships import grant_role, revoke_role
from services.errors import DomainError, ErrorCode, Forbidden

MAX_TEXT = 1000
MAX_AGREEMENT = 2000
MAX_ATTENDED = 500
MAX_PARTIES = 10
MAX_MEDIATORS = 5
KEY_MAX = 64
MAX_REASON = 300

# Where each step may start from.
SESSION_STATES = (CaseState.OPEN, CaseState.AGREED)
ENDINGS = {
    CaseState.SETTLED: (CaseState.FOLLOWED_UP,),
    CaseState.NOT_SETTLED: (CaseState.OPEN, CaseState.AGREED, CaseState.FOLLOWED_UP),
    CaseState.REFERRED: (CaseState.OPEN, CaseState.AGREED, CaseState.FOLLOWED_UP),
}
ENDING_EVENTS = {
    CaseState.SETTLED: CaseEventKind.SETTLED,
    CaseState.NOT_SETTLED: CaseEventKind.NOT_SETTLED,
    CaseState.REFERRED: CaseEventKind.REFERRED,
}


def _invalid(message: str, field: str, **params: object) -> DomainError:
    return DomainError(ErrorCode.INVALID_INPUT, message, field, **params)


def text(value: str, field: str, limit: int = MAX_TEXT, required: bool = True) -> str:
    cleaned = value.strip()
    if required and not cleaned:
        raise _invalid(N_("Write something."), field)
    if len(cleaned) > limit:
        raise _invalid(N_("At most {max_text} characters."), field, max_text=limit)
    return cleaned


def _not_found(field: str = "caseId") -> DomainError:
    return DomainError(ErrorCode.NOT_FOUND, N_("No such mediation case."), field)


def _not_in_future(day: date, today: date, field: str) -> date:
    if day > today:
        raise _invalid(N_("This date is still to come."), field)
    return day


async def _today(community_id: int) -> date:
    from points_engine.localtime import timezone_of, zone

    return clock.now().astimezone(zone(await timezone_of(community_id))).date()


# Appointments ----------------------------------------------------------------------------------


async def appoint_mediator(viewer: Viewer, community_id: int, user_id: int) -> None:
    """The office makes a member of the community a mediator. Appointing again changes nothing."""
    viewer.require_manager(community_id)
    async with in_transaction():
        if await grant_role(community_id, user_id, Role.MEDIATOR, "userId"):
            await record_appointment(
                community_id, user_id, AppointedAs.MEDIATOR, AppointmentEventKind.APPOINTED, viewer.user_id
            )


async def record_appointment(
    community_id: int,
    user_id: int,
    appointed_as: AppointedAs,
    kind: AppointmentEventKind,
    by_id: int,
    compound_id: int | None = None,
    reason: str = "",
) -> None:
    """The office's record of an appointment or a stand-down, in the caller's transaction."""
    await AppointmentEvent.create(
        community_id=community_id,
        user_id=user_id,
        appointed_as=appointed_as,
        compound_id=compound_id,
        kind=kind,
        reason=reason,
        by_id=by_id,
        at=clock.now(),
    )


async def stood_down_before(
    community_id: int, user_id: int, appointed_as: AppointedAs, compound_id: int | None = None
) -> bool:
    """The latest record for this person (and compound) is a stand-down: a replayed stand-down
    answers as the first did."""
    last = (
        await AppointmentEvent.filter(
            community_id=community_id, user_id=user_id, appointed_as=appointed_as, compound_id=compound_id
        )
        .order_by("-id")
        .first()
    )
    return last is not None and last.kind is AppointmentEventKind.STOOD_DOWN


async def appointment_history(
    viewer: Viewer, community_id: int, first: int, before_id: int | None
) -> list[AppointmentEvent]:
    """The office's record of who it appointed or stood down as observer or mediator, newest
    first, first+1 rows (keyset on the id, which grows with time). For the community's staff
    only: a stand-down's reason can be about a person (an illness, a quarrel), as sensitive as
    the register's care tags, which admin alone does not see either."""
    viewer.require_staff(community_id)
    query = AppointmentEvent.filter(community_id=community_id)
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    return list(await query.order_by("-id").limit(first + 1))


async def appointment_count(viewer: Viewer, community_id: int) -> int:
    viewer.require_staff(community_id)
    return await AppointmentEvent.filter(community_id=community_id).count()


async def stand_down_mediator(viewer: Viewer, community_id: int, user_id: int, reason: str) -> None:
    """The office ends someone's service as a mediator: the role goes (and with it every case's
    names, closed ones included), the record of it stays. Their open cases must have other
    mediators first (`set_mediators`), so no case is left without one. Again: nothing changes."""
    viewer.require_manager(community_id)
    why = text(reason, "reason", MAX_REASON, required=False)
    if not await MembershipRole.exists(
        community_id=community_id, role=Role.MEDIATOR, membership__user_id=user_id
    ):
        if await stood_down_before(community_id, user_id, AppointedAs.MEDIATOR):
            return
        raise _invalid(N_("This member is not a mediator."), "userId")
    open_cases = await CaseMediator.filter(
        user_id=user_id, case__community_id=community_id, case__state__not_in=list(CLOSED_STATES)
    ).count()
    if open_cases:
        raise DomainError(
            ErrorCode.CONFLICT,
            N_("This mediator still has {count} open cases: give them other mediators first."),
            "userId",
            count=open_cases,
        )
    async with in_transaction():
        if await revoke_role(community_id, user_id, Role.MEDIATOR):
            await record_appointment(
                community_id,
                user_id,
                AppointedAs.MEDIATOR,
                AppointmentEventKind.STOOD_DOWN,
                viewer.user_id,
                reason=why,
            )


async def _mediator_ids(community_id: int, user_ids: Sequence[int]) -> list[int]:
    wanted = list(dict.fromkeys(user_ids))
    if not 1 <= len(wanted) <= MAX_MEDIATORS:
        raise _invalid(
            N_("Choose 1 to {max_mediators} mediators."), "mediatorIds", max_mediators=MAX_MEDIATORS
        )
    held = await MembershipRole.filter(
        community_id=community_id, role=Role.MEDIATOR, membership__user_id__in=wanted
    ).values_list("membership__user_id", flat=True)
    if {int(str(u)) for u in held} != set(wanted):
        raise _invalid(N_("Each mediator must be appointed to the mediator role first."), "mediatorIds")
    return wanted


async def _household_ids(community_id: int, household_ids: Sequence[int], field: str) -> list[int]:
    wanted = list(dict.fromkeys(household_ids))
    if not 1 <= len(wanted) <= MAX_PARTIES:
        raise _invalid(N_("Name 1 to {max_parties} households."), field, max_parties=MAX_PARTIES)
    found = await Household.filter(id__in=wanted, community_id=community_id).count()
    if found != len(wanted):
        raise DomainError(ErrorCode.NOT_FOUND, N_("No such household."), field)
    return wanted


# Who may see a case ----------------------------------------------------------------------------


async def is_mediator_of(viewer: Viewer, case: MediationCase) -> bool:
    """On the case and still a mediator: someone stood down sees no case's names any more."""
    if viewer.user is None or not viewer.has_role(case.community_id, Role.MEDIATOR):
        return False
    return await CaseMediator.exists(case_id=case.id, user_id=viewer.user.id)


async def case_for(viewer: Viewer, case_id: int, field: str = "caseId") -> MediationCase:
    """The case if the caller is the office or one of its mediators. Outside the community it
    does not exist; inside it, anyone else is refused."""
    viewer.require_user()
    case = await MediationCase.get_or_none(id=case_id)
    if case is None or not viewer.is_member(case.community_id):
        raise _not_found(field)
    if viewer.manages(case.community_id) or await is_mediator_of(viewer, case):
        return case
    raise Forbidden(N_("Only the case's mediators and the community office can see it."))


def require_case_reader(viewer: Viewer, community_id: int) -> None:
    """The list of cases: the office sees all, a mediator their own; anyone else nothing."""
    viewer.require_member(community_id)
    if not (viewer.manages(community_id) or viewer.has_role(community_id, Role.MEDIATOR)):
        raise Forbidden(N_("Only mediators and the community office can see mediation cases."))


# Opening -----------------------------------------------------------------------------------------


async def open_case(
    viewer: Viewer,
    community_id: int,
    category: MediationCategory,
    summary: str,
    party_household_ids: Sequence[int],
    mediator_ids: Sequence[int],
    idempotency_key: str | None = None,
) -> MediationCase:
    """With a key, a double-clicked 开立 button or a retried request answers with the case the
    first made, instead of opening the same dispute twice."""
    viewer.require_manager(community_id)
    return await idempotency.once(
        viewer.user_id,
        idempotency_key,
        "mediationCaseOpen",
        {
            "community": community_id,
            "category": str(category),
            "summary": summary,
            "parties": list(party_household_ids),
            "mediators": list(mediator_ids),
        },
        load=lambda first: MediationCase.get_or_none(id=first, community_id=community_id),
        make=lambda: _open(viewer, community_id, category, summary, party_household_ids, mediator_ids),
    )


async def _open(
    viewer: Viewer,
    community_id: int,
    category: MediationCategory,
    summary: str,
    party_household_ids: Sequence[int],
    mediator_ids: Sequence[int],
) -> MediationCase:
    """Checked by the caller; writes inside the caller's transaction when there is one."""
    about = text(summary, "summary")
    parties = await _household_ids(community_id, party_household_ids, "partyHouseholdIds")
    mediators = await _mediator_ids(community_id, mediator_ids)
    async with in_transaction():
        case = await MediationCase.create(
            community_id=community_id,
            category=category,
            summary=about,
            opened_by_id=viewer.user_id,
            opened_at=clock.now(),
        )
        await MediationParty.bulk_create([MediationParty(case_id=case.id, household_id=h) for h in parties])
        await CaseMediator.bulk_create([CaseMediator(case_id=case.id, user_id=u) for u in mediators])
        await _event(case.id, CaseEventKind.OPENED, viewer.user_id)
    return case


async def open_referred(
    viewer: Viewer,
    community_id: int,
    category: MediationCategory,
    summary: str,
    party_household_ids: Sequence[int],
    mediator_ids: Sequence[int],
) -> MediationCase:
    """For services.observers: an observer's intervention referred to the room (checked there)."""
    return await _open(viewer, community_id, category, summary, party_household_ids, mediator_ids)


async def _event(case_id: int, kind: CaseEventKind, actor_id: int | None) -> None:
    await MediationCaseEvent.create(case_id=case_id, kind=kind, actor_id=actor_id, at=clock.now())


async def set_mediators(viewer: Viewer, case: MediationCase, mediator_ids: Sequence[int]) -> MediationCase:
    """The office changes who mediates a case still open (1 to 5 people holding the mediator
    role), with a line on its timeline. The same mediators again: nothing changes."""
    viewer.require_manager(case.community_id)
    wanted = await _mediator_ids(case.community_id, mediator_ids)
    async with in_transaction():
        # Touch the row conditionally: a case closed meanwhile refuses the change, and two
        # changes at once queue on the row.
        touched = await MediationCase.filter(id=case.id, state__not_in=list(CLOSED_STATES)).update(
            state=F("state")
        )
        if not touched:
            raise DomainError(ErrorCode.ALREADY_DECIDED, N_("This case is closed."), "caseId")
        current = set(await CaseMediator.filter(case_id=case.id).values_list("user_id", flat=True))
        if {int(str(u)) for u in current} == set(wanted):
            return case
        await CaseMediator.filter(case_id=case.id, user_id__not_in=wanted).delete()
        held = {int(str(u)) for u in current}
        await CaseMediator.bulk_create(
            [CaseMediator(case_id=case.id, user_id=u) for u in wanted if u not in held]
        )
        await _event(case.id, CaseEventKind.MEDIATORS_CHANGED, viewer.user_id)
    return case


# Steps ---------------------------------------------------------------------------------------------


async def _move(
    case: MediationCase, starts: Sequence[CaseState], event: CaseEventKind, actor_id: int, **values: object
) -> MediationCase:
    """The one way a case changes state: only from `starts`, with its timeline row, atomically."""
    async with in_transaction():
        moved = await MediationCase.filter(id=case.id, state__in=list(starts)).update(**values)
        if not moved:
            raise DomainError(
                ErrorCode.INVALID_TRANSITION,
                N_("The case is not at a step where this can be done."),
                "caseId",
            )
        await _event(case.id, event, actor_id)
    await case.refresh_from_db()
    return case


async def record_session(
    viewer: Viewer,
    case: MediationCase,
    held_on: date,
    attended: str,
    notes: str,
    idempotency_key: str,
) -> MediationSession:
    """A retry with the same key returns the first session."""
    if not 1 <= len(idempotency_key or "") <= KEY_MAX:
        raise _invalid(
            N_("The idempotency key must be 1 to {key_max} characters."), "idempotencyKey", key_max=KEY_MAX
        )
    who = text(attended, "attended", MAX_ATTENDED)
    said = text(notes, "notes", MAX_AGREEMENT, required=False)
    day = _not_in_future(held_on, await _today(case.community_id), "heldOn")
    async with in_transaction():
        existing = await MediationSession.get_or_none(case_id=case.id, idempotency_key=idempotency_key)
        if existing is not None:
            return existing
        # A session belongs to an open case: touch the row conditionally, so a case closed
        # meanwhile refuses it and concurrent sessions queue on the row.
        touched = await MediationCase.filter(id=case.id, state__in=list(SESSION_STATES)).update(
            state=F("state")
        )
        if not touched:
            raise DomainError(
                ErrorCode.INVALID_TRANSITION,
                N_("The case is not at a step where this can be done."),
                "caseId",
            )
        session = await MediationSession.create(
            case_id=case.id,
            held_on=day,
            attended=who,
            notes=said,
            recorded_by_id=viewer.user_id,
            idempotency_key=idempotency_key,
            created_at=clock.now(),
        )
        await _event(case.id, CaseEventKind.SESSION, viewer.user_id)
    return session


async def record_agreement(
    viewer: Viewer, case: MediationCase, agreement: str, signed_on: date
) -> MediationCase:
    body = text(agreement, "agreement", MAX_AGREEMENT)
    day = _not_in_future(signed_on, await _today(case.community_id), "signedOn")
    if not await MediationSession.exists(case_id=case.id):
        raise DomainError(
            ErrorCode.INVALID_TRANSITION, N_("Record a session with the parties first."), "caseId"
        )
    return await _move(
        case,
        (CaseState.OPEN,),
        CaseEventKind.AGREED,
        viewer.user_id,
        state=CaseState.AGREED,
        agreement=body,
        agreement_signed_on=day,
    )


async def record_follow_up(viewer: Viewer, case: MediationCase, visited_on: date, note: str) -> MediationCase:
    said = text(note, "note")
    day = _not_in_future(visited_on, await _today(case.community_id), "visitedOn")
    if case.agreement_signed_on is not None and day < case.agreement_signed_on:
        raise _invalid(N_("The follow-up comes after the agreement was signed."), "visitedOn")
    return await _move(
        case,
        (CaseState.AGREED,),
        CaseEventKind.FOLLOWED_UP,
        viewer.user_id,
        state=CaseState.FOLLOWED_UP,
        follow_up_on=day,
        follow_up_note=said,
    )


async def close(viewer: Viewer, case: MediationCase, outcome: CaseState, note: str) -> MediationCase:
    """Settled only after the follow-up; not settled or referred at any step, with the reason."""
    if outcome not in ENDINGS:
        raise _invalid(N_("Settled, not settled, or referred."), "outcome")
    said = text(note, "note", required=outcome != CaseState.SETTLED)
    if case.state in CLOSED_STATES:
        raise DomainError(ErrorCode.ALREADY_DECIDED, N_("This case is closed."), "caseId")
    return await _move(
        case,
        ENDINGS[outcome],
        ENDING_EVENTS[outcome],
        viewer.user_id,
        state=outcome,
        outcome_note=said,
        closed_at=clock.now(),
    )


# Reading -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseDetail:
    """A case with what only its readers see, read in a fixed number of statements."""

    case: MediationCase
    party_household_ids: list[int]
    mediator_ids: list[int]
    sessions: list[MediationSession]
    events: list[MediationCaseEvent]


async def details(cases: Sequence[MediationCase]) -> list[CaseDetail]:
    ids = [c.id for c in cases]
    parties: dict[int, list[int]] = {i: [] for i in ids}
    mediators: dict[int, list[int]] = {i: [] for i in ids}
    sessions: dict[int, list[MediationSession]] = {i: [] for i in ids}
    events: dict[int, list[MediationCaseEvent]] = {i: [] for i in ids}
    if ids:
        for case_id, household_id in (
            await MediationParty.filter(case_id__in=ids).order_by("id").values_list("case_id", "household_id")
        ):
            parties[int(case_id)].append(int(household_id))
        for case_id, user_id in (
            await CaseMediator.filter(case_id__in=ids).order_by("id").values_list("case_id", "user_id")
        ):
            mediators[int(case_id)].append(int(user_id))
        for session in await MediationSession.filter(case_id__in=ids).order_by("held_on", "id"):
            sessions[session.case_id].append(session)
        for event in await MediationCaseEvent.filter(case_id__in=ids).order_by("id"):
            events[event.case_id].append(event)
    return [CaseDetail(c, parties[c.id], mediators[c.id], sessions[c.id], events[c.id]) for c in cases]


async def cases(
    viewer: Viewer,
    community_id: int,
    state: CaseState | None,
    first: int,
    before_id: int | None,
    states: Sequence[CaseState] | None = None,
) -> list[MediationCase]:
    """Newest first, first+1 rows; a mediator's list holds only their own cases. `states` keeps
    any of them (the office lists the cases still being worked before the closed ones). Cases
    recorded from anonymous logs are counts, not cases anyone works: they are left out."""
    require_case_reader(viewer, community_id)
    query = _listed(viewer, community_id, state, states)
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    return list(await query.order_by("-id").limit(first + 1))


def _listed(  # type: ignore[no-untyped-def]
    viewer: Viewer, community_id: int, state: CaseState | None, states: Sequence[CaseState] | None = None
):
    query = MediationCase.filter(community_id=community_id, from_log_id__isnull=True)
    if not viewer.manages(community_id):
        query = query.filter(mediators__user_id=viewer.user_id)
    if states is not None:
        query = query.filter(state__in=list(states))
    return query if state is None else query.filter(state=state)


async def case_count(
    viewer: Viewer, community_id: int, state: CaseState | None, states: Sequence[CaseState] | None = None
) -> int:
    return await _listed(viewer, community_id, state, states).count()


# The roster -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MediatorOnDuty:
    """A member holding the mediator role, and how many cases still open they mediate."""

    user_id: int
    display_name: str
    open_cases: int


async def mediators(viewer: Viewer, community_id: int) -> list[MediatorOnDuty]:
    """The office's roster of the room, by name: who it may put on a case, and who cannot be
    stood down yet (open cases). Two statements however many mediators there are."""
    viewer.require_manager(community_id)
    rows = await MembershipRole.filter(community_id=community_id, role=Role.MEDIATOR).values_list(
        "membership__user_id", "membership__user__display_name"
    )
    people = {int(str(user_id)): str(name) for user_id, name in rows}
    working = await CaseMediator.filter(
        user_id__in=list(people), case__community_id=community_id, case__state__not_in=list(CLOSED_STATES)
    ).values_list("user_id", flat=True)
    open_cases = {user_id: 0 for user_id in people}
    for user_id in working:
        open_cases[int(str(user_id))] += 1
    return sorted(
        (MediatorOnDuty(u, name, open_cases[u]) for u, name in people.items()),
        key=lambda m: (m.display_name, m.user_id),
    )


# Counts: public ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryCount:
    category: MediationCategory
    settled: int


@dataclass(frozen=True)
class SettledCounts:
    year: int
    settled: int
    by_category: list[CategoryCount]  # every category, in the enum's order, zeros included


async def counts(community_id: int, year: int, timezone: str) -> SettledCounts:
    """Cases settled in the community's calendar year, by category: the cases the room worked
    and those recorded from the anonymous logs before it kept cases. No names, no ids."""
    from points_engine.localtime import zone

    local = zone(timezone)
    start = datetime(year, 1, 1, tzinfo=local)
    end = datetime(year + 1, 1, 1, tzinfo=local)
    rows = await MediationCase.filter(
        community_id=community_id, state=CaseState.SETTLED, closed_at__gte=start, closed_at__lt=end
    ).values_list("category", flat=True)
    tally = {c: 0 for c in MediationCategory}
    for category in rows:
        tally[MediationCategory(str(category))] += 1
    return SettledCounts(
        year=year,
        settled=sum(tally.values()),
        by_category=[CategoryCount(c, n) for c, n in tally.items()],
    )


def check_year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise _invalid(N_("Choose a year between 2000 and 2100."), "year")
    return year


async def record_from_log(community_id: int, log_id: int, category: MediationCategory, settled: bool) -> None:
    """An anonymous mediation log (services.teams.activity_logs) counts as a case without names,
    written in the log's own transaction (the `mediation.logged` event)."""
    now = clock.now()
    await MediationCase.create(
        community_id=community_id,
        category=category,
        state=CaseState.SETTLED if settled else CaseState.NOT_SETTLED,
        opened_at=now,
        closed_at=now,
        from_log_id=log_id,
    )
