"""The schedule configuration: defaults, the schedule file (or a `schedule:` section of the
configuration file) and its validation."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from zwgk import fields
from zwgk.config import SECTIONS
from zwgk.errors import ConfigError, echo
from zwgk.yamlfile import read_yaml_mapping

log = logging.getLogger("zwgk.scheduler")


MIN_PROBES_PER_DAY = 20  # rules.md, site-unreachable: home page probed >= 20 times a day


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


DEFAULTS: dict[str, Any] = {
    "daily_run_at": "02:30",
    "probes_per_day": 24,
    "timezone": "Asia/Shanghai",
    # The whole `zwgk run` (crawl + checks + reports); keep it above the crawl section's own
    # crawl_timeout_seconds (3600 by default), which bounds the scrapy process inside the run.
    "crawl_timeout_seconds": 7200,
    "probe_timeout_seconds": 15,
    "report_timeout_seconds": 1800,
    "misfire_grace_seconds": 3600,
    "weekly_summary": {"day": "mon", "at": "07:00"},
    "quarterly_report_at": "08:00",
    # `zwgk evidence prune` right after each daily run (the retention policy of the config's
    # `evidence:` section); false: no pruning job (prune by hand or from cron).
    "evidence_prune": True,
    "prune_timeout_seconds": 1800,
}


TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


ERROR_TAIL_CHARS = 2000
MAX_SECONDS = 7 * 86400  # no job runs, or waits to run, for more than a week


# `python -m zwgk.cli` has no __main__ guard; this is the console script's entry point.
ZWGK = (sys.executable, "-c", "from zwgk.cli import main; main(prog_name='zwgk')")


@dataclass(frozen=True, slots=True)
class Schedule:
    daily_run_at: tuple[int, int]
    probes_per_day: int
    timezone: ZoneInfo
    crawl_timeout_seconds: float
    probe_timeout_seconds: float
    report_timeout_seconds: float
    misfire_grace_seconds: int
    weekly_day: str
    weekly_at: tuple[int, int]
    quarterly_report_at: tuple[int, int]
    source: str = "defaults"
    evidence_prune: bool = True
    prune_timeout_seconds: float = 1800.0

    @property
    def probe_interval(self) -> timedelta:
        """Whole seconds, rounded down: every calendar day gets at least probes_per_day."""
        return timedelta(seconds=86400 // self.probes_per_day)


def load_schedule(path: Path | None = None, config_path: Path | None = None) -> Schedule:
    """The schedule from `path` (top-level keys, or a deployment config's `schedule:` section),
    else from the `schedule:` section of `config_path`, else the defaults."""
    raw: Mapping[str, Any] = {}
    src = "defaults"
    for p in (path, config_path):
        if p is None:
            continue
        src = str(p)
        doc = _read_yaml(p)
        if "schedule" in doc and set(doc) <= set(SECTIONS):
            doc = doc["schedule"] or {}
        elif p == config_path:
            doc = {}
        if not isinstance(doc, Mapping):
            raise ConfigError(f"{p}: schedule: expected a mapping of options")
        raw = doc
        break
    return parse_schedule(raw, src)


def _read_yaml(p: Path) -> Mapping[str, Any]:
    return read_yaml_mapping(p, "schedule file")


def parse_schedule(raw: Mapping[str, Any], src: str = "schedule") -> Schedule:
    unknown = sorted((k for k in raw if k not in DEFAULTS), key=str)
    if unknown:
        raise ConfigError(
            f"{src}: unknown schedule option {echo(unknown[0])}"
            f" (valid: {', '.join(sorted(DEFAULTS))})"
        )
    opt = {**DEFAULTS, **raw}

    def hhmm(key: str, value: Any) -> tuple[int, int]:
        m = TIME_RE.fullmatch(value.strip()) if isinstance(value, str) else None
        if not m:
            raise ConfigError(
                f'{src}: {key} must be a time HH:MM (e.g. "02:30"), got {echo(value)}'
            )
        return int(m[1]), int(m[2])

    def seconds(key: str) -> float:
        value = opt[key]
        try:  # finite: .inf would never time out, and int(.inf) would crash misfire_grace
            fields.number(value, minimum=0, maximum=MAX_SECONDS, above_minimum=True)
        except fields.Invalid:
            raise ConfigError(
                f"{src}: {key} must be a positive number of seconds (at most {MAX_SECONDS}),"
                f" got {echo(value)}"
            ) from None
        return float(value)

    per_day = opt["probes_per_day"]
    if (
        isinstance(per_day, bool)
        or not isinstance(per_day, int)
        or not (MIN_PROBES_PER_DAY <= per_day <= 1440)
    ):
        raise ConfigError(
            f"{src}: probes_per_day must be a whole number from {MIN_PROBES_PER_DAY} to 1440 "
            f"(site-unreachable needs >= {MIN_PROBES_PER_DAY} probes a day), got {echo(per_day)}"
        )
    zone = opt["timezone"]
    try:
        if not isinstance(zone, str) or len(zone) > 64:
            raise ValueError(zone)
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ConfigError(
            f"{src}: timezone {echo(zone)} is not an IANA zone (e.g. Asia/Shanghai)"
        ) from None
    weekly = opt["weekly_summary"]
    if not isinstance(weekly, Mapping) or set(weekly) - {"day", "at"}:
        raise ConfigError(f"{src}: weekly_summary must be a mapping with 'day' and 'at' only")
    weekly = {**DEFAULTS["weekly_summary"], **weekly}
    day = str(weekly["day"]).lower()[:3]
    if day not in DAYS or str(weekly["day"]).lower() not in (day, _long_day(day)):
        raise ConfigError(
            f"{src}: weekly_summary.day is {echo(weekly['day'])}; valid: {', '.join(DAYS)}"
        )
    prune = opt["evidence_prune"]
    if not isinstance(prune, bool):
        raise ConfigError(f"{src}: evidence_prune must be true or false, got {echo(prune)}")
    return Schedule(
        daily_run_at=hhmm("daily_run_at", opt["daily_run_at"]),
        probes_per_day=per_day,
        timezone=tz,
        crawl_timeout_seconds=seconds("crawl_timeout_seconds"),
        probe_timeout_seconds=seconds("probe_timeout_seconds"),
        report_timeout_seconds=seconds("report_timeout_seconds"),
        misfire_grace_seconds=int(seconds("misfire_grace_seconds")),
        weekly_day=day,
        weekly_at=hhmm("weekly_summary.at", weekly["at"]),
        quarterly_report_at=hhmm("quarterly_report_at", opt["quarterly_report_at"]),
        source=src,
        evidence_prune=prune,
        prune_timeout_seconds=seconds("prune_timeout_seconds"),
    )


def _long_day(day: str) -> str:
    return ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")[
        DAYS.index(day)
    ]
