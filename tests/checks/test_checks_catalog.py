"""Every implemented rule is documented: metadata, regulation, fix, defaults, options."""

from __future__ import annotations

import re

import pytest

from checks.catalog import markdown, rules_catalog
from checks.config import shipped_defaults
from checks.registry import RULE_CODES, load_rules

RULES = load_rules()


def test_codes_come_from_the_catalog():
    assert set(RULES) <= RULE_CODES


def test_defaults_yaml_matches_registry():
    assert set(shipped_defaults()) == set(RULES)


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_is_documented(code):
    cls = RULES[code]
    for attr in ("title_zh", "title_en", "regulation", "fix", "message"):
        assert getattr(cls, attr), attr
    assert "〔" in cls.regulation or "条例" in cls.regulation
    assert cls.defaults(), "every rule has at least one option"
    doc = cls.__module__ and __import__(cls.__module__, fromlist=["x"]).__doc__
    for section in ("What:", "Why:", "How to fix:", "Options:"):
        assert section in doc, section
    options = doc.split("Options:")[1]
    for option in shipped_defaults()[code]:
        if option != "enabled":
            assert re.search(rf"^\s+{option}:", options, re.M), f"{option} undocumented"


def test_catalog_lists_every_rule():
    cat = rules_catalog()
    assert [r["code"] for r in cat] == sorted(RULES)
    assert all(r["what"] and r["options"] for r in cat)
    md = markdown()
    for code in RULES:
        assert f"`{code}`" in md
