"""`zwgk`: the command line (click). Errors are one line on stderr with exit status 2."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import click

from checks.cli import unwaive, waive
from reports.cli import report, scores
from reports.evidence_cli import evidence
from zwgk.cli_options import (
    ROW_ID,
    config_option,
    db_option,
    existing,
    now_option,
    units_option,
    wait_option,
)
from zwgk.demo import demo
from zwgk.errors import ZwgkError, one_line
from zwgk.ops import probe, schedule, status
from zwgk.web.cli import serve, user

#: Worker processes one machine starts for a distributed run: each is a whole Scrapy process,
#: so a typo of a few more digits would fork the machine to death.
MAX_WORKERS = 256


class Group(click.Group):
    """Turns a ZwgkError into one clear line and exit status 2, never a traceback."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except ZwgkError as exc:
            click.echo(one_line(f"zwgk: error: {exc}"), err=True)
            sys.exit(2)


@click.group(cls=Group)
@click.version_option(package_name="zwgk-monitor")
def main() -> None:
    """zwgk-monitor: crawl government disclosure sites, check them, report to supervisors."""


@main.command()
@units_option
@db_option
@config_option
@now_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write the reports here (index.html, units/<code>.html, tasks/<code>.xlsx).",
)
@click.option("--progress/--no-progress", default=None, help="Live progress (default: on a TTY).")
@click.option(
    "--workers",
    type=click.IntRange(min=0, max=MAX_WORKERS),
    default=0,
    show_default=True,
    help="Distributed mode: crawl with N scrapy-redis worker processes sharing one queue "
    "(0: one process, no Redis).",
)
@click.option(
    "--redis",
    "redis_url",
    metavar="URL",
    default=None,
    help="Redis for --workers (default redis://127.0.0.1:6379/0).",
)
@wait_option
def run(
    units_path: Path,
    db_path: Path,
    config_path: Path | None,
    out_dir: Path | None,
    progress: bool | None,
    workers: int,
    redis_url: str | None,
    wait: float,
) -> None:
    """One monitoring run: crawl every unit, run every check, write the reports.

    Exits 0 when the run completed, whatever it found; 1 when the crawl or a rule crashed
    (recorded in the store); 2 for a bad units file, configuration or option, or when another
    run, a report or a waiver holds the store (see --wait).
    """
    from zwgk.runner import run_once

    if redis_url and not workers:
        raise click.UsageError("--redis needs --workers N (N >= 1)")
    result = run_once(
        units_path,
        db_path,
        config_path,
        out_dir,
        progress=progress,
        workers=workers,
        redis_url=redis_url,
        wait=wait,
    )
    sys.exit(result.exit_code)


def format_option(json_help: str):
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["json", "table"]),
        default="json",
        show_default=True,
        help=f"json: {json_help}; table: one line each.",
    )


def emit(rows: list[dict], fmt: str, line: Callable[[dict], str]) -> None:
    """The rows as one JSON array (the contract), or one text line per row."""
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            click.echo(line(row))


@main.command()
@db_option
@format_option("the contract's array of findings")
@click.option(
    "--status",
    type=click.Choice(["open", "resolved", "waived", "all"]),
    default="open",
    show_default=True,
    help="Which findings to list.",
)
def findings(db_path: Path, fmt: str, status: str) -> None:
    """Findings as a JSON array on stdout (default: open ones)."""
    from checks.export import findings as export_findings
    from zwgk.store import open_db

    rows = export_findings(open_db(existing(db_path)), status=status)
    emit(rows, fmt, lambda f: (
        f"{f['status']:8} {f['severity']:6} {f['rule']:24} {f['unit']:16} {f['summary']}"
    ))  # fmt: skip


@main.command()
@db_option
@format_option("one object per column (the contract)")
def columns(db_path: Path, fmt: str) -> None:
    """What the spiders saw, one object per column."""
    from zwgk.inventory import columns_json
    from zwgk.store import open_db

    rows = columns_json(open_db(existing(db_path)))
    emit(rows, fmt, lambda c: (
        f"{c['unit']:16} {c['items']:5} {c['newest_date'] or '-':10} {c['category'] or '-':8} "
        f"{c['catalog_path'] or c['column_name']}{_column_note(c)}"
    ))  # fmt: skip


def _column_note(c: dict) -> str:
    if c["status"] in ("ok", "placeholder"):
        return ""
    return f"  [{'' if c['assessed'] else 'not assessed: '}{c['status']}: {c['reason'] or '-'}]"


@main.command()
@db_option
@click.option("--run", "run_id", type=ROW_ID, default=None, help="Which run (default: the latest).")
@format_option("one object per site")
def verdicts(db_path: Path, run_id: int | None, fmt: str) -> None:
    """Site verdicts of a run: 合格, 不合格 (with the veto rules) or 未评估."""
    from checks.export import verdicts as export_verdicts
    from zwgk.store import open_db

    rows = export_verdicts(open_db(existing(db_path)), run_id)
    emit(rows, fmt, lambda v: (
        f"{v['unit']:16} {v['role']:10} {v['verdict']:4} {','.join(v['veto_rules'])}"
    ))  # fmt: skip


# Commands that live with their subsystem; they import only zwgk.cli_options, so no cycle.
for _command in (
    waive,
    unwaive,
    report,
    scores,
    evidence,
    probe,
    schedule,
    status,
    demo,
    serve,
    user,
):
    main.add_command(_command)


if __name__ == "__main__":
    main()
