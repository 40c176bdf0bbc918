"""`zwgk evidence show | verify | prune`: the evidence archive (zwgk/evidence.py) by hand."""

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


def _open(db_path: Path, config_path: Path | None):
    from zwgk import evidence as ev
    from zwgk.config import load_config
    from zwgk.store import open_db

    raw = load_config(config_path).raw
    opts = ev.options(raw, config_path)
    return open_db(existing(db_path)), ev.archive_dir(db_path, opts["dir"]), opts, raw


@click.group()
def evidence() -> None:
    """The pages findings rest on, as the crawl fetched them (WARC archive beside the store)."""


@evidence.command()
@db_option
@config_option
@click.argument("finding_id", type=ROW_ID)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Write OUT/evidence/<unit>/<id>.html and the replayed pages here.",
)
def show(db_path: Path, config_path: Path | None, finding_id: int, out_dir: Path) -> None:
    """Render a finding's archived pages offline (scripts disabled, banner with the original
    URL and capture time); prints the finding's evidence page and each capture."""
    from reports import evidence as pages
    from reports.data import _finding, _site, _unit, load_run

    db, _folder, _opts, raw = _open(db_path, config_path)
    cur = db.execute("SELECT * FROM findings WHERE finding_id = ?", [finding_id])
    names = [d[0] for d in cur.description]
    row = cur.fetchone()
    if row is None:
        raise ZwgkError(f"finding {finding_id} does not exist (see `zwgk findings --status all`)")
    row = dict(zip(names, row, strict=True))
    units = {
        r[0]: _unit(dict(zip(["unit_id", "name", "kind", "site_code", "parent"], r, strict=True)))
        for r in db.execute("SELECT unit_id, name, kind, site_code, parent FROM units")
    }
    cur = db.execute("SELECT * FROM sites")
    snames = [d[0] for d in cur.description]
    sites = {r[0]: _site(dict(zip(snames, r, strict=True)), units) for r in cur.fetchall()}
    finding = _finding(row, units, sites)
    caps = pages.annotate(db, [finding])
    if not caps:
        raise ZwgkError(f"finding {finding_id} has no archived evidence (captured before the "
                        "archive existed, pruned, or its pages were never fetched)")  # fmt: skip
    run = load_run(db, row["last_run_id"])
    written = pages.write_evidence(db, Path(out_dir), [finding], caps, run, raw)
    click.echo(str(written[0]))
    for c in caps[finding_id]:
        click.echo(
            f"  {'first' if c.first else 'changed'}  as seen on {c.captured_at}"
            + (f"  (unchanged since {c.unchanged_since})" if c.unchanged_since else "")
            + f"  HTTP {c.status}  sha256 {c.sha256[:16]}  {c.url}"
            f"  -> {written[0].parent / f'c{c.capture_id}.html'}"
        )


@evidence.command()
@db_option
@config_option
def verify(db_path: Path, config_path: Path | None) -> None:
    """Read every archived record back and re-hash it: exit 0 when all match the store, 1 when
    one is missing, cut short or altered (each named)."""
    from zwgk import evidence as ev

    db, folder, _opts, _raw = _open(db_path, config_path)
    n, problems = ev.verify(db, folder)
    for p in problems:
        click.echo(f"FAILED {p.warc}@{p.offset} sha256 {p.sha256}: {p.reason}")
    click.echo(f"{n} records checked in {folder}: {n - len(problems)} ok, {len(problems)} failed")
    if problems:
        sys.exit(1)


@evidence.command()
@db_option
@config_option
@now_option
@wait_option
def prune(db_path: Path, config_path: Path | None, wait: float) -> None:
    """Apply the retention policy (configuration `evidence:`): keep the evidence of open and
    waived findings, of findings resolved in the last `resolved_days`, and captures of the last
    `unlinked_days`; drop the rest and rewrite the WARC files. Never during a run."""
    from zwgk import evidence as ev

    db, folder, opts, _raw = _open(db_path, config_path)
    with results_lock(existing(db_path), "zwgk evidence prune", wait):
        res = ev.prune(db, folder, opts)
    click.echo(
        f"pruned: {res.captures_deleted} captures, {res.records_deleted} records; "
        f"{res.files_rewritten} files rewritten, {res.files_deleted} deleted; "
        f"{res.kept_records} records kept; archive {res.bytes_before} -> {res.bytes_after} bytes"
    )
