"""The scheduler's jobs: ids, triggers and commands, and when a missed run must be caught up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from zwgk import clock
from zwgk.schedule.config import ZWGK, Schedule


@dataclass(frozen=True, slots=True)
class JobSpec:
    id: str
    trigger: BaseTrigger
    args: tuple[str, ...]  # after the program; {date}, {week}, {quarter} filled in at run time
    timeout: float
    misfire_grace: int
    run_kind: str | None = None  # the kind of `runs` row the command opens, if any
    program: tuple[str, ...] = ZWGK
    # Set: the job has no time of its own; it runs when that job ends (its trigger is that
    # job's, for the time zone and for `zwgk status`).
    after: str | None = None

    def argv(self, now: datetime) -> list[str]:
        week = (now - timedelta(days=7)).isocalendar()
        q_end = now.replace(day=1) - timedelta(days=1)  # the quarter report fires on day 1
        fill = {
            "date": now.date().isoformat(),
            "week": f"{week.year}-W{week.week:02d}",
            "quarter": f"{q_end.year}Q{(q_end.month - 1) // 3 + 1}",
        }
        return [*self.program, *(_fill(a, fill) for a in self.args)]


def _fill(arg: str, values: dict[str, str]) -> str:
    for key, value in values.items():  # not str.format: paths may hold braces
        arg = arg.replace("{" + key + "}", value)
    return arg


def triggers(s: Schedule, now: datetime | None = None) -> dict[str, BaseTrigger]:
    """The four triggers; probes are anchored at local midnight so restarts keep the spacing."""
    tz = s.timezone
    midnight = (
        (now or clock.now()).astimezone(tz).replace(hour=0, minute=0, second=0, microsecond=0)
    )
    return {
        "daily-run": CronTrigger(hour=s.daily_run_at[0], minute=s.daily_run_at[1], timezone=tz),
        "probe-round": IntervalTrigger(
            seconds=s.probe_interval.total_seconds(), start_date=midnight, timezone=tz
        ),
        "weekly-summary": CronTrigger(
            day_of_week=s.weekly_day, hour=s.weekly_at[0], minute=s.weekly_at[1], timezone=tz
        ),
        "quarterly-report": CronTrigger(
            month="1,4,7,10",
            day=1,
            hour=s.quarterly_report_at[0],
            minute=s.quarterly_report_at[1],
            timezone=tz,
        ),
    }


def job_specs(
    s: Schedule,
    units_path: Path,
    db_path: Path,
    out_dir: Path,
    config_path: Path | None = None,
    now: datetime | None = None,
) -> list[JobSpec]:
    units, db, out = str(units_path.resolve()), str(db_path.resolve()), out_dir.resolve()
    config = ["--config", str(config_path.resolve())] if config_path else []
    t = triggers(s, now)
    grace = s.misfire_grace_seconds
    probe_grace = min(grace, int(s.probe_interval.total_seconds() // 2))
    # The run and the reports share the store's run lock (zwgk/storelock.py), and the jobs run
    # in parallel: each waits for the other as long as the other may take, so a weekly summary
    # due during a long daily run is written after it instead of failing, and the other way
    # round. A job's limit is its own timeout plus that wait.
    run_wait, report_wait = s.report_timeout_seconds, s.crawl_timeout_seconds
    specs = [
        JobSpec(
            "daily-run",
            t["daily-run"],
            (
                "run",
                "--units",
                units,
                "--db",
                db,
                "--out",
                str(out / "daily" / "{date}"),
                "--no-progress",
                "--wait",
                f"{run_wait:g}",
                *config,
            ),
            s.crawl_timeout_seconds + run_wait,
            grace,
            run_kind="run",
        ),
        JobSpec(
            "probe-round",
            t["probe-round"],
            ("probe", "--units", units, "--db", db, "--timeout", f"{s.probe_timeout_seconds:g}"),
            # hundreds of units with many down take a while even concurrently; a round that
            # still runs at the next one's slot is stuck (and its results would be lost anyway)
            0.9 * s.probe_interval.total_seconds(),
            probe_grace,
            run_kind="probe",
        ),
        JobSpec(
            "weekly-summary",
            t["weekly-summary"],
            (
                "report",
                "--db",
                db,
                "--out",
                str(out / "weekly" / "{week}"),
                "--wait",
                f"{report_wait:g}",
                *config,
            ),
            s.report_timeout_seconds + report_wait,
            grace,
        ),
        JobSpec(
            "quarterly-report",
            t["quarterly-report"],
            (
                "report",
                "--db",
                db,
                "--quarter",
                "{quarter}",
                "--out",
                str(out / "quarterly" / "{quarter}"),
                "--wait",
                f"{report_wait:g}",
                *config,
            ),
            s.report_timeout_seconds + report_wait,
            grace,
        ),
    ]
    if s.evidence_prune:
        # After the daily run, under the same run lock: it waits for a report that holds it
        # (as long as the run would), so it never rewrites the archive a run or report reads.
        specs.append(
            JobSpec(
                "evidence-prune",
                t["daily-run"],
                ("evidence", "prune", "--db", db, "--wait", f"{run_wait:g}", *config),
                s.prune_timeout_seconds + run_wait,
                grace,
                after="daily-run",
            )
        )
    return specs


def previous_fire_time(
    trigger: BaseTrigger, now: datetime, lookback_days: int = 400
) -> datetime | None:
    """The latest fire time at or before `now` (APScheduler 3 triggers only look forward)."""
    prev, t = None, trigger.get_next_fire_time(None, now - timedelta(days=lookback_days))
    while t is not None and t <= now:
        prev, t = t, trigger.get_next_fire_time(t, t + timedelta(seconds=1))
    return prev


def last_success(db, job_id: str) -> datetime | None:
    row = db.execute(
        "SELECT max(started_at) FROM schedule_runs WHERE job_id = ? AND status = 'ok'", [job_id]
    ).fetchone()
    return clock.parse(row[0]) if row and row[0] else None


CATCH_UP_JOBS = ("daily-run", "weekly-summary", "quarterly-report")


def needs_catch_up(db, job_id: str, trigger: BaseTrigger, now: datetime) -> bool:
    """A missed fire time since the job's last success. A daily run that never succeeded runs
    at once; the summaries wait for their time until they have succeeded once."""
    if job_id not in CATCH_UP_JOBS:
        return False  # a missed probe round cannot be probed after the fact
    done = last_success(db, job_id)
    if done is None:
        return job_id == "daily-run"
    missed = previous_fire_time(trigger, now)
    return missed is not None and done < missed
