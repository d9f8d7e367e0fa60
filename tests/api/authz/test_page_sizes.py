"""Page size (OWASP API4): every field of the schema that takes `first`, root or nested, runs at
the cap and answers one past it with INVALID_INPUT, as a caller allowed to read it. The fields
are found in the live schema, so a new list without the cap fails here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import GraphQLNonNull, GraphQLObjectType

from models.district import District, DistrictRoleKind, StreetCommunity
from services.district import hierarchy
from services.paging import MAX_PAGE
from services.photo_storage import LocalDiskStorage, use_storage
from tests.api.authz import documents
from tests.api.authz.calls import SCHEMA, arguments
from tests.api.authz.matrix import ROWS
from tests.api.authz.world import OURS, World
from tests.support.people import make_person

# One worker builds the world for every test that uses it (conftest.py).
pytestmark = pytest.mark.xdist_group("authz")

# Lists reached through `node` by the type that holds them, and the role that may read them.
NESTED_READER = {"Community": "staff", "Compound": "staff", "Building": "staff", "Entrance": "staff"}
# Lists on types `node` does not resolve, reached through their own root field instead:
# type → (root field, its id argument, the kind of id, who may read the list).
THROUGH_ROOT = {
    "Activity": ("activity", "id", "Activity", "captain"),
    "Team": ("team", "id", "Team", "captain"),
    "Report": ("report", "id", "Report", "staff"),
    "MyPoints": ("myPoints", "communityId", "Community", "resident"),
}


# Root lists that only street and district roles read (no community role holds one): read by
# the district's coordinator.
DISTRICT_LISTS = frozenset({"districtReports"})


async def _district_coordinator(world: World) -> str:
    link = await StreetCommunity.get(community_id=world.ours.community.id)
    person = await make_person(name="区协调")
    await hierarchy.grant(
        person.user.id, await District.get(id=link.district_id), DistrictRoleKind.DISTRICT_COORDINATOR
    )
    return person.token


@pytest.fixture(autouse=True)
def photo_dir(tmp_path: Path) -> Iterator[Path]:
    previous = use_storage(LocalDiskStorage(tmp_path / "photos"))
    yield tmp_path / "photos"
    use_storage(previous)


def paged_fields() -> list[tuple[str, str]]:
    """(type, field) for every field with a `first` argument."""
    return [
        (name, field_name)
        for name, type_ in sorted(SCHEMA.type_map.items())
        if isinstance(type_, GraphQLObjectType) and not name.startswith("__")
        for field_name, field in type_.fields.items()
        if "first" in field.args
    ]


def _codes(body: dict[str, Any]) -> list[str]:
    codes = [str(e.get("extensions", {}).get("code")) for e in body.get("errors", [])]
    return codes


async def test_every_list_runs_at_the_cap_and_refuses_one_more(http: httpx.AsyncClient, world: World) -> None:
    failures: list[str] = []
    reached: set[tuple[str, str]] = set()
    for type_name, field_name in paged_fields():
        token: str | None = None
        if type_name == "Query":
            row = ROWS.get(f"Query.{field_name}")
            field = SCHEMA.type_map["Query"].fields[field_name]  # type: ignore[union-attr]
            if row is not None and field_name in DISTRICT_LISTS:
                row_caller, variables = (
                    "district coordinator",
                    arguments("query", field_name, None, row, world.ours),
                )
                token = await _district_coordinator(world)
            elif row is None or not row.allowed:  # fields without ids: the caller's own lists
                row_caller, variables = "staff", {}
                for name, arg in field.args.items():
                    if isinstance(arg.type, GraphQLNonNull):
                        variables[name] = documents.value_for(name, arg.type, world.ours, field_name)
            else:
                row_caller = "staff" if "staff" in row.allowed else sorted(row.allowed)[0]
                variables = arguments("query", field_name, None, row, world.ours)
            declared = ", ".join(f"${n}: {a.type}" for n, a in field.args.items() if n != "first")
            passed = ", ".join(f"{n}: ${n}" for n in field.args if n != "first")
            head = f"query Probe($first: Int{', ' + declared if declared else ''})"
            returned: Any = documents.unwrap(field.type)
            wanted = "__typename errors { code }" if "errors" in returned.fields else "__typename"
            query = (
                f"{head} {{ {field_name}(first: $first{', ' + passed if passed else ''}) {{ {wanted} }} }}"
            )
            variables.pop("first", None)
        elif type_name in NESTED_READER and type_name in world.ours.ids:
            row_caller = NESTED_READER[type_name]
            variables = {"id": world.ours.ids[type_name]}
            query = (
                f"query Probe($id: ID!, $first: Int) {{ node(id: $id) {{ ... on {type_name} "
                f"{{ {field_name}(first: $first) {{ __typename }} }} }} }}"
            )
        elif type_name in THROUGH_ROOT:
            root_field, arg, kind, row_caller = THROUGH_ROOT[type_name]
            variables = {"id": world.ours.ids[kind]}
            query = (
                f"query Probe($id: ID!, $first: Int) {{ {root_field}({arg}: $id) "
                f"{{ {field_name}(first: $first) {{ __typename }} }} }}"
            )
        else:
            continue
        token = token or world.tokens[f"{OURS} {row_caller}"]
        headers = {"authorization": f"Bearer {token}"}
        at_cap = (
            await http.post(
                "/graphql",
                json={"query": query, "variables": {**variables, "first": MAX_PAGE}},
                headers=headers,
            )
        ).json()
        past = (
            await http.post(
                "/graphql",
                json={"query": query, "variables": {**variables, "first": MAX_PAGE + 1}},
                headers=headers,
            )
        ).json()
        reached.add((type_name, field_name))
        if _codes(at_cap):
            failures.append(f"{type_name}.{field_name} at the cap: {_codes(at_cap)}")
        if "INVALID_INPUT" not in _codes(past) + [
            e.get("code")
            for v in (past.get("data") or {}).values()
            if isinstance(v, dict)
            for e in v.get("errors", [])
        ]:
            failures.append(f"{type_name}.{field_name} one past the cap: {past}")
    assert failures == [], "\n".join(failures)
    missed = sorted(f"{t}.{f}" for t, f in set(paged_fields()) - reached)
    assert missed == [], "lists the sweep cannot reach: say how in NESTED_READER or THROUGH_ROOT"
