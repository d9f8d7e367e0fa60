"""The catalog and redemptions: points for gifts and service vouchers.

Lock order inside every transaction here, the same as the ledger's: the redemption row, the
reward row, the member's account, then system accounts. Stock moves by conditional UPDATE
(`stock >= 1`), status by conditional UPDATE (`status = pending`), so a double click, two staff
scanning at once or a cancel racing the expiry job each take effect once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.ledger import AccountKind, PointAccount, PointTransfer, TransferKind
from models.rewards import PointRules, Redemption, RedemptionStatus, Reward, RewardKind
from points_engine import accounts, ledger, pickup, rules
from points_engine.errors import ErrorCode, PointsError
from points_engine.localtime import local_month, timezone_of
from runtime import clock
from runtime.database import columns, fetch, insert_new, row_of
from runtime.i18n import N_
from runtime.labels import word

NAME_MAX = 100
DESCRIPTION_MAX = 500
IMAGE_URL_MAX = 500
MAX_COST = 1_000_000
MAX_STOCK = 1_000_000
LIVE = (RedemptionStatus.PENDING, RedemptionStatus.FULFILLED)


@dataclass(frozen=True)
class Redeemed:
    redemption: Redemption
    created: bool  # False: a replay of the same idempotency key
    balance: int | None = None  # the member's balance as this redemption left it (not on a replay)


def _invalid(message: str, field: str, **params: Any) -> PointsError:
    return PointsError(ErrorCode.INVALID_INPUT, message, field, **params)


def _clean_reward_fields(values: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        if name == "name":
            value = " ".join((value or "").split())
            if not 1 <= len(value) <= NAME_MAX:
                raise _invalid(N_("Enter a name of 1 to {name_max} characters."), "name", name_max=NAME_MAX)
        elif name == "description":
            value = (value or "").strip()
            if len(value) > DESCRIPTION_MAX:
                raise _invalid(
                    N_("At most {description_max} characters."),
                    "description",
                    description_max=DESCRIPTION_MAX,
                )
        elif name == "image_url":
            value = (value or "").strip()
            if value and (len(value) > IMAGE_URL_MAX or not value.startswith(("https://", "http://"))):
                raise _invalid(N_("The image must be an http(s) address."), "imageUrl")
        elif name == "cost":
            if not isinstance(value, int) or not 1 <= value <= MAX_COST:
                raise PointsError(
                    ErrorCode.INVALID_AMOUNT,
                    N_("Cost must be 1 to {max_cost} points."),
                    "cost",
                    max_cost=MAX_COST,
                )
        elif name in ("stock", "monthly_limit"):
            field = "stock" if name == "stock" else "monthlyLimit"
            if value is not None and (not isinstance(value, int) or not 0 <= value <= MAX_STOCK):
                raise _invalid(
                    N_("Must be 0 to {max_stock}, or empty for no limit."), field, max_stock=MAX_STOCK
                )
        elif name == "kind":
            value = RewardKind(value)
        elif name in ("active_from", "active_until", "is_active"):
            pass
        else:
            raise _invalid(N_("Unknown field {name}."), name, name=name)
        cleaned[name] = value
    start, end = cleaned.get("active_from"), cleaned.get("active_until")
    if start is not None and end is not None and end <= start:
        raise _invalid(N_("The window must end after it starts."), "activeUntil")
    return cleaned


async def create_reward(community_id: int, **values: Any) -> Reward:
    cleaned = _clean_reward_fields(values)
    for required in ("name", "cost", "kind"):
        if required not in cleaned:
            raise _invalid(N_("{required} is required."), required, required=required)
    now = clock.now()
    return await Reward.create(community_id=community_id, created_at=now, updated_at=now, **cleaned)


async def update_reward(community_id: int, reward_id: int, **values: Any) -> Reward:
    cleaned = _clean_reward_fields(values)
    async with in_transaction():
        reward = await Reward.filter(id=reward_id, community_id=community_id).select_for_update().first()
        if reward is None:
            raise PointsError(ErrorCode.NOT_FOUND, N_("No such reward."), "id")
        for name, value in cleaned.items():
            setattr(reward, name, value)
        if reward.active_from and reward.active_until and reward.active_until <= reward.active_from:
            raise _invalid(N_("The window must end after it starts."), "activeUntil")
        reward.updated_at = clock.now()
        await reward.save()
    return reward


def is_available(reward: Reward, at: datetime) -> bool:
    return (
        reward.is_active
        and (reward.active_from is None or reward.active_from <= at)
        and (reward.active_until is None or at < reward.active_until)
    )


# What a redemption needs to know besides the reward, read in one statement inside its
# transaction: the first redemption of the key (a replay), the member's and the community's
# redemption accounts, the rules in force (the pickup window) and the community's time zone.
# Four ORM reads were four statements, each ~0.5 ms of worker CPU for pypika and the models.
# Built on first use: the models' columns are complete once tortoise is initialised.
@cache
def _before_redeeming() -> str:
    return (
        'SELECT c."timezone" AS "timezone", r."version" AS "rules_version", r."config" AS "rules_config", '  # noqa: S608 - no values formatted in
        f"{columns(Redemption, 'd')}, {columns(PointAccount, 'm')}, {columns(PointAccount, 's')} "
        'FROM "community" c '
        'LEFT JOIN "point_rules" r ON r."community_id" = c."id" AND r."version" = '
        '(SELECT MAX(v."version") FROM "point_rules" v WHERE v."community_id" = c."id") '
        'LEFT JOIN "redemption" d '
        'ON d."user_id" = $2 AND d."community_id" = c."id" AND d."idempotency_key" = $3 '
        'LEFT JOIN "point_account" m ON m."key" = $4 '
        'LEFT JOIN "point_account" s ON s."key" = $5 '
        'WHERE c."id" = $1'
    )


_TAKE_STOCK = 'UPDATE "reward" SET "stock" = "stock" - 1 WHERE "id" = $1 AND "stock" >= 1 RETURNING "stock"'
_CONFIG = PointRules._meta.fields_map["config"]


async def redeem(
    community_id: int, user_id: int, reward_id: int, idempotency_key: str, read: Reward | None = None
) -> Redeemed:
    """`read`: the reward row the caller already read to authorize the request. Reading it again
    here bought nothing: that read was a plain one too (no lock), and what can race — the stock,
    the monthly limit — is decided below by conditional UPDATE and under the member's row lock."""
    if not 1 <= len(idempotency_key or "") <= 64:
        raise _invalid(N_("The idempotency key must be 1 to 64 characters."), "idempotencyKey")
    async with in_transaction():
        known = await fetch(
            _before_redeeming(),
            [
                community_id,
                user_id,
                idempotency_key,
                accounts.member_key(community_id, user_id),
                accounts.system_key(community_id, AccountKind.REDEMPTION),
            ],
        )
        found = known[0] if known else None
        first = None if found is None else row_of(Redemption, found, "d")
        if first is not None:
            return _replayed(first, reward_id)
        if read is not None and read.id == reward_id and read.community_id == community_id:
            reward: Reward | None = read
        else:
            reward = await Reward.get_or_none(id=reward_id, community_id=community_id)
        if reward is None:
            raise PointsError(ErrorCode.NOT_FOUND, N_("No such reward."), "rewardId")
        now = clock.now()
        if not is_available(reward, now):
            raise PointsError(ErrorCode.REWARD_UNAVAILABLE, N_("This reward is not offered now."), "rewardId")
        if found is None:
            raise PointsError(ErrorCode.NOT_FOUND, N_("No such community."), "communityId")
        member = row_of(PointAccount, found, "m") or await accounts.member_account(community_id, user_id)
        assert member is not None
        zone = str(found["timezone"])
        in_force = (
            rules.Rules()
            if found["rules_version"] is None
            else rules.from_json(found["rules_version"], _CONFIG.to_python_value(found["rules_config"]))
        )
        redemption = await insert_new(
            Redemption,
            {
                "community_id": community_id,
                "reward_id": reward.id,
                "user_id": user_id,
                "account_id": member.id,
                "cost": reward.cost,
                "status": RedemptionStatus.PENDING,
                "idempotency_key": idempotency_key,
                "pickup_nonce": pickup.new_nonce(),
                "local_month": local_month(now, zone),
                "created_at": now,
                "expires_at": now + timedelta(days=in_force.redemption_pickup_days),
                "fulfilled_at": None,
                "fulfilled_by_id": None,
                "closed_at": None,
                "closed_by_id": None,
            },
            unique=("user_id", "community_id", "idempotency_key"),
        )
        if redemption is None:
            # The same key, sent twice at once: the first to commit stands.
            first = await Redemption.get_or_none(
                user_id=user_id, community_id=community_id, idempotency_key=idempotency_key
            )
            if first is None:
                raise IntegrityError(f"redemption key {idempotency_key!r} of user {user_id} is taken")
            return _replayed(first, reward_id)
        if reward.stock is not None:
            taken = await fetch(_TAKE_STOCK, [reward.id])
            if not taken:
                raise PointsError(ErrorCode.OUT_OF_STOCK, N_("This reward is out of stock."), "rewardId")
            reward.stock = int(taken[0]["stock"])  # as this redemption left it
        if reward.monthly_limit is not None:
            # Holding the member's row, count this month's redemptions of the reward.
            await accounts.lock(member)
            held = (
                await Redemption.filter(
                    user_id=user_id, reward_id=reward.id, local_month=redemption.local_month, status__in=LIVE
                )
                .exclude(id=redemption.id)
                .count()
            )
            if held >= reward.monthly_limit:
                raise PointsError(
                    ErrorCode.OVER_MONTHLY_LIMIT,
                    N_("You can redeem this {monthly_limit} time(s) a month."),
                    "rewardId",
                    monthly_limit=reward.monthly_limit,
                )
        sink = row_of(PointAccount, found, "s") or await accounts.system_account(
            community_id, AccountKind.REDEMPTION
        )
        await ledger.post(
            debit=member,
            credit=sink,
            amount=reward.cost,
            kind=TransferKind.REDEMPTION,
            source_key=f"redemption:{redemption.id}",
            memo=reward.name,
            actor_user_id=user_id,
            timezone=zone,
            fresh_source=True,  # the redemption row was inserted above, in this transaction
        )
    return Redeemed(redemption, True, balance=int(member.balance))


async def grant(community_id: int, user_id: int, reward_id: int, source_key: str) -> Redemption:
    """A gift the community gives (a fee offer's gift): a redemption at zero points, so it has a
    pickup code, takes stock and is handed over like any other; no transfer is posted. The
    source key (the event that earned it) makes it happen once."""
    existing = await Redemption.get_or_none(
        user_id=user_id, community_id=community_id, idempotency_key=source_key
    )
    if existing is not None:
        return existing
    reward = await Reward.get_or_none(id=reward_id, community_id=community_id)
    if reward is None or not is_available(reward, clock.now()):
        raise PointsError(ErrorCode.REWARD_UNAVAILABLE, N_("This gift is not offered now."), "rewardId")
    now = clock.now()
    member = await accounts.member_account(community_id, user_id)
    assert member is not None
    zone = await timezone_of(community_id)
    pickup_days = (await rules.current(community_id)).redemption_pickup_days
    async with in_transaction():
        if reward.stock is not None:
            taken = await Reward.filter(id=reward.id, stock__gte=1).update(stock=F("stock") - 1)
            if not taken:
                raise PointsError(ErrorCode.OUT_OF_STOCK, N_("This gift is out of stock."), "rewardId")
        return await Redemption.create(
            community_id=community_id,
            reward_id=reward.id,
            user_id=user_id,
            account_id=member.id,
            cost=0,
            idempotency_key=source_key,
            pickup_nonce=pickup.new_nonce(),
            local_month=local_month(now, zone),
            created_at=now,
            expires_at=now + timedelta(days=pickup_days),
        )


def _replayed(first: Redemption, reward_id: int) -> Redeemed:
    if first.reward_id != reward_id:
        raise PointsError(
            ErrorCode.IDEMPOTENCY_KEY_REUSED,
            N_("This key was used for another reward."),
            "idempotencyKey",
        )
    return Redeemed(first, False)


async def close(redemption: Redemption, status: RedemptionStatus, actor_user_id: int | None) -> Redemption:
    """Cancel or expire a pending redemption: refund the points and put the stock back, once."""
    now = clock.now()
    async with in_transaction():
        won = await Redemption.filter(id=redemption.id, status=RedemptionStatus.PENDING).update(
            status=status, closed_at=now, closed_by_id=actor_user_id
        )
        if not won:
            current = await Redemption.get(id=redemption.id)
            raise _not_pending(current)
        reward = await Reward.get(id=redemption.reward_id)
        if reward.stock is not None:
            await Reward.filter(id=reward.id).update(stock=F("stock") + 1)
        if redemption.cost == 0:
            return await Redemption.get(id=redemption.id)  # a gift (grant): no points to refund
        member = await accounts.member_account(redemption.community_id, redemption.user_id, create=False)
        sink = await accounts.system_account(redemption.community_id, AccountKind.REDEMPTION)
        assert member is not None
        charge = await PointTransfer.get(source_key=f"redemption:{redemption.id}")
        await ledger.post(
            debit=sink,
            credit=member,
            amount=redemption.cost,
            kind=TransferKind.REDEMPTION_REFUND,
            source_key=f"redemption:{redemption.id}:refund",
            memo=f"{reward.name} {status}",
            actor_user_id=actor_user_id,
            undoes_id=charge.id,
        )
        return await Redemption.get(id=redemption.id)


def _not_pending(redemption: Redemption) -> PointsError:
    if redemption.status == RedemptionStatus.FULFILLED:
        return PointsError(ErrorCode.ALREADY_FULFILLED, N_("This was already handed over."), "id")
    return PointsError(
        ErrorCode.REDEMPTION_CLOSED,
        N_("This redemption is {status}."),
        "id",
        status=word(redemption.status),
    )


async def by_pickup_code(code: str) -> Redemption | None:
    nonce = pickup.nonce_of(code)
    return None if nonce is None else await Redemption.get_or_none(pickup_nonce=nonce)


async def fulfil(redemption: Redemption, actor_user_id: int) -> Redemption:
    now = clock.now()
    async with in_transaction():
        if redemption.status == RedemptionStatus.PENDING and redemption.expires_at <= now:
            # Past its pickup window but the expiry job has not run yet: it is expired.
            raise PointsError(ErrorCode.REDEMPTION_CLOSED, N_("This pickup code has expired."), "pickupCode")
        won = await Redemption.filter(
            id=redemption.id, status=RedemptionStatus.PENDING, expires_at__gt=now
        ).update(status=RedemptionStatus.FULFILLED, fulfilled_at=now, fulfilled_by_id=actor_user_id)
        current = await Redemption.get(id=redemption.id)
        if not won:
            raise _not_pending(current)
        return current


async def expire_due(limit: int = 500) -> int:
    """The expiry job: close every pending redemption past its pickup window. Idempotent: a
    redemption closed meanwhile (fulfilled, cancelled, expired by another run) is skipped."""
    now = clock.now()
    due = (
        await Redemption.filter(status=RedemptionStatus.PENDING, expires_at__lte=now)
        .order_by("id")
        .limit(limit)
    )
    expired = 0
    for redemption in due:
        try:
            await close(redemption, RedemptionStatus.EXPIRED, None)
        except PointsError:
            continue
        expired += 1
    return expired
