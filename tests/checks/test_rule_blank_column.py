"""blank-column: never any item; placeholder is blank; lost items are not; not-assessed is not."""

from __future__ import annotations

import pytest
from builders import days_before


@pytest.mark.parametrize(
    ("status", "items", "fires"),
    [("ok", 0, True), ("placeholder", 0, True), ("ok", 1, False)],
)
def test_blank_vs_one_item_vs_placeholder(b, status, items, fires):
    b.unit()
    site = b.site()
    run = b.run()
    col = b.column(site, "政策解读", "notice")
    b.crawl(run, col, [days_before(b.now, 1)] * items, status=status)
    b.check(run)
    found = b.findings("blank-column")
    assert bool(found) is fires
    if fires:
        assert found[0]["summary"].startswith("政策解读栏目为空白栏目")


def test_blocked_site_is_not_blank_but_crawl_failed(b):
    b.unit()
    site = b.site()
    run = b.run(sites={})
    b.site_run(run, site, "blocked", block="ruishu-412")
    col = b.column(site, "政策解读", "notice")
    b.column_run(run, col, "blocked")
    b.check(run)
    assert b.findings("blank-column") == []
    (f,) = b.findings("crawl-failed")
    assert "ruishu-412" in f["summary"] and f["column_id"] is None


def test_column_that_lost_its_items_is_not_blank(b):
    b.unit()
    site = b.site()
    r1 = b.run("2026-11-01T08:00:00+08:00")
    col = b.column(site, "通知公告", "notice")
    b.crawl(r1, col, [days_before(b.now, 3)])
    b.check(r1)
    r2 = b.run("2026-11-02T08:00:00+08:00")
    b.column_run(r2, col, "placeholder", items_seen=0)
    b.check(r2)
    assert b.findings("blank-column") == []


def test_catalog_node_with_children_is_not_blank(b):
    b.unit()
    site = b.site()
    run = b.run()
    parent = b.column(site, "法定主动公开内容", catalog_path="法定主动公开内容")
    child = b.column(site, "工作动态", "news", catalog_path="法定主动公开内容/工作动态")
    b.crawl(run, parent, [])
    b.crawl(run, child, [days_before(b.now, 1)])
    b.check(run)
    assert b.findings("blank-column") == []


@pytest.mark.parametrize(("n", "veto"), [(4, False), (5, True)])
def test_site_veto_blank_columns(b, n, veto):
    b.unit()
    site = b.site()
    run = b.run()
    for i in range(n):
        b.crawl(run, b.column(site, f"空栏目{i}", "notice"), [], status="placeholder")
    b.check(run)
    assert (b.verdict(run, site) == ("不合格", ["blank-column"])) is veto
    assert len(b.findings("blank-column")) == n + (1 if veto else 0)


def test_waived_blank_columns_do_not_count_toward_veto(b):
    from checks.lifecycle import waive

    b.unit()
    site = b.site()
    r1 = b.run("2026-11-01T08:00:00+08:00")
    cols = [b.column(site, f"空栏目{i}", "notice") for i in range(5)]
    for c in cols:
        b.crawl(r1, c, [], status="placeholder")
    b.check(r1)
    assert b.verdict(r1, site)[0] == "不合格"
    waive(b.db, b.findings("blank-column")[0]["finding_id"], "历史栏目，已报备")
    r2 = b.run("2026-11-02T08:00:00+08:00")
    for c in cols:
        b.crawl(r2, c, [], status="placeholder")
    b.check(r2)
    assert b.verdict(r2, site) == ("合格", [])
    assert len(b.findings("blank-column", status="waived")) == 1
