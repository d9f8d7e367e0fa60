"""The caller's language at the API's edge: read from the request, used to render texts.

Services raise and store texts as message ids with parameters (runtime.i18n.Text); this module
picks the language the caller asked for (`Accept-Language`, or for a WebSocket the connection's
headers or its connection_init payload) and renders a text in it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from runtime.i18n import CHINESE, N_, Text, negotiate
from services.errors import DomainError, Forbidden, NotAuthenticated

# How a language is named in HTTP (BCP 47) rather than in gettext's catalogs.
CONTENT_LANGUAGE = {CHINESE: "zh-Hans"}


def request_language(request: Request | WebSocket) -> str:
    return negotiate(request.headers.get("accept-language"))


def connection_language(params: Mapping[str, object] | None, current: str) -> str:
    """A WebSocket client may name its language in connection_init (a browser cannot set headers
    on a WebSocket): `{"Accept-Language": "en"}`, or inside `"headers"` as Apollo's clients send
    them. Without one, the upgrade request's header (`current`) stands."""
    if not params:
        return current
    places: list[Mapping[str, object]] = [params]
    headers = params.get("headers")
    if isinstance(headers, Mapping):
        places.append(headers)
    for place in places:
        for key, value in place.items():
            if isinstance(key, str) and key.lower() in {"accept-language", "language"} and value:
                return negotiate(str(value))
    return current


def say(error: DomainError | NotAuthenticated | Forbidden, language: str) -> str:
    """An error's message in the caller's language."""
    return error.text.render(language)


def mark_language(response: Response | WebSocket | None, language: str) -> None:
    """Tell caches the answer depends on Accept-Language, and the client which language it got."""
    if isinstance(response, Response):
        response.headers["content-language"] = CONTENT_LANGUAGE.get(language, language)
        vary = response.headers.get("vary")
        if not vary or "accept-language" not in vary.lower():
            response.headers["vary"] = f"{vary}, Accept-Language" if vary else "Accept-Language"


# The limits strawberry and graphql-core enforce for us write their refusals in English; these are
# the same refusals as texts of ours (the English kept word for word), so a caller reads them in
# their language. The patterns match
# the libraries' wording (tests/api/i18n pins it: a library that rewords fails there, not here).
_LIMITS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^(?:Syntax Error: )?Document contains more than (?P<limit>\d+) tokens\."),
        N_("Document contains more than {limit} tokens."),
    ),
    (
        re.compile(r"^'(?P<operation>[^']*)' exceeds maximum operation depth of (?P<limit>\d+)$"),
        N_("'{operation}' exceeds maximum operation depth of {limit}"),
    ),
    (
        re.compile(r"^(?P<count>\d+) aliases found\. Allowed: (?P<limit>\d+)$"),
        N_("{count} aliases found. Allowed: {limit}"),
    ),
)


def limit_text(message: str, extensions: Mapping[str, Any] | None) -> Text | None:
    """The text of a refusal by one of the document limits, or None for any other message. Our own
    rules put their Text in the error's extensions (`text`)."""
    carried = (extensions or {}).get("text")
    if isinstance(carried, Text):
        return carried
    for pattern, msgid in _LIMITS:
        found = pattern.match(message)
        if found:
            return Text(msgid, found.groupdict())
    return None
