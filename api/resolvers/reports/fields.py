"""Fields of Report and Notification, and rows → schema objects.

A Report object exists only after `services.reports.queries.get_report` (or a listing with the same
check) let the viewer see it; its nested fields inherit that check and add their own where a
field is narrower (proxy details: staff only; the reporter's name: staff and the reporter).
"""

from __future__ import annotations

import asyncio
import base64
from enum import StrEnum
from typing import TYPE_CHECKING

from api.context import Info
from api.ids import decode_cursor
from api.schema.common import Connection
from api.schema.connections import connection
from api.schema.places import types as place_types
from models import reports as report_models
from runtime.i18n import Label, Text
from runtime.labels import word
from services.paging import clamp_first
from services.reports import queries as report_queries
from services.reports.photos import photo_link

if TYPE_CHECKING:
    # For annotations only: the schema types import this module at load time.
    from api.schema.accounts import types as people_types
    from api.schema.reports import types


def report(row: report_models.Report) -> types.Report:
    # Imported here: the schema types import this module, so a top-level import is a cycle.
    from api.schema.reports import types

    return types.Report(
        id=row.id,
        category=row.category,
        text=row.text,
        state=row.state,
        created_at=row.created_at,
        updated_at=row.updated_at,
        claim_due_at=row.claim_due_at,
        resolve_due_at=row.resolve_due_at,
        escalation_level=row.escalation_level,
        claimed_at=row.claimed_at,
        resolved_at=row.resolved_at,
        closed_at=row.closed_at,
        resolution_note=row.resolution_note,
        rating=row.rating,
        comment=row.comment,
        auto_confirmed=row.auto_confirmed,
        reject_reason=row.reject_reason,
        reopen_count=row.reopen_count,
        is_proxy=row.proxy_for_id is not None,
        row=row,
    )


def notification(row: report_models.Notification) -> types.Notification:
    # Imported here: the schema types import this module, so a top-level import is a cycle.
    from api.schema.reports import types

    return types.Notification(
        id=row.id,
        event=row.event,
        message=Text.from_stored(row.text_id, row.text_params, row.text),
        created_at=row.created_at,
        read_at=row.read_at,
        report_id=row.report_id,
    )


def word_of(value: StrEnum, info: Info) -> str:
    """An enum value in words, in the caller's language (runtime.labels), never the raw value."""
    said = word(value)
    return said.render(info.context.language) if isinstance(said, Label) else said


def notification_text(root: types.Notification, info: Info) -> str:
    """The inbox line in the caller's language (the row keeps the message id and parameters)."""
    return root.message.render(info.context.language)


def event_note(root: types.ReportEvent, info: Info) -> str:
    return root.note_text.render(info.context.language)


async def _user(info: Info, user_id: int | None) -> people_types.User | None:
    # Imported here: the schema types import this module, so a top-level import is a cycle.
    from api.schema.accounts import types as people_types

    if user_id is None:
        return None
    row = await info.context.loaders.accounts.user_by_id.load(user_id)
    return people_types.User(id=row.id, display_name=row.display_name) if row else None


async def place_of(root: types.Report, info: Info) -> place_types.Place:
    row = root.row
    return await place_types.place_at(info, row.compound_id, row.building_id, row.entrance_id)


async def place_label_of(root: types.Report, info: Info) -> str:
    """The place in full ("休闲小区 4号楼 2单元"): a list of reports from many compounds is useless
    with "2单元" alone. The place columns are filled down to the level filed at, so the three
    names are three batched loads for a whole page of reports."""
    loaders, row = info.context.loaders.places, root.row
    compound, building, entrance = await asyncio.gather(
        loaders.compound_by_id.load(row.compound_id),
        loaders.building_by_id.load(row.building_id) if row.building_id is not None else _none(),
        loaders.entrance_by_id.load(row.entrance_id) if row.entrance_id is not None else _none(),
    )
    return " ".join(place.name for place in (compound, building, entrance) if place is not None)


async def _none() -> None:
    return None


def asset_id_of(root: types.Report) -> str | None:
    asset_id = root.row.asset_id
    return base64.b64encode(f"Asset:{asset_id}".encode()).decode() if asset_id is not None else None


async def reporter_name_of(root: types.Report, info: Info) -> str:
    user = await info.context.loaders.accounts.user_by_id.load(root.row.reporter_id)
    name = user.display_name if user else ""
    return (
        name if report_queries.sees_reporter(info.context.viewer, root.row) else report_queries.initials(name)
    )


def reported_by_me(root: types.Report, info: Info) -> bool:
    return report_queries.is_reporter(info.context.viewer, root.row)


async def proxy_for_of(root: types.Report, info: Info) -> people_types.User | None:
    if not info.context.viewer.is_staff(root.row.community_id):
        return None
    return await _user(info, root.row.proxy_for_id)


def proxy_channel_of(root: types.Report, info: Info) -> str | None:
    if not info.context.viewer.is_staff(root.row.community_id) or not root.row.proxy_channel:
        return None
    return root.row.proxy_channel


async def claimed_by_of(root: types.Report, info: Info) -> people_types.User | None:
    return await _user(info, root.row.claimed_by_id)


async def me_too_by_me(root: types.Report, info: Info) -> bool:
    viewer = info.context.viewer
    if viewer.user is None:
        return False
    return await info.context.loaders.reports.me_too_by_report_and_user.load((root.id, viewer.user.id))


async def materials_of(root: types.Report, info: Info) -> list[types.ReportMaterial]:
    # Imported here: the schema types import this module, so a top-level import is a cycle.
    from api.schema.reports import types

    rows = await info.context.loaders.reports.materials_by_report.load(root.id)
    return [
        types.ReportMaterial(item=r.item, brand_model=r.brand_model, quantity=r.quantity, cost=r.cost)
        for r in rows
    ]


async def photos_of(root: types.Report, info: Info) -> list[types.ReportPhoto]:
    # Imported here: the schema types import this module, so a top-level import is a cycle.
    from api.schema.reports import types

    rows = await info.context.loaders.reports.photos_by_report.load(root.id)
    return [
        types.ReportPhoto(
            id=r.id,
            kind=r.kind,
            content_type=r.content_type,
            width=r.width,
            height=r.height,
            size=r.size,
            url=photo_link(r.id),
            created_at=r.created_at,
        )
        for r in rows
    ]


async def timeline_of(
    root: types.Report, info: Info, first: int | None, after: str | None
) -> Connection[types.ReportEvent]:
    # Imported here: the schema types import this module, so a top-level import is a cycle.
    from api.schema.reports import types

    loaders = info.context.loaders.reports
    size, after_id = clamp_first(first), decode_cursor(after)
    page = await loaders.events_by_report.load((root.id, size, after_id))
    actor_ids = sorted({e.actor_id for e in page.items if e.actor_id is not None})
    users = await info.context.loaders.accounts.user_by_id.load_many(actor_ids)
    names = {uid: (user.display_name if user else "") for uid, user in zip(actor_ids, users, strict=True)}
    hide_reporter = not report_queries.sees_reporter(info.context.viewer, root.row)
    reporters = {root.row.reporter_id, root.row.proxy_for_id}

    def convert(row: report_models.ReportEvent) -> types.ReportEvent:
        name = names.get(row.actor_id) if row.actor_id is not None else None
        if name is not None and hide_reporter and row.actor_id in reporters:
            name = report_queries.initials(name)
        return types.ReportEvent(
            id=row.id,
            kind=row.kind,
            from_state=row.from_state,
            to_state=row.to_state,
            escalation_level=row.escalation_level,
            note_text=Text.from_stored(row.note_id, row.note_params, row.note),
            created_at=row.created_at,
            actor_name=name,
        )

    return connection(
        page.items, page.has_next, convert, lambda: loaders.event_count_by_report.load(root.id), after_id
    )


async def report_of_notification(root: types.Notification, info: Info) -> types.Report | None:
    if root.report_id is None:
        return None
    row = await info.context.loaders.reports.report_by_id.load(root.report_id)
    if row is None or not info.context.viewer.is_member(row.community_id):
        return None
    return report(row)
