"""Options and checks every `zwgk` subcommand shares (the main CLI and the subsystems' own
commands in checks/, reports/ and zwgk/ops.py import them from here)."""

from __future__ import annotations

from pathlib import Path

import click

from zwgk import clock
from zwgk.errors import ZwgkError


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


def existing(db_path: Path) -> Path:
    if not db_path.exists():
        raise ZwgkError(f"{db_path}: no such store (run `zwgk run --db {db_path}` first)")
    return db_path
