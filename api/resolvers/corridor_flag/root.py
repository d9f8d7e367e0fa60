"""The civilized-corridor flag (文明楼道流动红旗): standings, history, weights, closing a month.

Query and Mutation fields of the area, merged into the root schema."""

from __future__ import annotations

import strawberry

from api.resolvers.corridor_flag import operations as resolve
from api.schema.common import Connection
from api.schema.corridor_flag.types import (
    CorridorFlagAward,
    CorridorStandingPayload,
    CorridorWeightsPayload,
    MonthClosePayload,
)


@strawberry.type
class CorridorFlagQuery:
    corridor_standing: CorridorStandingPayload = strawberry.field(
        resolver=resolve.corridor_standing,
        description="Every entrance's flag score for a month: stored when closed, live when open.",
    )
    corridor_flag_history: Connection[CorridorFlagAward] = strawberry.field(
        resolver=resolve.corridor_flag_history, description="Closed months, newest first."
    )


@strawberry.type
class CorridorFlagMutation:
    corridor_weights_set: CorridorWeightsPayload = strawberry.mutation(
        resolver=resolve.corridor_weights_set, description="Staff: the flag formula's weights."
    )
    month_close: MonthClosePayload = strawberry.mutation(
        resolver=resolve.month_close,
        description="Staff: close a month that has ended (flag and ranking bonuses). Again changes nothing.",
    )
