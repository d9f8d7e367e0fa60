"""Requests are refused before GraphQL when they are too big, batched, not JSON, or, in
production, not one of the app's persisted operations."""

from __future__ import annotations

import json

import httpx
import pytest

from api.app import create_app
from api.contract import operation_documents
from api.gate import MANIFEST, MAX_JSON_BODY, MAX_UPLOAD_FILES, RELEASED_MANIFEST, document_hash
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
    # The same answers as for a JSON body (HTTP 200, Apollo's convention for persisted queries).
    assert (arbitrary.status_code, codes(arbitrary)) == (200, ["PERSISTED_QUERY_REQUIRED"])
    assert (unknown.status_code, codes(unknown)) == (200, ["PERSISTED_QUERY_NOT_FOUND"])
    assert by_hash.status_code == 200, by_hash.text
    assert by_hash.json()["data"]["me"]["phone"] == person.phone


def multipart(parts: list[tuple[str, str | None, bytes]], boundary: str = "rs") -> bytes:
    """A multipart body from (name, filename or None, content), written out by hand so a test can
    also send what a correct client never would."""
    out = b""
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + content + b"\r\n"
    return out + f"--{boundary}--\r\n".encode()


def me_upload(files: int, files_map: dict[str, list[str]] | None = None) -> bytes:
    operations = {"extensions": {"persistedQuery": {"sha256Hash": document_hash(ME)}}, "variables": {}}
    names = [str(i) for i in range(files)]
    return multipart(
        [
            ("operations", None, json.dumps(operations).encode()),
            (
                "map",
                None,
                json.dumps(
                    {n: [f"variables.f{n}"] for n in names} if files_map is None else files_map
                ).encode(),
            ),
            *((n, f"{n}.jpg", b"\xff\xd8\xff") for n in names),
        ]
    )


@pytest.mark.parametrize(
    ("body", "content_type", "authorized", "status", "code"),
    [
        (me_upload(1), "multipart/form-data; boundary=rs", False, 401, "UNAUTHENTICATED"),
        (
            me_upload(MAX_UPLOAD_FILES + 1),
            "multipart/form-data; boundary=rs",
            True,
            400,
            "UPLOAD_TOO_MANY_FILES",
        ),
        (me_upload(1)[:-40], "multipart/form-data; boundary=rs", True, 400, "UPLOAD_INVALID"),
        (me_upload(1), "multipart/form-data", True, 400, "UPLOAD_INVALID"),
        (
            me_upload(1, {"7": ["variables.f7"]}),
            "multipart/form-data; boundary=rs",
            True,
            400,
            "UPLOAD_INVALID",
        ),
        (
            multipart([("operations", None, b"{nope"), ("map", None, b"{}")]),
            "multipart/form-data; boundary=rs",
            True,
            400,
            "UPLOAD_INVALID",
        ),
        (
            multipart([("operations", None, b"[{}, {}]"), ("map", None, b"{}")]),
            "multipart/form-data; boundary=rs",
            True,
            400,
            "BATCHING_NOT_SUPPORTED",
        ),
        (
            multipart([("operations", None, b" " * (MAX_JSON_BODY + 1) + b"{}"), ("map", None, b"{}")]),
            "multipart/form-data; boundary=rs",
            True,
            413,
            "PAYLOAD_TOO_LARGE",
        ),
    ],
    ids=[
        "no-bearer",
        "too-many-files",
        "truncated",
        "no-boundary",
        "map-names-no-file",
        "bad-json",
        "batch",
        "big-operations",
    ],
)
async def test_upload_refusals_in_production_are_coded_json_errors(
    production: httpx.AsyncClient, body: bytes, content_type: str, authorized: bool, status: int, code: str
) -> None:
    place = await make_neighbourhood()
    person = await make_person(place.community)
    headers = {"content-type": content_type}
    if authorized:
        headers["authorization"] = f"Bearer {person.token}"
    async with production as client:
        response = await client.post("/graphql", content=body, headers=headers)
    assert response.headers["content-type"] == "application/json"
    assert (response.status_code, codes(response)) == (status, [code])
    assert response.json()["data"] is None


async def test_a_whole_upload_over_the_limit_is_a_coded_413(settings: Settings) -> None:
    from dataclasses import replace

    app = create_app(replace(settings, production=True, photo_max_bytes=1024), manage_database=False)
    limit = 6 * 1024 + 16 * 2**20
    body = multipart([("operations", None, b"{}"), ("map", None, b"{}"), ("0", "a.jpg", b"x" * limit)])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        response = await client.post(
            "/graphql",
            content=body,
            headers={"content-type": "multipart/form-data; boundary=rs", "authorization": "Bearer x"},
        )
    assert (response.status_code, codes(response)) == (413, ["PAYLOAD_TOO_LARGE"])


async def test_what_the_view_still_refuses_in_an_upload_keeps_the_json_shape(
    production: httpx.AsyncClient,
) -> None:
    """The map points at a variable path that does not exist: strawberry answers in plain text,
    and the gate turns it into the same coded JSON."""
    place = await make_neighbourhood()
    person = await make_person(place.community)
    body = me_upload(1, {"0": ["nowhere.at.all"]})
    async with production as client:
        response = await client.post(
            "/graphql",
            content=body,
            headers={
                "content-type": "multipart/form-data; boundary=rs",
                "authorization": f"Bearer {person.token}",
            },
        )
    assert response.headers["content-type"] == "application/json"
    assert response.status_code == 400
    assert codes(response) == ["UPLOAD_INVALID"]


async def test_production_still_serves_the_documents_of_released_apps(production: httpx.AsyncClient) -> None:
    """An app from the last release signs in with its own SignIn, whose text has changed since."""
    released = json.loads(RELEASED_MANIFEST.read_text(encoding="utf-8"))
    (old_sign_in,) = [sha for sha, doc in released.items() if "mutation SignIn(" in doc]
    assert old_sign_in not in json.loads(MANIFEST.read_text(encoding="utf-8"))
    async with production as client:
        response = await client.post(
            "/graphql",
            json={
                "extensions": {"persistedQuery": {"version": 1, "sha256Hash": old_sign_in}},
                "variables": {"input": {"phone": "13900000001", "password": "not-the-password-1"}},
            },
        )
    assert response.status_code == 200 and "errors" not in response.json(), response.text
    assert [e["code"] for e in response.json()["data"]["sessionCreate"]["errors"]] == ["INVALID_CREDENTIALS"]
