"""One monitoring run, end to end: validate, crawl (a subprocess), check, report, record.

Nothing here pretends: a stage that is missing or crashed is recorded in `runs` and makes the
exit status non-zero, and the summary says so.
"""

from __future__ import annotations

import signal
import sys
import time
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import click

from zwgk import clock, evidence, store
from zwgk.config import load_config, review_options
from zwgk.crawl import run_crawl
from zwgk.errors import CATALOG_CAPPED_MARK, DISK_FULL_MARK, is_disk_full
from zwgk.outcomes import record_site_outcomes
from zwgk.storelock import run_lock
from zwgk.units import load_units


@dataclass(slots=True)
class RunResult:
    run_id: int
    exit_code: int
    stats: dict = field(default_factory=dict)


class Progress:
    """Live progress read from the store (the crawl is another process): units reached of
    total, pages fetched, pages/s, failures so far. One line rewritten on a TTY; plain lines
    every 10 s in a log."""

    def __init__(self, db_path: Path, run_id: int, units_total: int, live: bool) -> None:
        self.db_path, self.run_id, self.units_total, self.live = db_path, run_id, units_total, live
        self.started = time.monotonic()
        self.last_print = 0.0
        self.db = None

    def counts(self) -> tuple[int, int, int]:
        if self.db is None:
            self.db = store.open_db(self.db_path)
        pages, failures = store.page_counts(self.db, self.run_id)
        units = self.db.execute(
            "SELECT count(DISTINCT s.unit_id) FROM sites s WHERE s.site_id IN"
            " (SELECT DISTINCT site_id FROM pages WHERE run_id = ?)",
            [self.run_id],
        ).fetchone()[0]
        return units, pages, failures

    def tick(self) -> None:
        now = time.monotonic()
        if now - self.last_print < (0.5 if self.live else 10):
            return
        self.last_print = now
        units, pages, failures = self.counts()
        rate = pages / max(now - self.started, 1e-6)
        line = (
            f"crawl: units {units}/{self.units_total}  pages {pages}  {rate:.0f} pages/s"
            f"  failures {failures}"
        )
        if self.live:
            click.echo(f"\r{line}\x1b[K", nl=False, err=True)
        else:
            click.echo(line, err=True)

    def close(self) -> None:
        if self.live:
            click.echo("", err=True)


def run_once(
    units_path: Path,
    db_path: Path,
    config_path: Path | None,
    out_dir: Path | None,
    progress: bool | None = None,
    crawl_overrides: dict | None = None,
    workers: int = 0,
    redis_url: str | None = None,
    wait: float = 0.0,
) -> RunResult:
    units, config, rules_config = validate_inputs(units_path, config_path, out_dir, crawl_overrides)
    if workers:  # distributed mode (zwgk/distributed.py): Redis must answer before the run starts
        from zwgk.distributed import DEFAULT_REDIS, connect

        redis_url = redis_url or DEFAULT_REDIS
        connect(redis_url)
    # One monitoring run per store, never beside a report or waiver; exit 2 with one line when
    # held (after `wait` seconds: the scheduler's daily run waits out a report).
    lock = run_lock(db_path, wait=wait, notify=lambda line: click.echo(f"zwgk: {line}", err=True))
    with lock:
        state: dict = {}
        try:
            return _run(units_path, db_path, units, config, rules_config, out_dir, progress,
                        workers, redis_url, state)  # fmt: skip
        except Exception as exc:
            if not is_disk_full(exc):
                raise
            return _disk_full(db_path, state.get("run_id"), exc)


def _run(
    units_path: Path,
    db_path: Path,
    units,
    config,
    rules_config,
    out_dir: Path | None,
    progress: bool | None,
    workers: int,
    redis_url: str | None,
    state: dict,
) -> RunResult:
    db = store.open_db(db_path)
    store.sync_units(db, units)
    run_id = store.start_run(db, "run", units_total=len(units))
    state["run_id"] = run_id
    live = sys.stderr.isatty() if progress is None else progress
    meter = Progress(db_path, run_id, len(units), live)
    t0 = time.monotonic()
    logs = (out_dir or db_path.parent) / "logs"
    # The crawl keeps the pages findings rest on (zwgk/evidence.py) where the config says.
    ev = evidence.options(config.raw, config.path)
    config.crawl = {
        **config.crawl,
        "evidence": ev["enabled"],
        "evidence_dir": str(evidence.archive_dir_for(db_path, config.raw, config.path).resolve()),
    }
    # SIGTERM (systemd, the scheduler) and SIGHUP (a closed terminal) stop the crawl as Ctrl-C
    # does: run_crawl stops its child before the run is recorded as killed.
    crawl = {**config.crawl, "offsite_links": offsite_grants(rules_config, units)}
    previous = {sig: signal.signal(sig, terminate) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        if workers:
            from zwgk.distributed import run_distributed_crawl

            outcome = run_distributed_crawl(
                units_path,
                db_path,
                run_id,
                crawl,
                logs / f"crawl-{run_id}.log",
                workers,
                redis_url,
                on_tick=meter.tick,
            )
        else:
            outcome = run_crawl(
                units_path,
                db_path,
                run_id,
                crawl,
                logs / f"crawl-{run_id}.log",
                on_tick=meter.tick,
            )
    except (KeyboardInterrupt, SystemExit) as exc:
        store.finish_run(db, run_id, "killed", exit_code=143, error=f"stopped: {exc!r}")
        raise
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        meter.close()
    stats: dict = {
        "crawl_seconds": round(outcome.seconds, 1),
        "crawl_exit": outcome.exit_code,
        "crawl_log": str(outcome.log_path),
    }
    if workers:
        stats["workers"] = workers
    errors: list[str] = []
    if outcome.count(DISK_FULL_MARK):
        errors.append(f"crawl stopped: the store's disk is full ({db_path}); free space and rerun")
    elif outcome.exit_code != 0 or outcome.timed_out:
        errors.append(
            f"crawl {'timed out' if outcome.timed_out else f'exited {outcome.exit_code}'}: "
            f"{outcome.error_tail()}"
        )
    stats["sites"] = record_site_outcomes(db, run_id)
    stats["spider_errors"] = outcome.count("Spider error processing")
    # A catalog walk stopped by its page bound leaves no column behind to say so: the run does.
    capped = [note.removeprefix(":").strip() for note in outcome.after(CATALOG_CAPPED_MARK)]
    if capped:
        stats["catalog_capped"] = capped
    checks = run_checks(db, run_id, units, rules_config, errors)
    if checks is not None:
        stats.update(checks)
        # Retention, once the rules have read this run: observations no rule reads again.
        pruned = store.prune_observations(db, run_id)
        if any(pruned.values()):
            stats["pruned"] = pruned
    if out_dir is not None:
        write_reports(db, run_id, out_dir, config, errors)
    stats["total_seconds"] = round(time.monotonic() - t0, 1)
    status = "failed" if errors else "completed"
    store.finish_run(
        db,
        run_id,
        status,
        exit_code=1 if errors else 0,
        error="\n".join(errors) or None,
        stats=stats,
    )
    print_summary(db, run_id, out_dir, errors)
    return RunResult(run_id, 1 if errors else 0, stats)


def validate_inputs(
    units_path: Path,
    config_path: Path | None,
    out_dir: Path | None = None,
    crawl_overrides: dict | None = None,
):
    """Every check of the operator's files, before the store is opened or anything crawled:
    (units, config, rule config), or a ConfigError naming the file, unit and field."""
    units = load_units(units_path)
    config = load_config(config_path, crawl_overrides)
    rules_config = load_rules_config(config, [u.code for u in units])
    check_other_sections(config, out_dir)
    evidence.options(config.raw, config.path)
    review_options(config.raw, config.path)  # `zwgk validate` checks the workspace's section too
    return units, config, rules_config


def _disk_full(db_path: Path, run_id: int | None, exc: BaseException) -> RunResult:
    """A write failed for lack of space: one clear line, the run marked failed if the store
    still takes that one small write, exit status 1."""
    line = f"the disk holding {db_path} is full ({exc}); free space and rerun"
    if run_id is not None:
        with suppress(Exception):
            store.finish_run(store.open_db(db_path), run_id, "failed", exit_code=1, error=line)
    click.echo(f"zwgk: error: run {run_id if run_id is not None else '-'} failed: {line}", err=True)
    return RunResult(run_id or 0, 1)


def terminate(signum, frame) -> None:
    raise SystemExit(143)


def load_rules_config(config, unit_codes: list[str] | None = None):
    """The rules and per-unit sections; a unit code the units file lacks is an error (a typo
    there would otherwise silently leave the real unit's overrides unapplied)."""
    from checks.config import load_rule_config

    return load_rule_config(config.raw, config.path, unit_codes)


def check_other_sections(config, out_dir: Path | None) -> None:
    """A bad reports: or schedule: section fails now, not after an hour of crawling (the
    scheduler reads the same file for its jobs)."""
    from reports.tasks import deadlines
    from zwgk.schedule.config import parse_schedule

    if out_dir is not None or config.raw.get("reports") is not None:
        deadlines(config.raw, config.path)
    if config.raw.get("schedule") is not None:
        parse_schedule(config.raw["schedule"], str(config.path))
    if config.raw.get("scoring") is not None:  # the quarterly report and `zwgk scores` use it
        from checks.scoring import scoring_table

        scoring_table(config)


def offsite_grants(rules_config, units) -> dict[str, dict[str, float]]:
    """The units whose operator granted off-site link checks (broken-link `offsite_enabled`,
    globally or per unit, with the rule itself enabled), with their cap and delay: the crawl's
    ZWGK_OFFSITE_LINKS. Empty: off-site links are never fetched."""
    if rules_config is None:
        from checks.config import RuleConfig

        rules_config = RuleConfig()
    out = {}
    for u in units:
        o = rules_config.options("broken-link", u.code)
        if o.get("enabled", True) and o.get("offsite_enabled"):
            out[u.code] = {
                "per_site": int(o["offsite_per_site"]),
                "delay_seconds": float(o["offsite_delay_seconds"]),
            }
    return out


def run_checks(db, run_id: int, units, rules_config, errors: list[str]) -> dict | None:
    from checks.runner import run_checks as run_all

    try:
        result = run_all(db, run_id, units, rules_config)
    except Exception as exc:  # the rules' shared setup failed: the run fails, loudly, recorded
        if is_disk_full(exc):
            raise
        errors.append(f"checks failed: {type(exc).__name__}: {exc}")
        return None
    for name, error in result.crashed.items():
        errors.append(f"rule {name} crashed: {error}")
    return {"findings_open": result.open_count, "rules_crashed": len(result.crashed)}


def write_reports(db, run_id: int, out_dir: Path, config, errors: list[str]) -> None:
    from reports.build import write_reports as build

    try:
        paths = build(db, run_id, out_dir, config.raw)
    except Exception as exc:  # a report bug must not lose the run's findings
        if is_disk_full(exc):
            raise
        errors.append(f"reports failed: {type(exc).__name__}: {exc}")
        return
    # one unit's file that could not be written: the others were, and the run says which not
    for name, error in paths.failed.items():
        errors.append(f"report {name} failed: {error}")


def print_summary(db, run_id: int, out_dir: Path | None, errors: list[str]) -> None:
    row = db.execute(
        "SELECT pages_fetched, failures, stats FROM runs WHERE run_id = ?", [run_id]
    ).fetchone()
    sites = dict(
        db.execute(
            "SELECT status, count(*) FROM site_runs WHERE run_id = ? GROUP BY status", [run_id]
        ).fetchall()
    )
    columns, items = db.execute(
        "SELECT count(DISTINCT column_id), coalesce(sum(new_items), 0) FROM column_runs"
        " WHERE run_id = ?",
        [run_id],
    ).fetchone()
    findings = (
        dict(
            db.execute(
                "SELECT severity, count(*) FROM findings WHERE status = 'open' GROUP BY severity"
            ).fetchall()
        )
        if "findings" in db.table_names()
        else {}
    )
    verdicts = dict(
        db.execute(
            "SELECT verdict, count(*) FROM verdicts WHERE run_id = ? GROUP BY verdict", [run_id]
        ).fetchall()
    )
    click.echo(f"run {run_id} at {clock.iso()}", err=True)
    click.echo(f"  pages fetched {row[0]}, failures {row[1]}", err=True)
    click.echo("  sites " + ", ".join(f"{k} {v}" for k, v in sorted(sites.items())), err=True)
    click.echo(f"  columns crawled {columns}, new items {items}", err=True)
    statuses = dict(
        db.execute(
            "SELECT status, count(*) FROM column_runs WHERE run_id = ? AND status NOT IN"
            " ('ok', 'placeholder') GROUP BY status",
            [run_id],
        ).fetchall()
    )
    if statuses:
        # Columns not read whole: partial and failed ones are not judged (zwgk columns says why).
        click.echo(
            "  columns not read whole: "
            + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
            + " (see `zwgk columns`)",
            err=True,
        )
    click.echo(
        "  verdicts " + (", ".join(f"{k} {v}" for k, v in verdicts.items()) or "none"), err=True
    )
    click.echo(
        "  open findings " + (", ".join(f"{k} {v}" for k, v in findings.items()) or "none"),
        err=True,
    )
    if out_dir is not None:
        click.echo(f"  reports: {out_dir / 'index.html'}", err=True)
    stats = store.loads(row[2]) or {}
    if stats.get("catalog_capped"):
        click.echo(
            f"  WARNING catalog walk stopped at its page bound (2 x max_columns_per_site) on "
            f"{len(stats['catalog_capped'])} site(s), columns past it not found: "
            + "; ".join(stats["catalog_capped"][:10]),
            err=True,
        )
    if stats.get("spider_errors"):
        click.echo(
            f"  WARNING {stats['spider_errors']} pages raised parser errors: see "
            f"{stats.get('crawl_log')}",
            err=True,
        )
    for e in errors:
        click.echo(f"  ERROR {e}", err=True)
