"""The inbox: who hears about what happens to reports, written in the same transaction.

Repairers of a community hear of new orders; the reporter (and the resident a proxy report is
for) hears of every step of their report; the repairer hears of confirmations and reopenings;
staff hear of escalations; every volunteer of a community hears of an emergency call-out staff
declare (`emergency.declared`). A subscriber of services.events writes the rows, so a notification
exists exactly when the change that caused it committed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from models.enums import Role
from models.people import MembershipRole
from models.places import Community
from models.reports import Notification
from models.teams import TeamMember
from runtime import clock
from services.access import Viewer
from services.events import DomainEvent, subscribe, unsubscribe
from services.notifications import inbox_bus
from services.paging import Page

CATEGORY_WORDS = {
    "lighting": "lighting",
    "plumbing": "plumbing",
    "electrical": "electrical",
    "illegal_construction": "illegal construction",
    "snow_ice": "snow/ice",
    "sanitation": "sanitation",
    "parking": "parking",
    "public_facility": "public facility",
    "safety_hazard": "safety hazard",
    "other": "other",
}


async def _role_holders(community_id: int, role: Role) -> list[int]:
    rows: list[Any] = await MembershipRole.filter(community_id=community_id, role=role).values_list(
        "membership__user_id", flat=True
    )
    return sorted({int(r) for r in rows})


def _reporters(event: DomainEvent) -> set[int]:
    return {u for u in (event.data.get("reporter_user_id"), event.data.get("proxy_for_user_id")) if u}


async def _write(event: DomainEvent, user_ids: Iterable[int], text: str) -> None:
    # Only report events point at a report; a call-out's subject is the emergency.
    report_id = event.subject_id if event.name.startswith("report.") else None
    await tell(event.community_id, event.name, user_ids, text, event.actor_user_id, report_id)


async def tell(
    community_id: int,
    event_name: str,
    user_ids: Iterable[int],
    text: str,
    actor_user_id: int | None = None,
    report_id: int | None = None,
) -> None:
    """Write inbox rows (and wake live streams) in the caller's transaction; other workflows
    (services.district's dispatches) tell people through here too."""
    # Nobody is told about what they did themselves.
    wanted = sorted({u for u in user_ids if u and u != actor_user_id})
    if not wanted:
        return
    now = clock.now()
    await Notification.bulk_create(
        [
            Notification(
                user_id=user_id,
                community_id=community_id,
                report_id=report_id,
                event=event_name,
                text=text[:300],
                created_at=now,
            )
            for user_id in wanted
        ]
    )
    await inbox_bus.announce(wanted)


async def on_report_event(event: DomainEvent) -> None:
    what = CATEGORY_WORDS.get(str(event.data.get("category")), "a")
    number = f"#{event.subject_id}"
    repairer = event.data.get("repairer_user_id")
    if event.name == "report.opened":
        await _write(
            event, await _role_holders(event.community_id, Role.REPAIRER), f"New {what} order {number}."
        )
    elif event.name == "report.claimed":
        await _write(event, _reporters(event), f"Your {what} report {number} was claimed by a repairer.")
    elif event.name == "report.resolved":
        await _write(
            event, _reporters(event), f"Your {what} report {number} is fixed: please confirm or reopen it."
        )
    elif event.name == "report.confirmed":
        how = "confirmed itself after 7 days" if event.data.get("auto") else "was confirmed"
        await _write(event, [repairer] if repairer else [], f"Order {number} {how}.")
    elif event.name == "report.reopened":
        await _write(
            event, [repairer] if repairer else [], f"Order {number} was reopened: it is not fixed yet."
        )
    elif event.name == "report.rejected":
        await _write(
            event,
            _reporters(event) | ({repairer} if repairer else set()),
            f"Report {number} was closed as {event.data.get('reason')}.",
        )
    elif event.name == "report.cancelled":
        await _write(event, [repairer] if repairer else [], f"Report {number} was cancelled.")
    elif event.name == "report.escalated":
        where = "the community coordinator" if event.data.get("escalation_level") == 1 else "the district"
        await _write(
            event,
            await _role_holders(event.community_id, Role.STAFF),
            f"Order {number} escalated to {where}.",
        )


async def _volunteers(community_id: int) -> list[int]:
    """Everyone who volunteers here: holders of the volunteer or captain role, and team members."""
    with_role: list[Any] = await MembershipRole.filter(
        community_id=community_id, role__in=[Role.VOLUNTEER, Role.CAPTAIN]
    ).values_list("membership__user_id", flat=True)
    in_teams: list[Any] = await TeamMember.filter(community_id=community_id).values_list("user_id", flat=True)
    return sorted({int(u) for u in (*with_role, *in_teams)})


def _local(value: str, zone: str) -> str:
    return datetime.fromisoformat(value).astimezone(ZoneInfo(zone)).strftime("%m-%d %H:%M")


async def on_emergency_declared(event: DomainEvent) -> None:
    zone = (await Community.get(id=event.community_id)).timezone
    window = f"{_local(event.data['starts_at'], zone)}–{_local(event.data['ends_at'], zone)}"
    await _write(
        event,
        await _volunteers(event.community_id),
        f"Emergency call-out: {event.data['title']}, {window}. Open activities take everyone's check-in.",
    )


REPORT_EVENTS = (
    "report.opened",
    "report.claimed",
    "report.resolved",
    "report.confirmed",
    "report.reopened",
    "report.rejected",
    "report.cancelled",
    "report.escalated",
)


def install() -> None:
    for name in REPORT_EVENTS:
        subscribe(name, on_report_event)
    subscribe("emergency.declared", on_emergency_declared)


def uninstall() -> None:
    for name in REPORT_EVENTS:
        unsubscribe(name, on_report_event)
    unsubscribe("emergency.declared", on_emergency_declared)


# ── the inbox ───────────────────────────────────────────────────────────────────────────


async def inbox_page(
    viewer: Viewer, first: int, after_id: int | None, unread_only: bool
) -> Page[Notification]:
    query = Notification.filter(user_id=viewer.user_id)
    if unread_only:
        query = query.filter(read_at__isnull=True)
    if after_id is not None:
        query = query.filter(id__lt=after_id)
    rows = await query.order_by("-id").limit(first + 1)
    return Page(rows[:first], len(rows) > first)


async def newest_id(viewer: Viewer) -> int:
    """The id of the viewer's newest notification; 0 for an empty inbox (ids start at 1)."""
    newest = await Notification.filter(user_id=viewer.user_id).order_by("-id").first()
    return newest.id if newest else 0


async def inbox_count(viewer: Viewer, unread_only: bool) -> int:
    query = Notification.filter(user_id=viewer.user_id)
    if unread_only:
        query = query.filter(read_at__isnull=True)
    return await query.count()


async def mark_read(viewer: Viewer, notification_ids: Sequence[int] | None) -> int:
    """Mark some (or, with None, all) of the viewer's notifications read; others' ids are ignored."""
    query = Notification.filter(user_id=viewer.user_id, read_at__isnull=True)
    if notification_ids is not None:
        query = query.filter(id__in=list(notification_ids))
    return await query.update(read_at=clock.now())
