"""The deployment configuration file (optional `--config FILE`): crawl politeness, rule
thresholds with per-unit overrides, report deadlines, the schedule.

The units file stays exactly as contract.md says; everything tunable lives here. Each section is
validated by its owner (rules by `checks.config`), and every error names the file and the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zwgk.errors import ConfigError
from zwgk.yamlfile import read_yaml_mapping

SECTIONS = ("crawl", "rules", "units", "reports", "schedule")

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


def check_crawl_value(path: Path | None, key: str, value: Any) -> Any:
    """A crawl option must have its default's type (whole numbers where the default is whole,
    no negatives), so a typo fails here, not halfway through a crawl."""
    default = CRAWL_DEFAULTS[key]
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    elif isinstance(default, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
    else:
        ok = isinstance(value, str)
    if not ok:
        kind = type(default).__name__.replace("int", "whole number").replace("float", "number")
        raise ConfigError(f"{path}: crawl: {key} must be a non-negative {kind}, got {value!r}")
    return value


def load_config(path: str | Path | None, overrides: dict[str, Any] | None = None) -> Config:
    """Read the optional configuration file; `overrides` patch the crawl section (demo farm)."""
    raw: dict[str, Any] = {}
    p = Path(path) if path else None
    if p is not None:
        raw = read_yaml_mapping(p, "configuration file")
        unknown = sorted(set(raw) - set(SECTIONS))
        if unknown:
            raise ConfigError(f"{p}: unknown section '{unknown[0]}' (valid: {', '.join(SECTIONS)})")
    section = raw.get("crawl") or {}
    if not isinstance(section, dict):
        raise ConfigError(f"{p}: crawl: expected a mapping of options, got {section!r}")
    crawl = dict(CRAWL_DEFAULTS)
    for key, value in section.items():
        if key not in CRAWL_DEFAULTS:
            raise ConfigError(
                f"{p}: crawl: unknown option '{key}' (valid: {', '.join(sorted(CRAWL_DEFAULTS))})"
            )
        crawl[key] = check_crawl_value(p, key, value)
    crawl.update(overrides or {})
    if crawl["detail_pages"] not in ("new", "dateless", "none"):
        raise ConfigError(f"{p}: crawl: detail_pages must be new, dateless or none")
    return Config(path=p, crawl=crawl, raw=raw)
