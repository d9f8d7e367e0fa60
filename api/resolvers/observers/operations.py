"""Home observers (家园观察员): resolvers of the area's queries and mutations."""

from __future__ import annotations

import strawberry

from api.context import Info
from api.ids import decode_global_id, decode_global_ids, decode_time_cursor, encode_time_cursor
from api.photos import read_uploads
from api.resolvers.mediation_room import mapping as case_mapping
from api.resolvers.observers import mapping
from api.resolvers.opinions.operations import opinion_of
from api.resolvers.payloads import guarded
from api.schema.common import Connection
from api.schema.connections import connection
from api.schema.observers import inputs, types
from services import observers
from services.paging import clamp_first


def _community(value: str) -> int:
    return decode_global_id(value, "Community", "communityId")


async def observer_posts(info: Info, community_id: strawberry.ID) -> list[types.ObserverPost]:
    viewer = info.context.viewer
    viewer.require_user()
    return await mapping.posts(await observers.posts(viewer, _community(community_id)))


async def observer_visits(
    info: Info,
    community_id: strawberry.ID,
    compound_id: strawberry.ID | None = None,
    first: int | None = None,
    after: str | None = None,
    month: str | None = None,
) -> Connection[types.ObserverVisit]:
    viewer, cid = info.context.viewer, _community(community_id)
    viewer.require_user()
    compound = decode_global_id(compound_id, "Compound", "compoundId") if compound_id is not None else None
    # Visits come by visit time, then id: the cursor carries both (api.ids.encode_time_cursor).
    size, start = clamp_first(first), decode_time_cursor(after)
    # Refused before the month is read: an outsider learns nothing, not even a bad month.
    observers.require_observer_or_office(viewer, cid)
    span = await observers.month_of(cid, month) if month is not None else None
    rows = await observers.visits(viewer, cid, compound, size, start, span)
    page = rows[:size]
    mapped = {row.id: node for row, node in zip(page, await mapping.visits(viewer, page), strict=True)}
    return connection(
        page,
        len(rows) > size,
        lambda row: mapped[row.id],
        lambda: observers.visit_count(viewer, cid, compound, span),
        start,
        cursor_of=lambda row: encode_time_cursor(row.visited_at, row.id),
    )


async def observer_month_counts(
    info: Info, community_id: strawberry.ID, month: str
) -> types.ObserverMonthCounts:
    viewer = info.context.viewer
    viewer.require_user()
    found = await observers.month_counts(viewer, _community(community_id), month)
    return types.ObserverMonthCounts(
        month=found.month,
        visits=found.visits,
        opinions_collected=found.opinions_collected,
        opinions_taken_up=found.opinions_taken_up,
        disputes_stepped_into=found.disputes_stepped_into,
        disputes_settled_on_spot=found.disputes_settled_on_spot,
        disputes_referred=found.disputes_referred,
    )


async def observer_appoint(info: Info, input: inputs.ObserverAppointInput) -> inputs.ObserverAppointPayload:
    async def work() -> inputs.ObserverAppointPayload:
        viewer = info.context.viewer
        viewer.require_user()
        compound = await observers.compound_of(
            viewer, decode_global_id(input.compound_id, "Compound", "compoundId")
        )
        post = await observers.appoint(viewer, compound, decode_global_id(input.user_id, "User", "userId"))
        return inputs.ObserverAppointPayload(post=(await mapping.posts([post]))[0])

    return await guarded(inputs.ObserverAppointPayload, work())


async def observer_visit_record(
    info: Info, input: inputs.ObserverVisitRecordInput
) -> inputs.ObserverVisitPayload:
    async def work() -> inputs.ObserverVisitPayload:
        viewer = info.context.viewer
        viewer.require_user()
        compound = await observers.compound_of(
            viewer, decode_global_id(input.compound_id, "Compound", "compoundId")
        )
        photos = await read_uploads(input.photos, "photos")
        visit = await observers.record_visit(
            viewer, compound, input.visited_at, input.spot, input.seen, input.idempotency_key, photos
        )
        return inputs.ObserverVisitPayload(visit=(await mapping.visits(viewer, [visit]))[0])

    return await guarded(inputs.ObserverVisitPayload, work())


async def observer_opinion_take(
    info: Info, input: inputs.ObserverOpinionTakeInput
) -> inputs.ObserverOpinionTakePayload:
    async def work() -> inputs.ObserverOpinionTakePayload:
        viewer = info.context.viewer
        visit = await observers.visit_for(
            viewer, decode_global_id(input.visit_id, "ObserverVisit", "visitId")
        )
        row = await observers.take_opinion(viewer, visit, input.kind, input.topic, input.text)
        return inputs.ObserverOpinionTakePayload(opinion=opinion_of(row, viewer, set()))

    return await guarded(inputs.ObserverOpinionTakePayload, work())


async def observer_dispute_step_in(
    info: Info, input: inputs.ObserverDisputeStepInInput
) -> inputs.ObserverDisputeStepInPayload:
    async def work() -> inputs.ObserverDisputeStepInPayload:
        viewer = info.context.viewer
        visit = await observers.visit_for(
            viewer, decode_global_id(input.visit_id, "ObserverVisit", "visitId")
        )
        row = await observers.step_in(viewer, visit, input.category, input.summary, input.settled_on_spot)
        return inputs.ObserverDisputeStepInPayload(intervention=mapping.intervention(row))

    return await guarded(inputs.ObserverDisputeStepInPayload, work())


async def observer_dispute_refer(
    info: Info, input: inputs.ObserverDisputeReferInput
) -> inputs.ObserverDisputeReferPayload:
    async def work() -> inputs.ObserverDisputeReferPayload:
        viewer = info.context.viewer
        row = await observers.intervention_for(
            viewer, decode_global_id(input.intervention_id, "DisputeIntervention", "interventionId")
        )
        case = await observers.refer(
            viewer,
            row,
            decode_global_ids(input.party_household_ids, "Household", "partyHouseholdIds"),
            decode_global_ids(input.mediator_ids, "User", "mediatorIds"),
        )
        return inputs.ObserverDisputeReferPayload(case=await case_mapping.case(case))

    return await guarded(inputs.ObserverDisputeReferPayload, work())


async def observer_stand_down(
    info: Info, input: inputs.ObserverStandDownInput
) -> inputs.ObserverStandDownPayload:
    async def work() -> inputs.ObserverStandDownPayload:
        viewer = info.context.viewer
        viewer.require_user()
        compound = await observers.compound_of(
            viewer, decode_global_id(input.compound_id, "Compound", "compoundId")
        )
        await observers.stand_down(
            viewer, compound, decode_global_id(input.user_id, "User", "userId"), input.reason
        )
        return inputs.ObserverStandDownPayload(stood_down=True)

    return await guarded(inputs.ObserverStandDownPayload, work())
