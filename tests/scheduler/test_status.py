"""`zwgk status`: last runs, next jobs from the triggers (scheduler not started), failures."""

from __future__ import annotations

from zwgk.store import open_db

NOW = "2026-11-29T10:00:00+08:00"  # a Sunday


def seed(db_path) -> None:
    db = open_db(db_path)
    killed = "killed by the scheduler: after the 3600 s timeout"
    runs = [  # kind, day, started, finished, status, exit, pages, failures, error
        ("run", 27, "02:30", "02:41", "completed", 0, 812, 3, None),
        ("probe", 28, "01:00", "01:00", "completed", 0, 2, 1, None),
        ("run", 28, "02:30", "03:30", "killed", None, 90, 0, killed),
        ("run", 29, "02:30", "02:44", "failed", 1, 799, 5, "rule stale-column crashed: KeyError"),
    ]
    for kind, day, started, finished, status, code, pages, failures, error in runs:
        started, finished = (f"2026-11-{day}T{t}:00+08:00" for t in (started, finished))
        db.execute(
            "INSERT INTO runs (kind, started_at, finished_at, clock_at, status, exit_code,"
            " pages_fetched, failures, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [kind, started, finished, started, status, code, pages, failures, error],
        )
    db.execute(
        "INSERT INTO rule_runs (run_id, rule, status, error) VALUES"
        " (4, 'stale-column', 'crashed', 'KeyError: ''x'''), (4, 'blank-column', 'ok', NULL)"
    )
    db.execute(
        "INSERT INTO schedule_runs (job_id, started_at, finished_at, status, exit_code,"
        " error_tail) VALUES"
        " ('daily-run', '2026-11-28T02:30:00+08:00', '2026-11-28T03:30:00+08:00', 'timeout',"
        "  -15, 'crawl: sites 3/9' || char(10) || '[scheduler] killed after the 3600 s timeout'),"
        " ('daily-run', '2026-11-29T02:30:00+08:00', '2026-11-29T02:44:00+08:00', 'failed', 1,"
        "  'run failed'),"
        " ('probe-round', '2026-11-28T01:00:00+08:00', '2026-11-28T01:00:01+08:00', 'ok', 0,"
        "  NULL)"
    )
    db.execute(
        "INSERT INTO probes (unit_id, url, probed_at, ok, status) VALUES"
        " ('a', 'http://127.0.0.1/a/', '2026-11-28T01:00:00+08:00', 1, 200),"
        " ('b', 'http://127.0.0.1/b/', '2026-11-28T01:00:00+08:00', 0, 503)"
    )


def test_status_shows_runs_next_jobs_and_failures(zwgk, tmp_path):
    db = tmp_path / "zwgk.db"
    seed(db)

    result = zwgk("status", "--db", db, "--now", NOW)

    assert result.exit_code == 0, result.output
    out = result.output
    assert "scheduler: not running" in out
    runs = out.split("last runs:")[1].split("next jobs")[0]
    lines = [ln.split() for ln in runs.splitlines() if ln.strip()[:1].isdigit()]
    assert [ln[:2] for ln in lines] == [["4", "run"], ["3", "run"], ["1", "run"]]  # no probes
    assert lines[0][4:] == ["failed", "1", "799", "5"]
    assert lines[1][4:] == ["killed", "-", "90", "0"]
    assert "probes in the last 7 days: 2, failed 1 (50.0%)" in runs

    jobs = out.split("next jobs")[1].split("failures")[0]
    assert "(schedule: defaults, Asia/Shanghai)" in jobs
    expected = {
        "daily-run": "2026-11-30T02:30:00+08:00",
        "probe-round": "2026-11-29T10:00:00+08:00",
        "weekly-summary": "2026-11-30T07:00:00+08:00",
        "quarterly-report": "2027-01-01T08:00:00+08:00",
    }
    for job, when in expected.items():
        line = next(ln for ln in jobs.splitlines() if ln.strip().startswith(job))
        assert line.split()[1] == when, line
    daily = next(ln for ln in jobs.splitlines() if "daily-run" in ln)
    assert "last failed 2026-11-29T02:30:00+08:00" in daily
    assert "[missed: runs when the scheduler starts]" in daily  # no success since 02:30 today

    failures = out.split("failures (last 7 days):")[1]
    assert "run 4 (run) failed at 2026-11-29T02:30:00+08:00, exit 1: rule stale-column" in failures
    assert "run 3 (run) killed" in failures and "3600 s timeout" in failures
    assert "job daily-run timeout at 2026-11-28T02:30:00+08:00, exit -15: [scheduler] killed" in (
        failures
    )
    assert "rule stale-column crashed in run 4: KeyError: 'x'" in failures
    assert "blank-column" not in failures


def test_status_with_a_schedule_file_and_an_empty_store(zwgk, tmp_path):
    db = tmp_path / "zwgk.db"
    open_db(db)
    sched = tmp_path / "schedule.yaml"
    sched.write_text('daily_run_at: "23:00"\nprobes_per_day: 48\n', encoding="utf-8")

    result = zwgk("status", "--db", db, "--schedule", sched, "--now", NOW)

    assert result.exit_code == 0, result.output
    assert "(none yet)" in result.output and "(none)" in result.output
    assert "daily-run         2026-11-29T23:00:00+08:00" in result.output
    assert "interval[0:30:00]" in result.output
    assert f"(schedule: {sched}, Asia/Shanghai)" in result.output


def test_status_of_a_missing_store_is_exit_2(zwgk, tmp_path):
    result = zwgk("status", "--db", tmp_path / "nope.db")
    assert result.exit_code == 2
    assert "no such store" in result.output
