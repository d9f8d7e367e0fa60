"""Red points: balances, history, the catalog, redemptions, the economy, the rules."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay

from api.context import Info
from api.ids import decode_cursor
from api.schema.common import Connection, UserError
from api.schema.connections import connection
from api.schema.fees.types import FeeCollectionRate, economy_fee_collection
from models import ledger as ledger_models
from models import rewards as reward_models
from models.ledger import TransferKind
from models.rewards import RedemptionStatus, RewardKind
from points_engine.redemption import is_available
from points_engine.rules import ExpiryMode
from runtime import clock
from services import points as points_service
from services.paging import clamp_first

strawberry.enum(TransferKind, description="What a transfer of points was for.")
strawberry.enum(
    ExpiryMode,
    description="NEVER; END_OF_YEAR: at the end of the calendar year `yearsAfter` years after the one "
    "the points were earned in; AFTER_DAYS: `days` days after they were earned.",
)
strawberry.enum(RewardKind, description="A gift handed over at the office, or a service done at home.")
strawberry.enum(RedemptionStatus)


@strawberry.type(
    description="One movement of points on your account. Never edited; corrections are reversals."
)
class PointTransfer(relay.Node):
    id: relay.NodeID[int]
    amount: int = strawberry.field(description="Signed: positive when points came to you.")
    kind: TransferKind
    memo: str = strawberry.field(description="What it was for, in words.")
    source: str = strawberry.field(description="The event that caused it, e.g. `report:12:validated`.")
    entered_by_hand: bool = strawberry.field(
        description="Awarded or deducted by staff by hand, not earned through a verified check-in or report."
    )
    rule_version: int | None = strawberry.field(description="The version of the rules that priced it.")
    reverses: relay.GlobalID | None = strawberry.field(description="The transfer this one reverses.")
    created_at: datetime

    @classmethod
    def of(cls, row: ledger_models.PointTransfer, member_account_id: int | None) -> PointTransfer:
        """Signed for the member whose account is `member_account_id`."""
        signed = row.amount if row.credit_id == member_account_id else -row.amount
        reverses = row.reverses_id
        return cls(
            id=row.id,
            amount=int(signed),
            kind=TransferKind(row.kind),
            memo=row.memo,
            source=row.source_key,
            entered_by_hand=row.by_hand,
            rule_version=row.rule_version,
            reverses=None if reverses is None else relay.GlobalID("PointTransfer", str(reverses)),
            created_at=row.created_at,
        )


@strawberry.type(description="Points of yours that will expire at one moment.")
class PointExpiry:
    points: int
    expires_at: datetime


@strawberry.type(description="Your points in one community.")
class MyPoints:
    balance: int
    community_id: strawberry.Private[int]
    account_id: strawberry.Private[int | None]

    @strawberry.field(
        description="What expires when, soonest first: your oldest points are spent first, and "
        "what is left of them expires on the date shown."
    )
    async def upcoming_expiries(self, info: Info, first: int | None = 10) -> list[PointExpiry]:
        due = await points_service.upcoming_expiries(
            info.context.viewer, self.community_id, self.account_id, clamp_first(first)
        )
        return [PointExpiry(points=amount, expires_at=at) for at, amount in due]

    @strawberry.field(description="Newest first.")
    async def history(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[PointTransfer]:
        viewer = info.context.viewer
        size, before_id = clamp_first(first), decode_cursor(after)
        page = await points_service.history(viewer, self.community_id, self.account_id, size, before_id)

        async def count() -> int:
            if page.total is not None:
                return page.total
            return await points_service.history_count(viewer, self.community_id, self.account_id)

        return connection(
            page.items, page.has_next, lambda row: PointTransfer.of(row, self.account_id), count, before_id
        )


@strawberry.type(description="A gift or service voucher that points buy.")
class Reward(relay.Node):
    id: relay.NodeID[int]
    kind: RewardKind
    name: str
    description: str
    cost: int
    stock: int | None = strawberry.field(description="Left in stock; null when not counted.")
    monthly_limit: int | None = strawberry.field(description="Times one member may redeem it a month.")
    active_from: datetime | None
    active_until: datetime | None
    image_url: str
    is_active: bool
    available_now: bool

    @classmethod
    def of(cls, row: reward_models.Reward) -> Reward:
        return cls(
            id=row.id,
            kind=row.kind,
            name=row.name,
            description=row.description,
            cost=row.cost,
            stock=row.stock,
            monthly_limit=row.monthly_limit,
            active_from=row.active_from,
            active_until=row.active_until,
            image_url=row.image_url,
            is_active=row.is_active,
            available_now=is_available(row, clock.now()),
        )


@strawberry.type(description="Points spent on a reward, waiting to be picked up or closed.")
class Redemption(relay.Node):
    id: relay.NodeID[int]
    cost: int
    status: RedemptionStatus
    created_at: datetime
    expires_at: datetime = strawberry.field(description="Not picked up by then, it expires and refunds.")
    fulfilled_at: datetime | None
    closed_at: datetime | None
    pickup_code: str | None = strawberry.field(
        description="Show it (or its QR image) at the office. Only you see it, while it is pending."
    )
    pickup_qr_url: str | None
    reward_id: strawberry.Private[int]

    @strawberry.field
    async def reward(self, info: Info) -> Reward:
        row = await info.context.loaders.points.reward_by_id.load(self.reward_id)
        assert row is not None
        return Reward.of(row)


@strawberry.type
class EconomyMonth:
    month: str = strawberry.field(description="YYYY-MM in the community's time zone.")
    issued: int
    redeemed: int
    expired: int
    outstanding: int = strawberry.field(description="Held by members at the end of the month.")


@strawberry.type(description="Where the community's points went. Public to every member.")
class EconomySummary:
    issued: int
    redeemed: int
    expired: int
    outstanding: int
    months: list[EconomyMonth]
    community_id: strawberry.Private[int] = 0
    fee_collection: list[FeeCollectionRate] = strawberry.field(
        resolver=economy_fee_collection,
        description="Beside the points: property fees' collection rate by month of this year.",
    )


@strawberry.type
class DailyCap:
    kind: TransferKind
    points: int


@strawberry.type
class PointMultiplier:
    kind: TransferKind
    activity_kind: str | None
    percent: int
    starts_at: datetime
    ends_at: datetime


@strawberry.type(description="When points expire; fixed for each point when it is earned.")
class PointExpiryPolicy:
    mode: ExpiryMode
    years_after: int
    days: int


@strawberry.type(description="How many points each verified event earns. A change starts a new version.")
class PointRules:
    version: int
    attendance_base: int
    attendance_per_minute: int
    attendance_min_minutes: int
    report_validated: int
    repair_base: int
    repair_within_clock_bonus: int
    repair_rating_bonus: int
    inspection: int
    ranking_bonus: list[int]
    daily_caps: list[DailyCap]
    multipliers: list[PointMultiplier]
    redemption_pickup_days: int
    expiry: PointExpiryPolicy


# Inputs and payloads --------------------------------------------------------------------------


@strawberry.input
class RewardRedeemInput:
    reward_id: strawberry.ID
    idempotency_key: str = strawberry.field(description="A retry with the same key returns the first result.")


@strawberry.input
class RedemptionCancelInput:
    redemption_id: strawberry.ID


@strawberry.input
class RedemptionFulfilInput:
    pickup_code: str


@strawberry.type
class RedemptionPayload:
    redemption: Redemption | None = None
    balance: int | None = strawberry.field(default=None, description="Your balance afterwards.")
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class PointsManualInput:
    community_id: strawberry.ID
    user_id: strawberry.ID
    amount: int
    reason: str
    idempotency_key: str


@strawberry.input
class PointTransferReverseInput:
    transfer_id: strawberry.ID
    reason: str


@strawberry.type
class PointTransferPayload:
    transfer: PointTransfer | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class RewardCreateInput:
    community_id: strawberry.ID
    kind: RewardKind
    name: str
    cost: int
    description: str = ""
    stock: int | None = None
    monthly_limit: int | None = None
    active_from: datetime | None = None
    active_until: datetime | None = None
    image_url: str = ""
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="A fresh key per action; a retry with it within 24 h returns the first result.",
    )


@strawberry.input(description="Only the fields given change; null clears stock, limit and window.")
class RewardUpdateInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    cost: int | None = strawberry.UNSET
    stock: int | None = strawberry.UNSET
    monthly_limit: int | None = strawberry.UNSET
    active_from: datetime | None = strawberry.UNSET
    active_until: datetime | None = strawberry.UNSET
    image_url: str | None = strawberry.UNSET
    is_active: bool | None = strawberry.UNSET


@strawberry.type
class RewardPayload:
    reward: Reward | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class DailyCapInput:
    kind: TransferKind
    points: int


@strawberry.input
class PointMultiplierInput:
    kind: TransferKind
    percent: int
    starts_at: datetime
    ends_at: datetime
    activity_kind: str | None = None


@strawberry.input(description="Points earned from now on follow it; points already held keep their dates.")
class PointExpiryPolicyInput:
    mode: ExpiryMode
    years_after: int = 1
    days: int = 365


@strawberry.input(description="Fields left out keep their value; lists given replace the whole list.")
class PointRulesUpdateInput:
    community_id: strawberry.ID
    attendance_base: int | None = None
    attendance_per_minute: int | None = None
    attendance_min_minutes: int | None = None
    report_validated: int | None = None
    repair_base: int | None = None
    repair_within_clock_bonus: int | None = None
    repair_rating_bonus: int | None = None
    inspection: int | None = None
    ranking_bonus: list[int] | None = None
    daily_caps: list[DailyCapInput] | None = None
    multipliers: list[PointMultiplierInput] | None = None
    redemption_pickup_days: int | None = None
    expiry: PointExpiryPolicyInput | None = None


@strawberry.type
class PointRulesPayload:
    rules: PointRules | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
