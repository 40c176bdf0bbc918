"""The scheduler's jobs respect the store's run lock (issue 13): a daily run or a weekly summary
that meets a manual run waits for it as long as the schedule allows, then fails with exit 2 and
the one line naming the holder, recorded in `schedule_runs`; nothing is started twice."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import scheduler
from tests.scheduler.conftest import write_units
from zwgk.store import open_db
from zwgk.storelock import run_lock

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("job", "limits"),
    [
        # the daily run waits for the store as long as a report may take
        ("daily-run", {"report_timeout_seconds": 1, "crawl_timeout_seconds": 60}),
        # a report waits as long as a run may take
        ("weekly-summary", {"crawl_timeout_seconds": 1, "report_timeout_seconds": 60}),
    ],
)
def test_a_job_meeting_a_manual_run_waits_then_fails_with_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, job: str, limits: dict
) -> None:
    monkeypatch.chdir(REPO)  # the job's `python -c` imports zwgk from here
    db = tmp_path / "zwgk.db"
    open_db(db).conn.close()
    units = write_units(tmp_path, {"a": "http://127.0.0.1:9/"})
    specs = scheduler.job_specs(scheduler.parse_schedule(limits), units, db, tmp_path / "out")
    runner = scheduler.JobRunner(db, specs)
    with run_lock(db):  # a manual `zwgk run` holds the store
        assert runner.run(job) == "failed"
    status, code, tail = (
        open_db(db)
        .execute("SELECT status, exit_code, error_tail FROM schedule_runs WHERE job_id = ?", [job])
        .fetchone()
    )
    assert (status, code) == ("failed", 2)
    lines = tail.strip().splitlines()
    assert lines[0].startswith(f"zwgk: waiting up to 1 s for a monitoring run (pid {os.getpid()})")
    assert lines[-1].startswith(f"zwgk: error: a monitoring run is already running on {db}")
    assert "; waited 1 s; " in lines[-1]
    assert not (tmp_path / "out").exists()  # no run and no report was made
