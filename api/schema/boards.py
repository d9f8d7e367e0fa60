"""Leaderboards, inspections and the civilized-corridor flag: types, inputs, payloads, root fields."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from strawberry.file_uploads import Upload

from api.context import Info
from api.schema.common import Connection, UserError
from services.boards import Scope
from services.place_labels import PlaceKind

strawberry.enum(Scope, name="BoardScope", description="Whose members a board ranks.")


async def _entrance_label(info: Info, entrance_id: int | None) -> str | None:
    from api.resolvers.places import label_by_id

    return await label_by_id(info, PlaceKind.ENTRANCE, entrance_id) if entrance_id else None


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
        return await _entrance_label(info, self.entrance_row_id) or self.name


@strawberry.type
class GroupBoardPayload:
    period: str | None = None
    entries: list[GroupBoardEntry] | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


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
        return await _entrance_label(info, self.entrance_row_id) or self.entrance_name


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
        return await _entrance_label(info, self.entrance_row_id) or self.entrance_name


@strawberry.type(description="The flag at a scanned entrance: who holds it and where this one stands.")
class CorridorFlagStatus:
    holds_flag: bool
    month: str = strawberry.field(description="The open month the provisional standing is for.")
    provisional_rank: int | None
    provisional_score: float | None
    eligible: bool


@strawberry.input
class InspectionRecordInput:
    code: str = strawberry.field(description="The code scanned from the entrance's tag.")
    score: int = strawberry.field(description="Cleanliness from 1 (dirty) to 5 (spotless).")
    notes: str = ""
    photos: list[Upload] = strawberry.field(
        default_factory=list,
        description="Up to 6 JPEG, PNG or WebP photos of at most 8 MB each (multipart request); "
        "location and other metadata are removed before they are stored.",
    )


@strawberry.type(description="A photo taken at an inspection. The url works for an hour or two.")
class InspectionPhoto:
    id: strawberry.ID
    content_type: str
    width: int
    height: int
    size: int = strawberry.field(description="Bytes, after metadata was stripped.")
    url: str
    created_at: datetime


@strawberry.type(description="An inspection of an entrance: seen by its inspector, staff and admins.")
class Inspection:
    id: strawberry.ID
    entrance_name: str
    score: int
    notes: str
    local_day: str
    row_id: strawberry.Private[int]
    entrance_row_id: strawberry.Private[int | None] = None

    @strawberry.field(description='The entrance\'s full label: "休闲小区 1号楼 1单元".')
    async def entrance_label(self, info: Info) -> str:
        return await _entrance_label(info, self.entrance_row_id) or self.entrance_name

    @strawberry.field(description="Photos taken at the inspection (links valid 1–2 hours).")
    async def photos(self, info: Info) -> list[InspectionPhoto]:
        from api.resolvers.boards import inspection_photos

        return await inspection_photos(self.row_id, info)


@strawberry.type
class InspectionPayload:
    inspection: Inspection | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class BoardPrivacySetInput:
    community_id: strawberry.ID
    by_initials: bool


@strawberry.type
class BoardPrivacyPayload:
    by_initials: bool | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


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
