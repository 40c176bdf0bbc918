"""Rule metadata for reports, read through one adapter.

`checks.registry` is written in parallel; until it lands (or for a code it does not know) a
rule reads as its own code with a generic fix text, so reports never block on the rules.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import Any

from checks.text import CATEGORY_ZH, KIND_ZH, SECTION_ZH  # one vocabulary for rules and reports

__all__ = [
    "CATEGORY_ZH",
    "KIND_ZH",
    "ROLE_ZH",
    "SECTION_ZH",
    "SEVERITY_ZH",
    "RuleMeta",
    "rule_meta",
]

GENERIC_FIX = (
    "对照《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）逐项整改，整改后报送整改情况。"
)

SEVERITY_ZH = {"veto": "单项否决", "deduct": "扣分", "warn": "提醒"}
ROLE_ZH = {"portal": "门户网站", "disclosure": "政府信息公开平台"}


@dataclass(frozen=True, slots=True)
class RuleMeta:
    code: str
    title_zh: str
    title_en: str
    severity: str | None
    fix: str


def _field(obj: Any, *names: str) -> Any:
    for name in names:
        value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
        if value:
            return value
    return None


def _lookup(registry: Any, code: str) -> Any:
    for getter in ("get", "get_rule", "rule"):
        fn = getattr(registry, getter, None)
        if callable(fn):
            try:
                found = fn(code)
            except Exception:  # unknown code, or a rule module still being written
                found = None
            if found is not None:
                return found
    for table in ("RULES", "REGISTRY", "rules", "registry"):
        mapping = getattr(registry, table, None)
        if isinstance(mapping, dict) and code in mapping:
            return mapping[code]
    return None


@cache
def rule_meta(code: str) -> RuleMeta:
    """The rule's titles, severity and fix text; falls back to the code itself."""
    try:
        registry = importlib.import_module("checks.registry")
    except Exception:  # not landed yet, or broken mid-edit: reports must still be written
        registry = None
    found = _lookup(registry, code) if registry is not None else None
    if found is None:
        return RuleMeta(code, code, code, None, GENERIC_FIX)
    return RuleMeta(
        code=code,
        title_zh=str(_field(found, "title_zh", "title") or code),
        title_en=str(_field(found, "title_en") or code),
        severity=_field(found, "severity"),
        fix=str(_field(found, "fix", "fix_zh", "fix_text", "how_to_fix") or GENERIC_FIX),
    )
