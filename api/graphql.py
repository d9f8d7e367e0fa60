"""The schema object and the HTTP/WebSocket view that serves it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import strawberry
from graphql.validation import NoSchemaIntrospectionCustomRule
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

from api.context import Context
from api.errors import ShapeErrors
from api.schema.root import TYPES, Mutation, Query
from runtime.logging import set_operation
from services.access import load_viewer
from services.errors import NotAuthenticated
from services.tokens import decode_access_token

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 2000


class NameTheOperation(SchemaExtension):
    """Put the operation name into the log context so the request log line can carry it."""

    def on_execute(self) -> Iterator[None]:
        set_operation(self.execution_context.operation_name or "anonymous")
        yield


def build_schema(production: bool) -> strawberry.Schema:
    # Factories, so each request gets fresh extension state; the parse and validation caches
    # live at module level in strawberry, so every document is parsed and validated once.
    extensions: list[Any] = [
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        NameTheOperation,
        ShapeErrors,
    ]
    if production:
        extensions.append(lambda: AddValidationRules([NoSchemaIntrospectionCustomRule]))
    return strawberry.Schema(query=Query, mutation=Mutation, types=list(TYPES), extensions=extensions)


class RedStewardGraphQL(GraphQL[Context, None]):
    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        token, problem = _bearer(request)
        user_id = None
        if token:
            try:
                user_id = decode_access_token(token).user_id
            except NotAuthenticated as exc:
                problem = exc.message
        viewer = await load_viewer(user_id, problem)
        return Context(request=request, response=response, viewer=viewer)


def _bearer(request: Request | WebSocket) -> tuple[str | None, str | None]:
    header = request.headers.get("authorization", "")
    if not header:
        return None, None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None, "Send the access token as `Authorization: Bearer <token>`."
    return token.strip(), None
