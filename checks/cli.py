"""`zwgk waive` / `zwgk unwaive`: a supervisor's decision on one finding, with a reason."""

from __future__ import annotations

import json
from pathlib import Path

import click

from checks import lifecycle
from checks.export import finding_json
from zwgk.cli_options import db_option, existing


def _db(path: Path):
    from zwgk.store import open_db

    return open_db(existing(path))


@click.command()
@db_option
@click.argument("finding_id", type=int)
@click.option("--reason", required=True, help="Why the finding is waived (kept in its history).")
def waive(db_path: Path, finding_id: int, reason: str) -> None:
    """Waive an open finding (it stays waived while it keeps firing)."""
    row = lifecycle.waive(_db(db_path), finding_id, reason)
    click.echo(json.dumps(finding_json(row), ensure_ascii=False))


@click.command()
@db_option
@click.argument("finding_id", type=int)
@click.option("--reason", default=None, help="Why the waiver is withdrawn (optional).")
def unwaive(db_path: Path, finding_id: int, reason: str | None) -> None:
    """Undo a waiver: the finding is open again until a run shows the fix."""
    row = lifecycle.unwaive(_db(db_path), finding_id, reason)
    click.echo(json.dumps(finding_json(row), ensure_ascii=False))
