"""Working days follow China's official holidays and make-up workdays; unknown years degrade."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from reports.data import working_days_after
from zwgk import workdays


@pytest.mark.parametrize(
    ("day", "work"),
    [
        (date(2026, 10, 1), False),  # 国庆节, a Thursday
        (date(2026, 10, 7), False),  # still the National Day holiday, a Wednesday
        (date(2026, 9, 20), True),  # a Sunday made a workday (调休上班)
        (date(2026, 10, 10), True),  # a Saturday made a workday
        (date(2026, 11, 28), False),  # an ordinary Saturday
        (date(2026, 11, 27), True),  # an ordinary Friday
    ],
)
def test_official_holidays_and_make_up_days(day, work):
    assert workdays.is_workday(day) is work


def test_deadline_skips_the_national_day_holiday():
    # 30 September 2026 + 1 working day: 1-7 October are holidays, 8 October the next workday;
    # a plain Monday-Friday count would say 1 October.
    assert working_days_after(date(2026, 9, 30), 1) == date(2026, 10, 8)
    # 10 October (a Saturday) is a make-up workday: counted
    assert working_days_after(date(2026, 10, 8), 2) == date(2026, 10, 10)


def test_working_days_between_counts_the_same_days():
    assert workdays.working_days_between(date(2026, 9, 30), date(2026, 10, 8)) == 1
    assert workdays.working_days_between(date(2026, 10, 8), date(2026, 10, 8)) == 0
    assert workdays.working_days_between(date(2026, 10, 9), date(2026, 10, 8)) == 0


def test_unknown_year_falls_back_to_monday_friday_with_one_warning(caplog, monkeypatch):
    monkeypatch.setattr(workdays, "_warned", set())
    far = date(2099, 1, 1)  # a Thursday; the library cannot know 2099's arrangement
    assert not workdays.known(far)
    with caplog.at_level(logging.WARNING, logger="zwgk.workdays"):
        assert workdays.is_workday(far) is True  # New Year's Day, but unknown: Mon-Fri
        assert working_days_after(far, 2) == date(2099, 1, 5)  # Fri 2, then Mon 5
    warnings = [r for r in caplog.records if "2099" in r.getMessage()]
    assert len(warnings) == 1 and "Monday-Friday" in warnings[0].getMessage()


def test_deadline_across_a_known_and_an_unknown_year(caplog, monkeypatch):
    monkeypatch.setattr(workdays, "_warned", set())
    last = date(2026, 12, 31)
    assert workdays.known(last)
    with caplog.at_level(logging.WARNING, logger="zwgk.workdays"):
        due = working_days_after(last, 10)
    # 2027 is not in chinesecalendar 1.11: Mon-Fri from 1 January 2027 (a Friday), no crash
    assert due.year == 2027 and due.weekday() < 5
    assert workdays.known(due) or any("2027" in r.getMessage() for r in caplog.records)
