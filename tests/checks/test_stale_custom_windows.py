"""stale-column's configured windows per column (monthly 社保参保情况, quarterly 新闻发布会):
they replace the category window, whatever the category, and the evidence says which applied."""

from __future__ import annotations

import json

import pytest
from builders import days_before

from checks.config import load_rule_config
from zwgk.errors import ConfigError


def one_column(b, name: str, category: str | None, age: int, **kw):
    b.unit()
    run = b.run()
    col = b.column(b.site(), name, category, **kw)
    b.crawl(run, col, [days_before(b.now, age), days_before(b.now, age + 40)])
    return run


@pytest.mark.parametrize(
    ("name", "category", "age", "fires"),
    [
        ("社保参保情况", "periodic", 30, False),
        ("社保参保情况", "periodic", 31, False),
        ("社保参保情况", "periodic", 32, True),  # a periodic column: 365 d would let it pass
        ("2026年社保参保情况", None, 33, True),  # name contains the entry
        ("新闻发布会", "news", 20, False),  # quarterly replaces the 14 d news window
        ("新闻发布会", "news", 92, False),
        ("新闻发布会", "news", 93, True),
        ("新闻发布会", "static", 100, True),  # configured: judged even as static
    ],
)
def test_default_windows_by_name(b, name, category, age, fires):
    run = one_column(b, name, category, age)
    b.check(run)
    assert bool(b.findings("stale-column")) is fires


def test_evidence_and_summary_say_which_window_applied(b):
    run = one_column(b, "社保参保情况", "periodic", 40)
    b.check(run)
    (f,) = b.findings("stale-column")
    ev = json.loads(f["evidence"])
    assert ev["window_days"] == 31
    assert ev["window_rule"] == "按栏目“社保参保情况”每月更新的要求"
    assert f["summary"].endswith("已40天未更新（要求31天内，按栏目“社保参保情况”每月更新的要求）")


def test_category_window_is_named_when_no_entry_applies(b):
    run = one_column(b, "工作动态", "news", 20)
    b.check(run)
    (f,) = b.findings("stale-column")
    assert json.loads(f["evidence"])["window_rule"] == "栏目类别：动态要闻类"
    assert f["summary"].endswith("（要求14天内）")


@pytest.mark.parametrize(
    ("key", "kw", "fires"),
    [
        ("/xxgk/sjfb/", {"url": "http://u1.test/xxgk/sjfb/index.html"}, True),
        ("/xxgk/other/", {"url": "http://u1.test/xxgk/sjfb/index.html"}, False),
        ("数据发布/月度数据", {"catalog_path": "法定主动公开内容/数据发布/月度数据"}, True),
        ("数据发布/月度数据", {"catalog_path": "法定主动公开内容/月度数据"}, False),
    ],
)
def test_entries_by_url_path_and_catalog_path(b, key, kw, fires):
    config = {"rules": {"stale-column": {"column_windows": {key: "monthly"}}}}
    run = one_column(b, "月度数据", "periodic", 50, **kw)
    b.check(run, config=config)
    assert bool(b.findings("stale-column")) is fires


def test_the_most_specific_entry_wins(b):
    windows = {"月度数据": "quarterly", "/xxgk/sjfb/": 40}
    config = {"rules": {"stale-column": {"column_windows": windows}}}
    run = one_column(b, "月度数据", "periodic", 50, url="http://u1.test/xxgk/sjfb/")
    b.check(run, config=config)
    (f,) = b.findings("stale-column")
    assert json.loads(f["evidence"])["window_rule"] == "按路径“/xxgk/sjfb/”每40天更新的要求"


def test_per_unit_mapping_replaces_the_global_one(b):
    config = {"units": {"u1": {"rules": {"stale-column": {"column_windows": {}}}}}}
    run = one_column(b, "社保参保情况", "periodic", 100)
    b.check(run, config=config)
    assert b.findings("stale-column") == []  # back to the 365 d periodic window


@pytest.mark.parametrize(
    ("windows", "words"),
    [
        ({"社保": "weekly"}, ["column_windows", "monthly, quarterly"]),
        ({"社保": 0}, ["column_windows", "1-3650"]),
        ({"社保": True}, ["column_windows"]),
        ({"": "monthly"}, ["column_windows", "column names"]),
        (["社保"], ["column_windows", "should be a dict"]),
    ],
)
def test_bad_windows_are_config_errors(windows, words):
    with pytest.raises(ConfigError) as err:
        load_rule_config({"rules": {"stale-column": {"column_windows": windows}}}, "c.yaml")
    for w in words:
        assert w in str(err.value)
