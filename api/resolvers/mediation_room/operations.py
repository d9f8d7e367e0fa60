"""The mediation room (红色调解室): resolvers of the area's queries and mutations."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import strawberry
from strawberry import relay

from api.context import Info
from api.ids import decode_cursor, decode_global_id, decode_global_ids
from api.resolvers.mediation_room import mapping
from api.resolvers.payloads import guarded
from api.schema.common import Connection
from api.schema.connections import connection
from api.schema.mediation_room import inputs, types
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
    states: list[CaseState] | None = None,
) -> Connection[types.MediationCase]:
    viewer, cid = info.context.viewer, _community(community_id)
    viewer.require_user()
    size, before_id = clamp_first(first), decode_cursor(after)
    rows = await mediation_room.cases(viewer, cid, state, size, before_id, states)
    page = rows[:size]
    mapped = {row.id: node for row, node in zip(page, await mapping.cases(page), strict=True)}
    return connection(
        page,
        len(rows) > size,
        lambda row: mapped[row.id],
        lambda: mediation_room.case_count(viewer, cid, state, states),
        before_id,
    )


async def appointment_events(
    info: Info, community_id: strawberry.ID, first: int | None = None, after: str | None = None
) -> Connection[types.AppointmentEvent]:
    viewer, cid = info.context.viewer, _community(community_id)
    viewer.require_user()
    size, before_id = clamp_first(first), decode_cursor(after)
    rows = await mediation_room.appointment_history(viewer, cid, size, before_id)
    page = rows[:size]
    mapped = {row.id: node for row, node in zip(page, await mapping.appointments(page), strict=True)}
    return connection(
        page,
        len(rows) > size,
        lambda row: mapped[row.id],
        lambda: mediation_room.appointment_count(viewer, cid),
        before_id,
    )


async def mediators(info: Info, community_id: strawberry.ID) -> list[types.Mediator]:
    viewer = info.context.viewer
    viewer.require_user()
    return [
        types.Mediator(
            user=relay.GlobalID("User", str(m.user_id)), display_name=m.display_name, open_cases=m.open_cases
        )
        for m in await mediation_room.mediators(viewer, _community(community_id))
    ]


async def mediation_case(info: Info, id: strawberry.ID) -> types.MediationCase:
    return await mapping.case(await _case(info.context.viewer, id))


async def mediation_counts(
    info: Info, community_id: strawberry.ID, year: int | None = None
) -> types.MediationCounts:
    viewer, cid = info.context.viewer, _community(community_id)
    viewer.require_member(cid)
    timezone = await timezone_of(cid)
    chosen = (
        mediation_room.check_year(year) if year is not None else clock.now().astimezone(zone(timezone)).year
    )
    return mapping.counts(await mediation_room.counts(cid, chosen, timezone))


async def mediator_appoint(info: Info, input: inputs.MediatorAppointInput) -> inputs.MediatorAppointPayload:
    async def work() -> inputs.MediatorAppointPayload:
        viewer = info.context.viewer
        viewer.require_user()
        await mediation_room.appoint_mediator(
            viewer, _community(input.community_id), decode_global_id(input.user_id, "User", "userId")
        )
        return inputs.MediatorAppointPayload(appointed=True)

    return await guarded(inputs.MediatorAppointPayload, work())


async def mediation_case_open(
    info: Info, input: inputs.MediationCaseOpenInput
) -> inputs.MediationCasePayload:
    async def work() -> inputs.MediationCasePayload:
        viewer = info.context.viewer
        viewer.require_user()
        row = await mediation_room.open_case(
            viewer,
            _community(input.community_id),
            input.category,
            input.summary,
            decode_global_ids(input.party_household_ids, "Household", "partyHouseholdIds"),
            decode_global_ids(input.mediator_ids, "User", "mediatorIds"),
            input.idempotency_key,
        )
        return inputs.MediationCasePayload(case=await mapping.case(row))

    return await guarded(inputs.MediationCasePayload, work())


async def mediation_session_record(
    info: Info, input: inputs.MediationSessionRecordInput
) -> inputs.MediationSessionPayload:
    async def work() -> inputs.MediationSessionPayload:
        viewer = info.context.viewer
        case = await _case(viewer, input.case_id)
        row = await mediation_room.record_session(
            viewer, case, input.held_on, input.attended, input.notes, input.idempotency_key
        )
        await case.refresh_from_db()
        return inputs.MediationSessionPayload(session=mapping.session(row), case=await mapping.case(case))

    return await guarded(inputs.MediationSessionPayload, work())


def _step(
    value: str, step: Callable[[Viewer, MediationCase], Awaitable[MediationCase]], info: Info
) -> Awaitable[inputs.MediationCasePayload]:
    async def work() -> inputs.MediationCasePayload:
        viewer = info.context.viewer
        row = await step(viewer, await _case(viewer, value))
        return inputs.MediationCasePayload(case=await mapping.case(row))

    return guarded(inputs.MediationCasePayload, work())


async def mediation_agreement_record(
    info: Info, input: inputs.MediationAgreementRecordInput
) -> inputs.MediationCasePayload:
    return await _step(
        input.case_id,
        lambda viewer, case: mediation_room.record_agreement(viewer, case, input.agreement, input.signed_on),
        info,
    )


async def mediation_follow_up_record(
    info: Info, input: inputs.MediationFollowUpRecordInput
) -> inputs.MediationCasePayload:
    return await _step(
        input.case_id,
        lambda viewer, case: mediation_room.record_follow_up(viewer, case, input.visited_on, input.note),
        info,
    )


async def mediation_case_close(
    info: Info, input: inputs.MediationCaseCloseInput
) -> inputs.MediationCasePayload:
    return await _step(
        input.case_id,
        lambda viewer, case: mediation_room.close(viewer, case, CaseState(input.outcome.value), input.note),
        info,
    )


async def mediator_stand_down(
    info: Info, input: inputs.MediatorStandDownInput
) -> inputs.MediatorStandDownPayload:
    async def work() -> inputs.MediatorStandDownPayload:
        viewer = info.context.viewer
        viewer.require_user()
        await mediation_room.stand_down_mediator(
            viewer,
            _community(input.community_id),
            decode_global_id(input.user_id, "User", "userId"),
            input.reason,
        )
        return inputs.MediatorStandDownPayload(stood_down=True)

    return await guarded(inputs.MediatorStandDownPayload, work())


async def mediation_case_mediators_set(
    info: Info, input: inputs.MediationCaseMediatorsSetInput
) -> inputs.MediationCasePayload:
    return await _step(
        input.case_id,
        lambda viewer, case: mediation_room.set_mediators(
            viewer, case, [decode_global_id(u, "User", "mediatorIds") for u in input.mediator_ids]
        ),
        info,
    )
