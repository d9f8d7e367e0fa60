"""The register of the demo communities: compounds, buildings, entrances, households with their
areas (fees are billed per m²), the assets on them and the care tags of some households.

The register goes through `import_places`, the path a real community office uses; assets and care
tags are written in bulk (no service guards an invariant over them, and one by one they would cost
seconds).
"""

from __future__ import annotations

import io
import random
from collections.abc import Sequence
from typing import cast

from tortoise.functions import Count

from models.enums import AssetKind, CareTagKind, Role
from models.people import Membership, MembershipRole
from models.places import Asset, Building, Community, Compound, Entrance, Household, HouseholdCareTag
from services.places.importer import import_places

HONGXING = "hongxing"
BINHE = "binhe"

HONGXING_COMPOUNDS = (
    "休闲小区",
    "幸福小区",
    "和平小区",
    "光明小区",
    "团结小区",
    "友谊小区",
    "春晖小区",
    "建设小区",
)
# 34 buildings in all, as in the real community.
BUILDINGS_PER_COMPOUND = (5, 4, 5, 4, 4, 4, 4, 4)
TARGET_HOUSEHOLDS = 3200
# Walk-ups of the eighties have 5–7 floors, later blocks up to 18: this keeps the mix plausible.
MIN_FLOORS, MAX_FLOORS = 5, 18
CARE_TAG_SHARE = 0.05

_COUNT_NAMES = {
    Role.RESIDENT: "residents",
    Role.VOLUNTEER: "volunteers",
    Role.CAPTAIN: "captains",
    Role.REPAIRER: "repairers",
    Role.CLEANER: "cleaners",
    Role.STAFF: "staff",
    Role.ADMIN: "admins",
    Role.OBSERVER: "observers",
    Role.MEDIATOR: "mediators",
}


async def create_hongxing(seed: int) -> Community:
    hongxing = await Community.create(
        name="红星社区",
        slug=HONGXING,
        timezone="Asia/Shanghai",
        district="示范区",
        city="示范市",
        # The tag page and the board offer it to a resident with no app and no account (a demo
        # number, written as an office writes it: area code, then the line).
        office_phone="0468-8888 6666",
    )
    await import_places(hongxing, io.StringIO(hongxing_register(seed)))
    await _add_assets(hongxing.id)
    await _add_care_tags(hongxing.id, await household_ids(hongxing.id), random.Random(seed))
    return hongxing


async def create_binhe() -> Community:
    binhe = await Community.create(
        name="滨河社区", slug=BINHE, timezone="Asia/Shanghai", district="示范区", city="示范市"
    )
    await import_places(binhe, io.StringIO(binhe_register()))
    return binhe


async def household_ids(community_id: int) -> list[int]:
    ids = await Household.filter(community_id=community_id).order_by("id").values_list("id", flat=True)
    return cast(list[int], ids)


def hongxing_register(seed: int) -> str:
    """The register as a community office would export it: one CSV row per household."""
    rng = random.Random(seed)
    buildings = [
        (compound, f"{number}号楼")
        for compound, count in zip(HONGXING_COMPOUNDS, BUILDINGS_PER_COMPOUND, strict=True)
        for number in range(1, count + 1)
    ]
    entrances = [rng.randint(2, 4) for _ in buildings]
    lines = ["compound,building,entrance,household,area_m2"]
    households_left, entrances_left = TARGET_HOUSEHOLDS, sum(entrances)
    for (compound, building), entrance_count in zip(buildings, entrances, strict=True):
        per_floor = rng.choice((2, 2, 3))
        # Aim each building at the households still to place, with some variety around the aim.
        aim = round(households_left / entrances_left / per_floor) + rng.randint(-3, 3)
        floors = min(MAX_FLOORS, max(MIN_FLOORS, aim))
        # Flats in the same position on every floor have the same plan, hence the same area.
        areas = [rng.randint(4500, 12800) for _ in range(per_floor)]
        for entrance in range(1, entrance_count + 1):
            for floor in range(1, floors + 1):
                for flat, cents in enumerate(areas, start=1):
                    area = f"{cents // 100}.{cents % 100:02d}"
                    lines.append(f"{compound},{building},{entrance}单元,{floor}{flat:02d},{area}")
        households_left -= entrance_count * floors * per_floor
        entrances_left -= entrance_count
    return "\n".join(lines) + "\n"


def binhe_register() -> str:
    lines = ["小区,楼栋,单元,户号,面积"]
    for building in ("1号楼", "2号楼"):
        for floor in range(1, 4):
            for flat in (1, 2):
                lines.append(f"滨河小区,{building},1单元,{floor}{flat:02d},{60 + 8 * flat}.00")
    return "\n".join(lines) + "\n"


async def _add_assets(community_id: int) -> None:
    scope = {"community_id": community_id}
    buildings = await Building.filter(**scope).order_by("id").values_list("id", "compound_id", "name")
    entrances = await Entrance.filter(**scope).order_by("id").values_list("id", "building_id", "name")
    compounds = dict(await Compound.filter(**scope).values_list("id", "name"))
    compound_of = {building_id: compound_id for building_id, compound_id, _name in buildings}
    building_name = {building_id: name for building_id, _compound_id, name in buildings}
    assets: list[Asset] = []

    def add(
        kind: AssetKind,
        name: str,
        compound_id: int,
        building_id: int | None = None,
        entrance_id: int | None = None,
    ) -> None:
        assets.append(
            Asset(
                community_id=community_id,
                compound_id=compound_id,
                building_id=building_id,
                entrance_id=entrance_id,
                kind=kind,
                name=name,
            )
        )

    for compound_id, name in compounds.items():
        add(AssetKind.CAMERA, f"{name}东门摄像头", compound_id)
        add(AssetKind.CAMERA, f"{name}西门摄像头", compound_id)
    for index, (building_id, compound_id, name) in enumerate(buildings):
        add(AssetKind.PIPE, f"{name}供水管", compound_id, building_id)
        if index % 2 == 0:
            add(AssetKind.GARDEN_BED, f"{name}前花坛", compound_id, building_id)
    for entrance_id, building_id, name in entrances:
        place = f"{building_name[building_id]}{name}"
        add(AssetKind.LAMP, f"{place}楼道灯", compound_of[building_id], building_id, entrance_id)
        add(AssetKind.DOOR, f"{place}单元门", compound_of[building_id], building_id, entrance_id)
    await Asset.bulk_create(assets)


async def _add_care_tags(community_id: int, household_ids: Sequence[int], rng: random.Random) -> None:
    kinds = (CareTagKind.PARTY_MEMBER, CareTagKind.LIVING_ALONE, CareTagKind.HARDSHIP, CareTagKind.DISABILITY)
    weights = (40, 30, 15, 15)
    tagged = sorted(rng.sample(list(household_ids), round(len(household_ids) * CARE_TAG_SHARE)))
    tags: list[HouseholdCareTag] = []
    for index, household_id in enumerate(tagged):
        # Needs come together: one tagged household in ten carries a second tag.
        count = 2 if index % 10 == 0 else 1
        chosen: list[CareTagKind] = []
        while len(chosen) < count:
            kind = rng.choices(kinds, weights)[0]
            if kind not in chosen:
                chosen.append(kind)
        tags.extend(
            HouseholdCareTag(community_id=community_id, household_id=household_id, kind=kind)
            for kind in chosen
        )
    await HouseholdCareTag.bulk_create(tags)


async def counts() -> dict[str, int]:
    """What the two demo communities hold now, by name; read back rather than remembered so a
    second run reports the same numbers as the first."""
    counts: dict[str, int] = {}
    for slug, prefix in ((HONGXING, ""), (BINHE, "binhe_")):
        community = await Community.get_or_none(slug=slug)
        if community is None:
            continue
        scope = {"community_id": community.id}
        counts[prefix + "compounds"] = await Compound.filter(**scope).count()
        counts[prefix + "buildings"] = await Building.filter(**scope).count()
        counts[prefix + "entrances"] = await Entrance.filter(**scope).count()
        counts[prefix + "households"] = await Household.filter(**scope).count()
        counts[prefix + "assets"] = await Asset.filter(**scope).count()
        counts[prefix + "care_tags"] = await HouseholdCareTag.filter(**scope).count()
        counts[prefix + "members"] = await Membership.filter(**scope).count()
        by_role = await (
            MembershipRole.filter(**scope).annotate(n=Count("id")).group_by("role").values_list("role", "n")
        )
        held = {str(role): n for role, n in by_role}
        for role in Role:
            counts[prefix + _COUNT_NAMES[role]] = held.get(role.value, 0)
    return counts
