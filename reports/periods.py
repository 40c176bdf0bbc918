"""Reporting periods: a quarter (2026Q4) or any range of dates, and the period before each.

A period is [start, end) in dates; runs and findings are placed in it by the date of their
timestamp (the clock's +08:00 local date), as the quarterly 通报 always did.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from reports.data import ReportError

QUARTER = re.compile(r"(\d{4})Q([1-4])")


@dataclass(frozen=True, slots=True)
class Period:
    label: str  # 2026Q4, or 2026-10-01..2026-12-31 for a range
    start: date
    end: date  # the day after the last one

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def is_quarter(self) -> bool:
        return QUARTER.fullmatch(self.label) is not None

    def previous(self) -> Period:
        """The quarter before a quarter; for a range, the range of the same length before it
        (what "change" compares against)."""
        if self.is_quarter:
            return quarter(date(self.start.year, self.start.month, 1) - timedelta(days=1))
        return date_range(self.start - (self.end - self.start), self.start - timedelta(days=1))


def parse_quarter(text: str) -> tuple[str, date, date]:
    """'2026Q4' → ('2026Q4', first day, first day of the next quarter)."""
    m = QUARTER.fullmatch(str(text).strip().upper())
    if not m:
        raise ReportError(
            f"--quarter {text!r} is not a quarter: use YYYYQn with n from 1 to 4, e.g. 2026Q4"
        )
    year, q = int(m.group(1)), int(m.group(2))
    start = date(year, 3 * q - 2, 1)
    end = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    return f"{year}Q{q}", start, end


def quarter_period(text: str) -> Period:
    return Period(*parse_quarter(text))


def quarter(day: date) -> Period:
    """The quarter a day falls in."""
    return quarter_period(f"{day.year}Q{(day.month + 2) // 3}")


def date_range(first: date, last: date) -> Period:
    """The days first..last, both included."""
    if last < first:
        raise ReportError(f"--to {last} is before --from {first}: the range would be empty")
    return Period(f"{first.isoformat()}..{last.isoformat()}", first, last + timedelta(days=1))


def parse_date(option: str, text: str) -> date:
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise ReportError(f"{option} {text!r} is not a date: use YYYY-MM-DD") from None
