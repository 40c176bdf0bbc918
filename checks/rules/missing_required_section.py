"""missing-required-section 缺少法定栏目.

What:
    A disclosure platform crawled in this run that lacks any of the first-level statutory
    sections in `required_sections`: guide 政府信息公开指南, system 政府信息公开制度, fdzdgknr
    法定主动公开内容, annual 政府信息公开年报. A section is present when the catalog links to it
    and the page answered with content (`sections.ok = 1`), or when a column classified under it
    was crawled ok in this run, or when the catalog entry points to a host outside the unit's
    hosts (`sections.external = 1`: present, not checked; the unit report says where it
    points). Names are matched by meaning by the crawler (政府 removed, path keywords such as
    zfxxgkzn / xxgknb). A dead link counts as missing; a section column whose crawl failed in
    this run is not assessed and not judged missing. One finding per platform, listing every
    missing section.
Why:
    国办公开办函〔2019〕61号《关于政府信息公开平台建设的通知》: the platform's first-level
    sections are 政府信息公开指南、政府信息公开制度、法定主动公开内容、政府信息公开年报.
How to fix:
    Add the missing first-level sections to the platform catalog with their content, and keep
    their links working.
Options:
    required_sections: the statutory sections to require (guide, system, fdzdgknr, annual).
"""

from __future__ import annotations

import json

from checks.context import Context
from checks.registry import Hit, Rule, register
from checks.text import SECTION_ZH


@register
class MissingRequiredSection(Rule):
    code = "missing-required-section"
    title_zh = "缺少法定栏目"
    title_en = "Statutory section missing"
    severity = "deduct"
    scope = "site"
    regulation = "国办公开办函〔2019〕61号；《政府信息公开条例》（国务院令第711号）"
    fix = "按61号文要求设置政府信息公开指南、政府信息公开制度、法定主动公开内容、政府信息公开年报等一级栏目。"
    message = "政府信息公开平台缺少法定栏目：{missing}"

    def evaluate(self, ctx: Context) -> list[Hit]:
        opts = ctx.opts_table(self.code)
        rows = ctx.query(
            f"""
            SELECT s.site_id, s.unit_id, s.url, o.required_sections AS required,
              (SELECT json_group_array(DISTINCT x.section) FROM sections x
               WHERE x.run_id = :run AND x.site_id = s.site_id
                 AND (x.ok = 1 OR x.external = 1)) AS ok_sections,
              (SELECT json_group_array(DISTINCT c.section) FROM zc_assessed_columns a
               JOIN columns c USING (column_id)
               WHERE a.site_id = s.site_id AND c.section IS NOT NULL) AS col_sections,
              (SELECT json_group_array(DISTINCT c.section) FROM columns c
               CROSS JOIN column_runs r ON r.column_id = c.column_id AND r.run_id = :run
               WHERE c.site_id = s.site_id AND c.section IS NOT NULL
                 AND r.status IN ('failed', 'blocked')) AS failed_sections,
              (SELECT json_group_array(json_object('section', x.section, 'url', x.url,
                                                   'status', x.status))
               FROM sections x WHERE x.run_id = :run AND x.site_id = s.site_id AND x.ok = 0
                 AND x.external = 0) AS dead
            FROM zc_assessed_sites s JOIN {opts} o ON o.unit_id = s.unit_id
            WHERE s.role = 'disclosure'
            """,
            {"run": ctx.run_id},
        )
        hits = []
        for r in rows:
            present = set(json.loads(r["ok_sections"])) | set(json.loads(r["col_sections"]))
            present |= set(json.loads(r["failed_sections"]))  # not assessed: not judged missing
            missing = [s for s in json.loads(r["required"]) if s not in present]
            if not missing:
                continue
            dead = [d for d in json.loads(r["dead"]) if d["section"] in missing]
            hits.append(
                Hit(
                    unit_id=r["unit_id"],
                    site_id=r["site_id"],
                    summary=self.render(missing="、".join(SECTION_ZH.get(s, s) for s in missing))
                    + ("（其中链接无法打开的视为缺失）" if dead else ""),
                    evidence={
                        "platform_url": r["url"],
                        "missing_sections": missing,
                        "dead_links": dead,
                    },
                )
            )
        return hits
