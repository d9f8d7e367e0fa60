"""The schema object and the HTTP/WebSocket view that serves it."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from functools import lru_cache
from typing import Any, cast

import strawberry
from cross_web import HTTPException
from graphql import ASTValidationRule, DirectiveNode, DocumentNode, GraphQLError, GraphQLSchema, parse
from graphql.validation import NoSchemaIntrospectionCustomRule, ValidationContext, ValidationRule
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter
from strawberry.http import GraphQLRequestData
from strawberry.schema.schema import validate_document
from strawberry.types.unset import UNSET, UnsetType

from api.context import Context
from api.errors import ShapeErrors
from api.gate import GATED_REQUEST, PersistedSubscriptions, Refusal, resolve_persisted
from api.i18n import connection_language, mark_language, request_language
from api.request_checks import check_request, coded_parse
from api.resolvers.root import TYPES, Mutation, Query, Subscription
from runtime.i18n import N_, Text
from runtime.logging import set_operation
from services.access import Viewer, load_viewer
from services.errors import NotAuthenticated
from services.tokens import decode_access_token

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 2000
# Documents kept parsed and validated; more than the app's persisted documents (284 after the
# district, mediation and fee pages; a test checks), with room for the next areas.
CACHE_SIZE = 512
# The app's documents use none; a few @include/@skip are plenty. Without a cap, a field with
# hundreds of directives makes validation do work in proportion (graphql-cop's "directive
# overloading", ten at once); above the cap the document is refused with a clear error.
MAX_DIRECTIVES = 5


class MaxDirectivesRule(ValidationRule):
    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.count = 0

    def enter_document(self, node: DocumentNode, *_args: object) -> None:
        self.count = 0

    def enter_directive(self, node: DirectiveNode, *_args: object) -> object:
        self.count += 1
        if self.count == MAX_DIRECTIVES + 1:
            text = Text(N_("More than {limit} directives in one document."), {"limit": MAX_DIRECTIVES})
            self.report_error(GraphQLError(str(text), node, extensions={"text": text}))
        return None


def _spares_unknown_fragments(rule: type[ASTValidationRule]) -> type[ASTValidationRule]:
    """strawberry's depth limiter measures the document when its rule is made and looks each
    spread's fragment up by name: a spread of a fragment the document lacks (`...Missing`, a
    client's slip) raised KeyError out of validation, answered as `{"message": "'Missing'"}`
    with no code. Such a document is refused by graphql-core's KnownFragmentNames rule anyway,
    in the caller's language (api.graphql_refusals); the depth then is not measured."""

    class SparingUnknownFragments(rule):  # type: ignore[misc,valid-type]
        def __init__(self, context: ValidationContext) -> None:
            try:
                super().__init__(context)
            except KeyError:
                ValidationRule.__init__(self, context)

    return SparingUnknownFragments


# Made once: each limiter instance makes a new rule class, and strawberry's ValidationCache keys
# on the rule classes, so limiters built per request made every validation a cache miss.
LIMIT_RULES: tuple[type[ASTValidationRule], ...] = (
    *(_spares_unknown_fragments(rule) for rule in QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules),
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
    MaxDirectivesRule,
)


class RequestGate(ShapeErrors):
    """Every step a request passes inside strawberry, as one extension with one hook per stage.
    It used to be seven extensions (parser cache, validation cache, extra rules, token limit,
    request checks, the log's operation name, error shaping): strawberry makes each one per
    request and wraps each of its hooks in a context manager at every stage, ~10% of a tag
    scan's CPU in process for no work of ours. In order, as those seven ran:
    - operation: the token limit and our validation rules are set; after execution, errors
      are shaped (ShapeErrors);
    - parse: through strawberry's shared LRU (a persisted document is parsed once a process),
      with a code on parse errors;
    - validate: results kept by the document's text (see _validated);
    - execute: the request checks (api.request_checks), then the operation's name for the log.
    """

    def __init__(self, production: bool) -> None:
        super().__init__(production=production)
        self.rules = RULES[production]

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.parse_options["max_tokens"] = MAX_TOKENS
        context.validation_rules = context.validation_rules + self.rules
        yield from super().on_operation()

    def on_parse(self) -> Iterator[None]:
        coded_parse(self.execution_context, _PARSE)
        yield

    def on_validate(self) -> Iterator[None]:
        """Validation results kept by the document's text, the schema and the rules. strawberry's
        ValidationCache keys its LRU on the parsed document, and a graphql-core AST hashes by
        walking every node: ~7% of a board read's CPU went to hashing a document already
        validated. The text says the same (a text parses to one document) and a str hashes once."""
        context = self.execution_context
        rules = tuple(context.validation_rules)
        schema, document = context.schema._schema, context.graphql_document
        assert document is not None  # parsed before validation
        if context.query is None:  # a document given already parsed: nothing to key on
            context.pre_execution_errors = validate_document(schema, document, rules)
        else:
            context.pre_execution_errors = _validated(schema, context.query, rules, document)
        yield

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        check_request(context)
        # The operation name goes into the log context so the request log line can carry it.
        set_operation(context.operation_name or "anonymous")
        yield


_Key = tuple[GraphQLSchema, str, tuple[type[ASTValidationRule], ...]]
_VALIDATED: OrderedDict[_Key, list[GraphQLError]] = OrderedDict()


def _validated(
    schema: GraphQLSchema, text: str, rules: tuple[type[ASTValidationRule], ...], document: DocumentNode
) -> list[GraphQLError]:
    key = (schema, text, rules)
    found = _VALIDATED.get(key)
    if found is None:
        found = _VALIDATED[key] = validate_document(schema, document, rules)
        if len(_VALIDATED) > CACHE_SIZE:
            _VALIDATED.popitem(last=False)
    else:
        _VALIDATED.move_to_end(key)
    return found


def extra_rules(production: bool) -> list[type[ASTValidationRule]]:
    """What a document must pass beyond graphql-core's and strawberry's own rules."""
    return [*LIMIT_RULES, NoSchemaIntrospectionCustomRule] if production else list(LIMIT_RULES)


RULES = {production: tuple(extra_rules(production)) for production in (False, True)}
# Parsed documents by text and parse options (the token limit), as strawberry's ParserCache kept them.
_PARSE = lru_cache(maxsize=CACHE_SIZE)(parse)


class QuietSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Strawberry logs every error's message, and graphql-core's input errors quote the
        client's values (a password sent in the wrong shape). Errors are the client's answer,
        not log lines; ShapeErrors logs the unexpected ones, with their stack and no input."""


def build_schema(production: bool) -> strawberry.Schema:
    # A factory, so each request gets fresh extension state; the parse and validation caches
    # live at module level, so every persisted document is parsed and validated once per
    # process. Executing a known document apart from strawberry's path was measured
    # (bench/profile_operation.py --text) and paid nothing more once these caches hit.
    extensions: list[Any] = [lambda: RequestGate(production)]
    return QuietSchema(
        query=Query, mutation=Mutation, subscription=Subscription, types=list(TYPES), extensions=extensions
    )


class RedStewardGraphQL(GraphQL[Context, None]):
    graphql_transport_ws_handler_class = PersistedSubscriptions

    def __init__(self, schema: strawberry.Schema, production: bool, **options: Any) -> None:
        super().__init__(schema, **options)
        self.production = production

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

    async def parse_http_body(self, request: Any) -> GraphQLRequestData | list[GraphQLRequestData]:
        """The request the gate already read and resolved (api.gate.GATED_REQUEST: its members'
        types checked there), or strawberry's own reading when it did not (uploads)."""
        data = GATED_REQUEST.get()
        if data is None:
            return await super().parse_http_body(request)
        transport = self._get_stream_transport_from_headers(request.headers)
        return GraphQLRequestData(
            query=data.get("query"),
            variables=data.get("variables"),
            operation_name=data.get("operationName"),
            extensions=data.get("extensions"),
            protocol=transport.protocol if transport else "http",
        )

    async def render_graphql_ide(self, request: Request) -> Response:
        """strawberry's GraphiQL page loads from a CDN (blank offline); ours is served from here."""
        # Imported here: api.developer_pages imports api.contract, which imports this module.
        from api.developer_pages import explorer_page

        return explorer_page()

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        language = request_language(request)
        mark_language(response, language)
        return Context(request=request, response=response, viewer=await viewer_of(request), language=language)

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """A WebSocket client may send its token in the connection_init payload (browsers
        cannot set headers on a WebSocket); a connection without a valid one is refused. Its
        language may come the same way (api.i18n.connection_language)."""
        context.language = connection_language(context.connection_params, context.language)
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
            problem = exc.text.msgid  # Viewer raises NotAuthenticated with this message id
    return await load_viewer(user_id, problem)


def _bearer(request: Request | WebSocket) -> tuple[str | None, str | None]:
    header = request.headers.get("authorization", "")
    if not header:
        return None, None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None, N_("Send the access token as `Authorization: Bearer <token>`.")
    return token.strip(), None
