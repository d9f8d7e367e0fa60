"""The Starlette application: /graphql, /healthz, request logging, the database lifecycle."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from api import (
    board_routes,
    card_routes,
    certificate_routes,
    developer_pages,
    open311_routes,
    tag_routes,
    web,
)
from api.gate import GraphQLGate
from api.graphql import RedStewardGraphQL, build_schema
from api.headers import SecurityHeaders, with_cors
from api.photos import dispatch_photo, inspection_photo, report_photo, visit_photo
from api.pickup_qr import pickup_qr
from runtime import database, i18n
from runtime.logging import reset_request_id, set_operation, set_request_id
from runtime.settings import Settings, get_settings
from services import jobs, subscribers
from services.notifications import inbox_bus

log = logging.getLogger("redsteward.http")


class RequestLog:
    """Gives each request an id (kept from X-Request-ID when sane) and logs one line per request:
    method, path, status, operation name, duration. Bodies and headers are never logged."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if 8 <= len(incoming) <= 64 and incoming.isascii() else uuid.uuid4().hex
        token = set_request_id(request_id)
        set_operation("-")
        status = 0
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            log.info(
                "request",
                extra={
                    "method": scope.get("method", "WS"),
                    "path": scope.get("path"),
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            reset_request_id(token)


async def healthz(request: Request) -> JSONResponse:
    ok = await database.ping()
    return JSONResponse(
        {"status": "ok" if ok else "degraded", "database": "ok" if ok else "unreachable"},
        status_code=200 if ok else 503,
    )


def create_app(settings: Settings | None = None, manage_database: bool = True) -> ASGIApp:
    """`manage_database=False` leaves opening the database to the caller (tests do it once) and
    runs no background job."""
    settings = settings or get_settings()
    # The translation catalogs are read now, so a broken catalog stops start-up, not a request.
    i18n.load()
    # Points and inbox rows are written inside the transactions of the events that cause them.
    subscribers.install()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        running: list[asyncio.Task[None]] = []
        if manage_database:
            await database.open_database(settings.database_url)
            if settings.clock_tick_seconds > 0:
                running = jobs.start(jobs.periodic_jobs(settings.clock_tick_seconds))
        try:
            yield
        finally:
            for task in running:
                task.cancel()
            await inbox_bus.stop()
            if manage_database:
                await database.close_database()

    schema = build_schema(settings.production)
    graphql = RedStewardGraphQL(
        schema,
        settings.production,
        graphql_ide=None if settings.production else "graphiql",
        allow_queries_via_get=False,
        multipart_uploads_enabled=True,
        # Only graphql-transport-ws, whose subscribe messages pass the gate (persisted documents);
        # the legacy graphql-ws protocol would run any document.
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
    )
    app = Starlette(
        routes=[
            # HTTP passes the gate (size, batching, persisted queries); WebSockets carry
            # subscriptions, whose documents strawberry validates with the same limits.
            Route(
                "/graphql",
                GraphQLGate(
                    graphql,
                    settings.production,
                    max_multipart_bytes=6 * settings.photo_max_bytes + 16 * 2**20,
                ),
                methods=["GET", "POST"],
            ),
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/pickup/{code}.png", pickup_qr, methods=["GET"]),
            Route("/photos/{photo_id:int}", report_photo, methods=["GET"]),
            Route("/photos/inspection/{photo_id:int}", inspection_photo, methods=["GET"]),
            Route("/photos/visit/{photo_id:int}", visit_photo, methods=["GET"]),
            Route("/photos/dispatch/{photo_id:int}", dispatch_photo, methods=["GET"]),
            *tag_routes.ROUTES,
            *board_routes.ROUTES,
            *certificate_routes.ROUTES,
            *card_routes.ROUTES,
            *developer_pages.routes(settings.production),
            *open311_routes.ROUTES,
            # The web pages run the same schema in process for the person signed in.
            *web.routes(schema),
        ],
        lifespan=lifespan,
    )
    return RequestLog(SecurityHeaders(with_cors(app, settings.cors_origins), settings.production))
