"""What every resolver gets: the caller, the request, and this request's DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from api.loaders import Loaders
from runtime.i18n import DEFAULT_LANGUAGE
from services.access import Viewer


def client_ip(request: Request | WebSocket) -> str | None:
    """The caller's address as the ASGI server saw it (run uvicorn with --proxy-headers and
    --forwarded-allow-ips behind a trusted proxy, so this is the phone's, not the proxy's)."""
    return request.client.host if request.client else None


@dataclass
class Context:
    request: Request | WebSocket
    response: Response | WebSocket | None
    viewer: Viewer
    loaders: Loaders = field(default_factory=Loaders)
    # The graphql-transport-ws connection_init payload (strawberry fills it in).
    connection_params: dict[str, object] | None = None
    # The language texts are rendered in for this caller (api.i18n reads it from the request).
    language: str = DEFAULT_LANGUAGE


Info = StrawberryInfo[Context, None]
