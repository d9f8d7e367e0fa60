"""Setting up what lies above communities: a city, its districts, their streets, the communities
of each street, where each compound lies, the departments with the categories they own, and the
people holding street or district roles.

These are the district office's set-up steps, run by the CLI, the demo and tests (no app screen
sets them up yet). Each is idempotent by its natural key, so a set-up script can run twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from tortoise.transactions import in_transaction

from models.district import (
    City,
    CompoundArea,
    Department,
    DepartmentCategory,
    District,
    DistrictRole,
    DistrictRoleKind,
    Street,
    StreetCommunity,
)
from models.enums import ReportCategory, Role
from models.people import Membership, MembershipRole
from models.places import Community, Compound
from runtime.i18n import N_
from runtime.labels import word
from services.district.geo import Polygon, valid_polygon
from services.errors import DomainError, ErrorCode


def _area(area: Polygon, field: str = "area") -> list[list[float]]:
    points = [[float(p[0]), float(p[1])] for p in area]
    if not valid_polygon(points):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            N_("An area needs at least three valid latitude/longitude points."),
            field,
        )
    return points


async def city(name: str) -> City:
    row, _ = await City.get_or_create(name=name)
    return row


async def district(city_row: City, name: str, area: Polygon, slug: str) -> District:
    """A district and its own account space in the points engine (a community without places
    whose members are the district's outpost reporters)."""
    existing = await District.get_or_none(city_id=city_row.id, name=name)
    if existing is not None:
        return existing
    async with in_transaction():
        ledger = await Community.create(
            name=f"{name}前哨积分", slug=f"district-{slug}", district=name, city=city_row.name
        )
        return await District.create(
            city_id=city_row.id, name=name, area=_area(area), ledger_community_id=ledger.id
        )


async def street(district_row: District, name: str, area: Polygon) -> Street:
    row, _ = await Street.get_or_create(
        district_id=district_row.id, name=name, defaults={"area": _area(area)}
    )
    return row


async def link_community(street_row: Street, community: Community) -> StreetCommunity:
    existing = await StreetCommunity.get_or_none(community_id=community.id)
    if existing is not None:
        if existing.street_id != street_row.id:
            raise DomainError(
                ErrorCode.CONFLICT, N_("This community belongs to another street already."), "communityId"
            )
        return existing
    district_row = await District.get(id=street_row.district_id)
    async with in_transaction():
        link = await StreetCommunity.create(
            street_id=street_row.id, district_id=street_row.district_id, community_id=community.id
        )
        await Community.filter(id=community.id).update(district=district_row.name)
    return link


async def compound_area(compound: Compound, area: Polygon) -> CompoundArea:
    link = await StreetCommunity.get_or_none(community_id=compound.community_id)
    if link is None:
        raise DomainError(
            ErrorCode.NOT_IN_A_STREET, N_("This community is not linked to a street yet."), "compoundId"
        )
    existing = await CompoundArea.get_or_none(compound_id=compound.id)
    if existing is not None:
        existing.area = _area(area)
        await existing.save(update_fields=["area"])
        return existing
    return await CompoundArea.create(
        district_id=link.district_id,
        community_id=compound.community_id,
        compound_id=compound.id,
        area=_area(area),
    )


async def department(district_row: District, name: str, categories: Sequence[ReportCategory]) -> Department:
    """A department and the categories it owns (a category has one owner in a district)."""
    async with in_transaction():
        row, _ = await Department.get_or_create(district_id=district_row.id, name=name)
        for category in categories:
            owner = await DepartmentCategory.get_or_none(district_id=district_row.id, category=category)
            if owner is None:
                await DepartmentCategory.create(
                    district_id=district_row.id, department_id=row.id, category=category
                )
            elif owner.department_id != row.id:
                raise DomainError(
                    ErrorCode.CONFLICT,
                    N_("Another department owns {category} already."),
                    "categories",
                    category=word(category),
                )
    return row


def scope_key(
    role: DistrictRoleKind, district_id: int, street_id: int | None, department_id: int | None
) -> str:
    return f"{role.value}:{district_id}:{street_id or '-'}:{department_id or '-'}"


async def grant(
    user_id: int,
    district_row: District,
    role: DistrictRoleKind,
    street_row: Street | None = None,
    department_row: Department | None = None,
    title: str = "",
) -> DistrictRole:
    """Give someone a street or district role. A liaison needs a street, a department member a
    department; an outpost reporter may have a street (their beat) or the whole district, and
    joins the district's account space so the points engine can pay them."""
    if role is DistrictRoleKind.STREET_LIAISON and street_row is None:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("A street liaison needs a street."), "streetId")
    if role is DistrictRoleKind.DEPARTMENT_MEMBER and department_row is None:
        raise DomainError(
            ErrorCode.INVALID_INPUT, N_("A department member needs a department."), "departmentId"
        )
    for row, name in ((street_row, "streetId"), (department_row, "departmentId")):
        if row is not None and row.district_id != district_row.id:
            raise DomainError(ErrorCode.NOT_FOUND, N_("This district has no such item."), name)
    street_id = street_row.id if street_row is not None else None
    department_id = department_row.id if department_row is not None else None
    key = scope_key(role, district_row.id, street_id, department_id)
    async with in_transaction():
        held, _ = await DistrictRole.get_or_create(
            user_id=user_id,
            scope_key=key,
            defaults={
                "district_id": district_row.id,
                "street_id": street_id,
                "department_id": department_id,
                "role": role,
                "title": title,
            },
        )
        if role is DistrictRoleKind.OUTPOST_REPORTER:
            membership, created = await Membership.get_or_create(
                user_id=user_id, community_id=district_row.ledger_community_id
            )
            if created:
                await MembershipRole.create(
                    membership_id=membership.id,
                    community_id=district_row.ledger_community_id,
                    role=Role.RESIDENT,
                )
    return held
