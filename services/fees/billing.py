"""Issuing bills: one per household, item and period, from the register's area and the schedule
in force. Idempotent: the unique (household, item, period start) makes a second run, or two runs
at once, add nothing. A household without an area is listed for the office, never billed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.fees import BillState, BillTiming, FeeBill, FeeItem, FeeReduction, FeeSchedule
from models.places import Community, Household
from points_engine.localtime import zone
from runtime import clock
from runtime.i18n import N_
from services.access import Viewer
from services.errors import DomainError, ErrorCode
from services.fees import schedule as schedules
from services.fees.periods import MONTHS, Period, containing

MAX_AHEAD = 8  # prepaying: at most this many periods beyond the current one


@dataclass(frozen=True)
class Issued:
    period: Period | None
    created: int
    existing: int
    unbillable: list[int] = field(default_factory=list)  # household ids without an area


def gross_fen(area_m2: Decimal, unit_price_fen: int, months: int) -> int:
    return int((area_m2 * unit_price_fen * months).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def reduction_fen(gross: int, percent: int) -> int:
    return (gross * percent + 50) // 100


def bill_state(amount_fen: int, paid_fen: int) -> BillState:
    if paid_fen >= amount_fen:
        return BillState.PAID
    return BillState.PART_PAID if paid_fen else BillState.UNPAID


def target_period(sched: FeeSchedule, day: date) -> Period | None:
    """The period whose bills are due on `day`: the current one when bills go out as a period
    starts, the one just ended when they go out after it ("先服务后收费")."""
    months = MONTHS[sched.period]
    current = containing(sched.applies_from, months, day)
    if sched.timing == BillTiming.PERIOD_START:
        return current
    if current.start <= sched.applies_from:
        return None  # the first period has not ended yet
    return Period(containing(sched.applies_from, months, current.start - timedelta(days=1)).start, months)


async def _reductions(community_id: int, household_ids: list[int], day: date) -> dict[int, int]:
    rows = await FeeReduction.filter(
        community_id=community_id, household_id__in=household_ids, valid_from__lte=day
    ).order_by("id")
    found: dict[int, int] = {}
    for row in rows:
        if row.valid_until is None or row.valid_until >= day:
            found[row.household_id] = row.percent  # the newest reduction in force wins
    return found


def _bill(row: dict[str, Any], sched: FeeSchedule, period: Period, percent: int, now: Any) -> FeeBill:
    area = Decimal(row["area_m2"])
    gross = gross_fen(area, sched.unit_price_fen, period.months)
    reduced = reduction_fen(gross, percent)
    due_from = period.start if sched.timing == BillTiming.PERIOD_START else period.end
    return FeeBill(
        community_id=sched.community_id,
        household_id=row["id"],
        compound_id=row["entrance__building__compound_id"],
        building_id=row["entrance__building_id"],
        schedule_id=sched.id,
        item=sched.item,
        period_start=period.start,
        months=period.months,
        period_label=period.label,
        area_m2=area,
        unit_price_fen=sched.unit_price_fen,
        gross_fen=gross,
        reduction_fen=reduced,
        issued_reduction_fen=reduced,
        amount_fen=gross - reduced,
        paid_fen=0,
        state=BillState.PAID if gross == reduced else BillState.UNPAID,
        due_date=due_from + timedelta(days=sched.due_days),
        issued_at=now,
    )


async def issue_for(sched: FeeSchedule, period: Period, household_ids: list[int] | None = None) -> Issued:
    """Bills of one period for every household of the community (or the ones named)."""
    query = Household.filter(community_id=sched.community_id)
    if household_ids is not None:
        query = query.filter(id__in=household_ids)
    rows = await query.order_by("id").values(
        "id", "area_m2", "entrance__building_id", "entrance__building__compound_id"
    )
    unbillable = [row["id"] for row in rows if row["area_m2"] is None or Decimal(row["area_m2"]) <= 0]
    billable = [row for row in rows if row["id"] not in set(unbillable)]
    existing = set(
        await FeeBill.filter(
            community_id=sched.community_id, item=sched.item, period_start=period.start
        ).values_list("household_id", flat=True)
    )
    todo = [row for row in billable if row["id"] not in existing]
    percents = await _reductions(sched.community_id, [row["id"] for row in todo], period.start)
    now = clock.now()
    bills = [_bill(row, sched, period, percents.get(row["id"], 0), now) for row in todo]
    created = 0
    try:
        async with in_transaction():
            await FeeBill.bulk_create(bills, batch_size=500)
            created = len(bills)
    except IntegrityError:
        # Another run issued some of them meanwhile: add the rest one by one.
        for bill in bills:
            try:
                async with in_transaction():
                    await bill.save()
                    created += 1
            except IntegrityError:
                continue
    return Issued(period, created, len(billable) - created, unbillable)


async def issue_due(community_id: int, day: date, item: FeeItem = FeeItem.PROPERTY_SERVICE) -> Issued:
    """The job: bills of the period due on `day` under the schedule in force then."""
    sched = await schedules.at(community_id, day, item)
    if sched is None:
        raise DomainError(
            ErrorCode.FEE_NO_SCHEDULE, N_("This community has no fee schedule yet."), "communityId"
        )
    period = target_period(sched, day)
    if period is None:
        return Issued(None, 0, 0, [])
    return await issue_for(sched, period)


async def issue_all_due() -> dict[int, int]:
    """The background job: every community with a schedule gets the bills due today in its own
    time zone; idempotent, so running it hourly only costs a few reads. Community id → bills made."""
    made: dict[int, int] = {}
    ids = await FeeSchedule.all().distinct().values_list("community_id", flat=True)
    for community in await Community.filter(id__in=list(ids)).order_by("id"):
        today = clock.now().astimezone(zone(community.timezone)).date()
        try:
            issued = await issue_due(community.id, today)
        except DomainError:
            continue  # its schedule starts later
        made[community.id] = issued.created
    return made


async def issue(viewer: Viewer, community_id: int, day: date) -> Issued:
    viewer.require_manager(community_id)
    return await issue_due(community_id, day)


async def unbillable(viewer: Viewer, community_id: int) -> list[Household]:
    """Households the office must give an area before they can be billed."""
    viewer.require_manager(community_id)
    return await Household.filter(community_id=community_id, area_m2__isnull=True).order_by("id")


async def issue_ahead(household: Household, periods: int, today: date) -> list[FeeBill]:
    """For a prepayment: the household's bills of its next `periods` periods after the last one
    it was billed (or from the current one), each under the schedule in force at its start.
    Runs inside the caller's transaction; existing bills are kept, never re-priced. A handful
    of statements whatever the number of periods (the schedule versions and reductions are read
    once, the bills go in by one bulk insert)."""
    if not 1 <= periods <= MAX_AHEAD:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            N_("Prepay 1 to {max_ahead} periods."),
            "prepayPeriods",
            max_ahead=MAX_AHEAD,
        )
    if household.area_m2 is None or household.area_m2 <= 0:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            N_("This household has no area on record, so it cannot be billed."),
            "householdId",
        )
    versions = await FeeSchedule.filter(community_id=household.community_id).order_by(
        "applies_from", "version"
    )

    def in_force(day: date) -> FeeSchedule | None:
        found = [v for v in versions if v.applies_from <= day]
        return found[-1] if found else None

    sched = in_force(today)
    if sched is None:
        raise DomainError(
            ErrorCode.FEE_NO_SCHEDULE, N_("This community has no fee schedule yet."), "prepayPeriods"
        )
    last = await FeeBill.filter(household_id=household.id, item=sched.item).order_by("-period_start").first()
    period = containing(sched.applies_from, MONTHS[sched.period], today)
    if last is not None and Period(last.period_start, last.months).end > period.start:
        period = Period(Period(last.period_start, last.months).end, last.months)
    planned: list[tuple[FeeSchedule, Period]] = []
    for _ in range(periods):
        version = in_force(period.start) or sched
        period = Period(period.start, MONTHS[version.period])
        planned.append((version, period))
        period = period.next()
    rows = await Household.filter(id=household.id).values(
        "id", "area_m2", "entrance__building_id", "entrance__building__compound_id"
    )
    reductions = await FeeReduction.filter(household_id=household.id).order_by("id")

    def percent(day: date) -> int:
        found = [
            r.percent
            for r in reductions
            if r.valid_from <= day and (r.valid_until is None or r.valid_until >= day)
        ]
        return found[-1] if found else 0

    now = clock.now()
    bills = [_bill(rows[0], version, p, percent(p.start), now) for version, p in planned]
    try:
        async with in_transaction():
            await FeeBill.bulk_create(bills)
    except IntegrityError:
        for bill in bills:  # another office prepaid the same periods a moment ago: keep theirs
            try:
                async with in_transaction():
                    await bill.save()
            except IntegrityError:
                continue
    starts = [p.start for _, p in planned]
    made = await FeeBill.filter(household_id=household.id, item=sched.item, period_start__in=starts).order_by(
        "period_start"
    )
    return list(made)
