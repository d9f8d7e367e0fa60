"""The points lists cost a fixed number of queries however many rows they show: no N+1."""

from __future__ import annotations

from typing import Any

from models.enums import Role
from points_engine import earning, redemption
from tests.conftest import QueryCounter
from tests.support.graphql import GraphQLClient
from tests.support.people import gid, make_neighbourhood, make_person

CATALOG = """
query Catalog($communityId: ID!) {
  rewardCatalog(communityId: $communityId, first: 50) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id name cost stock availableNow }
  }
}"""
PENDING = """
query Pending($communityId: ID!) {
  pendingPickups(communityId: $communityId, first: 50) {
    totalCount nodes { id status cost reward { id name } }
  }
}"""
MINE = """
query Mine($communityId: ID!) {
  myRedemptions(communityId: $communityId, first: 50) {
    totalCount nodes { id status pickupCode reward { id name cost } }
  }
}"""
HISTORY = """
query History($communityId: ID!) {
  myPoints(communityId: $communityId) {
    balance
    upcomingExpiries { points expiresAt }
    history(first: 50) { totalCount nodes { id amount kind memo source enteredByHand } }
  }
}"""


async def _counts(api: GraphQLClient, queries: QueryCounter, size: int) -> dict[str, int]:
    place = await make_neighbourhood(f"c{size}", f"community {size}")
    cid = place.community.id
    staff = await make_person(place.community, (Role.STAFF,))
    member = await make_person(place.community)
    await earning.manual(cid, staff.user.id, member.user.id, 10 * size, "start", "k", award=True)
    for n in range(size):
        reward = await redemption.create_reward(cid, kind="gift", name=f"gift {n}", cost=1 + n % 3, stock=5)
        await redemption.redeem(cid, member.user.id, reward.id, f"r{n}")
        await earning.manual(cid, staff.user.id, member.user.id, 1, "more", f"m{n}", award=True)
    counts: dict[str, int] = {}
    variables = {"communityId": gid("Community", cid)}
    for name, query, who in (
        ("catalog", CATALOG, member),
        ("pending", PENDING, staff),
        ("mine", MINE, member),
        ("history", HISTORY, member),
    ):
        queries.statements.clear()
        data: Any = await api.data(query, variables, who.token)
        (field,) = data.values()
        rows = field["history"]["nodes"] if name == "history" else field["nodes"]
        assert len(rows) >= size, name
        counts[name] = queries.count
    return counts


async def test_points_lists_cost_the_same_for_3_rows_and_for_12(
    api: GraphQLClient, queries: QueryCounter
) -> None:
    small = await _counts(api, queries, 3)
    large = await _counts(api, queries, 12)
    assert small == large, (small, large)
    # viewer (1) + the page + its count, + the rewards in one batch where nested; history also
    # reads the account (with the balance) once and the expiries.
    assert large["catalog"] <= 3 and large["pending"] <= 4 and large["mine"] <= 4, large
    assert large["history"] <= 5, large


PAGED_HISTORY = """
query Paged($communityId: ID!, $after: String) {
  myPoints(communityId: $communityId) {
    history(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { amount } }
  }
}"""


async def test_history_counts_every_transfer_on_every_page_and_the_first_page_in_its_own_read(
    api: GraphQLClient, queries: QueryCounter
) -> None:
    place = await make_neighbourhood("paged", "paged community")
    cid = place.community.id
    staff = await make_person(place.community, (Role.STAFF,))
    member, newcomer = await make_person(place.community), await make_person(place.community)
    for n in range(5):
        await earning.manual(cid, staff.user.id, member.user.id, n + 1, "more", f"p{n}", award=True)
    variables: dict[str, Any] = {"communityId": gid("Community", cid), "after": None}
    seen, totals, statements = [], [], []
    while True:
        queries.statements.clear()
        page = (await api.data(PAGED_HISTORY, variables, member.token))["myPoints"]["history"]
        statements.append(queries.count)
        seen += [node["amount"] for node in page["nodes"]]
        totals.append(page["totalCount"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        variables["after"] = page["pageInfo"]["endCursor"]
    assert seen == [5, 4, 3, 2, 1] and totals == [5, 5, 5]
    # The first page's total comes with its rows; a later page counts apart (cursor pages skip
    # the rows before them, so their window would miss those).
    assert statements[0] == statements[1] - 1, statements
    empty = (await api.data(PAGED_HISTORY, {**variables, "after": None}, newcomer.token))["myPoints"]
    assert empty["history"]["totalCount"] == 0 and empty["history"]["nodes"] == []
