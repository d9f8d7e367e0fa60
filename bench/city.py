"""A synthetic city for the load benchmark, deterministic from a seed. Not a test.

    python -m bench.city --scale small                       # SQLite in a temporary file
    python -m bench.city --scale large postgres://postgres@127.0.0.1:5432/test   # scratch database

`large` is what issue 8 asks for: 10 communities × 3,200 households (one resident each), 1,000,000
transfers, 100,000 reports, 5,000 activities. `small` is the same shape at a size CI builds in
seconds. The volume goes in by bulk inserts, not through the services: a million `ledger.post`
calls take the better part of an hour on this machine, and what is benchmarked is reading and
writing a big city, not building one. The result is still a city the app's own checks accept:
every balance is the sum of its transfers, every community sums to zero, every member's lot holds
the balance (so `redsteward ledger-check` passes), and the board index is computed by the real
`services.leaderboards.rebuild`.

Everything is drawn from `random.Random(seed)` except the few "live" activities (one in ten),
which run from an hour before the build until a day after it, so the load run can check in to them
with the wall clock the server uses.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

os.environ.setdefault("RS_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnop")

BATCH = 5000
MONTHS = ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
BOARD_MONTH = MONTHS[-1]
EARNING = ["attendance", "report", "repair", "inspection", "manual_award"]
CATEGORIES = ["lighting", "plumbing", "electrical", "sanitation", "public_facility", "safety_hazard", "other"]
TEAM_KINDS = ["repair", "river_patrol", "tutoring", "mediation", "snow_clearing", "mutual_aid", "cleaning"]


@dataclass(frozen=True)
class Scale:
    communities: int
    households: int  # per community, one resident each
    compounds: int  # per community
    buildings: int  # per community
    entrances_per_building: int
    transfers: int  # in all
    reports: int  # in all
    activities: int  # in all


SCALES = {
    "small": Scale(2, 300, 2, 6, 2, 20_000, 2_000, 100),
    "medium": Scale(4, 1_600, 4, 17, 3, 200_000, 20_000, 1_000),
    "large": Scale(10, 3_200, 8, 34, 3, 1_000_000, 100_000, 5_000),
}


@dataclass
class CommunityFacts:
    """What the load run needs to know about one community (ids, not objects)."""

    id: int
    users: list[int] = field(default_factory=list)
    staff: list[int] = field(default_factory=list)
    balances: dict[int, int] = field(default_factory=dict)  # user id → points
    entrances: list[int] = field(default_factory=list)
    tags: list[tuple[int, int]] = field(default_factory=list)  # (tag id, version)
    rewards: list[int] = field(default_factory=list)
    live: list[tuple[int, list[int]]] = field(default_factory=list)  # (activity, its team's members)


@dataclass
class City:
    scale: str
    seed: int
    communities: list[CommunityFacts]
    counts: dict[str, int]
    seconds: float


def _progress(message: str, started: float) -> None:
    print(f"  [{time.perf_counter() - started:6.1f} s] {message}", flush=True)


async def _ids(model: Any, **filters: Any) -> list[int]:
    return [int(i) for i in await model.filter(**filters).order_by("id").values_list("id", flat=True)]


async def build(scale_name: str, seed: int = 8) -> City:
    """Fills the open database (already migrated and empty) with a city."""
    from models.enums import Role
    from models.ledger import AccountKind, PointAccount, PointLot
    from models.people import Membership, MembershipRole, User
    from models.places import Building, Community, Compound, Entrance, Household
    from models.reports import Report
    from models.rewards import Reward, RewardKind
    from models.tags import Tag, TagTargetKind
    from models.teams import Activity, Team, TeamMember
    from services.leaderboards import rebuild
    from services.passwords import hash_password

    scale = SCALES[scale_name]
    rng = random.Random(seed)
    started = time.perf_counter()
    built_at = datetime.now(UTC).replace(microsecond=0)
    history = datetime(2026, 6, 1, tzinfo=UTC)
    password = await asyncio.to_thread(hash_password, "city-bench-2026")
    facts: list[CommunityFacts] = []
    compound_of: dict[int, int] = {}  # building → compound

    for c in range(scale.communities):
        community = await Community.create(name=f"社区 {c + 1}", slug=f"city-{c + 1}")
        fact = CommunityFacts(id=community.id)
        await Compound.bulk_create(
            [Compound(community_id=community.id, name=f"小区 {k + 1}") for k in range(scale.compounds)]
        )
        compounds = await _ids(Compound, community_id=community.id)
        await Building.bulk_create(
            [
                Building(
                    community_id=community.id, compound_id=compounds[b % len(compounds)], name=f"{b + 1}号楼"
                )
                for b in range(scale.buildings)
            ]
        )
        buildings = (
            await Building.filter(community_id=community.id).order_by("id").values("id", "compound_id")
        )
        await Entrance.bulk_create(
            [
                Entrance(community_id=community.id, building_id=b["id"], name=f"{e + 1}单元")
                for b in buildings
                for e in range(scale.entrances_per_building)
            ]
        )
        entrances = (
            await Entrance.filter(community_id=community.id).order_by("id").values("id", "building_id")
        )
        fact.entrances = [e["id"] for e in entrances]
        compound_of.update({b["id"]: b["compound_id"] for b in buildings})
        await Household.bulk_create(
            [
                Household(
                    community_id=community.id,
                    entrance_id=entrances[h % len(entrances)]["id"],
                    number=f"{h // len(entrances) // 2 + 1:02d}0{h // len(entrances) % 2 + 1}",
                )
                for h in range(scale.households)
            ],
            batch_size=1000,
        )
        households = await _ids(Household, community_id=community.id)
        await User.bulk_create(
            [
                User(
                    phone=f"+861{c + 30:02d}{h:08d}", password_hash=password, display_name=f"居民 {c + 1}-{h}"
                )
                for h in range(scale.households)
            ],
            batch_size=1000,
        )
        fact.users = await _ids(User, phone__startswith=f"+861{c + 30:02d}")
        await Membership.bulk_create(
            [
                Membership(user_id=u, community_id=community.id, household_id=h)
                for u, h in zip(fact.users, households, strict=True)
            ],
            batch_size=1000,
        )
        memberships = await _ids(Membership, community_id=community.id)
        fact.staff = fact.users[:5]
        roles = [
            MembershipRole(membership_id=m, community_id=community.id, role=Role.RESIDENT)
            for m in memberships
        ]
        roles += [
            MembershipRole(membership_id=m, community_id=community.id, role=Role.STAFF)
            for m in memberships[:5]
        ]
        await MembershipRole.bulk_create(roles, batch_size=1000)

        # Tags on every compound, building and entrance: what residents scan.
        tags = [
            Tag(
                community_id=community.id,
                target_kind=TagTargetKind.ENTRANCE,
                entrance_id=e["id"],
                active_key=f"entrance:{e['id']}",
                created_at=built_at,
            )
            for e in entrances
        ]
        tags += [
            Tag(
                community_id=community.id,
                target_kind=TagTargetKind.BUILDING,
                building_id=b["id"],
                active_key=f"building:{b['id']}",
                created_at=built_at,
            )
            for b in buildings
        ]
        await Tag.bulk_create(tags, batch_size=1000)
        fact.tags = [
            (int(t["id"]), int(t["version"]))
            for t in await Tag.filter(community_id=community.id).values("id", "version")
        ]

        # Teams: a quarter of the residents volunteer, spread over the kinds of team.
        await Team.bulk_create(
            [
                Team(community_id=community.id, name=f"{k} team", kind=k, created_at=history)
                for k in TEAM_KINDS
            ]
        )
        teams = await Team.filter(community_id=community.id).order_by("id").values("id", "kind")
        volunteers = fact.users[5 : 5 + scale.households // 4]
        members: dict[int, list[int]] = {t["id"]: [] for t in teams}
        for i, user_id in enumerate(volunteers):
            members[teams[i % len(teams)]["id"]].append(user_id)
        await TeamMember.bulk_create(
            [
                TeamMember(
                    community_id=community.id, team_id=t, user_id=u, is_captain=j == 0, joined_at=history
                )
                for t, us in members.items()
                for j, u in enumerate(us)
            ],
            batch_size=1000,
        )

        # Activities: most in the past six months, one in ten running now (check-ins go there).
        count = scale.activities // scale.communities
        rows = []
        for a in range(count):
            team = teams[a % len(teams)]
            live = a % 10 == 0
            starts = (
                built_at - timedelta(hours=1) if live else history + timedelta(hours=rng.randrange(24 * 170))
            )
            rows.append(
                Activity(
                    community_id=community.id,
                    team_id=team["id"],
                    title=f"{team['kind']} {a + 1}",
                    kind=team["kind"],
                    entrance_id=fact.entrances[a % len(fact.entrances)],
                    starts_at=starts,
                    ends_at=starts + (timedelta(days=1, hours=1) if live else timedelta(hours=2)),
                    created_by_id=members[team["id"]][0] if members[team["id"]] else None,
                    idempotency_key=f"city:{a}",
                    created_at=starts - timedelta(days=1),
                )
            )
        await Activity.bulk_create(rows, batch_size=1000)
        for row in (
            await Activity.filter(community_id=community.id, ends_at__gt=built_at)
            .order_by("id")
            .values("id", "team_id")
        ):
            fact.live.append((row["id"], members[row["team_id"]]))

        # Gifts with no stock limit: the redeem scenario measures the ledger, not running out.
        now = built_at
        await Reward.bulk_create(
            [
                Reward(
                    community_id=community.id,
                    kind=RewardKind.GIFT,
                    name=f"gift {g + 1}",
                    cost=1 + g,
                    created_at=now,
                    updated_at=now,
                )
                for g in range(5)
            ]
        )
        fact.rewards = await _ids(Reward, community_id=community.id)

        # Accounts: the community's system accounts and one per resident.
        system = [
            PointAccount(
                community_id=community.id, kind=k, key=f"{k.value}:{community.id}", created_at=history
            )
            for k in (
                AccountKind.ISSUING,
                AccountKind.REDEMPTION,
                AccountKind.ADJUSTMENTS,
                AccountKind.EXPIRY,
            )
        ]
        await PointAccount.bulk_create(system)
        await PointAccount.bulk_create(
            [
                PointAccount(
                    community_id=community.id,
                    kind=AccountKind.MEMBER,
                    user_id=u,
                    key=f"member:{community.id}:{u}",
                    created_at=history,
                )
                for u in fact.users
            ],
            batch_size=1000,
        )
        facts.append(fact)
        _progress(
            f"community {c + 1}: {scale.households:,} households, {len(fact.live)} live activities", started
        )

    # The ledger: earnings from each community's issuing account, spread over six months.
    from tortoise import connections

    conn = connections.get("default")
    postgres = conn.capabilities.dialect == "postgres"
    marks = ", ".join(f"${i}" if postgres else "?" for i in range(1, 12))
    sql = (
        "INSERT INTO point_transfer (community_id, debit_id, credit_id, amount, kind, memo, source_key, "  # noqa: S608 - only placeholders
        f"by_hand, created_at, local_day, rule_version) VALUES ({marks})"
    )
    accounts: dict[int, dict[int, int]] = {}  # community → user → account
    issuing: dict[int, int] = {}
    for fact in facts:
        rows_ = await PointAccount.filter(community_id=fact.id).values("id", "kind", "user_id")
        accounts[fact.id] = {r["user_id"]: r["id"] for r in rows_ if r["kind"] == AccountKind.MEMBER}
        issuing[fact.id] = next(r["id"] for r in rows_ if r["kind"] == AccountKind.ISSUING)
    credited: dict[int, int] = {}  # account → points
    issued: dict[int, int] = {}
    done = 0
    while done < scale.transfers:
        batch: list[list[Any]] = []
        for i in range(done, min(scale.transfers, done + BATCH)):
            fact = facts[i % len(facts)]
            # Skewed like a real board: a few residents earn most of the points.
            user = fact.users[
                min(len(fact.users) - 1, int(rng.paretovariate(1.2)) * 7 + rng.randrange(40) - 1)
            ]
            if rng.random() < 0.5:
                user = fact.users[rng.randrange(len(fact.users))]
            account = accounts[fact.id][user]
            amount = rng.randint(1, 50)
            m = i % len(MONTHS)
            moment = history + timedelta(days=30 * m + rng.randint(0, 27), seconds=rng.randrange(86400))
            credited[account] = credited.get(account, 0) + amount
            issued[fact.id] = issued.get(fact.id, 0) + amount
            batch.append(
                [
                    fact.id,
                    issuing[fact.id],
                    account,
                    amount,
                    EARNING[i % len(EARNING)],
                    "",
                    f"city:{i}",
                    False,
                    moment if postgres else moment.isoformat(),
                    f"{MONTHS[m]}-{moment.day:02d}",
                    1,
                ]
            )
        async with conn._in_transaction() as tx:
            await tx.execute_many(sql, batch)
        done += len(batch)
        if done % 100_000 == 0 or done == scale.transfers:
            _progress(f"{done:,} transfers", started)
    # Balances equal to the ledger, and one lot per member holding exactly that balance.
    for fact in facts:
        for user, account in accounts[fact.id].items():
            if credited.get(account):
                fact.balances[user] = credited[account]
    update = (
        "UPDATE point_account SET balance = $1 WHERE id = $2"
        if postgres
        else ("UPDATE point_account SET balance = ? WHERE id = ?")
    )
    pairs = [[points, account] for account, points in credited.items()]
    pairs += [[-points, issuing[community_id]] for community_id, points in issued.items()]
    async with conn._in_transaction() as tx:
        await tx.execute_many(update, pairs)
    for fact in facts:
        await PointLot.bulk_create(
            [
                PointLot(
                    community_id=fact.id,
                    account_id=accounts[fact.id][user],
                    amount=points,
                    remaining=points,
                    earned_at=history,
                )
                for user, points in fact.balances.items()
            ],
            batch_size=1000,
        )
    _progress("balances and lots", started)

    # Reports: nearly all long closed (a new report at a place is not a duplicate of them).
    clock_due = timedelta(minutes=30)
    done = 0
    per_community = scale.reports // scale.communities
    for fact in facts:
        places = await Entrance.filter(community_id=fact.id).values("id", "building_id")
        rows = []
        for r in range(per_community):
            place = places[rng.randrange(len(places))]
            created = history + timedelta(seconds=rng.randrange(170 * 86400))
            rows.append(
                Report(
                    community_id=fact.id,
                    compound_id=compound_of[place["building_id"]],
                    building_id=place["building_id"],
                    entrance_id=place["id"],
                    category=CATEGORIES[rng.randrange(len(CATEGORIES))],
                    text=f"城市基准 {r}",
                    reporter_id=fact.users[rng.randrange(len(fact.users))],
                    state="confirmed" if r % 20 else "rejected",
                    claim_due_at=created + clock_due,
                    resolve_due_at=created + timedelta(hours=48),
                    closed_at=created + timedelta(hours=30),
                    created_at=created,
                    updated_at=created + timedelta(hours=30),
                )
            )
        await Report.bulk_create(rows, batch_size=2000)
        done += len(rows)
        _progress(f"{done:,} reports", started)

    if postgres:
        # What autovacuum would do after a bulk load: without statistics the planner picks nested
        # loops over tables it believes are empty.
        await conn.execute_script("ANALYZE")
    for fact in facts:
        await rebuild(fact.id)
    _progress("boards rebuilt (services.leaderboards.rebuild)", started)
    counts = {
        "communities": len(facts),
        "households": scale.households * len(facts),
        "transfers": scale.transfers,
        "reports": done,
        "activities": await Activity.all().count(),
        "live activities": sum(len(f.live) for f in facts),
        "tags": await Tag.all().count(),
    }
    return City(scale_name, seed, facts, counts, time.perf_counter() - started)


def main() -> None:
    from bench.scratch import drop_pg, scratch_pg
    from runtime.database import close_database, open_database
    from runtime.migrations import upgrade

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("database", nargs="?", default="", help="a PostgreSQL admin URL; SQLite if omitted")
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database and print its URL")
    args = parser.parse_args()
    admin = args.database if args.database.startswith("postgres") else ""
    if admin:
        url = asyncio.run(scratch_pg(admin))
    else:
        import tempfile
        from pathlib import Path

        url = f"sqlite://{Path(tempfile.mkdtemp(prefix='rs-city-')) / 'city.sqlite3'}"

    async def work() -> City:
        await upgrade(url)
        await open_database(url)
        try:
            city = await build(args.scale, args.seed)
            from points_engine.audit import check_ledger

            checked, problems = await check_ledger()
            assert not problems, problems[:5]
            print(f"  ledger-check: {checked:,} accounts, no problem")
            return city
        finally:
            await close_database()

    try:
        city = asyncio.run(work())
    finally:
        if admin and not args.keep:
            asyncio.run(drop_pg(admin, url))
    print(
        f"city ({city.scale}, seed {city.seed}) built in {city.seconds:.0f} s: "
        + ", ".join(f"{v:,} {k}" for k, v in city.counts.items())
    )
    if args.keep:
        print(url)


if __name__ == "__main__":
    main()
