"""Object-level authorization (OWASP API1/API3): every field that takes an ID, called by every role
of our community and of another one, and by nobody; who gets data is written in matrix.py.

The world is built once (a whole day in the life, ~10 s) and every row runs against it in one
test, so the failures of all rows are listed together rather than one per run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import GraphQLNonNull, GraphQLSchema

from api.graphql import build_schema
from runtime.clock import MovableClock
from services.photo_storage import LocalDiskStorage, use_storage
from tests.api.authz import documents
from tests.api.authz.matrix import ROWS, Row
from tests.api.authz.probe import Outcome, send
from tests.api.authz.world import OURS, Side, World, build_world, database_digest

SCHEMA: GraphQLSchema = build_schema(production=False)._schema
documents.remember_node_selections(SCHEMA)


@pytest.fixture(autouse=True)
def photo_dir(tmp_path: Path) -> Iterator[Path]:
    previous = use_storage(LocalDiskStorage(tmp_path / "photos"))
    yield tmp_path / "photos"
    use_storage(previous)


def probes() -> list[tuple[str, str, str, str | None]]:
    """(row key, operation, field name, node type) for every ID-taking field and node type."""
    found: list[tuple[str, str, str, str | None]] = []
    for key in documents.id_taking_fields(SCHEMA):
        type_name, field_name = key.split(".")
        assert type_name in ("Query", "Mutation"), f"{key}: an ID argument below the root needs a probe"
        if key != "Query.node":
            found.append((key, type_name.lower(), field_name, None))
    for node_type in documents.node_types(SCHEMA):
        found.append((f"Query.node:{node_type}", "query", "node", node_type))
    return found


def arguments(operation: str, field_name: str, node_type: str | None, row: Row, side: Side) -> dict[str, Any]:
    if node_type:
        return {"id": side.ids[node_type]}
    root = SCHEMA.query_type if operation == "query" else SCHEMA.mutation_type
    assert root is not None
    values = {
        name: documents.value_for(name, arg.type, side, field_name)
        for name, arg in root.fields[field_name].args.items()
        if isinstance(arg.type, GraphQLNonNull) or documents.takes_an_id(arg.type)
    }
    for name in row.drop:
        values.get("input", {}).pop(name, None)
        values.pop(name, None)
    return values


def test_every_field_that_takes_an_id_has_a_row() -> None:
    keys = {key for key, *_ in probes()}
    assert sorted(keys - ROWS.keys()) == [], "new fields that take an ID: add a row to matrix.py"
    assert sorted(ROWS.keys() - keys) == [], "rows for fields that no longer exist"


def _refused(outcome: Outcome, row: Row) -> bool:
    return outcome.refused or bool(set(row.refusals) & set(outcome.codes))


async def test_who_gets_data_from_every_field_that_takes_an_id(
    http: httpx.AsyncClient, moved_clock: MovableClock, photo_dir: Path
) -> None:
    world: World = await build_world(http, moved_clock, photo_dir)
    failures: list[str] = []
    calls = 0
    for key, operation, field_name, node_type in probes():
        row = ROWS[key]
        root = SCHEMA.query_type if operation == "query" else SCHEMA.mutation_type
        assert root is not None
        query = documents.document(operation, field_name, root.fields[field_name], node_type)
        variables = arguments(operation, field_name, node_type, row, world.ours)
        passing = {f"{OURS} {role}" for role in row.allowed}
        if row.own_only:
            passing |= {caller for caller in world.tokens if caller != "anonymous"}
        refused = [caller for caller in world.tokens if caller not in passing]
        # Refused callers go first, so that an allowed mutation cannot hide what they changed.
        before = await database_digest() if operation == "mutation" else ""
        for caller in refused:
            outcome = await send(http, query, variables, world.tokens[caller], field_name)
            calls += 1
            if not _refused(outcome, row):
                failures.append(f"{key}: {caller} was not refused ({outcome.label()})")
            elif outcome.leaked is not None:
                failures.append(f"{key}: {caller} was refused but shown {outcome.leaked!r}")
        if operation == "mutation" and before != await database_digest():
            failures.append(f"{key}: a refused caller changed the database")
        for caller in sorted(passing):
            outcome = await send(http, query, variables, world.tokens[caller], field_name)
            calls += 1
            if _refused(outcome, row):
                failures.append(f"{key}: {caller} was refused ({outcome.codes})")
            elif operation == "query" and not outcome.got_data and not row.may_be_empty:
                failures.append(f"{key}: {caller} got no data ({outcome.label()})")
    assert calls >= len(ROWS) * len(world.tokens)
    assert failures == [], "\n".join(failures)
