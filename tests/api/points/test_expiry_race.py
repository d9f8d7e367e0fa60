"""Points expiry runs racing redemptions and earnings on PostgreSQL: two server processes take
redemptions and awards while three `redsteward expire-points` processes run at once. Afterwards
`ledger-check` passes (balances, zero sums, lots = balances), expiry took only lots past their
date and each of them once, and every point is accounted for."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from tests.api.points import flows
from tests.api.points.test_redemption_race import INVITE, _cli, _gql, _person
from tests.support.server import running_server

# Every simulated phone calls from this one host: lift the per-address and per-account limits.
UNLIMITED = {"RS_RATE_LIMITS": "redeem.account=100000/3600,redeem.ip=100000/3600"}

pytestmark = pytest.mark.postgres

MEMBERS = 5
LOTS = 3  # each member earns 3 × 10 points before the race; the oldest lot is past its date
REDEEMS_PER_MEMBER = 8
AWARDS_PER_MEMBER = 4  # 5 points each, during the race
COST = 10
EXPIRY_RUNS = 3
RULES = """
mutation Rules($input: PointRulesUpdateInput!) {
  pointRulesUpdate(input: $input) { rules { version } errors { code } }
}"""


def _manual(community_id: str, user_id: str, amount: int, key: str) -> dict[str, Any]:
    return {
        "input": {
            "communityId": community_id,
            "userId": user_id,
            "amount": amount,
            "reason": "snow shift",
            "idempotencyKey": key,
        }
    }


async def _expire(url: str) -> int:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "cli.main",
        "expire-points",
        env={**os.environ, "RS_DATABASE_URL": url, "RS_LANGUAGE": "en"},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await process.communicate()
    assert process.returncode == 0, out.decode()
    found = re.search(r"expired (\d+) point", out.decode())
    assert found, out.decode()
    return int(found.group(1))


async def _race(url: str, bases: list[str], staff_code: str) -> dict[str, Any]:
    db = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    async with httpx.AsyncClient(base_url=bases[0], timeout=60) as client:
        staff_token, _, community_id = await _person(client, 0, staff_code)
        policy = {"communityId": community_id, "expiry": {"mode": "AFTER_DAYS", "days": 1}}
        assert (await _gql(client, RULES, {"input": policy}, staff_token))["pointRulesUpdate"]["errors"] == []
        invite = await _gql(
            client,
            INVITE,
            {"input": {"communityId": community_id, "roles": ["RESIDENT"], "maxUses": MEMBERS}},
            staff_token,
        )
        members = [await _person(client, n, invite["inviteCreate"]["code"]) for n in range(1, MEMBERS + 1)]
        for _token, user_id, _ in members:
            for lot in range(LOTS):
                award = await _gql(
                    client, flows.AWARD, _manual(community_id, user_id, 10, f"s{user_id}{lot}"), staff_token
                )
                assert award["pointsAward"]["errors"] == []
        reward = await _gql(
            client,
            flows.REWARD_CREATE,
            {
                "input": {
                    "communityId": community_id,
                    "kind": "GIFT",
                    "name": "salt",
                    "cost": COST,
                    "stock": 1000,
                }
            },
            staff_token,
        )
        reward_id = reward["rewardCreate"]["reward"]["id"]
    # A day passes for the oldest lot of everyone: its date is now behind us.
    await db.execute(
        "UPDATE point_lot SET expires_at = now() - interval '1 minute' "
        "WHERE id IN (SELECT min(id) FROM point_lot GROUP BY account_id)"
    )

    clients = [httpx.AsyncClient(base_url=base, timeout=60) for base in bases]
    try:

        async def redeem(i: int) -> tuple[str, str]:
            token = members[i % MEMBERS][0]
            data = await _gql(
                clients[i % 2],
                flows.REDEEM,
                {"input": {"rewardId": reward_id, "idempotencyKey": f"k{i}"}},
                token,
            )
            errors = data["rewardRedeem"]["errors"]
            return members[i % MEMBERS][1], "OK" if not errors else errors[0]["code"]

        async def award(i: int) -> list[Any]:
            user_id = members[i % MEMBERS][1]
            data = await _gql(
                clients[(i + 1) % 2], flows.AWARD, _manual(community_id, user_id, 5, f"w{i}"), staff_token
            )
            return list(data["pointsAward"]["errors"])

        work: list[Any] = [redeem(i) for i in range(MEMBERS * REDEEMS_PER_MEMBER)]
        work += [award(i) for i in range(MEMBERS * AWARDS_PER_MEMBER)]
        work += [_expire(url) for _ in range(EXPIRY_RUNS)]
        results = await asyncio.gather(*work)
    finally:
        for client in clients:
            await client.aclose()
    redeemed = results[: MEMBERS * REDEEMS_PER_MEMBER]
    awards = results[MEMBERS * REDEEMS_PER_MEMBER : -EXPIRY_RUNS]
    expired_in_race = sum(results[-EXPIRY_RUNS:])
    expired_after = await _expire(url)
    rows = {
        "wrong_lot": await db.fetchval(
            "SELECT count(*) FROM point_lot_move m JOIN point_transfer t ON t.id = m.transfer_id "
            "JOIN point_lot l ON l.id = m.lot_id WHERE t.kind = 'expiry' AND l.expires_at > t.created_at"
        ),
        "lots_expired_twice": await db.fetchval(
            "SELECT count(*) FROM (SELECT m.lot_id FROM point_lot_move m "
            "JOIN point_transfer t ON t.id = m.transfer_id "
            "WHERE t.kind = 'expiry' GROUP BY m.lot_id HAVING count(*) > 1) twice"
        ),
        "due_left": await db.fetchval(
            "SELECT count(*) FROM point_lot WHERE remaining > 0 AND expires_at <= now()"
        ),
        "expired": await db.fetchval(
            "SELECT coalesce(sum(amount), 0) FROM point_transfer WHERE kind = 'expiry'"
        ),
        "held": await db.fetchval(
            "SELECT coalesce(sum(balance), 0) FROM point_account WHERE kind = 'member'"
        ),
        "stock": await db.fetchval("SELECT stock FROM reward"),
    }
    await db.close()
    return {
        "outcomes": Counter(code for _, code in redeemed),
        "award_errors": [e for errors in awards for e in errors],
        "expired_in_race": expired_in_race,
        "expired_after": expired_after,
        **rows,
    }


def test_expiry_runs_racing_redemptions_and_earnings(pg_url: str, tmp_path: Path) -> None:
    assert _cli(pg_url, "migrate").returncode == 0
    assert _cli(pg_url, "community-create", "--slug", "hongxing", "--name", "红星社区").returncode == 0
    invite = _cli(pg_url, "invite-create", "--community", "hongxing", "--roles", "staff,admin")
    match = re.search(r"\b([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\b", invite.stdout)
    assert match, invite.stdout
    with (
        running_server(pg_url, tmp_path / "one.log", UNLIMITED) as first,
        running_server(pg_url, tmp_path / "two.log", UNLIMITED) as second,
    ):
        result = asyncio.run(_race(pg_url, [first, second], match.group(1)))
    assert result["award_errors"] == [], result
    assert set(result["outcomes"]) <= {"OK", "INSUFFICIENT_POINTS"}, result
    ok = result["outcomes"]["OK"]
    earned = MEMBERS * (LOTS * 10 + AWARDS_PER_MEMBER * 5)
    # Every point is earned once and is now held, spent or expired.
    assert result["held"] + ok * COST + result["expired"] == earned, result
    assert result["expired"] == result["expired_in_race"] + result["expired_after"]
    # Expiry takes only lots past their date, each once, and leaves none of them behind; what it
    # took is what the redemptions (oldest first) had not spent of them.
    assert result["wrong_lot"] == 0 and result["lots_expired_twice"] == 0 and result["due_left"] == 0, result
    assert 0 <= result["expired"] <= MEMBERS * 10
    assert result["stock"] == 1000 - ok
    check = _cli(pg_url, "ledger-check")
    assert check.returncode == 0, check.stdout + check.stderr
