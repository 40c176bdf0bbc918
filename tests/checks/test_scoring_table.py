"""The scoring table: shipped default, replacement key by key, errors naming file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from checks.registry import RULE_CODES
from checks.scoring import load_scoring_table, scoring_table
from zwgk.config import load_config
from zwgk.errors import ConfigError


def test_shipped_table_is_100_points_over_registered_rules():
    table = load_scoring_table(None)
    assert table.full_marks == 100
    assert table.label == "2026-default"
    assert table.version == f"2026-default@{table.hash}" and len(table.hash) == 12
    codes = {code for ind in table.indicators for code in ind.deductions}
    assert codes <= RULE_CODES
    assert "crawl-failed" not in codes  # a site nobody could read is not the unit's fault
    assert table.vetoes == {"site-unreachable", "homepage-stale", "stale-column", "blank-column"}
    assert table.indicator_of("stale-column").id == "timeliness"


def test_a_key_given_replaces_the_shipped_one_and_changes_the_hash():
    shipped = load_scoring_table(None)
    mine = load_scoring_table(
        {"indicators": {"all": {"title": "全部", "points": 50, "deductions": {"blank-column": 5}}}}
    )
    assert [i.id for i in mine.indicators] == ["all"] and mine.full_marks == 50
    assert mine.vetoes == shipped.vetoes and mine.bonuses == shipped.bonuses
    assert mine.hash != shipped.hash
    # same content, same hash: the version follows the table, not the file
    assert load_scoring_table({"vetoes": sorted(shipped.vetoes)}).hash == shipped.hash


def _config(tmp_path: Path, text: str):
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path, load_config(path)


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        (
            "scoring:\n  indicators:\n    t: {title: 及时性, points: 10,"
            " deductions: {stale-colum: 2}}\n",
            "scoring: indicators: t: deductions: stale-colum: unknown rule 'stale-colum'",
        ),
        (
            "scoring:\n  indicators:\n    t: {title: 及时性, points: -5}\n",
            "scoring: indicators: t: points: must be a number above 0 to 1000, got -5",
        ),
        (
            "scoring:\n  indicators:\n    t: {title: 及时性, points: 10,"
            " deductions: {stale-column: -1}}\n",
            "scoring: indicators: t: deductions: stale-column: must be a number from 0",
        ),
        (
            "scoring:\n  indicators:\n    t: {title: 及时性, points: 10, cap: 12}\n",
            "scoring: indicators: t: cap: 12 is more than the indicator's 10 points",
        ),
        (
            "scoring:\n  indicators:\n    a: {title: A, points: 10, deductions: {low-volume: 1}}\n"
            "    b: {title: B, points: 10, deductions: {low-volume: 2}}\n",
            "scoring: indicators: b: deductions: low-volume: rule low-volume already deducts"
            " under a",
        ),
        ("scoring:\n  vetoes: [broken-link]\n", "scoring: vetoes: broken-link never gives a veto"),
        ("scoring:\n  vetoes: [nope]\n", "scoring: vetoes: unknown rule 'nope'"),
        ("scoring:\n  bonuses: {best: {points: 1}}\n", "scoring: bonuses: unknown bonus 'best'"),
        ("scoring:\n  weights: {}\n", "scoring: unknown key 'weights'"),
        ("scoring:\n  indicators: {t: {points: 5}}\n", "scoring: indicators: t: title is required"),
    ],
)
def test_bad_table_names_the_file_and_key(tmp_path, yaml_text, message):
    path, config = _config(tmp_path, yaml_text)
    with pytest.raises(ConfigError) as err:
        scoring_table(config)
    assert str(err.value).startswith(f"{path}: ")
    assert message in str(err.value)


def test_unknown_section_lists_scoring_as_valid(tmp_path):
    with pytest.raises(ConfigError, match="valid: .*scoring"):
        _config(tmp_path, "scores: {}\n")
