"""Running one job: its own process group, a timeout that kills the whole group, and every
outcome recorded in `schedule_runs` (and a killed run's `runs` row closed)."""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

from apscheduler.triggers.interval import IntervalTrigger

import scheduler
from zwgk.store import open_db

PY = (sys.executable, "-c")


def spec(code: str, timeout: float = 10, run_kind: str | None = None) -> scheduler.JobSpec:
    return scheduler.JobSpec(
        "daily-run",
        IntervalTrigger(hours=24, timezone="Asia/Shanghai"),
        (code,),
        timeout,
        60,
        run_kind=run_kind,
        program=PY,
    )


def recorded(db_path: Path) -> dict:
    cur = open_db(db_path).execute("SELECT * FROM schedule_runs ORDER BY schedule_run_id")
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r, strict=True)) for r in cur]
    assert len(rows) == 1
    return rows[0]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


# A child that opens a `runs` row, starts a grandchild in a session of its own (as `zwgk run`
# starts scrapy), then hangs.
HANGS = f"""
import subprocess, sys, time
sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
from zwgk import store
db = store.open_db(sys.argv[1])
store.start_run(db, 'run', units_total=3)
g = subprocess.Popen(['sleep', '60'], start_new_session=True)
print('grandchild', g.pid, flush=True)
time.sleep(60)
"""


def test_a_job_over_its_timeout_is_killed_with_its_group_and_recorded_failed(tmp_path):
    db_path = tmp_path / "zwgk.db"
    open_db(db_path)
    job = scheduler.JobSpec(
        "daily-run",
        IntervalTrigger(hours=24),
        (HANGS, str(db_path)),
        1.0,
        60,
        run_kind="run",
        program=PY,
    )
    started = time.monotonic()
    status = scheduler.JobRunner(db_path, [job]).run("daily-run")

    assert status == "timeout"
    assert time.monotonic() - started < 8
    row = recorded(db_path)
    assert row["status"] == "timeout" and row["exit_code"] < 0
    assert row["started_at"] <= row["finished_at"]
    assert "killed after the 1 s timeout" in row["error_tail"]
    grandchild = int(row["error_tail"].split("grandchild ")[1].split()[0])
    deadline = time.monotonic() + 3
    while alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(grandchild), "the crawl it started is killed too, not orphaned"
    run = open_db(db_path).execute("SELECT run_id, status, error FROM runs").fetchone()
    assert run[1] == "killed" and "1 s timeout" in run[2]
    assert row["run_id"] == run[0]
    assert json.loads(row["counts"])["run_status"] == "killed"


def test_success_and_failure_are_recorded_with_counts_and_error_tail(tmp_path):
    db_path = tmp_path / "zwgk.db"
    db = open_db(db_path)
    ok = f"""
import sys
sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
from zwgk import store
db = store.open_db(sys.argv[1])
rid = store.start_run(db, 'probe', units_total=2)
store.finish_run(db, rid, 'completed', exit_code=0, stats={{'probes': 2, 'failed': 1}})
"""
    runner = scheduler.JobRunner(
        db_path,
        [
            scheduler.JobSpec(
                "probe-round",
                IntervalTrigger(hours=1),
                (ok, str(db_path)),
                10,
                60,
                run_kind="probe",
                program=PY,
            ),
            spec("import sys; print('boom: units file broken', file=sys.stderr); sys.exit(2)"),
        ],
    )

    assert runner.run("probe-round") == "ok"
    assert runner.run("daily-run") == "failed"

    rows = db.execute(
        "SELECT job_id, status, exit_code, counts, error_tail, run_id FROM schedule_runs"
        " ORDER BY schedule_run_id"
    ).fetchall()
    assert rows[0][:3] == ("probe-round", "ok", 0)
    assert json.loads(rows[0][3])["probes"] == 2 and rows[0][4] is None and rows[0][5] == 1
    assert rows[1][:3] == ("daily-run", "failed", 2)
    assert "boom: units file broken" in rows[1][4]
    assert scheduler.last_success(db, "probe-round") is not None
    assert scheduler.last_success(db, "daily-run") is None


def test_stop_terminates_a_running_job_and_records_it(tmp_path):
    db_path = tmp_path / "zwgk.db"
    open_db(db_path)
    runner = scheduler.JobRunner(db_path, [spec("import time; time.sleep(60)", timeout=60)])
    outcome: list[str] = []
    worker = threading.Thread(target=lambda: outcome.append(runner.run("daily-run")))
    worker.start()
    deadline = time.monotonic() + 5
    while not runner.children and time.monotonic() < deadline:
        time.sleep(0.02)
    runner.stop()
    worker.join(5)

    assert outcome == ["killed"]
    row = recorded(db_path)
    assert row["status"] == "killed" and "scheduler is stopping" in row["error_tail"]
    assert runner.run("daily-run") == "killed"  # nothing new starts once stopping


def test_real_probe_job_records_its_round(tmp_path, server, make_units):
    units = make_units({"ok": server.url("/ok/"), "down": server.url("/down/")})
    db_path = tmp_path / "zwgk.db"
    s = scheduler.parse_schedule({"probe_timeout_seconds": 5})
    specs = scheduler.job_specs(s, units, db_path, tmp_path / "out")
    assert scheduler.JobRunner(db_path, specs).run("probe-round") == "ok"

    row = recorded(db_path)
    assert json.loads(row["argv"])[:1] == ["probe"]
    counts = json.loads(row["counts"])
    assert counts["run_kind"] == "probe" and counts["pages"] == 2 and counts["failures"] == 1
    probes = open_db(db_path).execute("SELECT unit_id, ok FROM probes ORDER BY unit_id")
    assert probes.fetchall() == [("down", 0), ("ok", 1)]
    assert timedelta(days=1) / s.probe_interval >= 20


def test_a_run_left_open_by_a_crashed_job_is_closed_as_failed(tmp_path):
    db_path = tmp_path / "zwgk.db"
    open_db(db_path)
    crash = f"""
import sys
sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
from zwgk import store
store.start_run(store.open_db(sys.argv[1]), 'run')
raise RuntimeError('pipeline exploded')
"""
    job = scheduler.JobSpec(
        "daily-run", IntervalTrigger(hours=24), (crash, str(db_path)), 10, 60, "run", PY
    )
    assert scheduler.JobRunner(db_path, [job]).run("daily-run") == "failed"

    row = recorded(db_path)
    assert row["exit_code"] == 1 and "RuntimeError: pipeline exploded" in row["error_tail"]
    run = open_db(db_path).execute("SELECT run_id, status, error FROM runs").fetchone()
    assert run == (row["run_id"], "failed", "the job exited 1 before finishing its run")
