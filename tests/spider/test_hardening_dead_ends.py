"""Dead ends are failures with a reason, never blank columns: redirect loops and endless chains,
redirects to non-HTTP URLs, empty and binary bodies, bodies over DOWNLOAD_MAXSIZE (compressed
or not). A catalog root that loops makes its site crawl-failed."""

from __future__ import annotations

import gzip
import sqlite3
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from crawler.middlewares import unreadable_body
from tests.conftest import crawl_units, loopback_site

LIST = """<html><head><title>{name}</title></head><body><div class="list"><ul>
<li><a href="./202611/t20261120_1.html" title="{name}一">{name}一</a><span>2026-11-20</span></li>
</ul></div></body></html>"""
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4
BOMB = gzip.compress(b"\0" * (21 * 1024 * 1024), compresslevel=9)  # 21 MiB from ~21 KB
COLUMNS = {
    "/loop/": "通知公告",
    "/chain/0/": "工作动态",
    "/ftp/": "政策文件",
    "/js/": "人事信息",
    "/empty/": "财政资金",
    "/png/": "规划计划",
    "/zip/": "统计数据",
    "/huge/": "应急管理",
    "/bomb/": "招标采购",
    "/stream/": "审计公告",
    "/ok/": "法规文件",
}


class DeadEnds(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def send(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        headers = {k.replace("_", "-"): v for k, v in headers.items()}
        headers.setdefault("Content-Type", "text/html; charset=utf-8")
        headers.setdefault("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        p = self.path
        if p == "/xxgk/":
            links = "".join(f'<li><a href="{u}">{n}</a></li>' for u, n in COLUMNS.items())
            return self.send(
                200, f'<html><body><ul class="left">{links}</ul></body></html>'.encode()
            )
        if p in ("/loop/", "/loop2/"):
            return self.send(302, Location="/loop2/" if p == "/loop/" else "/loop/")
        if p.startswith("/chain/"):
            return self.send(302, Location=f"/chain/{int(p.split('/')[2]) + 1}/")
        if p == "/ftp/":
            return self.send(301, Location="ftp://127.0.0.1/pub/")
        if p == "/js/":
            return self.send(302, Location="javascript:alert(1)")
        if p == "/empty/":
            return self.send(200)
        if p == "/png/":
            return self.send(200, PNG)
        if p == "/zip/":
            return self.send(200, ZIP)
        if p == "/huge/":  # claims 30 MiB: refused on the header, before any body is read
            return self.send(200, b"<html>", Content_Length=str(30 * 1024 * 1024))
        if p == "/stream/":  # no Content-Length: the body is cut off as it passes 20 MiB
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(24):
                    self.wfile.write(b"<p>" + b"x" * (1024 * 1024 - 3))
            except OSError:
                pass
            return None
        if p == "/bomb/":
            return self.send(200, BOMB, Content_Encoding="gzip")
        if p in ("/root-loop/", "/root-loop2/"):
            return self.send(302, Location="/root-loop2/" if p == "/root-loop/" else "/root-loop/")
        return self.send(200, LIST.format(name=COLUMNS.get(p, "x")).encode())


def test_unreadable_bodies_are_named() -> None:
    assert unreadable_body(b"") == "empty response body"
    assert unreadable_body(b"  \r\n") == "empty response body"
    assert unreadable_body(PNG) == "binary content (PNG image) instead of a page"
    assert unreadable_body(ZIP).startswith("binary content (zip archive")
    assert unreadable_body(bytes(range(256)) * 4) == "binary content instead of a page"
    assert unreadable_body("<html>通知公告</html>".encode("gbk")) is None
    assert unreadable_body("<html>通知公告</html>".encode("utf-16")) is None
    assert unreadable_body("<html>通知公告</html>".encode("utf-16-le")) is None


def test_dead_ends_are_failed_columns_with_reasons(tmp_path: Path) -> None:
    with loopback_site(DeadEnds) as site:
        db, cols = crawl_units(
            tmp_path,
            f"units:\n  - code: dead\n    name: 死胡同县\n    kind: county\n"
            f"    disclosure: {site}/xxgk/\n"
            f"  - code: loop\n    name: 循环镇\n    kind: township\n"
            f"    disclosure: {site}/root-loop/\n",
            crawl="{delay_seconds: 0.001, autothrottle: false, detail_pages: none, retries: 0}",
        )
    assessed = {c["column_url"].removeprefix(site): c["assessed"] for c in cols}
    assert assessed == {u: u == "/ok/" for u in COLUMNS}, assessed  # none vanished, none blank
    with sqlite3.connect(db) as conn:
        errors = dict(
            conn.execute(
                "SELECT c.url, cr.error FROM column_runs cr JOIN columns c USING (column_id)"
                " WHERE cr.status = 'failed'"
            )
        )
        sites = dict(
            conn.execute("SELECT unit_id, r.status FROM site_runs r JOIN sites USING (site_id)")
        )
        root = conn.execute(
            "SELECT status, error FROM pages WHERE url LIKE '%/root-loop/'"
        ).fetchone()
        findings = {r for (r,) in conn.execute("SELECT rule FROM findings WHERE unit_id = 'loop'")}
    errors = {u.removeprefix(site): e for u, e in errors.items()}
    assert errors["/loop/"].startswith("redirect loop: ") and "/loop2/" in errors["/loop/"]
    assert errors["/chain/0/"].startswith("more than 5 redirects: ")
    assert errors["/ftp/"] == "redirect to a non-HTTP URL: ftp://127.0.0.1/pub/"
    assert errors["/js/"] == "redirect to a non-HTTP URL: javascript:alert(1)"
    assert errors["/empty/"] == "empty response body (HTTP 200)"
    assert errors["/png/"] == "binary content (PNG image) instead of a page (HTTP 200)"
    assert errors["/zip/"].startswith("binary content (zip archive")
    assert "larger than download max size (20971520)" in errors["/huge/"]
    assert "DOWNLOAD_MAXSIZE" in errors["/bomb/"], errors["/bomb/"]
    assert errors["/stream/"] == (
        "response body larger than DOWNLOAD_MAXSIZE (20971520 B): download cancelled"
    )
    assert sites == {"dead": "partial", "loop": "error"}
    assert root[0] == 302 and root[1].startswith("redirect loop: ")
    assert "crawl-failed" in findings
