"""People: the signed-in user, their memberships, invites."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay

from api.context import Info
from api.schema.places.types import Community, Household
from models.enums import Role
from services.access import UserName
from services.accounts import memberships as account_memberships
from services.places import can_see_household

strawberry.enum(Role, description="What a person does in a community; one person can hold several.")


@strawberry.type(description="A person with an account.")
class User(relay.Node):
    id: relay.NodeID[int]
    display_name: str

    @classmethod
    def of(cls, row: UserName) -> User:
        """From the accounts loader's `user_by_id`."""
        return cls(id=row.id, display_name=row.display_name)


@strawberry.type(description="The signed-in person, with what only they may see of themselves.")
class Viewer:
    user: User
    phone: str = strawberry.field(description="Your own phone number, in E.164 form.")

    @strawberry.field(description="The communities you belong to, with your roles in each.")
    async def memberships(self, info: Info) -> list[Membership]:
        viewer = info.context.viewer
        return [
            Membership(
                id=row.id,
                roles=sorted(viewer.roles.get(row.community_id, frozenset())),
                joined_at=row.joined_at,
                community_id=row.community_id,
                household_id=row.household_id,
            )
            for row in account_memberships.of_viewer(viewer)
        ]


@strawberry.type(description="A person's place in one community.")
class Membership(relay.Node):
    id: relay.NodeID[int]
    roles: list[Role]
    joined_at: datetime
    community_id: strawberry.Private[int]
    household_id: strawberry.Private[int | None]

    @strawberry.field
    async def community(self, info: Info) -> Community:
        row = await info.context.loaders.places.community_by_id.load(self.community_id)
        assert row is not None
        return Community.of(row)

    @strawberry.field(description="Your home in this community, if an invite bound you to one.")
    async def household(self, info: Info) -> Household | None:
        if self.household_id is None:
            return None
        row = await info.context.loaders.places.household_by_id.load(self.household_id)
        if row is None or not can_see_household(info.context.viewer, row):
            return None
        return Household.of(row)


@strawberry.type(description="An invitation to join a community. The code itself is shown only once.")
class Invite(relay.Node):
    id: relay.NodeID[int]
    roles: list[Role]
    max_uses: int
    uses: int
    expires_at: datetime


@strawberry.type(description="Staff: a member of the community as the office sees them.")
class Member:
    user: User
    phone: str | None = strawberry.field(
        description="In E.164 form; null for a member the office registered without a phone "
        "(such an account cannot sign in until the office adds one)."
    )
    household_id: strawberry.ID | None = strawberry.field(description="Their home, a Household id.")
    household_label: str | None = strawberry.field(
        description='Their home by its full label: "新华小区 1号楼 1单元 101".'
    )
    roles: list[Role]
