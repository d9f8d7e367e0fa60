"""The issue's "Bad input" list through the API: each gets its typed error and changes nothing
(no transfer, redemption, lot or stock moves, every balance as it was)."""

from __future__ import annotations

from typing import Any

from tortoise import connections

from models.enums import Role
from models.ledger import PointTransfer, TransferKind
from tests.api.points import flows
from tests.support.graphql import GraphQLClient
from tests.support.people import Person, gid, make_neighbourhood, make_person

TABLES = ("point_transfer", "point_account", "point_lot", "point_lot_move", "redemption", "reward")


async def _state() -> dict[str, Any]:
    conn = connections.get("default")
    state: dict[str, Any] = {}
    for table in TABLES:
        state[table] = await conn.execute_query_dict(f'SELECT * FROM "{table}" ORDER BY id')
    return state


def _manual(cid: str, who: Person, amount: int, key: str, reason: str = "snow shift") -> dict[str, Any]:
    return {
        "input": {
            "communityId": cid,
            "userId": gid("User", who.user.id),
            "amount": amount,
            "reason": reason,
            "idempotencyKey": key,
        }
    }


def _codes(data: dict[str, Any]) -> list[str]:
    (payload,) = data.values()
    return [e["code"] for e in payload["errors"]]


async def test_every_bad_input_gets_its_typed_error_and_changes_nothing(api: GraphQLClient) -> None:
    place = await make_neighbourhood()
    cid = gid("Community", place.community.id)
    staff = await make_person(place.community, (Role.STAFF,))
    resident = await make_person(place.community)
    neighbour = await make_person(place.community)
    outsider = await make_person(None)
    other = await make_neighbourhood("binhe", "滨河社区")
    other_staff = await make_person(other.community, (Role.STAFF,))
    other_member = await make_person(other.community)

    async def reward(community: str, who: Person, **values: Any) -> str:
        variables = {"input": {"communityId": community, "kind": "GIFT", "name": "tea", "cost": 30, **values}}
        created = await api.data(flows.REWARD_CREATE, variables, who.token)
        return str(created["rewardCreate"]["reward"]["id"])

    async def redeem(who: Person, reward_id: str, key: str) -> dict[str, Any]:
        return await api.data(
            flows.REDEEM, {"input": {"rewardId": reward_id, "idempotencyKey": key}}, who.token
        )

    # Given: a resident with 50 points, a limited reward redeemed once and handed over, one pending.
    assert _codes(await api.data(flows.AWARD, _manual(cid, resident, 50, "a"), staff.token)) == []
    await api.data(flows.AWARD, _manual(cid, neighbour, 10, "n"), staff.token)
    limited = await reward(cid, staff, cost=10, monthlyLimit=1, stock=5)
    fulfilled = (await redeem(resident, limited, "r1"))["rewardRedeem"]["redemption"]
    await api.data(flows.FULFIL, {"input": {"pickupCode": fulfilled["pickupCode"]}}, staff.token)
    plenty = await reward(cid, staff, cost=5, stock=10)
    pending = (await redeem(resident, plenty, "r2"))["rewardRedeem"]["redemption"]
    costly = await reward(cid, staff, cost=500, stock=3)
    sold_out = await reward(cid, staff, cost=1, stock=0)
    foreign_reward = await reward(gid("Community", other.community.id), other_staff, cost=1)
    await api.data(
        flows.AWARD, _manual(gid("Community", other.community.id), other_member, 5, "o"), other_staff.token
    )
    foreign = (await redeem(other_member, foreign_reward, "f"))["rewardRedeem"]["redemption"]
    award = await api.data(flows.AWARD, _manual(cid, resident, 7, "b"), staff.token)
    award_id = award["pointsAward"]["transfer"]["id"]
    await api.data(flows.REVERSE, {"input": {"transferId": award_id, "reason": "twice"}}, staff.token)
    spent = await PointTransfer.filter(kind=TransferKind.REDEMPTION).order_by("id").first()
    assert spent is not None

    bad: list[tuple[str, str, dict[str, Any], Person, str]] = [
        ("zero amount", flows.AWARD, _manual(cid, resident, 0, "z"), staff, "INVALID_AMOUNT"),
        ("negative amount", flows.AWARD, _manual(cid, resident, -5, "m"), staff, "INVALID_AMOUNT"),
        ("negative deduction", flows.DEDUCT, _manual(cid, resident, -5, "m2"), staff, "INVALID_AMOUNT"),
        ("unknown account", flows.AWARD, _manual(cid, outsider, 5, "u"), staff, "UNKNOWN_ACCOUNT"),
        (
            "another community's member",
            flows.AWARD,
            _manual(cid, other_member, 5, "u2"),
            staff,
            "UNKNOWN_ACCOUNT",
        ),
        ("deduct over balance", flows.DEDUCT, _manual(cid, resident, 36, "d"), staff, "INSUFFICIENT_POINTS"),
        (
            "key reused for another member",
            flows.AWARD,
            _manual(cid, neighbour, 50, "a"),
            staff,
            "IDEMPOTENCY_KEY_REUSED",
        ),
        ("empty reason", flows.AWARD, _manual(cid, resident, 5, "e", reason="  "), staff, "INVALID_INPUT"),
        (
            "redeem over balance",
            flows.REDEEM,
            {"input": {"rewardId": costly, "idempotencyKey": "x1"}},
            resident,
            "INSUFFICIENT_POINTS",
        ),
        (
            "out of stock",
            flows.REDEEM,
            {"input": {"rewardId": sold_out, "idempotencyKey": "x2"}},
            resident,
            "OUT_OF_STOCK",
        ),
        (
            "over the monthly limit",
            flows.REDEEM,
            {"input": {"rewardId": limited, "idempotencyKey": "x3"}},
            resident,
            "OVER_MONTHLY_LIMIT",
        ),
        (
            "key reused for another reward",
            flows.REDEEM,
            {"input": {"rewardId": plenty, "idempotencyKey": "r1"}},
            resident,
            "IDEMPOTENCY_KEY_REUSED",
        ),
        (
            "another community's reward",
            flows.REDEEM,
            {"input": {"rewardId": foreign_reward, "idempotencyKey": "x4"}},
            resident,
            "NOT_FOUND",
        ),
        (
            "another community's pickup code",
            flows.FULFIL,
            {"input": {"pickupCode": foreign["pickupCode"]}},
            staff,
            "NOT_FOUND",
        ),
        (
            "fulfil twice",
            flows.FULFIL,
            {"input": {"pickupCode": fulfilled["pickupCode"]}},
            staff,
            "ALREADY_FULFILLED",
        ),
        ("a forged code", flows.FULFIL, {"input": {"pickupCode": "RP-0000-0000-0000"}}, staff, "NOT_FOUND"),
        (
            "reverse twice",
            flows.REVERSE,
            {"input": {"transferId": award_id, "reason": "again"}},
            staff,
            "ALREADY_REVERSED",
        ),
        (
            "reverse a redemption",
            flows.REVERSE,
            {"input": {"transferId": gid("PointTransfer", spent.id), "reason": "no"}},
            staff,
            "NOT_REVERSIBLE",
        ),
        (
            "reverse another community's transfer",
            flows.REVERSE,
            {"input": {"transferId": award_id, "reason": "no"}},
            other_staff,
            "NOT_FOUND",
        ),
        (
            "cancel a neighbour's redemption",
            flows.CANCEL,
            {"input": {"redemptionId": pending["id"]}},
            neighbour,
            "NOT_FOUND",
        ),
        (
            "cancel a handed-over one",
            flows.CANCEL,
            {"input": {"redemptionId": fulfilled["id"]}},
            resident,
            "ALREADY_FULFILLED",
        ),
        (
            "a reward that costs nothing",
            flows.REWARD_CREATE,
            {"input": {"communityId": cid, "kind": "GIFT", "name": "air", "cost": 0}},
            staff,
            "INVALID_AMOUNT",
        ),
        (
            "negative stock",
            flows.REWARD_CREATE,
            {"input": {"communityId": cid, "kind": "GIFT", "name": "air", "cost": 1, "stock": -1}},
            staff,
            "INVALID_INPUT",
        ),
    ]
    for name, operation, variables, who, code in bad:
        before = await _state()
        data = await api.data(operation, variables, who.token)
        assert _codes(data) == [code], name
        assert await _state() == before, f"{name}: something changed"
