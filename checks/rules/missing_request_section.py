"""missing-request-section 缺少依申请公开栏目.

What:
    A disclosure platform crawled in this run whose catalog has no working 依申请公开 section:
    no `sections` row (section = request) that answered with content (ok = 1) in this run, and
    (with `accept_request_column`) no 依申请公开 column crawled ok. The section may live on another
    configured host (units file `hosts`): the catalog link is what counts. A catalog entry that
    points to a host outside the unit's hosts (a provincial 依申请公开 platform: `sections.external`
    = 1) is present, not checked: no finding, and the unit report says where it points. A dead
    link (ok = 0) counts as missing, and the evidence says so with the URL and status. A
    依申请公开 column in the catalog whose crawl failed in this run is not assessed: no finding
    (crawl-failed says it).
Why:
    《政府信息公开条例》（国务院令第711号）第二十七条至第三十三条 and 国办公开办函〔2019〕61号:
    the platform must offer an independent 依申请公开 section (申请指南, 申请表, 在线申请).
How to fix:
    Add a 依申请公开 entry to the platform's catalog with the application guide, form and online
    application, and keep the link working. A link to another platform (a provincial
    依申请公开 system) is fine: it is reported as present, not checked.
Options:
    accept_request_column: a crawled column classified as the request section counts as the
        section even without a separate section record (true).
"""

from __future__ import annotations

import json

from checks.context import Context
from checks.registry import Hit, Rule, register


@register
class MissingRequestSection(Rule):
    code = "missing-request-section"
    title_zh = "缺少依申请公开栏目"
    title_en = "No 依申请公开 (request) section"
    severity = "deduct"
    scope = "site"
    regulation = "《政府信息公开条例》（国务院令第711号）；国办公开办函〔2019〕61号"
    fix = "在政府信息公开平台设置独立的“依申请公开”栏目，提供申请指南、申请表和在线申请渠道，并确保链接有效。"
    message = "政府信息公开平台{state}"

    def evaluate(self, ctx: Context) -> list[Hit]:
        opts = ctx.opts_table(self.code)
        rows = ctx.query(
            f"""
            SELECT s.site_id, s.unit_id, s.url,
                   (SELECT json_group_array(json_object('url', x.url, 'name', x.name,
                                                        'status', x.status))
                    FROM sections x WHERE x.run_id = :run AND x.site_id = s.site_id
                      AND x.section = 'request' AND x.ok = 0 AND x.external = 0) AS dead
            FROM zc_assessed_sites s JOIN {opts} o ON o.unit_id = s.unit_id
            WHERE s.role = 'disclosure'
              -- present: a working link, or a link to an external platform (not checked)
              AND NOT EXISTS (SELECT 1 FROM sections x WHERE x.run_id = :run
                              AND x.site_id = s.site_id AND x.section = 'request'
                              AND (x.ok = 1 OR x.external = 1))
              AND NOT (o.accept_request_column AND EXISTS (
                    SELECT 1 FROM zc_assessed_columns a JOIN columns c USING (column_id)
                    WHERE a.site_id = s.site_id AND c.section = 'request'))
              AND NOT EXISTS (SELECT 1 FROM columns c CROSS JOIN column_runs r
                      ON r.column_id = c.column_id AND r.run_id = :run
                    WHERE c.site_id = s.site_id AND c.section = 'request'
                    AND r.status IN ('failed', 'blocked'))
            """,
            {"run": ctx.run_id},
        )
        hits = []
        for r in rows:
            dead = json.loads(r["dead"])
            if dead:
                status = dead[0]["status"]
                state = (
                    f"依申请公开栏目链接无法打开（{'HTTP ' + str(status) if status else '无响应'}），"
                    "视为缺少依申请公开栏目"
                )
            else:
                state = "目录中未设置独立的依申请公开栏目"
            hits.append(
                Hit(
                    unit_id=r["unit_id"],
                    site_id=r["site_id"],
                    summary=self.render(state=state),
                    evidence={
                        "platform_url": r["url"],
                        "dead_links": dead,
                        "reason": "dead-link" if dead else "absent",
                    },
                )
            )
        return hits
