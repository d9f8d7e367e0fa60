"""A district for tests: 工农区 with two streets, a community on one of them, three departments,
the people who hold street and district roles, a courier, and the calls the app makes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx

from models.district import Department, District, DistrictRoleKind, Street
from models.enums import ReportCategory, Role
from services.district import hierarchy
from tests.support.graphql import GraphQLClient
from tests.support.people import Neighbourhood, Person, gid, make_neighbourhood, make_person
from tests.support.photos import jpeg_with_gps

# 工农区: a box of about 7 × 11 km; 红军路街道 its western half, 新南街道 its eastern half.
DISTRICT_AREA = [[47.30, 130.20], [47.30, 130.35], [47.36, 130.35], [47.36, 130.20]]
WEST = [[47.30, 130.20], [47.30, 130.275], [47.36, 130.275], [47.36, 130.20]]
EAST = [[47.30, 130.275], [47.30, 130.35], [47.36, 130.35], [47.36, 130.275]]
# 休闲小区, a compound of 红星社区 on 红军路街道.
COMPOUND = [[47.330, 130.230], [47.330, 130.240], [47.336, 130.240], [47.336, 130.230]]
ON_THE_STREET = (47.320, 130.250)  # 红军路 outside every compound
IN_THE_COMPOUND = (47.333, 130.235)
EAST_STREET = (47.320, 130.300)
OUTSIDE = (47.500, 130.250)  # north of the district

DISPATCH_FIELDS = """
  id state source category text address latitude longitude districtName streetName departmentName
  reportId mine streetClaimDueAt departmentClaimDueAt fixDueAt streetClaimedAt dispatchedAt
  departmentClaimedAt fedBackAt feedbackNote sendBackReason rating createdAt
  timeline { kind fromState toState departmentName note at }
"""


def _mutation(name: str, input_type: str) -> str:
    return (
        f"mutation M($input: {input_type}!) {{ {name}(input: $input) "
        f"{{ dispatch {{ {DISPATCH_FIELDS} }} errors {{ code field message }} }} }}"
    )


REFER = _mutation("reportRefer", "ReportReferInput")
STREET_CLAIM = _mutation("dispatchStreetClaim", "DispatchInput")
ASSIGN = _mutation("dispatchAssign", "DispatchAssignInput")
SEND_BACK = _mutation("dispatchSendBack", "DispatchReasonInput")
DEPARTMENT_CLAIM = _mutation("dispatchDepartmentClaim", "DispatchInput")
DISPUTE = _mutation("dispatchDispute", "DispatchReasonInput")
FEEDBACK = _mutation("dispatchFeedback", "DispatchFeedbackInput")
CONFIRM = _mutation("dispatchConfirm", "DispatchConfirmInput")
OUTPOST = (
    "mutation M($input: OutpostReportInput!) { outpostReport(input: $input) "
    f"{{ dispatch {{ {DISPATCH_FIELDS} }} reportId errors {{ code field message }} }} }}"
)
READ = f"query R($id: ID!) {{ dispatch(id: $id) {{ {DISPATCH_FIELDS} }} }}"
QUEUE = (
    "query Q($queue: DispatchQueue!) { dispatchQueue(queue: $queue) "
    "{ edges { node { id state streetName } } pageInfo { hasNextPage } } }"
)
RANKING = (
    "query R($d: ID!, $m: String!) "
    "{ outpostRanking(districtId: $d, month: $m) { rank name title points snaps } }"
)
ROLLUP = """
query R($d: ID!, $m: String!) {
  districtRollup(districtId: $d, month: $m) {
    streetId name satisfaction
    reportsByState { state count } dispatchesByState { state count }
    communityClaim { onTime total percent } communityFix { onTime total percent }
    streetClaim { onTime total percent } departmentClaim { onTime total percent }
    departmentFix { onTime total percent }
  }
}"""
ROLLUP_CSV = "query R($d: ID!, $m: String!) { districtRollupCsv(districtId: $d, month: $m) }"


@dataclass
class Town:
    district: District
    west: Street
    east: Street
    zhujian: Department  # 住建: public facilities, hazards
    chengguan: Department  # 城管: sanitation, parking, illegal construction
    gongshui: Department  # 供水: plumbing
    place: Neighbourhood
    resident: Person
    staff: Person
    repairer: Person
    courier: Person
    liaison: Person  # 红军路街道
    east_liaison: Person  # 新南街道
    builder: Person  # 住建
    sweeper: Person  # 城管
    coordinator: Person  # 营商局
    stranger: Person  # a department member of another district

    @property
    def district_id(self) -> str:
        return gid("District", self.district.id)


async def make_town() -> Town:
    city = await hierarchy.city("鹤岗市")
    district = await hierarchy.district(city, "工农区", DISTRICT_AREA, "gongnong")
    west = await hierarchy.street(district, "红军路街道", WEST)
    east = await hierarchy.street(district, "新南街道", EAST)
    place = await make_neighbourhood()
    await hierarchy.link_community(west, place.community)
    await hierarchy.compound_area(place.compound, COMPOUND)
    zhujian = await hierarchy.department(
        district, "住建", [ReportCategory.PUBLIC_FACILITY, ReportCategory.SAFETY_HAZARD]
    )
    chengguan = await hierarchy.department(
        district,
        "城管",
        [ReportCategory.SANITATION, ReportCategory.PARKING, ReportCategory.ILLEGAL_CONSTRUCTION],
    )
    gongshui = await hierarchy.department(district, "供水", [ReportCategory.PLUMBING])
    other = await hierarchy.district(
        city, "兴山区", [[47.40, 130.20], [47.40, 130.30], [47.45, 130.25]], "xingshan"
    )
    other_department = await hierarchy.department(other, "住建", [ReportCategory.PUBLIC_FACILITY])

    async def holder(name: str, role: DistrictRoleKind, d: District = district, **scope: Any) -> Person:
        person = await make_person(name=name)
        await hierarchy.grant(person.user.id, d, role, title=scope.pop("title", ""), **scope)
        return person

    return Town(
        district=district,
        west=west,
        east=east,
        zhujian=zhujian,
        chengguan=chengguan,
        gongshui=gongshui,
        place=place,
        resident=await make_person(place.community, name="王阿姨", household=place.households[0]),
        staff=await make_person(place.community, (Role.STAFF,), name="陈主任"),
        repairer=await make_person(place.community, (Role.REPAIRER,), name="张师傅"),
        courier=await holder("快递小哥刘", DistrictRoleKind.OUTPOST_REPORTER, title="快递员"),
        liaison=await holder("街道联络员赵", DistrictRoleKind.STREET_LIAISON, street_row=west),
        east_liaison=await holder("街道联络员钱", DistrictRoleKind.STREET_LIAISON, street_row=east),
        builder=await holder("住建孙", DistrictRoleKind.DEPARTMENT_MEMBER, department_row=zhujian),
        sweeper=await holder("城管周", DistrictRoleKind.DEPARTMENT_MEMBER, department_row=chengguan),
        coordinator=await holder("营商局吴", DistrictRoleKind.DISTRICT_COORDINATOR),
        stranger=await holder(
            "兴山住建郑", DistrictRoleKind.DEPARTMENT_MEMBER, d=other, department_row=other_department
        ),
    )


class DistrictApi:
    def __init__(self, api: GraphQLClient) -> None:
        self.api = api
        self.http: httpx.AsyncClient = api.http

    async def upload(
        self, query: str, payload: dict[str, Any], photos: list[bytes], token: str
    ) -> dict[str, Any]:
        if not photos:
            return await self.api.data(query, {"input": payload}, token)
        payload = {**payload, "photos": [None] * len(photos)}
        response = await self.http.post(
            "/graphql",
            data={
                "operations": json.dumps({"query": query, "variables": {"input": payload}}),
                "map": json.dumps({str(i): [f"variables.input.photos.{i}"] for i in range(len(photos))}),
            },
            files={str(i): (f"p{i}.jpg", data, "image/jpeg") for i, data in enumerate(photos)},
            headers={"authorization": f"Bearer {token}"},
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    async def snap(
        self,
        town: Town,
        point: tuple[float, float] | None = ON_THE_STREET,
        photos: list[bytes] | None = None,
        person: Person | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "districtId": town.district_id,
            "category": "PUBLIC_FACILITY",
            "text": "井盖破损，行人容易踩空",
            **fields,
        }
        if point is not None:
            payload["latitude"], payload["longitude"] = point
        data = await self.upload(
            OUTPOST, payload, [jpeg_with_gps()] if photos is None else photos, (person or town.courier).token
        )
        result: dict[str, Any] = data["outpostReport"]
        return result

    async def move(
        self, query: str, person: Person, photos: list[bytes] | None = None, **payload: Any
    ) -> dict[str, Any]:
        data = await self.upload(query, payload, photos or [], person.token)
        result: dict[str, Any] = next(iter(data.values()))
        return result

    async def read(self, dispatch_id: str, person: Person) -> dict[str, Any] | None:
        data = await self.api.data(READ, {"id": dispatch_id}, person.token)
        found: dict[str, Any] | None = data["dispatch"]
        return found
