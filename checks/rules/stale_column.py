"""stale-column 栏目不更新.

What:
    A column whose newest dated item is older than its category's window: news 动态要闻 14 days,
    notice 通知公告/政策文件 183 days, periodic 应定期更新 365 days; static columns have no window.
    A column's freshness is the newest `pub_date` among all items it ever carried; dateless items
    do not count. Only columns crawled ok/placeholder in this run on an assessed site are judged.
    One finding per defect: a portal catalog copy of a platform column (checks.mirrors: matched
    by URL, catalog path or name) is judged as the platform column whenever that column was
    assessed in this run. Both stale: one finding, on the platform column, its evidence naming
    the copy (`portal_copies`: portal_name, portal_url, match, the copy's newest_item_date).
    Only the copy stale: the copy lags behind the platform, which catalog-mismatch reports (the
    items the portal lacks), not this rule. A copy of a platform column that was not assessed
    is judged on its own.
    Site roll-ups (severity veto, no column): news + notice stale columns >= 5, or long-stale
    (periodic) columns >= 10 on one site, counting each column once per unit (a folded copy
    counts only as its platform column). Waived column findings do not count toward roll-ups.
Why:
    国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决指标“栏目不更新” (thresholds as
    in 国办发〔2015〕15号); each stale column is a deduction, the roll-ups are vetoes.
How to fix:
    Publish current information in the column, or, if the column is obsolete, remove it from
    the catalog or mark it historical (then configure its category as static).
Options:
    news_window_days: days a news column may go without a new item (14).
    notice_window_days: days for 通知公告/政策文件 columns (183, six months).
    periodic_window_days: days for 人事/规划计划/统计/财政 columns (365).
    site_veto_news_notice_columns: stale news + notice columns on one site that veto it (5).
    site_veto_periodic_columns: stale periodic (long-stale) columns on one site that veto it (10).
"""

from __future__ import annotations

from checks.context import Context
from checks.mirrors import fold_copies
from checks.registry import Hit, Rule, key_sql, register
from checks.text import CATEGORY_ZH, column_label, zh_date


@register
class StaleColumn(Rule):
    code = "stale-column"
    title_zh = "栏目不更新"
    title_en = "Column not updated"
    severity = "deduct"
    scope = "column"
    regulation = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》；国办发〔2015〕15号"
    fix = "及时更新栏目内容；确已停止更新的栏目应归档为历史栏目或从目录中撤除。"
    message = "{label}更新至{newest}，已{days}天未更新（要求{window}天内）"
    rollup_message = "{kind}栏目超过时限未更新{count}个（达到{threshold}个即单项否决）"

    def evaluate(self, ctx: Context) -> list[Hit]:
        opts = ctx.opts_table(self.code)
        rows = ctx.query(
            f"""
            WITH cols AS (
              SELECT a.column_id, a.site_id, a.unit_id, a.category,
                     CASE a.category WHEN 'news' THEN o.news_window_days
                                     WHEN 'notice' THEN o.notice_window_days
                                     WHEN 'periodic' THEN o.periodic_window_days END AS window
              FROM zc_assessed_columns a JOIN {opts} o ON o.unit_id = a.unit_id
              WHERE a.is_home = 0 AND a.category IN ('news', 'notice', 'periodic')
            ),
            newest AS (
              SELECT i.column_id, max(i.pub_date) AS newest FROM items i
              WHERE i.column_id IN (SELECT column_id FROM cols) AND i.pub_date IS NOT NULL
              GROUP BY i.column_id
            )
            SELECT c.*, n.newest, c2.name, c2.url,
                   CAST(julianday(:today) - julianday(n.newest) AS INTEGER) AS days,
                   f.status AS prior_status
            FROM cols c JOIN newest n ON n.column_id = c.column_id
            JOIN columns c2 ON c2.column_id = c.column_id
            LEFT JOIN findings f ON f.key = {key_sql(self.code, "c.unit_id", "c.site_id", "c.column_id")}
            WHERE julianday(:today) - julianday(n.newest) > c.window
            """,
            {"today": ctx.today_iso},
        )
        hits = []
        waived = set()
        for r in rows:
            if r["prior_status"] == "waived":
                waived.add(r["column_id"])
            hits.append(
                Hit(
                    unit_id=r["unit_id"],
                    site_id=r["site_id"],
                    column_id=r["column_id"],
                    summary=self.render(
                        label=column_label(r["name"]),
                        newest=zh_date(r["newest"]),
                        days=r["days"],
                        window=r["window"],
                    ),
                    evidence={
                        "newest_item_date": r["newest"],
                        "window_days": r["window"],
                        "days_since_update": r["days"],
                        "category": r["category"],
                        "column_url": r["url"],
                    },
                )
            )
        # A portal copy of a platform column is judged once, as the platform column; the
        # roll-ups below count what is left, so each column counts once per unit.
        hits = fold_copies(ctx, hits, keep=("newest_item_date",))
        counts: dict[tuple[str, int], dict[str, list[str]]] = {}
        for h in hits:
            if h.column_id in waived:
                continue
            group = "periodic" if h.evidence["category"] == "periodic" else "news_notice"
            counts.setdefault((h.unit_id, h.site_id), {}).setdefault(group, []).append(
                h.evidence["column_url"]
            )
        hits += self._rollups(ctx, counts)
        return hits

    def _rollups(self, ctx: Context, counts: dict) -> list[Hit]:
        hits = []
        for (unit, site), groups in sorted(counts.items()):
            o = ctx.options(self.code, unit)
            for group, threshold, kind in (
                (
                    "news_notice",
                    o["site_veto_news_notice_columns"],
                    f"{CATEGORY_ZH['news']}和{CATEGORY_ZH['notice']}",
                ),
                ("periodic", o["site_veto_periodic_columns"], CATEGORY_ZH["periodic"]),
            ):
                ids = groups.get(group, [])
                if len(ids) >= threshold:
                    hits.append(
                        Hit(
                            unit_id=unit,
                            site_id=site,
                            subkey=f"site-veto-{group}",
                            severity="veto",
                            summary=self.rollup_message.format(
                                kind=kind, count=len(ids), threshold=threshold
                            ),
                            evidence={
                                "stale_columns": len(ids),
                                "threshold": threshold,
                                "group": group,
                                "column_urls": sorted(ids)[:50],
                            },
                        )
                    )
        return hits
