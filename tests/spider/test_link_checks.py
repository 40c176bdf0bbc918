"""broken-link's link checks on a loopback site: HEAD first, GET only when HEAD does not settle
it; a link found on several pages asked once; the per-site cap; off-host links never fetched;
the crawl's own pages not asked again; only failing links stored, with their source page."""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from crawler.spiders.link_checks import page_links
from tests.conftest import crawl_units, loopback_site

ASKED: Counter[tuple[str, str]] = Counter()  # (method, path) -> times, on the unit's host
OFFSITE: Counter[str] = Counter()  # paths asked on the other host
LOCK = threading.Lock()


def html(body: str) -> bytes:
    return f"<html><head><title>t</title></head><body>{body}</body></html>".encode()


class Site(BaseHTTPRequestHandler):
    offsite = ""  # the other server's base URL, set by the test

    def log_message(self, *args) -> None:
        pass

    def answer(self, method: str) -> None:
        p = self.path
        with LOCK:
            ASKED[(method, p)] += 1
        status, body = 200, b""
        off = f'<a href="{self.offsite}/elsewhere.html">外站</a>'
        if p == "/":
            body = html(
                '<ul class="nav"><li><a href="/xxgk/">政府信息公开</a></li></ul>'
                '<a href="/ok.html">正常</a><a href="/dead.html">坏链</a>'
                '<a href="/nohead.html">不支持HEAD</a><a href="/badhead.html">HEAD出错</a>'
                '<a href="/moved.html">跳转</a><a href="/file.pdf">附件</a>' + off
            )
        elif p == "/xxgk/":
            body = html(
                '<ul class="left"><li><a href="/xxgk/tzgg/">通知公告</a></li>'
                '<li><a href="/xxgk/gone/">旧栏目</a></li></ul>'
                # the platform's home page shows links of its own besides the catalog
                '<div class="foot"><a href="/xxgk/root_dead.html">失效页面</a>'
                '<a href="/ok.html">正常</a></div>'
            )
        elif p == "/xxgk/tzgg/":
            rows = "".join(
                f'<li><a href="/xxgk/tzgg/t2026110{d}_{d}.html">通知{d}</a><span>2026-11-0{d}</span></li>'
                for d in range(1, 4)
            )
            body = html(
                f'<div class="list"><ul>{rows}</ul></div>'
                '<a href="/dead.html">坏链</a><a href="/dead2.html">又一坏链</a>' + off
            )
        elif p in ("/dead.html", "/dead2.html", "/xxgk/gone/", "/xxgk/root_dead.html"):
            status = 404
        elif p == "/nohead.html" and method == "HEAD":
            status = 405
        elif p == "/badhead.html" and method == "HEAD":
            status = 404  # a server that mishandles HEAD: GET works
        elif p == "/moved.html":
            self.send_response(302)
            self.send_header("Location", "/ok.html")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        elif p == "/file.pdf":
            body = b"%PDF-1.4 " + b"\0" * 64  # binary: fine for a link check
        else:
            body = html("<p>正文</p>")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if method == "GET":
            self.wfile.write(body)

    def do_GET(self) -> None:
        self.answer("GET")

    def do_HEAD(self) -> None:
        self.answer("HEAD")


class Other(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        OFFSITE[self.path] += 1
        self.send_response(200)
        self.end_headers()

    do_HEAD = do_GET


def crawl(tmp_path: Path, cap: int = 200) -> Path:
    ASKED.clear()
    OFFSITE.clear()
    with loopback_site(Other) as other, loopback_site(Site) as site:
        Site.offsite = other
        db, _ = crawl_units(
            tmp_path,
            f"units:\n  - code: u\n    name: 某县\n    kind: county\n"
            f"    portal: {site}/\n    disclosure: {site}/xxgk/\n",
            crawl="{delay_seconds: 0.001, autothrottle: false, detail_pages: none,"
            f" max_links_per_site: {cap}}}",
        )
    return db


def test_head_then_get_dedupe_offhost_and_stored_failures(tmp_path: Path) -> None:
    db = crawl(tmp_path)
    # HEAD first; GET only where HEAD did not settle it (405, a HEAD error, a dead link).
    assert ASKED[("HEAD", "/ok.html")] == 2  # once linked, once as /moved.html's target
    assert ASKED[("GET", "/ok.html")] == 0
    assert ASKED[("HEAD", "/nohead.html")] == 1 and ASKED[("GET", "/nohead.html")] == 1
    assert ASKED[("HEAD", "/badhead.html")] == 1 and ASKED[("GET", "/badhead.html")] == 1
    assert ASKED[("HEAD", "/file.pdf")] == 1 and ASKED[("GET", "/file.pdf")] == 0
    # /dead.html is on the home page and on the list page: asked once (HEAD + confirming GET).
    assert ASKED[("HEAD", "/dead.html")] == 1 and ASKED[("GET", "/dead.html")] == 1
    # The platform's root page (its home page) has its links checked too, once each.
    assert ASKED[("HEAD", "/xxgk/root_dead.html")] == 1
    assert ASKED[("GET", "/xxgk/root_dead.html")] == 1
    # The crawl's own pages are not link-checked: the catalog, the column, its items.
    assert not [
        p for (m, p) in ASKED if m == "HEAD" and p.startswith("/xxgk/") and "root_dead" not in p
    ]
    assert not OFFSITE  # off-host links are never fetched
    with sqlite3.connect(db) as conn:
        broken = conn.execute(
            "SELECT url, source_url, status, error FROM broken_links ORDER BY url"
        ).fetchall()
        counts = conn.execute("SELECT checked, failed, offsite, capped FROM link_counts").fetchall()
        pages = conn.execute("SELECT count(*) FROM pages WHERE url LIKE '%dead%'").fetchone()[0]
    site = broken[0][0].rsplit("/", 1)[0]
    assert [(u.removeprefix(site), s.removeprefix(site), st, e) for u, s, st, e in broken] == [
        ("/dead.html", "/", 404, "HTTP 404"),
        ("/dead2.html", "/xxgk/tzgg/", 404, "HTTP 404"),
        # a catalog link the crawl fetched (GET, once): its recorded answer, not a link check
        ("/xxgk/gone/", "/xxgk/", 404, "HTTP 404"),
        ("/xxgk/root_dead.html", "/xxgk/", 404, "HTTP 404"),
    ]
    assert ASKED[("GET", "/xxgk/gone/")] == 1 and ASKED[("HEAD", "/xxgk/gone/")] == 0
    # ok, dead, nohead, badhead, moved, pdf, dead2, root_dead
    assert sum(c[0] for c in counts) == 8
    assert sum(c[1] for c in counts) == 4
    assert sum(c[2] for c in counts) == 2  # the off-host link, on both pages
    assert sum(c[3] for c in counts) == 0
    assert pages == 0  # link checks are no `pages` rows: the fetch budget counts content


def test_the_per_site_cap_is_recorded_when_it_bites(tmp_path: Path) -> None:
    db = crawl(tmp_path, cap=3)
    heads = {p for (m, p) in ASKED if m == "HEAD"}
    # The portal's cap: its home page's first three links; the rest left and counted. The
    # platform (a site of its own, its own cap) counts its root page's two links and its
    # list page's /dead.html (asked already for the unit), and leaves /dead2.html.
    assert heads == {"/ok.html", "/dead.html", "/nohead.html", "/xxgk/root_dead.html"}
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT s.role, checked, capped FROM link_counts JOIN sites s USING (site_id)"
            " ORDER BY s.role"
        ).fetchall()
    assert rows == [("disclosure", 1, 1), ("portal", 3, 3)]


def test_page_links_skips_template_bindings_ending_in_href() -> None:
    # Fujian's intensive-platform list pages (www.pingtan.gov.cn) carry avalon templates:
    # <a ms-attr-href="el.chnldocurl">, <a ms-attr-href="logoutUrl">. Read as links they were
    # checked as .../el.chnldocurl and reported broken on every column (tests/real_sites).
    page = (
        '<a ms-attr-title="el.doctitle_cp" ms-attr-href="el.chnldocurl" Target="_blank"></a>'
        '<a ms-attr-href="logoutUrl">注销</a><a :href="u">v</a><a v-bind:href="u2">v</a>'
        '<a ng-href="{{x}}">n</a><a data-href="d.html">d</a>'
        '<a class="x" href="ok.html">ok</a><a title="t"href="tight.html">t</a>'
    )
    assert page_links(page, "http://127.0.0.1:8/d/") == [
        "http://127.0.0.1:8/d/ok.html",
        "http://127.0.0.1:8/d/tight.html",
    ]


def test_page_links_reads_every_http_anchor_once() -> None:
    page = (
        '<a href="/a.html#top">a</a><a href="a.html">a again</a><a href="javascript:void(0)">x</a>'
        '<a href="mailto:x@y.cn">m</a><a href="ftp://h/f">f</a><a href="b.html?x=1&amp;y=2">b</a>'
    )
    assert page_links(page, "http://127.0.0.1:8/d/") == [
        "http://127.0.0.1:8/a.html",
        "http://127.0.0.1:8/d/a.html",
        "http://127.0.0.1:8/d/b.html?x=1&y=2",
    ]


class Footer(BaseHTTPRequestHandler):
    """A platform whose three columns repeat one footer (two links) and add one link each."""

    def log_message(self, *args) -> None:
        pass

    def answer(self, method: str) -> None:
        p = self.path
        with LOCK:
            ASKED[(method, p)] += 1
        foot = (
            '<div class="foot"><a href="/f1.html">网站地图</a><a href="/f2.html">联系方式</a></div>'
        )
        if p == "/":
            cols = "".join(f'<li><a href="/{c}/">栏目{c}</a></li>' for c in "abc")
            body = html(f'<ul class="left">{cols}</ul>')
        elif p in ("/a/", "/b/", "/c/"):
            c = p.strip("/")
            rows = "".join(
                f'<li><a href="/{c}/t2026110{d}_{d}.html">通知{d}</a><span>2026-11-0{d}</span></li>'
                for d in range(1, 4)
            )
            body = html(
                f'<div class="list"><ul>{rows}</ul></div><a href="/files/{c}.pdf">附件</a>{foot}'
            )
        else:
            body = html("<p>正文</p>")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if method == "GET":
            self.wfile.write(body)

    def do_GET(self) -> None:
        self.answer("GET")

    def do_HEAD(self) -> None:
        self.answer("HEAD")


def test_a_footer_repeated_on_every_list_page_uses_the_cap_once(tmp_path: Path) -> None:
    ASKED.clear()
    with loopback_site(Footer) as site:
        db, _ = crawl_units(
            tmp_path,
            f"units:\n  - code: u\n    name: 某局\n    kind: department\n    disclosure: {site}/\n",
            crawl="{delay_seconds: 0.001, autothrottle: false, detail_pages: none,"
            " max_links_per_site: 4}",
        )
    heads = {p for (m, p) in ASKED if m == "HEAD"}
    # The footer's two links once, then two of the three columns' own links: the cap (4) is
    # spent on four different links, and only the third column's link is left over.
    assert {"/f1.html", "/f2.html"} <= heads and len(heads) == 4, heads
    assert len(heads & {"/files/a.pdf", "/files/b.pdf", "/files/c.pdf"}) == 2
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT sum(checked), sum(capped) FROM link_counts").fetchone() == (
            4,
            1,
        )
