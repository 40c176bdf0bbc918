"""Benchmark 5: distributed throughput with 1 and 2 workers on a CPU-bound farm (many hosts,
no delay), and the highest request rate any one host saw with 1, 2 and 4 workers when the
configured delay is `--delay` seconds (from the farm's own access log).

Needs a redis-server binary (started here on a free loopback port, no persistence).

    python -m bench.distributed [--sites 100 --columns 20] [--delay 0.25]
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench.bigfarm import BigFarm
from bench.common import DAY1, table, write_config, zwgk_run


def start_redis(work: Path) -> tuple[subprocess.Popen, str]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is not installed (apt-get install redis-server)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(work)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(0.5)
    return proc, f"redis://127.0.0.1:{port}/0"


def peak_rates(farm: BigFarm, since: float, run: int = 5) -> tuple[float, float]:
    """(highest rate any host saw over `run` consecutive requests, smallest gap between two).

    Over 5 requests at the configured delay d the rate is 1/d; a 1 s window count would say 5
    for d = 0.25 s (both fence posts), so rates come from the span of consecutive requests.
    """
    by_host: dict[str, list[float]] = defaultdict(list)
    for t, host, _path, _status in farm.hits():
        if t >= since:
            by_host[host].append(t)
    best, gap = 0.0, float("inf")
    for times in by_host.values():
        times.sort()
        for i in range(len(times) - run + 1):
            best = max(best, (run - 1) / max(times[i + run - 1] - times[i], 1e-6))
        gap = min([gap] + [b - a for a, b in zip(times, times[1:], strict=False)])
    return best, gap


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sites", type=int, default=100)
    ap.add_argument("--columns", type=int, default=20)
    ap.add_argument("--delay", type=float, default=0.25)
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="zwgk-bench-dist-"))
    redis_proc, url = start_redis(work)
    try:
        fast = write_config(
            work / "fast.yaml", delay_seconds=0.001, concurrency=64, concurrency_per_host=8,
            autothrottle="false", detail_pages="none", timeout_seconds=30, retries=1,
        )  # fmt: skip
        rows = []
        with BigFarm(work / "farm", sites=a.sites, columns=a.columns) as farm:
            base = None
            for label, extra in (("one process", []), ("1 worker", ["--workers", "1"]),
                                 ("2 workers", ["--workers", "2"])):  # fmt: skip
                if extra:
                    extra = [*extra, "--redis", url]
                r = zwgk_run(farm.units_path, work / f"t{len(rows)}.db", fast, DAY1, *extra)
                rate = r["pages"] / r["crawl_s"]
                if label == "1 worker":
                    base = rate
                rows.append([label, r["pages"], f"{r['crawl_s']:.1f}", f"{rate:.0f}",
                             f"{rate / base:.2f}x" if base else "-"])  # fmt: skip
        table(
            f"Distributed throughput: {a.sites} sites x {a.columns} columns, 1 ms delay, detail"
            " pages off (2 cores shared with the farm, Redis and the orchestrator)",
            ["mode", "pages", "crawl s", "pages/s", "vs 1 worker"],
            rows,
        )
        polite = write_config(
            work / "polite.yaml", delay_seconds=a.delay, concurrency=64, concurrency_per_host=1,
            autothrottle="false", detail_pages="none", timeout_seconds=30, retries=1,
        )  # fmt: skip
        rows = []
        with BigFarm(work / "farm2", sites=8, columns=10) as farm:
            for label, extra in (("one process", []), ("1 worker", ["--workers", "1"]),
                                 ("2 workers", ["--workers", "2"]),
                                 ("4 workers", ["--workers", "4"])):  # fmt: skip
                if extra:
                    extra = [*extra, "--redis", url]
                since = time.time()
                r = zwgk_run(farm.units_path, work / f"p{len(rows)}.db", polite, DAY1, *extra)
                best, gap = peak_rates(farm, since)
                rows.append([label, r["pages"], f"{r['crawl_s']:.1f}", f"{best:.2f}", f"{gap:.3f}"])
        table(
            f"Per-host politeness: 8 sites x 10 columns, delay {a.delay} s (at most"
            f" {1 / a.delay:.0f} requests per host per second; the farm stamps arrivals, so a few ms of"
            " jitter shows)",
            ["mode", "pages", "crawl s", "peak req/s at one host (5 in a row)", "min gap s"],
            rows,
        )
    finally:
        redis_proc.terminate()
        redis_proc.wait()
    print(f"work dir: {work}")


if __name__ == "__main__":
    main()
