"""Session fixtures: ONE demo farm per test session, and each crawl scenario run once.

`crawled` runs the real CLI (`zwgk run`, which starts a real `scrapy crawl` subprocess) against
the farm on loopback for day 1, keeps a copy of the day-1 store, then switches the farm to day 2
and runs again. Spider, checks and report tests all read those stores.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from zwgk import clock

DAY1 = "2026-11-29T08:00:00+08:00"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _clock_back() -> Iterator[None]:
    """`--now` in an in-process CLI call sets ZWGK_NOW for the process: put it back after every
    test, so no later test (or the subprocesses it starts) inherits a fixed clock."""
    saved = os.environ.get(clock.ENV)
    yield
    clock.set_now(saved)


@pytest.fixture(scope="session")
def demo_farm(tmp_path_factory: pytest.TempPathFactory):
    from zwgk.farm.server import FarmProcess

    with FarmProcess(tmp_path_factory.mktemp("farm"), seed=7, now=clock.parse(DAY1)) as farm:
        yield farm


@dataclass
class Crawl:
    db_day1: Path
    db: Path  # after day 2
    out: Path
    units: Path
    truth1: dict
    truth2: dict
    run1: subprocess.CompletedProcess
    run2: subprocess.CompletedProcess
    farm_log: Path


def zwgk(*args: str, now: str | None = None, timeout: int = 240) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop(clock.ENV, None)
    return subprocess.run(
        [sys.executable, "-m", "zwgk.cli", *args, *(["--now", now] if now else [])],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=REPO,
    )


@pytest.fixture(scope="session")
def crawled(demo_farm, tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    work = tmp_path_factory.mktemp("crawl")
    units = work / "units.yaml"
    shutil.copy(demo_farm.units_path, units)
    config = work / "config.yaml"
    config.write_text(
        "crawl: {delay_seconds: 0.001, concurrency_per_host: 4, concurrency: 64, autothrottle: false,"
        " timeout_seconds: 10, retries: 2}\n"
        + demo_farm.config_path.read_text(encoding="utf-8"),  # the off-site grant
        encoding="utf-8",
    )
    db = work / "zwgk.db"
    out = work / "out"
    day2 = (clock.parse(DAY1) + timedelta(days=1)).isoformat()
    common = [
        "--units",
        str(units),
        "--db",
        str(db),
        "--config",
        str(config),
        "--out",
        str(out),
        "--no-progress",
    ]
    demo_farm.set_day(1)
    run1 = zwgk("run", *common, now=DAY1)
    assert run1.returncode in (0, 1), run1.stderr
    db_day1 = work / "day1.db"
    src, dst = sqlite3.connect(db), sqlite3.connect(db_day1)
    src.backup(dst)
    src.close()
    dst.close()
    demo_farm.set_day(2)
    try:
        run2 = zwgk("run", *common, now=day2)
    finally:
        demo_farm.set_day(1)
    return Crawl(
        db_day1,
        db,
        out,
        units,
        demo_farm.truth(1),
        demo_farm.truth(2),
        run1,
        run2,
        Path(demo_farm.dir) / "access.log" if hasattr(demo_farm, "dir") else Path(),
    )


def load_json(text: str):
    return json.loads(text)


def add_capture(
    db, run_id: int, site_id: int, url: str, at: str, stored, status: int = 200, kind="list"
) -> int:
    """A fetch's evidence rows as the store pipeline writes them (crawler/pipelines.py): its
    pages row, its payload's record when `stored` (zwgk.evidence.Stored) wrote one, and a
    capture naming both; returns the capture id (the page id). `db`: a sqlite_utils Database
    or a sqlite3 connection."""
    db.execute(
        "INSERT OR IGNORE INTO runs (run_id, started_at, clock_at) VALUES (?, ?, ?)",
        [run_id, at, at],
    )
    page_id = db.execute(
        "INSERT INTO pages (run_id, site_id, url, kind, status, bytes, fetched_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [run_id, site_id, url, kind, status, stored.bytes, at],
    ).lastrowid
    if stored.warc:
        db.execute(
            "INSERT OR IGNORE INTO evidence_records (sha256, warc, offset, length, bytes, run_id,"
            " stored_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [stored.sha256, stored.warc, stored.offset, stored.length, stored.bytes, run_id, at],
        )
    db.execute(
        "INSERT INTO captures (capture_id, record_id)"
        " SELECT ?, record_id FROM evidence_records WHERE sha256 = ?",
        [page_id, stored.sha256],
    )
    return page_id


@contextmanager
def loopback_site(handler: Callable[..., BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve `handler` on 127.0.0.1 (a free port) from a thread; yields the site's base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def crawl_units(
    tmp_path: Path,
    units_yaml: str,
    crawl: str = "{delay_seconds: 0.001, autothrottle: false, detail_pages: none}",
    extra: str = "",
) -> tuple[Path, list[dict]]:
    """Run `zwgk run` on a small units file (fast crawl settings, no detail pages by default;
    `extra`: more configuration sections) and return the store and `zwgk columns` as parsed
    JSON."""
    units = tmp_path / "units.yaml"
    units.write_text(units_yaml, encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(f"crawl: {crawl}\n{extra}")
    db = tmp_path / "z.db"
    run = zwgk("run", "--units", str(units), "--db", str(db), "--config", str(config),
               "--no-progress", now=DAY1)  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    return db, json.loads(zwgk("columns", "--db", str(db), "--format", "json").stdout)
