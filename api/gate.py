"""What a request must pass before GraphQL sees it: size, batching, persisted queries.

Persisted queries use Apollo's shape (`extensions.persistedQuery.sha256Hash`); the documents
come from mobile-contract/persisted-queries.json, generated from mobile-contract/operations/ as
Apollo Client prints them (api/contract.py). In production only those documents run: the hash
alone, the hash with the document's exact text (what GraphQLWsLink and the stock graphql-ws
client send), or the exact text alone; anything else is refused before it is parsed, over
HTTP, in uploads and in WebSocket subscriptions alike. In development, automatic persisted
queries work as Apollo documents them: an unknown hash is PERSISTED_QUERY_NOT_FOUND, and the
hash sent again with its text registers that text for this process.
Refusals are GraphQL-shaped JSON (`errors[].extensions.code`) so the app's one error path
handles them; over a WebSocket they are the `error` message of the refused subscription.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from python_multipart.multipart import MultipartParseError, MultipartParser, parse_options_header
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler
from strawberry.subscriptions.protocols.graphql_transport_ws.types import ErrorMessage, SubscribeMessage

from api.request_checks import control_character_field
from runtime.i18n import DEFAULT_LANGUAGE, N_, Text, negotiate

MANIFEST = Path(__file__).resolve().parent.parent / "mobile-contract" / "persisted-queries.json"
MAX_JSON_BODY = 64 * 1024
MAX_MULTIPART_BODY = 60 * 1024 * 1024
# Twice the most photos a mutation takes, so a seventh photo still reaches the service and gets
# its typed TOO_MANY_PHOTOS, while a body of a thousand tiny parts is refused unread.
MAX_UPLOAD_FILES = 12


# The documents of app versions already in people's phones: apps update slowly, so the server
# keeps serving what they send after an operation's text (and so its hash) changes.
RELEASED_MANIFEST = MANIFEST.parent / "released" / "persisted-queries.json"


@lru_cache(maxsize=1)
def persisted_documents() -> dict[str, str]:
    documents: dict[str, str] = {}
    for manifest in (RELEASED_MANIFEST, MANIFEST):
        if manifest.exists():
            documents.update(json.loads(manifest.read_text(encoding="utf-8")))
    return documents


def document_hash(document: str) -> str:
    return hashlib.sha256(document.encode("utf-8")).hexdigest()


# Documents registered by automatic persisted queries (development only), newest last. Bounded,
# so a client inventing texts cannot grow the process; an evicted one is simply sent again.
MAX_REGISTERED = 500
_REGISTERED: OrderedDict[str, str] = OrderedDict()


def _register(sha: str, document: str) -> None:
    _REGISTERED[sha] = document
    _REGISTERED.move_to_end(sha)
    if len(_REGISTERED) > MAX_REGISTERED:
        _REGISTERED.popitem(last=False)


class Refusal(Exception):
    """`message` is an English text marked N_ (named placeholders filled from `params`), sent in
    the language the request asked for; a Text passes through whole."""

    def __init__(
        self, status: int, code: str, message: str | Text, field: str | None = None, **params: Any
    ) -> None:
        self.text = message if isinstance(message, Text) else Text(message, params)
        self.message = str(self.text)
        super().__init__(self.message)
        self.status = status
        self.code = code
        self.field = field

    def error(self, language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
        extensions: dict[str, Any] = {"code": self.code}
        if self.field:
            extensions["field"] = self.field
        return {"message": self.text.render(language), "extensions": extensions}


# The JSON request the gate read, checked and resolved, for the view to take as it is
# (api.graphql.RedStewardGraphQL.parse_http_body): strawberry read the body again, parsed the
# JSON again, and parsed the content type through email.message (~4% of a tag scan's CPU), and
# the gate had re-encoded the resolved request for it.
GATED_REQUEST: ContextVar[dict[str, Any] | None] = ContextVar("rs_gated_request", default=None)


class GraphQLGate:
    def __init__(self, app: ASGIApp, production: bool, max_multipart_bytes: int = MAX_MULTIPART_BODY) -> None:
        self.app = app
        self.production = production
        # Above six photos at their own limit, so an oversized photo still reaches the service
        # and gets its typed error rather than a bare 413.
        self.max_multipart_bytes = max_multipart_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        language = negotiate(headers.get("accept-language"))
        if scope["type"] != "http" or scope.get("method") != "POST":
            if scope["type"] == "http" and scope.get("method") == "GET" and self.production:
                # No GraphiQL and no queries over GET in production (CSRF, caching of mutations).
                refusal = Refusal(405, "METHOD_NOT_ALLOWED", N_("Send GraphQL as a POST."))
                await _respond(send, refusal, language)
                return
            await self.app(scope, receive, send)
            return
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        gated: dict[str, Any] | None = None
        try:
            if content_type == "multipart/form-data":
                body = await _read_body(receive, headers, self.max_multipart_bytes)
                check_upload(headers, body, self.production)
                # What strawberry or Starlette still refuse in an upload (a map naming a variable
                # that is not there…) comes back as plain text: give it the same JSON shape.
                send = _json_refusals(send, language)
            elif content_type == "application/json":
                body = await _read_body(receive, headers, MAX_JSON_BODY)
                gated = self._resolve(body)
            else:
                # Form posts are what a cross-site page can send without CORS: never accepted.
                raise Refusal(415, "UNSUPPORTED_MEDIA_TYPE", N_("Send GraphQL as application/json."))
        except Refusal as refusal:
            await _respond(send, refusal, language)
            return
        token = GATED_REQUEST.set(gated)
        try:
            await self.app(scope, _replay(body), send)
        finally:
            GATED_REQUEST.reset(token)

    def _resolve(self, body: bytes) -> dict[str, Any]:
        try:
            data: Any = json.loads(body or b"null")
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise Refusal(400, "BAD_REQUEST", N_("The body is not valid JSON.")) from None
        if isinstance(data, list):
            raise Refusal(400, "BATCHING_NOT_SUPPORTED", N_("Send one operation per request."))
        if not isinstance(data, dict):
            raise Refusal(400, "BAD_REQUEST", N_("The body must be a JSON object."))
        return resolve_persisted(data, self.production)


# The members of a GraphQL-over-HTTP request and the JSON type each must have; a wrong type
# is refused here with the gate's JSON shape, not by strawberry as a plain-text 400.
_MEMBER_TYPES: dict[str, tuple[type, str]] = {
    "query": (str, N_("`{name}` must be a string or null.")),
    "operationName": (str, N_("`{name}` must be a string or null.")),
    "variables": (dict, N_("`{name}` must be an object or null.")),
    "extensions": (dict, N_("`{name}` must be an object or null.")),
}


def check_members(data: dict[str, Any]) -> None:
    for name, (kind, said) in _MEMBER_TYPES.items():
        value = data.get(name)
        if value is not None and not isinstance(value, kind):
            raise Refusal(400, "BAD_REQUEST", said, field=name, name=name)
    persisted = (data.get("extensions") or {}).get("persistedQuery")
    if persisted is not None and not (
        isinstance(persisted, dict) and isinstance(persisted.get("sha256Hash"), str)
    ):
        raise Refusal(
            400,
            "BAD_REQUEST",
            N_("`extensions.persistedQuery` must be an object with `sha256Hash`."),
            field="extensions.persistedQuery",
        )


def resolve_persisted(data: dict[str, Any], production: bool) -> dict[str, Any]:
    """The request with its persisted document in `query`; in production, a document that is not
    one of the app's is refused. Used for JSON bodies, the `operations` of uploads and the
    `subscribe` messages of WebSockets."""
    check_members(data)
    persisted = (data.get("extensions") or {}).get("persistedQuery")
    sent = data.get("query")
    if persisted is not None:
        sha = persisted["sha256Hash"]
        document = persisted_documents().get(sha)
        if document is None and not production:
            document = _REGISTERED.get(sha)
            if document is None and sent is not None:
                # Automatic persisted queries: the text sent with the hash it was missing under.
                if document_hash(sent) != sha:
                    raise Refusal(400, "PERSISTED_QUERY_MISMATCH", N_("The query does not match its hash."))
                _register(sha, sent)
                document = sent
        if document is None:
            # Apollo's and urql's links read this code and send the hash again with the text.
            raise Refusal(200, "PERSISTED_QUERY_NOT_FOUND", N_("This operation is not known to the server."))
        if sent is not None and sent != document:
            raise Refusal(400, "PERSISTED_QUERY_MISMATCH", N_("The query does not match its hash."))
        return {**data, "query": document}
    if production:
        if not isinstance(sent, str) or document_hash(sent) not in persisted_documents():
            raise Refusal(
                200, "PERSISTED_QUERY_REQUIRED", N_("Only the app's registered operations are served.")
            )
    return data


def check_upload(headers: dict[str, str], body: bytes, production: bool) -> None:
    """A GraphQL multipart request (operations, map, files) that the view can take as it is: from
    the app (a bearer header: a cross-site form cannot set one, strawberry's CVE-2024-47082), well
    formed, with few enough files, and running a document production serves."""
    if not headers.get("authorization"):
        raise Refusal(401, "UNAUTHENTICATED", N_("Uploads need the Authorization header."))
    fields, files = _multipart_parts(headers.get("content-type", ""), body)
    if len(files) > MAX_UPLOAD_FILES:
        raise Refusal(
            400,
            "UPLOAD_TOO_MANY_FILES",
            N_("Send at most {max_upload_files} files in one request."),
            max_upload_files=MAX_UPLOAD_FILES,
        )
    operations = _json_part(fields, "operations")
    if isinstance(operations, list):
        raise Refusal(400, "BATCHING_NOT_SUPPORTED", N_("Send one operation per request."))
    files_map = _json_part(fields, "map")
    if not isinstance(operations, dict) or not isinstance(files_map, dict):
        raise Refusal(400, "UPLOAD_INVALID", N_("`operations` and `map` must be JSON objects."))
    for name, paths in files_map.items():
        if name not in files or not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            raise Refusal(
                400,
                "UPLOAD_INVALID",
                N_("`map` names {name}, which is not a file part of the request."),
                name=name,
            )
    resolve_persisted(operations, production)


def _multipart_parts(content_type: str, body: bytes) -> tuple[dict[str, bytes], list[str]]:
    """The fields (only `operations` and `map` are kept, the rest are b"") and the names of the
    file parts, in order."""
    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if not boundary:
        raise Refusal(400, "UPLOAD_INVALID", N_("The multipart body has no boundary."))
    fields: dict[str, bytes] = {}
    files: list[str] = []
    state: dict[str, Any] = {
        "header": b"",
        "value": b"",
        "name": None,
        "is_file": False,
        "data": [],
        "end": False,
    }

    def on_header_field(data: bytes, start: int, end: int) -> None:
        state["header"] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        state["value"] += data[start:end]

    def on_header_end() -> None:
        if state["header"].lower() == b"content-disposition":
            _, disposition = parse_options_header(state["value"])
            name = disposition.get(b"name")
            state["name"] = name.decode("utf-8", "replace") if name is not None else None
            state["is_file"] = b"filename" in disposition
        state["header"], state["value"] = b"", b""

    def on_part_data(data: bytes, start: int, end: int) -> None:
        if state["name"] in ("operations", "map"):
            state["data"].append(data[start:end])
            if sum(len(chunk) for chunk in state["data"]) > MAX_JSON_BODY:
                raise Refusal(
                    413,
                    "PAYLOAD_TOO_LARGE",
                    N_("`{name}` is larger than {kilobytes} KB."),
                    name=state["name"],
                    kilobytes=MAX_JSON_BODY // 1024,
                )

    def on_part_end() -> None:
        if state["name"] is None:
            raise Refusal(400, "UPLOAD_INVALID", N_("A part of the multipart body has no name."))
        if state["is_file"]:
            files.append(state["name"])
        else:
            fields[state["name"]] = b"".join(state["data"])
        state["name"], state["is_file"], state["data"] = None, False, []

    def on_end() -> None:
        state["end"] = True

    parser = MultipartParser(
        boundary,
        {
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
            "on_end": on_end,
        },
    )
    try:
        parser.write(body)
        parser.finalize()
    except MultipartParseError:
        raise Refusal(400, "UPLOAD_INVALID", N_("The multipart body cannot be read.")) from None
    if not state["end"]:
        raise Refusal(400, "UPLOAD_INVALID", N_("The multipart body ends before its closing boundary."))
    return fields, files


def _json_part(fields: dict[str, bytes], name: str) -> Any:
    raw = fields.get(name)
    if not raw:
        raise Refusal(400, "UPLOAD_INVALID", N_("The upload has no `{name}` part."), name=name)
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise Refusal(400, "UPLOAD_INVALID", N_("The `{name}` part is not valid JSON."), name=name) from None


class PersistedSubscriptions(BaseGraphQLTransportWSHandler[Any, None]):
    """graphql-transport-ws under the gate's rules: a `subscribe` names its document by hash
    (`payload.extensions.persistedQuery`) or sends it in full, and production runs only the
    app's documents. A refusal is an `error` message for that subscription id; the socket and
    the person's other subscriptions stay open."""

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        payload: Any = message.get("payload")
        if self.connection_acknowledged and message.get("id") not in self.operations:
            try:
                if not isinstance(payload, dict):
                    raise Refusal(400, "BAD_REQUEST", N_("The subscribe payload must be a JSON object."))
                resolved = resolve_persisted(payload, production=getattr(self.view, "production", True))
                if not isinstance(resolved.get("query"), str):
                    raise Refusal(400, "BAD_REQUEST", N_("Send `query` or `extensions.persistedQuery`."))
                # strawberry's subscribe path skips RequestGate's execute step: the same rule here.
                field = control_character_field(resolved.get("variables") or {})
                if field is not None:
                    raise Refusal(
                        400, "INVALID_INPUT", N_("Text may not contain control characters."), field=field
                    )
            except Refusal as refusal:
                language = getattr(getattr(self, "context", None), "language", DEFAULT_LANGUAGE)
                error = cast(Any, refusal.error(language))
                refused = ErrorMessage(id=message["id"], type="error", payload=[error])
                await self.send_message(refused)
                return
            message = {**message, "payload": resolved}  # type: ignore[typeddict-item]
        await super().handle_subscribe(message)


async def _read_body(receive: Receive, headers: dict[str, str], limit: int) -> bytes:
    declared = headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise Refusal(
            413,
            "PAYLOAD_TOO_LARGE",
            N_("The request is larger than {kilobytes} KB."),
            kilobytes=limit // 1024,
        )
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise Refusal(400, "BAD_REQUEST", N_("The client went away."))
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise Refusal(
                413,
                "PAYLOAD_TOO_LARGE",
                N_("The request is larger than {kilobytes} KB."),
                kilobytes=limit // 1024,
            )
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


def _json_refusals(send: Send, language: str) -> Send:
    """`send`, with a plain-text client error turned into the gate's JSON refusal (UPLOAD_INVALID)."""
    held: list[Message] = []

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            content_type = dict(message.get("headers", [])).get(b"content-type", b"")
            if 400 <= message["status"] < 500 and content_type.startswith(b"text/plain"):
                held.append(message)
                return
        elif held and message["type"] == "http.response.body":
            held.append(message)
            if not message.get("more_body", False):
                text = b"".join(m.get("body", b"") for m in held[1:]).decode("utf-8", "replace")
                # Starlette's or strawberry's own words, not ours: passed on as they are.
                said = Text.as_written(text) if text else Text(N_("The upload is not valid."))
                await _respond(send, Refusal(held[0]["status"], "UPLOAD_INVALID", said), language)
            return
        await send(message)

    return wrapped


async def _respond(send: Send, refusal: Refusal, language: str) -> None:
    payload = json.dumps({"data": None, "errors": [refusal.error(language)]}, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": refusal.status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
