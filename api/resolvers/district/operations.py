"""Root fields of the district area (streets, districts, departments, dispatches, the outpost):
decode ids, call a service, map its rows (api.resolvers.district.mapping)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import strawberry

from api.context import Info
from api.ids import decode_cursor, decode_global_id
from api.photos import read_uploads
from api.resolvers.district.mapping import (
    dispatch_types,
    district_report,
    gid,
    rank_row,
    reward_book,
    roles_held,
    rollup_row,
)
from api.resolvers.district.mapping import reward as reward_line
from api.resolvers.payloads import guarded
from api.schema.common import Connection
from api.schema.connections import connection
from api.schema.district import inputs, types
from models.district import Dispatch, DistrictRole
from models.reports import ReportState
from services.access import Viewer
from services.district import dispatch as flow
from services.district import outpost, rewards, rollup
from services.district import reports as district_reports
from services.errors import DomainError
from services.paging import clamp_first


def _dispatch_id(value: str) -> int:
    return decode_global_id(value, "Dispatch", "dispatchId")


def _district_id(value: str) -> int:
    return decode_global_id(value, "District", "districtId")


async def _one(info: Info, work: Callable[[Viewer], Awaitable[Dispatch]]) -> types.DispatchPayload:
    async def run() -> types.DispatchPayload:
        viewer = info.context.viewer
        viewer.require_user()
        row = await work(viewer)
        return types.DispatchPayload(dispatch=(await dispatch_types(viewer, [row]))[0])

    return await guarded(types.DispatchPayload, run())


# ── mutations ────────────────────────────────────────────────────────────────────────────


async def report_refer(info: Info, input: inputs.ReportReferInput) -> types.DispatchPayload:
    return await _one(
        info, lambda v: flow.refer(v, decode_global_id(input.report_id, "Report", "reportId"), input.note)
    )


async def outpost_report(info: Info, input: inputs.OutpostReportInput) -> types.OutpostReportPayload:
    async def work() -> types.OutpostReportPayload:
        viewer = info.context.viewer
        viewer.require_user()
        photos = await read_uploads(input.photos, "photos")
        snapped = await outpost.snap(
            viewer,
            _district_id(input.district_id),
            input.category,
            input.text,
            photos,
            tag_code=input.tag_code,
            latitude=input.latitude,
            longitude=input.longitude,
            address=input.address or "",
            idempotency_key=input.idempotency_key,
        )
        return types.OutpostReportPayload(
            dispatch=(await dispatch_types(viewer, [snapped.dispatch]))[0] if snapped.dispatch else None,
            report_id=gid("Report", snapped.report.id) if snapped.report else None,
        )

    return await guarded(types.OutpostReportPayload, work())


async def dispatch_street_claim(info: Info, input: inputs.DispatchInput) -> types.DispatchPayload:
    return await _one(info, lambda v: flow.street_claim(v, _dispatch_id(input.dispatch_id)))


async def dispatch_assign(info: Info, input: inputs.DispatchAssignInput) -> types.DispatchPayload:
    return await _one(
        info,
        lambda v: flow.assign(
            v,
            _dispatch_id(input.dispatch_id),
            decode_global_id(input.department_id, "Department", "departmentId"),
            input.note or "",
        ),
    )


async def dispatch_send_back(info: Info, input: inputs.DispatchReasonInput) -> types.DispatchPayload:
    return await _one(info, lambda v: flow.send_back(v, _dispatch_id(input.dispatch_id), input.reason))


async def dispatch_department_claim(info: Info, input: inputs.DispatchInput) -> types.DispatchPayload:
    return await _one(info, lambda v: flow.department_claim(v, _dispatch_id(input.dispatch_id)))


async def dispatch_dispute(info: Info, input: inputs.DispatchReasonInput) -> types.DispatchPayload:
    return await _one(info, lambda v: flow.dispute(v, _dispatch_id(input.dispatch_id), input.reason))


async def dispatch_feedback(info: Info, input: inputs.DispatchFeedbackInput) -> types.DispatchPayload:
    async def work(viewer: Viewer) -> Dispatch:
        photos = await read_uploads(input.photos, "photos")
        return await flow.feed_back(viewer, _dispatch_id(input.dispatch_id), input.note, photos)

    return await _one(info, work)


async def dispatch_confirm(info: Info, input: inputs.DispatchConfirmInput) -> types.DispatchPayload:
    return await _one(
        info, lambda v: flow.confirm(v, _dispatch_id(input.dispatch_id), input.rating, input.comment or "")
    )


# ── queries ──────────────────────────────────────────────────────────────────────────────


async def my_district_roles(info: Info) -> list[types.DistrictRoleHeld]:
    viewer = info.context.viewer
    viewer.require_user()
    return await roles_held(await DistrictRole.filter(user_id=viewer.user_id).order_by("id"))


async def dispatch(info: Info, id: strawberry.ID) -> types.Dispatch | None:
    viewer = info.context.viewer
    viewer.require_user()
    try:
        row = await flow.get_dispatch(viewer, decode_global_id(id, "Dispatch", "id"), "id")
    except DomainError:
        return None
    return (await dispatch_types(viewer, [row]))[0]


async def dispatch_queue(
    info: Info, queue: types.DispatchQueue, first: int | None = None, after: str | None = None
) -> Connection[types.Dispatch]:
    viewer = info.context.viewer
    viewer.require_user()
    size, after_id = clamp_first(first), decode_cursor(after)
    page = await flow.queue(viewer, queue.value, size, after_id)
    mapped = {
        row.id: typed for row, typed in zip(page.items, await dispatch_types(viewer, page.items), strict=True)
    }

    async def count() -> int:
        return len(page.items)  # the queue's page; queues are short (what waits now)

    return connection(page.items, page.has_next, lambda row: mapped[row.id], count, after)


async def district_reports_page(
    info: Info,
    district_id: strawberry.ID,
    street_id: strawberry.ID | None = None,
    community_id: strawberry.ID | None = None,
    states: list[ReportState] | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Connection[types.DistrictReport]:
    viewer = info.context.viewer
    viewer.require_user()
    size, after_id = clamp_first(first), decode_cursor(after)
    listing = await district_reports.reports(
        viewer,
        _district_id(district_id),
        street_id=decode_global_id(street_id, "Street", "streetId") if street_id else None,
        community_id=decode_global_id(community_id, "Community", "communityId") if community_id else None,
        states=states,
        first=size,
        after_id=after_id,
    )
    mapped = {seen.report.id: district_report(seen) for seen in listing.seen}
    return connection(
        listing.page.items, listing.page.has_next, lambda row: mapped[row.id], listing.count, after_id
    )


async def outpost_ranking(info: Info, district_id: strawberry.ID, month: str) -> list[types.OutpostRankRow]:
    viewer = info.context.viewer
    rollup.month_bounds(month, "Asia/Shanghai")  # a typed error for a malformed month
    return [rank_row(r) for r in await outpost.ranking(viewer, _district_id(district_id), month)]


async def outpost_rewards(info: Info, district_id: strawberry.ID, month: str) -> types.OutpostRewardBook:
    book = await rewards.book(info.context.viewer, _district_id(district_id), month)
    return reward_book(book, info.context.language)


async def _reward_payload(
    info: Info, record: Callable[[Viewer], Awaitable[rewards.BookLine]]
) -> types.OutpostRewardPayload:
    """The reward a call recorded, as its line of the month's book."""

    async def run() -> types.OutpostRewardPayload:
        viewer = info.context.viewer
        viewer.require_user()
        return types.OutpostRewardPayload(reward=reward_line(await record(viewer)))

    return await guarded(types.OutpostRewardPayload, run())


async def outpost_reward_pay(info: Info, input: inputs.OutpostRewardPayInput) -> types.OutpostRewardPayload:
    return await _reward_payload(
        info,
        lambda viewer: rewards.pay(
            viewer,
            _district_id(input.district_id),
            input.month,
            decode_global_id(input.user_id, "User", "userId"),
            input.amount_fen,
        ),
    )


async def outpost_reward_reverse(
    info: Info, input: inputs.OutpostRewardReverseInput
) -> types.OutpostRewardPayload:
    reward_id = decode_global_id(input.outpost_reward_id, "OutpostReward", "outpostRewardId")
    return await _reward_payload(info, lambda viewer: rewards.reverse(viewer, reward_id, input.reason))


async def district_rollup(
    info: Info, district_id: strawberry.ID, month: str
) -> list[types.DistrictRollupRow]:
    viewer = info.context.viewer
    return [rollup_row(r) for r in await rollup.rollup(viewer, _district_id(district_id), month)]


async def district_rollup_csv(info: Info, district_id: strawberry.ID, month: str) -> str:
    viewer = info.context.viewer
    rows = await rollup.rollup(viewer, _district_id(district_id), month)
    return rollup.as_csv(rows, info.context.language)
