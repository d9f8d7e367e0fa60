"""The notice board (公告栏): what /board/<slug> shows anyone, and repairs done.

Resolvers of the queries and mutations of the area."""

from __future__ import annotations

import strawberry

from api.context import Info
from api.ids import decode_global_id
from api.resolvers.payloads import guarded
from api.schema.notice_board import types
from services import notice_board, open_books


def _community(value: str) -> int:
    return decode_global_id(value, "Community", "communityId")


def _publicity(shown: notice_board.Publicity, slug: str) -> types.BoardPublicity:
    return types.BoardPublicity(
        flag=shown.flag,
        volunteers=shown.volunteers,
        repairs=shown.repairs,
        satisfaction=shown.satisfaction,
        accounts=shown.accounts,
        url=f"/board/{slug}",
    )


async def board_publicity(info: Info, community_id: strawberry.ID) -> types.BoardPublicity:
    viewer, cid = info.context.viewer, _community(community_id)
    viewer.require_member(cid)
    community = await notice_board.community_of(cid)
    return _publicity(await notice_board.publicity(cid), community.slug)


async def board_publicity_set(info: Info, input: types.BoardPublicitySetInput) -> types.BoardPublicityPayload:
    async def work() -> types.BoardPublicityPayload:
        viewer, cid = info.context.viewer, _community(input.community_id)
        viewer.require_user()
        chosen = notice_board.Publicity(
            flag=input.flag,
            volunteers=input.volunteers,
            repairs=input.repairs,
            satisfaction=input.satisfaction,
            accounts=input.accounts,
        )
        shown = await notice_board.set_publicity(viewer, cid, chosen)
        community = await notice_board.community_of(cid)
        return types.BoardPublicityPayload(publicity=_publicity(shown, community.slug))

    return await guarded(types.BoardPublicityPayload, work())


async def repairs_done(info: Info, community_id: strawberry.ID, month: str) -> types.RepairsDone:
    viewer, cid = info.context.viewer, _community(community_id)
    viewer.require_member(cid)
    open_books.check_month(month)
    found = await notice_board.repairs_done(cid, month)
    return types.RepairsDone(
        month=found.month, done=found.done, on_time=found.on_time, on_time_percent=found.on_time_percent
    )
