"""The mediation room: service rows to GraphQL types, with the names and labels of a whole page
read in two statements (the households' labels, the people's names)."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry import relay

from api.schema.mediation_room import types
from models.mediation_room import MediationCase, MediationSession
from models.observers import AppointmentEvent
from services import mediation_room
from services.access import user_names_by_ids
from services.places.labels import PlaceKind, labels_by_id


def session(row: MediationSession) -> types.MediationSession:
    return types.MediationSession(
        id=relay.GlobalID("MediationSession", str(row.id)),
        held_on=row.held_on,
        attended=row.attended,
        notes=row.notes,
    )


async def cases(rows: Sequence[MediationCase]) -> list[types.MediationCase]:
    found = await mediation_room.details(rows)
    labels = await labels_by_id(PlaceKind.HOUSEHOLD, [h for d in found for h in d.party_household_ids])
    people = [u for d in found for u in d.mediator_ids] + [
        e.actor_id for d in found for e in d.events if e.actor_id is not None
    ]
    names = {n.id: n.display_name for n in await user_names_by_ids(people) if n is not None}
    return [
        types.MediationCase(
            id=d.case.id,
            category=d.case.category,
            state=d.case.state,
            summary=d.case.summary,
            opened_at=d.case.opened_at,
            parties=[
                types.MediationParty(household=relay.GlobalID("Household", str(h)), label=labels.get(h, ""))
                for h in d.party_household_ids
            ],
            mediators=[
                types.CaseMediator(user=relay.GlobalID("User", str(u)), display_name=names.get(u, ""))
                for u in d.mediator_ids
            ],
            sessions=[session(s) for s in d.sessions],
            agreement=d.case.agreement,
            agreement_signed_on=d.case.agreement_signed_on,
            follow_up_on=d.case.follow_up_on,
            follow_up_note=d.case.follow_up_note,
            outcome_note=d.case.outcome_note,
            closed_at=d.case.closed_at,
            timeline=[
                types.MediationCaseEvent(
                    kind=e.kind, at=e.at, actor_name=names.get(e.actor_id) if e.actor_id else None
                )
                for e in d.events
            ],
        )
        for d in found
    ]


async def case(row: MediationCase) -> types.MediationCase:
    return (await cases([row]))[0]


def counts(found: mediation_room.SettledCounts) -> types.MediationCounts:
    return types.MediationCounts(
        year=found.year,
        settled=found.settled,
        by_category=[
            types.MediationCategoryCount(category=c.category, settled=c.settled) for c in found.by_category
        ],
    )


async def appointments(rows: Sequence[AppointmentEvent]) -> list[types.AppointmentEvent]:
    """A page of the office's appointment record: its people's names and compounds' labels in
    one statement each."""
    names = {
        n.id: n.display_name
        for n in await user_names_by_ids([u for r in rows for u in (r.user_id, r.by_id)])
        if n is not None
    }
    labels = await labels_by_id(PlaceKind.COMPOUND, [r.compound_id for r in rows if r.compound_id])
    return [
        types.AppointmentEvent(
            id=relay.GlobalID("AppointmentEvent", str(r.id)),
            kind=r.kind,
            appointed_as=r.appointed_as,
            user=relay.GlobalID("User", str(r.user_id)),
            display_name=names.get(r.user_id, ""),
            compound=relay.GlobalID("Compound", str(r.compound_id)) if r.compound_id else None,
            compound_label=labels.get(r.compound_id, "") if r.compound_id else None,
            reason=r.reason,
            by_name=names.get(r.by_id, ""),
            at=r.at,
        )
        for r in rows
    ]
