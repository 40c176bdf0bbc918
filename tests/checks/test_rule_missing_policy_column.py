"""missing-policy-column: required columns per unit kind, found by name, synonym or catalog path."""

from __future__ import annotations

import json

import pytest
from builders import days_before

from checks.config import load_rule_config
from zwgk.errors import ConfigError

SIX = ["重大建设项目", "土地征收", "保障性住房", "乡村振兴", "社会公益事业", "双随机一公开"]


def catalog(b, names: list[str], kind: str = "county", *, paths: list[str] | None = None):
    b.unit("u1", kind)
    run = b.run()
    for k, name in enumerate(names):
        path = paths[k] if paths else f"法定主动公开内容/{name}"
        col = b.column(b.site("u1"), name, "periodic", catalog_path=path)
        b.crawl(run, col, [days_before(b.now, 30)])
    return run


def finding(b) -> dict | None:
    found = b.findings("missing-policy-column")
    assert len(found) <= 1
    return found[0] if found else None


def test_all_six_by_synonym_is_quiet(b):
    run = catalog(b, SIX)
    b.check(run)
    assert finding(b) is None


@pytest.mark.parametrize("drop", range(6))
def test_each_missing_subject_is_named(b, drop):
    names = SIX[:drop] + SIX[drop + 1 :]
    run = catalog(b, names)
    b.check(run)
    f = finding(b)
    subject = ["重点工程建设", "土地征收", "棚户区改造", "扶贫", "公共服务", "公共监管"][drop]
    assert f["summary"] == f"区县单位目录中未找到以下领域的栏目：{subject}（共1个）"
    ev = json.loads(f["evidence"])
    assert ev["missing_columns"] == [subject] and ev["columns_checked"] == 5
    assert ev["names_looked_for"][0].startswith(f"{subject}（{subject}、")
    assert f["site_id"] == b.site("u1") and f["column_id"] is None


def test_a_heading_in_the_catalog_path_counts(b):
    paths = [f"重点领域信息公开/{p}/年度信息" for p in SIX]
    run = catalog(b, ["年度信息"] * 6, paths=paths)
    b.check(run)
    assert finding(b) is None


def test_departments_require_nothing_by_default_and_can_be_configured(b):
    run = catalog(b, ["工作动态"], kind="department")
    config = {
        "units": {
            "u1": {
                "rules": {
                    "missing-policy-column": {"required_columns": {"department": ["棚户区改造"]}}
                }
            }
        }
    }
    b.check(run, config=config)
    ev = json.loads(finding(b)["evidence"])
    assert ev["missing_columns"] == ["棚户区改造"]


@pytest.mark.parametrize("configured", [False, True])
def test_global_synonyms_are_configurable(b, configured):
    run = catalog(b, ["重大项目", "土地征收", "棚改专栏", "乡村振兴", "公共服务", "执法信息"])
    synonyms = {
        "重点工程建设": ["重大项目"],
        "棚户区改造": ["棚改"],
        "扶贫": ["乡村振兴"],
        "公共监管": ["执法信息"],  # not a default synonym
    }
    config = {"rules": {"missing-policy-column": {"synonyms": synonyms}}} if configured else None
    b.check(run, config=config)
    if configured:
        assert finding(b) is None
    else:
        assert json.loads(finding(b)["evidence"])["missing_columns"] == ["公共监管"]


def test_not_judged_when_a_site_was_not_assessed(b):
    b.unit("u1", "county", portal=True)
    run = b.run(sites={b.site("u1"): "ok", b.site("u1", "portal"): "blocked"})
    b.check(run)
    assert finding(b) is None


def test_columns_on_the_portal_count(b):
    b.unit("u1", "county", portal=True)
    run = b.run()
    for k, name in enumerate(SIX):
        site = b.site("u1", "portal" if k % 2 else "disclosure")
        b.crawl(run, b.column(site, name, "periodic"), [days_before(b.now, 10)])
    b.check(run)
    assert finding(b) is None


def test_resolves_when_the_column_appears(b):
    run = catalog(b, SIX[:5])
    b.check(run)
    assert finding(b) is not None
    run2 = b.run("2026-11-30T08:00:00+08:00")
    for (cid,) in b.db.execute("SELECT column_id FROM columns").fetchall():
        b.column_run(run2, cid, "ok")
    b.crawl(run2, b.column(b.site("u1"), "双随机抽查结果", "notice"), [days_before(b.now, 3)])
    b.check(run2)
    assert finding(b) is None and len(b.findings("missing-policy-column", "resolved")) == 1


@pytest.mark.parametrize(
    ("opts", "words"),
    [
        ({"required_columns": {"village": ["扶贫"]}}, ["unknown unit kind 'village'"]),
        ({"required_columns": {"county": "扶贫"}}, ["must be a list of names"]),
        ({"synonyms": {"扶贫": [""]}}, ["names are 1-200 characters"]),
        ({"synonyms": ["扶贫"]}, ["should be a dict"]),
    ],
)
def test_bad_options_are_config_errors(opts, words):
    with pytest.raises(ConfigError) as err:
        load_rule_config({"rules": {"missing-policy-column": opts}}, "c.yaml")
    for w in ["missing-policy-column", *words]:
        assert w in str(err.value)


def test_a_configured_kind_leaves_the_other_kinds_alone(b):
    run = catalog(b, SIX[:5], kind="county")
    config = {"rules": {"missing-policy-column": {"required_columns": {"department": ["扶贫"]}}}}
    b.check(run, config=config)
    assert json.loads(finding(b)["evidence"])["missing_columns"] == ["公共监管"]
