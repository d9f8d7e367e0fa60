"""The web pages' documents are part of the contract: valid against the schema, persisted (so
production serves them), listed under their own client, and each one used by a page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import parse, validate

from api.contract import client_documents
from api.gate import document_hash, persisted_documents
from api.graphql import build_schema
from api.web.operations import UnknownDocument, document

WEB = Path(__file__).resolve().parents[3] / "api" / "web"


# Once per worker, not once per document (~0.4 s of CPU each).
DOCUMENTS = client_documents()["web"]
SCHEMA = build_schema(production=False)._schema


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_each_web_document_is_valid_persisted_and_used(name: str) -> None:
    text = DOCUMENTS[name]
    assert validate(SCHEMA, parse(text)) == []
    assert persisted_documents()[document_hash(text)] == text
    assert document("web", name) == text
    sources = "\n".join(p.read_text(encoding="utf-8") for p in WEB.glob("*.py"))
    assert re.search(rf'"{name}"', sources), f"no page runs {name}"


def test_a_name_outside_the_contract_is_refused() -> None:
    with pytest.raises(UnknownDocument):
        document("web", "SomethingElse")
    with pytest.raises(UnknownDocument):
        document("nobody", "SignIn")
