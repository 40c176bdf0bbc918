"""The deployment configuration file (optional `--config FILE`): crawl politeness, rule
thresholds with per-unit overrides, report deadlines, the schedule.

The units file stays exactly as contract.md says; everything tunable lives here. Each section is
validated by its owner (rules by `checks.config`), and every error names the file and the key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zwgk import fields
from zwgk.errors import ConfigError, echo
from zwgk.yamlfile import read_yaml_mapping

SECTIONS = ("crawl", "rules", "units", "reports", "schedule", "scoring", "evidence", "review")

CRAWL_DEFAULTS: dict[str, Any] = {
    # Small government servers: one request at a time per host, a second apart, AutoThrottle on.
    "delay_seconds": 1.0,
    "concurrency_per_host": 1,
    "concurrency": 32,
    "autothrottle": True,
    "timeout_seconds": 20,
    "retries": 2,
    "retry_backoff_seconds": 1.0,
    "catalog_refresh_days": 7,
    "max_pages_per_column": 50,
    "max_catalog_depth": 4,
    "max_columns_per_site": 400,
    "detail_pages": "new",  # new | dateless | none: which items get their detail page fetched
    # Bounded work per site (crawler/budget.py): a cap that bites makes the column partial.
    "max_details_per_page": 200,
    "max_details_per_column": 2000,
    "max_details_per_site": 20000,
    "max_items_per_page": 1000,
    # broken-link: HEAD checks of the on-host links on home and first list pages, per site at
    # most this many a run (0 turns link checks off). Off-site links are never fetched unless
    # the operator grants it (rules: broken-link: offsite_enabled, checks/defaults.yaml).
    "max_links_per_site": 200,
    "contact": "",
    "crawl_timeout_seconds": 3600,
}


@dataclass(slots=True)
class Config:
    path: Path | None = None
    crawl: dict[str, Any] = field(default_factory=lambda: dict(CRAWL_DEFAULTS))
    raw: dict[str, Any] = field(default_factory=dict)

    def section(self, name: str) -> dict[str, Any]:
        return dict(self.raw.get(name) or {})


# (minimum, maximum, whole, minimum excluded) per numeric option. delay_seconds must be above
# 0: it is the one guard of a small government server against a burst, and a 0 in a copied test
# configuration must not reach a real crawl (loopback tests use a millisecond).
CRAWL_RANGES: dict[str, tuple[float, float, bool, bool]] = {
    "delay_seconds": (0, 3600, False, True),
    "concurrency_per_host": (1, 256, True, False),
    "concurrency": (1, 4096, True, False),
    "timeout_seconds": (0, 3600, False, True),
    "retries": (0, 20, True, False),
    # 0 retries at once, which is safe: a retry waits for its host's delay like any request.
    "retry_backoff_seconds": (0, 3600, False, False),
    "catalog_refresh_days": (0, 3650, True, False),
    "max_pages_per_column": (1, 100_000, True, False),
    "max_catalog_depth": (1, 64, True, False),
    "max_columns_per_site": (1, 100_000, True, False),
    "crawl_timeout_seconds": (0, 30 * 86400, False, True),
    "max_details_per_page": (0, 1_000_000, True, False),
    "max_details_per_column": (0, 10_000_000, True, False),
    "max_details_per_site": (0, 100_000_000, True, False),
    "max_items_per_page": (1, 1_000_000, True, False),
    "max_links_per_site": (0, 1_000_000, True, False),
}
CONTACT_CHARS = 200  # it rides in every request's User-Agent header


def check_crawl_value(path: Path | None, key: str, value: Any) -> Any:
    """A crawl option must have its default's type and a sane range (no 0 concurrency, no
    infinite or NaN delay), so a typo fails here, not halfway through a crawl."""
    try:
        if key in CRAWL_RANGES:
            low, high, whole, above = CRAWL_RANGES[key]
            return fields.number(value, minimum=low, maximum=high, whole=whole, above_minimum=above)
        if isinstance(CRAWL_DEFAULTS[key], bool):
            if not isinstance(value, bool):
                raise fields.Invalid(f"must be true or false, got {echo(value)}")
            return value
        if key == "contact":
            return "" if value == "" else fields.name(value, CONTACT_CHARS)
        if key != "detail_pages":  # every other option has a range above: a new one must too
            raise fields.Invalid(f"has no declared range (got {echo(value)})")
        if value not in ("new", "dateless", "none"):
            raise fields.Invalid(f"must be new, dateless or none, got {echo(value)}")
        return value
    except fields.Invalid as exc:
        raise ConfigError(f"{path}: crawl: {key} {exc}") from None


def section_options(
    raw: dict[str, Any] | None,
    name: str,
    defaults: dict[str, Any],
    ranges: dict[str, tuple[float, float]],
    path: object = None,
    special: dict[str, Callable[[Any], Any]] | None = None,
) -> dict[str, Any]:
    """A flat section of switches and whole numbers (`evidence:`, `review:`), validated, with
    defaults: a bool default takes only true/false, a key in `ranges` a whole number in range,
    a key in `special` whatever its checker returns (it raises `fields.Invalid`). Every error
    names the file, the section and the key."""
    where = f"{path or 'configuration'}: {name}"
    section = (raw or {}).get(name)
    section = {} if section is None else section
    if not isinstance(section, dict):
        raise ConfigError(f"{where}: expected a mapping, got {echo(section)}")
    out = dict(defaults)
    for key, value in section.items():
        if key not in defaults:
            raise ConfigError(
                f"{where}: unknown option {echo(key)} (valid: {', '.join(sorted(defaults))})"
            )
        try:
            if special and key in special:
                value = special[key](value)
            elif isinstance(defaults[key], bool):
                if not isinstance(value, bool):
                    raise fields.Invalid(f"must be true or false, got {echo(value)}")
            else:
                low, high = ranges[key]
                value = fields.number(value, minimum=low, maximum=high, whole=True)
        except fields.Invalid as exc:
            raise ConfigError(f"{where}: {key} {exc}") from None
        out[key] = value
    return out


#: The review workspace's `review:` section (zwgk serve): session length and login lockout.
REVIEW_DEFAULTS: dict[str, Any] = {
    "session_hours": 12,
    "max_failed_per_user": 5,
    "max_failed_per_client": 20,
    "lockout_minutes": 15,
}
REVIEW_RANGES: dict[str, tuple[float, float]] = {
    "session_hours": (1, 24 * 90),
    "max_failed_per_user": (1, 1000),
    "max_failed_per_client": (1, 100_000),
    "lockout_minutes": (1, 24 * 60),
}


def review_options(raw: dict[str, Any] | None, path: object = None) -> dict[str, Any]:
    return section_options(raw, "review", REVIEW_DEFAULTS, REVIEW_RANGES, path)


def load_config(path: str | Path | None, overrides: dict[str, Any] | None = None) -> Config:
    """Read the optional configuration file; `overrides` patch the crawl section (demo farm)."""
    raw: dict[str, Any] = {}
    p = Path(path) if path else None
    if p is not None:
        raw = read_yaml_mapping(p, "configuration file")
        unknown = sorted(set(raw) - set(SECTIONS))
        if unknown:
            raise ConfigError(
                f"{p}: unknown section {echo(unknown[0])} (valid: {', '.join(SECTIONS)})"
            )
        for name in SECTIONS:  # `crawl:` left empty is fine; `crawl: 5` is a mistake
            if raw.get(name) is not None and not isinstance(raw[name], dict):
                raise ConfigError(f"{p}: {name}: expected a mapping, got {echo(raw[name])}")
    crawl = dict(CRAWL_DEFAULTS)
    for key, value in (raw.get("crawl") or {}).items():
        if key not in CRAWL_DEFAULTS:
            raise ConfigError(
                f"{p}: crawl: unknown option {echo(key)}"
                f" (valid: {', '.join(sorted(CRAWL_DEFAULTS))})"
            )
        crawl[key] = check_crawl_value(p, key, value)
    crawl.update(overrides or {})  # trusted code (the demo), not the operator's file
    return Config(path=p, crawl=crawl, raw=raw)
