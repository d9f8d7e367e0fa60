"""The inspections area's DataLoaders: an inspection's photos."""

from __future__ import annotations

from api.resolvers.batching import OnFirstUse
from services import inspections


class InspectionLoaders:
    """Made on first use, kept for the request (see api/loaders.py)."""

    photos_by_inspection = OnFirstUse(inspections.photos_by_inspection)
