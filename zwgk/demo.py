"""`zwgk demo`: serve the bundled demo city on loopback and run the monitor on it.

Day 1 and (by default) day 2 are run, so the reports show new, persisting and resolved
findings and the back-dated items that only a second crawl can see.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import click

from zwgk import clock
from zwgk.storelock import run_lock

# The farm is on loopback and ours: no politeness delay, a few connections per host.
DEMO_CRAWL = {
    "delay_seconds": 0.001,
    "concurrency_per_host": 4,
    "concurrency": 64,
    "autothrottle": False,
    "timeout_seconds": 10,
    "retries": 2,
    "retry_backoff_seconds": 0.2,
    "log_level": "WARNING",
}


@click.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-out"),
    show_default=True,
    help="Where the store, the farm's units file and the reports go.",
)
@click.option(
    "--days",
    type=click.IntRange(1, 2),
    default=2,
    show_default=True,
    help="Run day 1 only, or day 1 then day 2 (the farm's pages change overnight).",
)
@click.option("--seed", type=int, default=7, show_default=True, help="The demo city's seed.")
@click.option(
    "--now",
    "now_value",
    metavar="ISO8601",
    default=None,
    help="Day 1's clock (default: now). Day 2 is one day later.",
)
def demo(out_dir: Path, days: int, seed: int, now_value: str | None) -> None:
    """Serve the bundled demo city on 127.0.x.y and run the whole monitor on it."""
    from zwgk.farm.server import FarmProcess
    from zwgk.runner import run_once

    day1 = clock.parse(now_value) if now_value else clock.now().replace(hour=8, minute=0, second=0)
    out_dir.mkdir(parents=True, exist_ok=True)
    db_path = out_dir / "zwgk.db"
    # The last demo's store goes, but never from under a run or report using it (the lock is
    # taken for the deletion, and run_once takes it again), and never the lock files themselves:
    # a lock file deleted while held would let the next taker lock a new file beside the holder.
    with run_lock(db_path, "zwgk demo", "wait for it to finish or use another --out"):
        for stale in out_dir.glob("zwgk.db*"):
            if stale.is_dir():  # the last demo's evidence archive (zwgk.db.evidence)
                shutil.rmtree(stale)
            elif not stale.name.endswith(".lock"):
                stale.unlink()
    farm_dir = Path(tempfile.mkdtemp(prefix="zwgk-farm-"))
    exit_code = 0
    try:
        with FarmProcess(farm_dir, seed=seed, now=day1) as farm:
            units = out_dir / "units.yaml"
            shutil.copy(farm.units_path, units)
            config = out_dir / "config.yaml"  # the farm's: off-site link checks granted
            shutil.copy(farm.config_path, config)
            click.echo(f"demo farm: {units} (port {farm.port})", err=True)
            for day in range(1, days + 1):
                if day == 2:
                    farm.set_day(2)
                clock.set_now(day1 + timedelta(days=day - 1))
                click.echo(f"--- day {day}: {clock.iso()}", err=True)
                result = run_once(
                    units, db_path, config, out_dir, progress=None, crawl_overrides=DEMO_CRAWL
                )
                exit_code = max(exit_code, result.exit_code)
    finally:
        shutil.rmtree(farm_dir, ignore_errors=True)
    click.echo(f"reports: {(out_dir / 'index.html').resolve()}")
    click.echo(f"store:   {db_path.resolve()}")
    sys.exit(exit_code)
