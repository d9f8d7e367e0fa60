"""The civilized-corridor flag (文明楼道流动红旗): standings, history, weights, closing a month.

Resolvers of the queries and mutations of the area."""

from __future__ import annotations

from typing import Any

import strawberry

from api.context import Info
from api.ids import decode_cursor, decode_global_id, global_id
from api.resolvers.payloads import guarded
from api.schema.common import Connection
from api.schema.connections import connection
from api.schema.corridor_flag import types
from models.boards import MonthClose
from services import corridor_flag
from services.paging import clamp_first


def _community(value: str) -> int:
    return decode_global_id(value, "Community", "communityId")


def _standing(row: corridor_flag.Standing | dict[str, Any]) -> types.CorridorEntrance:
    data = dict(row) if isinstance(row, dict) else row.__dict__
    return types.CorridorEntrance(
        entrance_id=global_id("Entrance", data["entrance_id"]),
        entrance_row_id=int(data["entrance_id"]),
        **{k: v for k, v in data.items() if k != "entrance_id"},
    )


def _weights(data: dict[str, int]) -> types.CorridorWeights:
    return types.CorridorWeights(**data)


def _award(close: MonthClose, entrance_name: str | None) -> types.CorridorFlagAward:
    return types.CorridorFlagAward(
        month=close.month,
        holds_month=close.holds_month,
        entrance_id=global_id("Entrance", close.entrance_id) if close.entrance_id else None,
        entrance_name=entrance_name,
        entrance_row_id=close.entrance_id,
        score=close.score,
        weights=_weights(close.weights),
        breakdown=[_standing(row) for row in close.breakdown],
    )


def _winner_name(close: MonthClose) -> str | None:
    for row in close.breakdown:
        if row["entrance_id"] == close.entrance_id:
            return str(row["entrance_name"])
    return None


async def corridor_standing(
    info: Info, community_id: strawberry.ID, month: str | None = None
) -> types.CorridorStandingPayload:
    async def work() -> types.CorridorStandingPayload:
        viewer = info.context.viewer
        viewer.require_user()
        name, rows, provisional = await corridor_flag.live_standing(viewer, _community(community_id), month)
        return types.CorridorStandingPayload(
            standing=types.CorridorStanding(
                month=name, provisional=provisional, entrances=[_standing(r) for r in rows]
            )
        )

    return await guarded(types.CorridorStandingPayload, work())


async def corridor_flag_history(
    info: Info, community_id: strawberry.ID, first: int | None = None, after: str | None = None
) -> Connection[types.CorridorFlagAward]:
    viewer = info.context.viewer
    viewer.require_user()
    cid = _community(community_id)
    size, after_id = clamp_first(first), decode_cursor(after)
    before = None
    if after_id is not None:
        found = await MonthClose.get_or_none(id=after_id, community_id=cid)
        before = found.month if found else "0000-00"
    rows = await corridor_flag.history(viewer, cid, size, before)

    async def count() -> int:
        return await MonthClose.filter(community_id=cid).count()

    return connection(rows[:size], len(rows) > size, lambda r: _award(r, _winner_name(r)), count, after)


async def corridor_weights_set(
    info: Info, input: types.CorridorWeightsSetInput
) -> types.CorridorWeightsPayload:
    async def work() -> types.CorridorWeightsPayload:
        viewer = info.context.viewer
        viewer.require_user()
        weights = await corridor_flag.set_weights(
            viewer,
            _community(input.community_id),
            input.inspection,
            input.volunteering,
            input.reports,
            input.min_inspections,
        )
        return types.CorridorWeightsPayload(weights=_weights(weights))

    return await guarded(types.CorridorWeightsPayload, work())


async def month_close(info: Info, input: types.MonthCloseInput) -> types.MonthClosePayload:
    async def work() -> types.MonthClosePayload:
        viewer = info.context.viewer
        cid = _community(input.community_id)
        viewer.require_manager(cid)
        done = await corridor_flag.close_month(cid, input.month)
        return types.MonthClosePayload(
            award=_award(done.close, _winner_name(done.close)), created=done.created
        )

    return await guarded(types.MonthClosePayload, work())
