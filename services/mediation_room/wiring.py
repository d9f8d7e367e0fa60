"""The anonymous mediation log of a mediation team's activity (settled + category) counts as a
case without names, in the log's own transaction: the room's counts read cases only."""

from __future__ import annotations

from models.teams import MediationCategory
from services import events
from services.events import DomainEvent
from services.mediation_room import record_from_log

EVENT = "mediation.logged"


async def on_mediation_logged(event: DomainEvent) -> None:
    await record_from_log(
        event.community_id,
        event.subject_id,
        MediationCategory(event.data["category"]),
        bool(event.data["settled"]),
    )


def install() -> None:
    events.subscribe(EVENT, on_mediation_logged)


def uninstall() -> None:
    events.unsubscribe(EVENT, on_mediation_logged)
