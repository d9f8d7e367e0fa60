"""The probes of the matrix: every ID-taking field and node type, and the arguments of a row."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLNonNull, GraphQLSchema

from api.graphql import build_schema
from tests.api.authz import documents
from tests.api.authz.matrix import Row
from tests.api.authz.world import Side

SCHEMA: GraphQLSchema = build_schema(production=False)._schema
documents.remember_node_selections(SCHEMA)


def probes() -> list[tuple[str, str, str, str | None]]:
    """(row key, operation, field name, node type) for every ID-taking field and node type."""
    found: list[tuple[str, str, str, str | None]] = []
    for key in documents.id_taking_fields(SCHEMA):
        type_name, field_name = key.split(".")
        assert type_name in ("Query", "Mutation"), f"{key}: an ID argument below the root needs a probe"
        if key != "Query.node":
            found.append((key, type_name.lower(), field_name, None))
    for node_type in documents.node_types(SCHEMA):
        found.append((f"Query.node:{node_type}", "query", "node", node_type))
    return found


def arguments(operation: str, field_name: str, node_type: str | None, row: Row, side: Side) -> dict[str, Any]:
    if node_type:
        return {"id": side.ids[node_type]}
    root = SCHEMA.query_type if operation == "query" else SCHEMA.mutation_type
    assert root is not None
    values = {
        name: documents.value_for(name, arg.type, side, field_name)
        for name, arg in root.fields[field_name].args.items()
        if isinstance(arg.type, GraphQLNonNull) or documents.takes_an_id(arg.type)
    }
    values.update(row.fixed)
    for name in row.drop:
        values.get("input", {}).pop(name, None)
        values.pop(name, None)
    return values
