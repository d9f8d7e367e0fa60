"""The reports of a street's or a district's communities, for the people who hold a role there:
"a street or district role sees its communities' reports and roll-ups, and nothing of their
residents' private data" (issue 21).

Who sees which (services.district.scope):
- a district coordinator: every report of every community of the district;
- a street liaison: the reports of the communities of their own street(s);
- a department member: the reports of the district's communities in the categories their
  department owns, and those referred and dispatched to it;
- an outpost reporter holds no such view (OUT_OF_JURISDICTION), and someone with no role in the
  district is told it does not exist (NOT_FOUND), as for the district's other reads.

What they get is the problem and how it is being handled: category, the place's full label,
the text as reported (with phone numbers in it masked), state, clocks and when each step was
taken, the rating, the dispatch that carries it. Never who reported it or for whom, how to
reach them, their comment, a household or a care tag: those columns are not handed out, and
the types built from `Seen` have no field that could reach them.

A page costs a fixed number of statements whatever its size: the caller's roles, the district,
its street links, the page, its dispatches, the place labels (one per kind of place) and the
communities' names; the total only when asked for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from models.district import (
    Department,
    DepartmentCategory,
    Dispatch,
    District,
    DistrictRoleKind,
    Street,
    StreetCommunity,
)
from models.enums import ReportCategory
from models.places import Community
from models.reports import Report, ReportState
from runtime.i18n import N_
from services.access import Viewer
from services.district.scope import DistrictScope, not_found, out_of_jurisdiction, scope_of
from services.paging import Page
from services.phones import mask_phone
from services.places.labels import PlaceKind, labels_by_id

# A mainland mobile number typed into a report's text ("电话 138 0013 8000"): masked as
# everywhere else a person sees someone else's number.
_PHONE_IN_TEXT = re.compile(r"(?<!\d)1[3-9]\d(?:[ -]?\d){8}(?!\d)")


def masked_text(text: str) -> str:
    return _PHONE_IN_TEXT.sub(lambda m: mask_phone(re.sub(r"[ -]", "", m.group(0))), text)


@dataclass(frozen=True)
class Visibility:
    """Which reports of one district the caller may read."""

    district_id: int
    # Every community of the district, by id → its street; the streets' names.
    street_of: dict[int, int]
    street_names: dict[int, str]
    # Communities whose every report the caller reads (coordinator: all; liaison: their streets').
    whole: frozenset[int]
    # Categories the caller's departments own, in every community of the district.
    categories: frozenset[ReportCategory]
    departments: frozenset[int]
    # The streets the caller reads everything of (a coordinator: every one).
    streets: frozenset[int]
    coordinator: bool

    @property
    def across_the_district(self) -> bool:
        """A coordinator or a department member may narrow to any street or community."""
        return self.coordinator or bool(self.departments)

    def query(self) -> QuerySet[Report]:
        """The reports visible to the caller, as one filter (no statement yet)."""
        visible = Q(community_id__in=sorted(self.whole))
        district_communities = sorted(self.street_of)
        if self.categories and district_communities:
            visible |= Q(community_id__in=district_communities, category__in=sorted(self.categories))
        if self.departments and district_communities:
            dispatched = Dispatch.filter(
                district_id=self.district_id,
                department_id__in=sorted(self.departments),
                report_id__not_isnull=True,
            ).values("report_id")
            visible |= Q(community_id__in=district_communities, id__in=Subquery(dispatched))
        return Report.filter(visible)

    def allows(self, report: Report, dispatch: Dispatch | None) -> bool:
        """The same rule for one report already read: checked on every report handed out."""
        if report.community_id not in self.street_of:
            return False
        return (
            report.community_id in self.whole
            or report.category in self.categories
            or (dispatch is not None and dispatch.department_id in self.departments)
        )


async def visibility(viewer: Viewer, district_id: int) -> Visibility:
    viewer.require_user()
    scope: DistrictScope = await scope_of(viewer)
    district = await District.get_or_none(id=district_id)
    if district is None or not scope.in_district(district.id):
        raise not_found("districtId")
    coordinator = scope.coordinates(district.id)
    here = [h for h in scope.held if h.district_id == district.id]
    streets: set[int] = {
        h.street_id for h in here if h.role is DistrictRoleKind.STREET_LIAISON and h.street_id is not None
    }
    departments: frozenset[int] = frozenset(
        h.department_id
        for h in here
        if h.role is DistrictRoleKind.DEPARTMENT_MEMBER and h.department_id is not None
    )
    if not (coordinator or streets or departments):
        raise out_of_jurisdiction(
            N_("Only the street's liaison, the district's departments and its coordinator read its reports."),
            "districtId",
        )
    links = await StreetCommunity.filter(district_id=district.id).values(
        "community_id", "street_id", "street__name"
    )
    street_of = {int(r["community_id"]): int(r["street_id"]) for r in links}
    street_names = {int(r["street_id"]): str(r["street__name"]) for r in links}
    whole = frozenset(c for c, s in street_of.items() if coordinator or s in streets)
    categories: frozenset[ReportCategory] = frozenset()
    if departments and not coordinator:
        owned = await DepartmentCategory.filter(department_id__in=sorted(departments)).values_list(
            "category", flat=True
        )
        categories = frozenset(ReportCategory(str(c)) for c in owned)
    streets_seen = frozenset(street_names) if coordinator else frozenset(streets)
    return Visibility(
        district.id, street_of, street_names, whole, categories, departments, streets_seen, coordinator
    )


@dataclass(frozen=True)
class Seen:
    """A report as a street or district role sees it: no reporter, no household."""

    report: Report
    text: str  # phone numbers masked
    community_name: str
    street_id: int
    street_name: str
    place_label: str
    dispatch: Dispatch | None
    department_name: str | None  # the department its dispatch went to


@dataclass(frozen=True)
class Listing:
    page: Page[Report]  # the reports of `seen`, in order
    seen: list[Seen]
    query: QuerySet[Report]

    async def count(self) -> int:
        return await self.query.count()


async def _narrowed(
    seeing: Visibility,
    street_id: int | None,
    community_id: int | None,
    states: Sequence[ReportState] | None,
) -> QuerySet[Report]:
    query = seeing.query()
    if street_id is not None:
        if not await Street.exists(id=street_id, district_id=seeing.district_id):
            raise not_found("streetId")
        if not (seeing.across_the_district or street_id in seeing.streets):
            raise out_of_jurisdiction(N_("Only this street's liaison can do that."), "streetId")
        query = query.filter(community_id__in=[c for c, s in seeing.street_of.items() if s == street_id])
    if community_id is not None:
        if community_id not in seeing.street_of:
            raise not_found("communityId")
        if not (seeing.across_the_district or community_id in seeing.whole):
            raise out_of_jurisdiction(N_("Only this street's liaison can do that."), "communityId")
        query = query.filter(community_id=community_id)
    if states:
        query = query.filter(state__in=sorted({s.value for s in states}))
    return query


async def reports(
    viewer: Viewer,
    district_id: int,
    *,
    street_id: int | None = None,
    community_id: int | None = None,
    states: Sequence[ReportState] | None = None,
    first: int,
    after_id: int | None = None,
) -> Listing:
    """Newest first, a page of `first` after the report `after_id`."""
    seeing = await visibility(viewer, district_id)
    query = await _narrowed(seeing, street_id, community_id, states)
    paged = query.filter(id__lt=after_id) if after_id is not None else query
    rows = list(await paged.order_by("-id").limit(first + 1))
    seen = await _seen(seeing, rows[:first])
    return Listing(Page([s.report for s in seen], len(rows) > first), seen, query)


async def _seen(seeing: Visibility, rows: Sequence[Report]) -> list[Seen]:
    if not rows:
        return []
    dispatches = {
        d.report_id: d for d in await Dispatch.filter(report_id__in=[r.id for r in rows]) if d.report_id
    }
    allowed = [r for r in rows if seeing.allows(r, dispatches.get(r.id))]
    entrances = await labels_by_id(PlaceKind.ENTRANCE, [r.entrance_id for r in allowed if r.entrance_id])
    buildings = await labels_by_id(
        PlaceKind.BUILDING, [r.building_id for r in allowed if r.building_id and not r.entrance_id]
    )
    compounds = await labels_by_id(
        PlaceKind.COMPOUND, [r.compound_id for r in allowed if not r.building_id and not r.entrance_id]
    )
    communities = dict(
        await Community.filter(id__in=sorted({r.community_id for r in allowed})).values_list("id", "name")
    )
    department_ids = sorted({d.department_id for d in dispatches.values() if d.department_id})
    departments = (
        dict(await Department.filter(id__in=department_ids).values_list("id", "name"))
        if department_ids
        else {}
    )

    def place(r: Report) -> str:
        if r.entrance_id:
            return entrances.get(r.entrance_id, "")
        if r.building_id:
            return buildings.get(r.building_id, "")
        return compounds.get(r.compound_id, "")

    found = []
    for r in allowed:
        dispatch = dispatches.get(r.id)
        street_id = seeing.street_of[r.community_id]
        found.append(
            Seen(
                report=r,
                text=masked_text(r.text),
                community_name=str(communities.get(r.community_id, "")),
                street_id=street_id,
                street_name=seeing.street_names.get(street_id, ""),
                place_label=place(r),
                dispatch=dispatch,
                department_name=(
                    str(departments[dispatch.department_id])
                    if dispatch is not None and dispatch.department_id in departments
                    else None
                ),
            )
        )
    return found
