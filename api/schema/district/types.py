"""Streets, districts, departments, dispatches (派单) and the outpost (前哨).

The GraphQL types of the area: counts and steps, never a resident's phone, household or care tag."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from api.context import Info
from api.ids import global_id
from api.schema.common import UserError
from api.schema.reports.types import PhotoKind, ReportCategory, ReportState
from models.district import DispatchEventKind, DispatchSource, DispatchState, DistrictRoleKind
from runtime.i18n import Text
from services.reports.photos import PhotoOwner, photo_link

strawberry.enum(DispatchState, description="Where a dispatch beyond the community stands.")
strawberry.enum(DispatchSource, description="How a dispatch began.")
strawberry.enum(DispatchEventKind, description="A step on a dispatch's timeline.")
strawberry.enum(DistrictRoleKind, description="A role held at street or district level.")


@strawberry.enum(description="Which dispatches wait for the caller.")
class DispatchQueue(Enum):
    STREET = "street"
    DEPARTMENT = "department"
    COORDINATION = "coordination"
    MINE = "mine"


@strawberry.type(description="One step of a dispatch, seen by the community and the reporter.")
class DispatchStep:
    kind: DispatchEventKind
    from_state: DispatchState | None
    to_state: DispatchState | None
    department_name: str | None
    at: datetime
    note_text: strawberry.Private[Text]

    @strawberry.field(
        description="The step in the language the request asked for (Accept-Language), Chinese by "
        "default; the words people wrote (a reason, a feedback) as written."
    )
    def note(self, info: Info) -> str:
        # The row keeps the message id and parameters; the words people wrote are parameters.
        return self.note_text.render(info.context.language)


@strawberry.type(
    description="A photo of a dispatch: the outpost reporter's (REPORT) or the department's proof of "
    "its feedback (PROOF). The url works for an hour or two; ask again for a new one."
)
class DispatchPhoto:
    id: strawberry.ID
    kind: PhotoKind
    content_type: str
    size: int = strawberry.field(description="Bytes, after metadata (EXIF, GPS) was stripped.")
    url: str
    created_at: datetime


async def _dispatch_photos(root: Dispatch, info: Info) -> list[DispatchPhoto]:
    # Through the request's loader: one read for a page of dispatches, none for an answer that
    # does not ask for photos (most mutations' answers).
    rows = await info.context.loaders.district.photos_by_dispatch.load(root.row_id)
    return [
        DispatchPhoto(
            id=global_id("DispatchPhoto", p.id),
            kind=PhotoKind.PROOF if p.proof else PhotoKind.REPORT,
            content_type=p.content_type,
            size=p.size,
            url=photo_link(p.id, PhotoOwner.DISPATCH),
            created_at=p.created_at,
        )
        for p in rows
    ]


@strawberry.type(description="A problem beyond one community: at the street, a department, or coordination.")
class Dispatch:
    id: strawberry.ID
    state: DispatchState
    source: DispatchSource
    category: ReportCategory
    text: str
    address: str
    latitude: float | None
    longitude: float | None
    district_name: str
    street_name: str
    department_name: str | None
    report_id: strawberry.ID | None = strawberry.field(
        description="The community's report it carries, if any."
    )
    mine: bool = strawberry.field(description="The caller reported it.")
    street_claim_due_at: datetime
    department_claim_due_at: datetime | None
    fix_due_at: datetime | None
    street_claimed_at: datetime | None
    dispatched_at: datetime | None
    department_claimed_at: datetime | None
    fed_back_at: datetime | None
    feedback_note: str
    send_back_reason: str
    rating: int | None
    created_at: datetime
    photos: list[DispatchPhoto] = strawberry.field(
        resolver=_dispatch_photos,
        description="The outpost reporter's photos, then the department's proof, in the order taken. "
        "A community's report keeps its own photos on the report; the proof is there too.",
    )
    timeline: list[DispatchStep]
    row_id: strawberry.Private[int]


@strawberry.type(
    description="A community's report as its street's liaison, the district's departments and its "
    "coordinator see it: the problem and its handling, never who reported it, for whom, how to reach "
    "them, or anything of a household."
)
class DistrictReport:
    id: strawberry.ID = strawberry.field(description="The report's global id (a Report).")
    community_id: strawberry.ID
    community_name: str
    street_id: strawberry.ID
    street_name: str
    place_label: str = strawberry.field(description='Where, in full: "休闲小区 4号楼 2单元".')
    category: ReportCategory
    text: str = strawberry.field(description="As reported, with any phone number in it masked.")
    state: ReportState
    escalation_level: int = strawberry.field(
        description="0 none, 1 community coordinator (claim missed), 2 district (fix missed)."
    )
    created_at: datetime
    claim_due_at: datetime
    resolve_due_at: datetime
    claimed_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    rating: int | None = strawberry.field(description="1 to 5, once confirmed.")
    dispatch_id: strawberry.ID | None = strawberry.field(description="The dispatch carrying it, if referred.")
    dispatch_state: DispatchState | None
    department_name: str | None = strawberry.field(description="The department its dispatch went to.")


@strawberry.type(description="A street or district role the caller holds.")
class DistrictRoleHeld:
    role: DistrictRoleKind
    district_id: strawberry.ID
    district_name: str
    street_id: strawberry.ID | None
    street_name: str | None
    department_id: strawberry.ID | None
    department_name: str | None


@strawberry.type(
    description="A line of the month's district outpost ranking (names only). Equal points share a "
    "rank and the next rank is skipped (1, 2, 2, 4)."
)
class OutpostRankRow:
    rank: int
    user_id: strawberry.ID = strawberry.field(description="The person, to record their reward by.")
    name: str
    title: str
    points: int
    snaps: int


@strawberry.type
class StateCount:
    state: str
    count: int


@strawberry.type(description="Steps taken within their clock, of all taken.")
class OnTimeRate:
    on_time: int
    total: int
    percent: float | None


@strawberry.type(description="The district (streetId null) or one street, in a month.")
class DistrictRollupRow:
    street_id: strawberry.ID | None
    name: str
    reports_by_state: list[StateCount]
    dispatches_by_state: list[StateCount]
    community_claim: OnTimeRate
    community_fix: OnTimeRate
    street_claim: OnTimeRate
    department_claim: OnTimeRate
    department_fix: OnTimeRate
    satisfaction: float | None = strawberry.field(description="Average rating from 1 to 5.")
    outpost_snaps: int = strawberry.field(description="Problems the outpost snapped here in the month.")
    mediations_settled: int = strawberry.field(
        description="Disputes the communities' mediation rooms logged as settled in the month."
    )
    fees: FeeCollection | None = strawberry.field(
        description="The month's collection rate of the communities that bill fees; null where none does."
    )


@strawberry.type(
    description="Of the households billed for the month, how many paid; of the money, how much came in."
)
class FeeCollection:
    households_billed: int
    households_paid: int
    household_percent: float | None
    money_percent: float | None


@strawberry.type(description="A cash reward of the outpost ranking in the district's public accounts.")
class OutpostReward:
    id: strawberry.ID
    month: str
    rank: int
    name: str = strawberry.field(
        description="The recipient: in full for the district's role holders, initials (刘**) for others."
    )
    title: str
    amount_fen: int = strawberry.field(description="Integer fen; negative on a reversal.")
    reverses_id: strawberry.ID | None = strawberry.field(
        description="Set on a reversal: the payment it undoes."
    )
    reversed: bool = strawberry.field(description="A later row reversed this payment.")
    created_at: datetime


@strawberry.type(description="The month's outpost rewards the district paid (its public accounts).")
class OutpostRewardBook:
    month: str
    total_fen: int = strawberry.field(description="What the month's rewards cost, reversals netted.")
    rule: str = strawberry.field(
        description="How the ranking's ties are paid, in the reader's language: equal points share "
        "a rank, the next rank is skipped (1, 2, 2, 4), each tied person gets that rank's reward."
    )
    rewards: list[OutpostReward]


@strawberry.type
class OutpostRewardPayload:
    reward: OutpostReward | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DispatchPayload:
    dispatch: Dispatch | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class OutpostReportPayload:
    dispatch: Dispatch | None = strawberry.field(
        default=None, description="Set when the spot is outside every compound: the street takes it."
    )
    report_id: strawberry.ID | None = strawberry.field(
        default=None, description="Set when a compound holds the spot: that community's report."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)
