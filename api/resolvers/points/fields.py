"""Nested fields of the points types: a member's history, a redemption's reward."""

from __future__ import annotations

from typing import TYPE_CHECKING

from api.context import Info
from api.ids import decode_cursor
from api.resolvers.connections import connection
from services import points
from services.paging import clamp_first

if TYPE_CHECKING:
    # For annotations only: the schema types import this module at load time.
    from api.schema.common import Connection
    from api.schema.points import types


async def history_of(
    root: types.MyPoints, info: Info, first: int | None, after: str | None
) -> Connection[types.PointTransfer]:
    # Imported here: the schema types import this module, so a top-level import is a cycle.
    from api.resolvers.points import mapping

    viewer = info.context.viewer
    size, before_id = clamp_first(first), decode_cursor(after)
    page = await points.history(viewer, root.community_id, root.account_id, size, before_id)

    async def count() -> int:
        if page.total is not None:
            return page.total
        return await points.history_count(viewer, root.community_id, root.account_id)

    return connection(
        page.items, page.has_next, lambda row: mapping.transfer(row, root.account_id), count, before_id
    )


async def reward_of(root: types.Redemption, info: Info) -> types.Reward:
    # Imported here: the schema types import this module, so a top-level import is a cycle.
    from api.resolvers.points import mapping

    row = await info.context.loaders.points.reward_by_id.load(root.reward_id)
    assert row is not None
    return mapping.reward(row)


async def upcoming_expiries_of(
    root: types.MyPoints, info: Info, first: int | None
) -> list[types.PointExpiry]:
    # Imported here: the schema types import this module, so a top-level import is a cycle.
    from api.schema.points import types

    due = await points.upcoming_expiries(
        info.context.viewer, root.community_id, root.account_id, clamp_first(first)
    )
    return [types.PointExpiry(points=amount, expires_at=at) for at, amount in due]
