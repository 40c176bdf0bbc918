"""Every Redis wait of a distributed run has a deadline (issue 13, item 5): a Redis that accepts
connections and never answers fails `zwgk run --workers` at once with exit 2, and a Redis that
stops answering mid-crawl stops the workers and fails the run with one line, instead of holding
it past its crawl deadline or ending in a traceback."""

from __future__ import annotations

import socket
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
import redis
from click.testing import CliRunner

from tests.conftest import DAY1, loopback_site
from tests.spider.test_robustness import scrapy_pids
from zwgk import distributed, runner
from zwgk.cli import main

UNITS = "units:\n  - code: s\n    name: 站\n    kind: township\n    disclosure: {site}/xxgk/\n"


class Page(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        body = (
            "<html><body><ul><li><a href='/xxgk/a.html'>通知</a> 2026-11-20</li></ul></body></html>"
        )
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def test_a_redis_that_never_answers_fails_the_run_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # connections are accepted by the kernel and never answered
    monkeypatch.setattr(distributed, "PING_TIMEOUT_SECONDS", 0.5)
    units = tmp_path / "units.yaml"
    units.write_text(UNITS.format(site="http://127.0.0.1:9"), encoding="utf-8")
    db = tmp_path / "z.db"
    url = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
    outcome: list = []
    # In a thread with a join timeout: before the fix this call never returned.
    worker = threading.Thread(
        target=lambda: outcome.append(
            CliRunner().invoke(
                main,
                [
                    "run",
                    "--units",
                    str(units),
                    "--db",
                    str(db),
                    "--workers",
                    "1",
                    "--redis",
                    url,
                    "--no-progress",
                ],
            )  # fmt: skip
        ),
        daemon=True,
    )
    worker.start()
    worker.join(60)
    silent.close()
    assert outcome, "zwgk run --workers was still waiting for Redis after 60 s"
    result = outcome[0]
    assert result.exit_code == 2, result.output
    line = result.output.strip()
    assert line.startswith(f"zwgk: error: --redis {url}: cannot reach Redis (Timeout")
    assert len(line.splitlines()) == 1
    assert not db.exists()


@pytest.mark.redis
def test_redis_failing_mid_crawl_stops_the_workers_and_fails_the_run(
    redis_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    calls = {"n": 0}
    real_step = distributed.Drain.step

    def step(self, batch: int = 2000) -> int:
        calls["n"] += 1
        if calls["n"] >= 3:  # the workers are running by now
            raise redis.TimeoutError("Timeout reading from socket")
        return real_step(self, batch)

    monkeypatch.setattr(distributed.Drain, "step", step)
    monkeypatch.setenv("ZWGK_NOW", DAY1)
    with loopback_site(Page) as site:
        units, config = tmp_path / "units.yaml", tmp_path / "config.yaml"
        units.write_text(UNITS.format(site=site), encoding="utf-8")
        config.write_text("crawl: {delay_seconds: 0.001, autothrottle: false}\n")
        db = tmp_path / "z.db"
        result = runner.run_once(
            units, db, config, None, progress=False, workers=1, redis_url=redis_url
        )
    assert result.exit_code == 1
    assert scrapy_pids(db.resolve()) == []  # the worker was stopped with the run
    with sqlite3.connect(db) as conn:
        status, error = conn.execute("SELECT status, error FROM runs").fetchone()
    assert status == "failed"
    assert "Redis failed during the crawl, workers stopped: TimeoutError" in error
    assert "Traceback" not in capsys.readouterr().err
    left = redis.Redis.from_url(redis_url).keys(f"{distributed.prefix_for(result.run_id)}:*")
    assert left == []  # the run's keys are gone
