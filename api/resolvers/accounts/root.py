"""The office's side of membership: finding a member, registering one directly (with or without
a phone), and adding a phone later. Query and Mutation fields, merged into the root schema."""

from __future__ import annotations

import strawberry

from api.resolvers.accounts import operations as resolve
from api.schema.accounts.inputs import MemberPayload
from api.schema.accounts.types import Member


@strawberry.type
class MembersQuery:
    members_search: list[Member] = strawberry.field(
        resolver=resolve.members_search,
        description="Staff: members whose name, phone or home holds the text (e.g. 王, 1380013, "
        '"1号楼 1单元 101"); at most 50, by name. An empty search finds nobody.',
    )


@strawberry.type
class MembersMutation:
    member_add: MemberPayload = strawberry.mutation(
        resolver=resolve.member_add,
        description="Staff: register a resident directly, with or without a phone (an elder without "
        "one); they join as a resident. Without a phone the account cannot sign in.",
    )
    member_phone_set: MemberPayload = strawberry.mutation(
        resolver=resolve.member_phone_set,
        description="Staff: give a member without a phone a phone and a first password, to sign in with.",
    )
