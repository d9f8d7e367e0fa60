"""The civilized-corridor flag: its formula, the month's standings, and closing a month.

Inspections, which the formula reads, are recorded in services/inspections.py.

The published formula. For an entrance and a month (the community's time zone), three parts,
each from 0 to 1:

- cleanliness  = (average inspection score − 1) / 4  (scores 1–5; one per inspector per day)
- volunteering = occupied households with at least one approved attendance in the month
                 ÷ occupied households (a household is occupied when a member lives there)
- reports      = reports filed there in the month and resolved within their clock ÷ reports filed
                 there in the month that were resolved or whose clock ran out before the month
                 ended (rejected and cancelled reports do not count); 1 when there are none

score = 100 × (w_c × cleanliness + w_v × volunteering + w_r × reports) ÷ (w_c + w_v + w_r),
rounded to two decimals. Default weights 40 / 30 / 30 (community-settable, FlagSettings).

Ineligible (not zero): fewer than `min_inspections` inspections (default 2) or no occupied
household. Ties: higher score, then higher cleanliness, then more inspections, then the lowest
entrance id. The best eligible entrance holds the flag the following month.

Closing a month (`close_month`) is idempotent: one MonthClose row per community and month; it
publishes `ranking.closed` with the monthly member board's top ranks (competition ranks within
the number of bonus amounts in the points rules), which the points engine pays once each.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from models.boards import BoardEarning, FlagSettings, MonthClose
from models.people import Membership
from models.places import Community
from models.reports import Report, ReportState
from models.teams import AttendanceStatus
from points_engine import rules
from points_engine.localtime import local_month, zone
from runtime import clock
from runtime.database import placeholder
from runtime.i18n import N_
from services import events
from services.access import Viewer
from services.errors import DomainError, ErrorCode
from services.leaderboards import check_period

DEFAULT_WEIGHTS = {"inspection": 40, "volunteering": 30, "reports": 30, "min_inspections": 2}


# ---- weights ------------------------------------------------------------------------------------


async def weights_of(community_id: int) -> dict[str, int]:
    row = await FlagSettings.get_or_none(community_id=community_id)
    if row is None:
        return dict(DEFAULT_WEIGHTS)
    return {
        "inspection": row.inspection_weight,
        "volunteering": row.volunteering_weight,
        "reports": row.reports_weight,
        "min_inspections": row.min_inspections,
    }


async def set_weights(
    viewer: Viewer, community_id: int, inspection: int, volunteering: int, reports: int, min_inspections: int
) -> dict[str, int]:
    viewer.require_manager(community_id)
    for name, value in (("inspection", inspection), ("volunteering", volunteering), ("reports", reports)):
        if not 0 <= value <= 100:
            raise DomainError(ErrorCode.INVALID_INPUT, N_("Weights are from 0 to 100."), name)
    if inspection + volunteering + reports == 0:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("At least one weight must be above 0."), "inspection")
    if not 1 <= min_inspections <= 100:
        raise DomainError(
            ErrorCode.INVALID_INPUT, N_("Minimum inspections is from 1 to 100."), "minInspections"
        )
    values: dict[str, Any] = {
        "inspection_weight": inspection,
        "volunteering_weight": volunteering,
        "reports_weight": reports,
        "min_inspections": min_inspections,
        "updated_at": clock.now(),
    }
    async with in_transaction():
        if not await FlagSettings.filter(community_id=community_id).update(**values):
            await FlagSettings.create(community_id=community_id, **values)
    return await weights_of(community_id)


# ---- scoring ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    entrance_id: int
    entrance_name: str
    eligible: bool
    reason: str  # why ineligible; "" when eligible
    inspections: int
    average_inspection: float | None
    cleanliness: float
    households: int
    volunteering_households: int
    volunteering: float
    reports_counted: int
    reports_in_time: int
    reports: float
    score: float | None
    rank: int | None


def month_bounds(month: str, timezone: str) -> tuple[datetime, datetime]:
    year, number = int(month[:4]), int(month[5:7])
    start = datetime(year, number, 1, tzinfo=zone(timezone))
    end = datetime(year + (number == 12), number % 12 + 1, 1, tzinfo=zone(timezone))
    return start, end


def next_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year + (number == 12):04d}-{number % 12 + 1:02d}"


def previous_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year - (number == 1):04d}-{(number - 2) % 12 + 1:02d}"


async def standings(community: Community, month: str) -> tuple[list[Standing], dict[str, int]]:
    """Every entrance of the community for `month`, ranked by the formula (live when open)."""
    weights = await weights_of(community.id)
    start, end = month_bounds(month, community.timezone)
    now = clock.now()
    conn = connections.get("default")
    # Two grouped reads instead of four plain ones: entrances with their month's inspections, and
    # per entrance its occupied households and those with an approved attendance in the month.
    # The second one is aggregated in the database rather than moving every membership here.
    _, inspected_rows = await conn.execute_query(
        "SELECT e.id AS eid, e.name AS name, COUNT(i.id) AS n, COALESCE(SUM(i.score), 0) AS total "  # noqa: S608 - only placeholders are formatted in
        "FROM entrance e LEFT JOIN inspection i ON i.entrance_id = e.id "
        f"AND i.local_month = {placeholder(1)} "
        f"WHERE e.community_id = {placeholder(2)} GROUP BY e.id, e.name ORDER BY e.id",
        [month, community.id],
    )
    entrances = [(int(r["eid"]), str(r["name"])) for r in inspected_rows]
    inspected: dict[int, tuple[int, float | None]] = {
        int(r["eid"]): (int(r["n"]), int(r["total"]) / int(r["n"])) for r in inspected_rows if r["n"]
    }
    _, household_rows = await conn.execute_query(
        "SELECT h.entrance_id AS eid, COUNT(DISTINCT m.household_id) AS households, "  # noqa: S608 - only placeholders are formatted in
        "COUNT(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM attendance a WHERE a.user_id = m.user_id "
        f"AND a.community_id = m.community_id AND a.local_month = {placeholder(1)} "
        f"AND a.status IN ({placeholder(2)}, {placeholder(3)})) THEN m.household_id END) AS served "
        "FROM membership m JOIN household h ON h.id = m.household_id "
        f"WHERE m.community_id = {placeholder(4)} GROUP BY h.entrance_id",
        [month, AttendanceStatus.APPROVED.value, AttendanceStatus.ADJUSTED.value, community.id],
    )
    occupied = {int(r["eid"]): int(r["households"]) for r in household_rows}
    served = {int(r["eid"]): int(r["served"]) for r in household_rows}
    counted: dict[int, int] = defaultdict(int)
    in_time: dict[int, int] = defaultdict(int)
    horizon = min(end, now)
    for entrance_id, resolved_at, due in (
        await Report.filter(
            community_id=community.id,
            entrance_id__isnull=False,
            created_at__gte=start,
            created_at__lt=end,
        )
        .exclude(state__in=(ReportState.REJECTED, ReportState.CANCELLED))
        .values_list("entrance_id", "resolved_at", "resolve_due_at")
    ):
        if resolved_at is None and due > horizon:
            continue  # still within its clock: not yet judged
        counted[entrance_id] += 1
        if resolved_at is not None and resolved_at <= due:
            in_time[entrance_id] += 1
    total_weight = weights["inspection"] + weights["volunteering"] + weights["reports"]
    rows: list[Standing] = []
    for entrance_id, name in entrances:
        n, average = inspected.get(entrance_id, (0, None))
        households = occupied.get(entrance_id, 0)
        volunteers = served.get(entrance_id, 0)
        cleanliness = (average - 1) / 4 if average is not None else 0.0
        volunteering = volunteers / households if households else 0.0
        judged = counted.get(entrance_id, 0)
        reports = in_time.get(entrance_id, 0) / judged if judged else 1.0
        reason = ""
        if n < weights["min_inspections"]:
            reason = f"fewer than {weights['min_inspections']} inspections"
        elif not households:
            reason = "no occupied household"
        score = None
        if not reason:
            weighted = (
                weights["inspection"] * cleanliness
                + weights["volunteering"] * volunteering
                + weights["reports"] * reports
            )
            score = round(100 * weighted / total_weight, 2)
        rows.append(
            Standing(
                entrance_id,
                name,
                not reason,
                reason,
                n,
                round(average, 4) if average is not None else None,
                round(cleanliness, 4),
                households,
                volunteers,
                round(volunteering, 4),
                judged,
                in_time.get(entrance_id, 0),
                round(reports, 4),
                score,
                None,
            )
        )
    eligible = sorted(
        (r for r in rows if r.eligible),
        key=lambda r: (-(r.score or 0), -r.cleanliness, -r.inspections, r.entrance_id),
    )
    ranked = {r.entrance_id: Standing(**{**asdict(r), "rank": i + 1}) for i, r in enumerate(eligible)}
    ordered = [ranked[r.entrance_id] for r in eligible] + [r for r in rows if not r.eligible]
    return ordered, weights


async def live_standing(
    viewer: Viewer, community_id: int, month: str | None
) -> tuple[str, list[Standing], bool]:
    """The standing of a month: the stored breakdown when closed, else computed now (provisional)."""
    viewer.require_member(community_id)
    community = await Community.get(id=community_id)
    month = check_period(month) if month else local_month(clock.now(), community.timezone)
    if month == "all":
        raise DomainError(ErrorCode.INVALID_INPUT, N_("The flag is scored per month."), "month")
    closed = await MonthClose.get_or_none(community_id=community_id, month=month)
    if closed is not None:
        return month, [Standing(**row) for row in closed.breakdown], False
    rows, _ = await standings(community, month)
    return month, rows, True


# ---- closing a month ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Closed:
    close: MonthClose
    created: bool


async def close_month(community_id: int, month: str | None = None) -> Closed:
    """Close `month` (default: the month before the current one) once; again returns the first."""
    community = await Community.get_or_none(id=community_id)
    if community is None:
        raise DomainError(ErrorCode.NOT_FOUND, N_("No such community."), "community")
    now = clock.now()
    month = check_period(month) if month else previous_month(local_month(now, community.timezone))
    if month == "all":
        raise DomainError(ErrorCode.INVALID_INPUT, N_("Close a month, YYYY-MM."), "month")
    _, end = month_bounds(month, community.timezone)
    if now < end:
        raise DomainError(ErrorCode.MONTH_NOT_ENDED, N_("{month} has not ended yet."), "month", month=month)
    existing = await MonthClose.get_or_none(community_id=community_id, month=month)
    if existing is not None:
        return Closed(existing, False)
    rows, weights = await standings(community, month)
    winner = rows[0] if rows and rows[0].eligible else None
    ranks = await top_ranks(community_id, month, len((await rules.current(community_id)).ranking_bonus))
    try:
        async with in_transaction():
            close = await MonthClose.create(
                community_id=community_id,
                month=month,
                holds_month=next_month(month),
                entrance_id=winner.entrance_id if winner else None,
                score=winner.score if winner else None,
                weights=weights,
                breakdown=[asdict(r) for r in rows],
                ranks=ranks,
                closed_at=now,
            )
            await events.publish(
                events.DomainEvent(
                    "ranking.closed",
                    community_id,
                    close.id,
                    None,
                    {"period": month, "ranks": [{"user_id": r["user_id"], "rank": r["rank"]} for r in ranks]},
                    now,
                )
            )
    except IntegrityError:
        # Another process closed it first: theirs stands.
        return Closed(await MonthClose.get(community_id=community_id, month=month), False)
    return Closed(close, True)


async def top_ranks(community_id: int, month: str, places: int) -> list[dict[str, Any]]:
    """The monthly community board's members with competition rank ≤ `places` (ties included)."""
    if places <= 0:
        return []
    rows = (
        await BoardEarning.filter(
            community_id=community_id,
            period=month,
            points__gt=0,
            user_id__in=Subquery(Membership.filter(community_id=community_id).values("user_id")),
        )
        .order_by("-points", "user_id")
        .limit(places * 4)
        .values_list("user_id", "points")
    )
    out: list[dict[str, Any]] = []
    for index, (user_id, points) in enumerate(rows):
        rank = out[-1]["rank"] if out and out[-1]["points"] == points else index + 1
        if rank > places:
            break
        out.append({"user_id": user_id, "rank": rank, "points": points})
    return out


async def close_due() -> list[Closed]:
    """The scheduler's job: close the previous month of every community not yet closed."""
    done = []
    for row in await Community.all().order_by("id").values("id"):
        done.append(await close_month(row["id"]))
    return done


async def history(viewer: Viewer, community_id: int, size: int, before_month: str | None) -> list[MonthClose]:
    viewer.require_member(community_id)
    query = MonthClose.filter(community_id=community_id)
    if before_month:
        query = query.filter(month__lt=before_month)
    return await query.order_by("-month").limit(size + 1).select_related("entrance")


async def scan_status(community: Community, entrance_id: int) -> tuple[bool, str, Standing | None]:
    """For a scanned entrance tag: does it hold the flag now, and its live standing this month
    (every entrance is scored, since a rank needs the others: five grouped statements)."""
    month = local_month(clock.now(), community.timezone)
    holder = await MonthClose.filter(community_id=community.id, holds_month=month).values("entrance_id")
    rows, _ = await standings(community, month)
    mine = next((r for r in rows if r.entrance_id == entrance_id), None)
    return bool(holder and holder[0]["entrance_id"] == entrance_id), month, mine
