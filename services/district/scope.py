"""Who holds which street or district role. Read per call from `district_role` (the request's
Viewer holds community roles only), and the checks every district service runs.

Someone with no role in a district is told an object there does not exist (NOT_FOUND, as for
another community's objects); someone with a role there acting outside their own street or
department gets OUT_OF_JURISDICTION, which tells them nothing they could not see anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.district import DistrictRole, DistrictRoleKind
from runtime.i18n import N_
from services.access import Viewer
from services.errors import DomainError, ErrorCode


@dataclass(frozen=True)
class Held:
    district_id: int
    role: DistrictRoleKind
    street_id: int | None
    department_id: int | None


@dataclass(frozen=True)
class DistrictScope:
    """The caller's street and district roles."""

    user_id: int
    held: tuple[Held, ...]

    def in_district(self, district_id: int) -> bool:
        return any(h.district_id == district_id for h in self.held)

    def has(self, district_id: int, role: DistrictRoleKind) -> bool:
        return any(h.district_id == district_id and h.role is role for h in self.held)

    def coordinates(self, district_id: int) -> bool:
        return self.has(district_id, DistrictRoleKind.DISTRICT_COORDINATOR)

    def liaison_of(self, street_id: int) -> bool:
        return any(h.role is DistrictRoleKind.STREET_LIAISON and h.street_id == street_id for h in self.held)

    def member_of(self, department_id: int | None) -> bool:
        return department_id is not None and any(
            h.role is DistrictRoleKind.DEPARTMENT_MEMBER and h.department_id == department_id
            for h in self.held
        )

    def streets(self, role: DistrictRoleKind) -> set[int]:
        return {h.street_id for h in self.held if h.role is role and h.street_id is not None}

    def departments(self) -> set[int]:
        return {
            h.department_id
            for h in self.held
            if h.role is DistrictRoleKind.DEPARTMENT_MEMBER and h.department_id is not None
        }

    def districts(self, *roles: DistrictRoleKind) -> set[int]:
        return {h.district_id for h in self.held if not roles or h.role in roles}


async def scope_of(viewer: Viewer) -> DistrictScope:
    user_id = viewer.user_id
    rows = await DistrictRole.filter(user_id=user_id).values(
        "district_id", "role", "street_id", "department_id"
    )
    return DistrictScope(
        user_id,
        tuple(
            Held(r["district_id"], DistrictRoleKind(r["role"]), r["street_id"], r["department_id"])
            for r in rows
        ),
    )


def not_found(field: str | None) -> DomainError:
    return DomainError(ErrorCode.NOT_FOUND, N_("Not found."), field)


def out_of_jurisdiction(message: str, field: str | None) -> DomainError:
    """`message` is an N_ text of the caller's."""
    return DomainError(ErrorCode.OUT_OF_JURISDICTION, message, field)
