"""Resolvers of the community office's settings."""

from __future__ import annotations

from api.context import Info
from api.ids import decode_global_id
from api.resolvers.payloads import guarded
from api.schema.community import types
from api.schema.places.types import Community
from services.community import office


async def community_office_phone_set(
    info: Info, input: types.CommunityOfficePhoneSetInput
) -> types.CommunityPayload:
    async def work() -> types.CommunityPayload:
        viewer = info.context.viewer
        viewer.require_user()
        community_id = decode_global_id(input.community_id, "Community", "communityId")
        row = await office.set_office_phone(viewer, community_id, input.phone)
        return types.CommunityPayload(community=Community.of(row))

    return await guarded(types.CommunityPayload, work())
