"""Object-level authorization (OWASP API1/API3): every field that takes an ID, called by every role
of our community and of another one, and by nobody; who gets data is written in matrix.py.

The world is built once per worker (a whole day in the life; conftest.py) and every row runs
against it in one test, so the failures of all rows are listed together rather than one per run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.app import create_app
from models.teams import VolunteerCard
from services.photo_storage import LocalDiskStorage, use_storage
from tests.api.authz import documents
from tests.api.authz.calls import SCHEMA, arguments, probes
from tests.api.authz.matrix import HTTP_ROWS, HTTP_WITHOUT_IDS, ROWS, Row
from tests.api.authz.probe import Outcome, send
from tests.api.authz.world import OURS, World, database_digest
from tests.support.people import gid

# One worker builds the world for every test that uses it (conftest.py).
pytestmark = pytest.mark.xdist_group("authz")


@pytest.fixture(autouse=True)
def photo_dir(tmp_path: Path) -> Iterator[Path]:
    previous = use_storage(LocalDiskStorage(tmp_path / "photos"))
    yield tmp_path / "photos"
    use_storage(previous)


def test_every_field_that_takes_an_id_has_a_row() -> None:
    keys = {key for key, *_ in probes()}
    assert sorted(keys - ROWS.keys()) == [], "new fields that take an ID: add a row to matrix.py"
    assert sorted(ROWS.keys() - keys) == [], "rows for fields that no longer exist"


def test_every_route_outside_graphql_is_in_the_matrix_or_says_why_not(settings: Any) -> None:
    app: Any = create_app(settings, manage_database=False)
    while not hasattr(app, "routes"):  # the middlewares around the Starlette app
        app = app.app
    paths = {route.path for route in app.routes}
    assert sorted(paths - HTTP_ROWS.keys() - HTTP_WITHOUT_IDS.keys()) == []
    assert sorted((HTTP_ROWS.keys() | HTTP_WITHOUT_IDS.keys()) - paths) == []


async def http_rows(http: httpx.AsyncClient, world: World) -> tuple[list[str], int]:
    """The routes outside GraphQL that take ids, for every caller: 200 for the allowed, and a
    401/403/404 with no image or PDF for everyone else."""
    failures: list[str] = []
    calls = 0
    card = await VolunteerCard.filter(community_id=world.ours.community.id).order_by("id").first()
    assert card is not None, "the day issued a volunteer card"
    ids = {**world.ours.ids, "CardHolder": gid("User", card.user_id)}  # type: ignore[attr-defined]
    for path, row in HTTP_ROWS.items():
        params = {name: ids[kind] for name, kind in row.params} | dict(row.fixed)
        for caller, token in world.tokens.items():
            headers = {"authorization": f"Bearer {token}"} if token else {}
            response = await http.get(path, params=params, headers=headers)
            calls += 1
            allowed = caller in {f"{OURS} {role}" for role in row.allowed}
            if allowed and response.status_code != 200:
                failures.append(f"GET {path}: {caller} got {response.status_code} {response.text[:80]}")
            if not allowed and (
                response.status_code not in (401, 403, 404)
                or not response.headers["content-type"].startswith("application/json")
            ):
                failures.append(f"GET {path}: {caller} was not refused ({response.status_code})")
    return failures, calls


def _refused(outcome: Outcome, row: Row) -> bool:
    return outcome.refused or bool(set(row.refusals) & set(outcome.codes))


async def test_who_gets_data_from_every_field_that_takes_an_id(http: httpx.AsyncClient, world: World) -> None:
    failures: list[str] = []
    calls = 0
    for key, operation, field_name, node_type in probes():
        row = ROWS[key]
        root = SCHEMA.query_type if operation == "query" else SCHEMA.mutation_type
        assert root is not None
        query = documents.document(operation, field_name, root.fields[field_name], node_type)
        variables = arguments(operation, field_name, node_type, row, world.ours)
        passing = {f"{OURS} {role}" for role in row.allowed | row.shown_none}
        if row.own_only:
            passing |= {caller for caller in world.tokens if caller != "anonymous"}
        if row.public:
            passing = set(world.tokens)
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
            elif caller.split(" ", 1)[-1] in row.shown_none:
                if outcome.listed != 0:
                    failures.append(f"{key}: {caller} was shown {outcome.listed} objects, not none")
            elif operation == "query" and outcome.listed == 0 and not row.may_be_empty:
                failures.append(f"{key}: {caller} got an empty list")
            elif operation == "query" and not outcome.got_data and not row.may_be_empty:
                failures.append(f"{key}: {caller} got no data ({outcome.label()})")
    assert calls >= len(ROWS) * len(world.tokens)
    http_failures, http_calls = await http_rows(http, world)
    assert http_calls == len(HTTP_ROWS) * len(world.tokens)
    failures += http_failures
    assert failures == [], "\n".join(failures)


def id_slots(variables: dict[str, Any], operation: str, field_name: str) -> list[tuple[str | None, str, str]]:
    """(input key or None, name, kind) of every id the generated arguments carry."""
    root = SCHEMA.query_type if operation == "query" else SCHEMA.mutation_type
    assert root is not None
    slots: list[tuple[str | None, str, str]] = []
    for name, arg in root.fields[field_name].args.items():
        named = documents.unwrap(arg.type)
        if named.name == "ID" and name in variables:
            slots.append(
                (None, name, documents.ID_OF.get(f"{field_name}.{name}") or documents.ID_KINDS[name])
            )
        elif isinstance(named, documents.GraphQLInputObjectType) and name in variables:
            for inner in variables[name]:
                if documents.unwrap(named.fields[inner].type).name == "ID":
                    kind = documents.ID_OF.get(f"{named.name}.{inner}") or documents.ID_KINDS[inner]
                    slots.append((name, inner, kind))
    return slots


async def test_an_id_of_another_community_is_refused_wherever_it_appears(
    http: httpx.AsyncClient, world: World
) -> None:
    """Authorization on every object, not only at the door: a caller allowed to call a field in
    their own community swaps one of its ids (the main one, or a secondary one such as the
    household of an invite, the user of an appointment, the opinion of an agenda topic) for
    the id of an object of another community. Every such call must fail and change nothing."""
    failures: list[str] = []
    swaps = 0
    for key, operation, field_name, node_type in probes():
        row = ROWS[key]
        if node_type or not row.allowed or row.own_only or row.public:
            continue
        caller = "staff" if "staff" in row.allowed else sorted(row.allowed)[0]
        root = SCHEMA.query_type if operation == "query" else SCHEMA.mutation_type
        assert root is not None
        query = documents.document(operation, field_name, root.fields[field_name], None)
        ours = arguments(operation, field_name, None, row, world.ours)
        for holder, name, kind in id_slots(ours, operation, field_name):
            if kind not in world.theirs.ids:
                continue
            variables = {k: dict(v) if isinstance(v, dict) else v for k, v in ours.items()}
            target = variables[holder] if holder else variables
            theirs = world.theirs.ids[kind]
            target[name] = [theirs] if isinstance(target[name], list) else theirs
            before = await database_digest() if operation == "mutation" else ""
            outcome = await send(http, query, variables, world.tokens[f"{OURS} {caller}"], field_name)
            swaps += 1
            where = f"{key} with {holder + '.' if holder else ''}{name} of theirs, as our {caller}"
            if not outcome.codes and not outcome.refused:
                failures.append(f"{where}: no error ({outcome.label()})")
            elif outcome.leaked is not None or outcome.got_data:
                failures.append(f"{where}: shown {outcome.leaked!r}")
            if operation == "mutation" and before != await database_digest():
                failures.append(f"{where}: the database changed")
    assert swaps > 50
    assert failures == [], "\n".join(failures)
