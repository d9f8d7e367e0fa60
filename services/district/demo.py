"""The demo's district (the hook the demo calls): 示范区 with two streets, the two demo
communities on them, three departments, and the people of the three-level dispatch.

    示范区 ─ 红军路街道 (west) ─ 红星社区, its compounds side by side along the street
           └ 新南街道 (east)   ─ 滨河社区
    departments: 住建 (public facilities, hazards), 城管 (sanitation, parking, illegal
                 construction, snow and ice), 供水 (plumbing)
    people: a liaison per street, a coordinator (营商局), one member per department, five
            couriers of the outpost (前哨)

Idempotent: a second call finds everything by its natural key and adds nothing. Run it after
the communities are seeded; a community not seeded yet is left out. Everyone signs in with the
demo password; `DISTRICT_LOGINS` lists their phone numbers as the printed logins do.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from models.district import District, DistrictRoleKind
from models.enums import ReportCategory
from models.people import User
from models.places import Community, Compound
from services.district import hierarchy
from services.passwords import hash_password
from services.phones import normalize_phone

CITY = "示范市"
DISTRICT = "示范区"
# A box of about 7 × 11 km; the west half is 红军路街道, the east half 新南街道.
DISTRICT_AREA = [[47.30, 130.20], [47.30, 130.35], [47.36, 130.35], [47.36, 130.20]]
STREETS = {
    "红军路街道": [[47.30, 130.20], [47.30, 130.275], [47.36, 130.275], [47.36, 130.20]],
    "新南街道": [[47.30, 130.275], [47.30, 130.35], [47.36, 130.35], [47.36, 130.275]],
}
COMMUNITIES = {"hongxing": "红军路街道", "binhe": "新南街道"}
# Compounds are laid out west to east along 47.33 N, 0.006° (≈ 450 m) apart, each 0.004° square.
COMPOUND_ROW = {"红军路街道": (47.330, 130.210), "新南街道": (47.330, 130.285)}
DEPARTMENTS = {
    "住建": (ReportCategory.PUBLIC_FACILITY, ReportCategory.SAFETY_HAZARD),
    "城管": (
        ReportCategory.SANITATION,
        ReportCategory.PARKING,
        ReportCategory.ILLEGAL_CONSTRUCTION,
        ReportCategory.SNOW_ICE,
    ),
    "供水": (ReportCategory.PLUMBING,),
}
DEMO_PASSWORD = "hongxing-demo-2026"  # noqa: S105 - the demo's printed password (services.demo_seed)


@dataclass(frozen=True)
class DistrictLogin:
    label: str
    name: str
    phone: str  # local form, as printed


# (label, name, role, street, department, title)
PEOPLE: tuple[tuple[str, str, DistrictRoleKind, str | None, str | None, str], ...] = (
    ("liaison west", "赵联络", DistrictRoleKind.STREET_LIAISON, "红军路街道", None, ""),
    ("liaison east", "钱联络", DistrictRoleKind.STREET_LIAISON, "新南街道", None, ""),
    ("coordinator", "吴协调", DistrictRoleKind.DISTRICT_COORDINATOR, None, None, "营商局"),
    ("zhujian", "孙建", DistrictRoleKind.DEPARTMENT_MEMBER, None, "住建", ""),
    ("chengguan", "周城", DistrictRoleKind.DEPARTMENT_MEMBER, None, "城管", ""),
    ("gongshui", "郑水", DistrictRoleKind.DEPARTMENT_MEMBER, None, "供水", ""),
    ("courier 1", "刘快递", DistrictRoleKind.OUTPOST_REPORTER, None, None, "快递员"),
    ("courier 2", "陈快递", DistrictRoleKind.OUTPOST_REPORTER, None, None, "快递员"),
    ("courier 3", "杨快递", DistrictRoleKind.OUTPOST_REPORTER, None, None, "快递员"),
    ("courier 4", "黄快递", DistrictRoleKind.OUTPOST_REPORTER, "红军路街道", None, "快递员"),
    ("worker", "林社工", DistrictRoleKind.OUTPOST_REPORTER, "新南街道", None, "社区工作者"),
)
FIRST_PHONE = 13800000001
DISTRICT_LOGINS = tuple(
    DistrictLogin(label, name, str(FIRST_PHONE + i)) for i, (label, name, *_) in enumerate(PEOPLE)
)


@dataclass
class DistrictDemo:
    district: District
    logins: tuple[DistrictLogin, ...] = DISTRICT_LOGINS
    communities: list[str] = field(default_factory=list)


def _square(lat: float, lng: float, side: float = 0.004) -> list[list[float]]:
    return [[lat, lng], [lat, lng + side], [lat + side, lng + side], [lat + side, lng]]


async def seed_district() -> DistrictDemo:
    city = await hierarchy.city(CITY)
    district = await hierarchy.district(city, DISTRICT, DISTRICT_AREA, "demo")
    streets = {name: await hierarchy.street(district, name, area) for name, area in STREETS.items()}
    linked: list[str] = []
    for slug, street_name in COMMUNITIES.items():
        community = await Community.get_or_none(slug=slug)
        if community is None:
            continue
        await hierarchy.link_community(streets[street_name], community)
        lat, lng = COMPOUND_ROW[street_name]
        for n, compound in enumerate(await Compound.filter(community_id=community.id).order_by("id")):
            await hierarchy.compound_area(compound, _square(lat, lng + n * 0.006))
        linked.append(slug)
    departments = {
        name: await hierarchy.department(district, name, owned) for name, owned in DEPARTMENTS.items()
    }
    password_hash: str | None = None
    for login, (_, _, role, street, department, title) in zip(DISTRICT_LOGINS, PEOPLE, strict=True):
        phone = normalize_phone(login.phone)
        user = await User.get_or_none(phone=phone)
        if user is None:
            password_hash = password_hash or await asyncio.to_thread(hash_password, DEMO_PASSWORD)
            user = await User.create(phone=phone, password_hash=password_hash, display_name=login.name)
        await hierarchy.grant(
            user.id,
            district,
            role,
            street_row=streets[street] if street else None,
            department_row=departments[department] if department else None,
            title=title,
        )
    return DistrictDemo(district, DISTRICT_LOGINS, linked)
