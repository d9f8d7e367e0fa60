"""`redsteward places --community SLUG`: the place tree with the ids commands and pages ask for."""

from __future__ import annotations

import base64
from collections import defaultdict

from models.places import Building, Community, Compound, Entrance
from services.places.labels import full_label


def global_id(type_name: str, row_id: int) -> str:
    """The id the API shows for the row (Relay's base64 of "Type:id")."""
    return base64.b64encode(f"{type_name}:{row_id}".encode()).decode()


async def print_places(slug: str) -> int:
    community = await Community.get_or_none(slug=slug)
    if community is None:
        print(f"没有代号为 {slug!r} 的社区；用 `redsteward community-create` 创建。")
        return 2
    # Three statements for the whole tree, however large.
    compounds = await Compound.filter(community_id=community.id).order_by("id").values_list("id", "name")
    buildings: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for row_id, compound_id, name in (
        await Building.filter(community_id=community.id)
        .order_by("id")
        .values_list("id", "compound_id", "name")
    ):
        buildings[compound_id].append((row_id, name))
    entrances: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for row_id, building_id, name in (
        await Entrance.filter(community_id=community.id)
        .order_by("id")
        .values_list("id", "building_id", "name")
    ):
        entrances[building_id].append((row_id, name))

    building_count = sum(len(rows) for rows in buildings.values())
    entrance_count = sum(len(rows) for rows in entrances.values())
    print(
        f"{community.name}（{community.slug}）：{len(compounds)} 个小区，{building_count} 栋楼，"
        f"{entrance_count} 个单元。每行：名称、编号、接口里的全局 id（命令和页面两种都接受）。"
    )
    for compound_id, compound in compounds:
        print(f"{compound}  小区 {compound_id}  {global_id('Compound', compound_id)}")
        for building_id, building in buildings.get(compound_id, []):
            print(f"  {compound} {building}  楼栋 {building_id}  {global_id('Building', building_id)}")
            for entrance_id, entrance in entrances.get(building_id, []):
                label = full_label(compound, building, entrance)
                print(f"    {label}  单元 {entrance_id}  {global_id('Entrance', entrance_id)}")
    return 0
