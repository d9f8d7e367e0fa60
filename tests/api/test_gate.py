"""Requests are refused before GraphQL when they are too big, batched, not JSON, or, in
production, not one of the app's persisted operations."""

from __future__ import annotations

import json

import httpx
import pytest

from api.app import create_app
from api.contract import operation_documents
from api.gate import MAX_JSON_BODY, document_hash
from runtime.settings import Settings
from tests.support.people import make_neighbourhood, make_person

ME = operation_documents()["Me"]


@pytest.fixture
async def production(settings: Settings) -> httpx.AsyncClient:
    from dataclasses import replace

    app = create_app(replace(settings, production=True), manage_database=False)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


def codes(response: httpx.Response) -> list[str]:
    return [e["extensions"]["code"] for e in response.json().get("errors", [])]


async def test_a_persisted_operation_runs_by_its_hash(http: httpx.AsyncClient) -> None:
    place = await make_neighbourhood()
    person = await make_person(place.community)
    response = await http.post(
        "/graphql",
        json={"extensions": {"persistedQuery": {"version": 1, "sha256Hash": document_hash(ME)}}},
        headers={"authorization": f"Bearer {person.token}"},
    )
    assert response.json()["data"]["me"]["phone"] == person.phone


async def test_an_unknown_hash_is_not_found(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/graphql", json={"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}}
    )
    assert codes(response) == ["PERSISTED_QUERY_NOT_FOUND"]


async def test_a_query_that_does_not_match_its_hash_is_refused(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/graphql",
        json={
            "query": "{ me { phone } }",
            "extensions": {"persistedQuery": {"sha256Hash": document_hash(ME)}},
        },
    )
    assert response.status_code == 400
    assert codes(response) == ["PERSISTED_QUERY_MISMATCH"]


async def test_production_runs_only_persisted_operations(production: httpx.AsyncClient) -> None:
    async with production as client:
        arbitrary = await client.post("/graphql", json={"query": "{ me { phone } }"})
        introspection = await client.post("/graphql", json={"query": "{ __schema { types { name } } }"})
        full_text_of_a_persisted_one = await client.post("/graphql", json={"query": ME})
        by_hash = await client.post(
            "/graphql",
            json={"extensions": {"persistedQuery": {"version": 1, "sha256Hash": document_hash(ME)}}},
        )
        ide = await client.get("/graphql", headers={"accept": "text/html"})
    assert codes(arbitrary) == ["PERSISTED_QUERY_REQUIRED"]
    assert codes(introspection) == ["PERSISTED_QUERY_REQUIRED"]
    assert full_text_of_a_persisted_one.json() == {"data": {"me": None}}
    assert by_hash.json() == {"data": {"me": None}}
    assert ide.status_code == 405


async def test_introspection_is_off_in_production_even_for_a_known_document(settings: Settings) -> None:
    from api.graphql import build_schema

    result = await build_schema(production=True).execute("{ __schema { queryType { name } } }")
    assert result.errors and "introspection" in result.errors[0].message.lower()


async def test_batches_are_refused(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/graphql", json=[{"query": "{ me { phone } }"}, {"query": "{ me { phone } }"}]
    )
    assert response.status_code == 400
    assert codes(response) == ["BATCHING_NOT_SUPPORTED"]


async def test_a_body_over_the_limit_is_refused_before_parsing(http: httpx.AsyncClient) -> None:
    padding = "#" * (MAX_JSON_BODY + 1)
    response = await http.post("/graphql", json={"query": "{ me { phone } }" + padding})
    assert response.status_code == 413
    assert codes(response) == ["PAYLOAD_TOO_LARGE"]


async def test_form_posts_are_refused(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/graphql", data={"query": 'mutation { sessionRevoke(input: {refreshToken: "x"}) { ok } }'}
    )
    assert response.status_code == 415
    assert codes(response) == ["UNSUPPORTED_MEDIA_TYPE"]


async def test_a_body_that_is_not_json_is_a_bad_request(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", content=b"{nope", headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert codes(response) == ["BAD_REQUEST"]


async def test_uploads_in_production_also_run_only_persisted_operations(
    production: httpx.AsyncClient,
) -> None:
    place = await make_neighbourhood()
    person = await make_person(place.community)
    auth = {"authorization": f"Bearer {person.token}"}

    async def upload(operations: dict[str, object]) -> httpx.Response:
        return await client.post(
            "/graphql",
            data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
            files={"0": ("a.jpg", b"\xff\xd8\xff", "image/jpeg")},
            headers=auth,
        )

    async with production as client:
        arbitrary = await upload({"query": "{ me { phone } }", "variables": {"file": None}})
        unknown = await upload(
            {"extensions": {"persistedQuery": {"sha256Hash": "0" * 64}}, "variables": {"file": None}}
        )
        by_hash = await upload(
            {"extensions": {"persistedQuery": {"sha256Hash": document_hash(ME)}}, "variables": {"file": None}}
        )
    assert arbitrary.status_code == 400 and "PERSISTED_QUERY_REQUIRED" in arbitrary.text
    assert unknown.status_code == 400 and "PERSISTED_QUERY_NOT_FOUND" in unknown.text
    assert by_hash.status_code == 200, by_hash.text
    assert by_hash.json()["data"]["me"]["phone"] == person.phone
