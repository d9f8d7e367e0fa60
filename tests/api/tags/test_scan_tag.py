"""Scanning a code: where you stand, what can be reported, whether you may; and bad codes."""

from __future__ import annotations

import base64

import pytest

from models.enums import AssetKind, ReportCategory, Role
from models.places import Asset
from models.tags import Tag
from services import signed_codes, tags
from services.access import Viewer, load_viewer
from tests.api.tags.conftest import TagWorld
from tests.conftest import QueryCounter
from tests.support.graphql import GraphQLClient
from tests.support.people import make_person

SCAN = """query($code: String!) { scanTag(code: $code) {
  scan { label communityName compoundName buildingName entranceName assetName mayReport categories
         community { name } place { __typename name } asset { name kind } tag { version } }
  errors { code field } } }"""

ALL_TEN = [c.name for c in ReportCategory]


async def entrance_tag(world: TagWorld) -> Tag:
    return await tags.create_tag(await load_viewer(world.staff.user.id), world.place.entrance)


async def test_signed_out_scanner_sees_where_but_may_not_report(api: GraphQLClient, world: TagWorld) -> None:
    tag = await entrance_tag(world)
    scan = (await api.data(SCAN, {"code": tags.code_of(tag)}))["scanTag"]["scan"]
    assert scan == {
        "label": "休闲小区 4号楼 2单元",
        "communityName": "红星社区",
        "compoundName": "休闲小区",
        "buildingName": "4号楼",
        "entranceName": "2单元",
        "assetName": None,
        "mayReport": False,
        "categories": ALL_TEN,
        "community": None,
        "place": None,
        "asset": None,
        "tag": None,
    }


async def test_the_ten_categories_are_exactly_the_issue_s(api: GraphQLClient, world: TagWorld) -> None:
    assert ALL_TEN == [
        "LIGHTING",
        "PLUMBING",
        "ELECTRICAL",
        "ILLEGAL_CONSTRUCTION",
        "SNOW_ICE",
        "SANITATION",
        "PARKING",
        "PUBLIC_FACILITY",
        "SAFETY_HAZARD",
        "OTHER",
    ]


async def test_a_member_may_report_and_sees_the_place(api: GraphQLClient, world: TagWorld) -> None:
    tag = await entrance_tag(world)
    scan = (await api.data(SCAN, {"code": tags.code_of(tag)}, world.resident.token))["scanTag"]["scan"]
    assert scan["mayReport"] is True
    assert scan["place"] == {"__typename": "Entrance", "name": "2单元"}
    assert scan["community"] == {"name": "红星社区"}
    assert scan["tag"] is None  # the tag itself is the office's business


async def test_staff_also_see_the_tag(api: GraphQLClient, world: TagWorld) -> None:
    tag = await entrance_tag(world)
    scan = (await api.data(SCAN, {"code": tags.code_of(tag)}, world.staff.token))["scanTag"]["scan"]
    assert scan["tag"] == {"version": 1}


async def test_a_member_of_another_community_may_not_report_here(api: GraphQLClient, world: TagWorld) -> None:
    tag = await entrance_tag(world)
    stranger = await make_person(world.other.community, (Role.RESIDENT,))
    scan = (await api.data(SCAN, {"code": tags.code_of(tag)}, stranger.token))["scanTag"]["scan"]
    assert (scan["mayReport"], scan["place"], scan["community"]) == (False, None, None)
    assert scan["label"] == "休闲小区 4号楼 2单元"


async def test_an_asset_tag_offers_what_can_break_on_it(api: GraphQLClient, world: TagWorld) -> None:
    tag = await tags.create_tag(await load_viewer(world.staff.user.id), world.lamp)
    scan = (await api.data(SCAN, {"code": tags.code_of(tag)}, world.resident.token))["scanTag"]["scan"]
    assert scan["categories"] == ["LIGHTING", "ELECTRICAL", "SAFETY_HAZARD", "OTHER"]
    assert scan["asset"] == {"name": "楼道灯", "kind": "LAMP"}
    assert scan["place"] == {"__typename": "Entrance", "name": "2单元"}
    assert scan["label"] == "休闲小区 4号楼 2单元 楼道灯"


async def test_every_kind_of_tag_is_placed_as_its_printed_label_places_it(
    api: GraphQLClient, world: TagWorld
) -> None:
    # given tags on the compound, the building, the entrance, the stairwell lamp and a yard lamp
    # that hangs on the compound alone
    yard_lamp = await Asset.create(
        community=world.place.community, compound=world.place.compound, kind=AssetKind.LAMP, name="院灯"
    )
    staff = await load_viewer(world.staff.user.id)
    targets: list[tags.Target] = [
        world.place.compound,
        world.place.building,
        world.place.entrance,
        world.lamp,
        yard_lamp,
    ]
    names = []
    for target in targets:
        tag = await tags.create_tag(staff, target)

        # when a passer-by scans each
        scanned = await tags.scan(Viewer(), tags.code_of(tag))

        # then it names the same places, from the same rows, as the printed sheet's reader
        (printed,) = await tags.locations_of([tag])
        assert scanned.location == printed
        assert [(type(r), r.pk) for r in scanned.location.rows] == [(type(r), r.pk) for r in printed.rows]
        names.append(scanned.location.label)
    assert names == [
        "休闲小区",
        "休闲小区 4号楼",
        "休闲小区 4号楼 2单元",
        "休闲小区 4号楼 2单元 楼道灯",
        "休闲小区 院灯",
    ]


def _altered(code: str) -> str:
    raw = bytearray(base64.b32decode(code + "=" * (-len(code) % 8)))
    raw[0] ^= 0x01  # another tag id, same signature
    return base64.b32encode(bytes(raw)).decode().rstrip("=")


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda c: c[:-1], id="truncated"),
        pytest.param(lambda c: c[:10], id="half"),
        pytest.param(_altered, id="altered id"),
        pytest.param(
            lambda c: signed_codes.sign("tag", (1, 1), "another-secret-0123456789-abcdef"), id="forged"
        ),
        pytest.param(lambda c: "not-a-code", id="garbage"),
        pytest.param(lambda c: "", id="empty"),
    ],
)
async def test_codes_we_did_not_print_are_invalid(
    api: GraphQLClient, world: TagWorld, mangle: object
) -> None:
    tag = await entrance_tag(world)
    code = mangle(tags.code_of(tag))  # type: ignore[operator]
    payload = (await api.data(SCAN, {"code": code}))["scanTag"]
    assert payload == {"scan": None, "errors": [{"code": "TAG_CODE_INVALID", "field": "code"}]}


async def test_a_genuine_code_of_a_tag_that_does_not_exist_is_not_found(
    api: GraphQLClient, world: TagWorld
) -> None:
    code = signed_codes.sign("tag", (999_999, 1))
    payload = (await api.data(SCAN, {"code": code}))["scanTag"]
    assert payload["errors"] == [{"code": "NOT_FOUND", "field": "code"}]


async def test_forged_codes_cost_no_database_query(
    api: GraphQLClient, world: TagWorld, queries: QueryCounter
) -> None:
    forged = signed_codes.sign("tag", (1, 1), "another-secret-0123456789-abcdef")
    before = queries.count
    await api.data(SCAN, {"code": forged})
    assert queries.count == before  # anonymous: no viewer to load either


async def test_scanning_costs_a_fixed_number_of_queries(
    api: GraphQLClient, world: TagWorld, queries: QueryCounter
) -> None:
    tag = await tags.create_tag(await load_viewer(world.staff.user.id), world.lamp)
    before = queries.count
    await api.data(SCAN, {"code": tags.code_of(tag)}, world.staff.token)
    # viewer (1) + one statement of the tag with its asset, places, community and the reports
    # being handled there, whose rows the place and asset fields are handed
    assert queries.count - before == 2


PHONE = "query($code: String!) { scanTag(code: $code) { scan { officePhone community { officePhone } } } }"


async def test_anyone_with_a_valid_code_reads_the_offices_phone(api: GraphQLClient, world: TagWorld) -> None:
    # given an office with its phone set, and one without
    tag = await entrance_tag(world)
    before = (await api.data(PHONE, {"code": tags.code_of(tag)}))["scanTag"]["scan"]
    world.place.community.office_phone = "0451-8888 6666"
    await world.place.community.save(update_fields=["office_phone"])

    # when a passer-by, a member of another community and a resident scan
    stranger = await make_person(world.other.community, (Role.RESIDENT,))
    seen = [
        (await api.data(PHONE, {"code": tags.code_of(tag)}, token))["scanTag"]["scan"]
        for token in (None, stranger.token, world.resident.token)
    ]

    # then each reads the number (the community itself stays the members' business)
    assert before == {"officePhone": "", "community": None}
    assert seen == [
        {"officePhone": "0451-8888 6666", "community": None},
        {"officePhone": "0451-8888 6666", "community": None},
        {"officePhone": "0451-8888 6666", "community": {"officePhone": "0451-8888 6666"}},
    ]
    forged = signed_codes.sign("tag", (tag.id, tag.version), "another-secret-0123456789-abcdef")
    assert (await api.data(PHONE, {"code": forged}))["scanTag"]["scan"] is None
