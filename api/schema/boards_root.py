"""The Query and Mutation fields of leaderboards, inspections and the corridor flag."""

from __future__ import annotations

import strawberry

from api.resolvers import boards as resolve
from api.schema.boards import (
    BoardPrivacyPayload,
    CorridorFlagAward,
    CorridorStandingPayload,
    CorridorWeightsPayload,
    GroupBoardPayload,
    Inspection,
    InspectionPayload,
    LeaderboardPayload,
    MonthClosePayload,
)
from api.schema.common import Connection


@strawberry.type
class BoardsQuery:
    leaderboard: LeaderboardPayload = strawberry.field(
        resolver=resolve.leaderboard,
        description="Members ranked by points earned in a month (`month`: YYYY-MM) or all-time "
        "(`month` null), within the community, a team, a building or an entrance (`scopeId`).",
    )
    group_board: GroupBoardPayload = strawberry.field(
        resolver=resolve.group_board, description="Entrances or teams ranked by their members' earnings."
    )
    corridor_standing: CorridorStandingPayload = strawberry.field(
        resolver=resolve.corridor_standing,
        description="Every entrance's flag score for a month: stored when closed, live when open.",
    )
    corridor_flag_history: Connection[CorridorFlagAward] = strawberry.field(
        resolver=resolve.corridor_flag_history, description="Closed months, newest first."
    )
    inspections: Connection[Inspection] = strawberry.field(
        resolver=resolve.inspections,
        description="Inspections of the community's entrances, newest first (`month`: YYYY-MM, or "
        "null for all). Staff and admins see all; cleaners the ones they made; residents none.",
    )


@strawberry.type
class BoardsMutation:
    inspection_record: InspectionPayload = strawberry.mutation(
        resolver=resolve.inspection_record,
        description="Cleaners and staff: record an entrance's cleanliness by its scanned tag; "
        "one per inspector, entrance and day.",
    )
    board_privacy_set: BoardPrivacyPayload = strawberry.mutation(
        resolver=resolve.board_privacy_set, description="Appear on boards by your initials, or by name."
    )
    corridor_weights_set: CorridorWeightsPayload = strawberry.mutation(
        resolver=resolve.corridor_weights_set, description="Staff: the flag formula's weights."
    )
    month_close: MonthClosePayload = strawberry.mutation(
        resolver=resolve.month_close,
        description="Staff: close a month that has ended (flag and ranking bonuses). Again changes nothing.",
    )
