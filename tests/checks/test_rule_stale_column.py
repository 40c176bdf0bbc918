"""stale-column: category windows, boundaries, dateless items, roll-ups, not-assessed columns."""

from __future__ import annotations

import pytest
from builders import days_before


def stale_site(b, columns: list[tuple[str, str, int | None]], site_status: str = "ok"):
    """columns = [(name, category, days since the newest item or None for dateless)]."""
    b.unit()
    site = b.site()
    run = b.run(sites={site: site_status})
    for name, cat, age in columns:
        col = b.column(site, name, cat)
        dates = [None] if age is None else [days_before(b.now, age), days_before(b.now, age + 30)]
        b.crawl(run, col, dates)
    return run, site


@pytest.mark.parametrize(
    ("category", "age", "fires"),
    [
        ("news", 13, False),
        ("news", 14, False),
        ("news", 15, True),
        ("notice", 180, False),
        ("notice", 183, False),
        ("notice", 186, True),
        ("periodic", 360, False),
        ("periodic", 365, False),
        ("periodic", 370, True),
        ("static", 2000, False),
    ],
)
def test_category_windows(b, category, age, fires):
    run, _ = stale_site(b, [("栏目", category, age)])
    b.check(run)
    assert bool(b.findings("stale-column")) is fires


def test_summary_and_evidence_in_inspectors_style(b):
    b.now = "2026-11-29T08:00:00+08:00"
    run, _ = stale_site(b, [("通知公告", "notice", 273)])
    b.check(run)
    (f,) = b.findings("stale-column")
    assert f["summary"] == "通知公告栏目更新至2026年3月1日，已273天未更新（要求183天内）"
    ev = __import__("json").loads(f["evidence"])
    assert ev["newest_item_date"] == "2026-03-01" and ev["window_days"] == 183
    assert f["severity"] == "deduct" and f["column_name"] == "通知公告"


def test_dateless_items_do_not_count_as_updates(b):
    b.unit()
    site = b.site()
    run = b.run()
    col = b.column(site, "工作动态", "news")
    b.crawl(run, col, [days_before(b.now, 40), None, None])
    b.check(run)
    (f,) = b.findings("stale-column")
    assert "已40天未更新" in f["summary"]


def test_category_from_name_when_pipeline_gave_none(b):
    run, _ = stale_site(b, [("部门动态", None, 20), ("信息公开指南", None, 900)])
    b.check(run)
    assert [f["column_name"] for f in b.findings("stale-column")] == ["部门动态"]


def test_units_file_override_wins(b):
    from zwgk.units import ColumnOverride

    b.unit(columns=(ColumnOverride(url="http://u1.test/xxgk/hist/", category="static"),))
    site = b.site()
    run = b.run()
    col = b.column(site, "工作动态", "news", url="http://u1.test/xxgk/hist/")
    b.crawl(run, col, [days_before(b.now, 400)])
    b.check(run)
    assert b.findings("stale-column") == []


@pytest.mark.parametrize("status", ["failed", "blocked"])
def test_failed_column_is_not_judged(b, status):
    b.unit()
    site = b.site()
    run = b.run(sites={site: "partial"})
    col = b.column(site, "工作动态", "news")
    b.items(col, [days_before(b.now, 100)], run)
    b.column_run(run, col, status)
    b.check(run)
    assert b.findings("stale-column") == []
    assert len(b.findings("crawl-failed")) == 1


def test_blocked_site_gets_no_stale_findings(b):
    run, site = stale_site(b, [("工作动态", "news", 100)], site_status="blocked")
    b.check(run)
    assert b.findings("stale-column") == []
    assert b.verdict(run, site) == ("未评估", [])


@pytest.mark.parametrize(("news", "notice", "veto"), [(2, 2, False), (3, 2, True), (5, 0, True)])
def test_site_veto_news_plus_notice(b, news, notice, veto):
    cols = [(f"动态{i}", "news", 30) for i in range(news)]
    cols += [(f"公告{i}", "notice", 200) for i in range(notice)]
    cols += [("要闻", "news", 1)]
    run, site = stale_site(b, cols)
    b.check(run)
    rollups = [f for f in b.findings("stale-column") if f["column_id"] is None]
    assert bool(rollups) is veto
    assert b.verdict(run, site) == (("不合格", ["stale-column"]) if veto else ("合格", []))
    if veto:
        assert rollups[0]["severity"] == "veto" and rollups[0]["column_url"] is None


@pytest.mark.parametrize(("n", "veto"), [(9, False), (10, True)])
def test_site_veto_long_stale(b, n, veto):
    run, site = stale_site(b, [(f"人事{i}", "periodic", 400) for i in range(n)])
    b.check(run)
    assert (b.verdict(run, site)[0] == "不合格") is veto


def test_per_unit_threshold_override(b):
    config = {"units": {"u1": {"rules": {"stale-column": {"news_window_days": 30}}}}}
    run, _ = stale_site(b, [("工作动态", "news", 20)])
    b.check(run, config=config)
    assert b.findings("stale-column") == []
