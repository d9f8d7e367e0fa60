"""The rest of the office's work: abuse flags, inspections, round tables, surveys, rules and
clocks, point reversals, invites, the notice board."""

from __future__ import annotations

from collections.abc import Callable

from starlette.routing import Route

from api.web.core import Handler


def routes(page: Callable[[str, Handler, tuple[str, ...]], Route]) -> list[Route]:
    return []
