"""The mediation room (红色调解室): the GraphQL types of the area."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry import relay

from api.schema.teams.types import MediationCategory  # the enum as that area registered it
from models.mediation_room import CaseEventKind, CaseState
from models.observers import AppointedAs, AppointmentEventKind

strawberry.enum(
    CaseState,
    name="MediationCaseState",
    description="OPEN: sessions with the parties. AGREED: an agreement is signed. FOLLOWED_UP: the "
    "follow-up visit is done. SETTLED, NOT_SETTLED, REFERRED: the outcome.",
)
strawberry.enum(CaseEventKind, name="MediationCaseEventKind", description="A step on a case's timeline.")
strawberry.enum(AppointedAs, description="OBSERVER: 家园观察员 of a compound. MEDIATOR: 红色调解室.")
strawberry.enum(AppointmentEventKind, description="APPOINTED, or STOOD_DOWN by the office.")


@strawberry.type(
    description="The office's record of one appointment or stand-down of an observer (of a "
    "compound) or a mediator: who, as what, by whom, when and why. It stays when the post goes."
)
class AppointmentEvent:
    id: relay.GlobalID
    kind: AppointmentEventKind
    appointed_as: AppointedAs
    user: relay.GlobalID
    display_name: str = strawberry.field(description="The member appointed or stood down.")
    compound: relay.GlobalID | None = strawberry.field(description="An observer's compound.")
    compound_label: str | None = strawberry.field(description="Its full label (休闲小区).")
    reason: str = strawberry.field(description="Why they were stood down, as the office wrote it.")
    by_name: str = strawberry.field(description="Who in the office did it.")
    at: datetime


@strawberry.type(description="A household on one side of the dispute.")
class MediationParty:
    household: relay.GlobalID
    label: str = strawberry.field(description="The household's full place label (休闲小区 1号楼 1单元 101).")


@strawberry.type(
    description="A member holding the mediator role (红色调解室), with the cases still open that they "
    "mediate: the office stands nobody down before those have other mediators."
)
class Mediator:
    user: relay.GlobalID
    display_name: str
    open_cases: int = strawberry.field(description="Cases not yet settled, not settled or referred.")


@strawberry.type(description="A mediator of the case.")
class CaseMediator:
    user: relay.GlobalID
    display_name: str


@strawberry.type(description="A meeting of the mediators with the parties.")
class MediationSession:
    id: relay.GlobalID
    held_on: date
    attended: str = strawberry.field(description="Who came, as the mediator wrote it.")
    notes: str


@strawberry.type(description="A step of the case, when, and by whom.")
class MediationCaseEvent:
    kind: CaseEventKind
    at: datetime
    actor_name: str | None


@strawberry.type(
    description="A dispute between neighbours in the mediation room. Only its mediators and the "
    "community office can read it; the public sees counts (mediationCounts)."
)
class MediationCase(relay.Node):
    id: relay.NodeID[int]
    category: MediationCategory
    state: CaseState
    summary: str
    opened_at: datetime
    parties: list[MediationParty]
    mediators: list[CaseMediator]
    sessions: list[MediationSession]
    agreement: str
    agreement_signed_on: date | None
    follow_up_on: date | None
    follow_up_note: str
    outcome_note: str = strawberry.field(description="Why it was not settled, or where it was referred.")
    closed_at: datetime | None
    timeline: list[MediationCaseEvent]


@strawberry.type(description="Cases settled of one category.")
class MediationCategoryCount:
    category: MediationCategory
    settled: int


@strawberry.type(description="Cases settled in a calendar year, by category: no names.")
class MediationCounts:
    year: int
    settled: int
    by_category: list[MediationCategoryCount]
