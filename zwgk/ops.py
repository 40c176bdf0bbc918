"""Operations commands: `zwgk probe`, `zwgk schedule`, `zwgk status` (registered by zwgk.cli).

The scheduling itself lives in the top-level `scheduler.py` (fixed by the design card); this
module is its command line and the read-only `status` view of the store.
"""

from __future__ import annotations

import logging
import sys
from datetime import timedelta
from pathlib import Path

import click

from zwgk import clock
from zwgk.cli_options import (
    MAX_SECONDS,
    Seconds,
    config_option,
    db_option,
    existing,
    now_option,
    units_option,
)
from zwgk.probe import DEFAULT_TIMEOUT_SECONDS, DEFAULT_WORKERS, probe_round
from zwgk.storelock import StoreLock, probe_lock, run_lock

schedule_option = click.option(
    "--schedule",
    "schedule_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Schedule YAML: daily_run_at, probes_per_day (>= 20), timezone, crawl_timeout_seconds, "
    "probe_timeout_seconds, report_timeout_seconds, misfire_grace_seconds, weekly_summary "
    "{day, at}, quarterly_report_at (default: the --config file's schedule: section, else "
    "built-in defaults).",
)


@click.command()
@units_option
@db_option
@now_option
@click.option(
    "--timeout",
    type=Seconds(min=0.1, max=MAX_SECONDS),
    default=DEFAULT_TIMEOUT_SECONDS,
    show_default=True,
    help="Seconds before a probe counts as failed (one attempt each, no retry).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1, max=1024),  # a thread and a socket each: bounded like files
    default=DEFAULT_WORKERS,
    show_default=True,
    help="Home pages probed at the same time.",
)
def probe(units_path: Path, db_path: Path, timeout: float, workers: int) -> None:
    """One availability probe of every unit's home page, recorded in the store.

    Exits 0 when the round was recorded, whatever it found; 2 for a bad units file.
    """
    run_id, probes = probe_round(units_path, db_path, timeout, workers)
    failed = [p for p in probes if not p.ok]
    click.echo(
        f"probe round {run_id} at {clock.iso()}: {len(probes)} home pages, "
        f"{len(probes) - len(failed)} reachable, {len(failed)} failed"
    )
    for p in failed:
        click.echo(f"  FAILED {p.unit_id:16} {p.status or '-':>4} {p.url}  {p.error or ''}")


@click.command()
@units_option
@db_option
@schedule_option
@config_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Reports go under DIR/daily/<date>, DIR/weekly/<year>-W<nn>, DIR/quarterly/<YYYYQn> "
    "(default: a reports folder next to the database).",
)
def schedule(
    units_path: Path,
    db_path: Path,
    schedule_path: Path | None,
    config_path: Path | None,
    out_dir: Path | None,
) -> None:
    """Run unattended until SIGTERM: daily run, probe rounds, weekly summary, quarterly 通报.

    Exits 0 after SIGTERM/SIGINT; 2 for a bad units or schedule file, or when another
    scheduler already runs on the same database.
    """
    import scheduler

    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    scheduler.serve(units_path, db_path, schedule_path, out_dir, config_path)


@click.command()
@db_option
@schedule_option
@config_option
@now_option
@click.option(
    "--limit",
    type=click.IntRange(min=1, max=100_000),  # a SQLite LIMIT: a huge one overflowed
    default=10,
    show_default=True,
    help="How many monitoring runs to list.",
)
def status(db_path: Path, schedule_path: Path | None, config_path: Path | None, limit: int) -> None:
    """The last runs, the next scheduled jobs (from the schedule, without starting it), and any
    failures of the last 7 days: failed runs and jobs, crashed rules."""
    import scheduler
    from zwgk.store import open_db

    s = scheduler.load_schedule(schedule_path, config_path)
    db = open_db(existing(db_path))
    now = clock.now().astimezone(s.timezone)
    since = clock.iso(now - timedelta(days=7))

    holder = scheduler.SchedulerLock(db_path).holder()
    click.echo(
        f"scheduler: {'running, pid ' + str(holder) if holder else 'not running'}"
        f"  (now {now.isoformat()})"
    )
    # Who holds the store now (a run, report or waiver; a probe round): what a refused command
    # or a waiting scheduler job is waiting for.
    click.echo(f"run lock: {_held(run_lock(db_path))}   probe lock: {_held(probe_lock(db_path))}")

    click.echo("\nlast runs:")
    rows = db.execute(
        "SELECT run_id, kind, started_at, finished_at, status, exit_code, pages_fetched,"
        " failures FROM runs WHERE kind != 'probe' ORDER BY run_id DESC LIMIT ?",
        [limit],
    ).fetchall()
    click.echo(
        f"  {'id':>5}  {'kind':6} {'started':25} {'finished':25} {'status':9} "
        f"{'exit':>4} {'pages':>6} {'failures':>8}"
    )
    for r in rows:
        click.echo(
            f"  {r[0]:>5}  {r[1]:6} {r[2]:25} {r[3] or '-':25} {r[4]:9} "
            f"{'-' if r[5] is None else r[5]:>4} {r[6]:>6} {r[7]:>8}"
        )
    if not rows:
        click.echo("  (none yet)")
    probes, failed, last = db.execute(
        "SELECT count(*), coalesce(sum(NOT ok), 0), max(probed_at) FROM probes"
        " WHERE probed_at >= ?",
        [since],
    ).fetchone()
    click.echo(
        f"  probes in the last 7 days: {probes}, failed {failed}"
        + (f" ({failed / probes:.1%}), last at {last}" if probes else "")
    )

    click.echo(evidence_line(db, db_path, config_path))

    click.echo(f"\nnext jobs (schedule: {s.source}, {s.timezone.key}):")
    for job_id, trigger in scheduler.triggers(s, now).items():
        nxt = trigger.get_next_fire_time(None, now)
        last_job = db.execute(
            "SELECT status, started_at FROM schedule_runs WHERE job_id = ?"
            " ORDER BY schedule_run_id DESC LIMIT 1",
            [job_id],
        ).fetchone()
        done = f"last {last_job[0]} {last_job[1]}" if last_job else "never run"
        due = (
            "  [missed: runs when the scheduler starts]"
            if scheduler.needs_catch_up(db, job_id, trigger, now)
            else ""
        )
        click.echo(f"  {job_id:17} {nxt.isoformat() if nxt else '-':25}  {trigger}  ({done}){due}")
    if s.evidence_prune:
        last_job = db.execute(
            "SELECT status, started_at FROM schedule_runs WHERE job_id = 'evidence-prune'"
            " ORDER BY schedule_run_id DESC LIMIT 1"
        ).fetchone()
        done = f"last {last_job[0]} {last_job[1]}" if last_job else "never run"
        click.echo(f"  {'evidence-prune':17} {'after daily-run':25}  ({done})")

    click.echo("\nfailures (last 7 days):")
    lines = [
        f"  run {rid} ({kind}) {st} at {started}, exit {'-' if code is None else code}: "
        f"{first_line(err)}"
        for rid, kind, st, started, code, err in db.execute(
            "SELECT run_id, kind, status, started_at, exit_code, error FROM runs"
            " WHERE status IN ('failed', 'killed') AND started_at >= ? ORDER BY run_id DESC",
            [since],
        )
    ]
    lines += [
        f"  job {job} {st} at {started}, exit {code}: {last_line(tail)}"
        for job, st, started, code, tail in db.execute(
            "SELECT job_id, status, started_at, exit_code, error_tail FROM schedule_runs"
            " WHERE status IN ('failed', 'timeout', 'killed') AND started_at >= ?"
            " ORDER BY schedule_run_id DESC",
            [since],
        )
    ]
    lines += [
        f"  rule {rule} crashed in run {rid}: {first_line(err)}"
        for rid, rule, err in db.execute(
            "SELECT rr.run_id, rr.rule, rr.error FROM rule_runs rr JOIN runs r USING (run_id)"
            " WHERE rr.status = 'crashed' AND r.started_at >= ? ORDER BY rr.run_id DESC",
            [since],
        )
    ]
    for line in lines or ["  (none)"]:
        click.echo(line)


def evidence_line(db, db_path: Path, config_path: Path | None) -> str:
    """The evidence archive's size (zwgk/evidence.py): files and bytes on disk, payloads
    stored, captures, findings with evidence."""
    from zwgk import evidence
    from zwgk.config import load_config

    folder = evidence.archive_dir_for(db_path, load_config(config_path).raw, config_path)
    files, size = evidence.archive_size(folder)
    records, payload = db.execute(
        "SELECT count(*), coalesce(sum(bytes), 0) FROM evidence_records"
    ).fetchone()
    captures = db.execute("SELECT count(*) FROM captures").fetchone()[0]
    linked = db.execute("SELECT count(DISTINCT finding_id) FROM finding_evidence").fetchone()[0]
    return (
        f"  evidence archive: {size / 1e6:.1f} MB in {files} WARC file(s) ({folder}); "
        f"{records} pages stored ({payload / 1e6:.1f} MB uncompressed), {captures} captures, "
        f"{linked} findings with evidence"
    )


def _held(lock: StoreLock) -> str:
    holder = lock.held_by()
    if holder is None:
        return "free"
    pid, what = holder
    return f"held by pid {pid if pid > 0 else 'unknown'}" + (f" ({what})" if what else "")


def first_line(text: str | None) -> str:
    return (text or "").strip().splitlines()[0][:200] if (text or "").strip() else "-"


def last_line(text: str | None) -> str:
    return (text or "").strip().splitlines()[-1][:200] if (text or "").strip() else "-"
