"""Finding, creating and locking the accounts of a community."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.ledger import AccountKind, PointAccount
from models.people import Membership
from models.places import Community
from points_engine.errors import ErrorCode, PointsError
from runtime import clock
from runtime.i18n import N_

SYSTEM_KINDS = (AccountKind.ISSUING, AccountKind.REDEMPTION, AccountKind.ADJUSTMENTS, AccountKind.EXPIRY)


def member_key(community_id: int, user_id: int) -> str:
    return f"member:{community_id}:{user_id}"


def system_key(community_id: int, kind: AccountKind) -> str:
    return f"{kind}:{community_id}"


async def member_account(community_id: int, user_id: int, create: bool = True) -> PointAccount | None:
    """The member's account, opened on first use for members of the community only."""
    account = await PointAccount.get_or_none(key=member_key(community_id, user_id))
    if account is not None or not create:
        return account
    if not await Membership.exists(user_id=user_id, community_id=community_id):
        raise PointsError(ErrorCode.UNKNOWN_ACCOUNT, N_("This person is not a member here."), "userId")
    return await _open(community_id, AccountKind.MEMBER, user_id, member_key(community_id, user_id))


async def system_account(community_id: int, kind: AccountKind) -> PointAccount:
    if kind == AccountKind.MEMBER:
        raise PointsError(ErrorCode.UNKNOWN_ACCOUNT, N_("Not a system account kind."))
    key = system_key(community_id, kind)
    account = await PointAccount.get_or_none(key=key)
    if account is not None:
        return account
    if not await Community.exists(id=community_id):
        raise PointsError(ErrorCode.NOT_FOUND, N_("No such community."), "communityId")
    return await _open(community_id, kind, None, key)


async def _open(community_id: int, kind: AccountKind, user_id: int | None, key: str) -> PointAccount:
    try:
        async with in_transaction():
            return await PointAccount.create(
                community_id=community_id, kind=kind, user_id=user_id, key=key, created_at=clock.now()
            )
    except IntegrityError:
        # Opened meanwhile by a concurrent request: the unique key decided, take that one.
        return await PointAccount.get(key=key)


async def lock(account: PointAccount) -> PointAccount:
    """Re-read the account holding its row lock until the transaction ends (PostgreSQL), so a
    read-then-decide (a daily cap, a monthly limit) cannot race. SQLite serialises writers, so
    there the plain read is already safe. Lock order everywhere: reward → member → system."""
    return await PointAccount.filter(id=account.id).select_for_update(no_key=True).get()
