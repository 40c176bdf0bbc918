"""low-volume: a unit's recent count against the median of its kind; who is not judged."""

from __future__ import annotations

import json

import pytest
from builders import days_before


def volume_city(b, counts: dict[str, int], kind: str = "department", *, history: bool = True):
    """Units with `counts` items each in the last 90 days (one 工作动态 column), plus an item
    200 days old so their lists reach back the whole window."""
    for code in counts:
        b.unit(code, kind)
    run = b.run()
    cols = {}
    for code, n in counts.items():
        col = b.column(b.site(code), "工作动态", "news")
        dates = [days_before(b.now, k % 89) for k in range(n)]
        if history:
            dates.append(days_before(b.now, 200))
        b.crawl(run, col, dates)
        cols[code] = col
    return run, cols


def fired(b) -> list[str]:
    return sorted(f["unit_id"] for f in b.findings("low-volume"))


def test_a_unit_far_below_its_kinds_median_fires_with_evidence(b):
    run, _ = volume_city(b, {"d1": 40, "d2": 40, "d3": 44, "d4": 5})
    b.check(run)
    (f,) = b.findings("low-volume")
    assert f["unit_id"] == "d4" and f["site_id"] == b.site("d4") and f["column_id"] is None
    ev = json.loads(f["evidence"])
    assert ev["item_count"] == 5 and ev["kind_median"] == 40 and ev["peer_units"] == 4
    assert ev["threshold_count"] == 10 and ev["period_days"] == 90 and ev["kind"] == "部门"
    assert ev["peer_counts"] == ["d3单位 44", "d1单位 40", "d2单位 40", "d4单位 5"]
    assert f["summary"] == (
        "近90天发布信息5条，低于同类（部门）单位中位数40条的25%（10条）；同类单位4个"
    )


@pytest.mark.parametrize(("count", "fires"), [(9, True), (10, False), (11, False)])
def test_boundary_is_strictly_below_ratio_times_median(b, count, fires):
    # median of 40, 40, 40, count (count < 40) is 40: threshold 0.25 x 40 = 10
    run, _ = volume_city(b, {"d1": 40, "d2": 40, "d3": 40, "d4": count})
    b.check(run)
    assert fired(b) == (["d4"] if fires else [])


def test_median_is_robust_to_a_few_huge_units(b):
    # the mean (1213.8) would make 30 and 32 look quiet; the median (32) does not
    run, _ = volume_city(b, {"d1": 30, "d2": 32, "d3": 1000, "d4": 5000, "d5": 7})
    b.check(run)
    assert fired(b) == ["d5"]


def test_kinds_are_not_mixed(b):
    for code in ("c1", "c2", "c3"):
        b.unit(code, "county")
    run, _ = volume_city(b, {"d1": 8, "d2": 9, "d3": 10})
    for code in ("c1", "c2", "c3"):
        col = b.column(b.site(code), "工作动态", "news")
        b.crawl(run, col, [days_before(b.now, k) for k in range(80)] + ["2026-01-01"])
    b.check(run)
    assert fired(b) == []  # departments compared with departments only


@pytest.mark.parametrize(("min_peers", "want"), [(None, []), (2, ["d2"])])
def test_too_few_units_of_a_kind_are_not_judged(b, min_peers, want):
    run, _ = volume_city(b, {"d1": 40, "d2": 2})
    config = {"rules": {"low-volume": {"min_peer_units": min_peers}}} if min_peers else None
    b.check(run, config=config)
    assert fired(b) == want  # two departments: judged only when 2 peers are configured enough


def test_a_unit_without_history_is_not_judged(b):
    run, cols = volume_city(b, {"d1": 40, "d2": 40, "d3": 40, "d4": 3}, history=False)
    for code in ("d1", "d2", "d3"):
        b.crawl(run, cols[code], [days_before(b.now, 300)])
    # d4's lists begin 88 days ago: it cannot say how much it published over 90 days
    b.check(run)
    assert fired(b) == []


def test_a_unit_without_history_is_no_peer(b):
    run, cols = volume_city(b, {"d1": 40, "d2": 40, "d4": 9, "d3": 2}, history=False)
    for code in ("d1", "d2", "d4"):
        b.crawl(run, cols[code], [days_before(b.now, 300)])
    # peers d1, d2, d4: median 40, threshold 10, d4 fires; were d3 counted, the median would
    # be 24.5 and d4 (9 > 6.1) would pass
    b.check(run)
    assert fired(b) == ["d4"]


@pytest.mark.parametrize("how", ["site blocked", "column failed"])
def test_an_incomplete_crawl_is_not_judged_and_does_not_resolve(b, how):
    run, cols = volume_city(b, {"d1": 40, "d2": 40, "d3": 40, "d4": 3})
    b.check(run)
    assert fired(b) == ["d4"]
    run2 = b.run("2026-11-30T08:00:00+08:00")
    for col in cols.values():
        b.column_run(run2, col, "ok")
    if how == "site blocked":
        b.site_run(run2, b.site("d4"), "blocked")
    else:
        broken = b.column(b.site("d4"), "通知公告", "notice")
        b.column_run(run2, broken, "failed", error="timeout")
    b.check(run2)
    (f,) = b.findings("low-volume")
    assert f["unit_id"] == "d4" and f["last_run_id"] == run  # still open, not re-judged


def test_fixed_unit_resolves(b):
    run, cols = volume_city(b, {"d1": 40, "d2": 40, "d3": 40, "d4": 3})
    b.check(run)
    run2 = b.run("2026-11-30T08:00:00+08:00")
    for code, col in cols.items():
        b.crawl(run2, col, [days_before(b.now, 1)] * (20 if code == "d4" else 0))
    b.check(run2)
    assert fired(b) == [] and len(b.findings("low-volume", "resolved")) == 1


def test_each_item_counts_once_per_unit_by_url(b):
    run, cols = volume_city(b, {"d1": 40, "d2": 40, "d3": 40})
    b.unit("d4", "department")
    b.site_run(run, b.site("d4"), "ok")
    urls = [f"http://d4.test/a/{k}.html" for k in range(6)]
    dates = [days_before(b.now, k) for k in range(6)]
    for name in ("工作动态", "首页动态", "重复栏目"):
        col = b.column(b.site("d4"), name, "news")
        b.crawl(run, col, dates, urls=urls)
    old = b.column(b.site("d4"), "历史", "static")
    b.crawl(run, old, [days_before(b.now, 400)])
    b.check(run)
    (f,) = b.findings("low-volume")
    assert json.loads(f["evidence"])["item_count"] == 6  # not 18


def test_a_portal_copy_does_not_double_count(b):
    """A portal catalog copy listing the platform's items under its own URLs counts once."""
    run, _ = volume_city(b, {"d1": 40, "d2": 40, "d3": 40})
    b.unit("d4", "department", portal=True)
    b.site_run(run, b.site("d4"), "ok")
    b.site_run(run, b.site("d4", "portal"), "ok")
    dates = [days_before(b.now, k) for k in range(6)] + [days_before(b.now, 300)]
    titles = [f"关于事项{k}的通知" for k in range(7)]
    plat = b.column(b.site("d4"), "通知公告", "notice", catalog_path="法定主动公开内容/通知公告")
    b.crawl(run, plat, dates, titles=titles)
    copy = b.column(
        b.site("d4", "portal"),
        "通知公告",
        "notice",
        catalog_path="信息公开目录/法定主动公开内容/通知公告",
    )
    b.crawl(run, copy, dates, titles=titles)
    b.check(run)
    (f,) = b.findings("low-volume")
    assert json.loads(f["evidence"])["item_count"] == 6  # not 12: threshold 10 would pass


def test_per_unit_override(b):
    run, _ = volume_city(b, {"d1": 40, "d2": 40, "d3": 40, "d4": 15})
    config = {"units": {"d4": {"rules": {"low-volume": {"below_median_ratio": 0.5}}}}}
    b.check(run, config=config)
    assert fired(b) == ["d4"]


def test_disabled_for_one_unit(b):
    run, _ = volume_city(b, {"d1": 40, "d2": 40, "d3": 40, "d4": 3})
    b.check(run, config={"units": {"d4": {"rules": {"low-volume": {"enabled": False}}}}})
    assert fired(b) == []


@pytest.mark.parametrize(
    ("opt", "bad"), [("below_median_ratio", 1.5), ("window_days", 0), ("min_peer_units", 0)]
)
def test_options_are_range_checked(opt, bad):
    from checks.config import load_rule_config
    from zwgk.errors import ConfigError

    with pytest.raises(ConfigError, match=f"low-volume: {opt}"):
        load_rule_config({"rules": {"low-volume": {opt: bad}}}, "c.yaml")


def test_many_peers_are_listed_from_both_ends(b):
    counts = {f"d{k:02d}": 40 + k for k in range(24)}
    counts["low"] = 2
    run, _ = volume_city(b, counts)
    b.check(run)
    (f,) = b.findings("low-volume")
    ev = json.loads(f["evidence"])
    assert ev["peer_units"] == 25 and len(ev["peer_counts"]) == 21
    assert ev["peer_counts"][0] == "d23单位 63" and ev["peer_counts"][10] == "…"
    assert ev["peer_counts"][-1] == "low单位 2"
