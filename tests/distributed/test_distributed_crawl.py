"""Distributed mode against a real Redis: the same store as one process, workers that close by
themselves, a per-host rate that holds across workers, and no keys left behind."""

from __future__ import annotations

import re
import time
from collections import defaultdict

import pytest
import redis

from bench.bigfarm import BigFarm
from tests.conftest import zwgk
from tests.distributed.compare import content, differences
from tests.distributed.conftest import DAY1, Runs, snapshot

pytestmark = pytest.mark.redis


def test_both_ways_complete(both_ways: Runs) -> None:
    for key, result in both_ways.results.items():
        assert result.returncode == 0, (key, result.stderr[-2000:])


def test_day1_store_is_the_single_process_store(both_ways: Runs, big_farm: BigFarm) -> None:
    assert differences(both_ways.single_day1, both_ways.dist_day1) == {}
    got = content(both_ways.dist_day1)
    truth = big_farm.truth(1)
    assert len(got["columns"]) == truth["columns"]
    assert len(got["items"]) == truth["items"]


def test_day2_incremental_store_is_the_single_process_store(
    both_ways: Runs, big_farm: BigFarm
) -> None:
    assert differences(both_ways.single, both_ways.dist) == {}
    assert len(content(both_ways.dist)["items"]) == big_farm.truth(2)["items"]


def worker_logs(both_ways: Runs) -> dict[int, list[str]]:
    logs = defaultdict(list)
    for path in sorted((both_ways.out / "logs").glob("crawl-*-w*.log")):
        run = int(re.match(r"crawl-(\d+)-w\d+", path.stem).group(1))
        logs[run].append(path.read_text(encoding="utf-8", errors="replace"))
    return logs


def test_both_workers_share_the_queue_and_close_by_themselves(both_ways: Runs) -> None:
    logs = worker_logs(both_ways)
    assert sorted(logs) == [1, 2] and all(len(v) == 2 for v in logs.values())
    day1 = logs[1]
    for text in day1:
        assert "'finish_reason': 'finished'" in text
    counts = [int(re.search(r"'downloader/request_count': (\d+)", t).group(1)) for t in day1]
    assert min(counts) > 0, f"one worker fetched nothing: {counts}"
    # a drained queue ends the crawl within a second or two, not after an idle timeout
    assert both_ways.seconds[("dist", 1)] < both_ways.seconds[("single", 1)] + 10


def test_run_keys_are_deleted(both_ways: Runs, redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    time.sleep(0.05)  # rate-limit slots expire by themselves (PX); run keys are deleted
    left = [k.decode() for k in client.keys("zwgk:*") if not k.startswith(b"zwgk:rl:")]
    assert left == []


def test_idle_workers_exit_when_there_is_nothing_for_them(
    big_farm: BigFarm, redis_url: str, tmp_path
) -> None:
    """4 workers, one site with three columns: most workers never get a request and must not
    wait for a timeout (nor quit while another still feeds the queue)."""
    units = tmp_path / "one.yaml"
    text = big_farm.units_path.read_text(encoding="utf-8").split("  - code: ")
    units.write_text("units:\n  - code: " + text[1], encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(
        "crawl: {delay_seconds: 0.001, concurrency_per_host: 1, concurrency: 2, autothrottle: false}\n",
        encoding="utf-8",
    )
    t0 = time.monotonic()
    result = zwgk(
        "run",
        "--units",
        str(units),
        "--db",
        str(tmp_path / "z.db"),
        "--config",
        str(config),
        "--no-progress",
        "--workers",
        "4",
        "--redis",
        redis_url,
        now=DAY1,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert time.monotonic() - t0 < 30
    assert "columns crawled 8," in result.stderr


def test_a_host_never_sees_more_than_its_rate_across_workers(
    big_farm: BigFarm, redis_url: str, tmp_path
) -> None:
    delay = 0.15
    hosts = big_farm.units_path.read_text(encoding="utf-8").split("  - code: ")[1:3]
    units = tmp_path / "two.yaml"
    units.write_text("units:\n" + "".join("  - code: " + h for h in hosts), encoding="utf-8")
    config = tmp_path / "config.yaml"
    # one request in flight per worker: both workers must take turns on the same hosts
    config.write_text(
        f"crawl: {{delay_seconds: {delay}, concurrency_per_host: 1, concurrency: 1,"
        " autothrottle: false, detail_pages: none}\n",
        encoding="utf-8",
    )
    start = time.time()
    result = zwgk(
        "run",
        "--units",
        str(units),
        "--db",
        str(tmp_path / "r.db"),
        "--config",
        str(config),
        "--out",
        str(tmp_path / "out"),
        "--no-progress",
        "--workers",
        "2",
        "--redis",
        redis_url,
        now=DAY1,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    by_host = defaultdict(list)
    for t, host, _path, _status in big_farm.hits():
        if t >= start:
            by_host[host].append(t)
    assert len(by_host) == 2
    counts = []
    for log in sorted((tmp_path / "out" / "logs").glob("crawl-*-w*.log")):
        counts.append(
            int(re.search(r"'downloader/request_count': (\d+)", log.read_text()).group(1))
        )
    assert len(counts) == 2 and min(counts) > 0, f"both workers must have crawled: {counts}"
    for host, times in by_host.items():
        times.sort()
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        # The farm stamps a request when it handles it, on a shared 2-core machine: a gap can
        # shrink by scheduling jitter, but without the shared slot two workers would send
        # requests milliseconds apart. Half the delay separates the two cases robustly.
        assert min(gaps) >= delay / 2, (host, sorted(gaps)[:5])
        window = 10 * delay
        busiest = max(sum(1 for u in times if t <= u < t + window) for t in times)
        assert busiest <= 10 + 1, (host, busiest)


def test_unreachable_redis_is_one_line_and_exit_2(big_farm: BigFarm, tmp_path) -> None:
    result = zwgk(
        "run",
        "--units",
        str(big_farm.units_path),
        "--db",
        str(tmp_path / "x.db"),
        "--workers",
        "2",
        "--redis",
        "redis://127.0.0.1:1/0",
        now=DAY1,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--redis redis://127.0.0.1:1/0" in lines[0], result.stderr


def test_a_worker_on_another_machine_joins_the_run(
    big_farm: BigFarm, redis_url: str, tmp_path
) -> None:
    """`python -m zwgk.distributed worker` joins a running crawl from Redis alone (settings,
    queue) with a read-only copy of the store, and writes nothing but Redis."""
    import os
    import subprocess
    import sys

    from tests.conftest import REPO

    hosts = big_farm.units_path.read_text(encoding="utf-8").split("  - code: ")[1:4]
    units = tmp_path / "three.yaml"
    units.write_text("units:\n" + "".join("  - code: " + h for h in hosts), encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(
        # slow enough (~5 s a host) that the joining worker, started only once the run is
        # queued, still finds requests left on a loaded machine
        "crawl: {delay_seconds: 0.5, concurrency_per_host: 1, concurrency: 2,"
        " autothrottle: false, detail_pages: none}\n",
        encoding="utf-8",
    )
    db = tmp_path / "z.db"
    env = {k: v for k, v in os.environ.items() if k != "ZWGK_NOW"}
    orchestrator = subprocess.Popen(
        [sys.executable, "-m", "zwgk.cli", "run", "--units", str(units), "--db", str(db),
         "--config", str(config), "--no-progress", "--workers", "1", "--redis", redis_url,
         "--now", DAY1],
        cwd=REPO, env=env, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    client = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + 20
    while not client.exists("zwgk:1:config"):
        assert time.monotonic() < deadline and orchestrator.poll() is None
        time.sleep(0.02)
    copy = snapshot(db, tmp_path / "copy.db")  # a plain copy of a WAL database can miss tables
    log = tmp_path / "joined.log"
    joined = subprocess.run(
        [sys.executable, "-m", "zwgk.distributed", "worker", "--redis", redis_url, "--run", "1",
         "--units", str(units), "--db", str(copy), "--log", str(log)],
        cwd=REPO, env={**env, "ZWGK_NOW": DAY1}, timeout=60,
    )  # fmt: skip
    _, err = orchestrator.communicate(timeout=60)
    assert orchestrator.returncode == 0, err[-2000:]
    assert joined.returncode == 0
    text = log.read_text(encoding="utf-8")
    assert "'finish_reason': 'finished'" in text
    assert int(re.search(r"'downloader/request_count': (\d+)", text).group(1)) > 0
    assert "columns crawled 24," in err  # 3 sites x 8 columns, whoever fetched them
