"""Response headers fit for a mobile API and its few HTML pages, and CORS off by default.

The app is not a browser: it needs no CORS, so none is sent unless RS_CORS_ORIGINS lists origins
(a staff web console, say). Every response says nosniff and no-referrer and may not be framed;
HTML pages (the tag landing page) get a CSP that allows only their own inline style (by hash)
and images from this server; JSON gets `default-src 'none'`. GraphQL answers carry tokens, so
they are never cached.
"""

from __future__ import annotations

import base64
import hashlib

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.tag_landing import _STYLE

_STYLE_HASH = base64.b64encode(hashlib.sha256(_STYLE.encode("utf-8")).digest()).decode()
PAGE_CSP = (
    f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
API_CSP = "default-src 'none'; frame-ancestors 'none'"
COMMON = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    def __init__(self, app: ASGIApp, production: bool) -> None:
        self.app = app
        self.production = production

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in dict(COMMON)]
                names = {k.lower() for k, _ in headers}
                content_type = dict(headers).get(b"content-type", b"").decode("latin-1")
                headers.extend(COMMON)
                graphiql = not self.production and path == "/graphql" and content_type.startswith("text/html")
                if b"content-security-policy" not in names and not graphiql:
                    csp = PAGE_CSP if content_type.startswith("text/html") else API_CSP
                    headers.append((b"content-security-policy", csp.encode()))
                if path == "/graphql" and b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                if self.production:
                    headers.append((b"strict-transport-security", b"max-age=31536000"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def with_cors(app: ASGIApp, origins: tuple[str, ...]) -> ASGIApp:
    """CORS for the listed origins only; with none listed, no CORS headers at all."""
    if not origins:
        return app
    return CORSMiddleware(
        app,
        allow_origins=list(origins),
        allow_methods=["GET", "POST"],
        allow_headers=["authorization", "content-type", "x-request-id"],
        expose_headers=["x-request-id", "retry-after"],
        max_age=600,
    )
