"""`zwgk columns`: what the spiders saw, one object per column (contract.md)."""

from __future__ import annotations

import sqlite_utils

COLUMNS_SQL = """
WITH last_run AS (
    -- the latest run that crawled (a run killed before crawling must not unassess everything)
    SELECT max(run_id) AS run_id FROM site_runs
),
stats AS (
    SELECT column_id, count(*) AS items, max(pub_date) AS newest_date
    FROM items GROUP BY column_id
)
SELECT s.unit_id AS unit, s.url AS site, c.url AS column_url, c.name AS column_name,
       c.catalog_path, c.category, coalesce(st.items, 0) AS items, st.newest_date,
       cr.status AS last_status, cr.error AS last_error
FROM columns c
JOIN sites s ON s.site_id = c.site_id
LEFT JOIN stats st ON st.column_id = c.column_id
LEFT JOIN column_runs cr ON cr.column_id = c.column_id
     AND cr.run_id = (SELECT run_id FROM last_run)
WHERE c.is_home = 0 AND c.origin != 'link'
ORDER BY s.unit_id, s.role, c.catalog_path, c.url
"""


def columns_json(db: sqlite_utils.Database) -> list[dict]:
    out = []
    for row in db.query(COLUMNS_SQL):
        status = row.pop("last_status")
        row["assessed"] = status in ("ok", "placeholder", "capped")
        # Beyond the contract's keys: why a column is not assessed, or was capped.
        row["status"] = status or "not-crawled"
        row["reason"] = row.pop("last_error")
        # Cut short on purpose (page limit, work caps) or by pages that could not be read.
        row["partial"] = row["reason"] if status in ("capped", "partial") else None
        out.append(row)
    return out
