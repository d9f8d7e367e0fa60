"""Schema-driven fuzzing of a running server: hypothesis-graphql writes the operations, we judge the answers.

Every root field (query and mutation) gets its own strategy, so a field with many arguments cannot
crowd out the others. Argument values come from hypothesis-graphql's defaults (odd unicode, empty
strings, `\\x00`, the 32-bit edges of Int) plus our own strategies for what it cannot invent well:
global IDs that name real seeded rows, malformed and out-of-range IDs, far-away and nonsense dates.

A finding is an HTTP 5xx, a body that is not JSON, or a GraphQL error whose `extensions.code` is not
one of ours; `INTERNAL_ERROR` (a masked exception) is a finding too, since every bad input must get
a typed answer.
"""

from __future__ import annotations

import base64
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from random import Random

import httpx
from graphql import (
    ArgumentNode,
    GraphQLInputObjectType,
    GraphQLObjectType,
    GraphQLSchema,
    ObjectFieldNode,
    StringValueNode,
    ValueNode,
    Visitor,
    parse,
    print_ast,
    visit,
)
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations, nodes, queries

from api.error_guide import PAYLOAD_ERRORS, TOP_LEVEL_ERRORS
from api.graphql import build_schema

SEED = 2026
OUR_CODES = frozenset({str(code) for code in PAYLOAD_ERRORS} | set(TOP_LEVEL_ERRORS)) - {"INTERNAL_ERROR"}
# Refusals of the HTTP gate and GraphQL's own validation carry these codes too.
GATE_CODES = frozenset({"GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT", "PAYLOAD_TOO_LARGE"})


def graphql_schema() -> GraphQLSchema:
    return build_schema(production=False)._schema


def referenced_type_names(schema: GraphQLSchema) -> list[str]:
    """Types the ID arguments name (`reportId` → Report, `communityId` → Community), so a
    well-formed id often names a row of the right type and the fuzzer gets past "not found"."""
    named: set[str] = set()
    arguments: list[str] = []
    for kind in schema.type_map.values():
        if isinstance(kind, GraphQLObjectType):
            arguments += [arg for f in kind.fields.values() for arg in f.args]
        if isinstance(kind, GraphQLInputObjectType):
            arguments += list(kind.fields)
    for argument in arguments:
        if argument.endswith("Id") and argument != "id":
            stem = argument[:-2]
            named.add(stem[0].upper() + stem[1:])
    return sorted(named & set(schema.type_map)) or ["Community"]


def _global_id(type_name: str, raw: str) -> str:
    return base64.b64encode(f"{type_name}:{raw}".encode()).decode()


def id_values(schema: GraphQLSchema) -> st.SearchStrategy[str]:
    """Mostly well-formed ids of seeded rows (small keys), then the ways an id can be wrong."""
    nodes_ = [
        name
        for name, kind in schema.type_map.items()
        if isinstance(kind, GraphQLObjectType) and any(i.name == "Node" for i in kind.interfaces)
    ]
    types = st.one_of(st.sampled_from(referenced_type_names(schema)), st.sampled_from(sorted(nodes_)))
    return st.one_of(
        st.builds(_global_id, types, st.one_of(st.integers(1, 3), st.integers(1, 60)).map(str)),
        st.builds(_global_id, types, st.sampled_from(["0", "-1", "2147483648", "9" * 30, "1e3", "", "１"])),
        st.builds(_global_id, st.text(max_size=8), st.text(max_size=8)),
        st.text(max_size=30),
        st.sampled_from(["", "=", "Og==", "not base64!", "VXNlcjox" * 50]),
    )


# Rows the demo seed holds (hongxing is community 1); other types exist only once fuzzed
# mutations create them, so their first few keys are tried.
SEEDED_ROWS = {
    "Community": range(1, 3),
    "Compound": range(1, 9),
    "Building": range(1, 35),
    "Entrance": range(1, 106),
    "Household": range(1, 200),
    "Asset": range(1, 278),
    "User": range(1, 353),
}
PLACES = ("Compound", "Building", "Entrance", "Household")


def aim_ids(document: str, rng: Random) -> str:
    """Point most `…Id` arguments at a row of the type their name says (`reportId` → Report).

    The ID scalar's strategy cannot see the argument's name, so by itself it rarely names a real
    community, and most operations would stop at "not found". The rest keep their generated value.
    """
    tree = parse(document)

    def aim(node: ArgumentNode | ObjectFieldNode) -> StringValueNode | None:
        name = node.name.value
        if not name.endswith("Id") or not isinstance(node.value, StringValueNode) or rng.random() < 0.25:
            return None
        stem = name[:-2]
        type_name = stem[0].upper() + stem[1:]
        if type_name in ("Place", "Parent"):
            type_name = rng.choice(PLACES)
        keys = SEEDED_ROWS.get(type_name, range(1, 6))
        return StringValueNode(value=_global_id(type_name, str(rng.choice(keys))))

    # AST nodes are frozen: a visitor returns the replacement.
    class Aim(Visitor):
        def enter_argument(self, node: ArgumentNode, *_: object) -> ArgumentNode | None:
            value = aim(node)
            return None if value is None else ArgumentNode(name=node.name, value=value)

        def enter_object_field(self, node: ObjectFieldNode, *_: object) -> ObjectFieldNode | None:
            value = aim(node)
            return None if value is None else ObjectFieldNode(name=node.name, value=value)

    return print_ast(visit(tree, Aim()))


def datetime_values() -> st.SearchStrategy[str]:
    far = st.sampled_from(
        ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1970-01-01T00:00:00+14:00", "2026-02-30T00:00:00Z"]
    )
    near = st.datetimes().map(lambda moment: moment.isoformat() + "Z")
    return st.one_of(near, far, st.text(max_size=25))


def date_values() -> st.SearchStrategy[str]:
    far = st.sampled_from(["0001-01-01", "9999-12-31", "2026-02-30", "2026-13-01", "20261201"])
    return st.one_of(st.dates().map(lambda day: day.isoformat()), far, st.text(max_size=12))


def decimal_values() -> st.SearchStrategy[str]:
    return st.one_of(
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.sampled_from(["1e400", "-0", "1" * 60, "0.000000000000000000001"]),
        st.text(max_size=10),
    )


def custom_scalars(schema: GraphQLSchema) -> dict[str, st.SearchStrategy[ValueNode]]:
    return {
        "ID": id_values(schema).map(nodes.String),
        "DateTime": datetime_values().map(nodes.String),
        # Fee periods and due dates (the fees area).
        "Date": date_values().map(nodes.String),
        "Decimal": decimal_values().map(nodes.String),
        # Files travel in multipart requests; inside a JSON body any value must be refused cleanly.
        "Upload": st.text(max_size=10).map(nodes.String),
    }


def root_fields(schema: GraphQLSchema) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for kind, root in (("query", schema.query_type), ("mutation", schema.mutation_type)):
        assert root is not None
        found += [(kind, name) for name in sorted(root.fields)]
    return found


@dataclass
class Finding:
    role: str
    document: str
    status: int
    detail: str


@dataclass
class FieldRun:
    kind: str
    name: str
    examples: int = 0
    requests: int = 0
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0


def judge(response: httpx.Response) -> str | None:
    """Why this answer is a finding, or None when it is an answer we stand behind."""
    if response.status_code >= 500:
        return f"HTTP {response.status_code}"
    try:
        body = response.json()
    except ValueError:
        return "the body is not JSON"
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        if code not in OUR_CODES and code not in GATE_CODES:
            return f"error code {code!r}: {error.get('message')}"
    return None


def fuzz_field(
    client: httpx.Client,
    schema: GraphQLSchema,
    kind: str,
    name: str,
    tokens: dict[str, str],
    examples: int,
) -> FieldRun:
    """Send `examples` generated operations on one root field, each once per role; collect every
    finding and keep going.

    Generating a document costs the client about as much as the server spends answering it, so
    one worker thread sends while hypothesis generates the next document. One thread, in order:
    the server sees the same requests in the same order on every run.
    """
    run = FieldRun(kind, name)
    build = queries if kind == "query" else mutations
    strategy = build(schema, fields=[name], custom_scalars=custom_scalars(schema))
    started = time.monotonic()

    def send(document: str) -> None:
        for role, token in tokens.items():
            response = client.post(
                "/graphql", json={"query": document}, headers={"authorization": f"Bearer {token}"}
            )
            run.requests += 1
            problem = judge(response)
            if problem is not None:
                run.findings.append(Finding(role, document, response.status_code, problem))

    with ThreadPoolExecutor(max_workers=1) as sender:
        pending: list[Future[None]] = []

        @settings(
            max_examples=examples,
            database=None,
            deadline=None,
            derandomize=True,  # the same documents on every run
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(strategy, st.randoms(use_true_random=False))
        def generate(document: str, rng: Random) -> None:
            aimed = aim_ids(document, rng)  # may end the example: hypothesis ran out of its data
            run.examples += 1
            pending.append(sender.submit(send, aimed))

        generate()
        for sent in pending:
            sent.result()  # a client-side failure (a timeout) fails the run loudly
    run.seconds = time.monotonic() - started
    return run
