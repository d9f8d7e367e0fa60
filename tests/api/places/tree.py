"""Growing place trees of a chosen shape, and snapshots of the register to prove nothing changed."""

from __future__ import annotations

from typing import Any

from models.places import Building, Community, Compound, Entrance, Household, HouseholdCareTag


async def grow(
    community: Community, compounds: int, buildings: int, entrances: int, households: int, prefix: str = ""
) -> None:
    """Add `compounds` compounds, each with `buildings` buildings, each with `entrances` entrances,
    each with `households` households, named predictably ("1号院", "1号楼", "1单元", "101")."""
    start = await Compound.filter(community=community).count()
    for c in range(start + 1, start + compounds + 1):
        compound = await Compound.create(community=community, name=f"{prefix}{c}号院")
        await Building.bulk_create(
            [
                Building(community=community, compound=compound, name=f"{prefix}{b}号楼")
                for b in range(1, buildings + 1)
            ]
        )
        for building in await Building.filter(compound=compound):
            await Entrance.bulk_create(
                [
                    Entrance(community=community, building=building, name=f"{e}单元")
                    for e in range(1, entrances + 1)
                ]
            )
        for entrance in await Entrance.filter(building__compound=compound):
            await Household.bulk_create(
                [
                    Household(community=community, entrance=entrance, number=f"{h + 100}")
                    for h in range(1, households + 1)
                ]
            )


async def register_snapshot() -> dict[str, Any]:
    """Every place row and care tag, in a form two snapshots can be compared by equality."""
    return {
        "compounds": await Compound.all().order_by("id").values_list("id", "community_id", "name"),
        "buildings": await Building.all().order_by("id").values_list("id", "compound_id", "name"),
        "entrances": await Entrance.all().order_by("id").values_list("id", "building_id", "name"),
        "households": [
            (hid, eid, number, str(area))
            for hid, eid, number, area in await Household.all()
            .order_by("id")
            .values_list("id", "entrance_id", "number", "area_m2")
        ],
        "care_tags": await HouseholdCareTag.all().order_by("id").values_list("household_id", "kind"),
    }
