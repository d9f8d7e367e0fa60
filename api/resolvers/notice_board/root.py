"""The notice board (公告栏): what /board/<slug> shows anyone, and repairs done.

Query and Mutation fields of the area, merged into the root schema."""

from __future__ import annotations

import strawberry

from api.resolvers.notice_board import operations as resolve
from api.schema.notice_board.types import BoardPublicity, BoardPublicityPayload, RepairsDone


@strawberry.type
class NoticeBoardQuery:
    board_publicity: BoardPublicity = strawberry.field(
        resolver=resolve.board_publicity, description="Members: what the notice board shows to anyone."
    )
    repairs_done: RepairsDone = strawberry.field(
        resolver=resolve.repairs_done, description="Members: repairs fixed in a month, and on time."
    )


@strawberry.type
class NoticeBoardMutation:
    board_publicity_set: BoardPublicityPayload = strawberry.mutation(
        resolver=resolve.board_publicity_set,
        description="Staff: choose which notice-board sections anyone may see without signing in.",
    )
