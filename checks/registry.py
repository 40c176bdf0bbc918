"""The rule registry: one declared class per rule code (ruff / spidermon style).

A rule declares its permanent `code` (one of RULE_CODES, the national catalog), its Chinese and English
titles, a default `severity` (veto / deduct / warn), its `scope` (site / column / unit / page),
the `regulation` it rests on, the rectification text `fix` (整改要求, used in task lists) and a
`message` template with named fields. Its thresholds live in `checks/defaults.yaml` (the one
configuration place); `Rule.defaults` reads them from there.

`evaluate(ctx)` runs set-based SQL over the store and returns `Hit`s; the runner turns hits into
findings (lifecycle) and verdicts.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from checks.context import Context

SEVERITIES = ("veto", "deduct", "warn")
#: The permanent rule codes of the catalog (implemented or not yet); outside tools rely on them.
RULE_CODES = frozenset(
    {
        "site-unreachable",
        "homepage-stale",
        "stale-column",
        "blank-column",
        "burst-publishing",
        "backdated-publishing",
        "catalog-mismatch",
        "missing-request-section",
        "missing-required-section",
        "annual-report-missing",
        "broken-link",
        "low-volume",
        "news-padding",
        "interpretation-missing",
        "crawl-failed",
        "meta-missing",
        "missing-policy-column",
    }
)
SCOPES = ("site", "column", "unit", "page")


@dataclass(slots=True)
class Hit:
    """One firing of a rule on one subject; `subkey` distinguishes several hits per subject."""

    unit_id: str
    summary: str
    evidence: dict[str, Any] = field(default_factory=dict)
    site_id: int | None = None
    column_id: int | None = None
    subkey: str = ""
    severity: str | None = None  # None: the rule's own severity


def finding_key(rule: str, unit_id: str, site_id: Any, column_id: Any, subkey: str = "") -> str:
    """The lifecycle key: rule + unit + site + column (+ sub-key). SQL twin: `key_sql`."""
    s = "" if site_id is None else str(site_id)
    c = "" if column_id is None else str(column_id)
    return f"{rule}|{unit_id}|{s}|{c}|{subkey}"


def key_sql(rule: str, unit: str, site: str, column: str, subkey: str = "''") -> str:
    """SQL expression building the same key as `finding_key` from column expressions."""
    return (
        f"'{rule}|' || {unit} || '|' || coalesce({site}, '') || '|' || coalesce({column}, '')"
        f" || '|' || {subkey}"
    )


# A finding's subject was assessed in this run (so the finding may resolve): by default the
# column when it has one, else the site, else every site of the unit. Alias `f` = findings.
DEFAULT_ASSESSED_SQL = """(
    (f.column_id IS NOT NULL AND f.column_id IN (SELECT column_id FROM zc_assessed_columns))
 OR (f.column_id IS NULL AND f.site_id IS NOT NULL
     AND f.site_id IN (SELECT site_id FROM zc_assessed_sites))
 OR (f.column_id IS NULL AND f.site_id IS NULL
     AND f.unit_id IN (SELECT unit_id FROM zc_run_units WHERE assessed = 1))
)"""


class Rule:
    """Base of every rule. Subclasses set the metadata and implement `evaluate`."""

    code: ClassVar[str]
    title_zh: ClassVar[str]
    title_en: ClassVar[str]
    severity: ClassVar[str]
    scope: ClassVar[str]
    regulation: ClassVar[str]
    fix: ClassVar[str]
    message: ClassVar[str]
    #: The rule may give a veto finding although its own severity is not veto: a site
    #: roll-up (stale-column, blank-column). The scoring table's `vetoes` accept such rules.
    site_rollup_veto: ClassVar[bool] = False

    @classmethod
    def can_veto(cls) -> bool:
        return cls.severity == "veto" or cls.site_rollup_veto

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        """Default options from checks/defaults.yaml (without `enabled`)."""
        from checks.config import shipped_defaults

        opts = dict(shipped_defaults().get(cls.code, {}))
        opts.pop("enabled", None)
        return opts

    @classmethod
    def render(cls, **fields: Any) -> str:
        return cls.message.format(**fields)

    def evaluate(self, ctx: Context) -> list[Hit]:
        raise NotImplementedError

    def assessed_sql(self) -> str:
        """SQL condition on alias `f` (findings): this finding's subject was assessed now."""
        return DEFAULT_ASSESSED_SQL


REGISTRY: dict[str, type[Rule]] = {}


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator: add a rule to the registry after checking its metadata."""
    for attr in (
        "code",
        "title_zh",
        "title_en",
        "severity",
        "scope",
        "regulation",
        "fix",
        "message",
    ):
        if not getattr(cls, attr, None):
            raise TypeError(f"rule {cls.__name__} lacks {attr}")
    if cls.severity not in SEVERITIES or cls.scope not in SCOPES:
        raise TypeError(f"rule {cls.code}: bad severity {cls.severity!r} or scope {cls.scope!r}")
    if cls.code in REGISTRY and REGISTRY[cls.code] is not cls:
        raise TypeError(f"rule code {cls.code} registered twice")
    REGISTRY[cls.code] = cls
    return cls


def load_rules() -> dict[str, type[Rule]]:
    """Import every module in checks.rules (each registers itself); returns the registry."""
    import checks.rules as pkg

    for mod in pkgutil.iter_modules(pkg.__path__):
        importlib.import_module(f"checks.rules.{mod.name}")
    return dict(sorted(REGISTRY.items()))


def get(code: str) -> type[Rule]:
    rules = load_rules()
    if code not in rules:
        raise KeyError(f"unknown rule {code!r} (valid: {', '.join(rules)})")
    return rules[code]
