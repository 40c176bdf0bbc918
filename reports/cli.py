"""`zwgk report`: write the latest run's reports again, or the quarterly 通报 draft; `zwgk scores`:
the 季度测评 scores of a quarter or a date range."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from zwgk.cli_options import (
    ROW_ID,
    config_option,
    db_option,
    existing,
    now_option,
    results_lock,
    wait_option,
)
from zwgk.errors import ZwgkError

rescore_option = click.option(
    "--rescore",
    is_flag=True,
    help="Score the period (and the one before it, for the change) again with the configured "
    "scoring table, replacing stored scores of a period that has ended (they are kept "
    "otherwise, so a published 通报 keeps its figures).",
)


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
@rescore_option
@now_option
@wait_option
def report(
    db_path: Path,
    quarter: str | None,
    run_id: int | None,
    out_dir: Path,
    config_path: Path | None,
    rescore: bool,
    wait: float,
) -> None:
    """Reports from the store: a run's index/unit pages and task lists, or a quarterly 通报.

    Exits 0 when written; 1 when one unit's file failed (the others are written); 2 for a bad
    option or configuration, or when a monitoring run holds the store (see --wait).
    """
    from checks.scoring import ScoringTable, scoring_table
    from zwgk.config import load_config

    loaded = load_config(config_path)
    if rescore and quarter is None:
        raise click.UsageError("--rescore goes with --quarter (a run's reports have no scores)")
    # A bad scoring table is one line naming its key, before the lock or any file.
    table: ScoringTable | None = scoring_table(loaded) if quarter is not None else None
    # Never while a run rewrites the findings and verdicts a report is made of.
    with results_lock(existing(db_path), "zwgk report", wait):
        _report(db_path, quarter, run_id, out_dir, loaded.raw, table, rescore)


def _report(
    db_path: Path,
    quarter: str | None,
    run_id: int | None,
    out_dir: Path,
    config: dict,
    table,
    rescore: bool,
) -> None:
    from zwgk.store import open_db

    db = open_db(db_path)
    if quarter is not None:
        from reports.quarterly import write_quarterly

        notes: list[str] = []
        for path in write_quarterly(db, quarter, out_dir, config, table, rescore, notes):
            click.echo(str(path))
        for note in notes:
            click.echo(f"zwgk: {note}", err=True)
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


@click.command()
@db_option
@click.option(
    "--quarter",
    default=None,
    metavar="YYYYQn",
    help="The quarter to score, e.g. 2026Q4 (default: the clock's current quarter).",
)
@click.option(
    "--from",
    "date_from",
    default=None,
    metavar="YYYY-MM-DD",
    help="Score any range of dates instead: its first day (with --to).",
)
@click.option(
    "--to", "date_to", default=None, metavar="YYYY-MM-DD", help="The range's last day (included)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "table", "csv"]),
    default="json",
    show_default=True,
    help="json: one object per unit with its deductions and the findings behind them; "
    "csv: one row per unit; table: one line each.",
)
@config_option
@rescore_option
@now_option
@wait_option
def scores(
    db_path: Path,
    quarter: str | None,
    date_from: str | None,
    date_to: str | None,
    fmt: str,
    config_path: Path | None,
    rescore: bool,
    wait: float,
) -> None:
    """季度测评 scores per unit: score, deductions with their findings, veto, rank within the
    unit's kind and change against the previous period, from the store and the scoring table
    (the configuration's scoring: section; docs/scoring.md).

    Exits 2 for a bad option or scoring table, a period without a completed run, or when a
    monitoring run holds the store (see --wait).
    """
    import json

    from checks.scoring import scoring_table
    from reports import periods
    from reports.scores import scores as period_scores
    from reports.scores_export import score_csv, score_json, score_table
    from zwgk import clock
    from zwgk.config import load_config
    from zwgk.store import open_db

    if quarter is not None and (date_from or date_to):
        raise click.UsageError("give --quarter or --from/--to, not both")
    if bool(date_from) != bool(date_to):
        raise click.UsageError("--from and --to go together")
    if date_from and date_to:
        period = periods.date_range(
            periods.parse_date("--from", date_from), periods.parse_date("--to", date_to)
        )
    elif quarter is not None:
        period = periods.quarter_period(quarter)
    else:
        period = periods.quarter(clock.today())
    table = scoring_table(load_config(config_path))
    # Scores are stored: never while a run rewrites the findings they are made of.
    with results_lock(existing(db_path), "zwgk scores", wait):
        result = period_scores(open_db(db_path), period, table, rescore)
    for note in result.notes:
        click.echo(f"zwgk: {note}", err=True)
    if fmt == "json":
        click.echo(json.dumps(score_json(result), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo(score_csv(result), nl=False)
    else:
        click.echo("\n".join(score_table(result)))
