"""Leaderboards through the API: every scope and period, ties, the caller's rank, privacy,
spending and reversals, rebuild equals incremental, and the query budget of a page."""

from __future__ import annotations

from models.boards import BoardEarning
from runtime.clock import MovableClock
from services.boards import rebuild
from tests.api.boards.support import (
    DEDUCT,
    GROUPS,
    PRIVACY,
    REVERSE,
    Town,
    award,
    board,
    make_town,
    ranks,
    renew_tokens,
)
from tests.conftest import QueryCounter
from tests.support.graphql import GraphQLClient
from tests.support.people import gid


async def _earn(api: GraphQLClient, town: Town) -> str:
    """November: a 50 (later reversed), b 80 (then 30 deducted), c 80, d 10."""
    reversed_id = await award(api, town, town.a, 50, "a1")
    await award(api, town, town.b, 80, "b1")
    await award(api, town, town.c, 30, "c1")
    await award(api, town, town.c, 50, "c2")
    await award(api, town, town.d, 10, "d1")
    manual = {"communityId": town.cid, "userId": gid("User", town.b.user.id), "reason": "broke a rule"}
    data = await api.data(
        DEDUCT, {"input": {**manual, "amount": 30, "idempotencyKey": "bd"}}, town.staff.token
    )
    assert data["pointsDeduct"]["errors"] == []
    data = await api.data(
        REVERSE, {"input": {"transferId": reversed_id, "reason": "entered twice"}}, town.staff.token
    )
    assert (
        data["pointsTransferReverse" if "pointsTransferReverse" in data else "pointTransferReverse"]["errors"]
        == []
    )
    return reversed_id


async def test_community_board_ties_spending_reversal_and_my_rank(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    town = await make_town()
    await _earn(api, town)
    for month in (None, "2026-11"):
        payload = await board(api, town, town.d, month=month)
        assert payload["errors"] == []
        # b and c tie on 80 and share rank 1, b (the earlier account) first; the deduction does not
        # lower b; a's reversed award leaves a off the board.
        assert ranks(payload) == [(1, "Bo Hai", 80), (1, "Chen Li", 80), (3, "Du Wen", 10)]
        assert payload["board"]["period"] == (month or "all")
        assert payload["board"]["me"] == {"rank": 3, "points": 10, "name": "Du Wen", "isMe": True}
        assert payload["board"]["entries"]["totalCount"] == 3
    mine = await board(api, town, town.a)
    assert mine["board"]["me"] is None and mine["board"]["myPoints"] == 0
    # Another month: only what was earned in it.
    moved_clock.advance(days=10)
    renew_tokens(town)  # 2026-12-03 in Shanghai
    await award(api, town, town.a, 5, "a-dec")
    december = await board(api, town, town.a, month="2026-12")
    assert ranks(december) == [(1, "An Ping", 5)]
    assert ranks(await board(api, town, town.a, month="2026-11"))[0] == (1, "Bo Hai", 80)
    assert ranks(await board(api, town, town.a))[-1] == (4, "An Ping", 5)


async def test_pages_keep_ranks_and_the_caller_far_down(api: GraphQLClient) -> None:
    town = await make_town()
    await _earn(api, town)
    first = await board(api, town, town.d, first=1)
    assert ranks(first) == [(1, "Bo Hai", 80)]
    assert first["board"]["me"]["rank"] == 3
    assert first["board"]["entries"]["pageInfo"]["hasNextPage"] is True
    second = await board(api, town, town.d, first=1, after=first["board"]["entries"]["pageInfo"]["endCursor"])
    assert ranks(second) == [(1, "Chen Li", 80)]
    third = await board(api, town, town.d, first=5, after=second["board"]["entries"]["pageInfo"]["endCursor"])
    assert ranks(third) == [(3, "Du Wen", 10)]
    assert third["board"]["entries"]["pageInfo"]["hasNextPage"] is False
    bad = await board(api, town, town.d, after="bm90LWEtY3Vyc29y")
    assert bad["errors"] == [{"code": "INVALID_INPUT", "field": "after"}]


async def test_team_building_and_entrance_scopes(api: GraphQLClient) -> None:
    town = await make_town()
    await _earn(api, town)
    team = await board(api, town, town.c, "TEAM", scopeId=gid("Team", town.team.id))
    assert ranks(team) == [(1, "Chen Li", 80), (2, "Du Wen", 10)]
    building = await board(api, town, town.b, "BUILDING", scopeId=gid("Building", town.place.building.id))
    assert ranks(building) == [(1, "Bo Hai", 80)]
    assert building["board"]["entries"]["totalCount"] == 1
    entrance = await board(api, town, town.c, "ENTRANCE", scopeId=gid("Entrance", town.e2.id))
    assert ranks(entrance) == [(1, "Chen Li", 80)]
    # Staff may read any scope of their community.
    staff = await board(api, town, town.staff, "ENTRANCE", scopeId=gid("Entrance", town.e1.id))
    assert ranks(staff) == [(1, "Bo Hai", 80)] and staff["board"]["me"] is None
    # Not part of it: a typed error, no board.
    for who, scope, scope_id in (
        (town.d, "BUILDING", gid("Building", town.place.building.id)),
        (town.a, "ENTRANCE", gid("Entrance", town.e2.id)),
        (town.a, "TEAM", gid("Team", town.team.id)),
    ):
        refused = await board(api, town, who, scope, scopeId=scope_id)
        assert refused == {"board": None, "errors": [{"code": "NOT_IN_SCOPE", "field": "scopeId"}]}
    missing = await board(api, town, town.a, "TEAM")
    assert missing["errors"] == [{"code": "INVALID_INPUT", "field": "scopeId"}]
    bad_month = await board(api, town, town.a, month="2026-13")
    assert bad_month["errors"] == [{"code": "INVALID_INPUT", "field": "month"}]


async def test_group_boards_rank_entrances_per_household_and_teams_per_member(api: GraphQLClient) -> None:
    town = await make_town()
    await _earn(api, town)
    data = await api.data(GROUPS, {"communityId": town.cid, "kind": "ENTRANCES"}, town.a.token)
    entries = data["groupBoard"]["entries"]
    # E2: c's 80 over 1 household; E1: a 0 + b 80 over 2 households = 40 (size alone does not win).
    assert [(e["name"], e["rank"], e["points"], e["members"], e["perMember"]) for e in entries] == [
        ("1单元", 1, 80, 1, 80.0),
        ("2单元", 2, 80, 2, 40.0),
    ]
    teams = await api.data(
        GROUPS, {"communityId": town.cid, "kind": "TEAMS", "month": "2026-11"}, town.a.token
    )
    assert [
        (e["name"], e["points"], e["members"], e["perMember"]) for e in teams["groupBoard"]["entries"]
    ] == [("巡逻队", 90, 2, 45.0)]


async def test_initials_by_choice(api: GraphQLClient) -> None:
    town = await make_town()
    await _earn(api, town)
    data = await api.data(PRIVACY, {"input": {"communityId": town.cid, "byInitials": True}}, town.c.token)
    assert data["boardPrivacySet"] == {"byInitials": True, "errors": []}
    seen_by_d = await board(api, town, town.d)
    assert ranks(seen_by_d) == [(1, "Bo Hai", 80), (1, "C. L.", 80), (3, "Du Wen", 10)]
    seen_by_c = await board(api, town, town.c, first=1)
    assert seen_by_c["board"]["me"]["name"] == "C. L."
    await api.data(PRIVACY, {"input": {"communityId": town.cid, "byInitials": False}}, town.c.token)
    assert ranks(await board(api, town, town.d))[1][1] == "Chen Li"


async def test_rebuild_equals_incremental(api: GraphQLClient, moved_clock: MovableClock) -> None:
    town = await make_town()
    await _earn(api, town)
    moved_clock.advance(days=10)
    renew_tokens(town)
    await award(api, town, town.a, 5, "a-dec")
    reversed_in_december = await award(api, town, town.d, 7, "d-dec")
    await api.data(REVERSE, {"input": {"transferId": reversed_in_december, "reason": "no"}}, town.staff.token)

    async def snapshot() -> list[tuple[int, str, int]]:
        rows = await BoardEarning.filter(community_id=town.place.community.id).order_by("user_id", "period")
        return [(r.user_id, r.period, r.points) for r in rows]

    incremental = await snapshot()
    assert (town.a.user.id, "2026-11", 0) in incremental and (town.a.user.id, "all", 5) in incremental
    await BoardEarning.filter(community_id=town.place.community.id).update(points=999)
    await rebuild(town.place.community.id)
    assert await snapshot() == incremental


async def test_a_board_page_costs_the_same_few_statements(api: GraphQLClient, queries: QueryCounter) -> None:
    town = await make_town()
    await _earn(api, town)
    counts = []
    for first in (1, 3):
        queries.statements.clear()
        payload = await board(api, town, town.d, first=first)
        assert payload["errors"] == []
        counts.append(queries.count)
    queries.statements.clear()
    after = (await board(api, town, town.d, first=1))["board"]["entries"]["pageInfo"]["endCursor"]
    queries.statements.clear()
    await board(api, town, town.d, first=1, after=after)
    # viewer (1) + page + profiles + caller's row + caller's rank + total count; with the caller on
    # the page, neither of the caller's two; a later page adds two counts for its first row's rank.
    assert counts == [6, 4], counts
    assert queries.count <= 8, queries.statements
