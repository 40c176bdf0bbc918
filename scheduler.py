"""Run zwgk-monitor unattended: an APScheduler 3.x BlockingScheduler built from a units file and a
schedule configuration (`zwgk schedule`, or `python scheduler.py` with the same options).

Jobs (stable ids; coalesce, max_instances=1 and a misfire grace on every one):
- `daily-run`: `zwgk run` (crawl, checks, reports) at `daily_run_at`;
- `probe-round`: `zwgk probe`, `probes_per_day` times a day (>= 20, as `site-unreachable` needs),
  evenly spaced from local midnight;
- `weekly-summary`: `zwgk report` of the latest run into OUT/weekly/<year>-W<week>;
- `quarterly-report`: the quarterly 通报 draft (`zwgk report --quarter`) on the first day of a
  quarter, for the quarter that just ended.

Each job is its own process group with a timeout (killed whole on expiry); every outcome is a
`schedule_runs` row (job, start, end, status, exit code, counts, error tail). There is no
persistent job store: at start, a job whose last success is older than its last scheduled fire
time runs once now (catch-up). One scheduler per database: an exclusive flock on `<db>.lock`.
SIGTERM/SIGINT stop the scheduler and terminate a running job.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.events import EVENT_SCHEDULER_STARTED
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from zwgk import clock, store
from zwgk.config import SECTIONS
from zwgk.errors import ConfigError, ZwgkError
from zwgk.yamlfile import read_yaml_mapping

log = logging.getLogger("zwgk.scheduler")

MIN_PROBES_PER_DAY = 20  # rules.md, site-unreachable: home page probed >= 20 times a day
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULTS: dict[str, Any] = {
    "daily_run_at": "02:30",
    "probes_per_day": 24,
    "timezone": "Asia/Shanghai",
    # The whole `zwgk run` (crawl + checks + reports); keep it above the crawl section's own
    # crawl_timeout_seconds (3600 by default), which bounds the scrapy process inside the run.
    "crawl_timeout_seconds": 7200,
    "probe_timeout_seconds": 15,
    "report_timeout_seconds": 1800,
    "misfire_grace_seconds": 3600,
    "weekly_summary": {"day": "mon", "at": "07:00"},
    "quarterly_report_at": "08:00",
}
TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
ERROR_TAIL_CHARS = 2000
# `python -m zwgk.cli` has no __main__ guard; this is the console script's entry point.
ZWGK = (sys.executable, "-c", "from zwgk.cli import main; main(prog_name='zwgk')")


# --- configuration -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Schedule:
    daily_run_at: tuple[int, int]
    probes_per_day: int
    timezone: ZoneInfo
    crawl_timeout_seconds: float
    probe_timeout_seconds: float
    report_timeout_seconds: float
    misfire_grace_seconds: int
    weekly_day: str
    weekly_at: tuple[int, int]
    quarterly_report_at: tuple[int, int]
    source: str = "defaults"

    @property
    def probe_interval(self) -> timedelta:
        """Whole seconds, rounded down: every calendar day gets at least probes_per_day."""
        return timedelta(seconds=86400 // self.probes_per_day)


def load_schedule(path: Path | None = None, config_path: Path | None = None) -> Schedule:
    """The schedule from `path` (top-level keys, or a deployment config's `schedule:` section),
    else from the `schedule:` section of `config_path`, else the defaults."""
    raw: Mapping[str, Any] = {}
    src = "defaults"
    for p in (path, config_path):
        if p is None:
            continue
        src = str(p)
        doc = _read_yaml(p)
        if "schedule" in doc and set(doc) <= set(SECTIONS):
            doc = doc["schedule"] or {}
        elif p == config_path:
            doc = {}
        if not isinstance(doc, Mapping):
            raise ConfigError(f"{p}: schedule: expected a mapping of options")
        raw = doc
        break
    return parse_schedule(raw, src)


def _read_yaml(p: Path) -> Mapping[str, Any]:
    return read_yaml_mapping(p, "schedule file")


def parse_schedule(raw: Mapping[str, Any], src: str = "schedule") -> Schedule:
    unknown = sorted(set(raw) - set(DEFAULTS))
    if unknown:
        raise ConfigError(
            f"{src}: unknown schedule option '{unknown[0]}' (valid: {', '.join(sorted(DEFAULTS))})"
        )
    opt = {**DEFAULTS, **raw}

    def hhmm(key: str, value: Any) -> tuple[int, int]:
        m = TIME_RE.match(str(value).strip())
        if not m:
            raise ConfigError(f'{src}: {key} must be a time HH:MM (e.g. "02:30"), got {value!r}')
        return int(m[1]), int(m[2])

    def seconds(key: str) -> float:
        value = opt[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ConfigError(f"{src}: {key} must be a positive number of seconds, got {value!r}")
        return float(value)

    per_day = opt["probes_per_day"]
    if (
        isinstance(per_day, bool)
        or not isinstance(per_day, int)
        or not (MIN_PROBES_PER_DAY <= per_day <= 1440)
    ):
        raise ConfigError(
            f"{src}: probes_per_day must be a whole number from {MIN_PROBES_PER_DAY} to 1440 "
            f"(site-unreachable needs >= {MIN_PROBES_PER_DAY} probes a day), got {per_day!r}"
        )
    try:
        tz = ZoneInfo(str(opt["timezone"]))
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{src}: timezone {opt['timezone']!r} is not an IANA zone (e.g. Asia/Shanghai)"
        ) from None
    weekly = opt["weekly_summary"]
    if not isinstance(weekly, Mapping) or set(weekly) - {"day", "at"}:
        raise ConfigError(f"{src}: weekly_summary must be a mapping with 'day' and 'at' only")
    weekly = {**DEFAULTS["weekly_summary"], **weekly}
    day = str(weekly["day"]).lower()[:3]
    if day not in DAYS or str(weekly["day"]).lower() not in (day, _long_day(day)):
        raise ConfigError(
            f"{src}: weekly_summary.day is {weekly['day']!r}; valid: {', '.join(DAYS)}"
        )
    return Schedule(
        daily_run_at=hhmm("daily_run_at", opt["daily_run_at"]),
        probes_per_day=per_day,
        timezone=tz,
        crawl_timeout_seconds=seconds("crawl_timeout_seconds"),
        probe_timeout_seconds=seconds("probe_timeout_seconds"),
        report_timeout_seconds=seconds("report_timeout_seconds"),
        misfire_grace_seconds=int(seconds("misfire_grace_seconds")),
        weekly_day=day,
        weekly_at=hhmm("weekly_summary.at", weekly["at"]),
        quarterly_report_at=hhmm("quarterly_report_at", opt["quarterly_report_at"]),
        source=src,
    )


def _long_day(day: str) -> str:
    return ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")[
        DAYS.index(day)
    ]


# --- jobs ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class JobSpec:
    id: str
    trigger: BaseTrigger
    args: tuple[str, ...]  # after the program; {date}, {week}, {quarter} filled in at run time
    timeout: float
    misfire_grace: int
    run_kind: str | None = None  # the kind of `runs` row the command opens, if any
    program: tuple[str, ...] = ZWGK

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
    return [
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
                *config,
            ),
            s.crawl_timeout_seconds,
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
            ("report", "--db", db, "--out", str(out / "weekly" / "{week}"), *config),
            s.report_timeout_seconds,
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
                *config,
            ),
            s.report_timeout_seconds,
            grace,
        ),
    ]


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


# --- running one job -------------------------------------------------------------------------


class JobRunner:
    """Runs a job's process with a timeout and records the outcome in `schedule_runs`."""

    def __init__(self, db_path: Path, specs: list[JobSpec]) -> None:
        self.db_path = db_path
        self.specs = {s.id: s for s in specs}
        self.children: dict[str, subprocess.Popen] = {}
        self.stopping = threading.Event()
        self.lock = threading.Lock()

    def run(self, job_id: str) -> str:
        """The APScheduler job function; returns the recorded status."""
        spec = self.specs[job_id]
        if self.stopping.is_set():
            return "killed"
        db = store.open_db(self.db_path)
        now = clock.now().astimezone(spec.trigger.timezone)
        argv = spec.argv(now)
        last_run = db.execute("SELECT coalesce(max(run_id), 0) FROM runs").fetchone()[0]
        row_id = db.execute(
            "INSERT INTO schedule_runs (job_id, started_at, status, argv) VALUES (?, ?, 'running', ?)",
            [job_id, clock.iso(), json.dumps(argv[len(spec.program) :], ensure_ascii=False)],
        ).lastrowid
        log.info("%s: starting %s", job_id, " ".join(argv[len(spec.program) :]))
        status, code, tail = self._execute(job_id, argv, spec.timeout, row_id, db)
        if status == "ok" and code != 0:
            status = "failed"
        close = {
            "timeout": ("killed", f"killed by the scheduler after the {spec.timeout:g} s timeout"),
            "killed": ("killed", "killed by the scheduler: it was stopping"),
            "failed": ("failed", f"the job exited {code} before finishing its run"),
        }.get(status)
        run_id, counts = self._child_runs(db, spec.run_kind, last_run, close)
        db.execute(
            "UPDATE schedule_runs SET finished_at = ?, status = ?, exit_code = ?, run_id = ?,"
            " counts = ?, error_tail = ? WHERE schedule_run_id = ?",
            [
                clock.iso(),
                status,
                code,
                run_id,
                json.dumps(counts, ensure_ascii=False),
                tail if status != "ok" else None,
                row_id,
            ],
        )
        level = logging.INFO if status == "ok" else logging.ERROR
        log.log(
            level,
            "%s: %s (exit %s) %s",
            job_id,
            status,
            code,
            json.dumps(counts, ensure_ascii=False),
        )
        if status != "ok" and tail:
            log.error("%s: output tail:\n%s", job_id, tail[-600:])
        db.conn.close()
        return status

    def _execute(self, job_id: str, argv: list[str], timeout: float, row_id: int, db):
        with tempfile.TemporaryFile() as out:
            proc = subprocess.Popen(
                argv,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
            with self.lock:
                self.children[job_id] = proc
            if self.stopping.is_set():  # stop() came while this job was starting
                kill_group(proc, grace=5.0)
            db.execute(
                "UPDATE schedule_runs SET pid = ? WHERE schedule_run_id = ?", [proc.pid, row_id]
            )
            status = "ok"
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                status = "timeout"
                kill_group(proc)
            finally:
                with self.lock:
                    self.children.pop(job_id, None)
            if status == "ok" and self.stopping.is_set() and proc.returncode != 0:
                status = "killed"
            out.seek(max(0, out.seek(0, os.SEEK_END) - 4 * ERROR_TAIL_CHARS))
            tail = out.read().decode("utf-8", "replace")[-ERROR_TAIL_CHARS:]
        if status == "timeout":
            tail = f"{tail}\n[scheduler] killed after the {timeout:g} s timeout".lstrip()
        elif status == "killed":
            tail = f"{tail}\n[scheduler] terminated: the scheduler is stopping".lstrip()
        return status, proc.returncode, tail

    def _child_runs(
        self, db, kind: str | None, last_run: int, close: tuple[str, str] | None
    ) -> tuple[int | None, dict]:
        """The `runs` row the child opened (by kind, after the last one before it started):
        counts for the record. A row a killed or crashed child left `running` is closed with
        `close` = (status, error), never left running forever."""
        if kind is None:
            return None, {}
        rows = db.execute(
            "SELECT run_id, kind, status, pages_fetched, failures, stats FROM runs"
            " WHERE run_id > ? AND kind = ? ORDER BY run_id",
            [last_run, kind],
        ).fetchall()
        run_id, counts = None, {}
        for rid, rkind, rstatus, pages, failures, stats in rows:
            if rstatus == "running" and close:
                db.execute(
                    "UPDATE runs SET status = ?, finished_at = ?, error = ?"
                    " WHERE run_id = ? AND status = 'running'",
                    [close[0], clock.iso(), close[1], rid],
                )
                rstatus = close[0]
            run_id = rid
            counts = {
                "run_kind": rkind,
                "run_status": rstatus,
                "pages": pages,
                "failures": failures,
                **(store.loads(stats) or {}),
            }
        return run_id, counts

    def stop(self) -> None:
        """Terminate running children (their process groups); new jobs will not start."""
        self.stopping.set()
        with self.lock:
            procs = list(self.children.values())
        for proc in procs:
            kill_group(proc, grace=5.0)


def kill_group(proc: subprocess.Popen, grace: float = 10.0) -> None:
    """SIGTERM the child's process group and the groups of all its descendants (`zwgk run`
    starts its crawl in a session of its own), then SIGKILL whatever outlives `grace`."""
    pids = [proc.pid, *descendants(proc.pid)]
    groups = {proc.pid}
    for pid in pids[1:]:
        with suppress(ProcessLookupError):
            groups.add(os.getpgid(pid))
    _signal_groups(groups, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if proc.poll() is not None and not any(_alive(p) for p in pids[1:]):
            break
        time.sleep(0.05)
    _signal_groups(groups, signal.SIGKILL)
    proc.wait()


def descendants(pid: int) -> list[int]:
    """Every live descendant of `pid`, from /proc (Linux); [] where there is no /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        kids = children.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


def _signal_groups(groups: set[int], sig: signal.Signals) -> None:
    for pgid in groups:
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, sig)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- the lock and the scheduler ----------------------------------------------------------------


@dataclass(slots=True)
class SchedulerLock:
    """An exclusive flock on `<db>.lock`: released by the kernel when the process dies."""

    db_path: Path
    fd: int | None = field(default=None, init=False)

    @property
    def path(self) -> Path:
        return self.db_path.with_name(self.db_path.name + ".lock")

    def acquire(self) -> SchedulerLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise ZwgkError(
                f"another scheduler is already running on {self.db_path} (pid {holder}, lock "
                f"{self.path}); stop it first (systemctl stop zwgk-scheduler) or use another --db"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        return self

    def holder(self) -> int | None:
        """The pid of the running scheduler, or None (for `zwgk status`)."""
        if not self.path.exists():
            return None
        fd = os.open(self.path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            text = os.read(fd, 64).decode(errors="replace").strip()
            return int(text) if text.isdigit() else -1
        finally:
            os.close(fd)
        return None

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> SchedulerLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def build_scheduler(
    specs: list[JobSpec], runner: JobRunner, db, tz: ZoneInfo, now: datetime | None = None
) -> BlockingScheduler:
    """Register the jobs (not started). Jobs that missed a fire time get next_run_time=now."""
    now = (now or clock.now()).astimezone(tz)
    sched = BlockingScheduler(
        timezone=tz,
        executors={"default": ThreadPoolExecutor(max_workers=len(specs))},
        job_defaults={"coalesce": True, "max_instances": 1},
    )
    for spec in specs:
        extra = {"next_run_time": now} if needs_catch_up(db, spec.id, spec.trigger, now) else {}
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
        sched = build_scheduler(specs, runner, db, s.timezone)
        db.conn.close()

        def stop(signum: int, frame: object) -> None:
            log.info("%s received: stopping", signal.Signals(signum).name)
            runner.stop()
            sched.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        sched.add_listener(lambda _: _announce(sched, db_path, s), EVENT_SCHEDULER_STARTED)
        sched.start()
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
