"""Domain events → the points engine. The engine may not import services, so the subscription
lives here and is registered when the app starts (api.app) and by tests that publish events.

What each event's `data` must carry (the publisher's side of the contract):

| event | pays | data |
|---|---|---|
| `attendance.approved` | the volunteer: base + per minute | `user_id`, `minutes`, `activity_kind` |
| `report.claimed`, `report.resolved` | the reporter, once per report | `reporter_user_id` |
| `report.confirmed` | the repairer: base + bonuses | `repairer_user_id`, `within_clock`, `rating` |

The repairer is credited only when the fix is confirmed (by the reporter, or by itself after 7
days; `rating` is None then), never on resolving alone: an unconfirmed "fix" earns nothing.
A repair that trips an abuse signal (services.abuse: the same two people again and again, or a
repairer's own household) is held for staff instead of paid; `report.opened` feeds the burst signal.
| `report.rejected` | takes back what the report paid | — |
| `inspection.recorded` | the cleaner | `cleaner_user_id` (else the actor) |
| `ranking.closed` | monthly ranking bonus | `period` (YYYY-MM), `ranks`: [{`user_id`, `rank`}] |

Handlers run inside the publisher's transaction, so points and the change that earned them commit
together. An event missing the person to pay is logged and pays nobody rather than failing the
publisher's change.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from points_engine import earning
from points_engine.errors import PointsError
from services import abuse
from services.events import DomainEvent, Handler, subscribe, unsubscribe

log = logging.getLogger("redsteward.points")


def _user(data: Mapping[str, Any], *names: str, fallback: int | None = None) -> int | None:
    for name in names:
        value = data.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return fallback


def _missing(event: DomainEvent, what: str) -> None:
    log.warning("event names no one to pay", extra={"event": event.name, "missing": what})


async def on_attendance_approved(event: DomainEvent) -> None:
    user_id = _user(event.data, "user_id", "volunteer_user_id")
    if user_id is None:
        return _missing(event, "user_id")
    await _pay(
        earning.attendance_approved(
            event.community_id,
            event.subject_id,
            user_id,
            int(event.data.get("minutes", 0)),
            event.data.get("activity_kind"),
            event.occurred_at,
        )
    )


async def on_report_validated(event: DomainEvent) -> None:
    user_id = _user(event.data, "reporter_user_id")
    if user_id is None:
        return _missing(event, "reporter_user_id")
    await _pay(earning.report_validated(event.community_id, event.subject_id, user_id, event.occurred_at))


async def on_report_confirmed(event: DomainEvent) -> None:
    user_id = _user(event.data, "repairer_user_id")
    if user_id is None:
        return _missing(event, "repairer_user_id")
    if await abuse.hold_repair(event):
        return
    within = bool(event.data.get("within_clock", False))
    await _pay(
        earning.repair_resolved(event.community_id, event.subject_id, user_id, within, event.occurred_at)
    )
    rating = event.data.get("rating")
    if isinstance(rating, int) and not isinstance(rating, bool):
        await _pay(
            earning.repair_rated(event.community_id, event.subject_id, user_id, rating, event.occurred_at)
        )


async def on_report_rejected(event: DomainEvent) -> None:
    await earning.report_rejected(event.community_id, event.subject_id, event.actor_user_id)


async def on_inspection_recorded(event: DomainEvent) -> None:
    user_id = _user(event.data, "cleaner_user_id", "user_id", fallback=event.actor_user_id)
    if user_id is None:
        return _missing(event, "cleaner_user_id")
    await _pay(earning.inspection_recorded(event.community_id, event.subject_id, user_id, event.occurred_at))


async def on_ranking_closed(event: DomainEvent) -> None:
    period = str(event.data.get("period", ""))
    for entry in event.data.get("ranks", ()):
        await _pay(
            earning.ranking_bonus(event.community_id, period, int(entry["user_id"]), int(entry["rank"]))
        )


async def _pay(work: Any) -> None:
    try:
        await work
    except PointsError as exc:
        # A person who left the community earns nothing; the work they did still stands.
        log.warning("points not paid", extra={"code": str(exc.code)})


HANDLERS: dict[str, list[Handler]] = {
    "report.opened": [abuse.on_report_opened],
    "attendance.approved": [on_attendance_approved],
    "report.claimed": [on_report_validated],
    "report.resolved": [on_report_validated],
    "report.confirmed": [on_report_confirmed],
    "report.rejected": [on_report_rejected],
    "inspection.recorded": [on_inspection_recorded],
    "ranking.closed": [on_ranking_closed],
}


def register() -> None:
    for name, handlers in HANDLERS.items():
        for handler in handlers:
            subscribe(name, handler)


def unregister() -> None:
    for name, handlers in HANDLERS.items():
        for handler in handlers:
            unsubscribe(name, handler)
