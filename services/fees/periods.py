"""Billing periods: consecutive runs of 1, 3 or 12 months counted from the schedule's start."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models.fees import BillingPeriod

MONTHS = {BillingPeriod.MONTH: 1, BillingPeriod.QUARTER: 3, BillingPeriod.YEAR: 12}


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


@dataclass(frozen=True)
class Period:
    start: date  # first day of its first month
    months: int

    @property
    def end(self) -> date:
        """The first day after the period."""
        return add_months(self.start, self.months)

    @property
    def label(self) -> str:
        if self.months == 1:
            return f"{self.start:%Y-%m}"
        return f"{self.start:%Y-%m}~{add_months(self.start, self.months - 1):%Y-%m}"

    @property
    def words(self) -> str:
        """For people: 2026年1月 or 2026年1月—3月 or 2026年11月—2027年1月."""
        last = add_months(self.start, self.months - 1)
        first = f"{self.start.year}年{self.start.month}月"
        if self.months == 1:
            return first
        if last.year == self.start.year:
            return f"{first}—{last.month}月"
        return f"{first}—{last.year}年{last.month}月"

    def next(self) -> Period:
        return Period(self.end, self.months)

    def covers_month(self, month: str) -> bool:
        year, number = int(month[:4]), int(month[5:7])
        index = year * 12 + number - 1
        return month_index(self.start) <= index < month_index(self.start) + self.months


def containing(anchor: date, months: int, day: date) -> Period:
    """The period of a schedule starting at `anchor` that holds `day` (day ≥ anchor)."""
    offset = (month_index(day) - month_index(anchor)) // months * months
    return Period(add_months(anchor, offset), months)
