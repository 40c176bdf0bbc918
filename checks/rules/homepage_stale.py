"""homepage-stale 首页不更新.

What:
    The home page pseudo-column (`columns.is_home = 1`), crawled in this run, has no dated item
    newer than `window_days`. A navigation-only home page (no dated item at all) is judged by
    its second-level pages instead: the newest item among the site's columns assessed now.
    A site whose home page was not crawled in this run is not judged.
Why:
    国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决指标“网站不更新”：
    首页栏目信息更新时间距监测时间点超过2周 → 单项否决。
How to fix:
    Publish current information on the home page (dynamic news, notices) at least every two
    weeks; make sure the home page lists dated items.
Options:
    window_days: days the home page may go without a new dated item (14).
"""

from __future__ import annotations

from checks.context import Context
from checks.registry import Hit, Rule, register
from checks.text import zh_date


@register
class HomepageStale(Rule):
    code = "homepage-stale"
    title_zh = "首页不更新"
    title_en = "Home page not updated"
    severity = "veto"
    scope = "site"
    regulation = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》"
    fix = "首页应及时更新，动态要闻等信息至少每2周更新一次。"
    message = "{where}最新信息发布于{newest}，已{days}天未更新（要求{window}天内）"

    def evaluate(self, ctx: Context) -> list[Hit]:
        opts = ctx.opts_table(self.code)
        rows = ctx.query(
            f"""
            WITH home AS (
              SELECT a.column_id, a.site_id, a.unit_id, o.window_days AS window,
                     (SELECT max(pub_date) FROM items i WHERE i.column_id = a.column_id
                      AND i.pub_date IS NOT NULL) AS home_newest
              FROM zc_assessed_columns a JOIN {opts} o ON o.unit_id = a.unit_id
              WHERE a.is_home = 1
            ),
            judged AS (
              SELECT h.*, coalesce(h.home_newest, (
                  SELECT max(i.pub_date) FROM zc_assessed_columns b JOIN items i
                    ON i.column_id = b.column_id
                  WHERE b.site_id = h.site_id AND b.is_home = 0 AND i.pub_date IS NOT NULL
                )) AS newest
              FROM home h
            )
            SELECT j.*, c.url AS home_url,
                   CAST(julianday(:today) - julianday(j.newest) AS INTEGER) AS days
            FROM judged j JOIN columns c ON c.column_id = j.column_id
            WHERE j.newest IS NOT NULL AND julianday(:today) - julianday(j.newest) > j.window
            """,
            {"today": ctx.today_iso},
        )
        hits = []
        for r in rows:
            basis = "home" if r["home_newest"] else "second-level"
            where = "首页" if basis == "home" else "首页（导航型，按二级页面判断）"
            hits.append(
                Hit(
                    unit_id=r["unit_id"],
                    site_id=r["site_id"],
                    summary=self.render(
                        where=where, newest=zh_date(r["newest"]), days=r["days"], window=r["window"]
                    ),
                    evidence={
                        "newest_item_date": r["newest"],
                        "window_days": r["window"],
                        "days_since_update": r["days"],
                        "basis": basis,
                        "home_url": r["home_url"],
                    },
                )
            )
        return hits
