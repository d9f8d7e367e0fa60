"""Leaderboards through the API: every scope and period, ties, the caller's rank, privacy,
spending and reversals, rebuild equals incremental, and the query budget of a page."""

from __future__ import annotations

from tortoise import connections

from models.boards import BoardEarning
from models.teams import Team, TeamKind, TeamMember
from runtime import clock
from runtime.clock import MovableClock
from services.leaderboards import analyze, rebuild
from tests.api.leaderboards.support import (
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
from tests.support.people import Person, gid, make_person


async def deduct(api: GraphQLClient, town: Town, who: Person, amount: int, key: str) -> str:
    manual = {"communityId": town.cid, "userId": gid("User", who.user.id), "reason": "broke a rule"}
    data = await api.data(
        DEDUCT, {"input": {**manual, "amount": amount, "idempotencyKey": key}}, town.staff.token
    )
    assert data["pointsDeduct"]["errors"] == [], data
    transfer_id: str = data["pointsDeduct"]["transfer"]["id"]
    return transfer_id


async def _earn(api: GraphQLClient, town: Town) -> str:
    """November: a 50 (later reversed), b 110 less a 30 deduction = 80, c 80, d 10."""
    reversed_id = await award(api, town, town.a, 50, "a1")
    await award(api, town, town.b, 110, "b1")
    await award(api, town, town.c, 30, "c1")
    await award(api, town, town.c, 50, "c2")
    await award(api, town, town.d, 10, "d1")
    await deduct(api, town, town.b, 30, "bd")
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
        # b (110 earned, 30 deducted) and c tie on 80 and share rank 1, b (the earlier account)
        # first; a's reversed award leaves a off the board.
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


async def test_group_boards_rank_entrances_and_teams_per_household(api: GraphQLClient) -> None:
    # Given November's earnings (a 50 reversed, b 80 less a 30 deduction, c 80, d 10)
    town = await make_town()
    await _earn(api, town)

    # When a resident reads the entrances' and the teams' boards
    data = await api.data(GROUPS, {"communityId": town.cid, "kind": "ENTRANCES"}, town.a.token)
    teams = await api.data(
        GROUPS, {"communityId": town.cid, "kind": "TEAMS", "month": "2026-11"}, town.a.token
    )

    # Then E2 has c's 80 over 1 household; E1 a 0 + b 80 over 2 households = 40 (size alone does
    # not win); the team (c in 101, d without a household: 2 households) has 90 / 2 = 45
    entries = data["groupBoard"]["entries"]
    assert [(e["name"], e["rank"], e["points"], e["households"], e["perHousehold"]) for e in entries] == [
        ("1单元", 1, 80, 1, 80.0),
        ("2单元", 2, 80, 2, 40.0),
    ]
    assert [
        (e["name"], e["points"], e["households"], e["perHousehold"]) for e in teams["groupBoard"]["entries"]
    ] == [("巡逻队", 90, 2, 45.0)]


async def test_a_big_team_does_not_win_by_size_and_rebuild_keeps_the_group_boards(api: GraphQLClient) -> None:
    # Given e living with a in 301, a big team of a, b, c, d, e and a small team of a and e
    town = await make_town()
    community = town.place.community
    e = await make_person(community, household=town.place.households[0], name="Er Mei")
    big = await Team.create(
        community=community, name="大队", kind=TeamKind.RIVER_PATROL, created_at=clock.now()
    )
    small = await Team.create(
        community=community, name="小队", kind=TeamKind.RIVER_PATROL, created_at=clock.now()
    )
    for team, people in ((big, (town.a, town.b, town.c, town.d, e)), (small, (town.a, e))):
        for person in people:
            await TeamMember.create(community=community, team=team, user=person.user, joined_at=clock.now())
    # and November's earnings a 40, b 20, c 60, d 10, e 30
    for person, amount in ((town.a, 40), (town.b, 20), (town.c, 60), (town.d, 10), (e, 30)):
        await award(api, town, person, amount, f"n-{person.user.id}")

    # When the boards of teams and of entrances are read
    async def groups(kind: str, month: str | None) -> list[tuple[str, int, int, int, float]]:
        variables = {"communityId": town.cid, "kind": kind, "month": month}
        data = await api.data(GROUPS, variables, town.staff.token)
        assert data["groupBoard"]["errors"] == []
        return [
            (g["name"], g["rank"], g["points"], g["households"], g["perHousehold"])
            for g in data["groupBoard"]["entries"]
        ]

    teams = await groups("TEAMS", "2026-11")
    entrances = await groups("ENTRANCES", "2026-11")

    # Then, by hand: small 70 points in 1 household (301) = 70; 巡逻队 c 60 + d 10 over 101 and d's
    # own = 35; big 160 points over 301, 302, 101 and d's own = 40 (per member it would be 32)
    assert teams == [
        ("小队", 1, 70, 1, 70.0),
        ("大队", 2, 160, 4, 40.0),
        ("巡逻队", 3, 70, 2, 35.0),
    ]
    # E2: c 60 in 101 = 60; E1: a 40 + e 30 (301) + b 20 (302) = 90 over 2 = 45
    assert entrances == [("1单元", 1, 60, 1, 60.0), ("2单元", 2, 90, 2, 45.0)]

    # And after the index is scrambled and rebuilt from the ledger, every group board is the same
    before = {(k, m): await groups(k, m) for k in ("TEAMS", "ENTRANCES") for m in ("2026-11", None)}
    await BoardEarning.filter(community_id=community.id).update(points=999)
    await rebuild(community.id)
    after = {(k, m): await groups(k, m) for k in ("TEAMS", "ENTRANCES") for m in ("2026-11", None)}
    assert after == before
    assert before[("TEAMS", None)] == teams


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


async def test_a_deduction_lowers_the_rank_and_its_reversal_restores_it(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    # Given November's board (b and c tie on 80) and, in December, c earning 20
    town = await make_town()
    await _earn(api, town)
    moved_clock.advance(days=10)
    renew_tokens(town)
    await award(api, town, town.c, 20, "c-dec")

    # When staff deduct 15 from c in December as a penalty
    deducted = await deduct(api, town, town.c, 15, "c-pen")

    # Then December and all-time count it; November, where the earning was, is untouched
    assert ranks(await board(api, town, town.d, month="2026-12")) == [(1, "Chen Li", 5)]
    assert ranks(await board(api, town, town.d)) == [(1, "Chen Li", 85), (2, "Bo Hai", 80), (3, "Du Wen", 10)]
    assert ranks(await board(api, town, town.d, month="2026-11"))[:2] == [
        (1, "Bo Hai", 80),
        (1, "Chen Li", 80),
    ]

    # And when the deduction is reversed, c's December and all-time points come back
    data = await api.data(
        REVERSE, {"input": {"transferId": deducted, "reason": "appealed"}}, town.staff.token
    )
    assert data["pointTransferReverse"]["errors"] == []
    assert ranks(await board(api, town, town.d, month="2026-12")) == [(1, "Chen Li", 20)]
    assert ranks(await board(api, town, town.d))[0] == (1, "Chen Li", 100)


async def test_rebuild_equals_incremental(api: GraphQLClient, moved_clock: MovableClock) -> None:
    # Given earnings, a reversed earning, a deduction and a reversed deduction over two months
    town = await make_town()
    await _earn(api, town)
    moved_clock.advance(days=10)
    renew_tokens(town)
    await award(api, town, town.a, 5, "a-dec")
    reversed_in_december = await award(api, town, town.d, 7, "d-dec")
    await api.data(REVERSE, {"input": {"transferId": reversed_in_december, "reason": "no"}}, town.staff.token)
    await deduct(api, town, town.d, 3, "d-pen")
    appealed = await deduct(api, town, town.c, 4, "c-pen")
    await api.data(REVERSE, {"input": {"transferId": appealed, "reason": "appealed"}}, town.staff.token)

    async def snapshot() -> list[tuple[int, str, int]]:
        rows = await BoardEarning.filter(community_id=town.place.community.id).order_by("user_id", "period")
        return [(r.user_id, r.period, r.points) for r in rows]

    incremental = await snapshot()
    a, b, c, d = (p.user.id for p in (town.a, town.b, town.c, town.d))
    assert (a, "2026-11", 0) in incremental and (a, "all", 5) in incremental
    assert (b, "2026-11", 80) in incremental and (c, "2026-12", 0) in incremental
    assert (d, "2026-12", -3) in incremental and (d, "all", 7) in incremental

    # When the index is scrambled and rebuilt from the ledger
    await BoardEarning.filter(community_id=town.place.community.id).update(points=999)
    await rebuild(town.place.community.id)

    # Then it equals what the posting hook kept
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
    # viewer (1) + one statement holding the page, the profiles, the caller's row and rank and the
    # count, whether or not the caller is on the page, and on a later page too (was 6, 4 and 8).
    assert counts == [2, 2], counts
    assert queries.count == 2, queries.statements


async def test_a_rebuild_then_analyze_leaves_fresh_statistics_on_postgresql(api: GraphQLClient) -> None:
    # Given November's earnings, rebuilt from the ledger
    town = await make_town()
    await _earn(api, town)
    await rebuild(town.place.community.id)

    # When the rebuild command's analyze step runs
    ran = await analyze()

    # Then on PostgreSQL the planner's row estimate of the board table is its true size (ANALYZE
    # sets it synchronously); SQLite keeps no statistics and nothing runs
    conn = connections.get("default")
    if conn.capabilities.dialect != "postgres":
        assert ran is False
        return
    assert ran is True
    _, rows = await conn.execute_query("SELECT reltuples FROM pg_class WHERE relname = 'board_earning'")
    assert int(rows[0]["reltuples"]) == await BoardEarning.all().count() > 0
