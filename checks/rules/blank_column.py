"""blank-column 空白栏目 (开天窗).

What:
    A column crawled ok or placeholder in this run that has never carried an item in any crawl
    (no stored item, no crawl that saw one). A placeholder page (暂无信息, 本栏目暂无内容) is blank.
    A column that had items and lost them is not blank (content removed is another matter).
    Catalog nodes that only hold sub-columns, and the home page pseudo-column, are not judged.
    One finding per defect: a portal catalog copy of a platform column (checks.mirrors) is
    judged as the platform column whenever that column was assessed in this run. Both blank:
    one finding, on the platform column, naming the copy (`portal_copies`: portal_name,
    portal_url, match, the copy's crawl_status). A blank copy of a platform column with items
    shows the public nothing of them: catalog-mismatch reports it (every platform item missing
    on the portal), not this rule.
    Site roll-up (severity veto, no column): blank columns >= site_veto_columns on one site,
    counting each column once per unit. Waived column findings do not count toward it.
Why:
    国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决指标“栏目不更新”之空白栏目
    (“开天窗”)，超过（含）5个即否决。
How to fix:
    Publish the column's content, or remove the empty column from the catalog and navigation.
Options:
    site_veto_columns: blank columns on one site that veto the site (5).
"""

from __future__ import annotations

from checks.context import Context
from checks.mirrors import fold_copies
from checks.registry import Hit, Rule, key_sql, register
from checks.text import column_label


@register
class BlankColumn(Rule):
    code = "blank-column"
    title_zh = "空白栏目"
    title_en = "Blank column"
    severity = "deduct"
    scope = "column"
    regulation = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》"
    fix = "为空白栏目补充应公开的信息；无内容可发布的栏目应予撤并，不得“开天窗”。"
    message = "{label}为空白栏目（{state}），从未发布过信息"
    site_rollup_veto = True
    rollup_message = "站点空白栏目{count}个（达到{threshold}个即单项否决）"

    def evaluate(self, ctx: Context) -> list[Hit]:
        opts = ctx.opts_table(self.code)
        rows = ctx.query(
            f"""
            SELECT a.column_id, a.site_id, a.unit_id, a.status, c.name, c.url, c.catalog_path,
                   f.status AS prior_status
            FROM zc_assessed_columns a
            JOIN {opts} o ON o.unit_id = a.unit_id
            JOIN columns c ON c.column_id = a.column_id
            LEFT JOIN findings f ON f.key = {key_sql(self.code, "a.unit_id", "a.site_id", "a.column_id")}
            WHERE a.is_home = 0
              AND NOT EXISTS (SELECT 1 FROM items i WHERE i.column_id = a.column_id)
              AND NOT EXISTS (SELECT 1 FROM column_runs r
                              WHERE r.column_id = a.column_id AND r.items_seen > 0)
              AND NOT (c.catalog_path != '' AND EXISTS (
                    SELECT 1 FROM columns k WHERE k.site_id = c.site_id
                    AND k.column_id != c.column_id
                    AND substr(k.catalog_path, 1, length(c.catalog_path) + 1) = c.catalog_path || '/'))
            """
        )
        hits = []
        waived = set()
        for r in rows:
            if r["prior_status"] == "waived":
                waived.add(r["column_id"])
            state = "显示暂无信息" if r["status"] == "placeholder" else "列表无内容"
            hits.append(
                Hit(
                    unit_id=r["unit_id"],
                    site_id=r["site_id"],
                    column_id=r["column_id"],
                    summary=self.render(label=column_label(r["name"]), state=state),
                    evidence={
                        "column_url": r["url"],
                        "crawl_status": r["status"],
                        "items_ever": 0,
                        "catalog_path": r["catalog_path"],
                    },
                )
            )
        # A portal copy of a platform column is judged once, as the platform column (a blank
        # copy of a column with items is catalog-mismatch's); the roll-up counts what is left.
        hits = fold_copies(ctx, hits, keep=("crawl_status",))
        per_site: dict[tuple[str, int], list[str]] = {}
        for h in hits:
            if h.column_id not in waived:
                per_site.setdefault((h.unit_id, h.site_id), []).append(h.evidence["column_url"])
        for (unit, site), urls in sorted(per_site.items()):
            threshold = ctx.options(self.code, unit)["site_veto_columns"]
            if len(urls) >= threshold:
                hits.append(
                    Hit(
                        unit_id=unit,
                        site_id=site,
                        subkey="site-veto",
                        severity="veto",
                        summary=self.rollup_message.format(count=len(urls), threshold=threshold),
                        evidence={
                            "blank_columns": len(urls),
                            "threshold": threshold,
                            "column_urls": sorted(urls)[:50],
                        },
                    )
                )
        return hits
