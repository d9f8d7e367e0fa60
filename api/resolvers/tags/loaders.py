"""The tags area's DataLoaders: where a tag hangs, and the tag that hangs on a place."""

from __future__ import annotations

from api.resolvers.batching import OnFirstUse
from services.tags import active_tags_by_key, locations_of


class TagLoaders:
    """Made on first use, kept for the request (see api/loaders.py)."""

    tag_location_by_tag = OnFirstUse(locations_of)
    active_tag_by_target = OnFirstUse(active_tags_by_key)
