"""Days and months as the community counts them, in its own time zone."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from models.places import Community
from points_engine.errors import ErrorCode, PointsError
from runtime.i18n import N_


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_day(moment: datetime, timezone: str) -> str:
    return moment.astimezone(zone(timezone)).strftime("%Y-%m-%d")


def local_month(moment: datetime, timezone: str) -> str:
    return moment.astimezone(zone(timezone)).strftime("%Y-%m")


async def timezone_of(community_id: int) -> str:
    """Read each time it is needed: a community may change its zone, and ids are reused in tests."""
    found = await Community.filter(id=community_id).values_list("timezone", flat=True)
    if not found:
        raise PointsError(ErrorCode.NOT_FOUND, N_("No such community."), "communityId")
    return str(found[0])
