"""Job registration, schedule validation and catch-up: built, never started, no sleeping."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

import scheduler
from zwgk.errors import ConfigError
from zwgk.store import open_db

NOW = datetime.fromisoformat("2026-11-29T10:00:00+08:00")  # a Sunday, 10:00 in Shanghai


def fields(trigger: CronTrigger) -> dict[str, str]:
    return {f.name: str(f) for f in trigger.fields if not f.is_default}


def build(tmp_path: Path, raw: dict | None = None, now: datetime = NOW, db=None):
    s = scheduler.parse_schedule(raw or {})
    db = db or open_db(tmp_path / "zwgk.db")
    specs = scheduler.job_specs(
        s, tmp_path / "units.yaml", tmp_path / "zwgk.db", tmp_path / "out", now=now
    )
    runner = scheduler.JobRunner(tmp_path / "zwgk.db", specs)
    return scheduler.build_scheduler(specs, runner, db, s.timezone, now=now), specs


def test_four_jobs_with_stable_ids_triggers_and_defaults(tmp_path):
    sched, _ = build(tmp_path)
    jobs = {j.id: j for j in sched.get_jobs()}

    assert set(jobs) == {"daily-run", "probe-round", "weekly-summary", "quarterly-report"}
    assert not sched.running
    for job in jobs.values():
        assert job.coalesce is True
        assert job.max_instances == 1
        assert job.misfire_grace_time > 0
        assert job.args == (job.id,)
    assert jobs["daily-run"].misfire_grace_time == 3600

    daily = jobs["daily-run"].trigger
    assert isinstance(daily, CronTrigger) and str(daily.timezone) == "Asia/Shanghai"
    assert fields(daily) == {"hour": "2", "minute": "30"}
    probe = jobs["probe-round"].trigger
    assert isinstance(probe, IntervalTrigger)
    assert probe.interval == timedelta(hours=1)
    assert timedelta(days=1) / probe.interval >= 20
    assert probe.start_date == NOW.replace(hour=0)  # anchored at local midnight
    assert jobs["probe-round"].misfire_grace_time <= 1800  # never longer than half an interval
    assert fields(jobs["weekly-summary"].trigger) == {
        "day_of_week": "mon",
        "hour": "7",
        "minute": "0",
    }
    assert fields(jobs["quarterly-report"].trigger) == {
        "month": "1,4,7,10",
        "day": "1",
        "hour": "8",
        "minute": "0",
    }


def test_configured_schedule_is_used(tmp_path):
    sched, specs = build(
        tmp_path,
        {
            "daily_run_at": "23:05",
            "probes_per_day": 30,
            "timezone": "Asia/Urumqi",
            "misfire_grace_seconds": 600,
            "crawl_timeout_seconds": 900,
            "weekly_summary": {"day": "fri", "at": "18:00"},
            "quarterly_report_at": "09:15",
        },
    )
    jobs = {j.id: j for j in sched.get_jobs()}
    assert fields(jobs["daily-run"].trigger) == {"hour": "23", "minute": "5"}
    assert str(jobs["daily-run"].trigger.timezone) == "Asia/Urumqi"
    assert jobs["probe-round"].trigger.interval == timedelta(minutes=48)
    assert jobs["daily-run"].misfire_grace_time == 600
    assert fields(jobs["weekly-summary"].trigger)["day_of_week"] == "fri"
    assert fields(jobs["quarterly-report"].trigger)["minute"] == "15"
    # its own limit plus the longest it may wait for a report holding the store (1800 s default)
    assert {s.id: s.timeout for s in specs}["daily-run"] == 900 + 1800


def test_probes_fire_at_least_20_times_every_day(tmp_path):
    for per_day in (20, 24, 23, 97):
        s = scheduler.parse_schedule({"probes_per_day": per_day})
        trig = scheduler.triggers(s, NOW)["probe-round"]
        midnight = NOW.replace(hour=0)
        for day in range(30):  # every calendar day of a month, with the spacing anchored once
            start = midnight + timedelta(days=day)
            fires, t = [], trig.get_next_fire_time(None, start)
            while t < start + timedelta(days=1):
                fires.append(t)
                t = trig.get_next_fire_time(t, t + timedelta(seconds=1))
            assert per_day <= len(fires) <= per_day + 1
            assert all(f.microsecond == 0 for f in fires)
            gaps = {b - a for a, b in zip(fires, fires[1:], strict=False)}
            assert gaps == {s.probe_interval}  # spread evenly over the day


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"probes_per_day": 19}, "probes_per_day must be a whole number from 20"),
        ({"probes_per_day": "24"}, "probes_per_day"),
        ({"dialy_run_at": "02:30"}, "unknown schedule option 'dialy_run_at' (valid: "),
        ({"daily_run_at": "25:00"}, "daily_run_at must be a time HH:MM"),
        ({"timezone": "Mars/Olympus"}, "timezone 'Mars/Olympus' is not an IANA zone"),
        ({"weekly_summary": {"day": "someday"}}, "weekly_summary.day is 'someday'; valid: mon"),
        ({"weekly_summary": {"day": "mon", "hour": 7}}, "weekly_summary must be a mapping"),
        ({"crawl_timeout_seconds": 0}, "crawl_timeout_seconds must be a positive number"),
    ],
)
def test_bad_schedule_options_are_clear_errors(raw, message):
    with pytest.raises(ConfigError, match="^sched.yaml: ") as err:
        scheduler.parse_schedule(raw, "sched.yaml")
    assert message in str(err.value)


def test_schedule_file_or_config_section(tmp_path):
    plain = tmp_path / "schedule.yaml"
    plain.write_text('daily_run_at: "03:00"\nprobes_per_day: 48\n', encoding="utf-8")
    assert scheduler.load_schedule(plain).probes_per_day == 48
    config = tmp_path / "config.yaml"
    config.write_text(
        "crawl: {delay_seconds: 2}\nschedule:\n  probes_per_day: 20\n", encoding="utf-8"
    )
    assert scheduler.load_schedule(None, config).probes_per_day == 20
    assert scheduler.load_schedule(config).probes_per_day == 20
    assert scheduler.load_schedule(None, None).source == "defaults"
    with pytest.raises(ConfigError, match="schedule file not found"):
        scheduler.load_schedule(tmp_path / "nope.yaml")


def test_job_commands_fill_in_the_period_at_run_time(tmp_path):
    s = scheduler.parse_schedule({})
    specs = {
        j.id: j for j in scheduler.job_specs(s, Path("u.yaml"), Path("z.db"), Path("out"), now=NOW)
    }
    at = datetime.fromisoformat("2027-01-01T08:00:00+08:00")
    quarterly = specs["quarterly-report"].argv(at)[len(scheduler.ZWGK) :]
    assert quarterly[:2] == ["report", "--db"]
    assert quarterly[3:5] == ["--quarter", "2026Q4"]
    assert quarterly[quarterly.index("--out") + 1].endswith("out/quarterly/2026Q4")
    weekly = specs["weekly-summary"].argv(datetime.fromisoformat("2026-11-30T07:00+08:00"))
    assert weekly[weekly.index("--out") + 1].endswith("out/weekly/2026-W48")  # the week just ended
    daily = specs["daily-run"].argv(NOW)[len(scheduler.ZWGK) :]
    assert daily[0] == "run" and "--no-progress" in daily
    assert daily[daily.index("--out") + 1].endswith("out/daily/2026-11-29")
    # The run and the reports share the store's lock: each waits for the other as long as the
    # other may take, and its limit grows by that wait.
    assert daily[daily.index("--wait") + 1] == "1800"  # report_timeout_seconds
    for report in (quarterly, weekly):
        assert report[report.index("--wait") + 1] == "7200"  # crawl_timeout_seconds
    assert specs["daily-run"].timeout == 7200 + 1800
    assert specs["weekly-summary"].timeout == specs["quarterly-report"].timeout == 1800 + 7200
    probe = specs["probe-round"].argv(NOW)[len(scheduler.ZWGK) :]
    assert probe[0] == "probe" and probe[probe.index("--timeout") + 1] == "15"


def test_previous_fire_time_looks_back():
    s = scheduler.parse_schedule({})
    t = scheduler.triggers(s, NOW)
    assert scheduler.previous_fire_time(t["daily-run"], NOW) == NOW.replace(hour=2, minute=30)
    assert scheduler.previous_fire_time(t["weekly-summary"], NOW) == datetime.fromisoformat(
        "2026-11-23T07:00:00+08:00"
    )
    assert scheduler.previous_fire_time(t["quarterly-report"], NOW) == datetime.fromisoformat(
        "2026-10-01T08:00:00+08:00"
    )


def record_success(db, job_id: str, at: str) -> None:
    db.execute(
        "INSERT INTO schedule_runs (job_id, started_at, finished_at, status, exit_code)"
        " VALUES (?, ?, ?, 'ok', 0)",
        [job_id, at, at],
    )


def due_now(sched) -> set[str]:
    return {j.id for j in sched.get_jobs() if getattr(j, "next_run_time", None) == NOW}


def test_missed_daily_run_is_caught_up_once_at_start(tmp_path):
    db = open_db(tmp_path / "zwgk.db")
    record_success(db, "daily-run", "2026-11-28T02:31:00+08:00")  # yesterday's; today's missed
    sched, _ = build(tmp_path, db=db)
    assert due_now(sched) == {"daily-run"}


def test_no_catch_up_when_the_last_fire_time_succeeded(tmp_path):
    db = open_db(tmp_path / "zwgk.db")
    record_success(db, "daily-run", "2026-11-29T02:30:05+08:00")
    record_success(db, "weekly-summary", "2026-11-23T07:00:01+08:00")
    record_success(db, "quarterly-report", "2026-10-01T08:00:03+08:00")
    sched, _ = build(tmp_path, db=db)
    assert due_now(sched) == set()


def test_failed_and_missed_summaries_are_caught_up(tmp_path):
    db = open_db(tmp_path / "zwgk.db")
    record_success(db, "daily-run", "2026-11-29T02:30:05+08:00")
    record_success(db, "weekly-summary", "2026-11-16T07:00:01+08:00")  # 2026-11-23 missed
    db.execute(
        "INSERT INTO schedule_runs (job_id, started_at, status, exit_code)"
        " VALUES ('quarterly-report', '2026-10-01T08:00:00+08:00', 'failed', 1)"
    )
    record_success(db, "quarterly-report", "2026-07-01T08:00:00+08:00")
    sched, _ = build(tmp_path, db=db)
    assert due_now(sched) == {"weekly-summary", "quarterly-report"}


def test_first_start_runs_the_daily_run_but_not_the_summaries(tmp_path):
    sched, _ = build(tmp_path)
    assert due_now(sched) == {"daily-run"}


def test_a_catch_up_on_a_fixed_clock_fires_at_the_real_present(tmp_path, monkeypatch):
    """ZWGK_NOW (a `--now` left in the environment) decides what is due, but APScheduler fires
    by the wall clock: a catch-up set at the fixed time days ago was dropped as misfired."""
    from zwgk import clock

    monkeypatch.setenv(clock.ENV, NOW.isoformat())
    s = scheduler.parse_schedule({})
    db = open_db(tmp_path / "zwgk.db")
    specs = scheduler.job_specs(s, tmp_path / "units.yaml", tmp_path / "zwgk.db", tmp_path / "o")
    before = datetime.now(s.timezone)
    sched = scheduler.build_scheduler(specs, scheduler.JobRunner(tmp_path / "z.db", specs), db,
                                      s.timezone)  # fmt: skip
    job = sched.get_job("daily-run")
    assert before <= job.next_run_time <= datetime.now(s.timezone)
