"""The store: one SQLite file through sqlite-utils, WAL mode, migrated on open.

Writers: the crawl pipeline (one `scrapy crawl` process at a time), the checks runner and the
CLI. Readers: rules, reports, `zwgk findings` / `zwgk columns`. docs/schema.md has the tables.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sqlite_utils

from zwgk import clock, migrations
from zwgk.errors import ZwgkError
from zwgk.units import Unit, netloc


class StoreError(ZwgkError):
    """The database file cannot be opened or is not a zwgk store."""


def open_db(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate the store at `path`."""
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise StoreError(f"{path}: folder {path.parent} does not exist")
    try:
        conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
        db = sqlite_utils.Database(conn)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("PRAGMA busy_timeout=30000")
        migrations.apply(db)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not a usable SQLite store: {exc}") from None
    return db


def sync_units(db: sqlite_utils.Database, units: Iterable[Unit]) -> dict[tuple[str, str], int]:
    """Upsert units and their sites; returns {(unit_code, role): site_id}."""
    now = clock.iso()
    units = list(units)
    site_ids: dict[tuple[str, str], int] = {}
    with db.conn:
        marks = ",".join("?" * len(units))
        db.execute(f"UPDATE units SET active = (unit_id IN ({marks}))", [u.code for u in units])
        for u in units:
            db["units"].upsert(
                {
                    "unit_id": u.code,
                    "name": u.name,
                    "kind": u.kind,
                    "parent": u.parent,
                    "site_code": u.site_code,
                    "portal": u.portal,
                    "disclosure": u.disclosure,
                    "hosts": json.dumps(list(u.hosts)),
                    "updated_at": now,
                    "active": 1,
                },
                pk="unit_id",
            )
            for role, url in (("portal", u.portal), ("disclosure", u.disclosure)):
                if not url:
                    continue
                row = db.execute(
                    "SELECT site_id FROM sites WHERE unit_id = ? AND role = ?", [u.code, role]
                ).fetchone()
                if row:
                    db.execute(
                        "UPDATE sites SET url = ?, host = ?, last_seen_at = ? WHERE site_id = ?",
                        [url, netloc(url), now, row[0]],
                    )
                    site_ids[(u.code, role)] = row[0]
                else:
                    cur = db.execute(
                        "INSERT INTO sites (unit_id, role, url, host, first_seen_at, last_seen_at)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        [u.code, role, url, netloc(url), now, now],
                    )
                    site_ids[(u.code, role)] = cur.lastrowid
    return site_ids


def start_run(db: sqlite_utils.Database, kind: str = "run", units_total: int = 0) -> int:
    """Open a run. A run of the same kind still marked running was killed (power loss, SIGKILL):
    it is closed as such, and what it stored stays, since every write is an idempotent upsert."""
    now = clock.iso()
    db.execute(
        "UPDATE runs SET status = 'killed', finished_at = ?,"
        " error = coalesce(error, 'found unfinished when the next run started')"
        " WHERE kind = ? AND status = 'running'",
        [now, kind],
    )
    cur = db.execute(
        "INSERT INTO runs (kind, started_at, clock_at, units_total) VALUES (?, ?, ?, ?)",
        [kind, now, now, units_total],
    )
    return int(cur.lastrowid)


def page_counts(db: sqlite_utils.Database, run_id: int) -> tuple[int, int]:
    """(pages fetched, failed pages) of a run: an error, an HTTP error or a WAF challenge."""
    return db.execute(
        "SELECT count(*), coalesce(sum(error IS NOT NULL OR status >= 400 OR block IS NOT NULL), 0)"
        " FROM pages WHERE run_id = ?",
        [run_id],
    ).fetchone()


def finish_run(
    db: sqlite_utils.Database,
    run_id: int,
    status: str,
    exit_code: int | None = None,
    error: str | None = None,
    stats: dict[str, Any] | None = None,
) -> None:
    pages, failures = page_counts(db, run_id)
    db.execute(
        "UPDATE runs SET finished_at = ?, status = ?, exit_code = ?, error = ?, stats = ?,"
        " pages_fetched = ?, failures = ? WHERE run_id = ?",
        [
            clock.iso(),
            status,
            exit_code,
            error,
            json.dumps(stats or {}, ensure_ascii=False),
            pages,
            failures,
            run_id,
        ],
    )


def previous_run_id(db: sqlite_utils.Database, run_id: int) -> int | None:
    row = db.execute(
        "SELECT max(run_id) FROM runs WHERE kind = 'run' AND status = 'completed' AND run_id < ?",
        [run_id],
    ).fetchone()
    return row[0] if row else None


def loads(value: str | None) -> Any:
    return json.loads(value) if value else None


# Retention: observations only the latest of which any rule reads are pruned after each run's
# checks (zwgk/runner.py), so they stay bounded however many days a deployment runs.
# meta-missing reads each (site, page kind)'s latest reading: every run of the last day that
# kind was read (checks/rules/meta_missing.py READINGS_SQL). Rows of earlier days are never
# read again: a later run can only add a newer day.
PRUNE_PAGE_META_SQL = """
    WITH read AS (
      SELECT p.site_id, p.kind, p.run_id, substr(r.clock_at, 1, 10) AS day
      FROM page_meta p JOIN runs r ON r.run_id = p.run_id
      WHERE p.tag = '' AND p.state = 'checked' AND p.run_id <= :run
    ),
    latest AS (SELECT site_id, kind, max(day) AS day FROM read GROUP BY site_id, kind),
    old AS (
      SELECT DISTINCT r.site_id, r.kind, r.run_id FROM read r
      JOIN latest l ON l.site_id = r.site_id AND l.kind = r.kind
      WHERE r.day < l.day
    )
    DELETE FROM {table} WHERE (site_id, kind, run_id) IN (SELECT site_id, kind, run_id FROM old)
"""


# broken-link's off-site links: a site's refs of its latest link-checked run are all the rule
# and the next run's 304 carry (crawler/pipelines.py link_carry) read; a day's answers are
# needed while a kept ref points at them, and today's so that a URL is asked once a day.
PRUNE_OFFSITE_REFS_SQL = """
    DELETE FROM offsite_refs WHERE run_id < (
      SELECT max(c.run_id) FROM link_counts c
      WHERE c.site_id = offsite_refs.site_id AND c.run_id <= :run)
"""
PRUNE_OFFSITE_CHECKS_SQL = """
    DELETE FROM offsite_checks WHERE day < :today AND NOT EXISTS (
      SELECT 1 FROM offsite_refs r WHERE r.day = offsite_checks.day AND r.url = offsite_checks.url)
"""


def prune_observations(db: sqlite_utils.Database, run_id: int) -> dict[str, int]:
    """Delete what no rule will read again after run `run_id`: page_meta and page_site_codes
    rows of a (site, page kind) older than that kind's latest reading day; off-site link refs
    of a site's earlier runs and the answers no kept ref reads (today's stay). Returns the rows
    deleted per table. Runs after the run's checks, in one transaction."""
    deleted: dict[str, int] = {}
    params = {"run": run_id, "today": clock.today().isoformat()}
    statements = [
        # page_site_codes first: its old rows are found through page_meta's 'checked' rows.
        ("page_site_codes", PRUNE_PAGE_META_SQL.format(table="page_site_codes")),
        ("page_meta", PRUNE_PAGE_META_SQL.format(table="page_meta")),
        ("offsite_refs", PRUNE_OFFSITE_REFS_SQL),
        ("offsite_checks", PRUNE_OFFSITE_CHECKS_SQL),
    ]
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        for table, sql in statements:
            # (rowcount is not set for a statement opening with WITH: count the changes)
            before = db.conn.total_changes
            db.conn.execute(sql, params)
            deleted[table] = db.conn.total_changes - before
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")
    return deleted
