"""Mutations of accounts, sessions and invites."""

from __future__ import annotations

from api.context import Info
from api.ids import decode_global_id
from api.resolvers.payloads import guarded, rate_checked
from api.schema.accounts import inputs, types
from models.enums import Role
from services import accounts, rate_limits
from services.accounts import Session, memberships


def _session_payload(session: Session) -> inputs.SessionPayload:
    user = session.user
    return inputs.SessionPayload(
        viewer=types.Viewer(user=types.User(id=user.id, display_name=user.display_name), phone=user.phone),
        access_token=session.access_token,
        access_token_expires_in=session.access_expires_in,
        refresh_token=session.refresh_token,
    )


async def account_register(info: Info, input: inputs.AccountRegisterInput) -> inputs.SessionPayload:
    async def work() -> inputs.SessionPayload:
        await rate_checked(info, "register", rate_limits.phone_key(input.phone))
        return _session_payload(await accounts.register(input.phone, input.password, input.display_name))

    return await guarded(inputs.SessionPayload, work())


async def session_create(info: Info, input: inputs.SessionCreateInput) -> inputs.SessionPayload:
    async def work() -> inputs.SessionPayload:
        await rate_checked(info, "signIn", rate_limits.phone_key(input.phone))
        return _session_payload(await accounts.sign_in(input.phone, input.password))

    return await guarded(inputs.SessionPayload, work())


async def session_refresh(info: Info, input: inputs.SessionRefreshInput) -> inputs.SessionPayload:
    async def work() -> inputs.SessionPayload:
        return _session_payload(await accounts.refresh(input.refresh_token))

    return await guarded(inputs.SessionPayload, work())


async def session_revoke(info: Info, input: inputs.SessionRevokeInput) -> inputs.SessionRevokePayload:
    await accounts.sign_out(input.refresh_token)
    return inputs.SessionRevokePayload(ok=True)


async def invite_create(info: Info, input: inputs.InviteCreateInput) -> inputs.InviteCreatePayload:
    async def work() -> inputs.InviteCreatePayload:
        community_id = decode_global_id(input.community_id, "Community", "communityId")
        household_id = (
            decode_global_id(input.household_id, "Household", "householdId") if input.household_id else None
        )
        invite, code = await memberships.create_invite(
            info.context.viewer,
            community_id,
            [Role(r) for r in input.roles],
            household_id=household_id,
            max_uses=input.max_uses,
            valid_days=input.valid_days,
        )
        return inputs.InviteCreatePayload(
            invite=types.Invite(
                id=invite.id,
                roles=[Role(r) for r in invite.roles],
                max_uses=invite.max_uses,
                uses=invite.uses,
                expires_at=invite.expires_at,
            ),
            code=code,
        )

    return await guarded(inputs.InviteCreatePayload, work())


async def community_join(info: Info, input: inputs.CommunityJoinInput) -> inputs.CommunityJoinPayload:
    async def work() -> inputs.CommunityJoinPayload:
        community_id = (
            decode_global_id(input.community_id, "Community", "communityId") if input.community_id else None
        )
        viewer = info.context.viewer
        row = await memberships.join(viewer, input.code, community_id)
        roles = await memberships.roles_of(row.id)
        # The viewer now belongs to the community: let the rest of this request see it.
        viewer.roles[row.community_id] = frozenset(roles)
        viewer.households[row.community_id] = row.household_id
        return inputs.CommunityJoinPayload(
            membership=types.Membership(
                id=row.id,
                roles=sorted(roles),
                joined_at=row.joined_at,
                community_id=row.community_id,
                household_id=row.household_id,
            )
        )

    return await guarded(inputs.CommunityJoinPayload, work())


async def me(info: Info) -> types.Viewer | None:
    viewer = info.context.viewer
    if viewer.auth_problem:
        # A token was sent but refused: tell the app to refresh instead of looking signed out.
        viewer.require_user()
    user = viewer.user
    if user is None:
        return None
    return types.Viewer(user=types.User(id=user.id, display_name=user.display_name), phone=user.phone)
