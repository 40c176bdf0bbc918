"""Generated documentation: docs/rules.md comes from the rule registry, so it cannot drift."""

from __future__ import annotations

from pathlib import Path

RULES_MD = Path(__file__).resolve().parent.parent / "docs" / "rules.md"

HEADER = """# Rule catalog

Generated from `checks/` by `python -m zwgk.docs` (a test fails when it is out of date). Codes
are permanent (`checks.registry.RULE_CODES`); every threshold is overridable in the configuration
file's `rules:` section, and per unit under `units: {code: {rules: ...}}`.

"""


def rules_markdown() -> str:
    from checks.catalog import markdown

    return HEADER + markdown().rstrip() + "\n"


if __name__ == "__main__":
    RULES_MD.write_text(rules_markdown(), encoding="utf-8")
    print(f"wrote {RULES_MD}")
