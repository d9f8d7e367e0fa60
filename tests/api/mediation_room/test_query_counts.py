"""No statement per item: the lists of cases, visits and appointments cost the same with 2 items
as with 10, each item with its parties, mediators, sessions, timeline, opinions, interventions,
names and labels."""

from __future__ import annotations

from typing import Any

from api.contract import client_documents, operation_documents
from models.enums import Role
from runtime import clock
from tests.api.mediation_room import support as m
from tests.api.mediation_room.test_appointment_history import HISTORY
from tests.conftest import QueryCounter
from tests.support.graphql import GraphQLClient
from tests.support.people import gid, make_person

DOCUMENTS = operation_documents()
# The office's 观察员与调解 page in one request, as tests/api/office/test_office_operations.py budgets it.
OFFICE_PAGE_BUDGET = 36


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


async def test_the_office_page_costs_the_same_at_two_sizes(api: GraphQLClient, queries: QueryCounter) -> None:
    """观察员与调解 (OfficeObservers): posts, the month's visits and counts, the mediators with their
    open cases, the cases being worked and the closed ones, in one document."""
    page = client_documents()["office"]["OfficeObservers"]
    counts = []
    for slug, size in (("small", 2), ("large", 10)):
        room = await m.make_room(api, slug=slug, name=f"{slug}社区")
        await _grow(api, room, size)
        for n in range(size):
            member = await make_person(room.place.community, (Role.RESIDENT,), name=f"调解员{n}")
            appoint = {"communityId": room.cid, "userId": gid("User", member.user.id)}
            await m.ok(api, m.APPOINT_MEDIATOR, {"input": appoint}, room.staff.token)
            case = await m.open_case(api, room, *room.mediators)
            ending = {"caseId": case["id"], "outcome": "NOT_SETTLED", "note": "一方拒绝"}
            await m.ok(api, m.CLOSE, {"input": ending}, room.staff.token)
        month = clock.now().strftime("%Y-%m")
        before = queries.count
        read = await api.data(page, {"communityId": room.cid, "month": month}, room.staff.token)
        counts.append(queries.count - before)
        assert len(read["observerVisits"]["nodes"]) == size
        assert len(read["mediators"]) == size + 2
        assert len(read["openCases"]["nodes"]) == len(read["closedCases"]["nodes"]) == size
    assert counts[0] == counts[1] <= OFFICE_PAGE_BUDGET, counts
