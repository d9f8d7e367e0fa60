"""Queries and mutations of the red points economy: decode ids, call services.points, map."""

from __future__ import annotations

from typing import Any

import strawberry

from api.context import Info
from api.ids import decode_cursor, decode_global_id
from api.resolvers.payloads import answered, guarded, rate_checked
from api.resolvers.points import mapping
from api.schema.common import Connection
from api.schema.connections import connection
from api.schema.points import types
from services import points
from services.paging import clamp_first


def _community(value: str) -> int:
    return decode_global_id(value, "Community", "communityId")


async def my_points(info: Info, community_id: strawberry.ID) -> types.MyPoints:
    cid = _community(community_id)
    account_id, balance = await points.my_account(info.context.viewer, cid)
    return types.MyPoints(balance=balance, community_id=cid, account_id=account_id)


async def reward_catalog(
    info: Info,
    community_id: strawberry.ID,
    first: int | None = None,
    after: str | None = None,
    include_inactive: bool = False,
) -> Connection[types.Reward]:
    viewer, cid = info.context.viewer, _community(community_id)
    size, after_id = clamp_first(first), decode_cursor(after)
    rows = await points.catalog(viewer, cid, size, after_id, include_inactive)
    return connection(
        rows[:size],
        len(rows) > size,
        types.Reward.of,
        lambda: points.catalog_count(viewer, cid, include_inactive),
        after_id,
    )


async def my_redemptions(
    info: Info, community_id: strawberry.ID, first: int | None = None, after: str | None = None
) -> Connection[types.Redemption]:
    viewer, cid = info.context.viewer, _community(community_id)
    size, before_id = clamp_first(first), decode_cursor(after)
    rows = await points.my_redemptions(viewer, cid, size, before_id)
    return connection(
        rows[:size],
        len(rows) > size,
        lambda row: mapping.redemption(row, viewer),
        lambda: points.my_redemptions_count(viewer, cid),
        before_id,
    )


async def pending_pickups(
    info: Info, community_id: strawberry.ID, first: int | None = None, after: str | None = None
) -> Connection[types.Redemption]:
    viewer, cid = info.context.viewer, _community(community_id)
    size, after_id = clamp_first(first), decode_cursor(after)
    rows = await points.pending_pickups(viewer, cid, size, after_id)
    return connection(
        rows[:size],
        len(rows) > size,
        lambda row: mapping.redemption(row, viewer),
        lambda: points.pending_pickups_count(viewer, cid),
        after_id,
    )


async def economy_summary(info: Info, community_id: strawberry.ID) -> types.EconomySummary:
    cid = _community(community_id)
    summary = mapping.economy(await points.economy(info.context.viewer, cid))
    summary.community_id = cid  # for feeCollection beside the points
    return summary


async def point_rules(info: Info, community_id: strawberry.ID) -> types.PointRules:
    return mapping.point_rules(await points.current_rules(info.context.viewer, _community(community_id)))


async def _redemption_payload(info: Info, row: Any, balance: int | None = None) -> types.RedemptionPayload:
    """`balance`: the viewer's, when the change just made knows it."""
    viewer = info.context.viewer
    if row.user_id != viewer.user_id:
        balance = None
    elif balance is None:
        balance = await points.balance(viewer, row.community_id)
    return types.RedemptionPayload(redemption=mapping.redemption(row, viewer), balance=balance)


async def reward_redeem(info: Info, input: types.RewardRedeemInput) -> types.RedemptionPayload:
    async def work() -> types.RedemptionPayload:
        viewer = info.context.viewer
        reward = await points.get_reward(
            viewer, decode_global_id(input.reward_id, "Reward", "rewardId"), "rewardId"
        )
        await rate_checked(info, "redeem", viewer.user_id)
        done = await points.redeemed(viewer, reward, input.idempotency_key)
        # The answer's reward is the one read above (its stock as this redemption left it).
        info.context.loaders.points.reward_by_id.prime(reward.id, reward)
        return await _redemption_payload(info, done.redemption, done.balance)

    return await guarded(types.RedemptionPayload, work())


async def redemption_cancel(info: Info, input: types.RedemptionCancelInput) -> types.RedemptionPayload:
    async def work() -> types.RedemptionPayload:
        redemption_id = decode_global_id(input.redemption_id, "Redemption", "redemptionId")
        row = await points.cancel(info.context.viewer, redemption_id)
        return await _redemption_payload(info, row)

    return await guarded(types.RedemptionPayload, work())


async def redemption_fulfil(info: Info, input: types.RedemptionFulfilInput) -> types.RedemptionPayload:
    async def work() -> types.RedemptionPayload:
        row = await points.fulfil(info.context.viewer, input.pickup_code)
        return await _redemption_payload(info, row)

    return await guarded(types.RedemptionPayload, work())


async def _manual(info: Info, input: types.PointsManualInput, award: bool) -> types.PointTransferPayload:
    async def work() -> types.PointTransferPayload:
        cid = _community(input.community_id)
        user_id = decode_global_id(input.user_id, "User", "userId")
        row = await points.manual(
            info.context.viewer, cid, user_id, input.amount, input.reason, input.idempotency_key, award=award
        )
        return types.PointTransferPayload(transfer=types.PointTransfer.of(row, await points.member_side(row)))

    return await guarded(types.PointTransferPayload, work())


async def points_award(info: Info, input: types.PointsManualInput) -> types.PointTransferPayload:
    return await _manual(info, input, award=True)


async def points_deduct(info: Info, input: types.PointsManualInput) -> types.PointTransferPayload:
    return await _manual(info, input, award=False)


async def point_transfer_reverse(
    info: Info, input: types.PointTransferReverseInput
) -> types.PointTransferPayload:
    async def work() -> types.PointTransferPayload:
        transfer_id = decode_global_id(input.transfer_id, "PointTransfer", "transferId")
        row = await points.reverse(info.context.viewer, transfer_id, input.reason)
        return types.PointTransferPayload(transfer=types.PointTransfer.of(row, await points.member_side(row)))

    return await guarded(types.PointTransferPayload, work())


async def reward_create(info: Info, input: types.RewardCreateInput) -> types.RewardPayload:
    return await answered(
        types.RewardPayload,
        "reward",
        types.Reward.of,
        lambda: points.create_reward(
            info.context.viewer,
            _community(input.community_id),
            kind=input.kind,
            name=input.name,
            cost=input.cost,
            description=input.description,
            stock=input.stock,
            monthly_limit=input.monthly_limit,
            active_from=input.active_from,
            active_until=input.active_until,
            image_url=input.image_url,
            idempotency_key=input.idempotency_key,
        ),
    )


_NOT_NULL = {"name", "description", "cost", "image_url", "is_active"}


async def reward_update(info: Info, input: types.RewardUpdateInput) -> types.RewardPayload:
    async def work() -> types.RewardPayload:
        viewer = info.context.viewer
        reward = await points.get_reward(viewer, decode_global_id(input.id, "Reward", "id"))
        changes: dict[str, Any] = {}
        for name in (
            "name",
            "description",
            "cost",
            "stock",
            "monthly_limit",
            "active_from",
            "active_until",
            "image_url",
            "is_active",
        ):
            value = getattr(input, name)
            if value is strawberry.UNSET or (value is None and name in _NOT_NULL):
                continue
            changes[name] = value
        return types.RewardPayload(
            reward=types.Reward.of(await points.update_reward(viewer, reward, **changes))
        )

    return await guarded(types.RewardPayload, work())


async def point_rules_update(info: Info, input: types.PointRulesUpdateInput) -> types.PointRulesPayload:
    async def work() -> types.PointRulesPayload:
        changes: dict[str, Any] = {}
        for name in (
            "attendance_base",
            "attendance_per_minute",
            "attendance_min_minutes",
            "report_validated",
            "repair_base",
            "repair_within_clock_bonus",
            "repair_rating_bonus",
            "inspection",
            "ranking_bonus",
            "redemption_pickup_days",
        ):
            value = getattr(input, name)
            if value is not None:
                changes[name] = value
        if input.daily_caps is not None:
            changes["daily_caps"] = {str(cap.kind): cap.points for cap in input.daily_caps}
        if input.multipliers is not None:
            changes["multipliers"] = [
                points.multiplier(str(m.kind), m.percent, m.starts_at, m.ends_at, m.activity_kind)
                for m in input.multipliers
            ]
        if input.expiry is not None:
            changes["expiry"] = points.expiry_policy(
                str(input.expiry.mode), input.expiry.years_after, input.expiry.days
            )
        updated = await points.update_rules(info.context.viewer, _community(input.community_id), changes)
        return types.PointRulesPayload(rules=mapping.point_rules(updated))

    return await guarded(types.PointRulesPayload, work())


NODE_TYPES = ("PointTransfer", "Reward", "Redemption")


async def points_node(
    info: Info, type_name: str, row_id: int
) -> types.PointTransfer | types.Reward | types.Redemption:
    """A points object for `node(id)`: the member's own transfers and redemptions, all of them for
    the community's office, rewards for every member."""
    viewer = info.context.viewer
    if type_name == "PointTransfer":
        row, member_account_id = await points.get_transfer(viewer, row_id)
        return types.PointTransfer.of(row, member_account_id)
    if type_name == "Reward":
        return types.Reward.of(await points.get_reward(viewer, row_id))
    return mapping.redemption(await points.get_redemption(viewer, row_id), viewer)
