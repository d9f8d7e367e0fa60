"""The schema object and the HTTP/WebSocket view that serves it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, cast

import strawberry
from cross_web import HTTPException
from graphql import ASTValidationRule, specified_rules
from graphql.validation import NoSchemaIntrospectionCustomRule
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.http import GraphQLRequestData
from strawberry.http.async_base_view import AsyncHTTPRequestAdapter
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET, UnsetType

from api.context import Context
from api.errors import ShapeErrors
from api.gate import Refusal, resolve_persisted
from api.persisted import PersistedOperations
from api.schema.root import TYPES, Mutation, Query, Subscription
from runtime.logging import set_operation
from services.access import Viewer, load_viewer
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


# Made once: each limiter instance makes a new rule class, and strawberry's ValidationCache keys
# on the rule classes, so limiters built per request made every validation a cache miss.
LIMIT_RULES: tuple[type[ASTValidationRule], ...] = (
    *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
)
# What a document must pass beyond graphql-core's own rules.
EXECUTION_EXTENSIONS: tuple[Callable[[], SchemaExtension], ...] = (NameTheOperation, ShapeErrors)


def extra_rules(production: bool) -> list[type[ASTValidationRule]]:
    return [*LIMIT_RULES, NoSchemaIntrospectionCustomRule] if production else list(LIMIT_RULES)


def build_schema(production: bool) -> strawberry.Schema:
    # Factories, so each request gets fresh extension state; the parse and validation caches
    # live at module level in strawberry, so every document is parsed and validated once.
    extensions: list[Any] = [
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        lambda: AddValidationRules(extra_rules(production)),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        *EXECUTION_EXTENSIONS,
    ]
    return strawberry.Schema(
        query=Query, mutation=Mutation, subscription=Subscription, types=list(TYPES), extensions=extensions
    )


class RedStewardGraphQL(GraphQL[Context, None]):
    def __init__(self, schema: strawberry.Schema, production: bool, **options: Any) -> None:
        super().__init__(schema, **options)
        self.production = production
        self.persisted = PersistedOperations(
            schema, (*specified_rules, *extra_rules(production)), MAX_TOKENS, EXECUTION_EXTENSIONS
        )

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        """The app's persisted documents skip parsing and validation (done once, api/persisted.py);
        anything else takes strawberry's path with its caches and limits."""
        prepared = (
            self.persisted.find(request_data.query, request_data.extensions)
            if request_adapter.method == "POST"
            else None
        )
        if prepared is None:
            return await super().execute_single(
                request, request_adapter, sub_response, context, root_value, request_data
            )
        try:
            return await self.persisted.execute(
                prepared,
                variables=request_data.variables,
                context=context,
                root_value=root_value,
                operation_name=request_data.operation_name,
                allowed_operation_types=OperationType.from_http("POST"),
                operation_extensions=request_data.extensions,
            )
        except CannotGetOperationTypeError as e:
            raise HTTPException(400, e.as_http_error_reason()) from e
        except InvalidOperationTypeError as e:
            raise HTTPException(400, e.as_http_error_reason("POST")) from e

    async def parse_multipart(self, request: Any) -> dict[str, str]:
        """Uploads (the GraphQL multipart request) are a form post, which a web page on another
        site can send without asking (CSRF; strawberry's CVE-2024-47082). We authenticate by a
        bearer header, never a cookie, and a cross-site form cannot set a header, so a multipart
        request without one is refused before its body is read."""
        if not request.headers.get("authorization"):
            raise HTTPException(400, "Uploads need the Authorization header.")
        data = await super().parse_multipart(request)
        # Uploads name their document by hash too, and production serves only the app's documents.
        try:
            return resolve_persisted(cast(dict[str, Any], data), self.production)
        except Refusal as refusal:
            raise HTTPException(refusal.status if refusal.status != 200 else 400, refusal.code) from None

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        return Context(request=request, response=response, viewer=await viewer_of(request))

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """A WebSocket client may send its token in the connection_init payload (browsers
        cannot set headers on a WebSocket); a connection without a valid one is refused."""
        if context.viewer.user is None:
            params = context.connection_params or {}
            header = str(params.get("authorization") or params.get("Authorization") or "")
            scheme, _, token = header.partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                try:
                    context.viewer = await load_viewer(decode_access_token(token.strip()).user_id)
                except NotAuthenticated:
                    pass
        if context.viewer.user is None:
            raise ConnectionRejectionError()
        return UNSET


async def viewer_of(request: Request | WebSocket) -> Viewer:
    """The caller named by the request's bearer token; anonymous (with the reason) otherwise."""
    token, problem = _bearer(request)
    user_id = None
    if token:
        try:
            user_id = decode_access_token(token).user_id
        except NotAuthenticated as exc:
            problem = exc.message
    return await load_viewer(user_id, problem)


def _bearer(request: Request | WebSocket) -> tuple[str | None, str | None]:
    header = request.headers.get("authorization", "")
    if not header:
        return None, None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None, "Send the access token as `Authorization: Bearer <token>`."
    return token.strip(), None
