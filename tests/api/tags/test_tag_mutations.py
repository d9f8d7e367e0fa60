"""Staff create tags one at a time or in bulk, revoke them and re-issue them."""

from __future__ import annotations

from models.enums import AssetKind
from models.places import Asset
from models.tags import Tag
from tests.api.tags.conftest import TagWorld
from tests.support.graphql import GraphQLClient
from tests.support.people import gid

TAG_FIELDS = "id url pngUrl svgUrl label version revoked revokedAt createdAt targetKind"
CREATE = f"""mutation($id: ID!) {{ tagCreate(input: {{targetId: $id}}) {{
  tag {{ {TAG_FIELDS} place {{ __typename name }} asset {{ name kind }} }}
  errors {{ code field }} }} }}"""
BULK_BUILDING = f"""mutation($id: ID!) {{ tagsCreateForBuilding(input: {{buildingId: $id}}) {{
  tags {{ {TAG_FIELDS} place {{ name }} }} createdCount errors {{ code field }} }} }}"""
BULK_ASSETS = f"""mutation($id: ID!) {{ tagsCreateForCompoundAssets(input: {{compoundId: $id}}) {{
  tags {{ {TAG_FIELDS} asset {{ name }} }} createdCount errors {{ code field }} }} }}"""
REVOKE = f"""mutation($id: ID!) {{ tagRevoke(input: {{id: $id}}) {{
  tag {{ {TAG_FIELDS} }} errors {{ code field }} }} }}"""
REISSUE = f"""mutation($id: ID!) {{ tagReissue(input: {{id: $id}}) {{
  tag {{ {TAG_FIELDS} }} revokedTag {{ {TAG_FIELDS} }} errors {{ code field }} }} }}"""
SCAN = "query($code: String!) { scanTag(code: $code) { scan { label } errors { code } } }"


def code_of(url: str) -> str:
    return url.rsplit("/t/", 1)[1]


async def test_staff_tag_an_entrance(api: GraphQLClient, world: TagWorld) -> None:
    data = await api.data(CREATE, {"id": gid("Entrance", world.place.entrance.id)}, world.staff.token)
    tag = data["tagCreate"]["tag"]
    assert data["tagCreate"]["errors"] == []
    assert tag["url"].startswith("http://127.0.0.1:8000/t/")
    assert 18 <= len(code_of(tag["url"])) <= 26
    assert tag["pngUrl"] == tag["url"].replace("/t/", "/qr/") + ".png"
    assert tag["svgUrl"] == tag["url"].replace("/t/", "/qr/") + ".svg"
    assert tag["label"] == "休闲小区 4号楼 2单元"
    assert tag["place"] == {"__typename": "Entrance", "name": "2单元"}
    assert tag["asset"] is None
    assert (tag["version"], tag["revoked"], tag["targetKind"]) == (1, False, "ENTRANCE")
    stored = await Tag.get()
    assert stored.created_by_id == world.staff.user.id


async def test_a_second_active_tag_for_the_same_place_is_refused(api: GraphQLClient, world: TagWorld) -> None:
    variables = {"id": gid("Entrance", world.place.entrance.id)}
    await api.data(CREATE, variables, world.staff.token)
    data = await api.data(CREATE, variables, world.staff.token)
    assert data["tagCreate"] == {"tag": None, "errors": [{"code": "TAG_EXISTS", "field": "targetId"}]}
    assert await Tag.all().count() == 1


async def test_staff_tag_an_asset_and_the_label_says_where_it_is(api: GraphQLClient, world: TagWorld) -> None:
    data = await api.data(CREATE, {"id": gid("Asset", world.lamp.id)}, world.staff.token)
    tag = data["tagCreate"]["tag"]
    assert tag["label"] == "休闲小区 4号楼 2单元 楼道灯"
    assert tag["asset"] == {"name": "楼道灯", "kind": "LAMP"}
    assert tag["place"] == {"__typename": "Entrance", "name": "2单元"}


async def test_households_cannot_be_tagged(api: GraphQLClient, world: TagWorld) -> None:
    data = await api.data(CREATE, {"id": gid("Household", world.place.households[0].id)}, world.staff.token)
    assert data["tagCreate"]["errors"] == [{"code": "INVALID_PARENT", "field": "targetId"}]


async def test_bulk_tags_every_entrance_once(api: GraphQLClient, world: TagWorld) -> None:
    variables = {"id": gid("Building", world.place.building.id)}
    first = (await api.data(BULK_BUILDING, variables, world.staff.token))["tagsCreateForBuilding"]
    assert first["createdCount"] == 2
    assert sorted(t["place"]["name"] for t in first["tags"]) == ["1单元", "2单元"]
    again = (await api.data(BULK_BUILDING, variables, world.staff.token))["tagsCreateForBuilding"]
    assert again["createdCount"] == 0
    assert [t["url"] for t in again["tags"]] == [t["url"] for t in first["tags"]]
    assert await Tag.all().count() == 2


async def test_bulk_fills_in_only_what_is_missing(api: GraphQLClient, world: TagWorld) -> None:
    await api.data(CREATE, {"id": gid("Entrance", world.place.entrance.id)}, world.staff.token)
    data = await api.data(BULK_BUILDING, {"id": gid("Building", world.place.building.id)}, world.staff.token)
    assert data["tagsCreateForBuilding"]["createdCount"] == 1
    assert len(data["tagsCreateForBuilding"]["tags"]) == 2


async def test_bulk_tags_every_asset_of_a_compound(api: GraphQLClient, world: TagWorld) -> None:
    await Asset.create(
        community=world.place.community,
        compound=world.place.compound,
        kind=AssetKind.CAMERA,
        name="东门摄像头",
    )
    variables = {"id": gid("Compound", world.place.compound.id)}
    data = await api.data(BULK_ASSETS, variables, world.staff.token)
    payload = data["tagsCreateForCompoundAssets"]
    assert payload["createdCount"] == 2
    assert sorted(t["asset"]["name"] for t in payload["tags"]) == ["东门摄像头", "楼道灯"]
    again = await api.data(BULK_ASSETS, variables, world.staff.token)
    assert again["tagsCreateForCompoundAssets"]["createdCount"] == 0


async def test_a_revoked_tag_says_so_when_scanned(api: GraphQLClient, world: TagWorld) -> None:
    tag = (await api.data(CREATE, {"id": gid("Entrance", world.place.entrance.id)}, world.staff.token))[
        "tagCreate"
    ]["tag"]
    revoked = (await api.data(REVOKE, {"id": tag["id"]}, world.staff.token))["tagRevoke"]
    assert revoked["tag"]["revoked"] is True and revoked["tag"]["revokedAt"]
    scan = await api.data(SCAN, {"code": code_of(tag["url"])})
    assert scan["scanTag"] == {"scan": None, "errors": [{"code": "TAG_REVOKED"}]}
    twice = await api.data(REVOKE, {"id": tag["id"]}, world.staff.token)
    assert twice["tagRevoke"]["errors"] == [{"code": "TAG_REVOKED", "field": "id"}]


async def test_revoking_frees_the_place_for_a_new_tag(api: GraphQLClient, world: TagWorld) -> None:
    variables = {"id": gid("Entrance", world.place.entrance.id)}
    old = (await api.data(CREATE, variables, world.staff.token))["tagCreate"]["tag"]
    await api.data(REVOKE, {"id": old["id"]}, world.staff.token)
    new = (await api.data(CREATE, variables, world.staff.token))["tagCreate"]["tag"]
    assert new["version"] == 2 and new["url"] != old["url"]


async def test_reissue_revokes_the_old_code_and_prints_a_new_one(api: GraphQLClient, world: TagWorld) -> None:
    old = (await api.data(CREATE, {"id": gid("Entrance", world.place.entrance.id)}, world.staff.token))[
        "tagCreate"
    ]["tag"]
    payload = (await api.data(REISSUE, {"id": old["id"]}, world.staff.token))["tagReissue"]
    assert payload["errors"] == []
    assert payload["revokedTag"]["id"] == old["id"] and payload["revokedTag"]["revoked"] is True
    new = payload["tag"]
    assert (new["version"], new["revoked"], new["label"]) == (2, False, old["label"])
    assert new["url"] != old["url"]
    assert (await api.data(SCAN, {"code": code_of(old["url"])}))["scanTag"]["errors"] == [
        {"code": "TAG_REVOKED"}
    ]
    assert (await api.data(SCAN, {"code": code_of(new["url"])}))["scanTag"]["scan"]["label"] == old["label"]


async def test_residents_may_not_manage_tags(api: GraphQLClient, world: TagWorld) -> None:
    codes = await api.error_codes(
        CREATE, {"id": gid("Entrance", world.place.entrance.id)}, world.resident.token
    )
    assert codes == ["FORBIDDEN"]
    codes = await api.error_codes(
        BULK_BUILDING, {"id": gid("Building", world.place.building.id)}, world.resident.token
    )
    assert codes == ["FORBIDDEN"]
    assert await Tag.all().count() == 0


async def test_signed_out_callers_may_not_manage_tags(api: GraphQLClient, world: TagWorld) -> None:
    codes = await api.error_codes(CREATE, {"id": gid("Entrance", world.place.entrance.id)})
    assert codes == ["UNAUTHENTICATED"]


async def test_another_community_s_places_and_tags_are_not_found(api: GraphQLClient, world: TagWorld) -> None:
    variables = {"id": gid("Entrance", world.place.entrance.id)}
    data = await api.data(CREATE, variables, world.other_staff.token)
    assert data["tagCreate"]["errors"] == [{"code": "NOT_FOUND", "field": "targetId"}]
    data = await api.data(
        BULK_ASSETS, {"id": gid("Compound", world.place.compound.id)}, world.other_staff.token
    )
    assert data["tagsCreateForCompoundAssets"]["errors"] == [{"code": "NOT_FOUND", "field": "compoundId"}]
    data = await api.data(CREATE, {"id": gid("Asset", world.lamp.id)}, world.other_staff.token)
    assert data["tagCreate"]["errors"] == [{"code": "NOT_FOUND", "field": "targetId"}]
    tag = (await api.data(CREATE, variables, world.staff.token))["tagCreate"]["tag"]
    for mutation, name in ((REVOKE, "tagRevoke"), (REISSUE, "tagReissue")):
        data = await api.data(mutation, {"id": tag["id"]}, world.other_staff.token)
        assert data[name]["errors"] == [{"code": "NOT_FOUND", "field": "id"}]
    stored = await Tag.get()
    assert stored.revoked_at is None
