"""Fixtures for distributed mode: a real redis-server on a free loopback port, the generated big
farm, and one crawl of that farm per mode (single process, then 2 workers), day 1 and day 2."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.bigfarm import BigFarm
from tests.conftest import zwgk

DAY1 = "2026-11-29T08:00:00+08:00"
DAY2 = "2026-11-30T08:00:00+08:00"
FAST = (
    "crawl: {delay_seconds: 0.001, concurrency_per_host: 4, concurrency: 32, autothrottle: false,"
    " timeout_seconds: 10, retries: 1}\n"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory):
    binary = shutil.which("redis-server")
    if binary is None:
        msg = "redis-server is not installed (apt-get install redis-server)"
        if os.environ.get("CI"):
            pytest.fail(msg + ": CI must run the distributed tests")
        pytest.skip(msg)
    import redis

    work = tmp_path_factory.mktemp("redis")
    for _ in range(5):
        port = free_port()
        proc = subprocess.Popen(
            [
                binary,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(work),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=port)
        deadline = time.monotonic() + 10
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        if proc.poll() is None:
            break
    else:
        pytest.fail("redis-server did not start on a free port")
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="session")
def big_farm(tmp_path_factory: pytest.TempPathFactory):
    with BigFarm(tmp_path_factory.mktemp("bigfarm"), sites=6, columns=8) as farm:
        yield farm


@dataclass
class Runs:
    single_day1: Path
    single: Path
    dist_day1: Path
    dist: Path
    out: Path
    results: dict
    seconds: dict


def snapshot(db: Path, to: Path) -> Path:
    src, dst = sqlite3.connect(db), sqlite3.connect(to)
    src.backup(dst)
    src.close()
    dst.close()
    return to


@pytest.fixture(scope="session")
def both_ways(big_farm: BigFarm, redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Runs:
    work = tmp_path_factory.mktemp("both")
    config = work / "config.yaml"
    config.write_text(FAST, encoding="utf-8")
    dbs = {"single": work / "single.db", "dist": work / "dist.db"}
    extra = {"single": [], "dist": ["--workers", "2", "--redis", redis_url]}
    results, seconds, day1 = {}, {}, {}
    for day, now in ((1, DAY1), (2, DAY2)):
        big_farm.set_day(day)
        for mode, db in dbs.items():
            t0 = time.monotonic()
            results[(mode, day)] = zwgk(
                "run",
                "--units",
                str(big_farm.units_path),
                "--db",
                str(db),
                "--config",
                str(config),
                "--no-progress",
                *extra[mode],
                now=now,
                timeout=120,
            )
            seconds[(mode, day)] = time.monotonic() - t0
            if day == 1:
                day1[mode] = snapshot(db, work / f"{mode}-day1.db")
    big_farm.set_day(1)
    return Runs(day1["single"], dbs["single"], day1["dist"], dbs["dist"], work, results, seconds)
