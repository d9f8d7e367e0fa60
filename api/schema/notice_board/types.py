"""The notice board (公告栏): what /board/<slug> shows anyone, and repairs done.

The GraphQL types of the area."""

from __future__ import annotations

import strawberry

from api.schema.common import UserError


@strawberry.type(description="What the notice board at /board/<slug> shows without sign-in.")
class BoardPublicity:
    flag: bool
    volunteers: bool
    repairs: bool
    satisfaction: bool
    accounts: bool
    url: str


@strawberry.input
class BoardPublicitySetInput:
    community_id: strawberry.ID
    flag: bool
    volunteers: bool
    repairs: bool
    satisfaction: bool
    accounts: bool


@strawberry.type
class BoardPublicityPayload:
    publicity: BoardPublicity | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type(description="Repairs fixed in a month, and how many before their clock ran out.")
class RepairsDone:
    month: str
    done: int
    on_time: int
    on_time_percent: float | None


# Round-table -----------------------------------------------------------------------------------
