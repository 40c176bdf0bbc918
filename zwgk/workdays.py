"""Working days in mainland China: official holidays and make-up workdays (调休上班).

Deadlines (完成时限 in task lists, rule windows counted in working days) follow the State
Council's yearly holiday arrangement as the maintained `chinesecalendar` library publishes it,
not a hand-written list. The library knows the years the State Council has announced; a date
outside them (next year's arrangement is announced in November or December) falls back to
Monday–Friday with one logged warning per year, so a deadline is never missing and a run never
crashes on a calendar gap.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

import chinese_calendar

log = logging.getLogger("zwgk.workdays")

# Years already warned about in this process: one warning per unknown year, not one per day.
_warned: set[int] = set()


def known(day: date) -> bool:
    """The library has the official arrangement for this date's year."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def is_workday(day: date) -> bool:
    """A working day: Mon–Fri except official holidays, plus make-up Saturdays and Sundays.

    Outside the library's years: Monday–Friday, with a warning (once per year)."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        if day.year not in _warned:
            _warned.add(day.year)
            log.warning(
                "no official holiday arrangement for %s in chinesecalendar %s:"
                " counting Monday-Friday as working days (update chinesecalendar)",
                day.year,
                getattr(chinese_calendar, "__version__", "?"),
            )
        return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (`start` itself never counts)."""
    current = start
    left = max(0, int(days))
    while left:
        current += timedelta(days=1)
        if is_workday(current):
            left -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]: how many working days after `start` `end` falls.
    0 when `end` is not after `start`."""
    n = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        n += is_workday(current)
    return n
