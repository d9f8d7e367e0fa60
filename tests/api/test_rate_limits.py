"""Rate limits per account and per address, counted in the database so every process agrees."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from api.contract import operation_documents
from models.enums import Role
from models.guards import RateCounter
from runtime.clock import MovableClock
from services import rate_limits
from services.rate_limits import Limit
from tests.support.graphql import GraphQLClient
from tests.support.people import gid, make_neighbourhood, make_person
from tests.support.server import running_server

DOCS = operation_documents()


def _codes(payload: dict[str, object]) -> list[str]:
    return [e["code"] for e in payload["errors"]]  # type: ignore[attr-defined,index]


async def test_sign_ins_per_account_stop_at_the_limit_and_resume_when_the_window_turns(
    api: GraphQLClient, moved_clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(rate_limits.DEFAULTS, "signIn.account", Limit(3, 600))
    place = await make_neighbourhood()
    person = await make_person(place.community)
    sign_in = {"input": {"phone": person.phone, "password": "wrong-password-1"}}
    for _ in range(3):
        answer = (await api.data(DOCS["SignIn"], sign_in))["sessionCreate"]
        assert _codes(answer) == ["INVALID_CREDENTIALS"]
    refused = (await api.data(DOCS["SignIn"], sign_in))["sessionCreate"]
    assert _codes(refused) == ["RATE_LIMITED"]
    wait = refused["errors"][0]["retryAfterSeconds"]
    assert 0 < wait <= 600
    # Another number from the same address is its own account.
    other = {"input": {"phone": "139 8888 0000", "password": "wrong-password-1"}}
    assert _codes((await api.data(DOCS["SignIn"], other))["sessionCreate"]) == ["INVALID_CREDENTIALS"]
    moved_clock.advance(seconds=wait)
    assert _codes((await api.data(DOCS["SignIn"], sign_in))["sessionCreate"]) == ["INVALID_CREDENTIALS"]


async def test_redemptions_and_reports_per_address(
    api: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from points_engine import redemption

    monkeypatch.setitem(rate_limits.DEFAULTS, "redeem.account", Limit(2, 3600))
    monkeypatch.setitem(rate_limits.DEFAULTS, "report.ip", Limit(1, 3600))
    place = await make_neighbourhood()
    staff = await make_person(place.community, (Role.STAFF,))
    member = await make_person(place.community)
    reward = await redemption.create_reward(place.community.id, kind="gift", name="毛巾", cost=1, stock=9)
    cid = gid("Community", place.community.id)
    await api.data(
        DOCS["PointsAward"],
        {
            "input": {
                "communityId": cid,
                "userId": gid("User", member.user.id),
                "amount": 9,
                "reason": "好",
                "idempotencyKey": "a",
            }
        },
        staff.token,
    )
    codes = []
    for n in range(3):
        variables = {"input": {"rewardId": gid("Reward", reward.id), "idempotencyKey": f"r{n}"}}
        codes.append(_codes((await api.data(DOCS["RewardRedeem"], variables, member.token))["rewardRedeem"]))
    assert codes == [[], [], ["RATE_LIMITED"]]

    report = {
        "placeId": gid("Entrance", place.entrance.id),
        "category": "LIGHTING",
        "text": "灯坏了",
        "photos": [],
    }
    first = (await api.data(DOCS["ReportCreate"], {"input": report}, member.token))["reportCreate"]
    assert first["errors"] == []
    second = await api.http.post(
        "/graphql",
        json={"query": DOCS["ReportCreate"], "variables": {"input": {**report, "category": "OTHER"}}},
        headers={"authorization": f"Bearer {staff.token}"},
    )
    refused = second.json()["data"]["reportCreate"]
    assert _codes(refused) == ["RATE_LIMITED"]
    assert refused["errors"][0]["retryAfterSeconds"] > 0
    assert second.headers["retry-after"] == str(refused["errors"][0]["retryAfterSeconds"])
    assert "retry-after" not in (await api.http.post("/graphql", json={"query": "{ __typename }"})).headers


async def test_the_counter_admits_exactly_the_limit_when_requests_race() -> None:
    import asyncio

    limit = Limit(5, 3600)
    results = await asyncio.gather(*(rate_limits._admit("race", limit) for _ in range(12)))
    assert sum(r is None for r in results) == 5
    assert (await RateCounter.get()).count == 5


def _post(client: httpx.Client, name: str, variables: dict[str, object]) -> dict[str, object]:
    response = client.post("/graphql", json={"query": DOCS[name], "variables": variables})
    assert response.status_code == 200, response.text
    data: dict[str, object] = response.json()["data"]
    return data


@pytest.mark.own_sqlite
def test_two_server_processes_share_the_limits(tmp_path: Path) -> None:
    database = f"sqlite://{tmp_path / 'db.sqlite3'}"
    env = {"RS_RATE_LIMITS": "signIn.account=3/3600,register.ip=4/3600"}
    with (
        running_server(database, tmp_path / "a.log", env) as first,
        running_server(database, tmp_path / "b.log", env) as second,
        httpx.Client(base_url=first, timeout=10) as a,
        httpx.Client(base_url=second, timeout=10) as b,
    ):
        servers = [a, b]
        registered = []
        for n in range(5):
            register = {
                "input": {"phone": f"139 7000 000{n}", "password": "a-long-password", "displayName": "x"}
            }
            registered.append(_codes(_post(servers[n % 2], "Register", register)["accountRegister"]))  # type: ignore[arg-type]
        assert registered == [[], [], [], [], ["RATE_LIMITED"]]

        signed = []
        for n in range(4):
            sign_in = {"input": {"phone": "139 7000 0000", "password": "not-the-password"}}
            signed.append(_post(servers[n % 2], "SignIn", sign_in)["sessionCreate"])
        assert [_codes(s) for s in signed] == [["INVALID_CREDENTIALS"]] * 3 + [["RATE_LIMITED"]]  # type: ignore[arg-type]
        assert signed[-1]["errors"][0]["retryAfterSeconds"] > 0  # type: ignore[index]
