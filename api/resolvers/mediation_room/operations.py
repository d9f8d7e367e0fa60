"""The mediation room (红色调解室): resolvers of the area's queries and mutations."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import strawberry

from api.context import Info
from api.ids import decode_cursor, decode_global_id
from api.resolvers.connections import connection
from api.resolvers.mediation_room import mapping
from api.resolvers.payloads import guarded
from api.schema.common import Connection
from api.schema.mediation_room import inputs as i
from api.schema.mediation_room import types as t
from models.mediation_room import CaseState, MediationCase
from points_engine.localtime import timezone_of, zone
from runtime import clock
from services import mediation_room
from services.access import Viewer
from services.paging import clamp_first


def _community(value: str) -> int:
    return decode_global_id(value, "Community", "communityId")


async def _case(viewer: Viewer, value: str) -> MediationCase:
    return await mediation_room.case_for(viewer, decode_global_id(value, "MediationCase", "caseId"))


async def mediation_cases(
    info: Info,
    community_id: strawberry.ID,
    state: CaseState | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Connection[t.MediationCase]:
    viewer, cid = info.context.viewer, _community(community_id)
    viewer.require_user()
    size, before_id = clamp_first(first), decode_cursor(after)
    rows = await mediation_room.cases(viewer, cid, state, size, before_id)
    page = rows[:size]
    mapped = {row.id: node for row, node in zip(page, await mapping.cases(page), strict=True)}
    return connection(
        page,
        len(rows) > size,
        lambda row: mapped[row.id],
        lambda: mediation_room.case_count(viewer, cid, state),
        before_id,
    )


async def mediation_case(info: Info, id: strawberry.ID) -> t.MediationCase:
    return await mapping.case(await _case(info.context.viewer, id))


async def mediation_counts(
    info: Info, community_id: strawberry.ID, year: int | None = None
) -> t.MediationCounts:
    viewer, cid = info.context.viewer, _community(community_id)
    viewer.require_member(cid)
    timezone = await timezone_of(cid)
    chosen = (
        mediation_room.check_year(year) if year is not None else clock.now().astimezone(zone(timezone)).year
    )
    return mapping.counts(await mediation_room.counts(cid, chosen, timezone))


async def mediator_appoint(info: Info, input: i.MediatorAppointInput) -> i.MediatorAppointPayload:
    async def work() -> i.MediatorAppointPayload:
        viewer = info.context.viewer
        viewer.require_user()
        await mediation_room.appoint_mediator(
            viewer, _community(input.community_id), decode_global_id(input.user_id, "User", "userId")
        )
        return i.MediatorAppointPayload(appointed=True)

    return await guarded(i.MediatorAppointPayload, work())


async def mediation_case_open(info: Info, input: i.MediationCaseOpenInput) -> i.MediationCasePayload:
    async def work() -> i.MediationCasePayload:
        viewer = info.context.viewer
        viewer.require_user()
        row = await mediation_room.open_case(
            viewer,
            _community(input.community_id),
            input.category,
            input.summary,
            [decode_global_id(h, "Household", "partyHouseholdIds") for h in input.party_household_ids],
            [decode_global_id(u, "User", "mediatorIds") for u in input.mediator_ids],
        )
        return i.MediationCasePayload(case=await mapping.case(row))

    return await guarded(i.MediationCasePayload, work())


async def mediation_session_record(
    info: Info, input: i.MediationSessionRecordInput
) -> i.MediationSessionPayload:
    async def work() -> i.MediationSessionPayload:
        viewer = info.context.viewer
        case = await _case(viewer, input.case_id)
        row = await mediation_room.record_session(
            viewer, case, input.held_on, input.attended, input.notes, input.idempotency_key
        )
        await case.refresh_from_db()
        return i.MediationSessionPayload(session=mapping.session(row), case=await mapping.case(case))

    return await guarded(i.MediationSessionPayload, work())


def _step(
    value: str, step: Callable[[Viewer, MediationCase], Awaitable[MediationCase]], info: Info
) -> Awaitable[i.MediationCasePayload]:
    async def work() -> i.MediationCasePayload:
        viewer = info.context.viewer
        row = await step(viewer, await _case(viewer, value))
        return i.MediationCasePayload(case=await mapping.case(row))

    return guarded(i.MediationCasePayload, work())


async def mediation_agreement_record(
    info: Info, input: i.MediationAgreementRecordInput
) -> i.MediationCasePayload:
    return await _step(
        input.case_id,
        lambda viewer, case: mediation_room.record_agreement(viewer, case, input.agreement, input.signed_on),
        info,
    )


async def mediation_follow_up_record(
    info: Info, input: i.MediationFollowUpRecordInput
) -> i.MediationCasePayload:
    return await _step(
        input.case_id,
        lambda viewer, case: mediation_room.record_follow_up(viewer, case, input.visited_on, input.note),
        info,
    )


async def mediation_case_close(info: Info, input: i.MediationCaseCloseInput) -> i.MediationCasePayload:
    return await _step(
        input.case_id,
        lambda viewer, case: mediation_room.close(viewer, case, CaseState(input.outcome.value), input.note),
        info,
    )
