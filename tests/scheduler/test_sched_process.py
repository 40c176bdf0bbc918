"""The scheduler as a process: one per database, and SIGTERM/SIGINT stop it cleanly (exit 0)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from zwgk import clock
from zwgk.store import open_db

REPO = Path(__file__).resolve().parents[2]
ZWGK = [sys.executable, "-c", "from zwgk.cli import main; main(prog_name='zwgk')"]
READY = "zwgk scheduler started on"
STARTED: list[subprocess.Popen] = []  # every scheduler a test starts, killed if a test fails


@pytest.fixture(autouse=True)
def _no_scheduler_outlives_its_test() -> Iterator[None]:
    yield
    while STARTED:
        proc = STARTED.pop()
        if proc.poll() is None:
            proc.kill()
            proc.wait()


class Scheduler:
    """`python scheduler.py ...` in the background, its stderr collected by a thread."""

    def __init__(self, args: list[str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(REPO / "scheduler.py"), *args],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        STARTED.append(self.proc)
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.lines.append(line)

    def wait_for(self, text: str, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in line for line in self.lines):
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        pytest.fail(f"scheduler never logged {text!r}:\n{''.join(self.lines)}")

    def stop(self, sig: int, timeout: float = 30) -> int:
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout)
        self.reader.join(2)
        return code


def daily_run_done(db: Path) -> None:
    """Record today's daily run as done, so a scheduler starting on `db` has no job due."""
    open_db(db).execute(
        "INSERT INTO schedule_runs (job_id, started_at, finished_at, status, exit_code)"
        " VALUES ('daily-run', ?, ?, 'ok', 0)",
        [clock.iso(), clock.iso()],
    )


@pytest.fixture
def setup(server, make_units, tmp_path) -> Iterator[list[str]]:
    """Arguments for a scheduler whose jobs are not due: today's daily run already succeeded."""
    units = make_units({"ok": server.url("/ok/")})
    db = tmp_path / "zwgk.db"
    daily_run_done(db)
    yield ["--units", str(units), "--db", str(db), "--out", str(tmp_path / "out")]


@pytest.fixture
def running(setup) -> Iterator[Scheduler]:
    first = Scheduler(setup)
    first.wait_for(READY)
    yield first
    if first.proc.poll() is None:
        first.proc.kill()
        first.proc.wait()


def test_sigterm_stops_the_scheduler_cleanly_with_exit_0(running):
    started = time.monotonic()
    assert running.stop(signal.SIGTERM) == 0
    assert time.monotonic() - started < 20  # no job was due: a stop waits for none
    log = "".join(running.lines)
    assert "SIGTERM received: stopping" in log and "zwgk scheduler stopped" in log
    assert "Traceback" not in log


def test_a_second_scheduler_on_the_same_database_refuses(running, setup, tmp_path):
    second = subprocess.run(
        [*ZWGK, "schedule", *setup], cwd=REPO, capture_output=True, text=True, timeout=60
    )

    assert second.returncode == 2
    assert second.stderr.startswith("zwgk: error: another scheduler is already running on ")
    assert f"pid {running.proc.pid}" in second.stderr
    assert "Traceback" not in second.stderr

    other = tmp_path / "other.db"  # another database is another scheduler's business
    # No job due there either: this test is about the lock, not about stopping mid-run (on a
    # loaded CI machine a catch-up run under way at SIGINT once ended with exit 1).
    daily_run_done(other)
    args = [*setup[:2], "--db", str(other), *setup[4:]]
    third = Scheduler(args)
    third.wait_for(READY)
    assert third.stop(signal.SIGINT) == 0, "".join(third.lines)
    assert running.stop(signal.SIGINT) == 0

    # the lock dies with its holder: a new scheduler may start now
    again = Scheduler(setup)
    again.wait_for(READY)
    assert again.stop(signal.SIGTERM) == 0


def test_a_bad_schedule_file_is_exit_2_before_starting(setup, tmp_path):
    bad = tmp_path / "schedule.yaml"
    bad.write_text("probes_per_day: 12\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(REPO / "scheduler.py"), *setup, "--schedule", str(bad)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "schedule.yaml: probes_per_day must be a whole number from 20" in result.stderr


@pytest.fixture
def busy_cpus() -> Iterator[None]:
    """Every core kept busy, as on a loaded CI machine (a stop under load once ended exit 1)."""
    burners = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"])
        for _ in range(os.cpu_count() or 2)
    ]
    yield
    for proc in burners:
        proc.kill()
        proc.wait()


def test_a_stop_during_a_running_job_kills_it_and_exits_0_under_load(
    server, make_units, tmp_path, busy_cpus
):
    # The portal answers after 2 s, so the catch-up daily run is still crawling when it stops.
    units = make_units({"slow": server.url("/slow/")})
    db = tmp_path / "zwgk.db"
    sched = Scheduler(["--units", str(units), "--db", str(db), "--out", str(tmp_path / "out")])
    sched.wait_for("daily-run: starting", timeout=60)
    deadline = time.monotonic() + 60
    child = None
    while child is None and time.monotonic() < deadline:
        child = (
            open_db(db).execute("SELECT pid FROM schedule_runs WHERE pid IS NOT NULL").fetchone()
        )
        time.sleep(0.05)
    assert child, "".join(sched.lines)

    code = sched.stop(signal.SIGTERM, timeout=60)

    log = "".join(sched.lines)
    assert code == 0, log
    assert "SIGTERM received: stopping" in log and "zwgk scheduler stopped" in log
    assert "Traceback" not in log
    store_ = open_db(db)
    rows = store_.execute("SELECT job_id, status, error_tail FROM schedule_runs").fetchall()
    assert [(job, status) for job, status, _ in rows] == [("daily-run", "killed")], rows
    assert "the scheduler is stopping" in rows[0][2]
    assert store_.execute("SELECT count(*) FROM runs WHERE status = 'running'").fetchone() == (0,)
    with pytest.raises(ProcessLookupError):  # the job's process went with the scheduler
        os.kill(child[0], 0)
