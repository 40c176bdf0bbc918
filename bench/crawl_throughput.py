"""Benchmark 1: crawl throughput with the whole pipeline (extraction, dates, store writes) on a
large generated farm, against a do-nothing spider fetching the same pages from the same farm
process (the engine's own limit there), plus `scrapy bench` for reference.

    python -m bench.crawl_throughput [--sites 200] [--columns 50] [--repeat 3]
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.bigfarm import BigFarm
from bench.common import DAY1, REPO, env, table, write_config, zwgk_run

SETTINGS = {"CONCURRENT_REQUESTS": "64", "CONCURRENT_REQUESTS_PER_DOMAIN": "8"}


def elapsed(log: Path) -> float:
    """Scrapy's own elapsed_time_seconds (engine start to close: no interpreter start-up)."""
    text = log.read_text(encoding="utf-8", errors="replace")
    return float(re.findall(r"'elapsed_time_seconds': ([\d.]+)", text)[-1])


def null_crawl(urls: Path, log: Path) -> float:
    args = [sys.executable, "-m", "scrapy", "runspider", str(REPO / "bench" / "nullspider.py"),
            "-a", f"urls={urls}", "-s", "LOG_LEVEL=INFO", "-s", "DOWNLOAD_DELAY=0.001",
            "-s", "TWISTED_REACTOR=twisted.internet.asyncioreactor.AsyncioSelectorReactor",
            "-s", "TELNETCONSOLE_ENABLED=False", "-s", "HTTPERROR_ALLOW_ALL=True"]  # fmt: skip
    for k, v in SETTINGS.items():
        args += ["-s", f"{k}={v}"]
    with open(log, "wb") as fh:
        subprocess.run(
            args, stdout=fh, stderr=subprocess.STDOUT, env=env(), cwd=log.parent, check=True
        )
    return elapsed(log)


def scrapy_bench(seconds: int = 10) -> str:
    r = subprocess.run(
        [sys.executable, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}",
         "-s", "LOG_LEVEL=INFO"],
        capture_output=True, text=True, env=env(), cwd="/tmp",
    )  # fmt: skip
    rates = re.findall(r"Crawled (\d+) pages \(at (\d+) pages/min\)", r.stderr)
    pages = re.search(r"'response_received_count': (\d+)", r.stderr)
    elapsed = re.search(r"'elapsed_time_seconds': ([\d.]+)", r.stderr)
    if not (pages and elapsed):
        return "scrapy bench: no stats"
    best = max((int(p) for _, p in rates), default=0) / 60
    return (
        f"{int(pages.group(1)) / float(elapsed.group(1)):.0f} pages/s overall, "
        f"{best:.0f} pages/s at its best minute-rate sample"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sites", type=int, default=200)
    ap.add_argument("--columns", type=int, default=50)
    ap.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="crawl N times with each spider, alternating, and keep each one's best time "
        "(the machine is shared: the best run is the least disturbed one)",
    )
    ap.add_argument(
        "--crawl-only",
        action="store_true",
        help="switch off the work later issues added beside the crawl (broken-link checks: "
        "extra HEAD requests; the evidence archive), to compare the crawl itself with a commit "
        "that predates them",
    )
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="zwgk-bench-crawl-"))
    extra = {"max_links_per_site": 0} if a.crawl_only else {}
    config = write_config(
        work / "config.yaml", delay_seconds=0.001, concurrency=64, concurrency_per_host=8,
        autothrottle="false", detail_pages="none", timeout_seconds=30, retries=1, **extra,
    )  # fmt: skip
    if a.crawl_only:
        with config.open("a", encoding="utf-8") as fh:
            fh.write("evidence: {enabled: false}\n")
    full_times: list[float] = []
    cpu_times: list[float] = []
    null_times: list[float] = []
    with BigFarm(work / "farm", sites=a.sites, columns=a.columns) as farm:
        for n in range(a.repeat):
            # A fresh store each time: every repetition is a first-day crawl.
            full = zwgk_run(farm.units_path, work / f"zwgk-{n}.db", config, DAY1)
            full_times.append(elapsed(work / "logs" / f"crawl-{full['run_id']}.log"))
            cpu_times.append(full["cpu_s"])
            (work / "logs" / f"crawl-{full['run_id']}.log").rename(work / f"crawl-{n}.log")
            if n == 0:
                conn = sqlite3.connect(work / "zwgk-0.db")
                urls = [u for (u,) in conn.execute("SELECT url FROM pages ORDER BY page_id")]
                items = conn.execute("SELECT count(*) FROM items").fetchone()[0]
                conn.close()
                (work / "urls.txt").write_text("\n".join(urls) + "\n", encoding="utf-8")
            null_times.append(null_crawl(work / "urls.txt", work / f"null-{n}.log"))
    ref = scrapy_bench()
    full_s, null_s = min(full_times), min(null_times)
    full_rate = full["pages"] / full_s
    null_rate = len(urls) / null_s
    runs = f", best of {a.repeat} each" if a.repeat > 1 else ""
    table(
        f"Crawl throughput: {a.sites} sites x {a.columns} columns, {items} items, delay 1 ms,"
        f" detail pages off (one process{runs})",
        ["spider", "pages", "seconds", "pages/s", "ratio"],
        [
            ["zwgk (full pipeline)", full["pages"], f"{full_s:.1f}", f"{full_rate:.0f}",
             f"{full_rate / null_rate:.2f}x"],
            ["do-nothing", len(urls), f"{null_s:.1f}", f"{null_rate:.0f}", "1.00x"],
        ],
    )  # fmt: skip
    if a.repeat > 1:
        print("all runs (s): zwgk " + ", ".join(f"{t:.1f}" for t in full_times)
              + "; do-nothing " + ", ".join(f"{t:.1f}" for t in null_times))  # fmt: skip
    # CPU seconds of `zwgk run` (its crawl process included) are what a busy shared machine
    # disturbs least: compare commits on these, wall times only on a quiet machine.
    print("zwgk run CPU seconds: best " + f"{min(cpu_times):.1f}, all "
          + ", ".join(f"{t:.1f}" for t in cpu_times))  # fmt: skip
    print(f"scrapy bench (reference, its own link farm): {ref}")
    print(f"work dir: {work}")


if __name__ == "__main__":
    main()
