"""Which street and which compound hold a point, or an address line.

Areas are small polygons of [latitude, longitude] (a compound's fence, a street's outline);
a point on the edge counts as inside. The even-odd ray cast is exact enough at this scale
(hundreds of metres), where the earth's curvature is far below a phone's GPS error.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from models.district import CompoundArea, District, Street, StreetCommunity
from runtime.i18n import N_
from services.errors import DomainError, ErrorCode

Polygon = Sequence[Sequence[float]]


def valid_polygon(area: Any) -> bool:
    return (
        isinstance(area, list)
        and len(area) >= 3
        and all(
            isinstance(p, list | tuple)
            and len(p) == 2
            and all(isinstance(c, int | float) and math.isfinite(c) for c in p)
            for p in area
        )
    )


def contains(area: Polygon, latitude: float, longitude: float) -> bool:
    inside = False
    n = len(area)
    for i in range(n):
        (y1, x1), (y2, x2) = area[i], area[(i + 1) % n]
        # On an edge: inside (a manhole on the compound's fence line belongs to the compound).
        if min(y1, y2) <= latitude <= max(y1, y2) and min(x1, x2) <= longitude <= max(x1, x2):
            cross = (x2 - x1) * (latitude - y1) - (y2 - y1) * (longitude - x1)
            if abs(cross) < 1e-12:
                return True
        if (y1 > latitude) != (y2 > latitude):
            at = x1 + (latitude - y1) * (x2 - x1) / (y2 - y1)
            if longitude < at:
                inside = not inside
    return inside


def check_point(latitude: float | None, longitude: float | None) -> tuple[float, float] | None:
    if latitude is None and longitude is None:
        return None
    if latitude is None or longitude is None:
        field = "latitude" if latitude is None else "longitude"
        raise DomainError(ErrorCode.INVALID_INPUT, N_("Give both latitude and longitude."), field)
    if not (math.isfinite(latitude) and -90 <= latitude <= 90):
        raise DomainError(ErrorCode.INVALID_INPUT, N_("Latitude lies between -90 and 90."), "latitude")
    if not (math.isfinite(longitude) and -180 <= longitude <= 180):
        raise DomainError(ErrorCode.INVALID_INPUT, N_("Longitude lies between -180 and 180."), "longitude")
    return latitude, longitude


@dataclass(frozen=True)
class Located:
    street: Street
    compound_area: CompoundArea | None  # None: on the street, outside every compound


async def locate(district: District, point: tuple[float, float] | None, address: str) -> Located:
    """The compound (and its street) holding the point, else the street holding it; by the
    address when there is no point: a compound's or a street's name written in it."""
    streets = await Street.filter(district_id=district.id).order_by("id")
    areas = await CompoundArea.filter(district_id=district.id).order_by("id").prefetch_related("compound")
    street_of_community = {
        row["community_id"]: row["street_id"]
        for row in await StreetCommunity.filter(district_id=district.id).values("community_id", "street_id")
    }
    by_id = {s.id: s for s in streets}
    if point is not None:
        lat, lng = point
        if not contains(district.area, lat, lng):
            raise DomainError(
                ErrorCode.OUTSIDE_DISTRICT, N_("This location is outside your district."), "latitude"
            )
        for area in areas:
            if contains(area.area, lat, lng) and area.community_id in street_of_community:
                return Located(by_id[street_of_community[area.community_id]], area)
        for street in streets:
            if contains(street.area, lat, lng):
                return Located(street, None)
        raise DomainError(
            ErrorCode.LOCATION_UNKNOWN, N_("This location lies in no street of the district."), "latitude"
        )
    for area in areas:
        if area.compound.name and area.compound.name in address and area.community_id in street_of_community:
            return Located(by_id[street_of_community[area.community_id]], area)
    for street in streets:
        if street.name in address:
            return Located(street, None)
    raise DomainError(
        ErrorCode.LOCATION_UNKNOWN,
        N_("The address names no street or compound we know: write the street's name or turn on location."),
        "address",
    )
