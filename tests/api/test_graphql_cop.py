"""graphql-cop's checks (github.com/dolevf/graphql-cop, lib/tests/*.py) against a real
production-mode server: each probe sends the request graphql-cop sends and judges the answer the
way graphql-cop does; production must have zero findings. graphql-cop is not on PyPI, so its
probes are written out here, one function per check, named after its files.

Production runs only the app's persisted documents, so most probes are refused at the gate
before GraphQL parses them; the limits behind the gate (depth, aliases, tokens, directives,
page size) are tested at the limit and one past in test_hardening.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from api.contract import operation_documents
from api.gate import document_hash
from runtime.settings import MIN_SECRET_BYTES
from tests.support.server import running_server

# Every test here runs against a server on its own SQLite file, whatever the suite's database:
# CI runs them in the SQLite pass only.
pytestmark = pytest.mark.own_sqlite
HEADERS = {"User-Agent": "graphql-cop/1.14"}
Probe = Callable[[httpx.Client], bool]


def _json(response: httpx.Response) -> dict[str, object]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {"list": body}


def _post(client: httpx.Client, query: str) -> dict[str, object]:
    return _json(client.post("/graphql", json={"query": query}, headers=HEADERS))


def _data(body: dict[str, object]) -> dict[str, object]:
    data = body.get("data")
    return data if isinstance(data, dict) else {}


def field_suggestions(client: httpx.Client) -> bool:
    errors = _post(client, "query { __schema { directive } }").get("errors") or [{}]
    # graphql-cop reads the message; ours is in the caller's language and keeps graphql-core's
    # English (with its suggestions, in development only) in extensions.detail, so read both.
    error = errors[0]  # type: ignore[index]
    return "Did you mean" in f"{error.get('message', '')} {error.get('extensions', {})}"  # type: ignore[union-attr]


def introspection(client: httpx.Client) -> bool:
    schema = _data(_post(client, "query { __schema { types { name fields { name } } } }")).get("__schema")
    return bool(isinstance(schema, dict) and schema.get("types"))


def detect_graphiql(client: httpx.Client) -> bool:
    heuristics = ("graphiql.min.css", "GraphQL Playground", "GraphiQL", "graphql-playground")
    for endpoint in ("/graphiql", "/playground", "/console", "/graphql"):
        response = client.get(endpoint, headers=HEADERS)
        if any(word in response.text for word in heuristics):
            return True
    return False


def get_method_support(client: httpx.Client) -> bool:
    response = client.get("/graphql", params={"query": "{__typename}"}, headers=HEADERS)
    return bool(_data(_json(response)).get("__typename"))


def alias_overloading(client: httpx.Client) -> bool:
    aliases = "".join(f"alias{i}:__typename \n" for i in range(101))
    return bool(_data(_post(client, "query { " + aliases + " }")).get("alias100"))


def batch_query(client: httpx.Client) -> bool:
    batch = [{"query": "query { __typename }"} for _ in range(11)]
    body = client.post("/graphql", json=batch, headers=HEADERS).json()
    data = body.get("data", []) if isinstance(body, dict) else body
    return len(data or []) >= 10


def trace_mode(client: httpx.Client) -> bool:
    body = _post(client, "query { __typename }")
    text = str(body).lower()
    errors = body.get("errors")
    extensions = errors[0].get("extensions", {}) if isinstance(errors, list) and errors else {}
    return bool(extensions.get("tracing") or extensions.get("exception")) or "stacktrace" in text


def directive_overloading(client: httpx.Client) -> bool:
    errors = _post(client, "query { __typename @aa@aa@aa@aa@aa@aa@aa@aa@aa@aa }").get("errors")
    return isinstance(errors, list) and len(errors) == 10


def circular_query_introspection(client: httpx.Client) -> bool:
    query = (
        "query { __schema { types { fields { type { fields { type { fields { type { fields "
        "{ type { name } } } } } } } } } } }"
    )
    schema = _data(_post(client, query)).get("__schema")
    return isinstance(schema, dict) and len(schema.get("types") or []) > 25


def get_based_mutation(client: httpx.Client) -> bool:
    response = client.get("/graphql", params={"query": "mutation {__typename}"}, headers=HEADERS)
    return bool(_data(_json(response)).get("__typename"))


def post_based_csrf(client: httpx.Client) -> bool:
    # graphql-cop sends the query as POST parameters; a form body is what a cross-site page can
    # send without a preflight, so both spellings are tried.
    in_url = client.post("/graphql", params={"query": "query {__typename}"}, headers=HEADERS)
    in_form = client.post("/graphql", data={"query": "query {__typename}"}, headers=HEADERS)
    return any(bool(_data(_json(r)).get("__typename")) for r in (in_url, in_form))


def unhandled_error_detection(client: httpx.Client) -> bool:
    errors = _post(client, "qwerty cop { abc }").get("errors")
    first = errors[0] if isinstance(errors, list) and errors else {}
    extensions = first.get("extensions", {}) if isinstance(first, dict) else {}
    return bool(extensions.get("exception")) or "'extensions': {'exception':" in str(errors).lower()


def field_duplication(client: httpx.Client) -> bool:
    return bool(_data(_post(client, "query { " + "__typename \n" * 500 + "} ")).get("__typename"))


PROBES: dict[str, Probe] = {
    "field suggestions": field_suggestions,
    "introspection": introspection,
    "GraphiQL": detect_graphiql,
    "GET method query support": get_method_support,
    "alias overloading": alias_overloading,
    "batch queries": batch_query,
    "trace mode": trace_mode,
    "directive overloading": directive_overloading,
    "introspection-based circular query": circular_query_introspection,
    "mutation over GET": get_based_mutation,
    "POST-based CSRF": post_based_csrf,
    "unhandled errors": unhandled_error_detection,
    "field duplication": field_duplication,
}


@pytest.fixture(scope="module")
def production_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("cop")
    env = {"RS_PRODUCTION": "1", "RS_SECRET_KEY": "p" * MIN_SECRET_BYTES, "RS_ARGON2_FAST": "0"}
    log = folder / "server.log"
    with running_server(f"sqlite://{folder / 'db.sqlite3'}", log, env) as base:
        yield base, log


def test_the_server_runs_in_production_mode(production_server: tuple[str, Path]) -> None:
    """The baseline for the probes: the app's own documents run; anything else does not."""
    base, _ = production_server
    me = operation_documents()["Me"]
    persisted = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": document_hash(me)}}}
    assert httpx.post(base + "/graphql", json=persisted).json() == {"data": {"me": None}}
    assert httpx.get(base + "/healthz").headers["strict-transport-security"]


@pytest.mark.parametrize("name", PROBES)
def test_graphql_cop_finds_nothing_in_production(production_server: tuple[str, Path], name: str) -> None:
    base, _ = production_server
    with httpx.Client(base_url=base, timeout=30) as client:
        assert PROBES[name](client) is False


def test_the_probes_left_no_stack_trace_in_the_answers_or_the_log(
    production_server: tuple[str, Path],
) -> None:
    base, log = production_server
    with httpx.Client(base_url=base, timeout=30) as client:
        for probe in PROBES.values():
            probe(client)
    assert "Traceback" not in log.read_text()


def test_the_probes_can_find_something(tmp_path: Path) -> None:
    """The probes are not blind: against a development server (introspection, GraphiQL and any
    document allowed on purpose) the same judgement finds exactly what development allows."""
    with running_server(f"sqlite://{tmp_path / 'db.sqlite3'}", tmp_path / "server.log") as base:
        with httpx.Client(base_url=base, timeout=30) as client:
            found = {name for name, probe in PROBES.items() if probe(client)}
    assert found == DEVELOPMENT_FINDINGS


# What development serves on purpose, for people building the app; production turns each off.
DEVELOPMENT_FINDINGS = {"introspection", "GraphiQL", "field suggestions", "field duplication"}


def _persisted(name: str, variables: dict[str, object]) -> dict[str, object]:
    document = operation_documents()[name]
    return {
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": document_hash(document)}},
        "variables": variables,
    }


# Input in the wrong shape, carrying what must never be echoed or logged: a password, a phone.
PASSWORD, PHONE = "hunter2-is-my-password", "13912345678"
MISSHAPEN = [
    ("SignIn", {"input": {"phone": PHONE, "password": PASSWORD, "pasword": PASSWORD}}),
    ("SignIn", {"input": {"phone": PHONE, "pasword": PASSWORD}}),  # a required field missing
    ("SignIn", {"input": {"phone": int(PHONE), "password": PASSWORD}}),
    ("SignIn", {"input": {"phone": PHONE, "password": [PASSWORD]}}),
    ("ReportQueue", {"communityId": "Q29tbXVuaXR5OjE=", "queue": "UNCLAIMD", "first": PHONE}),
]


def test_a_misshapen_input_is_refused_without_its_values_or_suggestions(
    production_server: tuple[str, Path],
) -> None:
    """graphql-core's coercion errors quote the input ("Found: {...}", "non string value: ...")
    and suggest names ("Did you mean 'password'?"), and strawberry logged each message: a
    sign-in in the wrong shape put the password and phone in the server log."""
    base, log = production_server
    for name, variables in MISSHAPEN:
        response = httpx.post(base + "/graphql", json=_persisted(name, variables))
        codes = [e["extensions"]["code"] for e in response.json()["errors"]]
        assert codes and set(codes) == {"BAD_USER_INPUT"}, response.text
        assert PASSWORD not in response.text and PHONE not in response.text, response.text
        assert "Did you mean" not in response.text and "UNCLAIMD" not in response.text, response.text
    text = log.read_text()
    assert PASSWORD not in text and PHONE not in text
