"""Leaderboards, inspections and the corridor flag: decode ids, call services, map."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import strawberry

from api.context import Info
from api.ids import decode_cursor, decode_global_id, encode_cursor
from api.photos import read_uploads
from api.resolvers.payloads import guarded
from api.resolvers.points_mapping import connection as keyset_connection
from api.schema import boards as s
from api.schema.common import Connection, Edge, PageInfo
from models.boards import Inspection, MonthClose
from runtime.i18n import N_
from services import boards, flag
from services.boards import Scope
from services.errors import DomainError, ErrorCode
from services.paging import clamp_first
from services.report_photos import PhotoOwner, photo_link


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


def _entry(row: boards.BoardRow, me: int) -> s.BoardEntry:
    return s.BoardEntry(rank=row.rank, points=row.points, name=row.name, is_me=row.user_id == me)


async def leaderboard(
    info: Info,
    community_id: strawberry.ID,
    scope: Scope = Scope.COMMUNITY,
    scope_id: strawberry.ID | None = None,
    month: str | None = None,
    first: int | None = None,
    after: str | None = None,
) -> s.LeaderboardPayload:
    async def work() -> s.LeaderboardPayload:
        viewer = info.context.viewer
        viewer.require_user()
        cid = _community(community_id)
        target = None
        if scope != Scope.COMMUNITY and scope_id is not None:
            target = decode_global_id(scope_id, _SCOPE_TYPES[scope], "scopeId")
        period = boards.check_period(month)
        size, cursor = clamp_first(first), _decode_board_cursor(after)
        page = await boards.member_board(viewer, cid, scope, target, period, size, cursor)
        edges = [
            Edge(cursor=_board_cursor(r.points, r.user_id), node=_entry(r, viewer.user_id)) for r in page.rows
        ]

        async def count() -> int:
            return page.total  # read with the page, in the same statement

        entries = Connection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next,
                has_previous_page=after is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            _count=count,
        )
        return s.LeaderboardPayload(
            board=s.Leaderboard(
                period=page.period,
                entries=entries,
                me=_entry(page.me, viewer.user_id) if page.me else None,
                my_points=page.my_points,
            )
        )

    return await guarded(s.LeaderboardPayload, work())


async def group_board(
    info: Info, community_id: strawberry.ID, kind: s.GroupBoardKind, month: str | None = None
) -> s.GroupBoardPayload:
    async def work() -> s.GroupBoardPayload:
        viewer = info.context.viewer
        viewer.require_user()
        cid, period = _community(community_id), boards.check_period(month)
        if kind == s.GroupBoardKind.ENTRANCES:
            rows, type_name = await boards.entrance_board(viewer, cid, period), "Entrance"
        else:
            rows, type_name = await boards.team_board(viewer, cid, period), "Team"
        return s.GroupBoardPayload(
            period=period,
            entries=[
                s.GroupBoardEntry(
                    id=_gid(type_name, r.group_id),
                    name=r.name,
                    rank=r.rank,
                    points=r.points,
                    households=r.households,
                    per_household=r.per_household,
                    members=r.households,
                    per_member=r.per_household,
                )
                for r in rows
            ],
        )

    return await guarded(s.GroupBoardPayload, work())


def _standing(row: flag.Standing | dict[str, Any]) -> s.CorridorEntrance:
    data = dict(row) if isinstance(row, dict) else row.__dict__
    return s.CorridorEntrance(
        entrance_id=_gid("Entrance", data["entrance_id"]),
        **{k: v for k, v in data.items() if k != "entrance_id"},
    )


def _weights(data: dict[str, int]) -> s.CorridorWeights:
    return s.CorridorWeights(**data)


def _award(close: MonthClose, entrance_name: str | None) -> s.CorridorFlagAward:
    return s.CorridorFlagAward(
        month=close.month,
        holds_month=close.holds_month,
        entrance_id=_gid("Entrance", close.entrance_id) if close.entrance_id else None,
        entrance_name=entrance_name,
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
) -> s.CorridorStandingPayload:
    async def work() -> s.CorridorStandingPayload:
        viewer = info.context.viewer
        viewer.require_user()
        name, rows, provisional = await flag.live_standing(viewer, _community(community_id), month)
        return s.CorridorStandingPayload(
            standing=s.CorridorStanding(
                month=name, provisional=provisional, entrances=[_standing(r) for r in rows]
            )
        )

    return await guarded(s.CorridorStandingPayload, work())


async def corridor_flag_history(
    info: Info, community_id: strawberry.ID, first: int | None = None, after: str | None = None
) -> Connection[s.CorridorFlagAward]:
    viewer = info.context.viewer
    viewer.require_user()
    cid = _community(community_id)
    size, after_id = clamp_first(first), decode_cursor(after)
    before = None
    if after_id is not None:
        found = await MonthClose.get_or_none(id=after_id, community_id=cid)
        before = found.month if found else "0000-00"
    rows = await flag.history(viewer, cid, size, before)
    edges = [Edge(cursor=encode_cursor(r.id), node=_award(r, _winner_name(r))) for r in rows[:size]]

    async def count() -> int:
        return await MonthClose.filter(community_id=cid).count()

    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(rows) > size,
            has_previous_page=after is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        _count=count,
    )


def _inspection(row: Inspection, entrance_name: str) -> s.Inspection:
    return s.Inspection(
        id=_gid("Inspection", row.id),
        entrance_name=entrance_name,
        score=row.score,
        notes=row.notes,
        local_day=row.local_day,
        row_id=row.id,
    )


async def inspection_record(info: Info, input: s.InspectionRecordInput) -> s.InspectionPayload:
    async def work() -> s.InspectionPayload:
        viewer = info.context.viewer
        viewer.require_user()
        photos = await read_uploads(input.photos, "photos")
        row = await flag.record_inspection(viewer, input.code, input.score, input.notes, photos)
        entrance = await row.entrance
        return s.InspectionPayload(inspection=_inspection(row, entrance.name))

    return await guarded(s.InspectionPayload, work())


async def inspections(
    info: Info,
    community_id: strawberry.ID,
    month: str | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Connection[s.Inspection]:
    viewer = info.context.viewer
    viewer.require_user()
    cid = _community(community_id)
    size, after_id = clamp_first(first), decode_cursor(after)
    rows = await flag.inspections(viewer, cid, month, size, after_id)

    async def count() -> int:
        return await flag.inspection_count(viewer, cid, month)

    return keyset_connection(
        rows[:size], len(rows) > size, lambda r: _inspection(r, r.entrance.name), count, after_id
    )


async def inspection_photos(inspection_id: int, info: Info) -> list[s.InspectionPhoto]:
    """Only reached through an Inspection the viewer was allowed to see (its inspector, staff
    or an admin), so the signed links go to them alone."""
    rows = await info.context.loaders.photos_by_inspection.load(inspection_id)
    return [
        s.InspectionPhoto(
            id=_gid("InspectionPhoto", r.id),
            content_type=r.content_type,
            width=r.width,
            height=r.height,
            size=r.size,
            url=photo_link(r.id, PhotoOwner.INSPECTION),
            created_at=r.created_at,
        )
        for r in rows
    ]


async def board_privacy_set(info: Info, input: s.BoardPrivacySetInput) -> s.BoardPrivacyPayload:
    async def work() -> s.BoardPrivacyPayload:
        viewer = info.context.viewer
        viewer.require_user()
        done = await boards.set_initials(viewer, _community(input.community_id), input.by_initials)
        return s.BoardPrivacyPayload(by_initials=done)

    return await guarded(s.BoardPrivacyPayload, work())


async def corridor_weights_set(info: Info, input: s.CorridorWeightsSetInput) -> s.CorridorWeightsPayload:
    async def work() -> s.CorridorWeightsPayload:
        viewer = info.context.viewer
        viewer.require_user()
        weights = await flag.set_weights(
            viewer,
            _community(input.community_id),
            input.inspection,
            input.volunteering,
            input.reports,
            input.min_inspections,
        )
        return s.CorridorWeightsPayload(weights=_weights(weights))

    return await guarded(s.CorridorWeightsPayload, work())


async def month_close(info: Info, input: s.MonthCloseInput) -> s.MonthClosePayload:
    async def work() -> s.MonthClosePayload:
        viewer = info.context.viewer
        cid = _community(input.community_id)
        viewer.require_manager(cid)
        done = await flag.close_month(cid, input.month)
        return s.MonthClosePayload(award=_award(done.close, _winner_name(done.close)), created=done.created)

    return await guarded(s.MonthClosePayload, work())


async def scan_flag(info: Info, community_id: int, entrance_id: int | None) -> s.CorridorFlagStatus | None:
    if entrance_id is None:
        return None
    community = await info.context.loaders.community_by_id.load(community_id)
    if community is None:
        return None
    holds, month, standing = await flag.scan_status(community, entrance_id)
    return s.CorridorFlagStatus(
        holds_flag=holds,
        month=month,
        provisional_rank=standing.rank if standing else None,
        provisional_score=standing.score if standing else None,
        eligible=bool(standing and standing.eligible),
    )
