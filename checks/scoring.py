"""The 测评 scoring table: checks/scoring.yaml, replaced key by key by the configuration file's
`scoring:` section (docs/scoring.md).

Every rule code in it must be a registered rule, every number finite and not negative; an error
names the file and the key, like the rule thresholds' errors. The table's version is its
`version` label plus a hash of its content, recorded with every score it produced, so a
published score says which table made it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from zwgk import fields
from zwgk.errors import ConfigError, echo

KEYS = ("version", "indicators", "vetoes", "bonuses")
INDICATOR_KEYS = ("title", "points", "cap", "deductions")
#: The 加分项 the scorer knows how to judge (reports/scores.py), by id.
BONUSES = {
    "no_findings": "本期未发现问题",  # no finding of any rule open in the period
    "all_rectified": "本期问题已全部整改",  # findings in the period, none open at its end
}
INDICATOR_ID = re.compile(r"^[a-z0-9_-]{1,40}$")
MAX_POINTS = 1000
MAX_INDICATORS = 50
MAX_TITLE = 100


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    title: str
    points: float
    cap: float  # most the indicator can lose: its points unless the table says less
    deductions: dict[str, float]  # rule code -> points per finding


@dataclass(frozen=True, slots=True)
class Bonus:
    id: str
    title: str
    points: float


@dataclass(frozen=True, slots=True)
class ScoringTable:
    label: str
    indicators: tuple[Indicator, ...]
    vetoes: frozenset[str]
    bonuses: tuple[Bonus, ...]
    hash: str  # sha256 of the canonical table, 12 hex digits

    @property
    def version(self) -> str:
        """What a score records: the operator's label and the content hash (the label alone
        would not change when someone edits the points and forgets it)."""
        return f"{self.label}@{self.hash}" if self.label else self.hash

    @property
    def full_marks(self) -> float:
        return sum(i.points for i in self.indicators)

    def indicator_of(self, rule: str) -> Indicator | None:
        for ind in self.indicators:
            if rule in ind.deductions:
                return ind
        return None


@cache
def _shipped() -> dict[str, Any]:
    text = resources.files("checks").joinpath("scoring.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text) or {}


def _where(path: Path | None, *parts: str) -> str:
    return ": ".join([str(path) if path else "configuration", "scoring", *parts])


def _points(path: Path | None, where: tuple[str, ...], value: Any, above_zero: bool) -> float:
    try:
        n = fields.number(value, minimum=0, maximum=MAX_POINTS, above_minimum=above_zero)
    except fields.Invalid as exc:
        raise ConfigError(f"{_where(path, *where)}: {exc}") from None
    return float(n)


def _title(path: Path | None, where: tuple[str, ...], value: Any) -> str:
    try:
        return fields.name(value, MAX_TITLE)
    except fields.Invalid as exc:
        raise ConfigError(f"{_where(path, *where)}: {exc}") from None


def _rules() -> dict[str, Any]:
    from checks.registry import load_rules

    return load_rules()


def _indicators(path: Path | None, raw: Any) -> tuple[Indicator, ...]:
    if not isinstance(raw, Mapping) or not raw:
        raise ConfigError(f"{_where(path, 'indicators')}: expected a mapping of indicator to items")
    if len(raw) > MAX_INDICATORS:
        raise ConfigError(f"{_where(path, 'indicators')}: at most {MAX_INDICATORS} indicators")
    rules = _rules()
    seen: dict[str, str] = {}  # rule code -> indicator: one finding deducts in one place
    out = []
    for ind_id, spec in raw.items():
        if not isinstance(ind_id, str) or not INDICATOR_ID.fullmatch(ind_id):
            raise ConfigError(
                f"{_where(path, 'indicators')}: {echo(ind_id)} is not an indicator id ([a-z0-9_-])"
            )
        if not isinstance(spec, Mapping):
            raise ConfigError(f"{_where(path, 'indicators', ind_id)}: expected a mapping")
        extra = sorted(set(spec) - set(INDICATOR_KEYS), key=str)
        if extra:
            raise ConfigError(
                f"{_where(path, 'indicators', ind_id)}: unknown key {echo(extra[0])}"
                f" (valid: {', '.join(INDICATOR_KEYS)})"
            )
        for key in ("title", "points"):
            if key not in spec:
                raise ConfigError(f"{_where(path, 'indicators', ind_id)}: {key} is required")
        title = _title(path, ("indicators", ind_id, "title"), spec["title"])
        points = _points(path, ("indicators", ind_id, "points"), spec["points"], True)
        cap = points
        if spec.get("cap") is not None:
            cap = _points(path, ("indicators", ind_id, "cap"), spec["cap"], False)
            if cap > points:
                raise ConfigError(
                    f"{_where(path, 'indicators', ind_id, 'cap')}: {cap:g} is more than the"
                    f" indicator's {points:g} points"
                )
        deductions: dict[str, float] = {}
        raw_deductions = spec.get("deductions") or {}
        if not isinstance(raw_deductions, Mapping):
            raise ConfigError(
                f"{_where(path, 'indicators', ind_id, 'deductions')}: expected a mapping of"
                " rule code to points per finding"
            )
        for code, value in raw_deductions.items():
            where = ("indicators", ind_id, "deductions", str(code))
            if code not in rules:
                raise ConfigError(
                    f"{_where(path, *where)}: unknown rule {echo(code)}"
                    f" (valid: {', '.join(sorted(rules))})"
                )
            if code in seen:
                raise ConfigError(
                    f"{_where(path, *where)}: rule {code} already deducts under {seen[code]}"
                )
            seen[code] = ind_id
            deductions[code] = _points(path, where, value, False)
        out.append(Indicator(ind_id, title, points, cap, deductions))
    return tuple(out)


def _vetoes(path: Path | None, raw: Any) -> frozenset[str]:
    if not isinstance(raw, list):
        raise ConfigError(f"{_where(path, 'vetoes')}: expected a list of rule codes")
    rules = _rules()
    able = sorted(code for code, cls in rules.items() if cls.can_veto())
    for code in raw:
        if code not in rules:
            raise ConfigError(
                f"{_where(path, 'vetoes')}: unknown rule {echo(code)} (valid: {', '.join(able)})"
            )
        if code not in able:
            raise ConfigError(
                f"{_where(path, 'vetoes')}: {code} never gives a veto finding"
                f" (valid: {', '.join(able)})"
            )
    return frozenset(raw)


def _bonuses(path: Path | None, raw: Any) -> tuple[Bonus, ...]:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{_where(path, 'bonuses')}: expected a mapping of bonus id to points")
    out = []
    for bonus_id, spec in raw.items():
        if bonus_id not in BONUSES:
            raise ConfigError(
                f"{_where(path, 'bonuses')}: unknown bonus {echo(bonus_id)}"
                f" (valid: {', '.join(BONUSES)})"
            )
        if not isinstance(spec, Mapping) or set(spec) - {"title", "points"}:
            raise ConfigError(
                f"{_where(path, 'bonuses', bonus_id)}: expected a mapping (valid: title, points)"
            )
        points = _points(path, ("bonuses", bonus_id, "points"), spec.get("points"), False)
        title = BONUSES[bonus_id]
        if spec.get("title") is not None:
            title = _title(path, ("bonuses", bonus_id, "title"), spec["title"])
        out.append(Bonus(bonus_id, title, points))
    return tuple(out)


def _canonical(table: ScoringTable) -> str:
    return json.dumps(
        {
            "label": table.label,
            "indicators": [
                [i.id, i.title, i.points, i.cap, sorted(i.deductions.items())]
                for i in table.indicators
            ],
            "vetoes": sorted(table.vetoes),
            "bonuses": [[b.id, b.title, b.points] for b in table.bonuses],
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def load_scoring_table(
    raw: Mapping[str, Any] | None, path: str | Path | None = None
) -> ScoringTable:
    """The table from the configuration's `scoring:` section (None: the shipped one)."""
    p = Path(path) if path else None
    raw = {} if raw is None else raw
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{_where(p)}: expected a mapping (valid keys: {', '.join(KEYS)})")
    extra = sorted(set(raw) - set(KEYS), key=str)
    if extra:
        raise ConfigError(f"{_where(p)}: unknown key {echo(extra[0])} (valid: {', '.join(KEYS)})")
    shipped = _shipped()
    # The shipped table is checked like a user's, but an error in it is ours: name its file.
    source = {key: (p if key in raw else Path("checks/scoring.yaml")) for key in KEYS}
    merged = {key: raw[key] if key in raw else shipped.get(key) for key in KEYS}
    label = merged["version"]
    label = "" if label is None else _title(source["version"], ("version",), str(label))
    table = ScoringTable(
        label=label,
        indicators=_indicators(source["indicators"], merged["indicators"]),
        vetoes=_vetoes(source["vetoes"], merged["vetoes"] or []),
        bonuses=_bonuses(source["bonuses"], merged["bonuses"] or {}),
        hash="",
    )
    digest = hashlib.sha256(_canonical(table).encode("utf-8")).hexdigest()[:12]
    return ScoringTable(table.label, table.indicators, table.vetoes, table.bonuses, digest)


def scoring_table(config: Any) -> ScoringTable:
    """Accept a ScoringTable, a zwgk.config.Config (`.raw`, `.path`), the raw mapping or None."""
    if isinstance(config, ScoringTable):
        return config
    if config is None:
        return load_scoring_table(None)
    if isinstance(config, Mapping):
        return load_scoring_table(config.get("scoring"))
    raw = getattr(config, "raw", None)
    if raw is not None:
        return load_scoring_table(raw.get("scoring"), getattr(config, "path", None))
    raise TypeError(f"cannot use {type(config).__name__} as a scoring configuration")
