"""A crawl stays on its units' hosts, and a run killed mid-crawl loses nothing: rerun, the store
is the one an uninterrupted run produces."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest

from crawler.middlewares import UnitHostsMiddleware
from tests.conftest import DAY1, REPO, Crawl, zwgk
from zwgk.units import host_allowed, load_units


class Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str) -> None:
        self.values[key] = self.values.get(key, 0) + 1


def test_offsite_requests_are_dropped_and_counted() -> None:
    mw = UnitHostsMiddleware(SimpleNamespace(stats=(stats := Stats())))
    meta = {"unit": "u", "allowed_hosts": ["127.0.1.1:8080", "127.0.1.2:8080"]}
    assert mw.process_request(Request("http://127.0.1.2:8080/xxgk/", meta=meta)) is None
    for url in ("http://127.0.9.9:8080/", "http://127.0.1.1:8081/", "http://evil.example.com/"):
        with pytest.raises(IgnoreRequest, match="offsite for unit u"):
            mw.process_request(Request(url, meta=meta))
    assert stats.values == {"zwgk/offsite_dropped": 3}


@pytest.mark.farm
def test_every_fetch_stays_on_its_units_hosts(crawled: Crawl) -> None:
    allowed = {u.code: u.allowed_hosts for u in load_units(crawled.units)}
    db = sqlite3.connect(crawled.db)
    rows = db.execute(
        "SELECT s.unit_id, p.url FROM pages p JOIN sites s USING (site_id)"
    ).fetchall()
    assert len(rows) > 1000
    off = [
        (unit, url) for unit, url in rows if not host_allowed(urlsplit(url).netloc, allowed[unit])
    ]
    assert not off, off[:5]


def scrapy_pids(db: Path) -> list[int]:
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"scrapy" in b" ".join(cmd) and f"db={db}".encode() in cmd:
                pids.append(int(proc.name))
    return pids


def inventory(db_path: Path) -> dict[str, set]:
    db = sqlite3.connect(db_path)
    return {
        "columns": set(
            db.execute("SELECT unit_id, url, name, catalog_path, category, origin FROM columns")
        ),
        "items": set(
            db.execute(
                "SELECT c.unit_id, c.url, i.url, i.title, i.pub_date, i.index_no, i.doc_no"
                " FROM items i JOIN columns c USING (column_id)"
            )
        ),
        "findings": set(
            db.execute(
                "SELECT rule, unit_id, site_url, column_url, severity, summary FROM findings"
                " WHERE status = 'open'"
            )
        ),
    }


@pytest.mark.farm
def test_run_killed_mid_crawl_then_rerun_equals_uninterrupted(
    crawled: Crawl, demo_farm, tmp_path
) -> None:
    db = tmp_path / "killed.db"
    config = crawled.units.parent / "config.yaml"
    args = [
        sys.executable,
        "-m",
        "zwgk.cli",
        "run",
        "--units",
        str(crawled.units),
        "--db",
        str(db),
        "--config",
        str(config),
        "--no-progress",
        "--now",
        DAY1,
    ]
    demo_farm.set_day(1)
    proc = subprocess.Popen(
        args, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    pages = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
        if db.exists():
            try:
                with sqlite3.connect(db) as conn:
                    pages = conn.execute("SELECT count(*) FROM pages").fetchone()[0]
            except sqlite3.OperationalError:
                continue
            if pages >= 1200:
                break
    assert proc.poll() is None, "the crawl finished before it could be killed"
    for pid in scrapy_pids(db):
        os.kill(pid, signal.SIGKILL)  # as a power cut would: no flush, no goodbye
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status FROM runs").fetchone()[0] == "running"
        assert conn.execute("SELECT count(*) FROM findings").fetchone()[0] == 0
    rerun = zwgk(
        "run",
        "--units",
        str(crawled.units),
        "--db",
        str(db),
        "--config",
        str(config),
        "--no-progress",
        now=DAY1,
    )
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status FROM runs ORDER BY run_id").fetchall() == [
            ("killed",),
            ("completed",),
        ]
    got, want = inventory(db), inventory(crawled.db_day1)
    for table in ("columns", "items", "findings"):
        assert got[table] == want[table], (table, sorted(map(str, got[table] ^ want[table]))[:6])
