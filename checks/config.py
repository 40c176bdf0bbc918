"""Rule thresholds: checks/defaults.yaml merged with the deployment's configuration.

The user mapping (already parsed by zwgk.config) is
``{"rules": {code: {option: value}}, "units": {unit_code: {"rules": {code: {option: value}}}}}``.
An unknown rule code, option or a value of the wrong type is a ConfigError naming the file, the
unit and the valid choices. ``enabled: false`` switches a rule off globally or for one unit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from zwgk import fields
from zwgk.errors import ConfigError, echo
from zwgk.units import KINDS

ENABLED = "enabled"
MAX_DAYS = 3650
MAX_COUNT = 100_000
MM_DD = re.compile(r"^(\d{2})-(\d{2})$")


@cache
def _shipped() -> dict[str, dict[str, Any]]:
    text = resources.files("checks").joinpath("defaults.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text) or {}


def shipped_defaults() -> dict[str, dict[str, Any]]:
    """A copy of checks/defaults.yaml: {code: {option: value}} including `enabled`."""
    return {code: dict(opts) for code, opts in _shipped().items()}


def _same_type(default: Any, value: Any) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, type(default))


def check_range(code: str, key: str, value: Any, default: Any) -> None:
    """The option's range, read from its name (defaults.yaml: keys carry their unit), so a new
    rule's threshold is bounded without editing this module. Raises fields.Invalid."""
    if isinstance(default, bool):
        return
    if key == "column_windows":
        _check_windows(value)
    elif key in ("required_columns", "synonyms"):
        _check_names_map(key, value)
    elif key.endswith("_cues"):
        _check_cues(code, key, value)
    elif key.endswith(("_ratio", "_similarity")):
        fields.number(value, minimum=0, maximum=1)
    elif key.endswith("_days"):
        # a tolerance may be none at all; a window or a gap of 0 days would flag everything
        low = 0 if key.startswith("tolerance") else 1
        fields.number(value, minimum=low, maximum=MAX_DAYS, whole=True)
    elif key.endswith("_seconds"):
        # a delay of 0 (or .inf) must not reach a real crawl: above 0, at most an hour
        fields.number(value, minimum=0, maximum=3600, above_minimum=True)
    elif key.endswith("_per_site"):
        fields.number(value, minimum=1, maximum=MAX_COUNT, whole=True)
    elif key == "probes_per_day":
        fields.number(value, minimum=1, maximum=1440, whole=True)
    elif key.endswith(("_columns", "_items")) or key.startswith(("min_", "max_")):
        fields.number(value, minimum=1, maximum=MAX_COUNT, whole=True)
    elif key.endswith("_deadline"):
        m = MM_DD.fullmatch(value)
        try:
            date(2024, int(m[1]), int(m[2]))  # a leap year: 02-29 is a real deadline
        except (TypeError, ValueError):  # no match, or no such day
            raise fields.Invalid(
                f"must be a date MM-DD like {default!r}, got {echo(value)}"
            ) from None
    elif isinstance(default, list):
        known = set(_shipped()[code][key])
        bad = [v for v in value if not isinstance(v, str) or v not in known]
        if bad or len(value) > len(known):
            raise fields.Invalid(
                f"must list some of {', '.join(sorted(known))}, got {echo(bad[0] if bad else value)}"
            )


PERIODS = ("monthly", "quarterly", "half-yearly", "yearly")
MAX_ENTRIES = 200
MAX_NAME = 200


def _check_windows(value: Mapping[Any, Any]) -> None:
    """stale-column `column_windows`: {column name | catalog path | /url/path: period}."""
    if len(value) > MAX_ENTRIES:
        raise fields.Invalid(f"must have at most {MAX_ENTRIES} entries, got {len(value)}")
    for name, period in value.items():
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
            raise fields.Invalid(
                f"must map column names (1-{MAX_NAME} characters) to periods, got {echo(name)}"
            )
        if isinstance(period, bool) or not (
            period in PERIODS or (isinstance(period, int) and 1 <= period <= MAX_DAYS)
        ):
            raise fields.Invalid(
                f"{name}: must be one of {', '.join(PERIODS)} or whole days 1-{MAX_DAYS},"
                f" got {echo(period)}"
            )


def _check_names_map(key: str, value: Mapping[Any, Any]) -> None:
    """missing-policy-column `required_columns` (unit kind -> subjects) and `synonyms`
    (subject -> names): short lists of one-line names."""
    if len(value) > MAX_ENTRIES:
        raise fields.Invalid(f"must have at most {MAX_ENTRIES} entries, got {len(value)}")
    for k, names in value.items():
        if key == "required_columns" and k not in KINDS:
            raise fields.Invalid(f"unknown unit kind {echo(k)} (valid: {', '.join(KINDS)})")
        if not isinstance(k, str) or not k.strip() or len(k) > MAX_NAME:
            raise fields.Invalid(f"must map names (1-{MAX_NAME} characters), got {echo(k)}")
        if not isinstance(names, list) or len(names) > MAX_ENTRIES:
            raise fields.Invalid(f"{k}: must be a list of names, got {echo(names)}")
        for n in names:
            if not isinstance(n, str) or not n.strip() or len(n) > MAX_NAME or "\n" in n:
                raise fields.Invalid(f"{k}: names are 1-{MAX_NAME} characters, got {echo(n)}")


MAX_CUE = 40


def _check_words(where: str, words: Any) -> None:
    if not isinstance(words, list) or len(words) > MAX_ENTRIES:
        raise fields.Invalid(
            f"{where}must be a list of at most {MAX_ENTRIES} words, got {echo(words)}"
        )
    for w in words:
        if not isinstance(w, str) or not w.strip() or len(w) > MAX_CUE or "\n" in w:
            raise fields.Invalid(f"{where}words are 1-{MAX_CUE} characters, got {echo(w)}")


def _check_cues(code: str, key: str, value: Any) -> None:
    """news-padding's title cues: a list of words, or (document_title_cues) a mapping of the
    shipped classes to lists of words."""
    default = _shipped()[code][key]
    if isinstance(default, list):
        _check_words("", value)
        return
    for cls, words in value.items():
        if cls not in default:
            raise fields.Invalid(f"unknown class {echo(cls)} (valid: {', '.join(default)})")
        _check_words(f"{cls}: ", words)


def _choices(names: Iterable[str], limit: int = 8) -> str:
    """Valid names for a message: a few, so a city of 500 units still gives one short line."""
    names = sorted(names)
    more = f", ... ({len(names)} in all)" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


@dataclass(slots=True)
class RuleConfig:
    """Merged rule options; `options(code, unit_id)` gives the effective mapping."""

    path: Path | None = None
    global_: dict[str, dict[str, Any]] = field(default_factory=shipped_defaults)
    per_unit: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    def options(self, code: str, unit_id: str | None = None) -> dict[str, Any]:
        opts = dict(self.global_.get(code, {}))
        if unit_id is not None:
            opts.update(self.per_unit.get(unit_id, {}).get(code, {}))
        return opts

    def enabled(self, code: str, unit_id: str | None = None) -> bool:
        return bool(self.options(code, unit_id).get(ENABLED, True))

    def enabled_anywhere(self, code: str) -> bool:
        """A rule runs when enabled globally or for at least one unit."""
        if self.enabled(code):
            return True
        return any(rules.get(code, {}).get(ENABLED) for rules in self.per_unit.values())


def _where(path: Path | None, *parts: str) -> str:
    return ": ".join([str(path) if path else "configuration", *parts])


def _merge_rules(
    path: Path | None, where: tuple[str, ...], raw: Any, base: Mapping[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{_where(path, *where)}: expected a mapping of rule code to options")
    out: dict[str, dict[str, Any]] = {}
    for code, opts in raw.items():
        if code not in base:
            raise ConfigError(
                f"{_where(path, *where)}: unknown rule {echo(code)}"
                f" (valid: {', '.join(sorted(base))})"
            )
        if opts is None:
            continue
        if not isinstance(opts, Mapping):
            raise ConfigError(f"{_where(path, *where, str(code))}: expected a mapping of options")
        for key, value in opts.items():
            if key not in base[code]:
                raise ConfigError(
                    f"{_where(path, *where, str(code))}: unknown option {echo(key)}"
                    f" (valid: {', '.join(sorted(base[code]))})"
                )
            default = base[code][key]
            if not _same_type(default, value):
                raise ConfigError(
                    f"{_where(path, *where, str(code), str(key))}: {echo(value)} should be a"
                    f" {type(default).__name__} like the default {default!r}"
                )
            try:
                check_range(code, key, value, default)
            except fields.Invalid as exc:
                raise ConfigError(f"{_where(path, *where, str(code), str(key))}: {exc}") from None
        out[code] = dict(opts)
    return out


def load_rule_config(
    raw: Mapping[str, Any] | None,
    path: str | Path | None = None,
    unit_codes: Iterable[str] | None = None,
) -> RuleConfig:
    """Validate and merge the user's `rules` / `units` sections over the shipped defaults."""
    p = Path(path) if path else None
    raw = raw or {}
    base = shipped_defaults()
    merged = {code: dict(opts) for code, opts in base.items()}
    for code, opts in _merge_rules(p, ("rules",), raw.get("rules"), base).items():
        merged[code].update(opts)
    per_unit: dict[str, dict[str, dict[str, Any]]] = {}
    units = raw.get("units")
    units = {} if units is None else units
    if not isinstance(units, Mapping):
        raise ConfigError(f"{_where(p, 'units')}: expected a mapping of unit code to settings")
    known = set(unit_codes) if unit_codes is not None else None
    for unit, section in units.items():
        if known is not None and unit not in known:
            raise ConfigError(
                f"{_where(p, 'units')}: unknown unit {echo(unit)}"
                f" (not in the units file; valid: {_choices(known)})"
            )
        if not isinstance(unit, str) or not fields.CODE_RE.fullmatch(unit):
            raise ConfigError(f"{_where(p, 'units')}: {echo(unit)} is not a unit code")
        section = {} if section is None else section
        if not isinstance(section, Mapping) or set(section) - {"rules"}:
            extra = (
                sorted(set(section) - {"rules"}, key=str) if isinstance(section, Mapping) else []
            )
            hint = f"unknown key {echo(extra[0])} " if extra else ""
            raise ConfigError(f"{_where(p, 'units', str(unit))}: {hint}(valid: rules)")
        per_unit[str(unit)] = _merge_rules(
            p, ("units", str(unit), "rules"), section.get("rules"), base
        )
    return RuleConfig(path=p, global_=merged, per_unit=per_unit)


def coerce(config: Any, unit_codes: Iterable[str] | None = None) -> RuleConfig:
    """Accept a RuleConfig, a zwgk.config.Config (`.raw`, `.path`), a plain mapping or None."""
    if isinstance(config, RuleConfig):
        return config
    if config is None:
        return RuleConfig()
    if isinstance(config, Mapping):
        return load_rule_config(config, None, unit_codes)
    raw = getattr(config, "raw", None)
    if raw is not None:
        return load_rule_config(raw, getattr(config, "path", None), unit_codes)
    raise TypeError(f"cannot use {type(config).__name__} as a rule configuration")
