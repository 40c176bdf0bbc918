"""Run zwgk-monitor unattended: an APScheduler 3.x BlockingScheduler built from a units file and a
schedule configuration (`zwgk schedule`, or `python scheduler.py` with the same options).

Jobs (stable ids; coalesce, max_instances=1 and a misfire grace on every one):
- `daily-run`: `zwgk run` (crawl, checks, reports) at `daily_run_at`;
- `probe-round`: `zwgk probe`, `probes_per_day` times a day (>= 20, as `site-unreachable` needs),
  evenly spaced from local midnight;
- `weekly-summary`: `zwgk report` of the latest run into OUT/weekly/<year>-W<week>;
- `quarterly-report`: the quarterly 通报 draft (`zwgk report --quarter`) on the first day of a
  quarter, for the quarter that just ended;
- `evidence-prune`: `zwgk evidence prune` right after each daily run (schedule option
  `evidence_prune: false` turns it off), under the run lock like the run.

Each job is its own process group with a timeout (killed whole on expiry); every outcome is a
`schedule_runs` row (job, start, end, status, exit code, counts, error tail). There is no
persistent job store: at start, a job whose last success is older than its last scheduled fire
time runs once now (catch-up). One scheduler per database: an exclusive flock on `<db>.lock`.
SIGTERM/SIGINT stop the scheduler and terminate a running job.
"""

from __future__ import annotations

import signal
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_SCHEDULER_STARTED
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler

from zwgk import clock, store

# The parts live in zwgk/schedule/; the names tests and zwgk/ops.py use stay importable here.
from zwgk.schedule.config import ZWGK, Schedule, load_schedule, log, parse_schedule
from zwgk.schedule.jobs import (
    JobSpec,
    job_specs,
    last_success,
    needs_catch_up,
    previous_fire_time,
    triggers,
)
from zwgk.schedule.lock import SchedulerLock
from zwgk.schedule.runner import JobRunner

__all__ = [
    "ZWGK",
    "JobRunner",
    "JobSpec",
    "Schedule",
    "SchedulerLock",
    "build_scheduler",
    "job_specs",
    "last_success",
    "load_schedule",
    "needs_catch_up",
    "parse_schedule",
    "previous_fire_time",
    "serve",
    "triggers",
]


def build_scheduler(
    specs: list[JobSpec],
    runner: JobRunner,
    db,
    tz: ZoneInfo,
    now: datetime | None = None,
    executor: ThreadPoolExecutor | None = None,
) -> BlockingScheduler:
    """Register the jobs (not started). Jobs that missed a fire time (by the clock, which
    `--now`/ZWGK_NOW may set) run at once: at `now` when given, else at the real present, since
    APScheduler fires by the wall clock and drops a job whose time is past its grace."""
    fire_at = now.astimezone(tz) if now else datetime.now(tz)
    now = (now or clock.now()).astimezone(tz)
    sched = BlockingScheduler(
        timezone=tz,
        executors={"default": executor or ThreadPoolExecutor(max_workers=len(specs))},
        job_defaults={"coalesce": True, "max_instances": 1},
    )
    for spec in specs:
        if spec.after:
            continue  # run by JobRunner when the job it follows ends
        extra = {"next_run_time": fire_at} if needs_catch_up(db, spec.id, spec.trigger, now) else {}
        if extra:
            log.info("%s: missed its last fire time; running it once now", spec.id)
        sched.add_job(
            runner.run,
            spec.trigger,
            args=[spec.id],
            id=spec.id,
            name=spec.id,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=spec.misfire_grace,
            replace_existing=True,
            **extra,
        )
    return sched


def serve(
    units_path: Path,
    db_path: Path,
    schedule_path: Path | None = None,
    out_dir: Path | None = None,
    config_path: Path | None = None,
) -> None:
    """Run the scheduler until SIGTERM/SIGINT. Raises ZwgkError for bad input or a held lock."""
    from zwgk.units import load_units

    s = load_schedule(schedule_path, config_path)
    load_units(units_path)  # fail now, not at 02:30
    with SchedulerLock(db_path):
        db = store.open_db(db_path)
        stale = db.execute(
            "UPDATE schedule_runs SET status = 'killed', finished_at = ?,"
            " error_tail = coalesce(error_tail, '') || '[scheduler] stopped before the job ended'"
            " WHERE status = 'running'",
            [clock.iso()],
        ).rowcount
        if stale:
            log.warning("marked %d job(s) left running by a previous scheduler as killed", stale)
        specs = job_specs(
            s, units_path, db_path, out_dir or db_path.parent / "reports", config_path
        )
        runner = JobRunner(db_path, specs)
        pool = ThreadPoolExecutor(max_workers=len(specs))
        sched = build_scheduler(specs, runner, db, s.timezone, executor=pool)
        db.conn.close()

        def stop(signum: int, frame: object) -> None:
            log.info("%s received: stopping", signal.Signals(signum).name)
            runner.stop()
            sched.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        sched.add_listener(lambda _: _announce(sched, db_path, s), EVENT_SCHEDULER_STARTED)
        sched.start()
        # shutdown(wait=False) in the signal handler leaves the job threads to the interpreter's
        # exit, which once hung for good waiting on an idle worker; join them here, while the
        # process still runs normally (runner.stop() has already ended any job's child).
        pool.shutdown(wait=True)
    log.info("zwgk scheduler stopped")


def _announce(sched: BlockingScheduler, db_path: Path, s: Schedule) -> None:
    """Log that the scheduler is up (tests and operators wait for this line), with next times."""
    nxt = ", ".join(
        f"{j.id} {j.next_run_time.isoformat() if j.next_run_time else 'paused'}"
        for j in sched.get_jobs()
    )
    log.info("zwgk scheduler started on %s (%s): next %s", db_path, s.source, nxt)


if __name__ == "__main__":
    from zwgk.cli import main

    main(["schedule", *sys.argv[1:]], prog_name="scheduler.py")
