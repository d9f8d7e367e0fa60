"""Leaderboards (排行榜): member boards by points earned, entrance and team boards.

Resolvers of the queries and mutations of the area."""

from __future__ import annotations

import base64
import binascii

import strawberry

from api.context import Info
from api.ids import decode_global_id
from api.resolvers.payloads import guarded
from api.schema.connections import connection
from api.schema.leaderboards import types
from runtime.i18n import N_
from services import leaderboards
from services.errors import DomainError, ErrorCode
from services.leaderboards import Scope
from services.paging import clamp_first


def _gid(type_name: str, row_id: int) -> strawberry.ID:
    return strawberry.ID(base64.b64encode(f"{type_name}:{row_id}".encode()).decode())


def _community(value: str) -> int:
    return decode_global_id(value, "Community", "communityId")


_SCOPE_TYPES = {Scope.TEAM: "Team", Scope.BUILDING: "Building", Scope.ENTRANCE: "Entrance"}


def _board_cursor(points: int, user_id: int) -> str:
    return base64.urlsafe_b64encode(f"b:{points}:{user_id}".encode()).decode()


def _decode_board_cursor(cursor: str | None) -> tuple[int, int] | None:
    if cursor is None:
        return None
    try:
        prefix, points, user_id = base64.urlsafe_b64decode(cursor.encode()).decode().split(":")
        if (
            prefix == "b"
            and points.isascii()
            and points.isdigit()
            and user_id.isascii()
            and user_id.isdigit()
        ):
            return int(points), int(user_id)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise DomainError(ErrorCode.INVALID_INPUT, N_("This cursor is not valid."), "after")


def _entry(row: leaderboards.BoardRow, me: int) -> types.BoardEntry:
    return types.BoardEntry(rank=row.rank, points=row.points, name=row.name, is_me=row.user_id == me)


async def leaderboard(
    info: Info,
    community_id: strawberry.ID,
    scope: Scope = Scope.COMMUNITY,
    scope_id: strawberry.ID | None = None,
    month: str | None = None,
    first: int | None = None,
    after: str | None = None,
) -> types.LeaderboardPayload:
    async def work() -> types.LeaderboardPayload:
        viewer = info.context.viewer
        viewer.require_user()
        cid = _community(community_id)
        target = None
        if scope != Scope.COMMUNITY and scope_id is not None:
            target = decode_global_id(scope_id, _SCOPE_TYPES[scope], "scopeId")
        period = leaderboards.check_period(month)
        size, cursor = clamp_first(first), _decode_board_cursor(after)
        page = await leaderboards.member_board(viewer, cid, scope, target, period, size, cursor)

        async def count() -> int:
            return page.total  # read with the page, in the same statement

        entries = connection(
            page.rows,
            page.has_next,
            lambda r: _entry(r, viewer.user_id),
            count,
            after,
            cursor_of=lambda r: _board_cursor(r.points, r.user_id),
        )
        return types.LeaderboardPayload(
            board=types.Leaderboard(
                period=page.period,
                entries=entries,
                me=_entry(page.me, viewer.user_id) if page.me else None,
                my_points=page.my_points,
            )
        )

    return await guarded(types.LeaderboardPayload, work())


async def group_board(
    info: Info, community_id: strawberry.ID, kind: types.GroupBoardKind, month: str | None = None
) -> types.GroupBoardPayload:
    async def work() -> types.GroupBoardPayload:
        viewer = info.context.viewer
        viewer.require_user()
        cid, period = _community(community_id), leaderboards.check_period(month)
        if kind == types.GroupBoardKind.ENTRANCES:
            rows, type_name = await leaderboards.entrance_board(viewer, cid, period), "Entrance"
        else:
            rows, type_name = await leaderboards.team_board(viewer, cid, period), "Team"
        return types.GroupBoardPayload(
            period=period,
            entries=[
                types.GroupBoardEntry(
                    id=_gid(type_name, r.group_id),
                    name=r.name,
                    rank=r.rank,
                    points=r.points,
                    households=r.households,
                    per_household=r.per_household,
                    members=r.households,
                    per_member=r.per_household,
                    entrance_row_id=r.group_id if kind == types.GroupBoardKind.ENTRANCES else None,
                )
                for r in rows
            ],
        )

    return await guarded(types.GroupBoardPayload, work())


async def board_privacy_set(info: Info, input: types.BoardPrivacySetInput) -> types.BoardPrivacyPayload:
    async def work() -> types.BoardPrivacyPayload:
        viewer = info.context.viewer
        viewer.require_user()
        done = await leaderboards.set_initials(viewer, _community(input.community_id), input.by_initials)
        return types.BoardPrivacyPayload(by_initials=done)

    return await guarded(types.BoardPrivacyPayload, work())
