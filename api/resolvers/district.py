"""Streets, districts, departments, dispatches and the outpost: decode ids, call services, map rows.

A page of dispatches is mapped with a fixed number of reads (streets, districts, departments,
timelines), whatever its size."""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable, Sequence

import strawberry

from api.context import Info
from api.ids import decode_cursor, decode_global_id
from api.photos import read_uploads
from api.resolvers.connections import connection
from api.resolvers.payloads import guarded
from api.schema.common import Connection
from api.schema.district import inputs as i
from api.schema.district import types as s
from models.district import Department, Dispatch, District, DistrictRole, Street
from services.access import Viewer
from services.district import dispatch as flow
from services.district import outpost, rollup
from services.errors import DomainError
from services.paging import clamp_first


def _gid(type_name: str, row_id: int) -> strawberry.ID:
    return strawberry.ID(base64.b64encode(f"{type_name}:{row_id}".encode()).decode())


async def _names(model: type[Street] | type[District] | type[Department], ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {row["id"]: row["name"] for row in await model.filter(id__in=sorted(ids)).values("id", "name")}


async def dispatch_types(viewer: Viewer, rows: Sequence[Dispatch]) -> list[s.Dispatch]:
    steps = await flow.timeline([r.id for r in rows])
    streets = await _names(Street, {r.street_id for r in rows})
    districts = await _names(District, {r.district_id for r in rows})
    departments = await _names(
        Department,
        {r.department_id for r in rows if r.department_id}
        | {e.department_id for events in steps.values() for e in events if e.department_id},
    )
    me = viewer.user.id if viewer.user else None
    return [
        s.Dispatch(
            id=_gid("Dispatch", r.id),
            state=r.state,
            source=r.source,
            category=r.category,
            text=r.text,
            address=r.address,
            latitude=r.latitude,
            longitude=r.longitude,
            district_name=districts[r.district_id],
            street_name=streets[r.street_id],
            department_name=departments.get(r.department_id) if r.department_id else None,
            report_id=_gid("Report", r.report_id) if r.report_id else None,
            mine=r.reporter_id == me,
            street_claim_due_at=r.street_claim_due_at,
            department_claim_due_at=r.department_claim_due_at,
            fix_due_at=r.fix_due_at,
            street_claimed_at=r.street_claimed_at,
            dispatched_at=r.dispatched_at,
            department_claimed_at=r.department_claimed_at,
            fed_back_at=r.fed_back_at,
            feedback_note=r.feedback_note,
            send_back_reason=r.send_back_reason,
            rating=r.rating,
            created_at=r.created_at,
            timeline=[
                s.DispatchStep(
                    kind=e.kind,
                    from_state=e.from_state,
                    to_state=e.to_state,
                    department_name=departments.get(e.department_id) if e.department_id else None,
                    note=e.note,
                    at=e.created_at,
                )
                for e in steps[r.id]
            ],
        )
        for r in rows
    ]


def _dispatch_id(value: str) -> int:
    return decode_global_id(value, "Dispatch", "dispatchId")


def _district_id(value: str) -> int:
    return decode_global_id(value, "District", "districtId")


async def _one(info: Info, work: Callable[[Viewer], Awaitable[Dispatch]]) -> s.DispatchPayload:
    async def run() -> s.DispatchPayload:
        viewer = info.context.viewer
        viewer.require_user()
        row = await work(viewer)
        return s.DispatchPayload(dispatch=(await dispatch_types(viewer, [row]))[0])

    return await guarded(s.DispatchPayload, run())


# ── mutations ────────────────────────────────────────────────────────────────────────────


async def report_refer(info: Info, input: i.ReportReferInput) -> s.DispatchPayload:
    return await _one(
        info, lambda v: flow.refer(v, decode_global_id(input.report_id, "Report", "reportId"), input.note)
    )


async def outpost_report(info: Info, input: i.OutpostReportInput) -> s.OutpostReportPayload:
    async def work() -> s.OutpostReportPayload:
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
        return s.OutpostReportPayload(
            dispatch=(await dispatch_types(viewer, [snapped.dispatch]))[0] if snapped.dispatch else None,
            report_id=_gid("Report", snapped.report.id) if snapped.report else None,
        )

    return await guarded(s.OutpostReportPayload, work())


async def dispatch_street_claim(info: Info, input: i.DispatchInput) -> s.DispatchPayload:
    return await _one(info, lambda v: flow.street_claim(v, _dispatch_id(input.dispatch_id)))


async def dispatch_assign(info: Info, input: i.DispatchAssignInput) -> s.DispatchPayload:
    return await _one(
        info,
        lambda v: flow.assign(
            v,
            _dispatch_id(input.dispatch_id),
            decode_global_id(input.department_id, "Department", "departmentId"),
            input.note or "",
        ),
    )


async def dispatch_send_back(info: Info, input: i.DispatchReasonInput) -> s.DispatchPayload:
    return await _one(info, lambda v: flow.send_back(v, _dispatch_id(input.dispatch_id), input.reason))


async def dispatch_department_claim(info: Info, input: i.DispatchInput) -> s.DispatchPayload:
    return await _one(info, lambda v: flow.department_claim(v, _dispatch_id(input.dispatch_id)))


async def dispatch_dispute(info: Info, input: i.DispatchReasonInput) -> s.DispatchPayload:
    return await _one(info, lambda v: flow.dispute(v, _dispatch_id(input.dispatch_id), input.reason))


async def dispatch_feedback(info: Info, input: i.DispatchFeedbackInput) -> s.DispatchPayload:
    async def work(viewer: Viewer) -> Dispatch:
        photos = await read_uploads(input.photos, "photos")
        return await flow.feed_back(viewer, _dispatch_id(input.dispatch_id), input.note, photos)

    return await _one(info, work)


async def dispatch_confirm(info: Info, input: i.DispatchConfirmInput) -> s.DispatchPayload:
    return await _one(
        info, lambda v: flow.confirm(v, _dispatch_id(input.dispatch_id), input.rating, input.comment or "")
    )


# ── queries ──────────────────────────────────────────────────────────────────────────────


async def my_district_roles(info: Info) -> list[s.DistrictRoleHeld]:
    viewer = info.context.viewer
    viewer.require_user()
    rows = await DistrictRole.filter(user_id=viewer.user_id).order_by("id")
    districts = await _names(District, {r.district_id for r in rows})
    streets = await _names(Street, {r.street_id for r in rows if r.street_id})
    departments = await _names(Department, {r.department_id for r in rows if r.department_id})
    return [
        s.DistrictRoleHeld(
            role=r.role,
            district_id=_gid("District", r.district_id),
            district_name=districts[r.district_id],
            street_id=_gid("Street", r.street_id) if r.street_id else None,
            street_name=streets.get(r.street_id) if r.street_id else None,
            department_id=_gid("Department", r.department_id) if r.department_id else None,
            department_name=departments.get(r.department_id) if r.department_id else None,
        )
        for r in rows
    ]


async def dispatch(info: Info, id: strawberry.ID) -> s.Dispatch | None:
    viewer = info.context.viewer
    viewer.require_user()
    try:
        row = await flow.get_dispatch(viewer, decode_global_id(id, "Dispatch", "id"), "id")
    except DomainError:
        return None
    return (await dispatch_types(viewer, [row]))[0]


async def dispatch_queue(
    info: Info, queue: s.DispatchQueue, first: int | None = None, after: str | None = None
) -> Connection[s.Dispatch]:
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


async def outpost_ranking(info: Info, district_id: strawberry.ID, month: str) -> list[s.OutpostRankRow]:
    viewer = info.context.viewer
    rollup.month_bounds(month, "Asia/Shanghai")  # a typed error for a malformed month
    rows = await outpost.ranking(viewer, _district_id(district_id), month)
    return [
        s.OutpostRankRow(rank=r.rank, name=r.name, title=r.title, points=r.points, snaps=r.snaps)
        for r in rows
    ]


def _rate(rate: rollup.Rate) -> s.OnTimeRate:
    return s.OnTimeRate(on_time=rate.on_time, total=rate.total, percent=rate.percent)


def _counts(by_state: dict[str, int]) -> list[s.StateCount]:
    return [s.StateCount(state=k, count=v) for k, v in sorted(by_state.items())]


async def district_rollup(info: Info, district_id: strawberry.ID, month: str) -> list[s.DistrictRollupRow]:
    viewer = info.context.viewer
    rows = await rollup.rollup(viewer, _district_id(district_id), month)
    return [
        s.DistrictRollupRow(
            street_id=_gid("Street", r.street_id) if r.street_id else None,
            name=r.name,
            reports_by_state=_counts(r.reports_by_state),
            dispatches_by_state=_counts(r.dispatches_by_state),
            community_claim=_rate(r.community_claim),
            community_fix=_rate(r.community_fix),
            street_claim=_rate(r.street_claim),
            department_claim=_rate(r.department_claim),
            department_fix=_rate(r.department_fix),
            satisfaction=r.satisfaction,
        )
        for r in rows
    ]


async def district_rollup_csv(info: Info, district_id: strawberry.ID, month: str) -> str:
    viewer = info.context.viewer
    return rollup.as_csv(await rollup.rollup(viewer, _district_id(district_id), month))
