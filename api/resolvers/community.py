"""Resolvers of the community office's settings, and the area's root mutation fields."""

from __future__ import annotations

import strawberry

from api.context import Info
from api.ids import decode_global_id
from api.resolvers import mapping
from api.resolvers.payloads import guarded
from api.schema import community as s
from services.community import office


async def community_office_phone_set(info: Info, input: s.CommunityOfficePhoneSetInput) -> s.CommunityPayload:
    async def work() -> s.CommunityPayload:
        viewer = info.context.viewer
        viewer.require_user()
        community_id = decode_global_id(input.community_id, "Community", "communityId")
        row = await office.set_office_phone(viewer, community_id, input.phone)
        return s.CommunityPayload(community=mapping.community(row))

    return await guarded(s.CommunityPayload, work())


@strawberry.type
class CommunityMutation:
    community_office_phone_set: s.CommunityPayload = strawberry.mutation(
        resolver=community_office_phone_set,
        description="The office: set the phone number the tag landing page offers to people without "
        "the app. Setting the same number again changes nothing.",
    )
