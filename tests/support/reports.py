"""Driving the report API as the app does, uploads included (GraphQL multipart request spec)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx

from models.enums import Role
from tests.support.graphql import GraphQLClient
from tests.support.people import Neighbourhood, Person, gid, make_neighbourhood, make_person
from tests.support.photos import jpeg_with_gps

REPORT_FIELDS = """
  id state category text escalationLevel autoConfirmed rating comment reopenCount isProxy
  reporterName reportedByMe meTooCount meTooByMe resolutionNote rejectReason
  claimedBy { displayName }
  place { __typename name }
  materials { item brandModel quantity cost }
  photos { kind contentType width height url }
  timeline(first: 50) { totalCount nodes { kind fromState toState actorName escalationLevel note } }
"""

CREATE = """
mutation Create($input: ReportCreateInput!) {
  reportCreate(input: $input) {
    report { FIELDS }
    existingReport { id state meTooCount }
    retryAfterSeconds
    errors { code field message }
  }
}""".replace("FIELDS", REPORT_FIELDS)

RESOLVE = """
mutation Resolve($input: ReportResolveInput!) {
  reportResolve(input: $input) { report { FIELDS } errors { code field message } }
}""".replace("FIELDS", REPORT_FIELDS)


def transition(name: str, input_type: str) -> str:
    return (
        f"mutation Move($input: {input_type}!) {{\n"
        f"  {name}(input: $input) {{ report {{ {REPORT_FIELDS} }} errors {{ code field message }} }}\n}}"
    )


CLAIM = transition("reportClaim", "ReportInput")
ME_TOO = transition("reportMeToo", "ReportInput")
CONFIRM = transition("reportConfirm", "ReportConfirmInput")
REOPEN = transition("reportReopen", "ReportReopenInput")
REJECT = transition("reportReject", "ReportRejectInput")
CANCEL = transition("reportCancel", "ReportCancelInput")
READ = "query Read($id: ID!) { report(id: $id) { FIELDS } }".replace("FIELDS", REPORT_FIELDS)


@dataclass
class Cast:
    """A neighbourhood with the people a repair order involves."""

    place: Neighbourhood
    resident: Person
    neighbour: Person
    repairer: Person
    repairer2: Person
    staff: Person
    outsider: Person  # a member of another community

    @property
    def entrance_id(self) -> str:
        return gid("Entrance", self.place.entrance.id)

    @property
    def community_id(self) -> str:
        return gid("Community", self.place.community.id)


async def make_cast() -> Cast:
    place = await make_neighbourhood()
    elsewhere = await make_neighbourhood("elsewhere", "别处社区")
    return Cast(
        place=place,
        resident=await make_person(place.community, name="王阿姨", household=place.households[0]),
        neighbour=await make_person(place.community, name="李叔"),
        repairer=await make_person(place.community, (Role.REPAIRER,), name="张师傅"),
        repairer2=await make_person(place.community, (Role.REPAIRER,), name="刘师傅"),
        staff=await make_person(place.community, (Role.STAFF,), name="陈主任"),
        outsider=await make_person(elsewhere.community, (Role.STAFF, Role.REPAIRER), name="外人"),
    )


class ReportsApi:
    def __init__(self, api: GraphQLClient) -> None:
        self.api = api
        self.http: httpx.AsyncClient = api.http

    async def upload(
        self,
        query: str,
        variables: dict[str, Any],
        files: list[tuple[str, bytes, str]],
        file_path: str,
        token: str | None,
    ) -> dict[str, Any]:
        """POST a multipart request; `file_path` is where the list of files sits, e.g.
        `variables.input.photos`."""
        if not files:  # nothing to upload: a plain JSON request, as the app sends it
            return await self.api.data(query, variables, token)
        for_map = {str(i): [f"{file_path}.{i}"] for i in range(len(files))}
        headers = {"authorization": f"Bearer {token}"} if token else {}
        response = await self.http.post(
            "/graphql",
            data={
                "operations": json.dumps({"query": query, "variables": variables}),
                "map": json.dumps(for_map),
            },
            files={str(i): (name, data, ctype) for i, (name, data, ctype) in enumerate(files)},
            headers=headers,
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    async def create(
        self,
        cast: Cast,
        person: Person | None = None,
        photos: list[bytes] | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        person = person or cast.resident
        payload = {"placeId": cast.entrance_id, "category": "LIGHTING", "text": "楼道灯不亮了", **fields}
        files = [(f"p{i}.jpg", data, "image/jpeg") for i, data in enumerate(photos or [])]
        payload["photos"] = [None] * len(files)
        data = await self.upload(CREATE, {"input": payload}, files, "variables.input.photos", person.token)
        result: dict[str, Any] = data["reportCreate"]
        return result

    async def resolve(
        self,
        report_id: str,
        person: Person,
        photos: list[bytes] | None = None,
        note: str = "换了新灯泡",
        materials: list[dict[str, Any]] | None = None,
        names: list[str] | None = None,
    ) -> dict[str, Any]:
        photos = [jpeg_with_gps()] if photos is None else photos
        names = names or [f"proof{i}.jpg" for i in range(len(photos))]
        files = [(names[i], data, "image/jpeg") for i, data in enumerate(photos)]
        variables = {
            "input": {
                "reportId": report_id,
                "note": note,
                "photos": [None] * len(files),
                "materials": materials
                if materials is not None
                else [{"item": "LED bulb", "brandModel": "Opple 9W", "quantity": "2", "cost": "25.80"}],
            }
        }
        data = await self.upload(RESOLVE, variables, files, "variables.input.photos", person.token)
        result: dict[str, Any] = data["reportResolve"]
        return result

    async def move(self, mutation: str, person: Person, **input: Any) -> dict[str, Any]:
        data = await self.api.data(mutation, {"input": input}, person.token)
        result: dict[str, Any] = next(iter(data.values()))
        return result

    async def read(self, report_id: str, person: Person) -> dict[str, Any] | None:
        data = await self.api.data(READ, {"id": report_id}, person.token)
        result: dict[str, Any] | None = data["report"]
        return result
