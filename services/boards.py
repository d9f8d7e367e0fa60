"""Leaderboards: index reads of models.boards.BoardEarning.

Order (stated, stable): points earned, most first; ties by the member's user id, lowest first.
`rank` is the competition rank: members with equal points share it (1, 2, 2, 4). Only members
with points earned in the period are listed; the caller's own row is returned separately, even
far down, or with no rank when they earned nothing.

Scopes: the community (its current members), a team (its members), a building or entrance (the
members whose household is there). Managers (staff, admin) may read any scope of their
community; anyone else only the scopes they are part of. Care tags are never read here.

Group boards (entrances and teams) use one normalisation, per household, so a big entrance or
team does not win by size alone:

    per household = points its members earned in the period
                    ÷ the distinct households those members live in

where a member with no household counts as a household of their own. For an entrance that is its
occupied households (a household is occupied when a member lives there). Ties by the group's id,
lowest first; equal values share a rank. Both boards are one grouped read of the per-member index
(BoardEarning, kept in the posting transaction) joined to memberships: nothing is summed from the
ledger when a board is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tortoise import connections
from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.boards import ALL_TIME, BoardEarning, BoardProfile
from models.ledger import TransferKind
from models.people import Membership
from models.places import Building, Entrance
from models.teams import Team, TeamMember
from points_engine.localtime import local_month, timezone_of
from runtime import clock
from services.access import Viewer
from services.board_wiring import EARNING_KINDS
from services.errors import DomainError, ErrorCode

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class Scope(StrEnum):
    COMMUNITY = "community"
    TEAM = "team"
    BUILDING = "building"
    ENTRANCE = "entrance"


@dataclass(frozen=True)
class BoardRow:
    user_id: int
    name: str
    points: int
    rank: int


@dataclass(frozen=True)
class BoardPage:
    rows: list[BoardRow]
    has_next: bool
    me: BoardRow | None  # the caller in this scope; rank None-like (0) never: None when no points
    my_points: int
    period: str


@dataclass(frozen=True)
class GroupRow:
    group_id: int
    name: str
    points: int
    households: int  # distinct households of its members (a member without one counts as one)
    per_household: float
    rank: int


def check_period(period: str | None, field: str = "month") -> str:
    if period is None or period == ALL_TIME:
        return ALL_TIME
    if not MONTH.match(period):
        raise DomainError(ErrorCode.INVALID_INPUT, "A month is written YYYY-MM.", field)
    return period


async def current_month(community_id: int) -> str:
    return local_month(clock.now(), await timezone_of(community_id))


def initials(name: str) -> str:
    words = name.split()
    return " ".join(f"{w[0]}." for w in words) if words else "?"


async def _scope_users(
    viewer: Viewer, community_id: int, scope: Scope, scope_id: int | None
) -> QuerySet[Any]:
    viewer.require_member(community_id)
    manager = viewer.manages(community_id)
    me = viewer.user_id
    if scope == Scope.COMMUNITY:
        return Membership.filter(community_id=community_id)
    if scope_id is None:
        raise DomainError(ErrorCode.INVALID_INPUT, "Say which team, building or entrance.", "scopeId")
    if scope == Scope.TEAM:
        if not await Team.exists(id=scope_id, community_id=community_id):
            raise DomainError(ErrorCode.NOT_FOUND, "No such team.", "scopeId")
        team_members = TeamMember.filter(team_id=scope_id)
        if not manager and not await team_members.filter(user_id=me).exists():
            raise DomainError(ErrorCode.NOT_IN_SCOPE, "You are not a member of this team.", "scopeId")
        return team_members
    place = Building if scope == Scope.BUILDING else Entrance
    if not await place.exists(id=scope_id, community_id=community_id):
        raise DomainError(ErrorCode.NOT_FOUND, "No such place.", "scopeId")
    key = "household__entrance__building_id" if scope == Scope.BUILDING else "household__entrance_id"
    members = Membership.filter(community_id=community_id, **{key: scope_id})
    if not manager and not await members.filter(user_id=me).exists():
        raise DomainError(ErrorCode.NOT_IN_SCOPE, "You do not live here.", "scopeId")
    return members


async def member_board(
    viewer: Viewer,
    community_id: int,
    scope: Scope,
    scope_id: int | None,
    period: str,
    size: int,
    after: tuple[int, int] | None,
) -> BoardPage:
    users = await _scope_users(viewer, community_id, scope, scope_id)

    def scoped() -> QuerySet[BoardEarning]:
        # A fresh queryset for each statement: tortoise's clones share one select_related set,
        # so the page's join of the user table would otherwise leak into the caller's row read
        # (and fetch every column of the user, password hash included).
        return BoardEarning.filter(
            community_id=community_id,
            period=period,
            points__gt=0,
            user_id__in=Subquery(users.values("user_id")),
        )

    page = scoped()
    if after is not None:
        points, user_id = after
        page = page.filter(Q(points__lt=points) | Q(points=points, user_id__gt=user_id))
    found = (
        await page.order_by("-points", "user_id")
        .limit(size + 1)
        .select_related("user")
        .only("user_id", "points", "user__id", "user__display_name")
    )
    rows = found[:size]
    me = viewer.user_id
    mine = next((r for r in rows if r.user_id == me), None) or (
        await scoped().filter(user_id=me).only("user_id", "points").first()
    )
    ids = [r.user_id for r in rows]
    hidden = {
        row["user_id"]
        for row in await BoardProfile.filter(
            community_id=community_id, user_id__in=[*ids, me], by_initials=True
        ).values("user_id")
    }
    ranked: list[BoardRow] = []
    if rows:
        first = rows[0]
        ahead = 0
        rank = 1
        if after is not None:
            rank = await scoped().filter(points__gt=first.points).count() + 1
            ahead = rank - 1 + await scoped().filter(points=first.points, user_id__lt=first.user_id).count()
        for index, row in enumerate(rows):
            if index and row.points != rows[index - 1].points:
                rank = ahead + index + 1
            ranked.append(_row(row.user_id, row.user.display_name, row.points, rank, hidden))
    my_row: BoardRow | None = None
    if mine is not None:
        listed = next((r for r in ranked if r.user_id == me), None)
        if listed is None:
            rank = await scoped().filter(points__gt=mine.points).count() + 1
            name = viewer.require_user().display_name
            listed = _row(me, name, mine.points, rank, hidden)
        my_row = listed
    return BoardPage(ranked, len(found) > size, my_row, mine.points if mine else 0, period)


def _row(user_id: int, name: str, points: int, rank: int, hidden: set[int]) -> BoardRow:
    return BoardRow(user_id, initials(name) if user_id in hidden else name, points, rank)


async def member_count(community_id: int, users: QuerySet[Any], period: str) -> int:
    return await BoardEarning.filter(
        community_id=community_id, period=period, points__gt=0, user_id__in=Subquery(users.values("user_id"))
    ).count()


async def board_total(
    viewer: Viewer, community_id: int, scope: Scope, scope_id: int | None, period: str
) -> int:
    return await member_count(community_id, await _scope_users(viewer, community_id, scope, scope_id), period)


async def set_initials(viewer: Viewer, community_id: int, by_initials: bool) -> bool:
    viewer.require_member(community_id)
    async with in_transaction():
        updated = await BoardProfile.filter(community_id=community_id, user_id=viewer.user_id).update(
            by_initials=by_initials
        )
        if not updated:
            await BoardProfile.create(
                community_id=community_id, user_id=viewer.user_id, by_initials=by_initials
            )
    return by_initials


# ---- boards of entrances and teams --------------------------------------------------------------


def placeholder(index: int) -> str:
    """The SQL placeholder of the index-th parameter in the default connection's dialect."""
    return f"${index}" if connections.get("default").capabilities.dialect == "postgres" else "?"


_p = placeholder


async def entrance_board(viewer: Viewer, community_id: int, period: str) -> list[GroupRow]:
    viewer.require_member(community_id)
    conn = connections.get("default")
    sql = (
        "SELECT h.entrance_id AS gid, COALESCE(SUM(e.points), 0) AS points, "  # noqa: S608 - only placeholders are formatted in
        "COUNT(DISTINCT m.household_id) AS n "
        "FROM membership m JOIN household h ON h.id = m.household_id "
        "LEFT JOIN board_earning e ON e.user_id = m.user_id AND e.community_id = m.community_id "
        f"AND e.period = {_p(1)} WHERE m.community_id = {_p(2)} GROUP BY h.entrance_id"
    )
    _, rows = await conn.execute_query(sql, [period, community_id])
    names = dict(
        await Entrance.filter(community_id=community_id, id__in=[r["gid"] for r in rows]).values_list(
            "id", "name"
        )
    )
    return _rank_groups(
        [(int(r["gid"]), names.get(r["gid"], ""), int(r["points"]), int(r["n"])) for r in rows]
    )


async def team_board(viewer: Viewer, community_id: int, period: str) -> list[GroupRow]:
    viewer.require_member(community_id)
    conn = connections.get("default")
    # -user_id stands for "a household of one" and never equals a (positive) household id.
    sql = (
        "SELECT t.team_id AS gid, COALESCE(SUM(e.points), 0) AS points, "  # noqa: S608 - only placeholders are formatted in
        "COUNT(DISTINCT COALESCE(m.household_id, -t.user_id)) AS n "
        "FROM team_member t LEFT JOIN membership m ON m.user_id = t.user_id "
        "AND m.community_id = t.community_id "
        "LEFT JOIN board_earning e ON e.user_id = t.user_id "
        f"AND e.community_id = t.community_id AND e.period = {_p(1)} "
        f"WHERE t.community_id = {_p(2)} GROUP BY t.team_id"
    )
    _, rows = await conn.execute_query(sql, [period, community_id])
    names = dict(
        await Team.filter(community_id=community_id, id__in=[r["gid"] for r in rows]).values_list(
            "id", "name"
        )
    )
    return _rank_groups(
        [(int(r["gid"]), names.get(r["gid"], ""), int(r["points"]), int(r["n"])) for r in rows]
    )


def _rank_groups(groups: list[tuple[int, str, int, int]]) -> list[GroupRow]:
    scored = sorted(
        ((gid, name, points, n, round(points / n, 2) if n else 0.0) for gid, name, points, n in groups),
        key=lambda g: (-g[4], g[0]),
    )
    out: list[GroupRow] = []
    for index, (gid, name, points, n, per) in enumerate(scored):
        rank = out[-1].rank if out and out[-1].per_household == per else index + 1
        out.append(GroupRow(gid, name, points, n, per, rank))
    return out


# ---- rebuild ----------------------------------------------------------------------------------


async def rebuild(community_id: int) -> int:
    """Recompute a community's board rows from the ledger; returns how many rows it wrote. The
    same rules as services/board_wiring: earnings add and their reversals subtract (in the
    earning's month); deductions subtract and their reversals add back (in the deduction's month)."""
    earning = sorted(k.value for k in EARNING_KINDS)
    deduct = [TransferKind.MANUAL_DEDUCT.value]

    def summed(kinds: list[str], member_side: str, reversal: bool) -> str:
        # `t` is the transfer posted; `o` (for a reversal) the transfer it reverses, whose month
        # the reversal counts in.
        marks = ", ".join(_p(i + 2) for i in range(len(kinds)))
        join, kind, month = "", "t.kind", "SUBSTR(t.local_day, 1, 7)"
        if reversal:
            join, kind = "JOIN point_transfer o ON o.id = t.reverses_id ", "t.kind = 'reversal' AND o.kind"
            month = "SUBSTR(o.local_day, 1, 7)"
        return (
            f"SELECT a.user_id AS uid, {month} AS month, SUM(t.amount) AS points "  # noqa: S608 - only placeholders are formatted in
            f"FROM point_transfer t {join}JOIN point_account a ON a.id = t.{member_side}_id "
            f"WHERE t.community_id = {_p(1)} AND a.kind = 'member' AND {kind} IN ({marks}) "
            f"GROUP BY a.user_id, {month}"
        )

    parts = (
        (summed(earning, "credit", False), earning, 1),
        (summed(earning, "debit", True), earning, -1),
        (summed(deduct, "debit", False), deduct, -1),
        (summed(deduct, "credit", True), deduct, 1),
    )
    totals: dict[tuple[int, str], int] = {}
    async with in_transaction() as conn:
        for sql, kinds, sign in parts:
            _, rows = await conn.execute_query(sql, [community_id, *kinds])
            for row in rows:
                for period in (str(row["month"]), ALL_TIME):
                    key = (int(row["uid"]), period)
                    totals[key] = totals.get(key, 0) + sign * int(row["points"])
        await BoardEarning.filter(community_id=community_id).using_db(conn).delete()
        await BoardEarning.bulk_create(
            [
                BoardEarning(community_id=community_id, user_id=uid, period=period, points=points)
                for (uid, period), points in sorted(totals.items())
            ],
            batch_size=1000,
            using_db=conn,
        )
    return len(totals)


async def analyze() -> bool:
    """After a bulk rebuild on PostgreSQL: fresh planner statistics for the board tables, so a
    board read after a big load is planned for the rows it now holds rather than for the empty
    table autovacuum last saw. True when it ran (SQLite keeps no statistics unless asked)."""
    conn = connections.get("default")
    if conn.capabilities.dialect != "postgres":
        return False
    await conn.execute_script("ANALYZE board_earning; ANALYZE board_profile")
    return True
