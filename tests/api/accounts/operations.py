"""The account operations as the app sends them, and small steps the tests share."""

from __future__ import annotations

from typing import Any

from tests.support.graphql import GraphQLClient

ERRORS = "errors { code message field }"
SESSION = (
    f"viewer {{ phone user {{ id displayName }} }} accessToken accessTokenExpiresIn refreshToken {ERRORS}"
)

REGISTER = f"""
mutation Register($input: AccountRegisterInput!) {{ accountRegister(input: $input) {{ {SESSION} }} }}
"""
SIGN_IN = f"""
mutation SignIn($input: SessionCreateInput!) {{ sessionCreate(input: $input) {{ {SESSION} }} }}
"""
REFRESH = f"""
mutation Refresh($input: SessionRefreshInput!) {{ sessionRefresh(input: $input) {{ {SESSION} }} }}
"""
SIGN_OUT = f"""
mutation SignOut($input: SessionRevokeInput!) {{ sessionRevoke(input: $input) {{ ok {ERRORS} }} }}
"""
INVITE = f"""
mutation Invite($input: InviteCreateInput!) {{
  inviteCreate(input: $input) {{ code invite {{ id roles maxUses uses expiresAt }} {ERRORS} }}
}}
"""
JOIN = f"""
mutation Join($input: CommunityJoinInput!) {{
  communityJoin(input: $input) {{
    membership {{ roles community {{ id name }} household {{ id name }} }}
    {ERRORS}
  }}
}}
"""
ME = "query Me { me { phone user { displayName } memberships { roles community { name } } } }"

GOOD_PASSWORD = "red-flag-2026"


async def register(
    api: GraphQLClient, phone: str = "138 0013 8000", password: str = GOOD_PASSWORD, name: str = "王阿姨"
) -> dict[str, Any]:
    """The accountRegister payload."""
    variables = {"input": {"phone": phone, "password": password, "displayName": name}}
    payload: dict[str, Any] = (await api.data(REGISTER, variables))["accountRegister"]
    return payload


async def sign_in(api: GraphQLClient, phone: str, password: str) -> dict[str, Any]:
    """The sessionCreate payload."""
    payload: dict[str, Any] = (await api.data(SIGN_IN, {"input": {"phone": phone, "password": password}}))[
        "sessionCreate"
    ]
    return payload


async def refresh(api: GraphQLClient, refresh_token: str) -> dict[str, Any]:
    """The sessionRefresh payload."""
    payload: dict[str, Any] = (await api.data(REFRESH, {"input": {"refreshToken": refresh_token}}))[
        "sessionRefresh"
    ]
    return payload


async def sign_out(api: GraphQLClient, refresh_token: str) -> dict[str, Any]:
    payload: dict[str, Any] = (await api.data(SIGN_OUT, {"input": {"refreshToken": refresh_token}}))[
        "sessionRevoke"
    ]
    return payload


async def create_invite(api: GraphQLClient, token: str, **fields: Any) -> dict[str, Any]:
    """The inviteCreate payload; `fields` are the input's (communityId, roles, maxUses, ...)."""
    payload: dict[str, Any] = (await api.data(INVITE, {"input": fields}, token=token))["inviteCreate"]
    return payload


async def join(api: GraphQLClient, token: str, code: str, community_id: str | None = None) -> dict[str, Any]:
    """The communityJoin payload."""
    fields: dict[str, Any] = {"code": code}
    if community_id is not None:
        fields["communityId"] = community_id
    payload: dict[str, Any] = (await api.data(JOIN, {"input": fields}, token=token))["communityJoin"]
    return payload


def codes(payload: dict[str, Any]) -> list[str]:
    return [error["code"] for error in payload["errors"]]


def fields_at_fault(payload: dict[str, Any]) -> list[str | None]:
    return [error["field"] for error in payload["errors"]]


async def me(api: GraphQLClient, token: str | None) -> dict[str, Any] | None:
    """`me` for a token that must be accepted (or no token at all)."""
    viewer: dict[str, Any] | None = (await api.data(ME, token=token))["me"]
    return viewer
