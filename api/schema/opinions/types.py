"""Opinions (居民意见): members' suggestions and complaints, and how the office ends them.

The GraphQL types of the area."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from strawberry import relay

from api.schema.common import UserError
from models.voice import OpinionKind, OpinionStatus, OpinionTopic

strawberry.enum(OpinionKind)
strawberry.enum(OpinionTopic, description="What an opinion is about. Repairs are reports, not opinions.")
strawberry.enum(
    OpinionStatus,
    description="OPEN: collected. ADOPTED: the office will act (`action`). DONE: the action is carried "
    "out. ANSWERED: explained. DECLINED: not taken up (`answer` gives the reason).",
)


@strawberry.enum(description="How the office ends an opinion.")
class OpinionOutcome(Enum):
    ADOPTED = "adopted"
    ANSWERED = "answered"
    DECLINED = "declined"


@strawberry.type(description="A member's suggestion or complaint about community life.")
class Opinion(relay.Node):
    id: relay.NodeID[int]
    kind: OpinionKind
    topic: OpinionTopic
    text: str
    status: OpinionStatus
    support_count: int
    answer: str = strawberry.field(description="The office's reply, or why it was declined.")
    action: str = strawberry.field(description="For adopted opinions: what the office will do.")
    answered_at: datetime | None
    done_at: datetime | None
    created_at: datetime
    is_mine: bool
    supported_by_me: bool


@strawberry.type(description="How many opinions were collected and how they ended.")
class OpinionCounts:
    collected: int
    open: int
    adopted: int = strawberry.field(description="Adopted, including those since done.")
    done: int
    answered: int
    declined: int


@strawberry.input
class OpinionPostInput:
    community_id: strawberry.ID
    kind: OpinionKind
    topic: OpinionTopic
    text: str


@strawberry.input
class OpinionSupportInput:
    opinion_id: strawberry.ID


@strawberry.input
class OpinionAnswerInput:
    opinion_id: strawberry.ID
    outcome: OpinionOutcome
    answer: str = ""
    action: str = strawberry.field(default="", description="Required when adopting.")


@strawberry.input
class OpinionDoneInput:
    opinion_id: strawberry.ID


@strawberry.type
class OpinionPayload:
    opinion: Opinion | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


# Public accounts -------------------------------------------------------------------------------
