"""What a request must pass before GraphQL sees it: size, batching, persisted queries.

Persisted queries use Apollo's shape (`extensions.persistedQuery.sha256Hash`); the documents
come from mobile-contract/persisted-queries.json, generated from mobile-contract/operations/.
In production only those documents run: anything else is refused before it is parsed.
Refusals are GraphQL-shaped JSON (`errors[].extensions.code`) so the app's one error path
handles them.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MANIFEST = Path(__file__).resolve().parent.parent / "mobile-contract" / "persisted-queries.json"
MAX_JSON_BODY = 64 * 1024
MAX_MULTIPART_BODY = 60 * 1024 * 1024


@lru_cache(maxsize=1)
def persisted_documents() -> dict[str, str]:
    if not MANIFEST.exists():
        return {}
    data: dict[str, str] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return data


def document_hash(document: str) -> str:
    return hashlib.sha256(document.encode("utf-8")).hexdigest()


class Refusal(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class GraphQLGate:
    def __init__(self, app: ASGIApp, production: bool, max_multipart_bytes: int = MAX_MULTIPART_BODY) -> None:
        self.app = app
        self.production = production
        # Above six photos at their own limit, so an oversized photo still reaches the service
        # and gets its typed error rather than a bare 413.
        self.max_multipart_bytes = max_multipart_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST":
            if scope["type"] == "http" and scope.get("method") == "GET" and self.production:
                # No GraphiQL and no queries over GET in production (CSRF, caching of mutations).
                await _respond(send, Refusal(405, "METHOD_NOT_ALLOWED", "Send GraphQL as a POST."))
                return
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            if content_type == "multipart/form-data":
                body = await _read_body(receive, headers, self.max_multipart_bytes)
            elif content_type == "application/json":
                body = await _read_body(receive, headers, MAX_JSON_BODY)
                body = self._resolve(body)
            else:
                # Form posts are what a cross-site page can send without CORS: never accepted.
                raise Refusal(415, "UNSUPPORTED_MEDIA_TYPE", "Send GraphQL as application/json.")
        except Refusal as refusal:
            await _respond(send, refusal)
            return
        await self.app(scope, _replay(body), send)

    def _resolve(self, body: bytes) -> bytes:
        try:
            data: Any = json.loads(body or b"null")
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise Refusal(400, "BAD_REQUEST", "The body is not valid JSON.") from None
        if isinstance(data, list):
            raise Refusal(400, "BATCHING_NOT_SUPPORTED", "Send one operation per request.")
        if not isinstance(data, dict):
            raise Refusal(400, "BAD_REQUEST", "The body must be a JSON object.")
        if isinstance(data.get("extensions"), dict) and "persistedQuery" in data["extensions"]:
            return json.dumps(resolve_persisted(data, self.production)).encode()
        resolve_persisted(data, self.production)
        return body


def resolve_persisted(data: dict[str, Any], production: bool) -> dict[str, Any]:
    """The request with its persisted document in `query`; in production, a document that is not
    one of the app's is refused. Used for JSON bodies and for the `operations` of uploads."""
    extensions = data.get("extensions") or {}
    persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
    if isinstance(persisted, dict):
        sha = persisted.get("sha256Hash")
        document = persisted_documents().get(sha) if isinstance(sha, str) else None
        if document is None:
            raise Refusal(200, "PERSISTED_QUERY_NOT_FOUND", "This operation is not known to the server.")
        sent = data.get("query")
        if sent is not None and sent != document:
            raise Refusal(400, "PERSISTED_QUERY_MISMATCH", "The query does not match its hash.")
        return {**data, "query": document}
    if production:
        query = data.get("query")
        if not isinstance(query, str) or document_hash(query) not in persisted_documents():
            raise Refusal(200, "PERSISTED_QUERY_REQUIRED", "Only the app's registered operations are served.")
    return data


async def _read_body(receive: Receive, headers: dict[str, str], limit: int) -> bytes:
    declared = headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise Refusal(413, "PAYLOAD_TOO_LARGE", f"The request is larger than {limit // 1024} KB.")
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise Refusal(400, "BAD_REQUEST", "The client went away.")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise Refusal(413, "PAYLOAD_TOO_LARGE", f"The request is larger than {limit // 1024} KB.")
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


async def _respond(send: Send, refusal: Refusal) -> None:
    payload = json.dumps(
        {"data": None, "errors": [{"message": refusal.message, "extensions": {"code": refusal.code}}]}
    ).encode()
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
