"""The store's content without ids and timestamps, table by table, for comparing two crawls."""

from __future__ import annotations

import sqlite3
from pathlib import Path

ROLE = "(SELECT role FROM sites s WHERE s.site_id = c.site_id)"
QUERIES = {
    "sites": "SELECT unit_id, role, url, cms, site_id_code, catalog_sig, catalog_run_id FROM sites",
    "columns": f"SELECT unit_id, {ROLE}, url, name, catalog_path, category, category_source,"
    " section, is_home, etag, last_modified, last_run_id FROM columns c",
    "items": f"SELECT c.unit_id, {ROLE}, c.url, i.url, i.title, i.pub_date, i.date_source,"
    " i.index_no, i.doc_no, i.publisher, i.written_date, i.meta_pub_date, i.detail_fetched,"
    " i.first_run_id, i.last_run_id FROM items i JOIN columns c USING (column_id)",
    "column_runs": f"SELECT cr.run_id, c.unit_id, {ROLE}, c.url, cr.status, cr.pages,"
    " cr.items_seen, cr.new_items, cr.error FROM column_runs cr JOIN columns c USING (column_id)",
    "sections": "SELECT x.run_id, s.unit_id, s.role, x.section, x.name, x.url, x.status, x.ok"
    " FROM sections x JOIN sites s USING (site_id)",
    "site_runs": "SELECT r.run_id, s.unit_id, s.role, r.status, r.block, r.error, r.pages,"
    " r.failures FROM site_runs r JOIN sites s USING (site_id)",
    "pages": "SELECT p.run_id, s.unit_id, s.role, p.url, p.kind, p.status, p.bytes, p.error,"
    " p.block FROM pages p JOIN sites s USING (site_id)",
    "runs": "SELECT run_id, kind, status, exit_code, pages_fetched, failures FROM runs",
}


def content(db: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db)
    try:
        return {name: sorted(conn.execute(q).fetchall(), key=repr) for name, q in QUERIES.items()}
    finally:
        conn.close()


def differences(a: Path, b: Path, show: int = 3) -> dict[str, str]:
    """Tables whose content differs, each with a few rows found on one side only."""
    ca, cb = content(a), content(b)
    out = {}
    for name in QUERIES:
        if ca[name] != cb[name]:
            sa, sb = set(ca[name]), set(cb[name])
            out[name] = (
                f"{len(ca[name])} vs {len(cb[name])} rows; only in {a.name}: "
                f"{sorted(sa - sb, key=repr)[:show]}; only in {b.name}: "
                f"{sorted(sb - sa, key=repr)[:show]}"
            )
    return out
