"""mobile-contract/ holds what the server really serves; regenerate with `make contract`."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import parse, validate

from api.contract import generated_files, operation_documents
from api.error_guide import PAYLOAD_ERRORS
from api.graphql import build_schema
from services.errors import ErrorCode

# Generated once per worker, not once per test: the files take ~1.6 s of CPU to render, the
# documents ~0.3 s and the schema ~0.1 s, and the operations' test runs ~160 times a pass.
FILES = generated_files()
DOCUMENTS = operation_documents()
SCHEMA = build_schema(production=False)._schema


@pytest.mark.parametrize("path", sorted(FILES), ids=lambda p: p.name)
def test_the_generated_contract_file_is_current(path: Path) -> None:
    assert path.read_text(encoding="utf-8") == FILES[path], f"{path} is stale: run `make contract`"


def test_every_error_code_is_documented() -> None:
    assert set(ErrorCode) == set(PAYLOAD_ERRORS), "document every ErrorCode in api/error_guide.py"


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_operation_of_the_app_is_valid_against_the_schema(name: str) -> None:
    errors = validate(SCHEMA, parse(DOCUMENTS[name]))
    assert errors == [], errors
