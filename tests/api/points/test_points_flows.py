"""Red points through the API: award, redeem, fulfil, cancel, reverse, history, the economy."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import zxingcpp  # type: ignore[import-not-found]
from PIL import Image

from models.enums import Role
from points_engine.localtime import local_month
from points_engine.redemption import expire_due
from runtime import clock
from runtime.clock import MovableClock
from tests.api.points import flows
from tests.support.graphql import GraphQLClient
from tests.support.people import Person, gid, make_neighbourhood, make_person


@pytest.fixture
def now_clock() -> Iterator[MovableClock]:
    """A movable clock at the real present, so access tokens stay valid for pyjwt's own check."""
    movable = MovableClock(datetime.now(UTC))
    previous = clock.use_clock(movable)
    yield movable
    clock.use_clock(previous)


async def _setup() -> tuple[str, Person, Person]:
    place = await make_neighbourhood()
    staff = await make_person(place.community, (Role.STAFF,), name="staff")
    resident = await make_person(place.community, (Role.RESIDENT,), name="resident")
    return gid("Community", place.community.id), staff, resident


async def _award(
    api: GraphQLClient, staff: Person, cid: str, who: Person, amount: int, key: str
) -> dict[str, Any]:
    variables = {
        "input": {
            "communityId": cid,
            "userId": gid("User", who.user.id),
            "amount": amount,
            "reason": "helped at the autumn clean-up",
            "idempotencyKey": key,
        }
    }
    data = await api.data(flows.AWARD, variables, staff.token)
    return dict(data["pointsAward"])


async def _reward(api: GraphQLClient, staff: Person, cid: str, **extra: Any) -> str:
    variables = {"input": {"communityId": cid, "kind": "GIFT", "name": "rice 5kg", "cost": 30, **extra}}
    data = await api.data(flows.REWARD_CREATE, variables, staff.token)
    assert data["rewardCreate"]["errors"] == []
    return str(data["rewardCreate"]["reward"]["id"])


async def _redeem(api: GraphQLClient, who: Person, reward_id: str, key: str) -> dict[str, Any]:
    data = await api.data(flows.REDEEM, {"input": {"rewardId": reward_id, "idempotencyKey": key}}, who.token)
    return dict(data["rewardRedeem"])


async def test_award_redeem_fulfil_and_the_history_shows_it_all(
    api: GraphQLClient, http: httpx.AsyncClient, now_clock: MovableClock
) -> None:
    cid, staff, resident = await _setup()
    awarded = await _award(api, staff, cid, resident, 100, "k1")
    replayed = await _award(api, staff, cid, resident, 100, "k1")
    assert awarded["errors"] == [] and awarded["transfer"]["enteredByHand"] is True
    assert replayed["transfer"]["id"] == awarded["transfer"]["id"]
    reward_id = await _reward(api, staff, cid, stock=2)

    redeemed = await _redeem(api, resident, reward_id, "r1")
    again = await _redeem(api, resident, reward_id, "r1")
    assert redeemed["errors"] == [] and redeemed["balance"] == 70
    assert again["redemption"]["id"] == redeemed["redemption"]["id"] and again["balance"] == 70
    assert redeemed["redemption"]["reward"]["stock"] == 1
    code = redeemed["redemption"]["pickupCode"]

    png = await http.get(redeemed["redemption"]["pickupQrUrl"].split("8000", 1)[1])
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    import io

    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
    assert [d.text for d in decoded] == [code]
    assert (await http.get("/pickup/RP-AAAA-BBBB.png")).status_code == 404

    pending = await api.data(flows.PENDING, {"communityId": cid}, staff.token)
    assert pending["pendingPickups"]["totalCount"] == 1
    assert pending["pendingPickups"]["nodes"][0]["pickupCode"] is None, "staff must not see the member's code"
    fulfilled = await api.data(flows.FULFIL, {"input": {"pickupCode": code}}, staff.token)
    assert fulfilled["redemptionFulfil"]["redemption"]["status"] == "FULFILLED"
    twice = await api.data(flows.FULFIL, {"input": {"pickupCode": code}}, staff.token)
    assert [e["code"] for e in twice["redemptionFulfil"]["errors"]] == ["ALREADY_FULFILLED"]
    cancel = await api.data(
        flows.CANCEL, {"input": {"redemptionId": redeemed["redemption"]["id"]}}, resident.token
    )
    assert [e["code"] for e in cancel["redemptionCancel"]["errors"]] == ["ALREADY_FULFILLED"]

    history = await api.data(flows.MY_POINTS, {"communityId": cid, "first": 1}, resident.token)
    mine = history["myPoints"]
    assert mine["balance"] == 70 and mine["history"]["totalCount"] == 2
    assert mine["history"]["nodes"] == [
        {
            "amount": -30,
            "kind": "REDEMPTION",
            "memo": "rice 5kg",
            "source": mine["history"]["nodes"][0]["source"],
            "enteredByHand": False,
            "ruleVersion": None,
        }
    ]
    after = mine["history"]["pageInfo"]["endCursor"]
    older = await api.data(flows.MY_POINTS, {"communityId": cid, "first": 1, "after": after}, resident.token)
    assert [n["amount"] for n in older["myPoints"]["history"]["nodes"]] == [100]
    assert older["myPoints"]["history"]["nodes"][0]["enteredByHand"] is True

    economy = await api.data(flows.ECONOMY, {"communityId": cid}, resident.token)
    summary = economy["economySummary"]
    assert (summary["issued"], summary["redeemed"], summary["outstanding"]) == (100, 30, 70)
    month = local_month(now_clock.now(), "Asia/Shanghai")
    assert summary["months"] == [{"month": month, "issued": 100, "redeemed": 30, "outstanding": 70}]


async def test_cancel_and_expiry_refund_once_and_restore_stock(
    api: GraphQLClient, now_clock: MovableClock
) -> None:
    cid, staff, resident = await _setup()
    await _award(api, staff, cid, resident, 60, "k")
    reward_id = await _reward(api, staff, cid, stock=1)
    first = await _redeem(api, resident, reward_id, "a")
    sold_out = await _redeem(api, resident, reward_id, "b")
    assert [e["code"] for e in sold_out["errors"]] == ["OUT_OF_STOCK"]
    rid = first["redemption"]["id"]
    cancelled = await api.data(flows.CANCEL, {"input": {"redemptionId": rid}}, resident.token)
    assert cancelled["redemptionCancel"]["balance"] == 60
    again = await api.data(flows.CANCEL, {"input": {"redemptionId": rid}}, resident.token)
    assert [e["code"] for e in again["redemptionCancel"]["errors"]] == ["REDEMPTION_CLOSED"]

    second = await _redeem(api, resident, reward_id, "c")
    assert second["errors"] == [] and second["redemption"]["reward"]["stock"] == 0
    now_clock.advance(days=31)
    assert await expire_due() == 1
    assert await expire_due() == 0
    now_clock.set(datetime.now(UTC))  # back to the present, where the access token is valid
    catalog = await api.data(flows.CATALOG, {"communityId": cid}, resident.token)
    assert catalog["rewardCatalog"]["nodes"][0]["stock"] == 1
    mine = await api.data(flows.MY_REDEMPTIONS, {"communityId": cid}, resident.token)
    assert [n["status"] for n in mine["myRedemptions"]["nodes"]] == ["EXPIRED", "CANCELLED"]
    points = await api.data(flows.MY_POINTS, {"communityId": cid}, resident.token)
    assert points["myPoints"]["balance"] == 60


async def test_bad_input_gets_typed_errors_and_changes_nothing(
    api: GraphQLClient, now_clock: MovableClock
) -> None:
    cid, staff, resident = await _setup()
    for amount in (0, -3):
        bad = await _award(api, staff, cid, resident, amount, f"bad{amount}")
        assert [e["code"] for e in bad["errors"]] == ["INVALID_AMOUNT"]
    outsider = await make_person(None)
    unknown = await _award(api, staff, cid, outsider, 5, "x")
    assert [e["code"] for e in unknown["errors"]] == ["UNKNOWN_ACCOUNT"]
    await _award(api, staff, cid, resident, 40, "k")
    deduct = await api.data(
        flows.DEDUCT,
        {
            "input": {
                "communityId": cid,
                "userId": gid("User", resident.user.id),
                "amount": 41,
                "reason": "r",
                "idempotencyKey": "d",
            }
        },
        staff.token,
    )
    assert [e["code"] for e in deduct["pointsDeduct"]["errors"]] == ["INSUFFICIENT_POINTS"]
    expensive = await _reward(api, staff, cid, cost=30, monthlyLimit=1)
    assert (await _redeem(api, resident, expensive, "1"))["errors"] == []
    over = await _redeem(api, resident, expensive, "2")
    assert [e["code"] for e in over["errors"]] == ["OVER_MONTHLY_LIMIT"]
    await _award(api, staff, cid, resident, 100, "more")
    costly = await _reward(api, staff, cid, cost=500)
    broke = await _redeem(api, resident, costly, "3")
    assert [e["code"] for e in broke["errors"]] == ["INSUFFICIENT_POINTS"]
    points = await api.data(flows.MY_POINTS, {"communityId": cid}, resident.token)
    assert points["myPoints"]["balance"] == 40 - 30 + 100

    # Another community's pickup code is NOT_FOUND for this community's staff.
    other = await make_neighbourhood("binhe", "滨河社区")
    other_staff = await make_person(other.community, (Role.STAFF,))
    code = (await api.data(flows.MY_REDEMPTIONS, {"communityId": cid}, resident.token))["myRedemptions"]
    mine = await api.data(
        "query($c: ID!) { myRedemptions(communityId: $c) { nodes { pickupCode } } }",
        {"c": cid},
        resident.token,
    )
    pickup = mine["myRedemptions"]["nodes"][0]["pickupCode"]
    assert code and pickup
    foreign = await api.data(flows.FULFIL, {"input": {"pickupCode": pickup}}, other_staff.token)
    assert [e["code"] for e in foreign["redemptionFulfil"]["errors"]] == ["NOT_FOUND"]
    forged = await api.data(flows.FULFIL, {"input": {"pickupCode": pickup[:-2] + "ZZ"}}, staff.token)
    assert [e["code"] for e in forged["redemptionFulfil"]["errors"]] == ["NOT_FOUND"]
    # Residents cannot award, and an outsider cannot read the community's economy.
    assert await api.error_codes(
        flows.AWARD,
        {
            "input": {
                "communityId": cid,
                "userId": gid("User", resident.user.id),
                "amount": 5,
                "reason": "me",
                "idempotencyKey": "z",
            }
        },
        resident.token,
    ) == ["FORBIDDEN"]
    assert await api.error_codes(flows.ECONOMY, {"communityId": cid}, other_staff.token) == ["NOT_FOUND"]


async def test_staff_reverse_once_and_rules_versions(api: GraphQLClient, now_clock: MovableClock) -> None:
    cid, staff, resident = await _setup()
    awarded = await _award(api, staff, cid, resident, 25, "k")
    tid = awarded["transfer"]["id"]
    variables = {"input": {"transferId": tid, "reason": "entered twice"}}
    reversed_ = await api.data(flows.REVERSE, variables, staff.token)
    assert reversed_["pointTransferReverse"]["transfer"]["amount"] == -25
    assert reversed_["pointTransferReverse"]["transfer"]["reverses"] == tid
    twice = await api.data(flows.REVERSE, variables, staff.token)
    assert [e["code"] for e in twice["pointTransferReverse"]["errors"]] == ["ALREADY_REVERSED"]

    update = {
        "input": {"communityId": cid, "reportValidated": 8, "dailyCaps": [{"kind": "REPORT", "points": 16}]}
    }
    rules = await api.data(flows.RULES_UPDATE, update, staff.token)
    assert rules["pointRulesUpdate"]["rules"] == {
        "version": 1,
        "reportValidated": 8,
        "dailyCaps": [{"kind": "REPORT", "points": 16}],
    }
    bad = await api.data(
        flows.RULES_UPDATE, {"input": {"communityId": cid, "reportValidated": -1}}, staff.token
    )
    assert [e["code"] for e in bad["pointRulesUpdate"]["errors"]] == ["INVALID_RULES"]


async def test_history_costs_a_fixed_number_of_queries(
    api: GraphQLClient, queries: Any, now_clock: MovableClock
) -> None:
    cid, staff, resident = await _setup()
    for n in range(15):
        await _award(api, staff, cid, resident, 1 + n, f"k{n}")
    queries.statements.clear()
    data = await api.data(flows.MY_POINTS, {"communityId": cid, "first": 10}, resident.token)
    assert len(data["myPoints"]["history"]["nodes"]) == 10
    # viewer (1) + account with balance + history page + count
    assert queries.count <= 4, queries.statements
