"""annual-report-missing 年报未按时发布.

What:
    After the deadline (department / institution: 31 January; city / county / township
    government: 31 March), the unit's annual-report column(s) crawled in this run (section
    annual, or a name with 年报 / 年度报告) carry no item for the previous year: no title that
    names that year (2025 or 二〇二五) and no undated-title item published since 1 January.
    Not judged before the deadline, nor when no annual-report column was crawled in this run
    (a platform without the section gets missing-required-section instead).
Why:
    《政府信息公开条例》（国务院令第711号）第四十九条、第五十条: departments report to their
    government's disclosure office by 31 January, governments publish by 31 March.
How to fix:
    Publish the previous year's 政府信息公开工作年度报告 in the 年报 section.
Options:
    department_deadline: MM-DD after which departments and institutions are late (01-31).
    government_deadline: MM-DD after which city, county and township governments are late (03-31).
"""

from __future__ import annotations

import json
from datetime import date

from checks.context import Context
from checks.registry import Hit, Rule, register
from checks.text import zh_date

CN_DIGITS = "〇一二三四五六七八九"


def year_zh(year: int) -> str:
    return "".join(CN_DIGITS[int(d)] for d in str(year))


@register
class AnnualReportMissing(Rule):
    code = "annual-report-missing"
    title_zh = "年报未按时发布"
    title_en = "Annual report not published on time"
    severity = "deduct"
    scope = "site"
    regulation = "《政府信息公开条例》（国务院令第711号）第四十九条、第五十条"
    fix = "按时在“政府信息公开年报”栏目发布上一年度政府信息公开工作年度报告。"
    message = "截至{today}，未发布{year}年度政府信息公开工作年度报告（应于{deadline}前发布）"

    def evaluate(self, ctx: Context) -> list[Hit]:
        opts = ctx.opts_table(self.code)
        today = ctx.today
        year = today.year - 1
        due: list[tuple[str, str]] = []
        for r in ctx.query(
            f"SELECT unit_id, kind, department_deadline, government_deadline FROM {opts}"
        ):
            gov = r["kind"] in ("city", "county", "township")
            mm, dd = (r["government_deadline"] if gov else r["department_deadline"]).split("-")
            deadline = date(today.year, int(mm), int(dd))
            if today > deadline:
                due.append((r["unit_id"], deadline.isoformat()))
        if not due:
            return []
        ctx.db.execute("DROP TABLE IF EXISTS temp.zc_annual_due")
        ctx.db.execute("CREATE TEMP TABLE zc_annual_due (unit_id TEXT PRIMARY KEY, deadline TEXT)")
        ctx.db.conn.executemany("INSERT INTO zc_annual_due VALUES (?, ?)", due)
        rows = ctx.query(
            """
            WITH annual AS (
              SELECT a.column_id, a.unit_id, c.url FROM zc_assessed_columns a
              JOIN columns c USING (column_id)
              WHERE a.unit_id IN (SELECT unit_id FROM zc_annual_due) AND a.is_home = 0
                AND (c.section = 'annual' OR instr(c.name, '年报') OR instr(c.name, '年度报告'))
            )
            SELECT d.unit_id, d.deadline,
                   (SELECT site_id FROM zc_assessed_sites s WHERE s.unit_id = d.unit_id
                    ORDER BY s.role = 'disclosure' DESC LIMIT 1) AS site_id,
                   json_group_array(DISTINCT an.url) AS columns,
                   (SELECT count(*) FROM items i WHERE i.column_id IN
                      (SELECT column_id FROM annual x WHERE x.unit_id = d.unit_id)) AS items,
                   max(EXISTS (SELECT 1 FROM items i WHERE i.column_id = an.column_id AND (
                         instr(i.title, :y) OR instr(i.title, :yzh)
                         OR instr(i.title, replace(:yzh, '〇', '○'))
                         OR (i.title NOT GLOB '*[12][0-9][0-9][0-9]*'
                             AND i.pub_date >= :jan1)))) AS found
            FROM zc_annual_due d JOIN annual an ON an.unit_id = d.unit_id
            GROUP BY d.unit_id
            """,
            {"y": str(year), "yzh": year_zh(year), "jan1": f"{today.year}-01-01"},
        )
        hits = []
        for r in rows:
            if r["found"] or r["site_id"] is None:
                continue
            hits.append(
                Hit(
                    unit_id=r["unit_id"],
                    site_id=r["site_id"],
                    subkey=str(year),
                    summary=self.render(
                        today=zh_date(today), year=year, deadline=zh_date(r["deadline"])
                    ),
                    evidence={
                        "report_year": year,
                        "deadline": r["deadline"],
                        "annual_columns": json.loads(r["columns"]),
                        "items_in_annual_columns": r["items"],
                    },
                )
            )
        return hits
