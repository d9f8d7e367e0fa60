"""Memberships and the invites that create them."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import timedelta

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.enums import Role
from models.people import Invite, Membership, MembershipRole
from models.places import Household
from runtime import clock
from runtime.i18n import N_
from services.access import MembershipRow, Viewer
from services.errors import DomainError, ErrorCode, Forbidden

# Crockford's base32 without look-alikes (no I, L, O, U): easy to read out over the phone.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
MAX_INVITE_DAYS = 90
MAX_INVITE_USES = 500
# Granting these shapes the community office itself, so only an admin may invite to them.
ADMIN_ONLY_ROLES = frozenset({Role.STAFF, Role.ADMIN})


def new_invite_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


# Read aloud or copied from paper, O is heard as 0 and I or L as 1; as in Crockford's decoding,
# they mean the digit, since the alphabet holds none of them.
_LOOK_ALIKES = str.maketrans("OIL", "011")


def invite_code_digest(code: str) -> str:
    canonical = "".join(ch for ch in code.upper() if ch.isalnum()).translate(_LOOK_ALIKES)
    return hashlib.sha256(("rs-invite:" + canonical).encode()).hexdigest()


def of_viewer(viewer: Viewer) -> tuple[MembershipRow, ...]:
    """Read with the viewer itself, at the start of this request (services.access.load_viewer)."""
    viewer.require_user()
    return viewer.memberships


async def create_invite(
    viewer: Viewer,
    community_id: int,
    roles: Sequence[Role],
    household_id: int | None = None,
    max_uses: int = 1,
    valid_days: int = 14,
) -> tuple[Invite, str]:
    """Returns the invite and its code; only the digest of the code is stored."""
    viewer.require_manager(community_id)
    wanted = sorted(set(roles) or {Role.RESIDENT})
    if ADMIN_ONLY_ROLES & set(wanted) and not viewer.has_role(community_id, Role.ADMIN):
        raise Forbidden(N_("Only an admin can invite staff or admins."))
    if not 1 <= max_uses <= MAX_INVITE_USES:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            N_("Uses must be between 1 and {max_invite_uses}."),
            "maxUses",
            max_invite_uses=MAX_INVITE_USES,
        )
    if not 1 <= valid_days <= MAX_INVITE_DAYS:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            N_("An invite can be valid for 1 to {max_invite_days} days."),
            "validDays",
            max_invite_days=MAX_INVITE_DAYS,
        )
    if household_id is not None:
        if not await Household.exists(id=household_id, community_id=community_id):
            raise DomainError(
                ErrorCode.NOT_FOUND, N_("No household of this community has this id."), "householdId"
            )
        if max_uses > 5:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                N_("An invite bound to a household can be used at most 5 times."),
                "maxUses",
            )
    code = new_invite_code()
    invite = await Invite.create(
        community_id=community_id,
        household_id=household_id,
        code_hash=invite_code_digest(code),
        roles=[str(r) for r in wanted],
        max_uses=max_uses,
        expires_at=clock.now() + timedelta(days=valid_days),
        created_by_id=viewer.user_id,
    )
    return invite, code


async def join(viewer: Viewer, code: str, community_id: int | None = None) -> Membership:
    """Use an invite code. Joining again with a new code adds its roles to the membership."""
    user_id = viewer.user_id
    now = clock.now()
    async with in_transaction():
        invite = await Invite.filter(code_hash=invite_code_digest(code or "")).select_for_update().first()
        if invite is None or invite.revoked_at is not None:
            raise DomainError(ErrorCode.INVITE_INVALID, N_("This invite code is not valid."), "code")
        if community_id is not None and invite.community_id != community_id:
            raise DomainError(
                ErrorCode.INVITE_INVALID, N_("This invite code is for another community."), "code"
            )
        if invite.expires_at <= now:
            raise DomainError(
                ErrorCode.INVITE_EXPIRED, N_("This invite code has expired; ask for a new one."), "code"
            )
        membership = await Membership.get_or_none(user_id=user_id, community_id=invite.community_id)
        roles = {Role(r) for r in invite.roles}
        if membership is not None:
            held = set(await roles_of(membership.id))
            if roles <= held and (invite.household_id in (None, membership.household_id)):
                raise DomainError(
                    ErrorCode.ALREADY_MEMBER, N_("You already belong here with these roles."), "code"
                )
        # The use is counted by a conditional update, so two people racing for the last use of
        # an invite cannot both get in, on PostgreSQL or SQLite.
        taken = await Invite.filter(id=invite.id, uses__lt=invite.max_uses).update(uses=F("uses") + 1)
        if not taken:
            raise DomainError(ErrorCode.INVITE_USED_UP, N_("This invite code has been used up."), "code")
        if membership is None:
            membership = await Membership.create(
                user_id=user_id, community_id=invite.community_id, household_id=invite.household_id
            )
            held = set[Role]()
        elif invite.household_id is not None and membership.household_id != invite.household_id:
            membership.household_id = invite.household_id
            await membership.save(update_fields=["household_id"])
        await MembershipRole.bulk_create(
            [
                MembershipRole(membership_id=membership.id, community_id=invite.community_id, role=role)
                for role in sorted(roles)
                if role not in held
            ]
        )
    return membership


async def roles_of(membership_id: int) -> list[Role]:
    rows = await MembershipRole.filter(membership_id=membership_id).values_list("role", flat=True)
    return sorted(Role(str(r)) for r in rows)


async def grant_role(community_id: int, user_id: int, role: Role, field: str) -> bool:
    """Give a member of the community one more role (an appointment by the office: observer,
    mediator). Granting a role already held changes nothing; a non-member is not found. True if
    this call granted it."""
    membership = await Membership.get_or_none(user_id=user_id, community_id=community_id)
    if membership is None:
        raise DomainError(ErrorCode.NOT_FOUND, N_("No such member."), field)
    _, created = await MembershipRole.get_or_create(
        membership_id=membership.id, role=role, defaults={"community_id": community_id}
    )
    return created


async def revoke_role(community_id: int, user_id: int, role: Role) -> bool:
    """Take one role back (a stand-down by the office: observer, mediator); the membership and
    its other roles stay. True if this call removed it."""
    removed = await MembershipRole.filter(
        community_id=community_id, role=role, membership__user_id=user_id
    ).values_list("id", flat=True)
    if not removed:
        return False
    return bool(await MembershipRole.filter(id__in=list(removed)).delete())
