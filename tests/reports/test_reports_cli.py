"""`zwgk report` and the rule-metadata adapter."""

from __future__ import annotations

import sys
import types

import pytest
from click.testing import CliRunner

from reports import meta
from zwgk.cli import main


@pytest.fixture
def db_path(store, tmp_path):
    store.conn.close()
    return tmp_path / "zwgk.db"


def test_report_writes_the_latest_run(db_path, tmp_path):
    out = tmp_path / "r"
    result = CliRunner().invoke(main, ["report", "--db", str(db_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "index.html").exists() and (out / "tasks" / "_summary.xlsx").exists()
    assert "监测日期 2026-11-27" in (out / "index.html").read_text(encoding="utf-8")


def test_report_quarter(db_path, tmp_path):
    args = ["report", "--db", str(db_path), "--quarter", "2026Q4", "--out", str(tmp_path / "q")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "q" / "bulletin-2026Q4.docx").exists()


def test_report_bad_quarter_is_one_line_exit_2(db_path):
    result = CliRunner().invoke(main, ["report", "--db", str(db_path), "--quarter", "2026-4"])
    assert result.exit_code == 2
    assert "--quarter '2026-4' is not a quarter: use YYYYQn" in result.output


@pytest.fixture
def fresh_meta():
    meta.rule_meta.cache_clear()
    yield
    meta.rule_meta.cache_clear()


def test_rule_meta_falls_back_to_the_code(fresh_meta):
    found = meta.rule_meta("no-such-rule")
    assert (found.title_zh, found.fix) == ("no-such-rule", meta.GENERIC_FIX)


def test_rule_meta_reads_a_registry(fresh_meta, monkeypatch):
    class Demo:
        title_zh, title_en, severity, fix = "演示规则", "Demo", "warn", "按要求整改。"

    fake = types.ModuleType("checks.registry")
    fake.REGISTRY = {"demo-rule": Demo}
    monkeypatch.setitem(sys.modules, "checks.registry", fake)
    found = meta.rule_meta("demo-rule")
    assert (found.title_zh, found.severity, found.fix) == ("演示规则", "warn", "按要求整改。")


def test_rescore_needs_a_quarter(db_path):
    result = CliRunner().invoke(main, ["report", "--db", str(db_path), "--rescore"])
    assert result.exit_code == 2
    assert "--rescore goes with --quarter" in result.output
