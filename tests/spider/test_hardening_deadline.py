"""Scrapy's DOWNLOAD_TIMEOUT (`crawl: timeout_seconds`) is a total deadline per request, not a
per-read timeout: a server dripping its headers a byte a second is cut off on time, and the
page is recorded as failed with the reason."""

from __future__ import annotations

import sqlite3
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from tests.conftest import crawl_units, loopback_site


class Drip(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"x" * 60
        for byte in head:  # each byte well inside any per-read timeout; 70 s in all
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:
                return
            time.sleep(0.5)


def test_download_timeout_bounds_a_dripping_response(tmp_path: Path) -> None:
    with loopback_site(Drip) as site:
        started = time.monotonic()
        db, _ = crawl_units(
            tmp_path,
            f"units:\n  - code: drip\n    name: 滴站\n    kind: township\n"
            f"    disclosure: {site}/xxgk/\n",
            crawl="{delay_seconds: 0.001, autothrottle: false, timeout_seconds: 2, retries: 0}",
        )
        elapsed = time.monotonic() - started
    with sqlite3.connect(db) as conn:
        status, error = conn.execute("SELECT status, error FROM pages").fetchone()
        site_status = conn.execute("SELECT status FROM site_runs").fetchone()[0]
    assert status is None and "TimeoutError" in error and "2" in error, error
    assert site_status == "down"
    assert elapsed < 9, f"the run took {elapsed:.1f} s with a 2 s download timeout"


class Home(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        body = (
            "<html><body><ul><li><a href='/xxgk/a.html'>通知</a> 2026-11-20</li></ul></body></html>"
        )
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body.encode())


# Loaded by every Python process of the run through PYTHONPATH: the system resolver never
# answers for one name (a dead DNS server, a stuck NSS module); every other name is looked up
# as usual. Nothing leaves the machine: the only other name is localhost.
HANGING_RESOLVER = """
import socket, threading
_never = threading.Event()
_real = {"gethostbyname": socket.gethostbyname, "getaddrinfo": socket.getaddrinfo}

def _patch(name):
    def lookup(host, *args, **kwargs):
        if host == "dns-hangs.test":
            _never.wait(120)
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return _real[name](host, *args, **kwargs)
    setattr(socket, name, lookup)

for _name in _real:
    _patch(_name)
"""


def test_a_hanging_name_lookup_holds_neither_the_request_nor_the_crawl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DOWNLOAD_TIMEOUT cuts the request off at its deadline, name lookup included; and the
    lookup left hanging must not keep the finished crawl process alive (it did, for as long
    as the lookup hung, up to the whole crawl_timeout_seconds: the reactor joins its thread
    pool on the way out), so the run ends in seconds, not after the resolver's 120 s."""
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    (site_dir / "sitecustomize.py").write_text(HANGING_RESOLVER, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(site_dir))
    with loopback_site(Home) as site:
        port = site.rsplit(":", 1)[1]
        started = time.monotonic()
        db, _ = crawl_units(
            tmp_path,
            "units:\n"
            "  - code: hangs\n    name: 挂站\n    kind: township\n"
            "    disclosure: http://dns-hangs.test/xxgk/\n"
            "  - code: fine\n    name: 好站\n    kind: township\n"
            f"    disclosure: http://localhost:{port}/xxgk/\n",
            crawl="{delay_seconds: 0.001, autothrottle: false, timeout_seconds: 2, retries: 0}",
        )
        elapsed = time.monotonic() - started
    with sqlite3.connect(db) as conn:
        pages = dict(conn.execute("SELECT url, coalesce(error, status) FROM pages"))
        sites = dict(
            conn.execute("SELECT s.unit_id, r.status FROM site_runs r JOIN sites s USING (site_id)")
        )
    assert "took longer than 2.0 seconds" in pages["http://dns-hangs.test/xxgk/"]
    assert pages[f"http://localhost:{port}/xxgk/"] == 200  # looked up by the same resolver
    assert sites["hangs"] == "down" and sites["fine"] != "down"
    assert elapsed < 60, f"the run took {elapsed:.0f} s: the hung lookup held the crawl"
