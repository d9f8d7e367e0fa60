"""Rendering: Jinja2 templates (autoescaped), the pages' own CSS and script served with a content
hash in their URL (cached for a year, so a phone loads them once), and the headers every web
page carries (its own CSP: nothing from another host, scripts and styles from this server only)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from api.board_page import FLAG_ICON
from api.web.messages import Shown
from api.web.session import CSRF_FIELD, Visit
from api.web.words import FILTERS

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}

# No inline script or style anywhere; images are ours, or a photo the page's script just shrank;
# a page's script talks to this server only (the office overview polls its live numbers).
PAGE_CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; "
    "img-src 'self' blob: data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


@dataclass(frozen=True)
class Asset:
    body: bytes
    digest: str
    media_type: str


@lru_cache(maxsize=16)
def asset(name: str) -> Asset | None:
    path = STATIC / name
    if path.parent != STATIC or path.suffix not in STATIC_TYPES or not path.is_file():
        return None
    body = path.read_bytes()
    return Asset(body, hashlib.sha256(body).hexdigest()[:12], STATIC_TYPES[path.suffix])


def static_url(name: str) -> str:
    found = asset(name)
    assert found is not None, name
    return f"/web/static/{name}?v={found.digest}"


async def static_file(request: Request) -> Response:
    found = asset(request.path_params["name"])
    if found is None:
        return Response("Not found.", status_code=404, media_type="text/plain")
    return Response(
        found.body,
        media_type=found.media_type,
        headers={"cache-control": "public, max-age=31536000, immutable"},
    )


def _environment() -> Environment:
    env = Environment(
        # The office console keeps its templates with its views (api/web/office/templates/office/).
        loader=FileSystemLoader([HERE / "templates", HERE / "office" / "templates"]),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["static_url"] = static_url
    env.globals["CSRF_FIELD"] = CSRF_FIELD
    # The notice board's drawn flag: our own markup, never an emoji a phone may lack.
    env.globals["flag_icon"] = Markup(FLAG_ICON)  # noqa: S704 - a constant of ours, no input
    env.filters.update(FILTERS)
    return env


ENV = _environment()


def render(
    visit: Visit,
    template: str,
    status: int = 200,
    errors: list[Shown] | None = None,
    **context: Any,
) -> Response:
    """A page for this visit: the error summary and field errors, the CSRF token, who is signed in."""
    errors = errors or []
    body = ENV.get_template(template).render(
        visit=visit,
        viewer=visit.viewer,
        csrf_token=visit.csrf_token,
        errors=errors,
        field_errors={e.field: e.text for e in errors if e.field},
        **context,
    )
    response = HTMLResponse(
        body,
        status_code=status,
        headers={
            "content-security-policy": PAGE_CSP,
            # Personal pages: never kept by a shared cache; the back button shows them again.
            "cache-control": "private, no-cache",
        },
    )
    return visit.apply(response)


def redirect(visit: Visit, url: str) -> Response:
    """After a successful form post: 303, so reload does not post again."""
    return visit.apply(RedirectResponse(url, status_code=303))
