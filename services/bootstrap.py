"""Setting up a community office from the command line, before anyone can use the app."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from models.enums import Role
from models.people import Invite
from models.places import Community
from runtime import clock
from runtime.i18n import N_
from services.accounts.memberships import (
    MAX_INVITE_DAYS,
    MAX_INVITE_USES,
    invite_code_digest,
    new_invite_code,
)
from services.errors import DomainError, ErrorCode


async def office_invite(community: Community, roles: Sequence[Role], uses: int, days: int) -> str:
    """An invite created by whoever runs the server (no user behind it)."""
    if not 1 <= uses <= MAX_INVITE_USES or not 1 <= days <= MAX_INVITE_DAYS:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("Uses or days out of range."))
    code = new_invite_code()
    await Invite.create(
        community_id=community.id,
        code_hash=invite_code_digest(code),
        # Like an invite made in the app: no roles named means a resident, never a role-less member.
        roles=sorted(str(r) for r in set(roles) or {Role.RESIDENT}),
        max_uses=uses,
        expires_at=clock.now() + timedelta(days=days),
    )
    return code
