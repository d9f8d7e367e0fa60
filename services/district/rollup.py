"""The district roll-up (区级汇总): per street and for the whole district, in a month.

- community level: the reports of the street's communities by state, claimed on time (within
  the claim clock) and fixed on time (within the resolution clock), and satisfaction (average
  rating of confirmed reports);
- street level: dispatches by state, claimed by the liaison within 30 minutes;
- department level: claimed within 30 minutes of the dispatch, fed back within 48 hours;
- the outpost: problems its reporters snapped in the street (the ranking itself is
  services.district.outpost.ranking);
- mediation: disputes the communities' mediation rooms logged as settled in the month (the
  anonymous mediation log of services.teams; counts only);
- fees, where a community bills them: households paid of billed and yuan collected of billed
  for the month (services.fees.collection_rate, the community's own published figure).

Counts only: no reporter, no household, nothing private. A fixed number of statements whatever
the number of streets (each table read once, grouped in Python: a district's month is a few
thousand rows at most), except the collection rate: one statement per community that bills
fees (the fees area's own computation, so the roll-up can never disagree with the community's).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from models.district import (
    Dispatch,
    DispatchState,
    District,
    DistrictRoleKind,
    OutpostSnap,
    Street,
    StreetCommunity,
)
from models.fees import FeeBill
from models.reports import Report, ReportState
from models.teams import ActivityLog, LogKind
from runtime.i18n import N_, render
from runtime.labels import word
from services.access import Viewer
from services.district.scope import not_found, out_of_jurisdiction, scope_of
from services.errors import DomainError, ErrorCode
from services.fees import collection_rate


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
class Collection:
    """The fees of the row's communities that bill them, in the month."""

    households_billed: int = 0
    households_paid: int = 0
    billed_fen: int = 0
    collected_fen: int = 0

    @property
    def household_percent(self) -> float | None:
        return (
            round(100 * self.households_paid / self.households_billed, 1) if self.households_billed else None
        )

    @property
    def money_percent(self) -> float | None:
        return round(100 * self.collected_fen / self.billed_fen, 1) if self.billed_fen else None


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
    outpost_snaps: int = 0
    mediations_settled: int = 0
    # None where no community of the row bills fees.
    fees: Collection | None = None

    def add_fees(self, rate: collection_rate.Rate) -> None:
        self.fees = self.fees or Collection()
        self.fees.households_billed += rate.households_billed
        self.fees.households_paid += rate.households_paid
        self.fees.billed_fen += rate.billed_fen
        self.fees.collected_fen += rate.collected_fen

    @property
    def satisfaction(self) -> float | None:
        return round(sum(self.ratings) / len(self.ratings), 2) if self.ratings else None


def month_bounds(month: str, zone: str) -> tuple[datetime, datetime]:
    try:
        year, number = (int(part) for part in month.split("-"))
        start = datetime(year, number, 1, tzinfo=ZoneInfo(zone))
    except ValueError:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("Write the month as YYYY-MM."), "month") from None
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
            raise out_of_jurisdiction(
                N_("The roll-up is for street liaisons, departments and the district coordinator."),
                "districtId",
            )
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
    snaps: list[dict[str, Any]] = await OutpostSnap.filter(district_id=district.id, month=month).values(
        "report__community_id", "dispatch__street_id"
    )
    for snap in snaps:
        street_id = snap["dispatch__street_id"] or street_of.get(snap["report__community_id"] or 0)
        if street_id in rows:
            for row in (rows[street_id], whole):
                row.outpost_snaps += 1
    settled: list[Any] = await ActivityLog.filter(
        community_id__in=list(street_of),
        kind=LogKind.MEDIATION,
        settled=True,
        created_at__gte=start,
        created_at__lt=end,
    ).values_list("community_id", flat=True)
    for community_id in settled:
        for row in (rows[street_of[int(community_id)]], whole):
            row.mediations_settled += 1
    await _add_fees(rows, whole, street_of, month)
    return [whole, *rows.values()]


async def _add_fees(
    rows: dict[int, RollupRow], whole: RollupRow, street_of: dict[int, int], month: str
) -> None:
    billing: list[Any] = (
        await FeeBill.filter(community_id__in=list(street_of))
        .distinct()
        .values_list("community_id", flat=True)
    )
    if not billing:
        return
    year = int(month[:4])
    for community_id in sorted({int(c) for c in billing}):
        # The community's own figure; its name is not needed (the row names the street).
        for rate in await collection_rate.rates(
            community_id, "", year, collection_rate.Scope.COMMUNITY, collection_rate.Granularity.MONTH
        ):
            if rate.label == month:
                for row in (rows[street_of[community_id]], whole):
                    row.add_fees(rate)


COLUMNS = (
    N_("on-time community claims %"),
    N_("on-time community fixes %"),
    N_("on-time street claims %"),
    N_("on-time department claims %"),
    N_("on-time department feedback %"),
    N_("satisfaction"),
    N_("outpost snaps"),
    N_("mediations settled"),
    N_("households paid %"),
    N_("fees collected %"),
)


def _blank(value: float | None) -> float | str:
    return "" if value is None else value


def as_csv(rows: list[RollupRow], language: str) -> str:
    """The roll-up as CSV in the reader's language (UTF-8 with a BOM so Excel on an office PC
    reads the Chinese)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    states = list(ReportState)
    dstates = list(DispatchState)

    def said(msgid: str, **params: Any) -> str:
        return render(msgid, params, language)

    writer.writerow(
        [
            said(N_("roll-up scope")),
            *(said(N_("reports {state}"), state=word(s)) for s in states),
            *(said(N_("dispatches {state}"), state=word(s)) for s in dstates),
            *(said(c) for c in COLUMNS),
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
        fees = row.fees or Collection()
        writer.writerow(
            [row.name]
            + [row.reports_by_state.get(s.value, 0) for s in states]
            + [row.dispatches_by_state.get(s.value, 0) for s in dstates]
            + [_blank(r.percent) for r in rates]
            + [_blank(row.satisfaction), row.outpost_snaps, row.mediations_settled]
            + [_blank(fees.household_percent), _blank(fees.money_percent)]
        )
    return "\ufeff" + out.getvalue()
