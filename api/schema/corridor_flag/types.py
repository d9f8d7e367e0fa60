"""The civilized-corridor flag (文明楼道流动红旗): standings, history, weights, closing a month.

The GraphQL types of the area."""

from __future__ import annotations

import strawberry

from api.context import Info
from api.schema.common import UserError
from api.schema.places.labels import entrance_label


@strawberry.type(description="The flag formula's weights (services/flag.py publishes the formula).")
class CorridorWeights:
    inspection: int
    volunteering: int
    reports: int
    min_inspections: int


@strawberry.type(description="One entrance's flag score and every part of it.")
class CorridorEntrance:
    entrance_id: strawberry.ID
    entrance_name: str
    eligible: bool
    reason: str = strawberry.field(description="Why it is not eligible; empty when it is.")
    rank: int | None
    score: float | None = strawberry.field(description="0–100; null when not eligible.")
    inspections: int
    average_inspection: float | None
    cleanliness: float
    households: int
    volunteering_households: int
    volunteering: float
    reports_counted: int
    reports_in_time: int
    reports: float
    entrance_row_id: strawberry.Private[int | None] = None

    @strawberry.field(description='The entrance\'s full label: "休闲小区 1号楼 1单元".')
    async def entrance_label(self, info: Info) -> str:
        return await entrance_label(info, self.entrance_row_id) or self.entrance_name


@strawberry.type
class CorridorStanding:
    month: str
    provisional: bool = strawberry.field(description="True while the month is open (live standing).")
    entrances: list[CorridorEntrance]


@strawberry.type
class CorridorStandingPayload:
    standing: CorridorStanding | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type(description="A closed month: the flag's winner and the full breakdown.")
class CorridorFlagAward:
    month: str
    holds_month: str = strawberry.field(description="The month the winner holds the flag.")
    entrance_id: strawberry.ID | None
    entrance_name: str | None
    score: float | None
    weights: CorridorWeights
    breakdown: list[CorridorEntrance]
    entrance_row_id: strawberry.Private[int | None] = None

    @strawberry.field(description='The winner\'s full label: "休闲小区 1号楼 1单元".')
    async def entrance_label(self, info: Info) -> str | None:
        return await entrance_label(info, self.entrance_row_id) or self.entrance_name


@strawberry.type(description="The flag at a scanned entrance: who holds it and where this one stands.")
class CorridorFlagStatus:
    holds_flag: bool
    month: str = strawberry.field(description="The open month the provisional standing is for.")
    provisional_rank: int | None
    provisional_score: float | None
    eligible: bool


@strawberry.input
class CorridorWeightsSetInput:
    community_id: strawberry.ID
    inspection: int
    volunteering: int
    reports: int
    min_inspections: int = 2


@strawberry.type
class CorridorWeightsPayload:
    weights: CorridorWeights | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class MonthCloseInput:
    community_id: strawberry.ID
    month: str | None = strawberry.field(default=None, description="YYYY-MM; default the previous month.")


@strawberry.type
class MonthClosePayload:
    award: CorridorFlagAward | None = None
    created: bool = strawberry.field(default=False, description="False when the month was closed before.")
    errors: list[UserError] = strawberry.field(default_factory=list)
