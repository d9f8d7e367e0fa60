"""No statement per item: the lists of cases, visits and appointments cost the same with 2 items
as with 10, each item with its parties, mediators, sessions, timeline, opinions, interventions,
names and labels."""

from __future__ import annotations

from typing import Any

from api.contract import operation_documents
from models.enums import Role
from tests.api.mediation_room import support as m
from tests.api.mediation_room.test_appointment_history import HISTORY
from tests.conftest import QueryCounter
from tests.support.graphql import GraphQLClient
from tests.support.people import gid, make_person

DOCUMENTS = operation_documents()


async def _statements(
    queries: QueryCounter, api: GraphQLClient, name: str, token: str, **variables: Any
) -> int:
    before = queries.count
    await api.data(DOCUMENTS[name], variables, token)
    return queries.count - before


async def _grow(api: GraphQLClient, room: m.Room, size: int) -> None:
    compound = gid("Compound", room.place.compound.id)
    for n in range(size):
        case = await m.open_case(api, room, *room.mediators)
        session = {
            "caseId": case["id"],
            "heldOn": "2026-11-20",
            "attended": "两户",
            "idempotencyKey": f"s{n}",
        }
        await m.ok(api, m.SESSION, {"input": session}, room.mediators[0].token)
        visit = {"compoundId": compound, "spot": f"{n}号楼", "seen": "正常", "idempotencyKey": f"v{n}"}
        made = (await m.ok(api, m.VISIT, {"input": visit}, room.observer.token))["visit"]
        opinion = {"visitId": made["id"], "kind": "SUGGESTION", "topic": "GREENING", "text": f"多种树{n}"}
        await m.ok(api, m.TAKE, {"input": opinion}, room.observer.token)
        dispute = {"visitId": made["id"], "category": "PETS", "summary": "狗叫", "settledOnSpot": True}
        await m.ok(api, m.STEP_IN, {"input": dispute}, room.observer.token)


async def test_cases_and_visits_cost_the_same_at_two_sizes(api: GraphQLClient, queries: QueryCounter) -> None:
    counts = []
    for slug, size in (("small", 2), ("large", 10)):
        room = await m.make_room(api, slug=slug, name=f"{slug}社区")
        await _grow(api, room, size)
        counts.append(
            (
                await _statements(queries, api, "MediationCases", room.staff.token, communityId=room.cid),
                await _statements(
                    queries, api, "MediationCases", room.mediators[0].token, communityId=room.cid
                ),
                await _statements(queries, api, "ObserverVisits", room.staff.token, communityId=room.cid),
                await _statements(queries, api, "ObserverVisits", room.observer.token, communityId=room.cid),
            )
        )
    assert counts[0] == counts[1], counts


async def test_the_appointment_record_costs_the_same_at_two_sizes(
    api: GraphQLClient, queries: QueryCounter
) -> None:
    counts = []
    for slug, size in (("small", 2), ("large", 10)):
        room = await m.make_room(api, slug=slug, name=f"{slug}社区")
        for n in range(size):
            member = await make_person(room.place.community, (Role.RESIDENT,), name=f"调解员{n}")
            appoint = {"communityId": room.cid, "userId": gid("User", member.user.id)}
            await m.ok(api, m.APPOINT_MEDIATOR, {"input": appoint}, room.staff.token)
        before = queries.count
        read = await api.data(HISTORY, {"c": room.cid, "first": 50}, room.staff.token)
        counts.append(queries.count - before)
        # the room's own three appointments and the new ones, each with names and labels
        assert len(read["appointmentEvents"]["nodes"]) == size + 3
    assert counts[0] == counts[1], counts
