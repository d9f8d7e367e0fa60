"""Each document is parsed and validated once per process, not on every request: about half of
strawberry's time on a small query was graphql-core validating the document (issue 8)."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

import httpx
import pytest
import strawberry.schema.schema as strawberry_schema
from graphql import parse, specified_rules
from graphql.language.parser import Parser

from api.contract import operation_documents
from api.gate import document_hash, persisted_documents
from api.graphql import CACHE_SIZE, build_schema, extra_rules


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times graphql-core parsed and validated a document."""
    done: Counter[str] = Counter()
    parse_document, validate = Parser.parse_document, strawberry_schema.validate

    def counted_parse(self: Parser) -> Any:
        done["parse"] += 1
        return parse_document(self)

    def counted_validate(*args: Any, **kwargs: Any) -> Any:
        done["validate"] += 1
        return validate(*args, **kwargs)

    monkeypatch.setattr(Parser, "parse_document", counted_parse)
    monkeypatch.setattr(strawberry_schema, "validate", counted_validate)
    return done


async def test_a_document_is_parsed_and_validated_once_however_often_it_is_sent(
    http: httpx.AsyncClient, work: Counter[str]
) -> None:
    fresh = f"# {uuid.uuid4()}\n{operation_documents()['Me']}"  # in no cache yet
    work.clear()  # reading the contract parses its documents
    for _ in range(3):
        response = await http.post("/graphql", json={"query": fresh})
        assert response.json()["data"] == {"me": None}
    assert work == {"parse": 1, "validate": 1}


async def test_a_persisted_operation_costs_no_parse_or_validation_after_its_first_request(
    http: httpx.AsyncClient, work: Counter[str]
) -> None:
    body = {
        "extensions": {
            "persistedQuery": {"version": 1, "sha256Hash": document_hash(operation_documents()["Me"])}
        }
    }
    await http.post("/graphql", json=body)
    work.clear()
    for _ in range(3):
        assert (await http.post("/graphql", json=body)).json()["data"] == {"me": None}
    assert work == {}


def test_every_persisted_document_fits_the_caches() -> None:
    assert len(persisted_documents()) <= CACHE_SIZE


@pytest.mark.parametrize("production", [False, True])
def test_every_persisted_document_passes_every_rule(production: bool) -> None:
    schema = build_schema(production)
    rules = (*specified_rules, *extra_rules(production))
    for name, text in operation_documents().items():
        assert strawberry_schema.validate_document(schema._schema, parse(text), rules) == [], name


async def test_one_text_is_judged_by_each_schema_and_rule_set_it_meets_not_by_the_first() -> None:
    """Validation results are kept by text, schema and rules: an introspection document passed by
    a development schema must still be refused by a production one in the same process."""
    text = f"# {uuid.uuid4()}\n{{ __schema {{ queryType {{ name }} }} }}"
    development, production = build_schema(production=False), build_schema(production=True)
    for _ in range(2):
        assert (await development.execute(text)).errors is None
        refused = await production.execute(text)
        assert refused.errors and "introspection" in refused.errors[0].message.lower()
        assert "introspection" in (refused.errors[0].extensions or {})["detail"]
