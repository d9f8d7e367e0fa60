"""The app's own points operations (mobile-contract/operations) run end to end, each within a
query budget, the way the screens use them."""

from __future__ import annotations

from typing import Any

from api.contract import operation_documents
from models.enums import Role
from points_engine import redemption
from tests.conftest import QueryCounter
from tests.support.graphql import GraphQLClient
from tests.support.people import Person, gid, make_neighbourhood, make_person

# Statements one request may cost, the viewer's three included (measured; the first award and
# the first redemption also open the member's and the community's accounts).
BUDGET = {
    "PointsAward": 19,  # one more: the leaderboard upsert (services/leaderboards/wiring)
    "PointsDeduct": 16,  # one more: a deduction lowers the leaderboard too (services/leaderboards/wiring)
    "RewardCatalog": 5,
    "RewardRedeem": 27,  # 23, and 4 for the two rate-limit windows (account, address) it opens
    "MyRedemptions": 6,
    "PendingPickups": 6,
    "RedemptionFulfil": 7,
    "RedemptionCancel": 21,
    "MyPointsBalance": 5,
    "MyPointsHistory": 6,
    "EconomySummary": 4,
}


async def test_the_points_screens_work_within_their_query_budgets(
    api: GraphQLClient, queries: QueryCounter
) -> None:
    documents = operation_documents()
    place = await make_neighbourhood()
    cid = gid("Community", place.community.id)
    staff = await make_person(place.community, (Role.STAFF,))
    member = await make_person(place.community)
    for n in range(3):
        await redemption.create_reward(place.community.id, kind="gift", name=f"gift {n}", cost=10, stock=4)
    used: set[str] = set()

    async def run(name: str, who: Person, **variables: Any) -> Any:
        queries.statements.clear()
        data = await api.data(documents[name], variables, who.token)
        assert queries.count <= BUDGET[name], (name, queries.count, queries.statements)
        (payload,) = data.values()
        assert not (isinstance(payload, dict) and payload.get("errors")), (name, payload)
        used.add(name)
        return payload

    manual = {"communityId": cid, "userId": gid("User", member.user.id), "reason": "river patrol"}
    await run("PointsAward", staff, input={**manual, "amount": 60, "idempotencyKey": "a"})
    await run("PointsDeduct", staff, input={**manual, "amount": 5, "idempotencyKey": "d"})
    catalog = await run("RewardCatalog", member, communityId=cid)
    assert catalog["totalCount"] == 3
    first = await run(
        "RewardRedeem", member, input={"rewardId": catalog["nodes"][0]["id"], "idempotencyKey": "r1"}
    )
    second = await run(
        "RewardRedeem", member, input={"rewardId": catalog["nodes"][1]["id"], "idempotencyKey": "r2"}
    )
    assert second["balance"] == 35
    mine = await run("MyRedemptions", member, communityId=cid)
    assert [n["status"] for n in mine["nodes"]] == ["PENDING", "PENDING"]
    pending = await run("PendingPickups", staff, communityId=cid)
    assert pending["totalCount"] == 2 and pending["nodes"][0]["pickupCode"] is None
    handed = await run("RedemptionFulfil", staff, input={"pickupCode": first["redemption"]["pickupCode"]})
    assert handed["redemption"]["status"] == "FULFILLED"
    cancelled = await run("RedemptionCancel", member, input={"redemptionId": second["redemption"]["id"]})
    assert cancelled["balance"] == 45
    balance = await run("MyPointsBalance", member, communityId=cid)
    assert balance == {"balance": 45, "upcomingExpiries": [], "__typename": "MyPoints"}
    history = await run("MyPointsHistory", member, communityId=cid, first=10)
    assert [n["amount"] for n in history["history"]["nodes"]] == [10, -10, -10, -5, 60]
    economy = await run("EconomySummary", member, communityId=cid)
    assert (economy["issued"], economy["redeemed"], economy["outstanding"]) == (55, 10, 45)
    assert used == set(BUDGET)
