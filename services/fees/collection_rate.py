"""The collection rate: of the households billed for a month (or a billing period), how many
have paid in full, and of the yuan billed, how much came in — per community, compound or
building. A bill of several months counts in each month it covers, with its money spread
evenly over them (fractions kept exact until the end), so a year paid at once lifts every
month of that year.

A waived bill (services.fees.adjustments) counts nowhere: neither billed nor collected, and a
household whose only bill of a month was waived is not among the households billed that month.
The office let it off, so it was not asked to pay; counting it as billed-and-unpaid would lower
the rate for the office's own decision, and counting it as paid would show money that never
came. A bill reduced after issue counts with what it asks now (its amount after the reduction).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from models.fees import BillState, FeeBill
from models.places import Building, Compound
from runtime.i18n import N_
from services.access import Viewer
from services.errors import DomainError, ErrorCode
from services.fees.periods import Period, add_months, month_index


class Scope(StrEnum):
    COMMUNITY = "community"
    COMPOUND = "compound"
    BUILDING = "building"


class Granularity(StrEnum):
    MONTH = "month"
    PERIOD = "period"


@dataclass(frozen=True)
class Rate:
    label: str  # the month (2026-03) or the billing period (2026-01~2026-03)
    place_id: int  # the community, compound or building
    place_name: str
    households_billed: int
    households_paid: int
    billed_fen: int
    collected_fen: int

    @property
    def household_rate(self) -> float:
        """Percent, one decimal."""
        return _percent(self.households_paid, self.households_billed)

    @property
    def money_rate(self) -> float:
        return _percent(self.collected_fen, self.billed_fen)


def _percent(part: int, whole: int) -> float:
    if whole == 0:
        return 0.0
    return float((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _fen(value: Fraction) -> int:
    return int(
        (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    )


async def rates(
    community_id: int, community_name: str, year: int, scope: Scope, granularity: Granularity
) -> list[Rate]:
    year_start = date(year, 1, 1)
    first, last = month_index(year_start), month_index(year_start) + 11
    # The longest period is a year: a bill starting eleven months before still covers January.
    rows = (
        await FeeBill.filter(
            community_id=community_id,
            period_start__lt=add_months(year_start, 12),
            period_start__gte=add_months(year_start, -11),
        )
        .exclude(state=BillState.WAIVED)
        .values(
            "household_id", "compound_id", "building_id", "period_start", "months", "amount_fen", "paid_fen"
        )
    )
    households: dict[tuple[str, int], dict[int, bool]] = defaultdict(dict)
    billed: dict[tuple[str, int], Fraction] = defaultdict(Fraction)
    collected: dict[tuple[str, int], Fraction] = defaultdict(Fraction)
    for row in rows:
        period = Period(row["period_start"], row["months"])
        start = month_index(period.start)
        place = _place(row, scope, community_id)
        paid_in_full = row["paid_fen"] >= row["amount_fen"]
        if granularity == Granularity.PERIOD:
            if not first <= start <= last:
                continue
            keys = [(period.label, Fraction(1))]
        else:
            keys = [
                (f"{(start + k) // 12:04d}-{(start + k) % 12 + 1:02d}", Fraction(1, row["months"]))
                for k in range(row["months"])
                if first <= start + k <= last
            ]
        for label, share in keys:
            key = (label, place)
            # A household with several bills covering one month is paid when all of them are.
            households[key][row["household_id"]] = (
                households[key].get(row["household_id"], True) and paid_in_full
            )
            billed[key] += row["amount_fen"] * share
            collected[key] += row["paid_fen"] * share
    names = await _names(scope, community_id, community_name)
    return [
        Rate(
            label=label,
            place_id=place,
            place_name=names.get(place, ""),
            households_billed=len(households[(label, place)]),
            households_paid=sum(households[(label, place)].values()),
            billed_fen=_fen(billed[(label, place)]),
            collected_fen=_fen(collected[(label, place)]),
        )
        for label, place in sorted(households, key=lambda k: (k[0], names.get(k[1], ""), k[1]))
    ]


def _place(row: dict[str, Any], scope: Scope, community_id: int) -> int:
    if scope == Scope.COMPOUND:
        return int(row["compound_id"])
    if scope == Scope.BUILDING:
        return int(row["building_id"])
    return community_id


async def _names(scope: Scope, community_id: int, community_name: str) -> dict[int, str]:
    if scope == Scope.COMMUNITY:
        return {community_id: community_name}
    if scope == Scope.COMPOUND:
        rows = await Compound.filter(community_id=community_id).values("id", "name")
        return {row["id"]: row["name"] for row in rows}
    rows = await Building.filter(community_id=community_id).values("id", "name", "compound__name")
    return {row["id"]: f"{row['compound__name']} {row['name']}" for row in rows}


async def for_viewer(
    viewer: Viewer | None,
    community_id: int,
    community_name: str,
    year: int,
    scope: Scope,
    granularity: Granularity,
) -> list[Rate]:
    """`viewer` None: the public notice board, which checked publicity itself."""
    if viewer is not None:
        viewer.require_member(community_id)
    if not 2000 <= year <= 2100:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("The year must be from 2000 to 2100."), "year")
    return await rates(community_id, community_name, year, scope, granularity)
