"""The evidence archive is pruned by the scheduler: `evidence-prune` runs `zwgk evidence prune`
right after each daily run (never on a clock of its own, never beside the run), under the run
lock, with the retention policy applied at the scheduler's clock; `evidence_prune: false` turns
it off."""

from __future__ import annotations

import dataclasses
import json
import re
import sys
import threading
import time
from pathlib import Path

import pytest

import scheduler
from tests.conftest import add_capture
from zwgk import clock
from zwgk import evidence as ev
from zwgk.errors import ConfigError
from zwgk.store import open_db

NOW = "2026-11-29T10:00:00+08:00"
PY = (sys.executable, "-c")


def _archive(db_path: Path) -> dict[str, int]:
    """One unit; a capture from January that nothing rests on (past `unlinked_days`), one an open
    finding rests on (kept whatever its age), one from yesterday (kept: the next run's base)."""
    db = open_db(db_path)
    db.execute(
        "INSERT INTO units (unit_id, name, kind, disclosure, updated_at) VALUES"
        " ('u1', '示例县', 'county', 'http://u1.test/', 'x')"
    )
    db.execute(
        "INSERT INTO sites (site_id, unit_id, role, url, host, first_seen_at, last_seen_at)"
        " VALUES (1, 'u1', 'disclosure', 'http://u1.test/', 'u1.test', 'x', 'x')"
    )
    w = ev.ArchiveWriter(ev.archive_dir(db_path), 1)
    ids = {}
    for name, at in (
        ("old", "2026-01-02T08:00:00+08:00"),
        ("open", "2026-01-02T08:00:00+08:00"),
        ("recent", "2026-11-28T08:00:00+08:00"),
    ):
        url = f"http://u1.test/{name}/"
        s = w.capture(url, 200, [], f"<p>{name}</p>".encode(), at)
        ids[name] = add_capture(db, 1, 1, url, at, s)
    w.close()
    db.execute(
        "INSERT INTO findings (finding_id, key, rule, unit_id, site_id, column_url, severity,"
        " status, first_detected_at, last_detected_at, summary, evidence, opened_run_id,"
        " last_run_id) VALUES (1, 'k1', 'stale-column', 'u1', 1, 'http://u1.test/open/',"
        " 'deduct', 'open', '2026-01-02T08:00:00+08:00', '2026-01-02T08:00:00+08:00', 's', '{}',"
        " 1, 1)"
    )
    db.execute(
        "INSERT INTO finding_evidence VALUES (1, 'http://u1.test/open/', 1, ?)", [ids["open"]]
    )
    db.conn.close()
    return ids


def _specs(tmp_path: Path, raw: dict | None = None) -> list[scheduler.JobSpec]:
    s = scheduler.parse_schedule(raw or {})
    specs = scheduler.job_specs(
        s, tmp_path / "units.yaml", tmp_path / "zwgk.db", tmp_path / "out", now=clock.parse(NOW)
    )
    # the daily run itself is a stand-in (the crawl is tested elsewhere): a process that ends
    return [
        dataclasses.replace(x, program=PY, args=("pass",), run_kind=None)
        if x.id == "daily-run"
        else x
        for x in specs
    ]


def test_the_daily_run_is_followed_by_a_prune_at_the_scheduler_clock(tmp_path, monkeypatch):
    db_path = tmp_path / "zwgk.db"
    ids = _archive(db_path)
    monkeypatch.setenv(clock.ENV, NOW)  # the scheduler's clock, which its jobs inherit
    specs = _specs(tmp_path)
    prune = {x.id: x for x in specs}["evidence-prune"]
    argv = prune.argv(clock.now())[len(scheduler.ZWGK) :]
    assert argv[:2] == ["evidence", "prune"]
    assert argv[argv.index("--wait") + 1] == "1800"  # waits for a report like the run does

    status = scheduler.JobRunner(db_path, specs).run("daily-run")

    assert status == "ok"
    db = open_db(db_path)
    jobs = db.execute(
        "SELECT job_id, status, exit_code, error_tail FROM schedule_runs ORDER BY schedule_run_id"
    ).fetchall()
    assert [j[:3] for j in jobs] == [("daily-run", "ok", 0), ("evidence-prune", "ok", 0)], jobs
    kept = {r[0] for r in db.execute("SELECT capture_id FROM captures")}
    assert kept == {ids["open"], ids["recent"]}  # January's unlinked capture is gone
    n, problems = ev.verify(db, ev.archive_dir(db_path))
    assert (n, problems) == (2, [])  # the WARC file rewritten with the two kept records
    assert json.loads(db.execute("SELECT argv FROM schedule_runs WHERE job_id = 'evidence-prune'")
                      .fetchone()[0])[:2] == ["evidence", "prune"]  # fmt: skip


def test_the_prune_has_no_time_of_its_own_and_can_be_turned_off(tmp_path):
    db = open_db(tmp_path / "zwgk.db")
    specs = _specs(tmp_path)
    runner = scheduler.JobRunner(tmp_path / "zwgk.db", specs)
    sched = scheduler.build_scheduler(
        specs, runner, db, scheduler.parse_schedule({}).timezone, now=clock.parse(NOW)
    )
    assert "evidence-prune" not in {j.id for j in sched.get_jobs()}  # follows daily-run only
    assert {x.id: x.after for x in specs}["evidence-prune"] == "daily-run"

    db.conn.close()
    from tests.conftest import zwgk

    status = zwgk("status", "--db", str(tmp_path / "zwgk.db"), now=NOW)
    assert status.returncode == 0, status.stderr
    assert re.search(r"evidence-prune +after daily-run +\(never run\)", status.stdout)

    off = _specs(tmp_path, {"evidence_prune": False})
    assert "evidence-prune" not in {x.id for x in off}
    with pytest.raises(ConfigError, match="evidence_prune must be true or false"):
        scheduler.parse_schedule({"evidence_prune": "yes"}, "sched.yaml")
    with pytest.raises(ConfigError, match="prune_timeout_seconds must be a positive number"):
        scheduler.parse_schedule({"prune_timeout_seconds": -1}, "sched.yaml")


def test_a_stopping_scheduler_does_not_start_the_prune(tmp_path):
    db_path = tmp_path / "zwgk.db"
    open_db(db_path)
    specs = [
        dataclasses.replace(x, args=("import time; time.sleep(30)",)) if x.id == "daily-run" else x
        for x in _specs(tmp_path)
    ]
    runner = scheduler.JobRunner(db_path, specs)
    done: list[str] = []
    t = threading.Thread(target=lambda: done.append(runner.run("daily-run")))
    t.start()
    deadline = time.monotonic() + 10
    while "daily-run" not in runner.children and time.monotonic() < deadline:
        time.sleep(0.05)
    runner.stop()  # SIGTERM: the daily run is killed, and nothing follows it
    t.join(20)
    assert done == ["killed"]
    jobs = open_db(db_path).execute("SELECT job_id, status FROM schedule_runs").fetchall()
    assert jobs == [("daily-run", "killed")]
