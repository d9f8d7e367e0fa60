"""Leaderboards (排行榜): member boards by points earned, entrance and team boards.

Query and Mutation fields of the area, merged into the root schema."""

from __future__ import annotations

import strawberry

from api.resolvers.leaderboards import operations as resolve
from api.schema.leaderboards.types import BoardPrivacyPayload, GroupBoardPayload, LeaderboardPayload


@strawberry.type
class LeaderboardsQuery:
    leaderboard: LeaderboardPayload = strawberry.field(
        resolver=resolve.leaderboard,
        description="Members ranked by points earned in a month (`month`: YYYY-MM) or all-time "
        "(`month` null), within the community, a team, a building or an entrance (`scopeId`).",
    )
    group_board: GroupBoardPayload = strawberry.field(
        resolver=resolve.group_board, description="Entrances or teams ranked by their members' earnings."
    )


@strawberry.type
class LeaderboardsMutation:
    board_privacy_set: BoardPrivacyPayload = strawberry.mutation(
        resolver=resolve.board_privacy_set, description="Appear on boards by your initials, or by name."
    )
