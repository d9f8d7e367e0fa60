"""The Query and Mutation fields of the red points economy, merged into the root schema."""

from __future__ import annotations

import strawberry

from api.resolvers.points import operations as resolve
from api.schema.common import Connection
from api.schema.points.types import (
    EconomySummary,
    MyPoints,
    PointRules,
    PointRulesPayload,
    PointTransferPayload,
    Redemption,
    RedemptionPayload,
    Reward,
    RewardPayload,
)


@strawberry.type
class PointsQuery:
    my_points: MyPoints = strawberry.field(
        resolver=resolve.my_points, description="Your balance and history."
    )
    reward_catalog: Connection[Reward] = strawberry.field(
        resolver=resolve.reward_catalog,
        description="What points buy here. Staff may include inactive rewards.",
    )
    my_redemptions: Connection[Redemption] = strawberry.field(
        resolver=resolve.my_redemptions, description="Your redemptions, newest first."
    )
    pending_pickups: Connection[Redemption] = strawberry.field(
        resolver=resolve.pending_pickups,
        description="Staff: redemptions waiting to be handed over, oldest first.",
    )
    economy_summary: EconomySummary = strawberry.field(
        resolver=resolve.economy_summary,
        description="Points issued, redeemed, expired and outstanding, by month.",
    )
    point_rules: PointRules = strawberry.field(
        resolver=resolve.point_rules, description="The rules in force."
    )


@strawberry.type
class PointsMutation:
    reward_redeem: RedemptionPayload = strawberry.mutation(
        resolver=resolve.reward_redeem, description="Spend points on a reward; you get a pickup code."
    )
    redemption_cancel: RedemptionPayload = strawberry.mutation(
        resolver=resolve.redemption_cancel,
        description="Cancel a pending redemption (yours, or any as staff); the points come back.",
    )
    redemption_fulfil: RedemptionPayload = strawberry.mutation(
        resolver=resolve.redemption_fulfil, description="Staff: hand over a reward by its pickup code."
    )
    points_award: PointTransferPayload = strawberry.mutation(
        resolver=resolve.points_award, description="Staff: award points by hand, with a reason."
    )
    points_deduct: PointTransferPayload = strawberry.mutation(
        resolver=resolve.points_deduct, description="Staff: deduct points by hand, with a reason."
    )
    point_transfer_reverse: PointTransferPayload = strawberry.mutation(
        resolver=resolve.point_transfer_reverse, description="Staff: reverse a transfer, once."
    )
    reward_create: RewardPayload = strawberry.mutation(resolver=resolve.reward_create, description="Staff.")
    reward_update: RewardPayload = strawberry.mutation(resolver=resolve.reward_update, description="Staff.")
    point_rules_update: PointRulesPayload = strawberry.mutation(
        resolver=resolve.point_rules_update, description="Staff: write a new version of the rules."
    )
