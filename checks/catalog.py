"""The rule catalog as data and Markdown, for the README and reports (one source: the rules)."""

from __future__ import annotations

import importlib
import re
from typing import Any

from checks.registry import load_rules

SECTIONS = ("What", "Why", "How to fix", "Options")


def _sections(doc: str) -> dict[str, str]:
    out: dict[str, str] = {}
    pattern = r"^({}):\s*$".format("|".join(re.escape(s) for s in SECTIONS))
    parts = re.split(pattern, doc or "", flags=re.M)
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        out[name] = " ".join(line.strip() for line in body.strip().splitlines())
    return out


def _options(doc: str) -> dict[str, str]:
    block = (doc or "").split("Options:", 1)[-1]
    return dict(re.findall(r"^\s+([a-z_]+):\s*(.+)$", block, re.M))


def rules_catalog() -> list[dict[str, Any]]:
    """Every registered rule: metadata, default options with their documentation."""
    out = []
    for code, cls in load_rules().items():
        doc = importlib.import_module(cls.__module__).__doc__ or ""
        sections = _sections(doc)
        documented = _options(doc)
        out.append(
            {
                "code": code,
                "title_zh": cls.title_zh,
                "title_en": cls.title_en,
                "severity": cls.severity,
                "scope": cls.scope,
                "regulation": cls.regulation,
                "fix": cls.fix,
                "message": cls.message,
                "what": sections.get("What", ""),
                "why": sections.get("Why", ""),
                "how_to_fix": sections.get("How to fix", ""),
                "options": {
                    k: {"default": v, "doc": documented.get(k, "")}
                    for k, v in cls.defaults().items()
                },
            }
        )
    return out


def markdown() -> str:
    """A Markdown table of the rules (code, 问题, severity, scope, defaults, regulation)."""
    lines = [
        "| code | 问题 | severity | scope | defaults | regulation |",
        "|---|---|---|---|---|---|",
    ]
    for r in rules_catalog():
        opts = ", ".join(f"`{k}={v['default']}`" for k, v in r["options"].items())
        lines.append(
            f"| `{r['code']}` | {r['title_zh']} | {r['severity']} | {r['scope']} |"
            f" {opts} | {r['regulation']} |"
        )
    return "\n".join(lines) + "\n"
