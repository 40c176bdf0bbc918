"""Running one job: its own process group with a timeout, its outcome recorded in `schedule_runs`."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import tempfile
import threading
import time
from contextlib import suppress
from pathlib import Path

from zwgk import clock, store
from zwgk.schedule.config import ERROR_TAIL_CHARS, log
from zwgk.schedule.jobs import JobSpec


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
        # Jobs that follow this one (the evidence prune after the daily run) run now, in this
        # thread: one after the other, never beside it. Not when the scheduler is stopping.
        for follower in self.specs.values():
            if follower.after == job_id and not self.stopping.is_set():
                self.run(follower.id)
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
