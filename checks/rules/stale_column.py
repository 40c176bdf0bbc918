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
    Custom windows: a column that `column_windows` names (data due monthly such as 社保参保情况,
    quarterly 新闻发布会) is judged by that window in place of its category's, whatever its
    category (static included); the evidence's `window_rule` says which window applied and why
    (the configured entry, or the category). An entry names columns by URL path (starts with
    `/`: a prefix of the list page's path), by catalog path (contains `/`: the end of the
    column's catalog path) or by name (contained in the column's name), compared after
    removing spaces, punctuation and 政府; the most specific kind wins.
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
    column_windows: column name, catalog path or URL path -> monthly (31 d), quarterly (92 d), half-yearly (183 d), yearly (366 d) or a number of days ({社保参保情况: monthly, 新闻发布会: quarterly}); a unit's own mapping replaces the global one.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from checks.context import Context
from checks.mirrors import fold_copies
from checks.registry import Hit, Rule, key_sql, register
from checks.text import CATEGORY_ZH, column_label, normalise_name, zh_date

#: Named periods for `column_windows` (days): a month of 31 days, a quarter of 92 (the longest
#: of each, so a column updated on the same day each period is never late).
PERIODS = {"monthly": 31, "quarterly": 92, "half-yearly": 183, "yearly": 366}
PERIOD_ZH = {"monthly": "每月", "quarterly": "每季度", "half-yearly": "每半年", "yearly": "每年"}


@dataclass(frozen=True, slots=True)
class WindowRule:
    key: str  # as configured
    how: str  # url | path | name
    parts: tuple[str, ...]  # normalised catalog path segments, or (normalised name,) / (path,)
    days: int
    text: str  # for evidence and summary: 按栏目“社保参保情况”每月更新的要求（31天）


def compile_windows(raw: dict[str, str | int]) -> list[WindowRule]:
    """`column_windows` entries, most specific kind first (URL path, catalog path, name), each
    kind in the configured order: the first that matches a column decides its window."""
    out = []
    for key, period in raw.items():
        days = PERIODS[period] if isinstance(period, str) else int(period)
        label = PERIOD_ZH[period] if isinstance(period, str) else f"每{days}天"
        if key.startswith("/"):
            how, parts = "url", (key,)
        elif "/" in key:
            how = "path"
            parts = tuple(normalise_name(p) for p in key.split("/") if p.strip())
        else:
            how, parts = "name", (normalise_name(key),)
        where = {"url": "路径", "path": "目录位置", "name": "栏目"}[how]
        out.append(WindowRule(key, how, parts, days, f"按{where}“{key}”{label}更新的要求"))
    order = {"url": 0, "path": 1, "name": 2}
    return sorted(out, key=lambda w: order[w.how])


def match_window(
    rules: list[WindowRule], name: str | None, catalog_path: str | None, url: str | None
) -> tuple[int, str] | None:
    """(days, why) of the first rule naming this column: a URL path prefix, the end of its
    catalog path, or a name containing the configured one (after normalisation)."""
    if not rules:
        return None
    path: str | None = None
    segs: tuple[str, ...] | None = None
    nn = normalise_name(name)
    for w in rules:  # each form of the column is worked out only when an entry needs it
        if w.how == "url":
            path = urlsplit(url or "").path if path is None else path
            if path.startswith(w.parts[0]):
                return w.days, w.text
        elif w.how == "path":
            if segs is None:
                segs = tuple(
                    normalise_name(p) for p in (catalog_path or "").split("/") if p.strip()
                )
            if segs[-len(w.parts) :] == w.parts:
                return w.days, w.text
        elif w.parts[0] and w.parts[0] in nn:
            return w.days, w.text
    return None


@register
class StaleColumn(Rule):
    code = "stale-column"
    title_zh = "栏目不更新"
    title_en = "Column not updated"
    severity = "deduct"
    scope = "column"
    regulation = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》；国办发〔2015〕15号"
    fix = "及时更新栏目内容；确已停止更新的栏目应归档为历史栏目或从目录中撤除。"
    message = "{label}更新至{newest}，已{days}天未更新（要求{window}）"
    site_rollup_veto = True
    rollup_message = "{kind}栏目超过时限未更新{count}个（达到{threshold}个即单项否决）"

    def evaluate(self, ctx: Context) -> list[Hit]:
        opts = ctx.opts_table(self.code)
        windows = self._column_windows(ctx)
        rows = ctx.query(
            f"""
            WITH cols AS (
              SELECT a.column_id, a.site_id, a.unit_id, a.category, w.rule AS window_rule,
                     coalesce(w.window,
                       CASE a.category WHEN 'news' THEN o.news_window_days
                                       WHEN 'notice' THEN o.notice_window_days
                                       WHEN 'periodic' THEN o.periodic_window_days END) AS window
              FROM zc_assessed_columns a JOIN {opts} o ON o.unit_id = a.unit_id
              LEFT JOIN {windows} w ON w.column_id = a.column_id
              WHERE a.is_home = 0
                AND (a.category IN ('news', 'notice', 'periodic') OR w.column_id IS NOT NULL)
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
            evidence = {
                "newest_item_date": r["newest"],
                "window_days": r["window"],
                "days_since_update": r["days"],
                "category": r["category"],
                "column_url": r["url"],
            }
            window = f"{r['window']}天内"
            if r["window_rule"]:
                # a configured window replaces the category's: say which and why
                evidence["window_rule"] = r["window_rule"]
                window += f"，{r['window_rule']}"
            else:
                evidence["window_rule"] = (
                    f"栏目类别：{CATEGORY_ZH.get(r['category'], r['category'])}"
                )
            hits.append(
                Hit(
                    unit_id=r["unit_id"],
                    site_id=r["site_id"],
                    column_id=r["column_id"],
                    summary=self.render(
                        label=column_label(r["name"]),
                        newest=zh_date(r["newest"]),
                        days=r["days"],
                        window=window,
                    ),
                    evidence=evidence,
                )
            )
        # A portal copy of a platform column is judged once, as the platform column; the
        # roll-ups below count what is left, so each column counts once per unit.
        hits = fold_copies(ctx, hits, keep=("newest_item_date",))
        counts: dict[tuple[str, int], dict[str, list[str]]] = {}
        for h in hits:
            if h.column_id in waived:
                continue
            # a column judged by a configured window counts with its category; one outside
            # the news/notice categories counts as long-stale (periodic)
            group = "news_notice" if h.evidence["category"] in ("news", "notice") else "periodic"
            counts.setdefault((h.unit_id, h.site_id), {}).setdefault(group, []).append(
                h.evidence["column_url"]
            )
        hits += self._rollups(ctx, counts)
        return hits

    def _column_windows(self, ctx: Context) -> str:
        """Temp table (column_id, window, rule) of assessed columns a configured
        `column_windows` entry names (by URL path, catalog path or name): their window replaces
        the category's. Matched in Python: the entries are configuration, the names scraped."""
        name = "zc_stale_windows"
        ctx.db.execute(f"DROP TABLE IF EXISTS temp.{name}")
        ctx.db.execute(
            f"CREATE TEMP TABLE {name} (column_id INTEGER PRIMARY KEY, window INT, rule TEXT)"
        )
        by_unit = {
            u.code: compile_windows(ctx.options(self.code, u.code)["column_windows"])
            for u in ctx.units
            if ctx.config.enabled(self.code, u.code)
        }
        if not any(by_unit.values()):
            return name
        rows = []
        for r in ctx.query(
            """SELECT a.column_id, a.unit_id, c.name, c.catalog_path, c.url
               FROM zc_assessed_columns a JOIN columns c ON c.column_id = a.column_id
               WHERE a.is_home = 0"""
        ):
            found = match_window(
                by_unit.get(r["unit_id"]) or [], r["name"], r["catalog_path"], r["url"]
            )
            if found:
                rows.append((r["column_id"], found[0], found[1]))
        ctx.db.conn.executemany(f"INSERT INTO {name} VALUES (?, ?, ?)", rows)
        return name

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
