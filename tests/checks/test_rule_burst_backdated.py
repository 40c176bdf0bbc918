"""burst-publishing and backdated-publishing: 2 vs 3 items, silences, tolerance, history."""

from __future__ import annotations

import json

import pytest
from builders import days_before


def column_with(b, category, dates):
    b.unit()
    site = b.site()
    run = b.run()
    col = b.column(site, "通知公告" if category == "notice" else "工作动态", category)
    b.crawl(run, col, dates)
    b.check(run)
    return b.findings("burst-publishing")


@pytest.mark.parametrize(("n", "fires"), [(2, False), (3, True)])
def test_burst_two_vs_three_items(b, n, fires):
    cluster = [days_before(b.now, 5 - i) for i in range(n)]  # d, d+1(, d+2)
    found = column_with(b, "notice", [days_before(b.now, 100), *cluster])
    assert bool(found) is fires


def test_burst_evidence_dates_and_counts(b):
    dates = [
        days_before(b.now, 100),
        days_before(b.now, 4),
        days_before(b.now, 4),
        days_before(b.now, 3),
        days_before(b.now, 2),
    ]
    (f,) = column_with(b, "notice", dates)
    ev = json.loads(f["evidence"])
    (c,) = ev["clusters"]
    assert c["items"] == 4 and c["silence_days"] == 96 and c["start"] == days_before(b.now, 4)
    assert [d["items"] for d in c["dates"]] == [2, 1, 1]
    assert "集中发布4条信息" in f["summary"] and f["severity"] == "warn"


@pytest.mark.parametrize(
    ("spread", "gap", "category", "fires"),
    [
        (3, 100, "notice", False),  # d, d+1, d+3: not within 3 days
        (2, 29, "notice", False),  # silence under 30 days
        (2, 30, "notice", True),
        (2, 13, "news", False),  # news window 14 < 30
        (2, 14, "news", True),
    ],
)
def test_burst_span_and_silence(b, spread, gap, category, fires):
    start = 10
    cluster = [
        days_before(b.now, start),
        days_before(b.now, start - 1),
        days_before(b.now, start - spread),
    ]
    found = column_with(b, category, [days_before(b.now, start + gap), *cluster])
    assert bool(found) is fires


def test_first_items_of_a_new_column_are_not_a_burst(b):
    assert column_with(b, "notice", [days_before(b.now, d) for d in (3, 2, 1)]) == []


def backdated_setup(b, new_ages, *, day2="2026-11-02T08:00:00+08:00"):
    b.unit()
    site = b.site()
    r1 = b.run("2026-11-01T08:00:00+08:00")
    col = b.column(site, "政策文件", "notice")
    b.crawl(r1, col, [days_before(b.now, d) for d in (5, 40, 90)])
    b.check(r1)
    r2 = b.run(day2)
    b.crawl(r2, col, [days_before("2026-11-01T08:00:00+08:00", a) for a in new_ages])
    b.check(r2)
    return col


@pytest.mark.parametrize(("ages", "fires"), [((10, 12), False), ((10, 12, 20), True)])
def test_backdated_two_vs_three(b, ages, fires):
    backdated_setup(b, ages)
    assert bool(b.findings("backdated-publishing")) is fires


def test_backdated_tolerance_and_genuinely_new(b):
    backdated_setup(b, (0, 1, 1, -1))  # dated on/after the day before the last crawl
    assert b.findings("backdated-publishing") == []


def test_items_older_than_anything_known_are_deeper_pages_not_backdating(b):
    backdated_setup(b, (200, 300, 400))
    assert b.findings("backdated-publishing") == []


def test_backdated_evidence_and_lookback(b):
    col = backdated_setup(b, (10, 12, 20))
    (f,) = b.findings("backdated-publishing")
    ev = json.loads(f["evidence"])
    assert ev["backdated_items"] == 3 and len(ev["crawls"][0]["items"]) == 3
    assert ev["crawls"][0]["previous_crawl_at"] == "2026-11-01T08:00:00+08:00"
    assert "新出现3条" in f["summary"]
    r3 = b.run("2026-11-10T08:00:00+08:00")
    b.crawl(r3, col)
    b.check(r3)
    assert len(b.findings("backdated-publishing")) == 1  # still within 30 days
    r4 = b.run("2026-12-20T08:00:00+08:00")
    b.crawl(r4, col, [days_before("2026-12-20T08:00:00+08:00", 1)])
    b.check(r4)
    assert b.findings("backdated-publishing") == []


def test_no_previous_crawl_no_backdating(b):
    b.unit()
    site = b.site()
    run = b.run()
    col = b.column(site, "政策文件", "notice")
    b.crawl(run, col, [days_before(b.now, d) for d in (5, 40, 90, 100)])
    b.check(run)
    assert b.findings("backdated-publishing") == []
