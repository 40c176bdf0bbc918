"""The orchestrator of a distributed crawl (`zwgk run --workers N --redis URL`).

1. claim the run's Redis keys (`zwgk:{run_id}:*`, see crawler.distributed.run_keys);
2. push the run's start requests into the shared queue (the spider's own `start()`, serialised
   exactly as scrapy-redis's queue does, fingerprints added to the shared dupefilter);
3. start N `scrapy crawl zwgk` workers on that queue (they close by themselves when it drains);
4. meanwhile drain the records the workers push to `zwgk:{run_id}:items` into SQLite through the
   same StorePipeline a single-process crawl uses, so the store is written by one process;
5. delete the run's keys. The caller then goes on exactly as after a single-process crawl.

Workers on other machines join with `python -m zwgk.distributed worker --redis URL --run ID
--units FILE --db COPY` (see bench/RESULTS.md: Distributed runs); they need the units file and a
read-only copy of the store as it was at the start of the run (the spider reads previous runs'
columns and items from it), and they write nothing but Redis.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import pickle
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from zwgk.crawl import CrawlOutcome, crawl_command, die_with_parent, stop
from zwgk.errors import ZwgkError

DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
#: How long `connect` waits for Redis to answer a PING: a wrong URL (or a port where something
#: else listens and never answers) fails the run at once, with exit 2, not after the run's own
#: Redis timeouts (crawler.distributed.REDIS_TIMEOUTS).
PING_TIMEOUT_SECONDS = 5.0


def connect(url: str):
    import redis

    from crawler.distributed import redis_client

    try:
        redis.Redis.from_url(
            url, socket_connect_timeout=PING_TIMEOUT_SECONDS, socket_timeout=PING_TIMEOUT_SECONDS
        ).ping()
        server = redis_client(url)
    except (redis.RedisError, ValueError, OSError) as exc:
        raise ZwgkError(
            f"--redis {url}: cannot reach Redis ({exc}); start redis-server or pass its URL "
            "as redis://HOST:PORT/DB"
        ) from None
    return server


def prefix_for(run_id: int) -> str:
    return f"zwgk:{run_id}"


def claim(server, keys: dict[str, str], db_path: Path) -> None:
    """Own the run's keys; leftovers of a crashed run of this store are cleared."""
    me = str(db_path.resolve())
    if not server.set(keys["owner"], me, nx=True):
        owner = (server.get(keys["owner"]) or b"").decode()
        if owner != me:
            raise ZwgkError(
                f"Redis keys {keys['owner'].rsplit(':', 1)[0]}:* belong to a run of {owner}; "
                "use another Redis database (redis://HOST:PORT/N) for this store"
            )
        server.delete(*keys.values())
        server.set(keys["owner"], me)


def seed(server, keys: dict[str, str], units_path: Path, db_path: Path, run_id: int) -> int:
    """Push the spider's start requests as the scheduler would: dupefilter, then queue."""
    from scrapy_redis.queue import PriorityQueue

    from crawler.distributed import DupeFilter
    from crawler.spiders.disclosure import DisclosureSpider

    spider = DisclosureSpider(units=str(units_path), db=str(db_path), run_id=str(run_id))

    async def collect() -> list:
        return [r async for r in spider.start()]

    queue = PriorityQueue(server, spider, keys["requests"])
    df = DupeFilter(server, keys["dupefilter"])
    pushed = 0
    for request in asyncio.run(collect()):
        if not request.dont_filter and df.request_seen(request):
            continue
        queue.push(request)
        pushed += 1
    return pushed


class Drain:
    """Records from the workers' Redis list into SQLite through StorePipeline, in order."""

    def __init__(self, server, key: str, db_path: Path, run_id: int) -> None:
        from scrapy.settings import Settings

        from crawler.items import Records
        from crawler.pipelines import StorePipeline

        self.batch_type = Records
        self.server, self.key = server, key
        spider = SimpleNamespace(run_id=run_id, db_path=str(db_path))
        crawler = SimpleNamespace(settings=Settings(), spider=spider)
        self.pipeline = StorePipeline.from_crawler(crawler)
        self.pipeline.open_spider()
        self.records = 0

    def step(self, batch: int = 2000) -> int:
        got = 0
        while True:
            chunk = self.server.lpop(self.key, batch)
            if not chunk:
                return got
            for data in chunk:
                item = self.pipeline.process_item(pickle.loads(data))
                self.records += len(item.records) if isinstance(item, self.batch_type) else 1
            got += len(chunk)

    def close(self) -> None:
        self.pipeline.close_spider()


def worker_extra(crawl: dict[str, Any], prefix: str, redis_url: str, to_redis: bool) -> dict:
    from crawler.distributed import worker_settings

    extra = worker_settings(prefix, redis_url, to_redis)
    # Politeness is shared through Redis (crawler/ratelimit.py); a local delay on top would
    # only slow each worker down, and AutoThrottle's per-process delay does not add up.
    extra.update(
        DOWNLOAD_DELAY="0",
        AUTOTHROTTLE_ENABLED="False",
        ZWGK_RATE_DELAY=str(crawl["delay_seconds"]),
    )
    return extra


def run_distributed_crawl(
    units_path: Path,
    db_path: Path,
    run_id: int,
    crawl: dict[str, Any],
    log_path: Path,
    workers: int,
    redis_url: str,
    on_tick: Callable[[], None] | None = None,
) -> CrawlOutcome:
    import redis

    server = connect(redis_url)
    prefix = prefix_for(run_id)
    from crawler.distributed import run_keys

    keys = run_keys(prefix)
    # Always: workers writing the SQLite file themselves (shared file system, WAL, busy timeout)
    # was tried and lost records under lock contention and got ColumnDone counts wrong, since a
    # column's pages are written by different workers whose transactions commit at different
    # times. One writer draining an ordered list is exact.
    to_redis = True
    claim(server, keys, db_path)
    started = time.monotonic()
    timeout = float(crawl.get("crawl_timeout_seconds", 3600))
    log_path.parent.mkdir(parents=True, exist_ok=True)
    logs = [log_path.with_name(f"{log_path.stem}-w{i}.log") for i in range(workers)]
    procs: list[subprocess.Popen] = []
    drain: Drain | None = None
    timed_out = False
    note = failure = ""
    try:
        seeded = seed(server, keys, units_path, db_path, run_id)
        # what a worker on another machine needs to join (`python -m zwgk.distributed worker`)
        server.set(keys["config"], json.dumps({"crawl": crawl, "items_to_redis": to_redis}))
        note = f"{seeded} start requests; "
        drain = Drain(server, keys["items"], db_path, run_id) if to_redis else None
        args, env = crawl_command(
            units_path, db_path, run_id, crawl, worker_extra(crawl, prefix, redis_url, to_redis)
        )
        for path in logs:
            with open(path, "wb") as fh:
                procs.append(
                    subprocess.Popen(
                        args,
                        stdout=fh,
                        stderr=subprocess.STDOUT,
                        env=env,
                        start_new_session=True,
                        preexec_fn=die_with_parent,
                    )
                )
        host = socket.gethostname()
        reaped: set[int] = set()
        while True:
            got = drain.step() if drain else 0
            for p in procs:
                if p.poll() is not None and p.pid not in reaped:
                    # a worker that died holding requests must not keep the others waiting
                    server.srem(keys["active"], f"{host}:{p.pid}")
                    reaped.add(p.pid)
            if len(reaped) == len(procs):
                break
            if on_tick:
                on_tick()
            if time.monotonic() - started > timeout:
                timed_out = True
                stop(*procs)
                break
            if not got:
                time.sleep(0.05)
        if drain:
            drain.step()
    except redis.RedisError as exc:
        # Redis stopped answering (REDIS_TIMEOUTS) or went away: stop the workers and fail the
        # run with this line (the last of its log, so the run's error names it), rather than a
        # traceback or a wait past the crawl deadline.
        failure = (
            f"ERROR: Redis failed during the crawl, workers stopped: {type(exc).__name__}: {exc}\n"
        )
    finally:
        stop(*procs)
        if drain:
            drain.close()
        with contextlib.suppress(redis.RedisError):  # the same Redis may still not answer
            server.delete(*keys.values())
    combine_logs(log_path, logs, note + seeded_note(workers, redis_url, prefix, drain), failure)
    codes = [p.returncode for p in procs]
    exit_code = next((c for c in codes if c), 0) or (1 if failure else 0)
    return CrawlOutcome(exit_code, time.monotonic() - started, log_path, timed_out)


def seeded_note(workers: int, redis_url: str, prefix: str, drain: Drain | None) -> str:
    stored = f", {drain.records} records drained into SQLite" if drain else ""
    return f"distributed crawl: {workers} workers on {redis_url} keys {prefix}:*{stored}\n"


def combine_logs(log_path: Path, logs: list[Path], note: str, last: str = "") -> None:
    """One crawl log for the run (error tails and counts read it), worker by worker, then
    `last` (the orchestrator's own failure, if any)."""
    with open(log_path, "w", encoding="utf-8") as out:
        out.write(note)
        for i, path in enumerate(logs):
            out.write(f"==== worker {i}: {path.name}\n")
            with contextlib.suppress(OSError):
                out.write(path.read_text(encoding="utf-8", errors="replace"))
        out.write(last)


def join(redis_url: str, run_id: int, units_path: Path, db_path: Path, log_path: Path) -> int:
    """A worker on another machine: the run's settings come from Redis; returns its exit code."""
    server = connect(redis_url)
    prefix = prefix_for(run_id)
    from crawler.distributed import run_keys

    raw = server.get(run_keys(prefix)["config"])
    if raw is None:
        raise ZwgkError(f"run {run_id} is not running on {redis_url} (no {prefix}:config)")
    cfg = json.loads(raw)
    check_copy(db_path)
    extra = worker_extra(cfg["crawl"], prefix, redis_url, cfg["items_to_redis"])
    args, env = crawl_command(units_path, db_path, run_id, cfg["crawl"], extra)
    with open(log_path, "wb") as fh:
        return subprocess.call(args, stdout=fh, stderr=subprocess.STDOUT, env=env)


def check_copy(db_path: Path) -> None:
    """The spider reads the store: a copy taken mid-write (cp of a WAL database) has no tables."""
    import sqlite3

    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        conn.close()
    except sqlite3.Error as exc:
        tables = set()
        why = str(exc)
    else:
        why = "no items/columns tables"
    if not {"items", "columns", "sites"} <= tables:
        raise ZwgkError(
            f"--db {db_path}: not a copy of a zwgk store ({why}); copy the store with "
            f"`sqlite3 zwgk.db '.backup {db_path}'` (a plain cp can miss the WAL)"
        )


def main(argv: list[str] | None = None) -> None:
    import argparse
    import sys

    ap = argparse.ArgumentParser(
        prog="python -m zwgk.distributed", description="Join a running distributed crawl."
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("worker", help="crawl from the run's shared queue until it drains")
    w.add_argument("--redis", required=True, metavar="URL")
    w.add_argument("--run", required=True, type=int, metavar="RUN_ID")
    w.add_argument("--units", required=True, type=Path)
    w.add_argument("--db", required=True, type=Path, help="read-only copy of the store")
    w.add_argument("--log", type=Path, default=Path("zwgk-worker.log"))
    a = ap.parse_args(argv)
    try:
        sys.exit(join(a.redis, a.run, a.units, a.db, a.log))
    except ZwgkError as exc:
        print(f"zwgk: error: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
