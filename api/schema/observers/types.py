"""Home observers (家园观察员): the GraphQL types of the area."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay

from api.schema.opinions.types import Opinion
from api.schema.teams.types import MediationCategory  # the enum as that area registered it


@strawberry.type(description="An observer posted to a compound by the office.")
class ObserverPost:
    compound: relay.GlobalID
    compound_name: str
    observer: relay.GlobalID
    observer_name: str
    appointed_at: datetime


@strawberry.type(
    description="The observer stepped into a dispute early. The summary names people: its observer "
    "and the office see it."
)
class DisputeIntervention:
    id: relay.GlobalID
    category: MediationCategory
    summary: str
    settled_on_spot: bool
    case: relay.GlobalID | None = strawberry.field(description="The mediation case it was referred to.")
    created_at: datetime


@strawberry.type(
    description="A photo taken on a visit. The url works for an hour or two; ask again for a new one."
)
class ObserverVisitPhoto:
    id: relay.GlobalID
    content_type: str
    width: int
    height: int
    size: int = strawberry.field(description="Bytes, after metadata (EXIF, GPS) was stripped.")
    url: str
    created_at: datetime


@strawberry.type(description="One walk of an observer through their compound.")
class ObserverVisit(relay.Node):
    id: relay.NodeID[int]
    compound: relay.GlobalID
    observer_name: str
    visited_at: datetime
    spot: str = strawberry.field(description="Where in the compound.")
    seen: str
    opinions: list[Opinion] = strawberry.field(description="Opinions residents gave on the visit.")
    interventions: list[DisputeIntervention]
    photos: list[ObserverVisitPhoto] = strawberry.field(description="What the observer saw, up to 6.")


@strawberry.type(description="A month of the observers' work, for the monthly 家园议事会. No names.")
class ObserverMonthCounts:
    month: str
    visits: int
    opinions_collected: int
    opinions_taken_up: int = strawberry.field(
        description="Adopted by the office, including those since done."
    )
    disputes_stepped_into: int
    disputes_settled_on_spot: int
    disputes_referred: int = strawberry.field(description="Opened as mediation cases.")
