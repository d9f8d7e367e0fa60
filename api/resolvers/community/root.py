"""The community office's settings about itself.

Mutation fields of the area, merged into the root schema."""

from __future__ import annotations

import strawberry

from api.resolvers.community import operations as resolve
from api.schema.community.types import CommunityPayload


@strawberry.type
class CommunityMutation:
    community_office_phone_set: CommunityPayload = strawberry.mutation(
        resolver=resolve.community_office_phone_set,
        description="The office: set the phone number the tag landing page offers to people without "
        "the app. Setting the same number again changes nothing.",
    )
