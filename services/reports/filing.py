"""What filing a report reads, in two hand-written statements instead of eight ORM-built ones.

`before_filing` runs before the transaction: the idempotency record of the key and the report
the key filed (a replay), the compound of the entrance's building, and the clocks of the
category. `under_lock` runs in the transaction, after the filer's row lock (PostgreSQL): a report
the same key filed meanwhile, the active report of the category at the place (a duplicate) and
where the filer's rolling hour of reports stands. Each statement through the ORM cost ~0.4–0.7 ms
of worker CPU (pypika building it, a model made per row) however little the database did.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from models.enums import ReportCategory
from models.guards import IdempotencyRecord
from models.reports import ACTIVE_STATES, Report, ReportClockPolicy
from models.teams import PatrolFinding
from runtime.database import columns, fetch, row_of
from services.reports.clocks import DEFAULT_CLAIM_MINUTES, DEFAULT_RESOLVE_MINUTES, Clocks

_RECORD_CREATED = IdempotencyRecord._meta.fields_map["created_at"]
_REPORT_CREATED = Report._meta.fields_map["created_at"]


@dataclass(frozen=True)
class KeyRecord:
    """The idempotency record of the filer's key, as services.idempotency.judged reads it."""

    operation: str
    input_hash: str
    result_id: int
    created_at: datetime


@dataclass(frozen=True)
class BeforeFiling:
    record: KeyRecord | None
    by_key: Report | None  # the report the filer's key filed, whenever that was
    building_compound_id: int | None
    clocks: Clocks


@cache  # built on first use: the models' columns are complete once tortoise is initialised
def _before_filing_sql() -> str:
    policy = ReportClockPolicy._meta.db_table
    return (
        'SELECT i."operation" AS "i_operation", i."input_hash" AS "i_input_hash", '  # noqa: S608 - no values formatted in
        'i."result_id" AS "i_result_id", i."created_at" AS "i_created_at", '
        f'{columns(Report, "r")}, b."compound_id" AS "b_compound_id", '
        'p."claim_minutes" AS "p_claim_minutes", p."resolve_minutes" AS "p_resolve_minutes" '
        'FROM "community" c '
        f'LEFT JOIN "{IdempotencyRecord._meta.db_table}" i ON i."user_id" = $1 AND i."key" = $2 '
        f'LEFT JOIN "{Report._meta.db_table}" r ON r."reporter_id" = $1 AND r."idempotency_key" = $2 '
        'LEFT JOIN "building" b ON b."id" = $3 '
        # The category's own row wins over the community-wide row (category NULL).
        f'LEFT JOIN "{policy}" p ON p."id" = (SELECT q."id" FROM "{policy}" q '
        'WHERE q."community_id" = c."id" AND (q."category" = $5 OR q."category" IS NULL) '
        'ORDER BY q."category" IS NULL LIMIT 1) '
        'WHERE c."id" = $4'
    )


async def before_filing(
    user_id: int, key: str | None, building_id: int | None, community_id: int, category: ReportCategory
) -> BeforeFiling:
    found = await fetch(
        _before_filing_sql(), [user_id, key, building_id, community_id, ReportCategory(category).value]
    )
    if not found:  # no such community: nothing filed with the key, the default clocks
        return BeforeFiling(None, None, None, Clocks(DEFAULT_CLAIM_MINUTES, DEFAULT_RESOLVE_MINUTES))
    row = found[0]
    record = None
    if row["i_operation"] is not None:
        record = KeyRecord(
            operation=row["i_operation"],
            input_hash=row["i_input_hash"],
            result_id=int(row["i_result_id"]),
            created_at=_RECORD_CREATED.to_python_value(row["i_created_at"]),
        )
    clocks = (
        Clocks(DEFAULT_CLAIM_MINUTES, DEFAULT_RESOLVE_MINUTES)
        if row["p_claim_minutes"] is None
        else Clocks(int(row["p_claim_minutes"]), int(row["p_resolve_minutes"]))
    )
    return BeforeFiling(record, row_of(Report, row, "r"), row["b_compound_id"], clocks)


@dataclass(frozen=True)
class UnderLock:
    raced_id: int | None  # a report the same key filed since before_filing read
    duplicate_id: int | None  # the active report of the category at exactly this place
    # The filer's report that must leave the rolling hour before another may be filed: set only
    # when the hour already holds the limit.
    limit_edge: datetime | None


def _equals_or_null(column: str, value: Any, mark: Any) -> str:
    return f"{column} IS NULL" if value is None else f"{column} = {mark(value)}"


async def under_lock(
    user_id: int,
    key: str | None,
    community_id: int,
    place: tuple[int, int | None, int | None, int | None],
    category: ReportCategory,
    rate: tuple[datetime, int] | None,
) -> UnderLock:
    """`place`: compound, building, entrance and asset ids as the report stores them. `rate`:
    the start of the rolling hour and the limit, or None when the filer is not limited. Reports a
    patrol's findings opened are not the volunteer's own complaints and do not count."""
    # Every parameter marked stands in the text: PostgreSQL cannot type one that does not.
    values: list[Any] = []
    marks: dict[str, str] = {}

    def mark(value: Any, name: str | None = None) -> str:
        if name is not None and name in marks:
            return marks[name]
        values.append(value)
        if name is not None:
            marks[name] = f"${len(values)}"
        return f"${len(values)}"

    compound_id, building_id, entrance_id, asset_id = place
    raced = (
        f'(SELECT r."id" FROM "report" r WHERE r."reporter_id" = {mark(user_id, "me")} '  # noqa: S608 - placeholders only
        f'AND r."idempotency_key" = {mark(key)})'
        if key is not None
        else "NULL"
    )
    states = ", ".join(mark(state.value) for state in ACTIVE_STATES)
    at_place = " AND ".join(
        _equals_or_null(f'x."{column}"', value, mark)
        for column, value in (
            ("building_id", building_id),
            ("entrance_id", entrance_id),
            ("asset_id", asset_id),
        )
    )
    duplicate = (
        '(SELECT x."id" FROM "report" x '  # noqa: S608 - placeholders only
        f'WHERE x."community_id" = {mark(community_id)} AND x."compound_id" = {mark(compound_id)} '
        f"AND {at_place} "
        f'AND x."category" = {mark(ReportCategory(category).value)} AND x."state" IN ({states}) '
        'ORDER BY x."id" LIMIT 1)'
    )
    edge = "NULL"
    if rate is not None:
        since, limit = rate
        edge = (
            '(SELECT y."created_at" FROM "report" y '  # noqa: S608 - placeholders only
            f'WHERE y."reporter_id" = {mark(user_id, "me")} AND y."created_at" > {mark(since)} '
            'AND y."id" NOT IN '
            f'(SELECT f."report_id" FROM "{PatrolFinding._meta.db_table}" f '
            f'WHERE f."community_id" = {mark(community_id)} AND f."report_id" IS NOT NULL) '
            f'ORDER BY y."created_at" DESC LIMIT 1 OFFSET {mark(max(limit - 1, 0))})'
        )
    sql = f'SELECT {raced} AS "raced", {duplicate} AS "duplicate", {edge} AS "edge"'
    row = (await fetch(sql, values))[0]
    return UnderLock(
        raced_id=row["raced"],
        duplicate_id=row["duplicate"],
        limit_edge=None if row["edge"] is None else _REPORT_CREATED.to_python_value(row["edge"]),
    )
