"""Home observers (家园观察员): inputs and payloads of the area's mutations."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.file_uploads import Upload

from api.schema.common import UserError
from api.schema.mediation_room.types import MediationCase
from api.schema.observers.types import DisputeIntervention, ObserverPost, ObserverVisit
from api.schema.opinions.types import Opinion
from api.schema.teams.types import MediationCategory  # the enum as that area registered it
from models.voice import OpinionKind, OpinionTopic


@strawberry.input
class ObserverAppointInput:
    compound_id: strawberry.ID
    user_id: strawberry.ID


@strawberry.type
class ObserverAppointPayload:
    post: ObserverPost | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class ObserverVisitRecordInput:
    compound_id: strawberry.ID
    spot: str
    seen: str
    idempotency_key: str
    visited_at: datetime | None = strawberry.field(
        default=None, description="Now when left out; up to a week back."
    )
    photos: list[Upload] = strawberry.field(
        default_factory=list, description="Up to 6 JPEG, PNG or WebP photos; metadata is stripped."
    )


@strawberry.type
class ObserverVisitPayload:
    visit: ObserverVisit | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class ObserverOpinionTakeInput:
    visit_id: strawberry.ID
    kind: OpinionKind
    topic: OpinionTopic
    text: str


@strawberry.type
class ObserverOpinionTakePayload:
    opinion: Opinion | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class ObserverDisputeStepInInput:
    visit_id: strawberry.ID
    category: MediationCategory
    summary: str
    settled_on_spot: bool


@strawberry.type
class ObserverDisputeStepInPayload:
    intervention: DisputeIntervention | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class ObserverDisputeReferInput:
    intervention_id: strawberry.ID
    party_household_ids: list[strawberry.ID]
    mediator_ids: list[strawberry.ID] = strawberry.field(description="People holding the mediator role.")


@strawberry.type
class ObserverDisputeReferPayload:
    case: MediationCase | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class ObserverStandDownInput:
    compound_id: strawberry.ID
    user_id: strawberry.ID
    reason: str = strawberry.field(default="", description="Why, up to 300 characters (for the record).")


@strawberry.type
class ObserverStandDownPayload:
    stood_down: bool = strawberry.field(default=False, description="They no longer observe the compound.")
    errors: list[UserError] = strawberry.field(default_factory=list)
