"""Every place and asset answers its full label; a page of them costs one more statement, not one
per row."""

from __future__ import annotations

from models.enums import AssetKind, Role
from models.places import Asset, Entrance
from services import tags
from services.access import load_viewer
from tests.conftest import QueryCounter
from tests.support.graphql import GraphQLClient
from tests.support.people import gid, make_neighbourhood, make_person

TREE = """
query Tree($id: ID!) {
  community(id: $id) {
    compounds { nodes { name label buildings { nodes { label entrances { nodes {
      name label households { nodes { label } }
    } } } } } }
  }
}"""
ASSET = "query S($code: String!) { scanTag(code: $code) { scan { label asset { label place { label } } } } }"
BOARD = """
query B($id: ID!) {
  groupBoard(communityId: $id, kind: ENTRANCES) { entries { name label } errors { code } }
}"""


async def test_each_level_of_the_tree_reads_its_full_label(api: GraphQLClient, queries: QueryCounter) -> None:
    place = await make_neighbourhood()
    for n in range(3, 9):
        await Entrance.create(community=place.community, building=place.building, name=f"{n}单元")
    staff = await make_person(place.community, (Role.STAFF,))

    queries.statements.clear()
    data = await api.data(TREE, {"id": gid("Community", place.community.id)}, staff.token)
    [compound] = data["community"]["compounds"]["nodes"]
    assert compound["label"] == "休闲小区"
    [building] = compound["buildings"]["nodes"]
    assert building["label"] == "休闲小区 4号楼"
    entrances = building["entrances"]["nodes"]
    assert [e["label"] for e in entrances] == [f"休闲小区 4号楼 {n}单元" for n in range(2, 9)]
    assert [h["label"] for h in entrances[0]["households"]["nodes"]] == [
        "休闲小区 4号楼 2单元 301",
        "休闲小区 4号楼 2单元 302",
    ]
    # One joined statement per level of labels, however many entrances: no statement per row.
    labels = [s for s in queries.statements if "JOIN" in s.upper()]
    assert len(labels) <= 4, labels


async def test_an_asset_and_its_place(api: GraphQLClient) -> None:
    place = await make_neighbourhood()
    lamp = await Asset.create(
        community=place.community,
        compound=place.compound,
        entrance=place.entrance,
        kind=AssetKind.LAMP,
        name="楼道灯",
    )
    staff = await make_person(place.community, (Role.STAFF,))
    tag = await tags.create_tag(await load_viewer(staff.user.id), lamp)
    data = await api.data(ASSET, {"code": tags.code_of(tag)}, staff.token)
    assert data["scanTag"]["scan"]["label"] == "休闲小区 4号楼 2单元 楼道灯"
    assert data["scanTag"]["scan"]["asset"] == {
        "label": "休闲小区 4号楼 2单元 楼道灯",
        "place": {"label": "休闲小区 4号楼 2单元"},
    }


async def test_the_entrance_board_names_each_entrance_in_full(api: GraphQLClient) -> None:
    place = await make_neighbourhood()
    resident = await make_person(place.community, household=place.households[0])
    data = await api.data(BOARD, {"id": gid("Community", place.community.id)}, resident.token)
    assert data["groupBoard"]["entries"] == [{"name": "2单元", "label": "休闲小区 4号楼 2单元"}]
