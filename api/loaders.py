"""This request's DataLoaders: one group per area, each group and each loader in it made the
first time a resolver asks for it, then kept for the rest of the request.

Each area keeps its loaders next to its resolvers (`api/resolvers/<area>/loaders.py`, named
`XByY`, after saleor's `graphql/*/dataloaders.py`); this module only assembles them. Made on
first use because most requests touch two or three of the ~45 loaders, and making them all up
front cost 4–16% of a request's CPU (issue 22). `cached_property` keeps the one object for the
request, so every field of a request shares one cache per loader.
"""

from __future__ import annotations

from functools import cached_property

from api.resolvers.accounts.loaders import AccountLoaders
from api.resolvers.district.loaders import DistrictLoaders
from api.resolvers.inspections.loaders import InspectionLoaders
from api.resolvers.places.loaders import PlaceLoaders
from api.resolvers.points.loaders import PointLoaders
from api.resolvers.reports.loaders import ReportLoaders
from api.resolvers.tags.loaders import TagLoaders
from api.resolvers.teams.loaders import TeamLoaders


class Loaders:
    @cached_property
    def accounts(self) -> AccountLoaders:
        return AccountLoaders()

    @cached_property
    def district(self) -> DistrictLoaders:
        return DistrictLoaders()

    @cached_property
    def inspections(self) -> InspectionLoaders:
        return InspectionLoaders()

    @cached_property
    def places(self) -> PlaceLoaders:
        return PlaceLoaders()

    @cached_property
    def points(self) -> PointLoaders:
        return PointLoaders()

    @cached_property
    def reports(self) -> ReportLoaders:
        return ReportLoaders()

    @cached_property
    def tags(self) -> TagLoaders:
        return TagLoaders()

    @cached_property
    def teams(self) -> TeamLoaders:
        return TeamLoaders()
