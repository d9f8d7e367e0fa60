"""The accounts area's DataLoaders: people's names."""

from __future__ import annotations

from api.resolvers.batching import OnFirstUse
from services.access import user_names_by_ids


class AccountLoaders:
    """Made on first use, kept for the request (see api/loaders.py)."""

    user_by_id = OnFirstUse(user_names_by_ids)
