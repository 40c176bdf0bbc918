"""Bounded work per site: detail requests capped per list page, per column and per site, items
kept per page capped; every cap that bites makes its column capped, with the reason."""

from __future__ import annotations

import sqlite3
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from types import SimpleNamespace

from scrapy import Request

from crawler.budget import DetailBudgetMiddleware
from crawler.extract.jspager import SERIES_LIMIT
from crawler.extract.types import ListItem
from crawler.items import ColumnDone, ListRecord
from tests.conftest import crawl_units, loopback_site, zwgk
from zwgk.config import load_config
from zwgk.crawl import scrapy_settings
from zwgk.runner import print_summary
from zwgk.store import open_db

N = 30


def list_page(col: str) -> bytes:
    rows = "".join(
        f'<li><a href="/{col}/t202611{d:02d}_{d}.html" title="{col}{d}">{col}{d}</a>'
        f"<span>2026-11-{d:02d}</span></li>"
        for d in range(1, N + 1)
    )
    return f'<html><body><div class="list"><ul>{rows}</ul></div></body></html>'.encode()


class Site(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        p = self.path
        if p == "/xxgk/":
            body = (
                '<html><body><ul class="left"><li><a href="/tzgg/">通知公告</a></li>'
                '<li><a href="/gzdt/">工作动态</a></li></ul></body></html>'
            ).encode()
        elif p in ("/tzgg/", "/gzdt/"):
            body = list_page(p.strip("/"))
        else:
            body = "<html><body><h1>正文</h1><p>发布日期：2026-11-01</p></body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_config_caps_reach_scrapy(tmp_path: Path) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("crawl: {max_details_per_site: 7, max_items_per_page: 9}\n")
    s = scrapy_settings(load_config(cfg).crawl)
    assert s["ZWGK_MAX_DETAILS_PER_SITE"] == "7" and s["ZWGK_MAX_ITEMS_PER_PAGE"] == "9"
    assert s["ZWGK_MAX_DETAILS_PER_PAGE"] == "200" and s["ZWGK_MAX_DETAILS_PER_COLUMN"] == "2000"


def test_per_page_cap_and_partial_reason() -> None:
    mw = DetailBudgetMiddleware(3, 100, 100, 1000, SimpleNamespace(inc_value=lambda k: None))
    items = [ListItem(f"t{i}", f"http://h/{i}.html") for i in range(5)]
    out = list(mw.process_spider_output(None, [
        ListRecord("u", "disclosure", "http://h/c/", items, first_page=True),
        *(Request(i.url, meta={"kind": "detail"}) for i in items),
        Request("http://h/c/index_1.html", meta={"kind": "list"}),
        ColumnDone("u", "disclosure", "http://h/c/", "ok", 1, 5),
    ]))  # fmt: skip
    assert sum(isinstance(o, Request) and o.meta["kind"] == "detail" for o in out) == 3
    assert any(isinstance(o, Request) and o.meta["kind"] == "list" for o in out)
    assert out[-1].status == "capped" and out[-1].error == (
        "more than 3 detail pages on one list page (max_details_per_page)"
    )


def test_caps_bound_a_crawl_and_mark_columns_partial(tmp_path: Path, capsys) -> None:
    with loopback_site(Site) as site:
        db, cols = crawl_units(
            tmp_path,
            f"units:\n  - code: big\n    name: 大站\n    kind: county\n"
            f"    disclosure: {site}/xxgk/\n",
            crawl="{delay_seconds: 0.001, autothrottle: false, detail_pages: new,"
            " max_details_per_page: 10, max_details_per_column: 8, max_details_per_site: 12,"
            " max_items_per_page: 20}",
        )
    with sqlite3.connect(db) as conn:
        details = conn.execute("SELECT count(*) FROM pages WHERE kind = 'detail'").fetchone()[0]
    assert details == 12  # the site cap: 8 in one column, 4 in the other
    assert {c["column_url"].removeprefix(site): c["items"] for c in cols} == {
        "/tzgg/": 20,
        "/gzdt/": 20,
    }
    assert all(c["assessed"] and c["status"] == "capped" for c in cols)
    reasons = sorted(c["partial"] for c in cols)
    assert all(r.startswith("30 items on one page, kept the first 20") for r in reasons), reasons
    table = zwgk("columns", "--db", str(db), "--format", "table").stdout
    assert table.count("[capped: 30 items on one page") == 2, table
    log = (db.parent / "logs" / "crawl-1.log").read_text(encoding="utf-8")
    assert "zwgk/details_capped" in log
    # and the run's summary, as `zwgk run` printed it from the stored run, counts them
    print_summary(open_db(db), 1, None, [])
    assert "  columns not read whole: capped 2 (see `zwgk columns`)" in capsys.readouterr().err


CLAIMED = 300


class LongColumn(BaseHTTPRequestHandler):
    """A TRS column whose pager claims `claimed` pages, every one of them served."""

    claimed = CLAIMED

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path == "/xxgk/":
            body = '<html><body><ul class="left"><li><a href="/tzgg/">通知公告</a></li></ul>'
        else:
            name = path.rsplit("/", 1)[-1]
            k = int(name[6:-5]) if name.startswith("index_") else 0
            day = k % 28 + 1
            body = (
                f'<html><body><div class="list"><ul><li><a href="./t202611{day:02d}_{k}.html"'
                f' title="通知{k}">通知{k}</a><span>2026-11-{day:02d}</span></li></ul></div>'
                f'<script>createPageHTML({self.claimed}, {k}, "index", "html");</script>'
            )
        data = (body + "</body></html>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def test_a_page_series_cap_under_a_higher_page_limit_is_recorded(tmp_path: Path) -> None:
    """Page series stop at SERIES_LIMIT URLs whatever a pager claims; with the page limit set
    above that, the column ends with pages left, and says so instead of passing as read whole."""
    with loopback_site(LongColumn) as site:
        db, cols = crawl_units(
            tmp_path,
            f"units:\n  - code: long\n    name: 长栏目\n    kind: county\n"
            f"    disclosure: {site}/xxgk/\n",
            crawl="{delay_seconds: 0.001, autothrottle: false, detail_pages: none,"
            " max_pages_per_column: 1000}",
        )
    (col,) = [c for c in cols if c["column_url"] == f"{site}/tzgg/"]
    assert col["status"] == "capped" and col["assessed"], col
    assert col["reason"] == (
        f"the pager shows {CLAIMED} pages; page series stop at {SERIES_LIMIT + 1},"
        " the rest not read"
    )
    assert SERIES_LIMIT < col["items"] < CLAIMED


class PageBomb(LongColumn):
    claimed = 99_999_999


def test_a_page_count_bomb_served_on_loopback_is_read_to_the_page_limit(tmp_path: Path) -> None:
    """The list page of the issue: it claims 99,999,999 pages. The crawl reads the page limit's
    50 pages, records the column capped and ends (bench/page_bomb.py measures time and memory)."""
    with loopback_site(PageBomb) as site:
        db, cols = crawl_units(
            tmp_path,
            f"units:\n  - code: bomb\n    name: 页数炸弹\n    kind: county\n"
            f"    disclosure: {site}/xxgk/\n",
            crawl="{delay_seconds: 0.001, autothrottle: false, detail_pages: none}",
        )
    (col,) = [c for c in cols if c["column_url"] == f"{site}/tzgg/"]
    assert col["status"] == "capped" and col["assessed"], col
    assert col["reason"].startswith("page limit 50 reached; "), col["reason"]
    assert col["items"] == 50  # one item a page: exactly the 50 pages read
    with sqlite3.connect(db) as conn:
        pages = conn.execute("SELECT count(*) FROM pages").fetchone()[0]
    assert pages == 51  # the catalog root and the column's 50 pages, nothing more
