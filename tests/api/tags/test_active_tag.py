"""Staff find the tag of a place (to re-issue a lost sticker) by browsing the register."""

from __future__ import annotations

from models.places import Entrance
from services import tags
from services.access import load_viewer
from tests.api.tags.conftest import TagWorld
from tests.conftest import QueryCounter
from tests.support.graphql import GraphQLClient
from tests.support.people import gid

REGISTER = """query($id: ID!) { community(id: $id) { compounds { nodes { activeTag { url }
  buildings { nodes { activeTag { url } entrances { nodes { name activeTag { url version } } } } } } } } }"""


async def test_staff_see_each_entrance_s_active_tag_in_one_query(
    api: GraphQLClient, world: TagWorld, queries: QueryCounter
) -> None:
    for number in range(3, 9):
        await Entrance.create(
            community=world.place.community, building=world.place.building, name=f"{number}单元"
        )
    viewer = await load_viewer(world.staff.user.id)
    result = await tags.create_for_building(viewer, world.place.building)
    lost = next(t for t in result.tags if t.entrance_id == world.place.entrance.id)
    new = await tags.reissue(viewer, lost)
    before = queries.count
    data = await api.data(REGISTER, {"id": gid("Community", world.place.community.id)}, world.staff.token)
    used = queries.count - before
    (compound,) = data["community"]["compounds"]["nodes"]
    assert compound["activeTag"] is None
    (building,) = compound["buildings"]["nodes"]
    assert building["activeTag"] is None
    entrances = {e["name"]: e["activeTag"] for e in building["entrances"]["nodes"]}
    assert len(entrances) == 8 and all(entrances.values())
    assert entrances["2单元"] == {"url": tags.url_of(new), "version": 2}
    # viewer 1, community, compounds + count-free pages 3, one active-tag read per level.
    assert used <= 8, used


async def test_residents_may_not_see_tags_in_the_register(api: GraphQLClient, world: TagWorld) -> None:
    query = "query($id: ID!) { node(id: $id) { ... on Entrance { activeTag { url } } } }"
    codes = await api.error_codes(
        query, {"id": gid("Entrance", world.place.entrance.id)}, world.resident.token
    )
    assert codes == ["FORBIDDEN"]


async def test_a_tag_is_a_node_for_its_office_only(api: GraphQLClient, world: TagWorld) -> None:
    tag = await tags.create_tag(await load_viewer(world.staff.user.id), world.place.entrance)
    query = "query($id: ID!) { node(id: $id) { ... on Tag { url label } } }"
    variables = {"id": gid("Tag", tag.id)}
    data = await api.data(query, variables, world.staff.token)
    assert data["node"] == {"url": tags.url_of(tag), "label": "休闲小区 4号楼 2单元"}
    assert (await api.data(query, variables, world.other_staff.token))["node"] is None
    assert await api.error_codes(query, variables, world.resident.token) == ["FORBIDDEN"]
