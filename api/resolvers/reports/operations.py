"""Resolvers of the report queries and mutations: decode ids, read uploads, call services."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from api.context import Info
from api.ids import decode_cursor, decode_global_id, decode_global_ids, encode_cursor, split_global_id
from api.photos import read_uploads
from api.resolvers.payloads import guarded, rate_checked, retry_after_header
from api.schema.common import Connection, ErrorCode, UserError
from api.schema.connections import connection
from api.schema.reports import inputs, types
from models import places as place_models
from models.reports import Report
from runtime.i18n import N_
from services import notifications, places, reports
from services.access import UserName
from services.errors import DomainError, DuplicateReport, RateLimited
from services.notifications import inbox_bus
from services.paging import Page, clamp_first
from services.reports import clocks as report_clocks
from services.reports import queries as report_queries

PLACES: dict[str, type[Any]] = {
    "Compound": place_models.Compound,
    "Building": place_models.Building,
    "Entrance": place_models.Entrance,
}


def _report_id(value: str) -> int:
    return decode_global_id(value, "Report", "reportId")


def _connection(
    page: Page[Any], convert: Callable[[Any], Any], count: Callable[[], Awaitable[int]], after: int | None
) -> Any:
    return connection(page.items, page.has_next, convert, count, after)


def _prime_opened(
    info: Info,
    filed: reports.Filed,
    place: place_models.Compound | place_models.Building | place_models.Entrance,
) -> None:
    """A report this request opened has nothing yet but what the request wrote: hand its answer's
    fields to the loaders rather than read back six things (a quarter of reportCreate's
    statements). A replayed key's report is read as usual: it may have gathered me-toos since."""
    loaders, report_id = info.context.loaders, filed.report.id
    caller = info.context.viewer.require_user()
    loaders.reports.me_too_count_by_report.prime(report_id, 0)
    loaders.reports.me_too_by_report_and_user.prime((report_id, caller.id), False)
    loaders.reports.materials_by_report.prime(report_id, [])
    loaders.reports.photos_by_report.prime(report_id, list(filed.photos))
    loaders.accounts.user_by_id.prime(caller.id, UserName(id=caller.id, display_name=caller.display_name))
    by_type: dict[type[Any], Any] = {
        place_models.Compound: loaders.places.compound_by_id,
        place_models.Building: loaders.places.building_by_id,
        place_models.Entrance: loaders.places.entrance_by_id,
    }
    by_type[type(place)].prime(place.id, place)


# ── queries ──────────────────────────────────────────────────────────────────────────────


async def report(info: Info, id: str) -> types.Report | None:
    viewer = info.context.viewer
    viewer.require_user()
    try:
        return types.Report.of(
            await report_queries.get_report(viewer, decode_global_id(id, "Report", "id"), "id")
        )
    except DomainError:
        return None


async def my_reports(info: Info, first: int | None, after: str | None) -> Connection[types.Report]:
    viewer = info.context.viewer
    viewer.require_user()
    size, after_id = clamp_first(first), decode_cursor(after)
    page = await report_queries.my_reports(viewer, size, after_id)
    return _connection(page, types.Report.of, lambda: report_queries.my_report_count(viewer), after_id)


async def report_queue(
    info: Info, community_id: str, queue: report_queries.ReportQueue, first: int | None, after: str | None
) -> Connection[types.Report]:
    viewer = info.context.viewer
    viewer.require_user()
    cid = decode_global_id(community_id, "Community", "communityId")
    size, after_id = clamp_first(first), decode_cursor(after)
    page = await report_queries.queue_page(viewer, cid, queue, size, after_id)
    return _connection(
        page, types.Report.of, lambda: report_queries.queue_count(viewer, cid, queue), after_id
    )


async def my_inbox(
    info: Info, first: int | None, after: str | None, unread_only: bool
) -> Connection[types.Notification]:
    viewer = info.context.viewer
    viewer.require_user()
    size, after_id = clamp_first(first), decode_cursor(after)
    page = await notifications.inbox_page(viewer, size, after_id, unread_only)
    return _connection(
        page, types.Notification.of, lambda: notifications.inbox_count(viewer, unread_only), after_id
    )


async def my_unread_count(info: Info) -> int:
    viewer = info.context.viewer
    viewer.require_user()
    return await notifications.inbox_count(viewer, unread_only=True)


async def my_inbox_cursor(info: Info) -> str:
    viewer = info.context.viewer
    viewer.require_user()
    return encode_cursor(await notifications.newest_id(viewer))


async def notifications_added(info: Info, after: str | None) -> AsyncIterator[types.Notification]:
    viewer = info.context.viewer
    user = viewer.require_user()
    async for row in inbox_bus.watch(user.id, decode_cursor(after)):
        yield types.Notification.of(row)


# ── mutations ────────────────────────────────────────────────────────────────────────────


async def report_create(info: Info, input: inputs.ReportCreateInput) -> inputs.ReportCreatePayload:
    viewer = info.context.viewer
    viewer.require_user()
    try:
        type_name, _ = split_global_id(input.place_id, "placeId")
        if type_name not in PLACES:
            # An id of another kind is a malformed placeId (api.ids), not a place that is gone.
            raise DomainError(
                ErrorCode.INVALID_INPUT, N_("Report at a compound, building or entrance."), "placeId"
            )
        place = await places.get_place(
            viewer, PLACES[type_name], decode_global_id(input.place_id, type_name, "placeId"), "placeId"
        )
        await rate_checked(info, "report", None)
        filed = await reports.file_report(
            viewer,
            place,
            input.category,
            input.text,
            photos=await read_uploads(input.photos, "photos"),
            asset_id=decode_global_id(input.asset_id, "Asset", "assetId") if input.asset_id else None,
            idempotency_key=input.idempotency_key,
            proxy_for_user_id=(
                decode_global_id(input.proxy_for_id, "User", "proxyForId") if input.proxy_for_id else None
            ),
            proxy_channel=input.proxy_channel or "",
        )
        if filed.opened_now:
            _prime_opened(info, filed, place)
        return inputs.ReportCreatePayload(report=types.Report.of(filed.report))
    except DomainError as exc:
        payload = inputs.ReportCreatePayload(errors=[UserError.of(exc)])
        if isinstance(exc, DuplicateReport):
            existing = await Report.get(id=exc.existing_report_id)
            payload.existing_report = types.Report.of(existing)
        if isinstance(exc, RateLimited):
            payload.retry_after_seconds = exc.retry_after_seconds
            retry_after_header(info, exc)
        return payload


async def _transition(work: Callable[[], Awaitable[Report]]) -> inputs.ReportPayload:
    async def run() -> inputs.ReportPayload:
        return inputs.ReportPayload(report=types.Report.of(await work()))

    return await guarded(inputs.ReportPayload, run())


async def report_me_too(info: Info, input: inputs.ReportInput) -> inputs.ReportPayload:
    return await _transition(lambda: reports.me_too(info.context.viewer, _report_id(input.report_id)))


async def report_claim(info: Info, input: inputs.ReportInput) -> inputs.ReportPayload:
    return await _transition(lambda: reports.claim(info.context.viewer, _report_id(input.report_id)))


async def report_resolve(info: Info, input: inputs.ReportResolveInput) -> inputs.ReportPayload:
    async def work() -> Report:
        materials = [
            reports.MaterialInput(item=x.item, brand_model=x.brand_model, quantity=x.quantity, cost=x.cost)
            for x in input.materials
        ]
        return await reports.resolve(
            info.context.viewer,
            _report_id(input.report_id),
            input.note,
            await read_uploads(input.photos, "photos"),
            materials,
        )

    return await _transition(work)


async def report_confirm(info: Info, input: inputs.ReportConfirmInput) -> inputs.ReportPayload:
    return await _transition(
        lambda: reports.confirm(info.context.viewer, _report_id(input.report_id), input.rating, input.comment)
    )


async def report_reopen(info: Info, input: inputs.ReportReopenInput) -> inputs.ReportPayload:
    return await _transition(
        lambda: reports.reopen(info.context.viewer, _report_id(input.report_id), input.reason)
    )


async def report_reject(info: Info, input: inputs.ReportRejectInput) -> inputs.ReportPayload:
    return await _transition(
        lambda: reports.reject(info.context.viewer, _report_id(input.report_id), input.reason, input.note)
    )


async def report_cancel(info: Info, input: inputs.ReportCancelInput) -> inputs.ReportPayload:
    return await _transition(
        lambda: reports.cancel(info.context.viewer, _report_id(input.report_id), input.note)
    )


async def report_clocks_set(info: Info, input: inputs.ReportClocksSetInput) -> inputs.ReportClocksSetPayload:
    async def work() -> inputs.ReportClocksSetPayload:
        community_id = decode_global_id(input.community_id, "Community", "communityId")
        clocks = await report_clocks.set_clocks(
            info.context.viewer, community_id, input.category, input.claim_minutes, input.resolve_minutes
        )
        return inputs.ReportClocksSetPayload(
            clocks=inputs.ReportClocks(
                category=input.category,
                claim_minutes=clocks.claim_minutes,
                resolve_minutes=clocks.resolve_minutes,
            )
        )

    return await guarded(inputs.ReportClocksSetPayload, work())


async def notification_mark_read(
    info: Info, input: inputs.NotificationMarkReadInput
) -> inputs.NotificationMarkReadPayload:
    async def work() -> inputs.NotificationMarkReadPayload:
        viewer = info.context.viewer
        viewer.require_user()
        ids = decode_global_ids(input.ids, "Notification", "ids") if input.ids is not None else None
        marked = await notifications.mark_read(viewer, ids)
        return inputs.NotificationMarkReadPayload(
            marked=marked, unread_count=await notifications.inbox_count(viewer, unread_only=True)
        )

    return await guarded(inputs.NotificationMarkReadPayload, work())
