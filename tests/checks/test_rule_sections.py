"""missing-request-section, missing-required-section, annual-report-missing."""

from __future__ import annotations

import json

import pytest

REQUIRED = ("guide", "system", "fdzdgknr", "annual")


def platform(b, kind="county", now="2026-11-29T08:00:00+08:00", site_status="ok"):
    b.unit(kind=kind)
    site = b.site()
    run = b.run(now, sites={site: site_status})
    return run, site


def test_request_section_present(b):
    run, site = platform(b)
    b.section(run, site, "request", "http://u1.test/xxgk/ysqgk/")
    b.check(run)
    assert b.findings("missing-request-section") == []


def test_request_section_absent(b):
    run, site = platform(b)
    b.check(run)
    (f,) = b.findings("missing-request-section")
    assert f["summary"] == "政府信息公开平台目录中未设置独立的依申请公开栏目"


def test_request_dead_link_counts_as_missing(b):
    run, site = platform(b)
    b.section(run, site, "request", "http://u1.test/xxgk/ysqgk/", ok=0, status=404)
    b.check(run)
    (f,) = b.findings("missing-request-section")
    assert "HTTP 404" in f["summary"]
    ev = json.loads(f["evidence"])
    assert ev["reason"] == "dead-link" and ev["dead_links"][0]["url"].endswith("/ysqgk/")


def test_request_section_on_another_host(b):
    run, site = platform(b)
    b.section(run, site, "request", "http://ysqgk.other.test/apply/")
    b.check(run)
    assert b.findings("missing-request-section") == []


def test_request_as_crawled_column(b):
    run, site = platform(b)
    b.crawl(run, b.column(site, "依申请公开", "static", section="request"), ["2026-01-01"])
    b.check(run)
    assert b.findings("missing-request-section") == []


def test_blocked_platform_is_not_judged(b):
    run, site = platform(b, site_status="blocked")
    b.check(run)
    assert b.findings("missing-request-section") == []
    assert b.findings("missing-required-section") == []


@pytest.mark.parametrize("missing", [(), ("system",), ("guide", "annual")])
def test_required_sections(b, missing):
    run, site = platform(b)
    for s in REQUIRED:
        if s not in missing:
            b.section(run, site, s)
    b.check(run)
    found = b.findings("missing-required-section")
    assert bool(found) is bool(missing)
    if missing:
        assert json.loads(found[0]["evidence"])["missing_sections"] == list(missing)


def test_required_section_from_columns_and_dead_links(b):
    run, site = platform(b)
    b.section(run, site, "guide")
    b.section(run, site, "system", ok=0, status=500)
    b.crawl(run, b.column(site, "工作动态", "news", section="fdzdgknr"), ["2026-11-20"])
    b.crawl(run, b.column(site, "年报", "static", section="annual"), ["2026-01-20"])
    b.check(run)
    (f,) = b.findings("missing-required-section")
    assert f["summary"].startswith("政府信息公开平台缺少法定栏目：政府信息公开制度")
    assert json.loads(f["evidence"])["dead_links"][0]["status"] == 500


def annual(b, kind, now, titles, dates=None):
    run, site = platform(b, kind=kind, now=now)
    col = b.column(site, "政府信息公开年报", "static", section="annual")
    b.crawl(run, col, dates or ["2025-01-20"] * len(titles), titles=titles)
    b.check(run)
    return b.findings("annual-report-missing")


@pytest.mark.parametrize(
    ("kind", "now", "fires"),
    [
        ("department", "2026-02-15T08:00:00+08:00", True),
        ("county", "2026-02-15T08:00:00+08:00", False),
        ("department", "2026-01-31T08:00:00+08:00", False),
        ("county", "2026-04-01T08:00:00+08:00", True),
        ("township", "2026-03-31T08:00:00+08:00", False),
        ("institution", "2026-02-01T08:00:00+08:00", True),
    ],
)
def test_annual_deadlines(b, kind, now, fires):
    found = annual(b, kind, now, ["2024年政府信息公开工作年度报告"])
    assert bool(found) is fires
    if fires:
        assert "未发布2025年度" in found[0]["summary"]


@pytest.mark.parametrize(
    ("title", "date"),
    [
        ("2025年政府信息公开工作年度报告", "2026-01-20"),
        ("二〇二五年政府信息公开工作年度报告", "2026-01-20"),
        ("政府信息公开工作年度报告", "2026-01-25"),
    ],
)
def test_annual_report_published(b, title, date):
    assert annual(b, "department", "2026-02-15T08:00:00+08:00", [title], [date]) == []


def test_annual_not_judged_without_annual_column(b):
    run, site = platform(b, kind="department", now="2026-02-15T08:00:00+08:00")
    b.check(run)
    assert b.findings("annual-report-missing") == []


@pytest.mark.parametrize("rule", ["missing-request-section", "missing-required-section"])
def test_section_column_that_failed_is_not_judged_missing(b, rule):
    run, site = platform(b, site_status="partial")
    for s in ("guide", "system", "fdzdgknr"):
        b.section(run, site, s)
    section = "request" if rule == "missing-request-section" else "annual"
    b.column_run(run, b.column(site, "依申请公开", section=section), "failed", error="HTTP 404")
    b.check(run)
    assert b.findings(rule) == []
    assert len(b.findings("crawl-failed")) == 1


# -- sections that live elsewhere: present, not checked ----------------------------------------
PROVINCE = "https://ysqgk.province.test/apply?unit=u1"


def test_request_section_on_an_external_platform_is_present(b):
    """The spider records an entry pointing outside the unit's hosts without fetching it
    (status None): present, not checked, never missing or dead."""
    run, site = platform(b)
    b.section(run, site, "request", PROVINCE, ok=1, status=None, external=1)
    b.check(run)
    assert b.findings("missing-request-section") == []


def test_an_external_entry_is_never_a_dead_link(b):
    """Boundary: even recorded as not ok, an external entry was never fetched, so it cannot be
    judged dead; a dead link on the unit's own host next to it still is."""
    run, site = platform(b)
    b.section(run, site, "request", PROVINCE, ok=0, status=None, external=1)
    b.check(run)
    assert b.findings("missing-request-section") == []
    run2 = b.run("2026-11-30T08:00:00+08:00")
    b.section(run2, site, "guide", "http://u1.test/xxgk/zn/", ok=0, status=404)
    b.section(run2, site, "guide", "https://zn.province.test/", ok=0, status=None, external=1)
    for s in ("system", "fdzdgknr", "annual"):
        b.section(run2, site, s)
    b.check(run2)
    assert b.findings("missing-required-section") == []


def test_an_external_section_of_the_previous_run_does_not_count_now(b):
    """Bad case: the external entry was in yesterday's catalog only: missing today."""
    run, site = platform(b)
    b.section(run, site, "request", PROVINCE, status=None, external=1)
    b.check(run)
    run2 = b.run("2026-11-30T08:00:00+08:00")
    b.check(run2)
    (f,) = b.findings("missing-request-section")
    assert json.loads(f["evidence"])["reason"] == "absent"


def test_required_sections_linked_to_external_platforms_are_present(b):
    run, site = platform(b)
    b.section(run, site, "guide")
    b.section(run, site, "system")
    b.section(run, site, "annual", "https://nb.province.test/u1/", status=None, external=1)
    b.check(run)
    (f,) = b.findings("missing-required-section")
    assert json.loads(f["evidence"])["missing_sections"] == ["fdzdgknr"]  # only the absent one


def test_the_unit_report_says_where_an_external_section_points(b, tmp_path):
    from reports.build import write_reports

    run, site = platform(b)
    b.section(run, site, "request", PROVINCE, status=None, external=1)
    odd = 'http://x.test/"><script>alert(1)</script>'
    b.section(run, site, "annual", odd, status=None, external=1)
    b.section(run, site, "guide", "http://u1.test/xxgk/zn/")  # ours: not listed
    b.check(run)
    html = write_reports(b.db, run, tmp_path / "out").units["u1"].read_text(encoding="utf-8")
    assert (
        f'政府信息公开平台·依申请公开：链接至 <a href="{PROVINCE.replace("&", "&amp;")}"'
        f' rel="noopener noreferrer nofollow">{PROVINCE}</a>（外部平台，未检查）'
    ) in html
    # scraped text is escaped and an unsafe URL is shown, never linked
    assert "<script>alert(1)" not in html
    assert "政府信息公开年报：链接至 http://x.test/&#34;&gt;&lt;script&gt;" in html
    assert "/xxgk/zn/" not in html
