"""The app's board, inspection and flag operations (mobile-contract/operations) run end to end,
each within a query budget."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from api.contract import operation_documents
from runtime.clock import MovableClock
from tests.api.leaderboards.support import award, entrance_code, make_town, renew_tokens
from tests.conftest import QueryCounter
from tests.support.graphql import GraphQLClient
from tests.support.people import Person, gid

# Statements per request, the viewer's three included (measured). Recording an inspection pays the
# cleaner through the engine; closing a month pays two ranking bonuses in the same transaction.
BUDGET = {
    "Leaderboard": 8,
    "TeamLeaderboard": 12,
    "EntranceBoard": 5,
    "InspectionRecord": 28,
    "CorridorStanding": 11,
    "EntranceFlagScan": 14,
    "BoardPrivacySet": 5,
    "CorridorWeightsSet": 6,
    "MonthClose": 47,
    "CorridorFlagHistory": 5,
}


async def test_the_board_screens_work_within_their_query_budgets(
    api: GraphQLClient, queries: QueryCounter, moved_clock: MovableClock
) -> None:
    documents = operation_documents()
    town = await make_town()
    await award(api, town, town.c, 40, "c")
    await award(api, town, town.d, 20, "d")
    code = await entrance_code(town, town.e1)
    used: set[str] = set()

    async def run(name: str, who: Person | None, **variables: Any) -> Any:
        queries.statements.clear()
        data = await api.data(documents[name], variables, who.token if who else None)
        assert queries.count <= BUDGET[name], (name, queries.count, queries.statements)
        for payload in data.values():
            assert not (isinstance(payload, dict) and payload.get("errors")), (name, payload)
        used.add(name)
        return data

    board = await run("Leaderboard", town.d, communityId=town.cid, first=1)
    assert board["leaderboard"]["board"]["me"]["rank"] == 2
    team = await run("TeamLeaderboard", town.c, communityId=town.cid, teamId=gid("Team", town.team.id))
    assert [n["points"] for n in team["leaderboard"]["board"]["entries"]["nodes"]] == [40, 20]
    await run("EntranceBoard", town.a, communityId=town.cid)
    await run("InspectionRecord", town.cleaner, input={"code": code, "score": 4})
    await run("CorridorStanding", town.a, communityId=town.cid)
    await run("EntranceFlagScan", None, code=code)
    await run("BoardPrivacySet", town.a, input={"communityId": town.cid, "byInitials": True})
    weights = {
        "communityId": town.cid,
        "inspection": 50,
        "volunteering": 25,
        "reports": 25,
        "minInspections": 1,
    }
    await run("CorridorWeightsSet", town.staff, input=weights)
    moved_clock.set(datetime(2026, 12, 1, 0, 0, tzinfo=UTC))
    renew_tokens(town)
    closed = await run("MonthClose", town.staff, input={"communityId": town.cid})
    assert closed["monthClose"]["award"]["entranceName"] == "2单元"
    history = await run("CorridorFlagHistory", town.b, communityId=town.cid)
    assert history["corridorFlagHistory"]["totalCount"] == 1
    assert used == set(BUDGET)
