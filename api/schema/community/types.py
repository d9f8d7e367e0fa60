"""The community office's settings about itself.

The GraphQL types of the area."""

from __future__ import annotations

import strawberry

from api.schema.common import UserError
from api.schema.places.types import Community


@strawberry.input
class CommunityOfficePhoneSetInput:
    community_id: strawberry.ID
    phone: str = strawberry.field(
        description='The office\'s number, e.g. "0451-8888 6666" (an extension after 转); "" removes it.'
    )


@strawberry.type
class CommunityPayload:
    community: Community | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
