"""mobile-contract/ holds what the server really serves; regenerate with `make contract`."""

from __future__ import annotations

import pytest
from graphql import parse, validate

from api.contract import generated_files, operation_documents
from api.error_guide import PAYLOAD_ERRORS
from api.graphql import build_schema
from services.errors import ErrorCode


@pytest.mark.parametrize("path", sorted(generated_files()), ids=lambda p: p.name)
def test_the_generated_contract_file_is_current(path: object) -> None:
    files = generated_files()
    assert path.read_text(encoding="utf-8") == files[path], f"{path} is stale: run `make contract`"  # type: ignore[attr-defined]


def test_every_error_code_is_documented() -> None:
    assert set(ErrorCode) == set(PAYLOAD_ERRORS), "document every ErrorCode in api/error_guide.py"


@pytest.mark.parametrize("name", sorted(operation_documents()))
def test_every_operation_of_the_app_is_valid_against_the_schema(name: str) -> None:
    schema = build_schema(production=False)._schema
    errors = validate(schema, parse(operation_documents()[name]))
    assert errors == [], errors
