"""meta-missing: required metas per page kind, and SiteIDCode against site_code and across pages."""

from __future__ import annotations

import json

import pytest

from checks.config import load_rule_config
from zwgk.errors import ConfigError

CODE = "3408020001"


def test_blank_site_domain_on_home_fires_with_counts_and_examples(b):
    b.unit(portal=True, site_code=CODE)
    portal = b.site(role="portal")
    run = b.run()
    b.page_meta(run, portal, "home", 1, {"SiteDomain": ("empty", 1)}, {CODE: 1})
    b.page_meta(run, portal, "list", 4, codes={CODE: 4})
    b.check(run)
    (f,) = b.findings("meta-missing")
    assert f["site_id"] == portal and f["column_id"] is None and f["severity"] == "deduct"
    assert f["summary"] == "页面元数据不全：首页 SiteDomain（内容为空）"
    ev = json.loads(f["evidence"])
    assert ev["missing"] == ["首页 SiteDomain：内容为空 1/1页"]
    assert ev["examples"] == {"首页 SiteDomain": [f"http://pages.test/{portal}/home/0.html"]}
    assert "site_codes_found" not in ev


def test_complete_pages_with_the_right_code_are_quiet(b):
    b.unit(site_code=CODE)
    site = b.site()
    run = b.run()
    for kind, n in (("home", 1), ("list", 12), ("detail", 80)):
        b.page_meta(run, site, kind, n, codes={CODE: n})
    b.check(run)
    assert b.findings("meta-missing") == []


def test_tags_outside_the_kinds_requirements_are_not_judged(b):
    """ColumnType missing on an article page is no defect: articles need ArticleTitle etc."""
    b.unit()
    site = b.site()
    run = b.run()
    b.page_meta(run, site, "detail", 5, {"ColumnType": ("absent", 5)})
    b.check(run)
    assert b.findings("meta-missing") == []


def test_one_finding_per_site_naming_every_kind_and_tag(b):
    b.unit()
    site = b.site()
    run = b.run()
    b.page_meta(run, site, "list", 10, {"ColumnType": ("absent", 10)})
    b.page_meta(run, site, "detail", 40, {"ContentSource": ("empty", 40), "PubDate": ("absent", 3)})
    b.check(run)
    (f,) = b.findings("meta-missing")
    assert f["summary"] == (
        "页面元数据不全：栏目页 ColumnType（缺失）；"
        "文章页 ContentSource（内容为空）；文章页 PubDate（缺失）"
    )


def test_a_tag_absent_on_some_pages_and_empty_on_others_counts_both(b):
    b.unit()
    site = b.site()
    run = b.run()
    b.page_meta(run, site, "detail", 10, {"PubDate": ("absent", 2)})
    b.db.execute(
        "INSERT INTO page_meta VALUES (?, ?, 'detail', 'PubDate', 'empty', 3, '[]')", [run, site]
    )
    b.check(run)
    (f,) = b.findings("meta-missing")
    assert f["summary"] == "页面元数据不全：文章页 PubDate（缺失、内容为空）"
    assert json.loads(f["evidence"])["missing"] == ["文章页 PubDate：缺失、内容为空 5/10页"]


@pytest.mark.parametrize(("lacking", "fires"), [(2, False), (3, True)])
def test_min_pages_boundary(b, lacking, fires):
    b.unit()
    site = b.site()
    run = b.run()
    b.page_meta(run, site, "detail", 50, {"ContentSource": ("absent", lacking)})
    config = load_rule_config({"rules": {"meta-missing": {"min_pages": 3}}})
    b.check(run, config)
    assert bool(b.findings("meta-missing")) is fires


def test_narrower_tag_list_and_per_unit_switch(b):
    b.unit("u1")
    b.unit("u2")
    run = b.run()
    for u in ("u1", "u2"):
        b.page_meta(run, b.site(u), "home", 1, {"SiteDomain": ("absent", 1)})
    config = load_rule_config(
        {
            "rules": {"meta-missing": {"home_tags": ["SiteName", "SiteIDCode"]}},
            "units": {"u2": {"rules": {"meta-missing": {"home_tags": ["SiteDomain"]}}}},
        }
    )
    b.check(run, config)
    assert [f["unit_id"] for f in b.findings("meta-missing")] == ["u2"]


def test_tag_lists_accept_only_recorded_tags():
    with pytest.raises(ConfigError, match="home_tags"):
        load_rule_config({"rules": {"meta-missing": {"home_tags": ["Keywords"]}}})
    with pytest.raises(ConfigError, match="min_pages"):
        load_rule_config({"rules": {"meta-missing": {"min_pages": 0}}})


def test_site_code_differing_on_some_pages_fires_with_values_and_examples(b):
    b.unit(site_code=CODE)
    site = b.site()
    run = b.run()
    b.page_meta(run, site, "home", 1, codes={CODE: 1})
    b.page_meta(run, site, "list", 8, codes={CODE: 8})
    b.page_meta(run, site, "detail", 30, codes={CODE: 26, "3408000099": 4})
    b.check(run)
    (f,) = b.findings("meta-missing")
    assert f["summary"] == f"页面元数据不全：网站标识码应为{CODE}，文章页标注为3408000099"
    ev = json.loads(f["evidence"])
    assert ev["expected_site_code"] == CODE
    assert ev["site_codes_found"] == [
        f"{CODE}：首页、栏目页、文章页 35页",
        "3408000099：文章页 4页",
    ]
    assert ev["site_code_examples"]["3408000099"].endswith("/detail/3408000099.html")


def test_site_code_compared_without_case_or_space(b):
    b.unit(site_code="bm34080001")
    site = b.site()
    run = b.run()
    b.page_meta(run, site, "home", 1, codes={"BM34080001": 1})
    b.page_meta(run, site, "detail", 3, codes={" bm34080001 ": 3})
    b.check(run)
    assert b.findings("meta-missing") == []  # one code, two spellings


def test_without_site_code_two_values_across_pages_fire(b):
    b.unit()
    site = b.site()
    run = b.run()
    b.page_meta(run, site, "home", 1, codes={"3408000001": 1})
    b.page_meta(run, site, "list", 5, codes={"3408000002": 5})
    b.check(run)
    (f,) = b.findings("meta-missing")
    assert f["summary"] == (
        "页面元数据不全：各页面网站标识码不一致：栏目页标注为3408000002、首页标注为3408000001"
    )


def test_site_code_check_can_be_switched_off(b):
    b.unit(site_code=CODE)
    site = b.site()
    run = b.run()
    b.page_meta(run, site, "home", 1, codes={"3408000099": 1})
    b.check(run, load_rule_config({"rules": {"meta-missing": {"check_site_code": False}}}))
    assert b.findings("meta-missing") == []


def test_site_not_assessed_is_not_judged(b):
    b.unit()
    site = b.site()
    run = b.run(sites={site: "blocked"})
    b.page_meta(run, site, "home", 1, {"SiteName": ("absent", 1)})
    b.check(run)
    assert b.findings("meta-missing") == []


def test_a_kind_not_read_today_is_judged_on_its_last_reading(b):
    """Day 2 of an incremental crawl reads the home page (fixed) and no new article: the
    finding stays, naming the articles' day-1 reading; day 3 reads fixed articles: resolved."""
    b.unit()
    site = b.site()
    run = b.run()
    b.page_meta(run, site, "home", 1, {"SiteDomain": ("absent", 1)})
    b.page_meta(run, site, "detail", 9, {"ContentSource": ("absent", 9)})
    b.check(run)
    (f,) = b.findings("meta-missing")
    assert "首页 SiteDomain" in f["summary"] and "文章页 ContentSource" in f["summary"]
    run2 = b.run("2026-11-30T08:00:00+08:00")
    b.page_meta(run2, site, "home", 1)
    b.check(run2)
    (f,) = b.findings("meta-missing")
    assert f["summary"] == "页面元数据不全：文章页 ContentSource（缺失，2026-11-29读取）"
    assert f["last_run_id"] == run2
    run3 = b.run("2026-12-01T08:00:00+08:00")
    b.page_meta(run3, site, "detail", 2)
    b.check(run3)
    assert b.findings("meta-missing") == []
    assert len(b.findings("meta-missing", status="resolved")) == 1


def test_a_wrong_code_on_articles_stands_until_articles_are_read_again(b):
    b.unit(site_code=CODE)
    site = b.site()
    run = b.run()
    b.page_meta(run, site, "home", 1, codes={CODE: 1})
    b.page_meta(run, site, "detail", 5, codes={"3408000099": 5})
    b.check(run)
    assert len(b.findings("meta-missing")) == 1
    run2 = b.run("2026-11-30T08:00:00+08:00")
    b.page_meta(run2, site, "home", 1, codes={CODE: 1})  # no new article on day 2
    b.check(run2)
    assert len(b.findings("meta-missing")) == 1
    run3 = b.run("2026-12-01T08:00:00+08:00")
    b.page_meta(run3, site, "home", 1, codes={CODE: 1})
    b.page_meta(run3, site, "detail", 2, codes={CODE: 2})  # the template was fixed
    b.check(run3)
    assert b.findings("meta-missing") == []
    assert len(b.findings("meta-missing", status="resolved")) == 1


def test_tags_and_code_together_are_one_finding(b):
    b.unit(site_code=CODE)
    site = b.site()
    run = b.run()
    b.page_meta(run, site, "home", 1, {"SiteName": ("absent", 1)}, {"3408000099": 1})
    b.check(run)
    (f,) = b.findings("meta-missing")
    assert f["summary"] == (
        f"页面元数据不全：首页 SiteName（缺失）；网站标识码应为{CODE}，首页标注为3408000099"
    )


def test_a_run_killed_and_run_again_the_same_day_reads_as_one(b):
    """The killed run read the articles, the rerun only what was left (the home page): the
    finding is the one an uninterrupted run gives, undated."""
    b.unit()
    site = b.site()
    killed = b.run()
    b.page_meta(killed, site, "home", 1)
    b.page_meta(killed, site, "detail", 30, {"PubDate": ("empty", 1)})
    b.finish(killed, "killed")
    rerun = b.run()
    b.page_meta(rerun, site, "home", 1)
    b.check(rerun)
    (f,) = b.findings("meta-missing")
    assert f["summary"] == "页面元数据不全：文章页 PubDate（内容为空）"


def _meta_rows(b, table: str) -> list[tuple[int, str]]:
    return sorted(
        (r[0], r[1]) for r in b.db.execute(f"SELECT DISTINCT run_id, kind FROM {table}").fetchall()
    )


def test_retention_keeps_each_kinds_latest_day_and_nothing_older(b):
    """page_meta and page_site_codes stay bounded: after a run, each (site, kind) keeps the
    runs of its latest reading day (a same-day rerun included) and loses every older day; a
    kind not read since (articles on an incremental day) keeps its last reading. The findings
    are the same with the pruned store as with the full one."""
    from zwgk import store

    b.unit(site_code=CODE)
    site = b.site()
    run1 = b.run()  # day 1 reads every kind, articles lacking ContentSource
    b.page_meta(run1, site, "home", 1, codes={CODE: 1})
    b.page_meta(run1, site, "list", 3, codes={CODE: 3})
    b.page_meta(run1, site, "detail", 9, {"ContentSource": ("absent", 9)}, {CODE: 9})
    b.check(run1)
    assert not any(store.prune_observations(b.db, run1).values())
    run2 = b.run("2026-11-30T08:00:00+08:00")  # day 2: home and lists, no new article
    b.page_meta(run2, site, "home", 1, codes={CODE: 1})
    b.page_meta(run2, site, "list", 3, codes={CODE: 3})
    b.check(run2)
    before = [(f["summary"], f["evidence"]) for f in b.findings("meta-missing")]
    pruned = store.prune_observations(b.db, run2)
    assert (pruned["page_site_codes"], pruned["page_meta"]) == (2, 2)
    want = [(run1, "detail"), (run2, "home"), (run2, "list")]
    assert _meta_rows(b, "page_meta") == want
    assert _meta_rows(b, "page_site_codes") == want
    # a same-day rerun (the boundary: same day, later run) keeps both of the day's runs
    run3 = b.run("2026-11-30T20:00:00+08:00")
    b.page_meta(run3, site, "home", 1, codes={CODE: 1})
    b.check(run3)
    after = [(f["summary"], f["evidence"]) for f in b.findings("meta-missing")]
    assert after == before and "2026-11-29读取" in after[0][0]
    assert not any(store.prune_observations(b.db, run3).values())
    assert _meta_rows(b, "page_meta") == [*want, (run3, "home")]
    # day 3 reads articles again: day 1's detail rows go, the finding resolves
    run4 = b.run("2026-12-01T08:00:00+08:00")
    b.page_meta(run4, site, "home", 1, codes={CODE: 1})
    b.page_meta(run4, site, "detail", 2, codes={CODE: 2})
    b.check(run4)
    store.prune_observations(b.db, run4)
    assert _meta_rows(b, "page_meta") == [(run2, "list"), (run4, "detail"), (run4, "home")]
    assert _meta_rows(b, "page_site_codes") == _meta_rows(b, "page_meta")
    assert b.findings("meta-missing") == []
    # many days later the rows are still one reading per kind, not one per day
    for day in range(2, 12):
        run = b.run(f"2026-12-{day:02d}T08:00:00+08:00")
        b.page_meta(run, site, "home", 1, codes={CODE: 1})
        b.check(run)
        store.prune_observations(b.db, run)
    assert len(_meta_rows(b, "page_meta")) == 3


def test_retention_ignores_runs_after_the_one_pruned_for(b):
    """Pruning for an earlier run never drops what a later run read (nor judges by it)."""
    from zwgk import store

    b.unit()
    site = b.site()
    run1 = b.run()
    b.page_meta(run1, site, "home", 1)
    run2 = b.run("2026-11-30T08:00:00+08:00")
    b.page_meta(run2, site, "home", 1)
    assert store.prune_observations(b.db, run1)["page_meta"] == 0
    assert _meta_rows(b, "page_meta") == [(run1, "home"), (run2, "home")]
