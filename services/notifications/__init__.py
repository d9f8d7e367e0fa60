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

from models.enums import ReportCategory, Role
from models.people import MembershipRole
from models.places import Community
from models.reports import Notification, RejectReason, ReportMeToo
from models.teams import TeamMember
from runtime import clock
from runtime.database import fetch, insert_many
from runtime.i18n import N_, Text
from runtime.labels import word
from services.access import Viewer
from services.events import DomainEvent, subscribe, unsubscribe
from services.notifications import inbox_bus
from services.paging import Page
from services.places.labels import report_label

# Hand-written, as the inserts below: every report filed and escalated reads it.
_ROLE_HOLDERS = (
    'SELECT DISTINCT m."user_id" FROM "membership_role" r JOIN "membership" m ON m."id" = r."membership_id" '
    'WHERE r."community_id" = $1 AND r."role" = $2'
)


async def _role_holders(community_id: int, role: Role) -> list[int]:
    rows = await fetch(_ROLE_HOLDERS, [community_id, role.value])
    return sorted(int(row["user_id"]) for row in rows)


def _reporters(event: DomainEvent) -> set[int]:
    return {u for u in (event.data.get("reporter_user_id"), event.data.get("proxy_for_user_id")) if u}


async def _me_too(event: DomainEvent) -> set[int]:
    """People who said "me too" wait for the same fix as the reporter."""
    rows: list[Any] = await ReportMeToo.filter(report_id=event.subject_id).values_list("user_id", flat=True)
    return {int(u) for u in rows}


async def _write(event: DomainEvent, user_ids: Iterable[int], text: Text) -> None:
    # Only report events point at a report; a call-out's subject is the emergency.
    report_id = event.subject_id if event.name.startswith("report.") else None
    await tell(event.community_id, event.name, user_ids, text, event.actor_user_id, report_id)


async def tell(
    community_id: int,
    event_name: str,
    user_ids: Iterable[int],
    text: Text,
    actor_user_id: int | None = None,
    report_id: int | None = None,
) -> None:
    """Write inbox rows (and wake live streams) in the caller's transaction; other workflows
    (services.district's dispatches) tell people through here too."""
    # Nobody is told about what they did themselves.
    wanted = sorted({u for u in user_ids if u and u != actor_user_id})
    if not wanted:
        return
    if report_id is not None:
        # A repairer must know where to go: 105 entrances share four names, so the full label.
        text = text.headed(await report_label(report_id))
    now = clock.now()
    # The row keeps the message id and parameters, rendered in each reader's language when read
    # (api), and the English text for logs and readers that predate the ids.
    params = text.params_json()
    written = str(text)[:300]
    await insert_many(
        Notification,
        [
            {
                "user_id": user_id,
                "community_id": community_id,
                "report_id": report_id,
                "event": event_name,
                "text_id": text.msgid,
                "text_params": params,
                "text": written,
                "created_at": now,
                "read_at": None,
            }
            for user_id in wanted
        ],
    )
    await inbox_bus.announce(wanted)


async def on_report_event(event: DomainEvent) -> None:
    number = event.subject_id
    category = word(str(event.data.get("category")), ReportCategory)
    repairer = event.data.get("repairer_user_id")
    if event.name == "report.opened":
        await _write(
            event,
            await _role_holders(event.community_id, Role.REPAIRER),
            Text(N_("New {category} order #{number}."), {"category": category, "number": number}),
        )
    elif event.name == "report.claimed":
        await _write(
            event,
            _reporters(event) | await _me_too(event),
            Text(
                N_("Your {category} report #{number} was claimed by a repairer."),
                {"category": category, "number": number},
            ),
        )
    elif event.name == "report.resolved":
        await _write(
            event,
            _reporters(event) | await _me_too(event),
            Text(
                N_("Your {category} report #{number} is fixed: please confirm or reopen it."),
                {"category": category, "number": number},
            ),
        )
    elif event.name == "report.confirmed":
        if event.data.get("auto"):
            text = Text(N_("Order #{number} confirmed itself after 7 days."), {"number": number})
        else:
            text = Text(N_("Order #{number} was confirmed."), {"number": number})
        # The repairer hears their work was accepted; me-too people that it is settled.
        await _write(event, ({repairer} if repairer else set()) | await _me_too(event), text)
    elif event.name == "report.reopened":
        await _write(
            event,
            [repairer] if repairer else [],
            Text(N_("Order #{number} was reopened: it is not fixed yet."), {"number": number}),
        )
    elif event.name == "report.rejected":
        await _write(
            event,
            _reporters(event) | ({repairer} if repairer else set()),
            Text(
                N_("Report #{number} was closed as {reason}."),
                {"number": number, "reason": word(str(event.data.get("reason")), RejectReason)},
            ),
        )
    elif event.name == "report.cancelled":
        await _write(
            event,
            [repairer] if repairer else [],
            Text(N_("Report #{number} was cancelled."), {"number": number}),
        )
    elif event.name == "report.escalated":
        if event.data.get("escalation_level") == 1:
            text = Text(N_("Order #{number} escalated to the community coordinator."), {"number": number})
        else:
            text = Text(N_("Order #{number} escalated to the district."), {"number": number})
        await _write(event, await _role_holders(event.community_id, Role.STAFF), text)


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
        Text(
            N_("Emergency call-out: {title}, {window}. Open activities take everyone's check-in."),
            {"title": event.data["title"], "window": window},
        ),
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
