"""Start one `scrapy crawl` process for a run (the Twisted reactor cannot restart in-process).

Progress is read from the store while the crawl runs, so the child needs no side channel.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """`preexec_fn` of crawl processes: the kernel sends SIGTERM when the process that started
    it dies, even by SIGKILL, so no orphaned crawl keeps writing a store whose run lock is gone.
    Linux only (prctl); elsewhere the parent's signal handlers are the only guard."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    parent = os.getppid()
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os.kill(os.getpid(), signal.SIGTERM)


def scrapy_settings(crawl: dict[str, Any]) -> dict[str, str]:
    """The configuration's crawl section as Scrapy `-s` settings."""
    ua = "zwgk-monitor/0.1 (+government disclosure compliance monitor)"
    if crawl.get("contact"):
        ua += f"; contact: {crawl['contact']}"
    return {
        "DOWNLOAD_DELAY": str(crawl["delay_seconds"]),
        "CONCURRENT_REQUESTS_PER_DOMAIN": str(crawl["concurrency_per_host"]),
        "CONCURRENT_REQUESTS": str(crawl["concurrency"]),
        "AUTOTHROTTLE_ENABLED": str(bool(crawl["autothrottle"])),
        "AUTOTHROTTLE_START_DELAY": str(max(float(crawl["delay_seconds"]), 0.01)),
        "DOWNLOAD_TIMEOUT": str(crawl["timeout_seconds"]),
        "RETRY_TIMES": str(crawl["retries"]),
        "ZWGK_RETRY_BACKOFF_BASE": str(crawl.get("retry_backoff_seconds", 1.0)),
        "ZWGK_MAX_PAGES_PER_COLUMN": str(crawl["max_pages_per_column"]),
        "ZWGK_MAX_CATALOG_DEPTH": str(crawl["max_catalog_depth"]),
        "ZWGK_MAX_COLUMNS_PER_SITE": str(crawl["max_columns_per_site"]),
        "ZWGK_DETAIL_PAGES": crawl["detail_pages"],
        "ZWGK_MAX_DETAILS_PER_PAGE": str(crawl.get("max_details_per_page", 200)),
        "ZWGK_MAX_DETAILS_PER_COLUMN": str(crawl.get("max_details_per_column", 2000)),
        "ZWGK_MAX_DETAILS_PER_SITE": str(crawl.get("max_details_per_site", 20000)),
        "ZWGK_MAX_ITEMS_PER_PAGE": str(crawl.get("max_items_per_page", 1000)),
        "ZWGK_MAX_LINKS_PER_SITE": str(crawl.get("max_links_per_site", 200)),
        # {unit: {per_site, delay_seconds}}: the units granted off-site link checks
        "ZWGK_OFFSITE_LINKS": json.dumps(crawl.get("offsite_links") or {}, sort_keys=True),
        "ZWGK_CATALOG_REFRESH_DAYS": str(crawl.get("catalog_refresh_days", 7)),
        "USER_AGENT": ua,
        "LOG_LEVEL": crawl.get("log_level", "INFO"),
        # the evidence archive (zwgk/evidence.py): the runner puts the configured folder here
        "ZWGK_EVIDENCE": str(bool(crawl.get("evidence", True))),
        **({"ZWGK_EVIDENCE_DIR": crawl["evidence_dir"]} if crawl.get("evidence_dir") else {}),
    }


@dataclass(slots=True)
class CrawlOutcome:
    exit_code: int
    seconds: float
    log_path: Path
    timed_out: bool = False

    def count(self, marker: str) -> int:
        return len(self.after(marker))

    def after(self, marker: str) -> list[str]:
        """What follows `marker` on each crawl log line holding it."""
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as fh:
                return [line.split(marker, 1)[1].strip() for line in fh if marker in line]
        except OSError:
            return []

    def error_tail(self, lines: int = 5) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return ""
        errors = [ln for ln in text if "ERROR" in ln or "Traceback" in ln or "Error" in ln]
        return "\n".join((errors or text)[-lines:])


def crawl_command(
    units_path: Path,
    db_path: Path,
    run_id: int,
    crawl: dict[str, Any],
    extra: dict[str, str] | None = None,
) -> tuple[list[str], dict[str, str]]:
    """The `scrapy crawl zwgk` command line and environment (distributed workers add `extra`)."""
    args = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        "zwgk",
        "-a",
        f"units={units_path.resolve()}",
        "-a",
        f"db={db_path.resolve()}",
        "-a",
        f"run_id={run_id}",
    ]
    for key, value in {**scrapy_settings(crawl), **(extra or {})}.items():
        args += ["-s", f"{key}={value}"]
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="crawler.settings")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return args, env


def run_crawl(
    units_path: Path,
    db_path: Path,
    run_id: int,
    crawl: dict[str, Any],
    log_path: Path,
    on_tick: Callable[[], None] | None = None,
) -> CrawlOutcome:
    args, env = crawl_command(units_path, db_path, run_id, crawl)
    timeout = float(crawl.get("crawl_timeout_seconds", 3600))
    started = time.monotonic()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            args,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
            preexec_fn=die_with_parent,
        )
        timed_out = False
        try:
            while proc.poll() is None:
                if on_tick:
                    on_tick()
                if time.monotonic() - started > timeout:
                    timed_out = True
                    stop(proc)
                    break
                time.sleep(0.5)
        except BaseException:
            stop(proc)  # SIGTERM/Ctrl-C on `zwgk run` must not orphan a crawl writing the store
            raise
    return CrawlOutcome(proc.returncode, time.monotonic() - started, log_path, timed_out)


def stop(*procs: subprocess.Popen) -> None:
    """Stop crawl process groups: SIGTERM to all (Scrapy finishes the request in flight and
    flushes the pipeline), then SIGKILL to any still alive after 15 s."""
    for proc in procs:
        if proc.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
