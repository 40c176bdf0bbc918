"""`zwgk waive` / `zwgk unwaive`: a supervisor's decision on one finding, with a reason."""

from __future__ import annotations

import json
from pathlib import Path

import click

from checks import lifecycle
from checks.export import finding_json
from zwgk.cli_options import ROW_ID, db_option, existing, results_lock, wait_option


def _db(path: Path):
    from zwgk.store import open_db

    return open_db(path)


# A waiver changes a finding that a run's checks may be rewriting at that moment, and the run's
# reports would then disagree with its verdicts: so never during a run (exit 2, or --wait).


@click.command()
@db_option
@click.argument("finding_id", type=ROW_ID)
@click.option("--reason", required=True, help="Why the finding is waived (kept in its history).")
@wait_option
def waive(db_path: Path, finding_id: int, reason: str, wait: float) -> None:
    """Waive an open finding (it stays waived while it keeps firing).

    Exits 2 for an unknown or not-open finding, or when a monitoring run holds the store.
    """
    with results_lock(existing(db_path), "zwgk waive", wait):
        row = lifecycle.waive(_db(db_path), finding_id, reason)
    click.echo(json.dumps(finding_json(row), ensure_ascii=False))


@click.command()
@db_option
@click.argument("finding_id", type=ROW_ID)
@click.option("--reason", default=None, help="Why the waiver is withdrawn (optional).")
@wait_option
def unwaive(db_path: Path, finding_id: int, reason: str | None, wait: float) -> None:
    """Undo a waiver: the finding is open again until a run shows the fix.

    Exits 2 for an unknown or not-waived finding, or when a monitoring run holds the store.
    """
    with results_lock(existing(db_path), "zwgk unwaive", wait):
        row = lifecycle.unwaive(_db(db_path), finding_id, reason)
    click.echo(json.dumps(finding_json(row), ensure_ascii=False))
