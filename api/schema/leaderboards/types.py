"""Leaderboards (排行榜): member boards by points earned, entrance and team boards.

The GraphQL types of the area."""

from __future__ import annotations

from enum import Enum

import strawberry

from api.context import Info
from api.schema.common import Connection, UserError
from api.schema.places.labels import entrance_label
from services.leaderboards import Scope

strawberry.enum(Scope, name="BoardScope", description="Whose members a board ranks.")


@strawberry.enum(
    description="Boards of groups, both ranked per household (see GroupBoardEntry.perHousehold)."
)
class GroupBoardKind(Enum):
    ENTRANCES = "entrances"
    TEAMS = "teams"


@strawberry.type(description="One member on a board. Care tags never appear or count.")
class BoardEntry:
    rank: int = strawberry.field(description="Competition rank: equal points share a rank (1, 2, 2, 4).")
    points: int = strawberry.field(
        description="Points earned in the period less staff deductions posted in it; spending does not count."
    )
    name: str = strawberry.field(description="Display name, or initials when the member chose so.")
    is_me: bool


@strawberry.type(
    description="Members ranked by points earned; ties in user order (the earlier account first). "
    "Only members who earned points in the period are listed."
)
class Leaderboard:
    period: str = strawberry.field(description='"YYYY-MM" (community time zone) or "all".')
    entries: Connection[BoardEntry]
    me: BoardEntry | None = strawberry.field(
        description="You on this board, wherever you stand; null when you earned nothing in the period."
    )
    my_points: int


@strawberry.type
class LeaderboardPayload:
    board: Leaderboard | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type(
    description="An entrance or a team on a group board. Both kinds rank by points per household: "
    "the points their members earned in the period ÷ the distinct households those members live in "
    "(a member without a household counts as one), so a big entrance or team does not win by size "
    "alone. Ties: equal values share a rank, listed by the group's id."
)
class GroupBoardEntry:
    id: strawberry.ID = strawberry.field(description="The Entrance's or Team's global id.")
    name: str
    rank: int
    points: int = strawberry.field(description="Points its members earned in the period.")
    households: int = strawberry.field(
        description="Distinct households of its members (a member without a household counts as one)."
    )
    per_household: float = strawberry.field(description="points ÷ households, two decimals: what ranks.")
    members: int = strawberry.field(
        deprecation_reason="Use households instead; removed 2027-03-01.",
        description="The same as households.",
    )
    per_member: float = strawberry.field(
        deprecation_reason="Use perHousehold instead; removed 2027-03-01.",
        description="The same as perHousehold.",
    )
    entrance_row_id: strawberry.Private[int | None] = None

    @strawberry.field(description="An entrance's full label (\"休闲小区 1号楼 1单元\"); a team's name.")
    async def label(self, info: Info) -> str:
        return await entrance_label(info, self.entrance_row_id) or self.name


@strawberry.type
class GroupBoardPayload:
    period: str | None = None
    entries: list[GroupBoardEntry] | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class BoardPrivacySetInput:
    community_id: strawberry.ID
    by_initials: bool


@strawberry.type
class BoardPrivacyPayload:
    by_initials: bool | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
