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
from tortoise.transactions import in_transaction

from models.boards import ALL_TIME, BoardEarning, BoardProfile
from models.ledger import TransferKind
from models.people import Membership
from models.places import Building, Entrance
from models.teams import Team, TeamMember
from points_engine.localtime import local_month, timezone_of
from runtime import clock
from runtime.database import is_postgres, numbered_placeholder, placeholder
from runtime.i18n import N_
from services.access import Viewer
from services.errors import DomainError, ErrorCode
from services.leaderboards.wiring import EARNING_KINDS

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
    total: int  # members on this board (with points in the period)


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
        raise DomainError(ErrorCode.INVALID_INPUT, N_("A month is written YYYY-MM."), field)
    return period


async def current_month(community_id: int) -> str:
    return local_month(clock.now(), await timezone_of(community_id))


def initials(name: str) -> str:
    words = name.split()
    return " ".join(f"{w[0]}." for w in words) if words else "?"


async def _require_scope(viewer: Viewer, community_id: int, scope: Scope, scope_id: int | None) -> None:
    """The scope exists in the community and the viewer may read its board."""
    viewer.require_member(community_id)
    if scope == Scope.COMMUNITY:
        return
    if scope_id is None:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("Say which team, building or entrance."), "scopeId")
    manager = viewer.manages(community_id)
    me = viewer.user_id
    if scope == Scope.TEAM:
        if not await Team.exists(id=scope_id, community_id=community_id):
            raise DomainError(ErrorCode.NOT_FOUND, N_("No such team."), "scopeId")
        if not manager and not await TeamMember.exists(team_id=scope_id, user_id=me):
            raise DomainError(ErrorCode.NOT_IN_SCOPE, N_("You are not a member of this team."), "scopeId")
        return
    place = Building if scope == Scope.BUILDING else Entrance
    if not await place.exists(id=scope_id, community_id=community_id):
        raise DomainError(ErrorCode.NOT_FOUND, N_("No such place."), "scopeId")
    key = "household__entrance__building_id" if scope == Scope.BUILDING else "household__entrance_id"
    lives_here = Membership.filter(community_id=community_id, user_id=me, **{key: scope_id})
    if not manager and not await lives_here.exists():
        raise DomainError(ErrorCode.NOT_IN_SCOPE, N_("You do not live here."), "scopeId")


# Who is on a scope's board: the members of the community, of a team, or living in a building or
# entrance (the checks that the viewer may read the scope are _scope_users'). {c} and {t} are the
# placeholders of the community and of the team/building/entrance id.
_SCOPE_MEMBERS = {
    Scope.COMMUNITY: "SELECT m.user_id FROM membership m WHERE m.community_id = {c}",
    Scope.TEAM: "SELECT tm.user_id FROM team_member tm WHERE tm.team_id = {t}",
    Scope.BUILDING: (
        "SELECT m.user_id FROM membership m JOIN household h ON h.id = m.household_id "
        "JOIN entrance en ON en.id = h.entrance_id WHERE m.community_id = {c} AND en.building_id = {t}"
    ),
    Scope.ENTRANCE: (
        "SELECT m.user_id FROM membership m JOIN household h ON h.id = m.household_id "
        "WHERE m.community_id = {c} AND h.entrance_id = {t}"
    ),
}


async def member_board(
    viewer: Viewer,
    community_id: int,
    scope: Scope,
    scope_id: int | None,
    period: str,
    size: int,
    after: tuple[int, int] | None,
) -> BoardPage:
    """A page of the board, the caller's own row and rank, and how many are on the board: one
    statement. The board is read on every opening of the points screen, and each statement
    costs ~1 ms of Python on top of the query (bench/results), so page, rank and count travel
    together rather than as five reads."""
    await _require_scope(viewer, community_id, scope, scope_id)
    me = viewer.user_id
    params: list[Any] = [community_id, period, me, size + 1]
    # Named after the parameter each stands for; numbered, as the community's stands thrice.
    community, in_period, caller, limit = (numbered_placeholder(i) for i in range(1, 5))
    members = _SCOPE_MEMBERS[scope].format(c=community, t=numbered_placeholder(5))
    if scope != Scope.COMMUNITY:
        params.append(scope_id)
    cursor = ""
    if after is not None:
        params += [after[0], after[1]]
        points, user_id = numbered_placeholder(len(params) - 1), numbered_placeholder(len(params))
        cursor = f"WHERE s.points < {points} OR (s.points = {points} AND s.user_id > {user_id}) "
    # Ahead of the page's first row: everyone above it, and those level with it listed before it
    # (by user id) — 0 on the first page, so only a later page pays for the two counts.
    ahead = (
        "(SELECT COUNT(*) FROM scoped x JOIN lead_row f ON x.points > f.points), "
        "(SELECT COUNT(*) FROM scoped x JOIN lead_row f ON x.points = f.points AND x.user_id < f.user_id)"
        if after is not None
        else "0, 0"
    )
    # Three kinds of row in one answer: 'p' the page (one more than asked, to tell whether there
    # is a next page), 'm' the caller with how many are above them, 'n' how many are on the board.
    sql = (
        "WITH scoped AS (SELECT e.user_id, e.points FROM board_earning e "  # noqa: S608 - only placeholders and fixed SQL are formatted in
        f"WHERE e.community_id = {community} AND e.period = {in_period} AND e.points > 0 "
        f"AND e.user_id IN ({members})), "
        f"page AS (SELECT s.user_id, s.points FROM scoped s {cursor}"
        f"ORDER BY s.points DESC, s.user_id LIMIT {limit}), "
        "lead_row AS (SELECT p.user_id, p.points FROM page p ORDER BY p.points DESC, p.user_id LIMIT 1) "
        "SELECT 'p' AS part, p.user_id AS uid, p.points AS points, u.display_name AS name, "
        "bp.by_initials AS hidden, 0 AS n1, 0 AS n2 FROM page p "
        "JOIN user_account u ON u.id = p.user_id "
        f"LEFT JOIN board_profile bp ON bp.community_id = {community} AND bp.user_id = p.user_id "
        "UNION ALL "
        "SELECT 'm', s.user_id, s.points, NULL, bp.by_initials, "
        "(SELECT COUNT(*) FROM scoped x WHERE x.points > s.points), 0 FROM scoped s "
        f"LEFT JOIN board_profile bp ON bp.community_id = {community} AND bp.user_id = s.user_id "
        f"WHERE s.user_id = {caller} "
        f"UNION ALL SELECT 'n', NULL, (SELECT COUNT(*) FROM scoped), NULL, NULL, {ahead}"
    )
    _, found = await connections.get("default").execute_query(sql, params)
    page = sorted((r for r in found if r["part"] == "p"), key=lambda r: (-int(r["points"]), int(r["uid"])))
    mine = next((r for r in found if r["part"] == "m"), None)
    counts = next(r for r in found if r["part"] == "n")
    rows = page[:size]
    hidden = {int(r["uid"]) for r in [*rows, *([mine] if mine else [])] if r["hidden"]}
    ranked: list[BoardRow] = []
    above, level_before = int(counts["n1"]), int(counts["n2"])
    rank = above + 1
    for index, row in enumerate(rows):
        if index and row["points"] != rows[index - 1]["points"]:
            rank = above + level_before + index + 1
        ranked.append(_row(int(row["uid"]), str(row["name"]), int(row["points"]), rank, hidden))
    my_row: BoardRow | None = None
    if mine is not None:
        my_row = next((r for r in ranked if r.user_id == me), None) or _row(
            me, viewer.require_user().display_name, int(mine["points"]), int(mine["n1"]) + 1, hidden
        )
    return BoardPage(
        ranked,
        len(page) > size,
        my_row,
        int(mine["points"]) if mine else 0,
        period,
        int(counts["points"]),
    )


def _row(user_id: int, name: str, points: int, rank: int, hidden: set[int]) -> BoardRow:
    return BoardRow(user_id, initials(name) if user_id in hidden else name, points, rank)


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


async def entrance_board(viewer: Viewer, community_id: int, period: str) -> list[GroupRow]:
    viewer.require_member(community_id)
    conn = connections.get("default")
    sql = (
        "SELECT h.entrance_id AS gid, COALESCE(SUM(e.points), 0) AS points, "  # noqa: S608 - only placeholders are formatted in
        "COUNT(DISTINCT m.household_id) AS n "
        "FROM membership m JOIN household h ON h.id = m.household_id "
        "LEFT JOIN board_earning e ON e.user_id = m.user_id AND e.community_id = m.community_id "
        f"AND e.period = {placeholder(1)} WHERE m.community_id = {placeholder(2)} GROUP BY h.entrance_id"
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
        f"AND e.community_id = t.community_id AND e.period = {placeholder(1)} "
        f"WHERE t.community_id = {placeholder(2)} GROUP BY t.team_id"
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
    same rules as services/leaderboards/wiring: earnings add and their reversals subtract (in the
    earning's month); deductions subtract and their reversals add back (in the deduction's month)."""
    earning = sorted(k.value for k in EARNING_KINDS)
    deduct = [TransferKind.MANUAL_DEDUCT.value]

    def summed(kinds: list[str], member_side: str, reversal: bool) -> str:
        # `t` is the transfer posted; `o` (for a reversal) the transfer it reverses, whose month
        # the reversal counts in.
        marks = ", ".join(placeholder(i + 2) for i in range(len(kinds)))
        join, kind, month = "", "t.kind", "SUBSTR(t.local_day, 1, 7)"
        if reversal:
            join, kind = "JOIN point_transfer o ON o.id = t.reverses_id ", "t.kind = 'reversal' AND o.kind"
            month = "SUBSTR(o.local_day, 1, 7)"
        return (
            f"SELECT a.user_id AS uid, {month} AS month, SUM(t.amount) AS points "  # noqa: S608 - only placeholders are formatted in
            f"FROM point_transfer t {join}JOIN point_account a ON a.id = t.{member_side}_id "
            f"WHERE t.community_id = {placeholder(1)} AND a.kind = 'member' AND {kind} IN ({marks}) "
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
    if not is_postgres():
        return False
    await connections.get("default").execute_script("ANALYZE board_earning; ANALYZE board_profile")
    return True
