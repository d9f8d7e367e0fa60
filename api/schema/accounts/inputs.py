"""Inputs and payloads of registering, signing in and joining a community."""

from __future__ import annotations

import strawberry

from api.schema.accounts.types import Invite, Member, Membership, Role, Viewer
from api.schema.common import UserError


@strawberry.input
class AccountRegisterInput:
    phone: str = strawberry.field(description="A mobile number, e.g. 138 0013 8000 or +86 138 0013 8000.")
    password: str = strawberry.field(
        description="At least 8 characters, mixing letters with digits or symbols."
    )
    display_name: str


@strawberry.input
class SessionCreateInput:
    phone: str
    password: str


@strawberry.input
class SessionRefreshInput:
    refresh_token: str


@strawberry.input
class SessionRevokeInput:
    refresh_token: str


@strawberry.type(description="A signed-in session: send the access token as `Authorization: Bearer …`.")
class SessionPayload:
    viewer: Viewer | None = None
    access_token: str | None = None
    access_token_expires_in: int | None = strawberry.field(default=None, description="Seconds.")
    refresh_token: str | None = strawberry.field(
        default=None, description="Opaque; use once with sessionRefresh, then keep the new one."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SessionRevokePayload:
    ok: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class InviteCreateInput:
    community_id: strawberry.ID
    roles: list[Role] = strawberry.field(default_factory=list, description="Defaults to resident.")
    household_id: strawberry.ID | None = None
    max_uses: int = 1
    valid_days: int = 14


@strawberry.type
class InviteCreatePayload:
    invite: Invite | None = None
    code: str | None = strawberry.field(
        default=None, description="Shown once; hand it to the person invited."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class CommunityJoinInput:
    code: str
    community_id: strawberry.ID | None = strawberry.field(
        default=None, description="The community the person means to join; a code for another one is refused."
    )


@strawberry.type
class CommunityJoinPayload:
    membership: Membership | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class MemberAddInput:
    community_id: strawberry.ID
    display_name: str = strawberry.field(description="Their name, 1 to 60 characters.")
    phone: str | None = strawberry.field(
        default=None, description="Leave empty for a resident without a phone; unique when given."
    )
    household_id: strawberry.ID | None = strawberry.field(default=None, description="Their home.")
    idempotency_key: str | None = strawberry.field(
        default=None, description="Send the same key when retrying: the first member comes back."
    )


@strawberry.input
class MemberPhoneSetInput:
    community_id: strawberry.ID
    user_id: strawberry.ID = strawberry.field(description="A member who has no phone yet.")
    phone: str
    password: str = strawberry.field(description="Their first password, told to them at the office.")


@strawberry.type
class MemberPayload:
    member: Member | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
