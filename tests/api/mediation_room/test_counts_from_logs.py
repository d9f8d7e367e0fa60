"""The counts read cases only, and the anonymous mediation logs (settled + category) still count:
a log written now becomes a case without names in its own transaction, and migration 15 turned
the logs written before it into such cases. Neither shows up as a case anyone works."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from tortoise import connections

from models.mediation_room import MediationCase
from models.teams import TeamKind
from runtime.migrations import migration_files
from tests.api.mediation_room import support as m
from tests.api.teams import support as t
from tests.support.graphql import GraphQLClient

LOG = """
mutation L($input: ActivityLogMediationInput!) { activityLogMediation(input: $input) { errors { code } } }
"""


def _migration(suffix: str = "_mediation_room.py") -> ModuleType:
    [path] = [p for p in migration_files() if p.name.endswith(suffix)]
    spec = importlib.util.spec_from_file_location(f"migration{suffix.removesuffix('.py')}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def _counts(api: GraphQLClient, squad: t.Squad) -> dict[str, int]:
    found = (await api.data(m.COUNTS, {"c": squad.community_id}, squad.neighbour.token))["mediationCounts"]
    return {"settled": found["settled"]} | {
        c["category"]: c["settled"] for c in found["byCategory"] if c["settled"]
    }


async def test_mediation_logs_count_now_and_through_the_migration(api: GraphQLClient) -> None:
    squad = await t.make_squad(api, slug="room", kind=TeamKind.MEDIATION)
    for key, settled, category in (("a", True, "NOISE"), ("b", False, "PARKING"), ("c", True, "NOISE")):
        logged = await m.payload(
            api,
            LOG,
            {
                "input": {
                    "activityId": squad.activity_id,
                    "idempotencyKey": key,
                    "settled": settled,
                    "category": category,
                }
            },
            squad.captain.token,
        )
        assert logged["errors"] == []
    await m.payload(  # a retry of the same log: no second case
        api,
        LOG,
        {
            "input": {
                "activityId": squad.activity_id,
                "idempotencyKey": "a",
                "settled": True,
                "category": "NOISE",
            }
        },
        squad.captain.token,
    )
    assert await _counts(api, squad) == {"settled": 2, "NOISE": 2}
    assert await MediationCase.filter(from_log_id__isnull=False).count() == 3
    listed = (await api.data(m.CASES, {"c": squad.community_id}, squad.staff.token))["mediationCases"]
    assert listed["totalCount"] == 0

    # As before migration 15: no cases at all, only the logs; the migration makes them again.
    migration = _migration()
    conn = connections.get("default")
    dialect = conn.capabilities.dialect
    # Migration 18's tables hang on migration 15's (a visit's photos): they go first and come back
    # after (PostgreSQL refuses to drop a table others still point at).
    later = _migration("_observer_photos_appointments.py")
    await conn.execute_script(later.DOWNGRADE[dialect])
    await conn.execute_script(migration.DOWNGRADE[dialect])
    await conn.execute_script(migration.UPGRADE[dialect])
    await conn.execute_script(later.UPGRADE[dialect])
    assert await MediationCase.filter(from_log_id__isnull=False).count() == 3
    assert await _counts(api, squad) == {"settled": 2, "NOISE": 2}
