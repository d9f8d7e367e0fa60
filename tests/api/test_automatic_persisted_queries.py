"""Persisted queries as Apollo's and urql's links speak them (issue 16).

Production: the hash alone, or the hash with the document's exact text (what GraphQLWsLink and
the stock graphql-ws client send), or that text alone, for the app's documents; nothing else.
Development: automatic persisted queries as Apollo documents them: an unknown hash is
PERSISTED_QUERY_NOT_FOUND, the hash sent again with its text registers it for the process.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

import httpx
import pytest

from api.app import create_app
from api.contract import CONTRACT, operation_documents
from api.gate import document_hash
from runtime.settings import Settings
from tests.support.people import make_neighbourhood, make_person

ME = operation_documents()["Me"]


@pytest.fixture
async def production(settings: Settings) -> httpx.AsyncClient:
    app = create_app(replace(settings, production=True), manage_database=False)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


def _codes(response: httpx.Response) -> list[str]:
    return [e["extensions"]["code"] for e in response.json().get("errors", [])]


def _hashed(sha: str, query: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha}}}
    if query is not None:
        body["query"] = query
    return body


async def test_development_registers_a_document_sent_again_with_its_text(http: httpx.AsyncClient) -> None:
    text = f"query Fresh{uuid.uuid4().hex} {{ __typename }}"  # never sent before in this process
    sha = document_hash(text)
    assert _codes(await http.post("/graphql", json=_hashed(sha))) == ["PERSISTED_QUERY_NOT_FOUND"]
    registered = await http.post("/graphql", json=_hashed(sha, text))
    assert registered.json() == {"data": {"__typename": "Query"}}
    again = await http.post("/graphql", json=_hashed(sha))
    assert again.json() == {"data": {"__typename": "Query"}}


async def test_development_refuses_a_text_that_is_not_its_hash_and_registers_nothing(
    http: httpx.AsyncClient,
) -> None:
    sha = document_hash(f"query Other{uuid.uuid4().hex} {{ __typename }}")
    refused = await http.post("/graphql", json=_hashed(sha, "{ __typename }"))
    assert refused.status_code == 400 and _codes(refused) == ["PERSISTED_QUERY_MISMATCH"]
    assert _codes(await http.post("/graphql", json=_hashed(sha))) == ["PERSISTED_QUERY_NOT_FOUND"]


async def test_production_registers_nothing(production: httpx.AsyncClient) -> None:
    text = f"query Fresh{uuid.uuid4().hex} {{ __typename }}"
    sha = document_hash(text)
    assert _codes(await production.post("/graphql", json=_hashed(sha, text))) == ["PERSISTED_QUERY_NOT_FOUND"]
    assert _codes(await production.post("/graphql", json=_hashed(sha))) == ["PERSISTED_QUERY_NOT_FOUND"]


@pytest.mark.parametrize("sent", ["hash", "hash and text", "text"])
async def test_production_runs_the_apps_document_sent_as_the_clients_send_it(
    production: httpx.AsyncClient, sent: str
) -> None:
    person = await make_person((await make_neighbourhood()).community)
    body: dict[str, Any] = {
        "hash": _hashed(document_hash(ME)),
        "hash and text": _hashed(document_hash(ME), ME),
        "text": {"query": ME},
    }[sent]
    response = await production.post(
        "/graphql", json=body, headers={"authorization": f"Bearer {person.token}"}
    )
    me = response.json()["data"]["me"]
    assert me["phone"] == person.phone
    # The document executed is the one Apollo prints: every object names its type for the cache.
    assert isinstance(me["__typename"], str) and me["user"]["__typename"] == "User"


async def test_production_refuses_the_hash_with_another_text(production: httpx.AsyncClient) -> None:
    """The file as written (comments, no __typename) is not the document the hash names."""
    # (The file's text as the released app sent it stays served: released/persisted-queries.json.)
    written = "# edited\n" + (CONTRACT / "operations" / "Me.graphql").read_text(encoding="utf-8")
    response = await production.post("/graphql", json=_hashed(document_hash(ME), written))
    assert response.status_code == 400 and _codes(response) == ["PERSISTED_QUERY_MISMATCH"]
    alone = await production.post("/graphql", json={"query": written})
    assert _codes(alone) == ["PERSISTED_QUERY_REQUIRED"]


def test_the_manifest_bodies_are_what_the_server_serves() -> None:
    import json

    manifest = json.loads((CONTRACT / "persisted-query-manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "apollo-persisted-query-manifest" and manifest["version"] == 1
    served = operation_documents()
    for operation in manifest["operations"]:
        assert operation["id"] == document_hash(operation["body"]) == document_hash(served[operation["name"]])
        assert operation["type"] in ("query", "mutation", "subscription")
