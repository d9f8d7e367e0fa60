"""Nested fields the fees give other areas' types: the economy summary's collection rate."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from api.context import Info
from models.places import Community
from points_engine.localtime import zone
from runtime import clock
from services.fees import collection_rate

if TYPE_CHECKING:
    # For annotations only: the points schema types import this module at load time.
    from api.schema.fees.types import FeeCollectionRate


async def economy_fee_collection(root: Any, info: Info) -> list[FeeCollectionRate]:
    """EconomySummary.feeCollection: the community's rate by month of this year, beside the points
    (the summary's own resolver already checked the caller is a member)."""
    # Imported here: the schema types import this module, so a top-level import is a cycle.
    from api.resolvers.fees import mapping

    community = await Community.get(id=root.community_id)
    year = clock.now().astimezone(zone(community.timezone)).year
    rows = await collection_rate.for_viewer(
        info.context.viewer,
        community.id,
        community.name,
        year,
        collection_rate.Scope.COMMUNITY,
        collection_rate.Granularity.MONTH,
    )
    return [mapping.rate(row) for row in rows]
