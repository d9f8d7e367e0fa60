"""Calling the fee operations of the contract as the app and the office console do."""

from __future__ import annotations

from typing import Any

from api.contract import operation_documents
from tests.support.graphql import GraphQLClient

DOCUMENTS = operation_documents()


async def run(api: GraphQLClient, name: str, token: str | None, **variables: Any) -> dict[str, Any]:
    return await api.data(DOCUMENTS[name], variables, token)


async def refused(api: GraphQLClient, name: str, token: str | None, **variables: Any) -> list[str]:
    return await api.error_codes(DOCUMENTS[name], variables, token)


async def payload(api: GraphQLClient, name: str, token: str | None, **variables: Any) -> dict[str, Any]:
    """The mutation's payload (its one field)."""
    data = await run(api, name, token, **variables)
    (value,) = data.values()
    assert isinstance(value, dict)
    return value
