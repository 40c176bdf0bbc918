"""Scrapy's DOWNLOAD_TIMEOUT (`crawl: timeout_seconds`) is a total deadline per request, not a
per-read timeout: a server dripping its headers a byte a second is cut off on time, and the
page is recorded as failed with the reason."""

from __future__ import annotations

import sqlite3
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

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
