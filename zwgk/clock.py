"""The one clock. Everything time-dependent asks `now()`; `--now` sets it for a command.

The value travels to child processes (a `scrapy crawl` subprocess, scheduler jobs) through the
environment variable ZWGK_NOW, so a test can replay several days in seconds.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

ENV = "ZWGK_NOW"
CST = timezone(timedelta(hours=8), "CST")


class ClockError(ValueError):
    """A --now value that is not an ISO 8601 timestamp."""


def parse(value: str) -> datetime:
    """ISO 8601 → aware datetime; a naive value is taken as China Standard Time."""
    try:
        dt = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise ClockError(
            f"--now {value!r} is not ISO 8601 (for example 2026-11-29T08:00:00+08:00)"
        ) from exc
    return dt if dt.tzinfo else dt.replace(tzinfo=CST)


def set_now(value: str | datetime | None) -> None:
    """Fix the clock for this process and its children; None returns it to real time."""
    if value is None:
        os.environ.pop(ENV, None)
        return
    dt = parse(value) if isinstance(value, str) else value
    os.environ[ENV] = dt.isoformat()


def now() -> datetime:
    fixed = os.environ.get(ENV)
    if fixed:
        return _fixed(fixed)
    return datetime.now(CST).replace(microsecond=0)


@lru_cache(maxsize=4)
def _fixed(value: str) -> datetime:
    # The crawl stamps every record: parse a fixed clock once, not once per record.
    return parse(value).astimezone(CST)


def today() -> date:
    return now().date()


def iso(dt: datetime | None = None) -> str:
    """Timestamps in the store: ISO 8601 with offset, seconds precision."""
    if dt is None:
        dt = now()
        return _iso(dt)  # the crawl stamps every record: the same second, formatted once
    return dt.astimezone(CST).replace(microsecond=0).isoformat()


@lru_cache(maxsize=4)
def _iso(dt: datetime) -> str:
    return dt.astimezone(CST).replace(microsecond=0).isoformat()
