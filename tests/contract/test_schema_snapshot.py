"""mobile-contract/schema.graphql is what the server serves; regenerate it with `make schema`."""

from pathlib import Path

from api.graphql import build_schema

SNAPSHOT = Path(__file__).resolve().parents[2] / "mobile-contract" / "schema.graphql"


def test_the_exported_schema_is_current() -> None:
    current = build_schema(production=False).as_str() + "\n"
    assert SNAPSHOT.read_text(encoding="utf-8") == current, "schema changed: run `make schema` and commit it"
