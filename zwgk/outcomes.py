"""Each site's outcome for a run, derived from what the crawl stored (not from spider memory),
so single-process and distributed crawls are judged the same way.

blocked: the home page (portal) or catalog root (platform) was a WAF challenge; down: it never
answered; error: it answered with an HTTP error or an unreadable page (a redirect loop, an
empty or binary body); partial: read, but some columns failed; ok.
"""

from __future__ import annotations

import sqlite_utils

from zwgk import clock

OUTCOMES_SQL = """
WITH roots AS (
    SELECT p.site_id,
           max(p.block IS NOT NULL) AS blocked, max(p.block) AS block,
           max(p.status IS NULL AND p.error IS NOT NULL) AS down,
           max(p.status >= 400 AND p.block IS NULL) AS http_error,
           max(p.status BETWEEN 200 AND 399 AND p.block IS NULL AND p.error IS NULL) AS answered,
           max(p.error LIKE 'parser error%') AS parse_failed,
           max(coalesce(p.error, CASE WHEN p.status >= 400 THEN 'HTTP ' || p.status || ' at ' || p.url END)) AS error
    FROM pages p JOIN sites s ON s.site_id = p.site_id
    WHERE p.run_id = :run AND (
        (s.role = 'portal' AND p.kind = 'home') OR (s.role = 'disclosure' AND p.kind = 'root'))
    GROUP BY p.site_id
),
counts AS (
    SELECT site_id, count(*) AS pages,
           sum(error IS NOT NULL OR status >= 400 OR block IS NOT NULL) AS failures
    FROM pages WHERE run_id = :run GROUP BY site_id
),
failed_columns AS (
    SELECT c.site_id, count(*) AS n FROM column_runs cr JOIN columns c USING (column_id)
    WHERE cr.run_id = :run AND cr.status IN ('blocked', 'failed', 'partial') GROUP BY c.site_id
)
SELECT s.site_id,
       CASE WHEN r.site_id IS NULL OR r.parse_failed THEN 'error'
            WHEN r.answered THEN CASE WHEN coalesce(f.n, 0) > 0 THEN 'partial' ELSE 'ok' END
            WHEN r.blocked THEN 'blocked'
            WHEN r.down THEN 'down'
            ELSE 'error' END AS status,
       CASE WHEN r.answered THEN NULL ELSE r.block END AS block,
       CASE WHEN r.site_id IS NULL THEN 'the crawl never reached this site'
            WHEN r.answered AND NOT r.parse_failed THEN NULL ELSE r.error END AS error,
       coalesce(c.pages, 0) AS pages, coalesce(c.failures, 0) AS failures
FROM sites s
JOIN units u ON u.unit_id = s.unit_id
LEFT JOIN roots r ON r.site_id = s.site_id
LEFT JOIN counts c ON c.site_id = s.site_id
LEFT JOIN failed_columns f ON f.site_id = s.site_id
WHERE (s.role = 'portal' AND s.url = u.portal) OR (s.role = 'disclosure' AND s.url = u.disclosure)
"""


def record_site_outcomes(db: sqlite_utils.Database, run_id: int) -> dict[str, int]:
    """Write `site_runs` for the run; returns counts by status."""
    now = clock.iso()
    rows = list(db.query(OUTCOMES_SQL, {"run": run_id}))
    with db.conn:
        db.conn.executemany(
            "INSERT OR REPLACE INTO site_runs (run_id, site_id, status, block, error, pages,"
            " failures, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    run_id,
                    r["site_id"],
                    r["status"],
                    r["block"],
                    r["error"],
                    r["pages"],
                    r["failures"],
                    now,
                )
                for r in rows
            ],
        )
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    return counts
