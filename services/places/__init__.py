"""The places of a community: reading them with access checks, creating and renaming them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from tortoise.exceptions import IntegrityError
from tortoise.models import Model
from tortoise.transactions import in_transaction

from models.enums import CareTagKind
from models.places import Building, Community, Compound, Entrance, Household, HouseholdCareTag
from runtime.database import by_id
from runtime.i18n import N_
from services.access import Viewer
from services.errors import DomainError, ErrorCode

M = TypeVar("M", bound=Model)
Place = Compound | Building | Entrance | Household

NAME_MAX = 100
HOUSEHOLD_NUMBER_MAX = 40


def _not_found(field: str | None = None) -> DomainError:
    return DomainError(ErrorCode.NOT_FOUND, N_("Not found."), field)


async def rows_by_ids(model: type[M], ids: Sequence[int]) -> list[M | None]:
    rows = {row.pk: row for row in await model.filter(id__in=list(set(ids)))}
    return [rows.get(i) for i in ids]


async def care_tags_by_household(household_ids: Sequence[int]) -> list[list[CareTagKind]]:
    """Raw batch read; callers must have checked `Viewer.require_staff` for each household."""
    tags: dict[int, list[CareTagKind]] = defaultdict(list)
    for row in await HouseholdCareTag.filter(household_id__in=list(set(household_ids))).order_by("kind"):
        tags[row.household_id].append(CareTagKind(row.kind))
    return [tags.get(hid, []) for hid in household_ids]


def can_see_household(viewer: Viewer, household: Household) -> bool:
    """The office (staff, admin) sees the register; a member sees their own home only.
    Care tags are narrower still: `Viewer.require_staff`."""
    return viewer.manages(household.community_id) or (
        viewer.is_member(household.community_id)
        and viewer.households.get(household.community_id) == household.id
    )


async def get_community(viewer: Viewer, community_id: int, field: str = "id") -> Community:
    viewer.require_user()
    community = await Community.get_or_none(id=community_id)
    if community is None or not viewer.is_member(community.id):
        raise _not_found(field)
    return community


async def get_place(viewer: Viewer, model: type[M], place_id: int, field: str = "id") -> M:
    """A compound, building, entrance or household the viewer may see, or NOT_FOUND."""
    viewer.require_user()
    place = await by_id(model, place_id)  # a report's place: hand-written, as hot as the report
    community_id = getattr(place, "community_id", None)
    if place is None or community_id is None or not viewer.is_member(community_id):
        raise _not_found(field)
    if isinstance(place, Household) and not can_see_household(viewer, place):
        raise _not_found(field)
    return place


def _clean_name(name: str, limit: int = NAME_MAX, field: str = "name") -> str:
    cleaned = " ".join((name or "").split())
    if not 1 <= len(cleaned) <= limit:
        raise DomainError(
            ErrorCode.INVALID_INPUT, N_("Enter a name of 1 to {limit} characters."), field, limit=limit
        )
    return cleaned


def _clean_area(area: Decimal | str | None) -> Decimal | None:
    if area is None:
        return None
    try:
        value = Decimal(str(area))
    except InvalidOperation:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("Enter the area in square metres."), "areaM2") from None
    if not value.is_finite() or value <= 0 or value >= 100000 or value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            N_("The area must be above 0 and below 100,000 m², with at most 2 decimals."),
            "areaM2",
        )
    return value


async def create_place(
    viewer: Viewer,
    parent: Community | Compound | Building | Entrance,
    name: str,
    area_m2: Decimal | str | None = None,
) -> Place:
    """Create the child of a parent place: compound in a community, building in a compound, …"""
    community_id = parent.id if isinstance(parent, Community) else parent.community_id
    viewer.require_manager(community_id)
    if area_m2 is not None and not isinstance(parent, Entrance):
        # Dropping it silently would let the app believe it stored an area somewhere.
        raise DomainError(ErrorCode.INVALID_INPUT, N_("Only households have an area."), "areaM2")
    try:
        async with in_transaction():
            if isinstance(parent, Community):
                return await Compound.create(community_id=community_id, name=_clean_name(name))
            if isinstance(parent, Compound):
                return await Building.create(
                    community_id=community_id, compound_id=parent.id, name=_clean_name(name)
                )
            if isinstance(parent, Building):
                return await Entrance.create(
                    community_id=community_id, building_id=parent.id, name=_clean_name(name)
                )
            return await Household.create(
                community_id=community_id,
                entrance_id=parent.id,
                number=_clean_name(name, HOUSEHOLD_NUMBER_MAX),
                area_m2=_clean_area(area_m2),
            )
    except IntegrityError:
        raise DomainError(
            ErrorCode.NAME_TAKEN, N_("A place with this name is already there."), "name"
        ) from None


async def rename_place(viewer: Viewer, place: Place, name: str) -> Place:
    viewer.require_manager(place.community_id)
    limit = HOUSEHOLD_NUMBER_MAX if isinstance(place, Household) else NAME_MAX
    cleaned = _clean_name(name, limit)
    try:
        async with in_transaction():
            if isinstance(place, Household):
                place.number = cleaned
            else:
                place.name = cleaned
            await place.save()
    except IntegrityError:
        raise DomainError(
            ErrorCode.NAME_TAKEN, N_("A place with this name is already there."), "name"
        ) from None
    return place


async def set_care_tags(
    viewer: Viewer, household: Household, kinds: Sequence[CareTagKind]
) -> list[CareTagKind]:
    """Replace a household's care tags. Staff only; the change is one transaction."""
    viewer.require_staff(household.community_id)
    wanted = sorted(set(kinds))
    async with in_transaction():
        # One writer per household at a time: without the lock two concurrent sets on PostgreSQL
        # both insert the same tag (a unique violation, so a masked error) or leave the union of
        # both sets, which nobody asked for. SQLite serializes writers anyway.
        await Household.filter(id=household.id).select_for_update().get()
        await HouseholdCareTag.filter(household_id=household.id).exclude(kind__in=wanted).delete()
        existing = set(
            await HouseholdCareTag.filter(household_id=household.id).values_list("kind", flat=True)
        )
        await HouseholdCareTag.bulk_create(
            [
                HouseholdCareTag(community_id=household.community_id, household_id=household.id, kind=kind)
                for kind in wanted
                if kind not in existing
            ]
        )
    return wanted
