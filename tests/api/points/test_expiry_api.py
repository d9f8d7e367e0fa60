"""Points expiry through the API: staff set the policy, members see what expires when, the job
moves it, the history says so."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from models.enums import Role
from points_engine import earning
from runtime import clock
from runtime.clock import MovableClock
from services.points import expire_points
from tests.api.points import flows
from tests.support.graphql import GraphQLClient
from tests.support.people import gid, make_neighbourhood, make_person

EXPIRIES = """
query Expiries($communityId: ID!) {
  myPoints(communityId: $communityId) {
    balance
    upcomingExpiries { points expiresAt }
    history(first: 5) { nodes { amount kind memo } }
  }
}"""
RULES = """
mutation Rules($input: PointRulesUpdateInput!) {
  pointRulesUpdate(input: $input) { rules { version expiry { mode yearsAfter days } } errors { code field } }
}"""


@pytest.fixture
def now_clock() -> Iterator[MovableClock]:
    movable = MovableClock(datetime.now(UTC).replace(microsecond=0))
    previous = clock.use_clock(movable)
    yield movable
    clock.use_clock(previous)


async def test_members_see_what_expires_when_and_the_job_takes_it(
    api: GraphQLClient, now_clock: MovableClock
) -> None:
    place = await make_neighbourhood()
    cid = gid("Community", place.community.id)
    staff = await make_person(place.community, (Role.STAFF,))
    resident = await make_person(place.community)

    policy = {"communityId": cid, "expiry": {"mode": "AFTER_DAYS", "days": 30}}
    updated = await api.data(RULES, {"input": policy}, staff.token)
    assert updated["pointRulesUpdate"]["rules"]["expiry"] == {
        "mode": "AFTER_DAYS",
        "yearsAfter": 1,
        "days": 30,
    }
    refused = await api.data(
        RULES, {"input": {**policy, "expiry": {"mode": "AFTER_DAYS", "days": 0}}}, staff.token
    )
    assert [e["code"] for e in refused["pointRulesUpdate"]["errors"]] == ["INVALID_RULES"]
    assert await api.error_codes(RULES, {"input": policy}, resident.token) == ["FORBIDDEN"]

    start = now_clock.now()
    award = {
        "communityId": cid,
        "userId": gid("User", resident.user.id),
        "amount": 40,
        "reason": "river patrol",
        "idempotencyKey": "a",
    }
    assert (await api.data(flows.AWARD, {"input": award}, staff.token))["pointsAward"]["errors"] == []
    now_clock.advance(days=1)  # a day later, the next award (the engine: tokens follow the clock)
    await earning.manual(place.community.id, staff.user.id, resident.user.id, 25, "snow", "b", award=True)
    now_clock.set(start)
    mine = (await api.data(EXPIRIES, {"communityId": cid}, resident.token))["myPoints"]
    assert mine["upcomingExpiries"] == [
        {"points": 40, "expiresAt": (start + timedelta(days=30)).isoformat()},
        {"points": 25, "expiresAt": (start + timedelta(days=31)).isoformat()},
    ]

    now_clock.advance(days=30, seconds=1)  # the first award is due, the second not yet
    run = await expire_points()
    assert (run.members, run.points) == (1, 40)
    now_clock.set(start)
    mine = (await api.data(EXPIRIES, {"communityId": cid}, resident.token))["myPoints"]
    assert mine["balance"] == 25
    assert [e["points"] for e in mine["upcomingExpiries"]] == [25]
    assert mine["history"]["nodes"][0] == {
        "amount": -40,
        "kind": "EXPIRY",
        "memo": mine["history"]["nodes"][0]["memo"],
    }
    assert mine["history"]["nodes"][0]["memo"].startswith("40 points earned ")
    economy = await api.data(flows.ECONOMY, {"communityId": cid}, resident.token)
    assert economy["economySummary"]["expired"] == 40 and economy["economySummary"]["outstanding"] == 25
