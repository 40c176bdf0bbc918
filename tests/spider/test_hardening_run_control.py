"""One run per store at a time, a crawl that dies with the run that started it, and a full disk
that ends the run as failed with one clear line."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from types import SimpleNamespace

import pytest

from crawler.items import PageRecord, Records
from crawler.pipelines import StorePipeline
from tests.conftest import DAY1, REPO, loopback_site, zwgk
from tests.spider.test_robustness import scrapy_pids
from zwgk import runner
from zwgk.crawl import CrawlOutcome
from zwgk.errors import DISK_FULL_MARK
from zwgk.storelock import probe_lock, run_lock

UNITS = "units:\n  - code: s\n    name: 慢站\n    kind: township\n    disclosure: {site}/xxgk/\n"
FAST = "crawl: {delay_seconds: 0.001, autothrottle: false, retries: 0}\n"


class Slow(BaseHTTPRequestHandler):
    """A page that drips until the client hangs up: the crawl stays alive until killed."""

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            while True:
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass


def files(tmp_path: Path, site: str = "http://127.0.0.1:9") -> tuple[Path, Path, Path]:
    units, config = tmp_path / "units.yaml", tmp_path / "config.yaml"
    units.write_text(UNITS.format(site=site), encoding="utf-8")
    config.write_text(FAST, encoding="utf-8")
    return units, config, tmp_path / "z.db"


def test_a_second_run_on_the_same_store_exits_2_with_one_line(tmp_path: Path) -> None:
    units, config, db = files(tmp_path)
    with run_lock(db):
        r = zwgk("run", "--units", str(units), "--db", str(db), "--config", str(config),
                 "--no-progress", now=DAY1)  # fmt: skip
    assert r.returncode == 2
    assert r.stderr.startswith("zwgk: error: a monitoring run is already running on ")
    assert f"pid {os.getpid()}" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not db.exists()  # refused before the store was touched


def test_a_second_probe_round_exits_2_but_a_run_does_not_block_probes(tmp_path: Path) -> None:
    units, _, db = files(tmp_path)
    with probe_lock(db):
        r = zwgk("probe", "--units", str(units), "--db", str(db), "--timeout", "1", now=DAY1)
    assert r.returncode == 2
    assert r.stderr.startswith("zwgk: error: a probe round is already running on ")
    with run_lock(db):  # the availability history needs its rounds during the daily crawl
        r = zwgk("probe", "--units", str(units), "--db", str(db), "--timeout", "1", now=DAY1)
    assert r.returncode == 0, r.stderr


def start_run(units: Path, db: Path, config: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "zwgk.cli", "run", "--units", str(units), "--db", str(db),
         "--config", str(config), "--no-progress", "--now", DAY1],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def wait_for(predicate, seconds: float = 8.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_two_real_runs_on_one_store_one_refused_while_the_other_crawls(tmp_path: Path) -> None:
    """Two `zwgk run` processes on one store: the second is refused with the first's pid while
    the first is mid-crawl, and the first's run is left alone (still running, not failed)."""
    with loopback_site(Slow) as site:
        units, config, db = files(tmp_path, site)
        first = start_run(units, db, config)
        try:
            assert wait_for(lambda: scrapy_pids(db.resolve())), "no crawl process started"
            second = zwgk("run", "--units", str(units), "--db", str(db), "--config",
                          str(config), "--no-progress", now=DAY1)  # fmt: skip
            assert second.returncode == 2
            assert second.stderr.startswith(
                f"zwgk: error: a monitoring run is already running on {db} (pid {first.pid}, "
            ), second.stderr
            assert len(second.stderr.strip().splitlines()) == 1
            assert first.poll() is None  # the first run carries on
            with sqlite3.connect(db) as conn:
                assert conn.execute("SELECT status FROM runs").fetchall() == [("running",)]
        finally:
            first.send_signal(signal.SIGTERM)
            first.wait(30)
            for pid in scrapy_pids(db.resolve()):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_the_crawl_dies_with_its_run(tmp_path: Path, sig: signal.Signals) -> None:
    with loopback_site(Slow) as site:
        units, config, db = files(tmp_path, site)
        proc = start_run(units, db, config)
        try:
            assert wait_for(lambda: scrapy_pids(db.resolve())), "no crawl process started"
            (crawl,) = scrapy_pids(db.resolve())
            os.kill(proc.pid, sig)  # SIGKILL: no handler runs, only the kernel's PDEATHSIG
            proc.wait(10)
            assert wait_for(lambda: not alive(crawl), 8), "the crawl outlived its run"
        finally:
            if proc.poll() is None:
                proc.kill()
            for pid in scrapy_pids(db.resolve()):
                os.kill(pid, signal.SIGKILL)
    if sig == signal.SIGTERM:
        assert proc.returncode != 0
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT status FROM runs").fetchone()[0] == "killed"


def test_a_full_disk_fails_the_run_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    units, config, db = files(tmp_path)
    log = tmp_path / "crawl.log"
    log.write_text("", encoding="utf-8")
    monkeypatch.setattr(runner, "run_crawl", lambda *a, **k: CrawlOutcome(0, 0.1, log))

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(runner, "record_site_outcomes", full)
    result = runner.run_once(units, db, config, None, progress=False)
    assert result.exit_code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"zwgk: error: run {result.run_id} failed: the disk holding {db} is full "
        "(database or disk is full); free space and rerun"
    ]
    with sqlite3.connect(db) as conn:
        status, code, error = conn.execute("SELECT status, exit_code, error FROM runs").fetchone()
    assert (status, code) == ("failed", 1) and "is full" in error
    assert run_lock(db).holder() is None  # released on the way out


def test_a_disk_full_crawl_log_fails_the_run(tmp_path: Path, monkeypatch, capsys) -> None:
    units, config, db = files(tmp_path)
    log = tmp_path / "crawl.log"
    log.write_text(f"2026 [crawler.pipelines] ERROR: {DISK_FULL_MARK}: disk is full\n")
    monkeypatch.setattr(runner, "run_crawl", lambda *a, **k: CrawlOutcome(0, 0.1, log))
    result = runner.run_once(units, db, config, None, progress=False)
    assert result.exit_code == 1
    assert "the store's disk is full" in capsys.readouterr().err
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status FROM runs").fetchone()[0] == "failed"


class FullConn:
    def __init__(self) -> None:
        self.sql: list[str] = []

    def execute(self, sql: str, *args):
        self.sql.append(sql)
        if sql not in ("ROLLBACK", "COMMIT", "BEGIN"):
            raise sqlite3.OperationalError("database or disk is full")

    def close(self) -> None:
        pass


def test_the_pipeline_stops_the_crawl_on_a_full_disk(caplog) -> None:
    closed: list[str] = []

    async def close_spider_async(reason: str) -> None:
        closed.append(reason)

    crawler = SimpleNamespace(
        settings=SimpleNamespace(getint=lambda name, default: default),
        engine=SimpleNamespace(close_spider_async=close_spider_async),
    )
    pipe = StorePipeline(crawler)
    pipe.conn = FullConn()
    pipe.run_id = 1
    pipe.site_ids[("u", "disclosure")] = 1
    page = PageRecord("u", "disclosure", "http://127.0.0.1/", "root", 200, 10, 1)

    async def feed() -> None:
        pipe.process_item(Records([page, page, page]))
        pipe.process_item(Records([page]))
        await asyncio.sleep(0)

    asyncio.run(feed())
    assert closed == ["disk_full"]
    assert sum(DISK_FULL_MARK in r.getMessage() for r in caplog.records) == 1
    assert pipe.conn.sql.count("ROLLBACK") == 1
    pipe.close_spider()
    assert "COMMIT" not in pipe.conn.sql


def test_the_whole_crawl_has_a_deadline(tmp_path: Path) -> None:
    """crawl_timeout_seconds bounds the crawl process as a whole: it fires at 2 s, before the
    dripping request's own 5 s deadline (counted from the request, after Scrapy has started),
    which then lets the stopped crawl close at once instead of after the 15 s grace; no
    process is left and the run fails saying so."""
    with loopback_site(Slow) as site:
        units, config, db = files(tmp_path, site)
        config.write_text(
            "crawl: {delay_seconds: 0.001, autothrottle: false, retries: 0,"
            " timeout_seconds: 5, crawl_timeout_seconds: 2}\n",
            encoding="utf-8",
        )
        started = time.monotonic()
        r = zwgk("run", "--units", str(units), "--db", str(db), "--config", str(config),
                 "--no-progress", now=DAY1)  # fmt: skip
        elapsed = time.monotonic() - started
    assert r.returncode == 1, r.stderr
    assert "ERROR crawl timed out" in r.stderr
    assert scrapy_pids(db.resolve()) == []
    with sqlite3.connect(db) as conn:
        status, error = conn.execute("SELECT status, error FROM runs").fetchone()
    assert status == "failed" and error.startswith("crawl timed out")
    assert elapsed < 60, f"the run took {elapsed:.0f} s with a 2 s crawl deadline"
