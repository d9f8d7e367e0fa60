"""The mediation room (红色调解室): inputs and payloads of its mutations."""

from __future__ import annotations

from datetime import date
from enum import Enum

import strawberry

from api.schema.common import UserError
from api.schema.mediation_room.types import MediationCase, MediationSession
from api.schema.teams.types import MediationCategory  # the enum as that area registered it


@strawberry.input
class MediatorAppointInput:
    community_id: strawberry.ID
    user_id: strawberry.ID


@strawberry.type
class MediatorAppointPayload:
    appointed: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class MediationCaseOpenInput:
    community_id: strawberry.ID
    category: MediationCategory
    summary: str
    party_household_ids: list[strawberry.ID]
    mediator_ids: list[strawberry.ID] = strawberry.field(description="People holding the mediator role.")
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="A fresh key per case the office opens, the same on a retry: a double-clicked "
        "button or a retried request answers with the case the first made (within 24 hours).",
    )


@strawberry.input
class MediationSessionRecordInput:
    case_id: strawberry.ID
    held_on: date
    attended: str
    notes: str = ""
    idempotency_key: str


@strawberry.input
class MediationAgreementRecordInput:
    case_id: strawberry.ID
    agreement: str
    signed_on: date


@strawberry.input
class MediationFollowUpRecordInput:
    case_id: strawberry.ID
    visited_on: date
    note: str


@strawberry.enum(description="How a case ends.")
class MediationOutcome(Enum):
    SETTLED = "settled"
    NOT_SETTLED = "not_settled"
    REFERRED = "referred"


@strawberry.input
class MediationCaseCloseInput:
    case_id: strawberry.ID
    outcome: MediationOutcome
    note: str = strawberry.field(default="", description="Required unless settled: why, or where to.")


@strawberry.type
class MediationCasePayload:
    case: MediationCase | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class MediationSessionPayload:
    session: MediationSession | None = None
    case: MediationCase | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class MediatorStandDownInput:
    community_id: strawberry.ID
    user_id: strawberry.ID
    reason: str = strawberry.field(default="", description="Why, up to 300 characters (for the record).")


@strawberry.type
class MediatorStandDownPayload:
    stood_down: bool = strawberry.field(
        default=False, description="They are no mediator any more and see no case's names."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class MediationCaseMediatorsSetInput:
    case_id: strawberry.ID
    mediator_ids: list[strawberry.ID] = strawberry.field(
        description="1 to 5 people holding the mediator role: the case's mediators from now on."
    )
