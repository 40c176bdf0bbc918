"""crawl-failed 采集失败（未能检查）.

What:
    A site of a unit in this run that the spider could not assess: blocked by a WAF challenge
    (`site_runs.block` names it, e.g. a 412 `$_ts` page or a 521 cookie script), down, crawled
    with an error, or never attempted → one site finding. A column that failed, was blocked
    or was read only in part (a later list page failed, a pager could not be read) while its site was otherwise crawled (ok / partial) → one column finding. Nothing else fires
    on what was not assessed: no blank, stale or section finding rests on pages never seen.
Why:
    政府网站监测须如实反映检查范围（国办秘函〔2019〕19号）：未能检查的站点和栏目应告知监管人员，
    以便人工复核，而不是误判为空白或不更新。
How to fix:
    Allow the monitor's crawler through the site's protection (whitelist its address or user
    agent), restore the site or column, then re-run the check.
Options:
    report_columns: also report single columns that failed on an otherwise crawled site (true).
"""

from __future__ import annotations

from checks.context import Context
from checks.registry import Hit, Rule, register
from checks.text import column_label

SITE_ROLE_ZH = {"portal": "门户网站", "disclosure": "政府信息公开平台"}


def reason_zh(status: str | None, block: str | None, error: str | None) -> str:
    if status == "blocked":
        return f"被访问防护拦截：{block or '未知防护'}"
    if status == "down":
        return "站点无法连接" + (f"：{error}" if error else "")
    if status == "partial":
        return "部分页面未能采集" + (f"：{error}" if error else "")
    if status in ("error", "failed"):
        return "采集出错" + (f"：{error}" if error else "")
    if status is None:
        return "本次未采集"
    return status


@register
class CrawlFailed(Rule):
    code = "crawl-failed"
    title_zh = "采集失败（未能检查）"
    title_en = "Could not be crawled (not assessed)"
    severity = "warn"
    scope = "site"
    regulation = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》（检查范围说明）"
    fix = "核实站点或栏目能否正常访问，对监测程序放行（白名单），恢复后重新检查。"
    message = "{subject}本次采集失败（{reason}），未能检查"

    def assessed_sql(self) -> str:
        # Judged on every attempt: a site of a run unit; a column attempted on an assessed site.
        return """(
            (f.column_id IS NULL AND f.site_id IN (SELECT site_id FROM zc_site_runs))
         OR (f.column_id IS NOT NULL AND f.site_id IN (SELECT site_id FROM zc_assessed_sites)
             AND EXISTS (SELECT 1 FROM column_runs r WHERE r.column_id = f.column_id
                         AND r.run_id = (SELECT run_id FROM zc_run)))
        )"""

    def evaluate(self, ctx: Context) -> list[Hit]:
        opts = ctx.opts_table(self.code)
        hits = []
        for r in ctx.query(
            f"""SELECT s.* FROM zc_site_runs s JOIN {opts} o ON o.unit_id = s.unit_id
                WHERE s.status IS NULL OR s.status NOT IN ('ok', 'partial')"""
        ):
            hits.append(
                Hit(
                    unit_id=r["unit_id"],
                    site_id=r["site_id"],
                    summary=self.render(
                        subject=SITE_ROLE_ZH.get(r["role"], "站点"),
                        reason=reason_zh(r["status"], r["block"], r["error"]),
                    ),
                    evidence={
                        "site_url": r["url"],
                        "status": r["status"] or "not-crawled",
                        "block": r["block"],
                        "error": r["error"],
                    },
                )
            )
        for r in ctx.query(
            f"""SELECT c.column_id, c.site_id, c.unit_id, c.name, c.url, cr.status, cr.error
                FROM column_runs cr JOIN columns c ON c.column_id = cr.column_id
                JOIN zc_assessed_sites s ON s.site_id = c.site_id
                JOIN {opts} o ON o.unit_id = c.unit_id AND o.report_columns
                WHERE cr.run_id = :run AND cr.status IN ('failed', 'blocked', 'partial')""",
            {"run": ctx.run_id},
        ):
            hits.append(
                Hit(
                    unit_id=r["unit_id"],
                    site_id=r["site_id"],
                    column_id=r["column_id"],
                    summary=self.render(
                        subject=column_label(r["name"]),
                        reason=reason_zh(r["status"], r["error"], r["error"]),
                    ),
                    evidence={"column_url": r["url"], "status": r["status"], "error": r["error"]},
                )
            )
        return hits
