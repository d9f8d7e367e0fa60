"""The district roll-up (区级汇总): per street and for the whole district, in a month.

- community level: the reports of the street's communities by state, claimed on time (within
  the claim clock) and fixed on time (within the resolution clock), and satisfaction (average
  rating of confirmed reports);
- street level: dispatches by state, claimed by the liaison within 30 minutes;
- department level: claimed within 30 minutes of the dispatch, fed back within 48 hours.

Counts only: no reporter, no household, nothing private. A fixed number of statements whatever
the number of streets (each table read once, grouped in Python: a district's month is a few
thousand rows at most).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from models.district import Dispatch, DispatchState, District, DistrictRoleKind, Street, StreetCommunity
from models.reports import Report, ReportState
from services.access import Viewer
from services.district.scope import not_found, out_of_jurisdiction, scope_of
from services.errors import DomainError, ErrorCode


@dataclass
class Rate:
    """`on_time` of `total` steps taken were within their clock; steps not taken yet are not
    counted (they show in the states)."""

    on_time: int = 0
    total: int = 0

    def add(self, done: datetime | None, due: datetime | None) -> None:
        if done is None or due is None:
            return
        self.total += 1
        self.on_time += done <= due

    @property
    def percent(self) -> float | None:
        return round(100 * self.on_time / self.total, 1) if self.total else None


@dataclass
class RollupRow:
    """One street, or the district (street None)."""

    street_id: int | None
    name: str
    reports_by_state: dict[str, int] = field(default_factory=dict)
    dispatches_by_state: dict[str, int] = field(default_factory=dict)
    community_claim: Rate = field(default_factory=Rate)
    community_fix: Rate = field(default_factory=Rate)
    street_claim: Rate = field(default_factory=Rate)
    department_claim: Rate = field(default_factory=Rate)
    department_fix: Rate = field(default_factory=Rate)
    ratings: list[int] = field(default_factory=list)

    @property
    def satisfaction(self) -> float | None:
        return round(sum(self.ratings) / len(self.ratings), 2) if self.ratings else None


def month_bounds(month: str, zone: str) -> tuple[datetime, datetime]:
    try:
        year, number = (int(part) for part in month.split("-"))
        start = datetime(year, number, 1, tzinfo=ZoneInfo(zone))
    except ValueError:
        raise DomainError(ErrorCode.INVALID_INPUT, "月份格式应为 YYYY-MM。", "month") from None
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=ZoneInfo(zone))
    return start, end


async def rollup(viewer: Viewer, district_id: int, month: str) -> list[RollupRow]:
    """The district's row first, then one per street. Coordinators and department members see
    every street; a street's liaison sees their own streets (and a district row over them)."""
    viewer.require_user()
    scope = await scope_of(viewer)
    district = await District.get_or_none(id=district_id)
    if district is None or not scope.in_district(district.id):
        raise not_found("districtId")
    if scope.coordinates(district.id) or scope.has(district.id, DistrictRoleKind.DEPARTMENT_MEMBER):
        visible = None
    else:
        visible = scope.streets(DistrictRoleKind.STREET_LIAISON)
        if not visible:
            raise out_of_jurisdiction("汇总只对街道联络员、部门和区协调人开放。", "districtId")
    start, end = month_bounds(month, district.timezone)
    streets = [
        s
        for s in await Street.filter(district_id=district.id).order_by("id")
        if visible is None or s.id in visible
    ]
    rows = {s.id: RollupRow(s.id, s.name) for s in streets}
    whole = RollupRow(None, district.name)
    street_of: dict[int, int] = {
        r["community_id"]: r["street_id"]
        for r in await StreetCommunity.filter(district_id=district.id, street_id__in=list(rows)).values(
            "community_id", "street_id"
        )
    }
    reports: list[dict[str, Any]] = await Report.filter(
        community_id__in=list(street_of), created_at__gte=start, created_at__lt=end
    ).values("community_id", "state", "claimed_at", "claim_due_at", "resolved_at", "resolve_due_at", "rating")
    for r in reports:
        for row in (rows[street_of[r["community_id"]]], whole):
            state = str(ReportState(r["state"]).value)
            row.reports_by_state[state] = row.reports_by_state.get(state, 0) + 1
            row.community_claim.add(r["claimed_at"], r["claim_due_at"])
            row.community_fix.add(r["resolved_at"], r["resolve_due_at"])
            if r["rating"] is not None:
                row.ratings.append(int(r["rating"]))
    dispatches: list[dict[str, Any]] = await Dispatch.filter(
        district_id=district.id, street_id__in=list(rows), created_at__gte=start, created_at__lt=end
    ).values(
        "street_id",
        "state",
        "street_claimed_at",
        "street_claim_due_at",
        "department_claimed_at",
        "department_claim_due_at",
        "fed_back_at",
        "fix_due_at",
        "rating",
        "report_id",
    )
    for d in dispatches:
        for row in (rows[d["street_id"]], whole):
            state = str(DispatchState(d["state"]).value)
            row.dispatches_by_state[state] = row.dispatches_by_state.get(state, 0) + 1
            row.street_claim.add(d["street_claimed_at"], d["street_claim_due_at"])
            row.department_claim.add(d["department_claimed_at"], d["department_claim_due_at"])
            row.department_fix.add(d["fed_back_at"], d["fix_due_at"])
            # A referred report's rating is counted with the community's reports already.
            if d["rating"] is not None and d["report_id"] is None:
                row.ratings.append(int(d["rating"]))
    return [whole, *rows.values()]


def as_csv(rows: list[RollupRow]) -> str:
    """The roll-up as CSV (UTF-8 with a BOM so Excel on an office PC reads the Chinese)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    states = [s.value for s in ReportState]
    dstates = [s.value for s in DispatchState]
    writer.writerow(
        [
            "范围",
            *(f"报修:{s}" for s in states),
            *(f"派单:{s}" for s in dstates),
            *("社区按时认领%", "社区按时修复%", "街道按时认领%", "部门按时认领%", "部门按时反馈%", "满意度"),
        ]
    )
    for row in rows:
        rates = (
            row.community_claim,
            row.community_fix,
            row.street_claim,
            row.department_claim,
            row.department_fix,
        )
        writer.writerow(
            [row.name]
            + [row.reports_by_state.get(s, 0) for s in states]
            + [row.dispatches_by_state.get(s, 0) for s in dstates]
            + ["" if r.percent is None else r.percent for r in rates]
            + ["" if row.satisfaction is None else row.satisfaction]
        )
    return "\ufeff" + out.getvalue()
