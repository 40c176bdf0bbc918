"""`zwgk report`: write the latest run's reports again, or the quarterly 通报 draft."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from zwgk.cli_options import ROW_ID, config_option, db_option, existing, results_lock, wait_option
from zwgk.errors import ZwgkError


@click.command()
@db_option
@click.option(
    "--quarter",
    default=None,
    metavar="YYYYQn",
    help="Write the quarterly 通报 draft (HTML and .docx) for this quarter, e.g. 2026Q4.",
)
@click.option(
    "--run",
    "run_id",
    type=ROW_ID,
    default=None,
    help="The run to report on (default and only choice: the latest completed run, because "
    "finding statuses are current; each daily run keeps its own report folder).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder to write into.",
)
@config_option
@wait_option
def report(
    db_path: Path,
    quarter: str | None,
    run_id: int | None,
    out_dir: Path,
    config_path: Path | None,
    wait: float,
) -> None:
    """Reports from the store: a run's index/unit pages and task lists, or a quarterly 通报.

    Exits 0 when written; 1 when one unit's file failed (the others are written); 2 for a bad
    option or configuration, or when a monitoring run holds the store (see --wait).
    """
    from zwgk.config import load_config

    config = load_config(config_path).raw
    # Never while a run rewrites the findings and verdicts a report is made of.
    with results_lock(existing(db_path), "zwgk report", wait):
        _report(db_path, quarter, run_id, out_dir, config)


def _report(
    db_path: Path, quarter: str | None, run_id: int | None, out_dir: Path, config: dict
) -> None:
    from zwgk.store import open_db

    db = open_db(db_path)
    if quarter is not None:
        from reports.quarterly import write_quarterly

        for path in write_quarterly(db, quarter, out_dir, config):
            click.echo(str(path))
        return
    from reports.build import write_reports

    latest = db.execute(
        "SELECT max(run_id) FROM runs WHERE kind = 'run' AND status = 'completed'"
    ).fetchone()[0]
    if latest is None:
        raise ZwgkError(f"{db_path}: no completed run to report on (run `zwgk run` first)")
    if run_id is not None and run_id != latest:
        raise ZwgkError(
            f"--run {run_id}: only the latest completed run ({latest}) can be re-rendered, since"
            " finding statuses are current; an earlier run's report is in that run's --out folder"
        )
    paths = write_reports(db, latest, out_dir, config)
    click.echo(str(paths.index))
    for name, error in paths.failed.items():  # the other files were written
        click.echo(f"zwgk: report {name} failed: {error}", err=True)
    if paths.failed:
        sys.exit(1)
