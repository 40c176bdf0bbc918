"""`zwgk report`: write a run's reports again, or the quarterly 通报 draft."""

from __future__ import annotations

from pathlib import Path

import click

from zwgk.errors import ZwgkError


@click.command()
@click.option(
    "--db",
    "db_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The SQLite store.",
)
@click.option(
    "--quarter",
    default=None,
    metavar="YYYYQn",
    help="Write the quarterly 通报 draft (HTML and .docx) for this quarter, e.g. 2026Q4.",
)
@click.option(
    "--run",
    "run_id",
    type=int,
    default=None,
    help="Write this run's reports (default: the latest completed run).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder to write into.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Configuration file (reports: deadline_working_days, ...).",
)
def report(
    db_path: Path, quarter: str | None, run_id: int | None, out_dir: Path, config_path: Path | None
) -> None:
    """Reports from the store: a run's index/unit pages and task lists, or a quarterly 通报."""
    from zwgk.config import load_config
    from zwgk.store import open_db

    if not db_path.exists():
        raise ZwgkError(f"{db_path}: no such store (run `zwgk run --db {db_path}` first)")
    config = load_config(config_path).raw
    db = open_db(db_path)
    if quarter is not None:
        from reports.quarterly import write_quarterly

        for path in write_quarterly(db, quarter, out_dir, config):
            click.echo(str(path))
        return
    from reports.build import write_reports

    if run_id is None:
        row = db.execute(
            "SELECT max(run_id) FROM runs WHERE kind = 'run' AND status = 'completed'"
        ).fetchone()
        if not row or row[0] is None:
            raise ZwgkError(f"{db_path}: no completed run to report on (run `zwgk run` first)")
        run_id = int(row[0])
    paths = write_reports(db, run_id, out_dir, config)
    click.echo(str(paths.index))
