"""The points area's DataLoaders: rewards."""

from __future__ import annotations

from api.resolvers.batching import OnFirstUse
from services.points import rewards_by_ids


class PointLoaders:
    """Made on first use, kept for the request (see api/loaders.py)."""

    reward_by_id = OnFirstUse(rewards_by_ids)
