"""The demo's district (issue 21): 示范区 with two streets, the two demo communities on them, three
departments, and the people of the three-level dispatch.

    示范区 ─ 红军路街道 (west) ─ 红星社区, its compounds side by side along the street
           └ 新南街道 (east)   ─ 滨河社区
    departments: 住建 (public facilities, hazards), 城管 (sanitation, parking, illegal
                 construction, snow and ice), 供水 (plumbing)
    people: a liaison per street, a coordinator (营商局), one member per department, five
            couriers of the outpost (前哨)

Idempotent: a second call finds everything by its natural key and adds nothing. `seed-demo` runs
it after the communities (services.demo.run); a community not seeded yet is left out. Everyone
signs in with the demo password; `DISTRICT_LOGINS` lists their phone numbers (138 0000 00xx, apart
from the communities' 139…) as the printed logins do.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta

from models.district import Department, District, DistrictRoleKind
from models.enums import ReportCategory
from models.people import User
from models.places import Community, Compound
from services.demo.people import DEMO_PASSWORD
from services.demo.story import Story
from services.district import dispatch as flow
from services.district import hierarchy, outpost, rewards
from services.passwords import hash_password
from services.phones import normalize_phone
from services.reports.clocks import run_clock_tick

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
MEMBER_OF = {"住建": "zhujian", "城管": "chengguan", "供水": "gongshui"}
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


async def seed_district(password_hash: str | None = None) -> DistrictDemo:
    """`password_hash`: the demo password's hash when the caller has one (argon2 takes a good
    fraction of a second)."""
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


# ── the story: a month of the outpost, told through the services ─────────────────────────

# (days into the month, hour, courier login, category, what they saw, where): 红军路 at 47.340 N
# runs north of 红星社区's compounds, 新南街道's streets east of 130.275 E.
SNAPS: tuple[tuple[int, int, str, ReportCategory, str, tuple[float, float]], ...] = (
    (2, 8, "courier 1", ReportCategory.PUBLIC_FACILITY, "井盖破损，车辆经过有响声", (47.340, 130.250)),
    (5, 10, "courier 2", ReportCategory.SANITATION, "路口垃圾堆放多日", (47.320, 130.320)),
    (9, 15, "courier 1", ReportCategory.SAFETY_HAZARD, "人行道地砖塌陷", (47.345, 130.230)),
    (14, 9, "courier 3", ReportCategory.PARKING, "消防通道被车辆占用", (47.310, 130.300)),
    (20, 17, "courier 4", ReportCategory.PUBLIC_FACILITY, "公交站护栏倒了", (47.350, 130.260)),
    (24, 11, "worker", ReportCategory.PLUMBING, "路边消火栓漏水", (47.340, 130.330)),
)
# The demo district's cash rewards of a month's ranking, by rank (fen): ¥200, ¥100, ¥50; people
# tied at a rank each get its amount (services.district.rewards.TIE_RULE).
REWARDS = (20000, 10000, 5000)
PHOTO_COLOUR = (90, 90, 90)


def _photo() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (96, 72), PHOTO_COLOUR).save(out, format="JPEG", quality=80)
    return out.getvalue()


async def seed_story(story: Story) -> None:
    """Last month: couriers snap six problems on the streets; each street's liaison claims in
    time and dispatches to the department owning the category, which claims and feeds back with
    a photo; the couriers confirm; the district office pays the ranking's cash rewards. This
    month: one snap waits for its street, and one nobody claimed sits with the coordinator."""
    found = (await seed_district()).district
    users = {
        login.label: (await User.get(phone=normalize_phone(login.phone))).id for login in DISTRICT_LOGINS
    }
    department_of = {category: name for name, owned in DEPARTMENTS.items() for category in owned}
    departments = {d.name: d.id for d in await Department.filter(district_id=found.id)}
    photo = _photo()
    for days, hour, label, category, text, (lat, lng) in SNAPS:
        start = story.month_start(1) + timedelta(days=days, hours=hour)
        story.at(start)
        snapped = await outpost.snap(
            await story.viewer(users[label]),
            found.id,
            category,
            text,
            [photo],
            latitude=lat,
            longitude=lng,
            idempotency_key=f"demo-snap-{days}",
        )
        assert snapped.dispatch is not None
        dispatch_id = snapped.dispatch.id
        liaison = users["liaison west"] if lng < 130.275 else users["liaison east"]
        story.at(start + timedelta(minutes=12))
        await flow.street_claim(await story.viewer(liaison), dispatch_id)
        story.at(start + timedelta(minutes=20))
        owner = department_of[category]
        await flow.assign(await story.viewer(liaison), dispatch_id, departments[owner])
        member = users[MEMBER_OF[owner]]
        story.at(start + timedelta(minutes=45))
        await flow.department_claim(await story.viewer(member), dispatch_id)
        story.at(start + timedelta(hours=26))
        await flow.feed_back(await story.viewer(member), dispatch_id, "已处理完毕，现场已恢复", [photo])
        story.at(start + timedelta(hours=30))
        await flow.confirm(await story.viewer(users[label]), dispatch_id, 5)
    # The month is over: the office pays the top of the ranking.
    month = story.month_name(1)
    story.at(story.month_start(0) + timedelta(days=1, hours=2))
    office = await story.viewer(users["coordinator"])
    for row, amount in rewards.due(await outpost.ranking(office, found.id, month), REWARDS):
        await rewards.pay(office, found.id, month, row.user_id, amount)
    # This month: a snap nobody claimed (the clock sends it to the coordinator), and a fresh one
    # waiting for its street.
    for minutes_ago, label, category, text, (lat, lng) in (
        (480, "courier 3", ReportCategory.ILLEGAL_CONSTRUCTION, "路边私搭彩钢房", (47.355, 130.215)),
        (10, "courier 2", ReportCategory.SNOW_ICE, "人行道结冰，老人易滑倒", (47.335, 130.290)),
    ):
        story.at(story.recent(minutes=minutes_ago))
        await outpost.snap(
            await story.viewer(users[label]),
            found.id,
            category,
            text,
            [photo],
            latitude=lat,
            longitude=lng,
            idempotency_key=f"demo-snap-now-{minutes_ago}",
        )
        if minutes_ago > 60:
            story.at(story.recent(minutes=minutes_ago - 40))
            await run_clock_tick()
