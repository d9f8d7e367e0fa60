"""The web pages' sign-in: the API's own session (access and refresh token) kept in a cookie,
and CSRF protection for every form.

The cookie holds what the app holds: a short-lived access token and the rotating refresh token,
both issued by the SignIn / Register documents (services.accounts and services.tokens, with their
rate limits). When the access token has expired, the page runs the app's RefreshSession document;
when that fails (signed out elsewhere, the refresh token expired or reused) the cookie is dropped
and the page says the sign-in has expired. HttpOnly, SameSite=Lax, Secure in production.
Refresh tokens rotate and a reused one revokes its family (services.accounts.refresh), so two
tabs refreshing the same expired cookie at the same instant sign the person out; only page
requests refresh (photos, QR images and the stylesheet never read the cookie), which keeps that
to two tabs opened within the same moment after 15 idle minutes.

CSRF: a random value in its own cookie, and in every form a token that is the HMAC of that
value under a key derived from the server's secret (a signed double-submit cookie). A cross-site
page can neither read the cookie nor compute the token; every POST is checked, including the
sign-in form (login CSRF). A request whose Origin names another host is refused as well.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

from api.web.operations import Runner
from runtime.settings import get_settings
from services.access import Viewer, load_viewer
from services.errors import NotAuthenticated
from services.tokens import decode_access_token

SESSION_COOKIE = "rs_web"
CSRF_COOKIE = "rs_csrf"
CSRF_FIELD = "csrf_token"
# Tokens are [A-Za-z0-9_.-]; "~" never appears in either.
_SEPARATOR = "~"


class CsrfRefused(Exception):
    """A form post without a valid CSRF token, or from another site."""


@dataclass
class Visit:
    """One request of a web page: who is signed in, and the cookies to send back."""

    request: Request
    viewer: Viewer
    access_token: str | None = None
    refresh_token: str | None = None
    csrf_secret: str = ""
    # The sign-in this request came with has lapsed (shown once, then the cookie is gone).
    expired: bool = False
    _cookies: list[tuple[str, str | None, int | None]] = field(default_factory=list)

    @property
    def signed_in(self) -> bool:
        return self.viewer.user is not None

    @property
    def csrf_token(self) -> str:
        return _csrf_token(self.csrf_secret)

    async def sign_in(self, payload: dict[str, Any]) -> None:
        """Keep a SessionPayload (SignIn, Register): the cookie and this request's viewer."""
        self.access_token, self.refresh_token = payload["accessToken"], payload["refreshToken"]
        self._keep_session()
        self.viewer = await load_viewer(decode_access_token(self.access_token).user_id)

    async def reload_viewer(self) -> None:
        """After joining a community: the roles changed within this request."""
        if self.viewer.user is not None:
            self.viewer = await load_viewer(self.viewer.user.id)

    def sign_out(self) -> None:
        self.access_token = self.refresh_token = None
        self.viewer = Viewer()
        self._cookies.append((SESSION_COOKIE, None, 0))

    def _keep_session(self) -> None:
        value = f"{self.access_token}{_SEPARATOR}{self.refresh_token}"
        self._cookies.append((SESSION_COOKIE, value, get_settings().refresh_token_ttl_seconds))

    def apply(self, response: Response) -> Response:
        secure = get_settings().production
        for name, value, max_age in self._cookies:
            if value is None:
                response.delete_cookie(name, path="/", secure=secure, httponly=True, samesite="lax")
            else:
                response.set_cookie(
                    name, value, max_age=max_age, path="/", secure=secure, httponly=True, samesite="lax"
                )
        return response


def _csrf_key() -> bytes:
    secret = get_settings().secret_key.encode()
    return hmac.new(secret, b"redsteward:web-csrf", hashlib.sha256).digest()


def _csrf_token(secret: str) -> str:
    return hmac.new(_csrf_key(), secret.encode(), hashlib.sha256).hexdigest()[:40]


async def open_visit(request: Request, runner: Runner) -> Visit:
    visit = Visit(request=request, viewer=Viewer())
    csrf = request.cookies.get(CSRF_COOKIE, "")
    if not (20 <= len(csrf) <= 64 and csrf.isascii()):
        csrf = secrets.token_urlsafe(24)
        # A session cookie (no max-age): the forms of a page opened today work until the browser
        # closes; the value carries no authority by itself.
        visit._cookies.append((CSRF_COOKIE, csrf, None))
    visit.csrf_secret = csrf
    raw = request.cookies.get(SESSION_COOKIE, "")
    access, _, refresh = raw.partition(_SEPARATOR)
    if not access or not refresh:
        return visit
    try:
        user_id = decode_access_token(access).user_id
    except NotAuthenticated:
        refreshed = await runner.run(
            request, Viewer(), "RefreshSession", {"input": {"refreshToken": refresh}}, client="app"
        )
        if not refreshed.ok or not refreshed.payload.get("accessToken"):
            visit.expired = True
            visit.sign_out()
            return visit
        await visit.sign_in(refreshed.payload)
        return visit
    visit.access_token, visit.refresh_token = access, refresh
    visit.viewer = await load_viewer(user_id)
    return visit


def check_csrf(visit: Visit, form: Any) -> None:
    """Refuse a form post that does not come from one of our pages."""
    origin = visit.request.headers.get("origin")
    if origin and origin != "null":
        host = visit.request.headers.get("host", "")
        if urlsplit(origin).netloc != host:
            raise CsrfRefused("another site")
    sent = form.get(CSRF_FIELD)
    if not isinstance(sent, str) or not visit.csrf_secret:
        raise CsrfRefused("no token")
    if visit.csrf_secret != visit.request.cookies.get(CSRF_COOKIE):
        raise CsrfRefused("no cookie")  # the secret was made for this request: nothing was shown
    if not hmac.compare_digest(sent, _csrf_token(visit.csrf_secret)):
        raise CsrfRefused("bad token")
