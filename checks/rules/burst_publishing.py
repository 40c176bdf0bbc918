"""burst-publishing 突击发布.

What:
    In a column crawled now (news, notice or periodic), a cluster of >= `min_items` items dated
    within `cluster_days` days (first to last date at most cluster_days - 1 apart) right after a
    silence of at least min(the column's stale-column window, `silence_days`) since the previous
    dated item. Evidence: each cluster's dates and counts and the silence before it (newest first).
    A column's first items ever (no earlier dated item) are not a burst. A portal catalog copy
    of an assessed platform column (checks.mirrors) is judged as that column: a burst on both is
    one finding on the platform column naming the copy (`portal_copies`); a copy that alone
    shows a cluster is catching up late, which catalog-mismatch reports.
Why:
    栏目长期不更新后集中补发，属于“突击更新、应付检查”（国办秘函〔2019〕19号 要求栏目持续、
    及时更新；国办发〔2015〕15号 普查中对此类情况予以通报）。
How to fix:
    Publish information when it is produced, continuously; do not back-fill a column just before
    an inspection. Explain genuine batch releases in the column.
Options:
    min_items: items in one cluster that make a burst (3).
    cluster_days: calendar days a cluster may span (3: dates d, d+1, d+2).
    silence_days: upper bound of the silence before the cluster, in days (30); the column's
        category window (stale-column news/notice/periodic_window_days) applies when shorter.
"""

from __future__ import annotations

import json

from checks.context import Context
from checks.mirrors import fold_copies
from checks.registry import Hit, Rule, register
from checks.text import column_label, zh_date

MAX_CLUSTERS = 5


@register
class BurstPublishing(Rule):
    code = "burst-publishing"
    title_zh = "突击发布"
    title_en = "Burst publishing after silence"
    severity = "warn"
    scope = "column"
    regulation = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》"
    fix = "信息应在形成后及时、持续发布，不得长期停更后集中突击补发。"
    message = "{label}在{silence}天未更新后，于{start}至{end}集中发布{count}条信息（突击发布嫌疑）"

    def evaluate(self, ctx: Context) -> list[Hit]:
        opts = ctx.opts_table(self.code)
        ex = ctx.db.execute
        ex("DROP TABLE IF EXISTS temp.zc_burst_cols")
        ex(
            "CREATE TEMP TABLE zc_burst_cols (column_id INTEGER PRIMARY KEY, unit_id TEXT,"
            " site_id INT, silence INT, span INT, min_items INT)"
        )
        rows = []
        for r in ctx.query(
            f"""SELECT a.column_id, a.unit_id, a.site_id, a.category, o.silence_days,
                       o.cluster_days, o.min_items
                FROM zc_assessed_columns a JOIN {opts} o ON o.unit_id = a.unit_id
                WHERE a.is_home = 0 AND a.category IN ('news', 'notice', 'periodic')"""
        ):
            window = ctx.options("stale-column", r["unit_id"])[f"{r['category']}_window_days"]
            rows.append(
                (
                    r["column_id"],
                    r["unit_id"],
                    r["site_id"],
                    min(window, r["silence_days"]),
                    r["cluster_days"],
                    r["min_items"],
                )
            )
        ctx.db.conn.executemany("INSERT INTO zc_burst_cols VALUES (?, ?, ?, ?, ?, ?)", rows)
        ex("DROP TABLE IF EXISTS temp.zc_burst_days")
        ex(
            """CREATE TEMP TABLE zc_burst_days AS
               SELECT i.column_id, i.pub_date, count(*) AS n FROM items i
               WHERE i.column_id IN (SELECT column_id FROM zc_burst_cols)
                 AND i.pub_date IS NOT NULL
               GROUP BY i.column_id, i.pub_date"""
        )
        ex("CREATE UNIQUE INDEX temp.zc_burst_days_pk ON zc_burst_days (column_id, pub_date)")
        clusters = ctx.query(
            """
            WITH gaps AS (
              SELECT d.column_id, d.pub_date,
                     lag(d.pub_date) OVER (PARTITION BY d.column_id ORDER BY d.pub_date) AS prev
              FROM zc_burst_days d
            ),
            starts AS (
              SELECT g.*, c.span, c.min_items, c.silence, c.unit_id, c.site_id,
                     CAST(julianday(g.pub_date) - julianday(g.prev) AS INTEGER) AS gap
              FROM gaps g JOIN zc_burst_cols c ON c.column_id = g.column_id
              WHERE g.prev IS NOT NULL
                AND julianday(g.pub_date) - julianday(g.prev) >= c.silence
            )
            SELECT s.column_id, s.unit_id, s.site_id,
                   (SELECT name FROM columns k WHERE k.column_id = s.column_id) AS name,
                   s.pub_date AS start, s.prev, s.gap,
                   s.silence, sum(d.n) AS count, max(d.pub_date) AS end,
                   json_group_array(json_object('date', d.pub_date, 'items', d.n)) AS days
            FROM starts s JOIN zc_burst_days d ON d.column_id = s.column_id
              AND d.pub_date >= s.pub_date
              AND julianday(d.pub_date) - julianday(s.pub_date) < s.span
            GROUP BY s.column_id, s.pub_date
            HAVING sum(d.n) >= s.min_items
            ORDER BY s.column_id, s.pub_date DESC
            """
        )
        per_column: dict[int, list[dict]] = {}
        for c in clusters:
            per_column.setdefault(c["column_id"], []).append(c)
        hits = []
        for column_id, found in per_column.items():
            latest = found[0]
            hits.append(
                Hit(
                    unit_id=latest["unit_id"],
                    site_id=latest["site_id"],
                    column_id=column_id,
                    summary=self.render(
                        label=column_label(latest["name"]),
                        silence=latest["gap"],
                        start=zh_date(latest["start"]),
                        end=zh_date(latest["end"]),
                        count=latest["count"],
                    ),
                    evidence={
                        "clusters": [
                            {
                                "start": c["start"],
                                "end": c["end"],
                                "items": c["count"],
                                "previous_item_date": c["prev"],
                                "silence_days": c["gap"],
                                "dates": json.loads(c["days"]),
                            }
                            for c in found[:MAX_CLUSTERS]
                        ],
                        "cluster_count": len(found),
                        "required_silence_days": latest["silence"],
                    },
                )
            )
        # A portal copy repeats its platform column's pattern: one finding, on the platform
        # column (a copy that alone shows it is catching up late: catalog-mismatch's).
        return fold_copies(ctx, hits, keep=("cluster_count",))
