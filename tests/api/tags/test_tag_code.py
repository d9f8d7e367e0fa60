"""Tag.code: the app gets the signed code itself instead of cutting it out of `url`."""

from __future__ import annotations

from services import tags
from services.access import load_viewer
from tests.api.tags.conftest import TagWorld
from tests.support.graphql import GraphQLClient
from tests.support.people import gid

TAG = "query T($id: ID!) { node(id: $id) { ... on Tag { code url label } } }"
SCAN = "query S($code: String!) { scanTag(code: $code) { scan { label } errors { code } } }"


async def test_the_code_is_what_the_url_ends_with_and_scans_back(api: GraphQLClient, world: TagWorld) -> None:
    tag = await tags.create_tag(await load_viewer(world.staff.user.id), world.lamp)
    data = await api.data(TAG, {"id": gid("Tag", tag.id)}, world.staff.token)
    node = data["node"]
    assert node["code"] == tags.code_of(tag)
    assert node["url"].endswith(f"/t/{node['code']}")
    scanned = await api.data(SCAN, {"code": node["code"]}, world.resident.token)
    assert scanned["scanTag"]["scan"]["label"] == node["label"] == "休闲小区 4号楼 2单元 楼道灯"
