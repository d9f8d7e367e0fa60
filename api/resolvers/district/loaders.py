"""The district area's DataLoaders: a dispatch's photos, read only when a query selects them."""

from __future__ import annotations

from api.resolvers.batching import OnFirstUse
from services.district import dispatch as flow


class DistrictLoaders:
    """Made on first use, kept for the request (see api/loaders.py)."""

    photos_by_dispatch = OnFirstUse(flow.photos_by_dispatch)
