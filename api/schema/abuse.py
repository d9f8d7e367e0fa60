"""Abuse flags: what staff see when someone may be gaming the points economy."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from strawberry import relay

from api.schema.accounts.types import User
from api.schema.common import UserError

# From the schema module that registers them as GraphQL enums, so they are registered first.
from api.schema.reports.types import ReportCategory, ReportState
from models.abuse import AbuseFlagState, AbuseSignal

strawberry.enum(
    AbuseSignal,
    description="PAIRING: the same two people report and repair for each other again and again; "
    "SELF_DEALING: a repairer fixed a report of their own household; REPORT_BURST: many reports "
    "from one account in a short time.",
)
strawberry.enum(AbuseFlagState, description="OPEN until staff dismiss it (legitimate) or confirm it.")


@strawberry.enum(description="What staff decided about a flag.")
class AbuseDecision(Enum):
    DISMISS = "dismiss"  # legitimate: the held points are paid
    CONFIRM = "confirm"  # abuse: the held points are never paid


@strawberry.type(description="A report a flag rests on, with what it paid and what it holds.")
class AbuseEvidence:
    report_id: relay.GlobalID
    category: ReportCategory
    state: ReportState
    created_at: datetime
    points_paid: int = strawberry.field(description="Points its reporter and repairer were paid for it.")
    held: bool = strawberry.field(description="Its repair's points were withheld because of the flag.")
    points_held: int = strawberry.field(
        description="What dismissing the flag would pay for it now (before multipliers); 0 once released."
    )
    released: bool = strawberry.field(description="Held points paid after staff dismissed the flag.")


@strawberry.type(description="Staff: a sign that someone may be gaming the points economy.")
class AbuseFlag(relay.Node):
    id: relay.NodeID[int]
    signal: AbuseSignal
    state: AbuseFlagState
    user: User = strawberry.field(description="Who it is about: the repairer, or the reporter of a burst.")
    partner: User | None = strawberry.field(description="The other person of a pairing or self-dealing.")
    detail: str
    created_at: datetime
    decided_at: datetime | None
    decision_note: str
    evidence: list[AbuseEvidence]


@strawberry.input
class AbuseFlagDecideInput:
    flag_id: strawberry.ID
    decision: AbuseDecision
    note: str = ""


@strawberry.type
class AbuseFlagPayload:
    flag: AbuseFlag | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
