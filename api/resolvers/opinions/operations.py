"""Opinions (居民意见): members' suggestions and complaints, and how the office ends them.

Resolvers of the queries and mutations of the area."""

from __future__ import annotations

import strawberry

from api.context import Info
from api.ids import decode_cursor, decode_global_id
from api.resolvers.payloads import guarded
from api.schema.common import Connection
from api.schema.connections import connection
from api.schema.opinions import types
from models.voice import Opinion as OpinionRow
from models.voice import OpinionStatus
from services import opinions
from services.access import Viewer
from services.paging import clamp_first


def _community(value: str) -> int:
    return decode_global_id(value, "Community", "communityId")


def opinion_of(row: OpinionRow, viewer: Viewer, supported: set[int]) -> types.Opinion:
    return types.Opinion(
        id=row.id,
        kind=row.kind,
        topic=row.topic,
        text=row.text,
        status=row.status,
        support_count=row.support_count,
        answer=row.answer,
        action=row.action,
        answered_at=row.answered_at,
        done_at=row.done_at,
        created_at=row.created_at,
        is_mine=viewer.user is not None and row.author_id == viewer.user.id,
        supported_by_me=row.id in supported,
    )


async def opinions_list(
    info: Info,
    community_id: strawberry.ID,
    status: OpinionStatus | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Connection[types.Opinion]:
    viewer, cid = info.context.viewer, _community(community_id)
    viewer.require_user()
    size, before_id = clamp_first(first), decode_cursor(after)
    rows = await opinions.opinions(viewer, cid, status, size, before_id)
    supported = await opinions.supported_by_me(viewer, [r.id for r in rows[:size]])
    return connection(
        rows[:size],
        len(rows) > size,
        lambda row: opinion_of(row, viewer, supported),
        lambda: opinions.opinion_count(cid, status),
        before_id,
    )


async def opinion_counts(info: Info, community_id: strawberry.ID) -> types.OpinionCounts:
    viewer = info.context.viewer
    viewer.require_user()
    found = await opinions.counts(viewer, _community(community_id))
    return types.OpinionCounts(
        collected=found.collected,
        open=found.open,
        adopted=found.adopted,
        done=found.done,
        answered=found.answered,
        declined=found.declined,
    )


async def _opinion_payload(viewer: Viewer, row: OpinionRow) -> types.OpinionPayload:
    supported = await opinions.supported_by_me(viewer, [row.id])
    return types.OpinionPayload(opinion=opinion_of(row, viewer, supported))


async def _get_opinion(viewer: Viewer, value: str) -> OpinionRow:
    viewer.require_user()
    return await opinions.get_opinion(viewer, decode_global_id(value, "Opinion", "opinionId"))


async def opinion_post(info: Info, input: types.OpinionPostInput) -> types.OpinionPayload:
    async def work() -> types.OpinionPayload:
        viewer = info.context.viewer
        viewer.require_user()
        row = await opinions.post(viewer, _community(input.community_id), input.kind, input.topic, input.text)
        return await _opinion_payload(viewer, row)

    return await guarded(types.OpinionPayload, work())


async def opinion_support(info: Info, input: types.OpinionSupportInput) -> types.OpinionPayload:
    async def work() -> types.OpinionPayload:
        viewer = info.context.viewer
        row = await opinions.support(viewer, await _get_opinion(viewer, input.opinion_id))
        return await _opinion_payload(viewer, row)

    return await guarded(types.OpinionPayload, work())


async def opinion_answer(info: Info, input: types.OpinionAnswerInput) -> types.OpinionPayload:
    async def work() -> types.OpinionPayload:
        viewer = info.context.viewer
        row = await opinions.answer(
            viewer,
            await _get_opinion(viewer, input.opinion_id),
            OpinionStatus(input.outcome.value),
            input.answer,
            input.action,
        )
        return await _opinion_payload(viewer, row)

    return await guarded(types.OpinionPayload, work())


async def opinion_done(info: Info, input: types.OpinionDoneInput) -> types.OpinionPayload:
    async def work() -> types.OpinionPayload:
        viewer = info.context.viewer
        row = await opinions.mark_done(viewer, await _get_opinion(viewer, input.opinion_id))
        return await _opinion_payload(viewer, row)

    return await guarded(types.OpinionPayload, work())
