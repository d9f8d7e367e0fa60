"""Streets, districts, departments, dispatches and the outpost: Query and Mutation fields."""

from __future__ import annotations

import strawberry

from api.resolvers.district import operations as resolve
from api.schema.common import Connection
from api.schema.district.types import (
    Dispatch,
    DispatchPayload,
    DistrictReport,
    DistrictRoleHeld,
    DistrictRollupRow,
    OutpostRankRow,
    OutpostReportPayload,
    OutpostRewardBook,
    OutpostRewardPayload,
)


@strawberry.type
class DistrictQuery:
    my_district_roles: list[DistrictRoleHeld] = strawberry.field(
        resolver=resolve.my_district_roles, description="The street and district roles the caller holds."
    )
    dispatch: Dispatch | None = strawberry.field(
        resolver=resolve.dispatch,
        description="A dispatch: for its reporter, its community, its street's liaisons, its "
        "department and the district's coordinators; null for anyone else.",
    )
    dispatch_queue: Connection[Dispatch] = strawberry.field(
        resolver=resolve.dispatch_queue,
        description="What waits for the caller: STREET (liaisons), DEPARTMENT (department members), "
        "COORDINATION (coordinators), MINE (what the caller reported).",
    )
    district_reports: Connection[DistrictReport] = strawberry.field(
        resolver=resolve.district_reports_page,
        description="The reports of the district's communities, newest first: a street's liaison "
        "reads its street's, a department member those of its categories or dispatched to it, the "
        "coordinator all. Narrow by street, community and states. Never who reported them.",
    )
    outpost_ranking: list[OutpostRankRow] = strawberry.field(
        resolver=resolve.outpost_ranking,
        description="The district's outpost ranking of a month (YYYY-MM): points earned, snaps. "
        "Equal points share a rank and the next is skipped (1, 2, 2, 4): the cash rewards pay each "
        "person tied at a rank that rank's reward.",
    )
    outpost_rewards: OutpostRewardBook = strawberry.field(
        resolver=resolve.outpost_rewards,
        description="The cash rewards the district paid for a month's outpost ranking (YYYY-MM): its "
        "public accounts, for anyone, signed in or not. The district's role holders see names; "
        "everyone else initials (刘**). Ranks, titles, amounts, reversals for all.",
    )
    district_rollup: list[DistrictRollupRow] = strawberry.field(
        resolver=resolve.district_rollup,
        description="The district's row, then a row per street the caller may see, for a month.",
    )
    district_rollup_csv: str = strawberry.field(
        resolver=resolve.district_rollup_csv, description="The same roll-up as CSV (UTF-8 with BOM)."
    )


@strawberry.type
class DistrictMutation:
    report_refer: DispatchPayload = strawberry.mutation(
        resolver=resolve.report_refer,
        description="Community staff: refer a report to the community's street.",
    )
    outpost_report: OutpostReportPayload = strawberry.mutation(
        resolver=resolve.outpost_report,
        description="Outpost reporters: report a problem anywhere in their area, "
        "by tag or by location and photo.",
    )
    outpost_reward_pay: OutpostRewardPayload = strawberry.mutation(
        resolver=resolve.outpost_reward_pay,
        description="The district office records a cash reward paid for a month's outpost ranking.",
    )
    outpost_reward_reverse: OutpostRewardPayload = strawberry.mutation(
        resolver=resolve.outpost_reward_reverse,
        description="The district office reverses a reward recorded by mistake (never an edit).",
    )
    dispatch_street_claim: DispatchPayload = strawberry.mutation(
        resolver=resolve.dispatch_street_claim, description="The street's liaison claims (within 30 min)."
    )
    dispatch_assign: DispatchPayload = strawberry.mutation(
        resolver=resolve.dispatch_assign,
        description="The liaison (after claiming) or the district coordinator dispatches to a department.",
    )
    dispatch_send_back: DispatchPayload = strawberry.mutation(
        resolver=resolve.dispatch_send_back, description="The liaison sends a referral back to its community."
    )
    dispatch_department_claim: DispatchPayload = strawberry.mutation(
        resolver=resolve.dispatch_department_claim, description="The department claims (within 30 min)."
    )
    dispatch_dispute: DispatchPayload = strawberry.mutation(
        resolver=resolve.dispatch_dispute, description="The department says it is not theirs: coordination."
    )
    dispatch_feedback: DispatchPayload = strawberry.mutation(
        resolver=resolve.dispatch_feedback, description="The department feeds back with proof (within 48 h)."
    )
    dispatch_confirm: DispatchPayload = strawberry.mutation(
        resolver=resolve.dispatch_confirm, description="The outpost reporter confirms the feedback."
    )
