"""The app's persisted documents are parsed and validated once per process and then executed
without strawberry's per-request parse and validation, keeping auth, error shaping and the
operation name in the request log."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
import strawberry

from api.contract import operation_documents
from api.gate import document_hash, persisted_documents
from api.graphql import RedStewardGraphQL, build_schema
from runtime.logging import current_operation
from tests.support.people import gid, make_neighbourhood, make_person


def persisted(name: str, **variables: Any) -> dict[str, Any]:
    return {
        "operationName": name,
        "variables": variables,
        "extensions": {
            "persistedQuery": {"version": 1, "sha256Hash": document_hash(operation_documents()[name])}
        },
    }


@pytest.fixture
def no_slow_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """strawberry's own execute (parse, validate, seven extensions) fails the request if reached."""

    async def slow_path(*args: object, **kwargs: object) -> None:
        raise AssertionError("a persisted document took strawberry's parse-and-validate path")

    monkeypatch.setattr(strawberry.Schema, "execute", slow_path)


@pytest.mark.parametrize("production", [False, True])
def test_every_document_of_the_manifest_passes_every_rule_once(production: bool) -> None:
    view = RedStewardGraphQL(build_schema(production), production)
    assert view.persisted.prepare_all() == len(persisted_documents())


async def test_a_persisted_operation_skips_parsing_and_validation(
    http: httpx.AsyncClient, no_slow_path: None
) -> None:
    place = await make_neighbourhood()
    person = await make_person(place.community)
    for _ in range(2):
        response = await http.post(
            "/graphql", json=persisted("Me"), headers={"authorization": f"Bearer {person.token}"}
        )
        assert response.json()["data"]["me"]["phone"] == person.phone


async def test_a_document_sent_as_text_still_takes_the_checked_path(
    http: httpx.AsyncClient, no_slow_path: None
) -> None:
    with pytest.raises(AssertionError, match="parse-and-validate"):
        await http.post("/graphql", json={"query": operation_documents()["Me"]})


async def test_the_fast_path_answers_errors_exactly_as_the_checked_path(http: httpx.AsyncClient) -> None:
    place = await make_neighbourhood()
    person = await make_person(place.community)
    cid = gid("Community", place.community.id)
    cases = [
        (None, {"communityId": cid}),
        (person.token, {"communityId": None}),
        (person.token, {"communityId": "x"}),
    ]
    for token, variables in cases:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        fast = await http.post("/graphql", json=persisted("MyPointsBalance", **variables), headers=headers)
        text = {"query": operation_documents()["MyPointsBalance"], "variables": variables}
        checked = await http.post("/graphql", json=text, headers=headers)
        assert fast.status_code == checked.status_code == 200
        assert fast.json() == checked.json()
        assert fast.json()["errors"][0]["extensions"]["code"] in {
            "UNAUTHENTICATED",
            "BAD_USER_INPUT",
            "NOT_FOUND",
        }


async def test_the_request_log_names_the_persisted_operation(
    http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, no_slow_path: None
) -> None:
    seen: list[str] = []

    class Spy(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.getMessage() == "request":
                seen.append(current_operation())

    spy = Spy()
    logging.getLogger("redsteward.http").addHandler(spy)
    try:
        with caplog.at_level(logging.INFO, logger="redsteward.http"):
            await http.post("/graphql", json=persisted("Me"))
    finally:
        logging.getLogger("redsteward.http").removeHandler(spy)
    assert seen == ["Me"]
