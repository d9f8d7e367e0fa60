"""The reports of a district's communities as its street and district roles read them: the
liaison their street's, a department its categories and what was dispatched to it, the
coordinator all; filtered by street, community and state, a page at a time at a fixed number of
statements; and nothing of the residents' private data (who reported, phones, care tags,
households) whoever reads them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from models.enums import CareTagKind, ReportCategory, Role
from models.places import HouseholdCareTag
from services import reports as report_flow
from services.access import load_viewer
from services.district import hierarchy
from tests.conftest import QueryCounter
from tests.support.district import ASSIGN, REFER, STREET_CLAIM, DistrictApi, Town
from tests.support.graphql import GraphQLClient
from tests.support.people import Neighbourhood, Person, gid, make_neighbourhood, make_person

READ = """
query R($d: ID!, $street: ID, $community: ID, $states: [ReportState!], $first: Int, $after: String) {
  districtReports(districtId: $d, streetId: $street, communityId: $community, states: $states,
                  first: $first, after: $after) {
    totalCount
    nodes {
      id communityId communityName streetId streetName placeLabel category text state
      escalationLevel createdAt claimDueAt resolveDueAt claimedAt resolvedAt closedAt rating
      dispatchId dispatchState departmentName
    }
    pageInfo { hasNextPage endCursor }
  }
}"""

TYPED_PHONE = "138 1234 5678"


@dataclass
class East:
    place: Neighbourhood
    resident: Person
    staff: Person


async def _east(town: Town) -> East:
    """新南社区 on 新南街道, with a resident and its office."""
    place = await make_neighbourhood("xinnan", "新南社区")
    await hierarchy.link_community(town.east, place.community)
    return East(
        place,
        await make_person(place.community, name="李大爷", household=place.households[1]),
        await make_person(place.community, (Role.STAFF,), name="孙主任"),
    )


async def _file(
    person: Person, place: Neighbourhood, category: ReportCategory, text: str, **more: Any
) -> int:
    filed = await report_flow.file_report(
        await load_viewer(person.user.id), place.entrance, category, text, rate_limited=False, **more
    )
    return filed.report.id


async def _reports(api: GraphQLClient, person: Person | None, **variables: Any) -> dict[str, Any]:
    return await api.post(READ, variables, person.token if person else None)


def _ids(body: dict[str, Any]) -> set[str]:
    assert "errors" not in body, body["errors"]
    return {n["id"] for n in body["data"]["districtReports"]["nodes"]}


def _code(body: dict[str, Any]) -> str:
    assert body.get("data") is None or body["data"].get("districtReports") is None
    return str(body["errors"][0]["extensions"]["code"])


async def _world(district_api: DistrictApi, town: Town) -> tuple[East, dict[str, str]]:
    east = await _east(town)
    west = town.place
    made = {
        "west plumbing": await _file(
            town.resident, west, ReportCategory.PLUMBING, f"水管漏水，电话 {TYPED_PHONE}"
        ),
        "west facility": await _file(town.resident, west, ReportCategory.PUBLIC_FACILITY, "健身器材松动"),
        "west proxy": await _file(
            town.staff,
            west,
            ReportCategory.LIGHTING,
            "替邻居报：楼道灯坏了",
            proxy_for_user_id=town.resident.user.id,
            proxy_channel="电话回访 139 0000 1111",
        ),
        "east sanitation": await _file(east.resident, east.place, ReportCategory.SANITATION, "垃圾没人清"),
        "east plumbing": await _file(east.resident, east.place, ReportCategory.PLUMBING, "主管道爆裂"),
    }
    ids = {name: gid("Report", report_id) for name, report_id in made.items()}
    # 新南's office refers its burst main; the street dispatches it to 住建, which owns no
    # plumbing: 住建 reads it because it was dispatched there.
    referred = await district_api.move(REFER, east.staff, reportId=ids["east plumbing"], note="主管道属市政")
    assert referred["errors"] == []
    dispatch = referred["dispatch"]["id"]
    await district_api.move(STREET_CLAIM, town.east_liaison, dispatchId=dispatch)
    await district_api.move(
        ASSIGN, town.east_liaison, dispatchId=dispatch, departmentId=gid("Department", town.zhujian.id)
    )
    for place in (west, east.place):
        await HouseholdCareTag.create(
            community_id=place.community.id, household_id=place.households[0].id, kind=CareTagKind.HARDSHIP
        )
    return east, ids


async def test_each_role_reads_its_communities_reports_and_nothing_private(
    district_api: DistrictApi, api: GraphQLClient, town: Town
) -> None:
    east, ids = await _world(district_api, town)
    d = town.district_id
    west = {ids["west plumbing"], ids["west facility"], ids["west proxy"]}
    eastern = {ids["east sanitation"], ids["east plumbing"]}
    seen: list[Any] = []

    async def read(person: Person | None) -> dict[str, Any]:
        body = await _reports(api, person, d=d, first=50)
        seen.append(body)
        return body

    assert _ids(await read(town.coordinator)) == west | eastern
    assert _ids(await read(town.liaison)) == west
    assert _ids(await read(town.east_liaison)) == eastern
    # 住建 owns public facilities (and hazards), and got the burst main by dispatch
    assert _ids(await read(town.builder)) == {ids["west facility"], ids["east plumbing"]}
    # 城管 owns sanitation
    assert _ids(await read(town.sweeper)) == {ids["east sanitation"]}
    # an outpost reporter holds a role in the district but reads no reports
    assert _code(await read(town.courier)) == "OUT_OF_JURISDICTION"
    # another district's department, the communities' own people, anyone signed out
    for outsider in (town.stranger, town.resident, town.staff, east.staff, town.repairer):
        assert _code(await read(outsider)) == "NOT_FOUND"
    assert _code(await read(None)) == "UNAUTHENTICATED"

    everything = {n["id"]: n for n in (await read(town.coordinator))["data"]["districtReports"]["nodes"]}
    plumbing = everything[ids["west plumbing"]]
    assert plumbing["placeLabel"] == "休闲小区 4号楼 2单元"
    assert (plumbing["communityName"], plumbing["streetName"]) == ("红星社区", "红军路街道")
    assert plumbing["text"] == "水管漏水，电话 138****5678"
    burst = everything[ids["east plumbing"]]
    assert (burst["dispatchState"], burst["departmentName"]) == ("DISPATCHED", "住建")

    text = json.dumps(seen, ensure_ascii=False)
    people = [town.resident, town.staff, town.repairer, east.resident, east.staff]
    for person in people:
        assert person.phone not in text and person.phone[3:] not in text
        assert person.user.display_name not in text
    for private in ("1234 5678", "12345678", "139 0000 1111", "电话回访", "HARDSHIP", "301", "302"):
        assert private not in text, private


async def test_filters_pages_and_refusals(district_api: DistrictApi, api: GraphQLClient, town: Town) -> None:
    east, ids = await _world(district_api, town)
    d = town.district_id
    by_street = await _reports(api, town.coordinator, d=d, street=gid("Street", town.east.id))
    assert _ids(by_street) == {ids["east sanitation"], ids["east plumbing"]}
    by_community = await _reports(
        api, town.coordinator, d=d, community=gid("Community", east.place.community.id)
    )
    assert _ids(by_community) == {ids["east sanitation"], ids["east plumbing"]}
    assert _ids(await _reports(api, town.liaison, d=d, states=["OPEN"])) == {
        ids["west plumbing"],
        ids["west facility"],
        ids["west proxy"],
    }
    assert _ids(await _reports(api, town.coordinator, d=d, states=["CLAIMED", "RESOLVED"])) == set()
    # a department narrows within what it reads
    assert _ids(await _reports(api, town.builder, d=d, street=gid("Street", town.east.id))) == {
        ids["east plumbing"]
    }

    # newest first, two at a time, with the total
    first = (await _reports(api, town.coordinator, d=d, first=2))["data"]["districtReports"]
    assert first["totalCount"] == 5 and first["pageInfo"]["hasNextPage"]
    pages = [n["id"] for n in first["nodes"]]
    after = first["pageInfo"]["endCursor"]
    while after:
        page = (await _reports(api, town.coordinator, d=d, first=2, after=after))["data"]["districtReports"]
        pages += [n["id"] for n in page["nodes"]]
        after = page["pageInfo"]["endCursor"] if page["pageInfo"]["hasNextPage"] else None
    assert pages == sorted(ids.values(), key=lambda g: -int(_raw(g)))

    # another street's liaison, another street or community, another district's
    refused = await _reports(api, town.liaison, d=d, street=gid("Street", town.east.id))
    assert _code(refused) == "OUT_OF_JURISDICTION"
    refused = await _reports(api, town.liaison, d=d, community=gid("Community", east.place.community.id))
    assert _code(refused) == "OUT_OF_JURISDICTION"
    other = await hierarchy.district(
        await hierarchy.city("鹤岗市"),
        "兴山区",
        [[47.40, 130.20], [47.40, 130.30], [47.45, 130.25]],
        "xingshan",
    )
    elsewhere = await hierarchy.street(other, "沿湖街道", [[47.40, 130.20], [47.40, 130.30], [47.45, 130.25]])
    assert (
        _code(await _reports(api, town.coordinator, d=d, street=gid("Street", elsewhere.id))) == "NOT_FOUND"
    )
    assert _code(await _reports(api, town.coordinator, d=gid("District", other.id))) == "NOT_FOUND"
    unlinked = await make_neighbourhood("lone", "孤岛社区")
    lone = gid("Community", unlinked.community.id)
    assert _code(await _reports(api, town.coordinator, d=d, community=lone)) == "NOT_FOUND"
    assert "INVALID_INPUT" in await api.error_codes(READ, {"d": d, "first": 101}, town.coordinator.token)


def _raw(global_id: str) -> str:
    import base64

    return base64.b64decode(global_id).decode().split(":", 1)[1]


async def test_a_page_costs_the_same_with_2_or_10_reports(
    api: GraphQLClient, town: Town, queries: QueryCounter
) -> None:
    # Every category once at the entrance (a second active report of a category there would be
    # a duplicate): 住建 owns two of them.
    categories = [ReportCategory.PUBLIC_FACILITY, ReportCategory.PLUMBING] + [
        c for c in ReportCategory if c not in (ReportCategory.PUBLIC_FACILITY, ReportCategory.PLUMBING)
    ]

    async def reports(n: int) -> None:
        for _ in range(n):
            await _file(town.resident, town.place, categories.pop(0), "问题")

    await reports(2)
    readers = (town.coordinator, town.builder)
    few: list[int] = []
    for person in readers:
        queries.statements.clear()
        small = await api.data(READ, {"d": town.district_id, "first": 50}, person.token)
        few.append(queries.count)
        assert len(small["districtReports"]["nodes"]) == (2 if person is town.coordinator else 1)
    await reports(8)
    for person, before in zip(readers, few, strict=True):
        queries.statements.clear()
        large = await api.data(READ, {"d": town.district_id, "first": 50}, person.token)
        assert len(large["districtReports"]["nodes"]) == (10 if person is town.coordinator else 2)
        assert queries.count == before, person.user.display_name
