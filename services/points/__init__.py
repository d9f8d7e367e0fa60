"""The red points economy as the app may use it: who may do what, then the engine does it.

The engine knows nothing of viewers; every function here checks the caller first and turns the
engine's errors into DomainErrors with the same code.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from models.ledger import AccountKind, PointAccount, PointTransfer
from models.rewards import Redemption, RedemptionStatus, Reward
from points_engine import accounts, earning, expiry, lots, pickup, redemption, rules, statements
from points_engine.ledger import Posted
from runtime.database import by_id
from runtime.i18n import N_
from services import idempotency
from services.access import Viewer
from services.errors import DomainError, ErrorCode


def _not_found(field: str) -> DomainError:
    return DomainError(ErrorCode.NOT_FOUND, N_("Not found."), field)


# Reading ---------------------------------------------------------------------------------------


async def balance(viewer: Viewer, community_id: int) -> int:
    viewer.require_member(community_id)
    return await statements.balance(community_id, viewer.user_id)


async def my_account(viewer: Viewer, community_id: int) -> tuple[int | None, int]:
    """The caller's account id (None before their first points) and balance, read once so the
    history, its count and the expiries below need no second look-up."""
    viewer.require_member(community_id)
    account = await accounts.member_account(community_id, viewer.user_id, create=False)
    return (None, 0) if account is None else (account.id, int(account.balance))


async def history(
    viewer: Viewer, community_id: int, account_id: int | None, first: int, before_id: int | None
) -> statements.Page:
    """`account_id` comes from `my_account` for the same viewer."""
    viewer.require_member(community_id)
    return await statements.account_history(account_id, first, before_id)


async def history_count(viewer: Viewer, community_id: int, account_id: int | None) -> int:
    viewer.require_member(community_id)
    return await statements.account_history_count(account_id)


async def economy(viewer: Viewer, community_id: int) -> statements.Economy:
    """Public within the community: every account was public in the story this app comes from."""
    viewer.require_member(community_id)
    return await statements.economy(community_id)


async def current_rules(viewer: Viewer, community_id: int) -> rules.Rules:
    viewer.require_member(community_id)
    return await rules.current(community_id)


async def catalog(
    viewer: Viewer, community_id: int, first: int, after_id: int | None, include_inactive: bool
) -> list[Reward]:
    viewer.require_member(community_id)
    query = Reward.filter(community_id=community_id)
    if not (include_inactive and viewer.manages(community_id)):
        query = query.filter(is_active=True)
    if after_id is not None:
        query = query.filter(id__gt=after_id)
    rows = await query.order_by("id").limit(first + 1)
    return list(rows)


async def my_redemptions(
    viewer: Viewer, community_id: int, first: int, before_id: int | None
) -> list[Redemption]:
    viewer.require_member(community_id)
    return await statements.redemptions_of(community_id, viewer.user_id, first, before_id)


async def pending_pickups(
    viewer: Viewer, community_id: int, first: int, after_id: int | None
) -> list[Redemption]:
    viewer.require_manager(community_id)
    return await statements.pending_pickups(community_id, first, after_id)


def can_see_redemption(viewer: Viewer, row: Redemption) -> bool:
    return viewer.manages(row.community_id) or (
        viewer.is_member(row.community_id) and viewer.user is not None and row.user_id == viewer.user.id
    )


def pickup_code(viewer: Viewer, row: Redemption) -> str | None:
    """Only the member who redeemed holds the code, and only while it can be handed over."""
    if viewer.user is None or row.user_id != viewer.user.id or row.status != RedemptionStatus.PENDING:
        return None
    return pickup.code_for(row.pickup_nonce)


async def get_redemption(viewer: Viewer, redemption_id: int, field: str = "id") -> Redemption:
    viewer.require_user()
    row = await Redemption.get_or_none(id=redemption_id)
    if row is None or not can_see_redemption(viewer, row):
        raise _not_found(field)
    return row


async def get_transfer(
    viewer: Viewer, transfer_id: int, field: str = "id"
) -> tuple[PointTransfer, int | None]:
    """A transfer and the member account it touched: the member sees their own, the community's
    office sees every one; anyone else gets NOT_FOUND."""
    viewer.require_user()
    row = await PointTransfer.get_or_none(id=transfer_id)
    if row is None or not viewer.is_member(row.community_id):
        raise _not_found(field)
    member = await PointAccount.filter(id__in=[row.debit_id, row.credit_id], kind=AccountKind.MEMBER).first()
    own = member is not None and member.user_id == viewer.user_id
    if not (own or viewer.manages(row.community_id)):
        raise _not_found(field)
    return row, None if member is None else member.id


async def get_reward(viewer: Viewer, reward_id: int, field: str = "id") -> Reward:
    viewer.require_user()
    row = await by_id(Reward, reward_id)  # hand-written: every redemption reads its reward here
    if row is None or not viewer.is_member(row.community_id):
        raise _not_found(field)
    return row


# Changing --------------------------------------------------------------------------------------


async def redeem(viewer: Viewer, reward: Reward, idempotency_key: str) -> Redemption:
    """`reward` as get_reward returned it: authorized, and read once for the whole request."""
    return (await redeemed(viewer, reward, idempotency_key)).redemption


async def redeemed(viewer: Viewer, reward: Reward, idempotency_key: str) -> redemption.Redeemed:
    """`redeem` with what it knows besides the row: whether this call made it, and the viewer's
    balance as it left it (so the answer need not read it again). `reward` is kept up to date
    with the stock this redemption took."""
    viewer.require_member(reward.community_id)
    return await redemption.redeem(
        reward.community_id, viewer.user_id, reward.id, idempotency_key, read=reward
    )


async def cancel(viewer: Viewer, redemption_id: int) -> Redemption:
    row = await get_redemption(viewer, redemption_id)
    if row.user_id != viewer.user_id:
        viewer.require_manager(row.community_id)
    return await redemption.close(row, RedemptionStatus.CANCELLED, viewer.user_id)


async def fulfil(viewer: Viewer, code: str) -> Redemption:
    viewer.require_user()
    row = await redemption.by_pickup_code(code)
    if row is None or not viewer.is_member(row.community_id):
        # A code of another community is as unknown as a mistyped one.
        raise _not_found("pickupCode")
    viewer.require_manager(row.community_id)
    return await redemption.fulfil(row, viewer.user_id)


async def create_reward(
    viewer: Viewer, community_id: int, idempotency_key: str | None = None, **values: Any
) -> Reward:
    """With a key, a retried or double-clicked creation makes one reward."""
    viewer.require_manager(community_id)
    return await idempotency.once(
        viewer.user_id,
        idempotency_key,
        "rewardCreate",
        {"community": community_id, **values},
        load=lambda first: Reward.get_or_none(id=first, community_id=community_id),
        make=lambda: redemption.create_reward(community_id, **values),
    )


async def update_reward(viewer: Viewer, reward: Reward, **values: Any) -> Reward:
    viewer.require_manager(reward.community_id)
    return await redemption.update_reward(reward.community_id, reward.id, **values)


async def manual(
    viewer: Viewer,
    community_id: int,
    user_id: int,
    amount: int,
    reason: str,
    idempotency_key: str,
    *,
    award: bool,
) -> PointTransfer:
    viewer.require_manager(community_id)
    posted = await earning.manual(
        community_id, viewer.user_id, user_id, amount, reason, idempotency_key, award=award
    )
    return posted.transfer


async def reverse(viewer: Viewer, transfer_id: int, reason: str) -> PointTransfer:
    viewer.require_user()
    original = await PointTransfer.get_or_none(id=transfer_id)
    if original is None or not viewer.is_member(original.community_id):
        raise _not_found("transferId")
    viewer.require_manager(original.community_id)
    posted: Posted = await earning.staff_reverse(original.community_id, viewer.user_id, transfer_id, reason)
    return posted.transfer


async def member_side(transfer: PointTransfer) -> int | None:
    """The member account a transfer touched, so its amount can be shown signed."""
    found = await PointAccount.filter(
        id__in=[transfer.debit_id, transfer.credit_id], kind=AccountKind.MEMBER
    ).first()
    return None if found is None else found.id


async def catalog_count(viewer: Viewer, community_id: int, include_inactive: bool) -> int:
    query = Reward.filter(community_id=community_id)
    if not (include_inactive and viewer.manages(community_id)):
        query = query.filter(is_active=True)
    return await query.count()


async def my_redemptions_count(viewer: Viewer, community_id: int) -> int:
    return await Redemption.filter(community_id=community_id, user_id=viewer.user_id).count()


async def pending_pickups_count(viewer: Viewer, community_id: int) -> int:
    return await Redemption.filter(community_id=community_id, status=RedemptionStatus.PENDING).count()


async def rewards_by_ids(ids: list[int]) -> list[Reward | None]:
    rows = {row.id: row for row in await Reward.filter(id__in=list(set(ids)))}
    return [rows.get(i) for i in ids]


async def update_rules(viewer: Viewer, community_id: int, changes: dict[str, Any]) -> rules.Rules:
    viewer.require_manager(community_id)
    return await rules.update(community_id, viewer.user_id, **changes)


def multiplier(
    kind: str, percent: int, starts_at: datetime, ends_at: datetime, activity_kind: str | None
) -> rules.Multiplier:
    from models.ledger import TransferKind

    try:
        parsed = TransferKind(kind)
    except ValueError:
        raise DomainError(
            ErrorCode.INVALID_RULES, N_("No earning is called {kind}."), "multipliers", kind=kind
        ) from None
    return rules.Multiplier(parsed, percent, starts_at, ends_at, activity_kind)


async def expire_due() -> int:
    """The redemption expiry job (CLI and background task)."""
    return await redemption.expire_due()


async def expire_points() -> expiry.ExpiryRun:
    """The points expiry job (`redsteward expire-points` and the server's background task):
    moves what is left of every lot past its date to its community's expiry account.
    Idempotent; safe to run from several processes at once."""
    return await expiry.expire_all()


async def upcoming_expiries(
    viewer: Viewer, community_id: int, account_id: int | None, first: int
) -> list[tuple[datetime, int]]:
    viewer.require_member(community_id)
    return [] if account_id is None else await lots.upcoming(account_id, first)


def expiry_policy(mode: str, years_after: int, days: int) -> rules.ExpiryPolicy:
    try:
        parsed = rules.ExpiryMode(mode)
    except ValueError:
        raise DomainError(
            ErrorCode.INVALID_RULES, N_("No expiry mode is called {mode}."), "expiry", mode=mode
        ) from None
    return rules.ExpiryPolicy(parsed, years_after, days)
