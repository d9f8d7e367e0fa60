"""Domain events: what happened, published once by the service that made it happen.

Subscribers run inside the publisher's database transaction, so a consequence that must not be
lost (points paid for a validated report, an inbox notification written) commits or rolls back
together with the change that caused it. Anything that talks to the outside world (pushing to
subscriptions) reads what those subscribers stored, after commit.

Names are `<subject>.<verb>`: `report.opened`, `report.claimed`, `report.resolved`,
`report.confirmed`, `report.rejected`, `report.reopened`, `report.cancelled`,
`attendance.approved`, `inspection.recorded`, ...
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from runtime import clock


@dataclass(frozen=True)
class DomainEvent:
    name: str
    community_id: int
    subject_id: int  # the id of the report, attendance, inspection … the name speaks of
    actor_user_id: int | None
    data: Mapping[str, Any] = field(default_factory=dict)
    occurred_at: datetime = field(default_factory=clock.now)


Handler = Callable[[DomainEvent], Awaitable[None]]

_handlers: dict[str, list[Handler]] = defaultdict(list)


def subscribe(name: str, handler: Handler) -> None:
    if handler not in _handlers[name]:
        _handlers[name].append(handler)


def is_subscribed(name: str, handler: Handler) -> bool:
    return handler in _handlers.get(name, [])


def unsubscribe(name: str, handler: Handler) -> None:
    if handler in _handlers.get(name, []):
        _handlers[name].remove(handler)


async def publish(event: DomainEvent) -> None:
    """Call inside the transaction that made the change; a failing subscriber fails the change."""
    for handler in list(_handlers.get(event.name, [])) + list(_handlers.get("*", [])):
        await handler(event)
