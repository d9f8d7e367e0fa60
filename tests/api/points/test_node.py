"""node(id) for the points types: the same access as each object's own field, null otherwise."""

from __future__ import annotations

from typing import Any

from models.enums import Role
from points_engine import earning, redemption
from tests.support.graphql import GraphQLClient
from tests.support.people import Person, gid, make_neighbourhood, make_person

NODE = """
query Node($id: ID!) {
  node(id: $id) {
    __typename
    id
    ... on PointTransfer { amount kind enteredByHand }
    ... on Reward { name cost }
    ... on Redemption { status cost pickupCode reward { name } }
    ... on Compound { name }
  }
}"""


async def _node(api: GraphQLClient, who: Person, id: str) -> Any:
    return (await api.data(NODE, {"id": id}, who.token))["node"]


async def test_points_objects_by_global_id_follow_their_own_access_rules(api: GraphQLClient) -> None:
    place = await make_neighbourhood()
    cid = place.community.id
    staff = await make_person(place.community, (Role.STAFF,))
    owner = await make_person(place.community)
    neighbour = await make_person(place.community)
    other = await make_neighbourhood("binhe", "滨河社区")
    other_staff = await make_person(other.community, (Role.STAFF, Role.ADMIN))

    award = await earning.manual(cid, staff.user.id, owner.user.id, 50, "autumn clean-up", "k", award=True)
    reward = await redemption.create_reward(cid, kind="gift", name="gloves", cost=20, stock=3)
    redeemed = await redemption.redeem(cid, owner.user.id, reward.id, "r")
    transfer_id = gid("PointTransfer", award.transfer.id)
    reward_id = gid("Reward", reward.id)
    redemption_id = gid("Redemption", redeemed.redemption.id)

    mine = await _node(api, owner, transfer_id)
    assert mine == {
        "__typename": "PointTransfer",
        "id": transfer_id,
        "amount": 50,
        "kind": "MANUAL_AWARD",
        "enteredByHand": True,
    }
    held = await _node(api, owner, redemption_id)
    assert held["status"] == "PENDING" and held["pickupCode"] and held["reward"] == {"name": "gloves"}
    assert (await _node(api, owner, reward_id))["name"] == "gloves"

    # A neighbour sees the catalog, not someone else's points or redemptions.
    assert await _node(api, neighbour, transfer_id) is None
    assert await _node(api, neighbour, redemption_id) is None
    assert (await _node(api, neighbour, reward_id))["cost"] == 20

    # The community's office sees them all, but not the member's pickup code.
    assert (await _node(api, staff, transfer_id))["amount"] == 50
    office = await _node(api, staff, redemption_id)
    assert office["status"] == "PENDING" and office["pickupCode"] is None

    # Another community: nothing, exactly as for an id that names nothing.
    for id in (transfer_id, reward_id, redemption_id, gid("Compound", place.compound.id)):
        assert await _node(api, other_staff, id) is None
    for id in (gid("PointTransfer", 999), gid("Ledger", 1), "not-an-id", gid("Reward", 2**40)):
        assert await _node(api, owner, id) is None
    assert (await _node(api, owner, gid("Compound", place.compound.id)))["name"] == place.compound.name
    assert await api.error_codes(NODE, {"id": transfer_id}) == ["UNAUTHENTICATED"]
