"""homepage-stale and crawl-failed."""

from __future__ import annotations

import pytest
from builders import days_before


@pytest.mark.parametrize(("age", "fires"), [(13, False), (14, False), (15, True)])
def test_homepage_window(b, age, fires):
    b.unit(portal=True)
    portal = b.site(role="portal")
    run = b.run()
    home = b.column(portal, "首页", is_home=1, catalog_path="")
    b.crawl(run, home, [days_before(b.now, age), days_before(b.now, age + 3)])
    b.check(run)
    found = b.findings("homepage-stale")
    assert bool(found) is fires
    assert (b.verdict(run, portal)[0] == "不合格") is fires
    if fires:
        assert found[0]["severity"] == "veto" and found[0]["summary"].startswith("首页最新信息")


def test_navigation_only_home_is_judged_by_second_level_pages(b):
    b.unit(portal=True)
    portal = b.site(role="portal")
    run = b.run()
    home = b.column(portal, "首页", is_home=1, catalog_path="")
    b.crawl(run, home, [None])
    b.crawl(run, b.column(portal, "工作动态", "news"), [days_before(b.now, 30)])
    b.check(run)
    (f,) = b.findings("homepage-stale")
    assert "导航型" in f["summary"]


def test_home_not_crawled_is_not_judged(b):
    b.unit(portal=True)
    portal = b.site(role="portal")
    run = b.run(sites={})
    b.site_run(run, portal, "down", error="timeout")
    b.site_run(run, b.site(), "ok")
    home = b.column(portal, "首页", is_home=1, catalog_path="")
    b.items(home, [days_before(b.now, 60)], run)
    b.check(run)
    assert b.findings("homepage-stale") == []
    (f,) = b.findings("crawl-failed")
    assert f["summary"] == "门户网站本次采集失败（站点无法连接：timeout），未能检查"
    assert b.verdict(run, portal) == ("未评估", [])


def test_failed_column_on_ok_site_is_a_column_finding(b):
    b.unit()
    site = b.site()
    run = b.run(sites={site: "partial"})
    col = b.column(site, "通知公告", "notice")
    b.column_run(run, col, "failed", error="HTTP 500")
    b.check(run)
    (f,) = b.findings("crawl-failed")
    assert f["column_id"] == col and f["severity"] == "warn"
    assert b.verdict(run, site) == ("合格", [])


def test_crawl_failed_resolves_when_site_is_back(b):
    b.unit()
    site = b.site()
    r1 = b.run("2026-11-01T08:00:00+08:00", sites={})
    b.site_run(r1, site, "blocked", block="jsl-521")
    b.check(r1)
    assert len(b.findings("crawl-failed")) == 1
    r2 = b.run("2026-11-02T08:00:00+08:00")
    b.check(r2)
    assert b.findings("crawl-failed") == []
    assert len(b.findings("crawl-failed", status="resolved")) == 1


def test_site_never_attempted_is_reported(b):
    b.unit()
    run = b.run(sites={})
    b.check(run)
    (f,) = b.findings("crawl-failed")
    assert "本次未采集" in f["summary"]
    assert b.verdict(run, b.site()) == ("未评估", [])
