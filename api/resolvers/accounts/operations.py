"""Mutations of accounts, sessions and invites."""

from __future__ import annotations

import strawberry
from strawberry import relay

from api.context import Info
from api.ids import decode_global_id
from api.resolvers.payloads import guarded, rate_checked
from api.schema.accounts import inputs, types
from models.enums import Role
from services import accounts, rate_limits
from services.accounts import Session, members, memberships


def _session_payload(session: Session) -> inputs.SessionPayload:
    user = session.user
    return inputs.SessionPayload(
        # Only an account with a phone signs in, so a session's user always has one.
        viewer=types.Viewer(
            user=types.User(id=user.id, display_name=user.display_name), phone=user.phone or ""
        ),
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
    # Only an account with a phone signs in, so a signed-in user always has one.
    return types.Viewer(user=types.User(id=user.id, display_name=user.display_name), phone=user.phone or "")


def _member(row: members.Member) -> types.Member:
    return types.Member(
        user=types.User(id=row.user_id, display_name=row.display_name),
        phone=row.phone,
        household_id=strawberry.ID(relay.to_base64("Household", row.household_id))
        if row.household_id
        else None,
        household_label=row.household_label,
        roles=list(row.roles),
    )


async def members_search(info: Info, community_id: strawberry.ID, search: str) -> list[types.Member]:
    viewer = info.context.viewer
    viewer.require_user()
    cid = decode_global_id(community_id, "Community", "communityId")
    return [_member(row) for row in await members.search(viewer, cid, search)]


async def member_add(info: Info, input: inputs.MemberAddInput) -> inputs.MemberPayload:
    async def work() -> inputs.MemberPayload:
        household_id = (
            decode_global_id(input.household_id, "Household", "householdId") if input.household_id else None
        )
        row = await members.add_member(
            info.context.viewer,
            decode_global_id(input.community_id, "Community", "communityId"),
            input.display_name,
            phone=input.phone,
            household_id=household_id,
            idempotency_key=input.idempotency_key,
        )
        return inputs.MemberPayload(member=_member(row))

    return await guarded(inputs.MemberPayload, work())


async def member_phone_set(info: Info, input: inputs.MemberPhoneSetInput) -> inputs.MemberPayload:
    async def work() -> inputs.MemberPayload:
        # No phone rate limit here: only the office may call this (checked first, in the service).
        row = await members.set_phone(
            info.context.viewer,
            decode_global_id(input.community_id, "Community", "communityId"),
            decode_global_id(input.user_id, "User", "userId"),
            input.phone,
            input.password,
        )
        return inputs.MemberPayload(member=_member(row))

    return await guarded(inputs.MemberPayload, work())
