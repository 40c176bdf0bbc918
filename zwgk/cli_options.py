"""Options and checks every `zwgk` subcommand shares (the main CLI and the subsystems' own
commands in checks/, reports/ and zwgk/ops.py import them from here)."""

from __future__ import annotations

import math
from pathlib import Path

import click

from zwgk import clock
from zwgk.errors import ZwgkError
from zwgk.storelock import StoreLock, run_lock


def now_option(fn):
    def set_clock(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        if value is not None:
            try:
                clock.set_now(value)
            except clock.ClockError as exc:
                raise click.BadParameter(str(exc)) from None
        return value

    return click.option(
        "--now",
        metavar="ISO8601",
        callback=set_clock,
        expose_value=False,
        is_eager=True,
        help="Set the clock for everything time-dependent in this command (crawl timestamps "
        "included), e.g. 2026-11-29T08:00:00+08:00.",
    )(fn)


db_option = click.option(
    "--db",
    "db_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The SQLite store (created and migrated if new).",
)
units_option = click.option(
    "--units",
    "units_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The units file (YAML, see README: Units file).",
)
config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Optional configuration: crawl politeness, rule thresholds, per-unit overrides.",
)


class Seconds(click.FloatRange):
    """A number of seconds in [low, high]: click's FloatRange lets NaN through (every comparison
    with it is false), and a NaN deadline or wait never ends, or ends in a traceback."""

    name = "seconds"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        return number


#: Row ids (runs, findings) as SQLite stores them: a bigger number is no id, not an overflow.
ROW_ID = click.IntRange(min=1, max=2**63 - 1)

#: Longest a command waits, or a probe may take: a week, the longest limit the scheduler's own
#: configuration allows a job (zwgk/schedule/config.py MAX_SECONDS), since it passes its job
#: limits on as --wait and --timeout. `inf` or NaN would wait for ever.
MAX_SECONDS = 7 * 86400.0


def wait_option(fn):
    return click.option(
        "--wait",
        "wait",
        type=Seconds(min=0, max=MAX_SECONDS),
        default=0.0,
        show_default=True,
        metavar="SECONDS",
        help="When a monitoring run, report or waiver holds this store, wait up to SECONDS for "
        "it to finish (0: give up at once with exit status 2).",
    )(fn)


def results_lock(db_path: Path, command: str, wait: float) -> StoreLock:
    """The store's run lock for a command that changes findings or writes files from them
    (`zwgk report`, `zwgk waive`, `zwgk unwaive`): a run rewrites both, so they never overlap one.
    Held by a run (or another such command) it is refused at once, or after `wait` seconds."""
    return run_lock(
        db_path,
        what=command,
        hint=f"{command} waits for it: rerun when it has finished, or pass --wait SECONDS",
        wait=wait,
        notify=lambda line: click.echo(f"zwgk: {line}", err=True),
    )


def existing(db_path: Path) -> Path:
    if not db_path.exists():
        raise ZwgkError(f"{db_path}: no such store (run `zwgk run --db {db_path}` first)")
    return db_path
