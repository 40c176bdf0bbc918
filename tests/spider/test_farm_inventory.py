"""The spiders against the demo farm's ground truth: every planted column and item, with the
right dates; WAF and dead sites not assessed; GBK decoded; day 2 incremental within budget."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict

import pytest

from tests.conftest import Crawl, zwgk

pytestmark = pytest.mark.farm


def columns_json(crawl: Crawl, db=None) -> list[dict]:
    out = zwgk("columns", "--db", str(db or crawl.db), "--format", "json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def truth_columns(truth: dict, assessable: bool = True) -> list[dict]:
    return [c for c in truth["columns"] if c["assessable"] == assessable]


def test_runs_complete(crawled: Crawl) -> None:
    assert crawled.run1.returncode == 0, crawled.run1.stderr[-3000:]
    assert crawled.run2.returncode == 0, crawled.run2.stderr[-3000:]


def test_every_planted_column_found_day1(crawled: Crawl) -> None:
    seen = {(c["unit"], c["column_url"]) for c in columns_json(crawled, crawled.db_day1)}
    want = {(c["unit"], c["column_url"]) for c in truth_columns(crawled.truth1)}
    missing = sorted(want - seen)
    assert not missing, f"{len(missing)} of {len(want)} planted columns not found: {missing[:10]}"


def test_items_and_dates_match_truth_day1(crawled: Crawl) -> None:
    db = sqlite3.connect(crawled.db_day1)
    got: dict[tuple[str, str], dict[str, str | None]] = defaultdict(dict)
    for unit, col_url, url, pub in db.execute(
        "SELECT c.unit_id, c.url, i.url, i.pub_date FROM items i JOIN columns c USING (column_id)"
    ):
        got[(unit, col_url)][url] = pub
    wrong = []
    for col in truth_columns(crawled.truth1):
        want = {i["url"]: i["date"] for i in col["items"] if i.get("day_added", 1) <= 1}
        have = got.get((col["unit"], col["column_url"]), {})
        if set(want) != set(have):
            wrong.append((col["column_url"], "items", len(want), len(have)))
            continue
        bad_dates = {u: (want[u], have[u]) for u in want if want[u] != have[u]}
        if bad_dates:
            wrong.append((col["column_url"], "dates", list(bad_dates.items())[:3]))
    assert not wrong, f"{len(wrong)} columns differ from truth: {wrong[:8]}"


def test_unassessable_sites_are_not_assessed(crawled: Crawl) -> None:
    db = sqlite3.connect(crawled.db_day1)
    status = {
        (unit, url): st
        for unit, url, st in db.execute(
            "SELECT s.unit_id, s.url, sr.status FROM site_runs sr JOIN sites s USING (site_id)"
            " WHERE sr.run_id = 1"
        )
    }
    for site in crawled.truth1["sites"]:
        if site["role"] == "extra":
            continue
        got = status.get((site["unit"], site["url"]))
        if site["block"] in ("ruishu", "ruishu-200", "jsl", "wzws"):
            assert got == "blocked", site
        elif site["block"] == "down":
            assert got == "down", site
        else:
            assert got in ("ok", "partial"), site
    assessed = {
        (c["unit"], c["column_url"])
        for c in columns_json(crawled, crawled.db_day1)
        if c["assessed"]
    }
    for col in truth_columns(crawled.truth1, assessable=False):
        assert (col["unit"], col["column_url"]) not in assessed


def test_gbk_titles_decode(crawled: Crawl) -> None:
    gbk_sites = {
        s["url"]
        for s in crawled.truth1["sites"]
        if (s["charset"] or "").lower() in ("gbk", "gb2312", "gb18030")
    }
    assert gbk_sites, "the farm must serve GBK sites"
    db = sqlite3.connect(crawled.db_day1)
    titles = {url: title for url, title in db.execute("SELECT url, title FROM items")}
    checked = 0
    for col in crawled.truth1["columns"]:
        if col["site"] in gbk_sites and col["assessable"]:
            for item in col["items"]:
                assert titles.get(item["url"]) == item["title"]
                checked += 1
    assert checked > 0


def test_day2_is_incremental_within_budget(crawled: Crawl) -> None:
    db = sqlite3.connect(crawled.db)
    pages2 = db.execute("SELECT count(*) FROM pages WHERE run_id = 2").fetchone()[0]
    columns = db.execute(
        "SELECT count(*) FROM columns WHERE is_home = 0 AND origin != 'link'"
    ).fetchone()[0]
    new_items = db.execute("SELECT count(*) FROM items WHERE first_run_id = 2").fetchone()[0]
    budget = 1.2 * (columns + new_items)
    assert pages2 <= budget, f"day 2 fetched {pages2} pages, budget {budget:.0f}"


def test_day2_new_items_found(crawled: Crawl) -> None:
    db = sqlite3.connect(crawled.db)
    new = {url for (url,) in db.execute("SELECT url FROM items WHERE first_run_id = 2")}
    want = {
        i["url"]
        for c in truth_columns(crawled.truth2)
        for i in c["items"]
        if i.get("day_added") == 2
    }
    assert want, "the farm adds items on day 2"
    assert want <= new, f"missing day-2 items: {sorted(want - new)[:5]}"


def test_catalog_paths_and_categories_match_truth(crawled: Crawl) -> None:
    db = sqlite3.connect(crawled.db_day1)
    got = {
        (unit, url): (path, category)
        for unit, url, path, category in db.execute(
            "SELECT unit_id, url, catalog_path, category FROM columns WHERE origin != 'link'"
        )
    }
    paths = cats = 0
    wrong_paths, wrong_cats = [], []
    for col in truth_columns(crawled.truth1):
        path, category = got[(col["unit"], col["column_url"])]
        paths += 1
        if path != col["catalog_path"]:
            wrong_paths.append((col["column_url"], col["catalog_path"], path))
        if col["category"] in ("news", "notice", "periodic"):
            cats += 1
            if category != col["category"]:
                wrong_cats.append((col["column_url"], col["category"], category))
    assert not wrong_paths, f"{len(wrong_paths)}/{paths} paths differ: {wrong_paths[:5]}"
    assert not wrong_cats, f"{len(wrong_cats)}/{cats} categories differ: {wrong_cats[:5]}"
