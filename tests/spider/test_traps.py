"""An endless calendar (every page links tomorrow and the day after) cannot make a crawl
endless: a site's catalog walk stops at twice its column limit."""

from __future__ import annotations

import json
import sqlite3
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.conftest import DAY1, loopback_site, zwgk


class Calendar(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        day = int(parse_qs(urlsplit(self.path).query).get("d", ["0"])[0])
        links = "".join(
            f'<li><a href="/cal/?d={day + k}">第{day + k}天</a></li>' for k in (1, 2, 3)
        )
        body = f"<html><body><ul class='nav'>{links}</ul></body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_catalog_walk_is_bounded_and_says_so(tmp_path: Path) -> None:
    units, config, db = tmp_path / "units.yaml", tmp_path / "config.yaml", tmp_path / "z.db"
    config.write_text(
        "crawl: {delay_seconds: 0.001, autothrottle: false, max_columns_per_site: 5,"
        " max_catalog_depth: 10}\n"
    )
    with loopback_site(Calendar) as site:
        units.write_text(
            f"units:\n  - code: cal\n    name: 日历\n    kind: township\n"
            f"    disclosure: {site}/cal/?d=0\n",
            encoding="utf-8",
        )
        run = zwgk("run", "--units", str(units), "--db", str(db), "--config", str(config),
                   "--no-progress", now=DAY1)  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    with sqlite3.connect(db) as conn:
        pages = conn.execute("SELECT count(*) FROM pages").fetchone()[0]
        stats = json.loads(conn.execute("SELECT stats FROM runs").fetchone()[0])
    assert pages <= 11  # the root plus at most 2 x 5 catalog pages
    # the bound, not the depth, ended it; the run records which site and says so
    assert stats["catalog_capped"] == ["cal disclosure at 10 pages"]
    assert (
        "WARNING catalog walk stopped at its page bound (2 x max_columns_per_site) on 1 site(s),"
        " columns past it not found: cal disclosure at 10 pages"
    ) in run.stderr
