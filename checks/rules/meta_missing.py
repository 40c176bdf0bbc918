"""meta-missing 页面元数据缺失.

What:
    The national `<meta>` block of a site's pages, as the crawl read it in this run: on its home
    page (the portal home, the platform's root) SiteName, SiteDomain and SiteIDCode; on column
    list pages (the first page of each column) ColumnName and ColumnType; on article pages
    ArticleTitle, PubDate and ContentSource. A tag that is absent, or present with no content,
    on at least `min_pages` pages of a kind → one finding per site and page kind naming each tag,
    how many of the pages read lacked it, and example URLs. Besides, SiteIDCode must equal the
    unit's `site_code` (units file) and be the same on every page: a page carrying another
    value, or a site whose pages carry two values → one finding per site naming the values found,
    how many pages carry each, an example page of each, and the expected code. A kind of page
    the crawl did not read in this run is not judged (an incremental day without new articles
    leaves the article-page finding as it was); neither is a site not assessed.
Why:
    《政府网站发展指引》（国办发〔2017〕47号）要求政府网站网页按《政府网站网页设计规范》
    （GB/T 政府网站网页元数据）设置元数据：首页 SiteName、SiteDomain、SiteIDCode，栏目页
    ColumnName、ColumnType，文章页 ArticleTitle、PubDate、ContentSource；网站标识码
    SiteIDCode 应与全国政府网站基本数据库中的标识码一致，全站各页面相同。
How to fix:
    Add the missing tags to the site's CMS templates (home, column and article templates) with
    their content filled in, and make every template print the site's own 网站标识码.
Options:
    home_tags: metas required on the home page (SiteName, SiteDomain, SiteIDCode).
    list_tags: metas required on column list pages (ColumnName, ColumnType).
    detail_tags: metas required on article pages (ArticleTitle, PubDate, ContentSource).
    min_pages: pages of a kind that must lack a tag before it is reported (1).
    check_site_code: compare SiteIDCode with the unit's site_code and across pages (true).
    The tag lists may name fewer tags than the defaults, not others: the crawl records these
    (crawler.extract.meta.RECORDED_META).
"""

from __future__ import annotations

import json
from typing import Any

from checks.context import Context
from checks.registry import Hit, Rule, register

KINDS = ("home", "list", "detail")
KIND_ZH = {"home": "首页", "list": "栏目页", "detail": "文章页"}
STATE_ZH = {"absent": "缺失", "empty": "内容为空"}
SITE_CODE_SUBKEY = "site-id-code"


@register
class MetaMissing(Rule):
    code = "meta-missing"
    title_zh = "页面元数据缺失"
    title_en = "Page metadata missing"
    severity = "deduct"
    scope = "site"
    regulation = (
        "《政府网站发展指引》（国办发〔2017〕47号）；GB/T《政府网站网页设计规范》网页元数据"
    )
    fix = (
        "在首页、栏目页、文章页模板中补齐规定的元数据（SiteName、SiteDomain、SiteIDCode、"
        "ColumnName、ColumnType、ArticleTitle、PubDate、ContentSource）并填写内容，"
        "各页面统一使用本网站的网站标识码。"
    )
    message = "{subject}"

    def assessed_sql(self) -> str:
        # A kind's finding is judged again only when that kind of page was read in this run on
        # an assessed site (an incremental day reads new articles only, or none). The SiteIDCode
        # finding only when every kind of page that carried a wrong value was read again: a
        # home page with the right code says nothing about the articles that had another.
        checked = """SELECT 1 FROM page_meta p WHERE p.run_id = (SELECT run_id FROM zc_run)
              AND p.site_id = f.site_id AND p.state = 'checked' AND p.tag = ''"""
        prefix = "'meta-missing|' || f.unit_id || '|' || f.site_id || '||'"
        return f"""(f.site_id IN (SELECT site_id FROM zc_assessed_sites) AND (
            EXISTS ({checked} AND f.key = {prefix} || p.kind)
         OR (f.key = {prefix} || '{SITE_CODE_SUBKEY}' AND EXISTS ({checked})
             AND NOT EXISTS (
               SELECT 1 FROM json_each(f.evidence, '$.recheck_kinds') k
               WHERE NOT EXISTS ({checked} AND p.kind = k.value)))))"""

    def evaluate(self, ctx: Context) -> list[Hit]:
        opts = ctx.opts_table(self.code)
        hits = self._tag_hits(ctx, opts)
        hits += self._site_code_hits(ctx, opts)
        return hits

    def _tag_hits(self, ctx: Context, opts: str) -> list[Hit]:
        rows = ctx.query(
            f"""SELECT p.site_id, s.unit_id, s.url AS site_url, p.kind, p.tag, p.state, p.pages,
                       p.examples, c.pages AS checked, o.home_tags, o.list_tags, o.detail_tags,
                       o.min_pages
                FROM page_meta p
                JOIN zc_assessed_sites s ON s.site_id = p.site_id
                JOIN {opts} o ON o.unit_id = s.unit_id
                JOIN page_meta c ON c.run_id = p.run_id AND c.site_id = p.site_id
                     AND c.kind = p.kind AND c.tag = '' AND c.state = 'checked'
                WHERE p.run_id = :run AND p.state IN ('absent', 'empty')
                ORDER BY p.site_id, p.kind, p.tag, p.state""",
            {"run": ctx.run_id},
        )
        grouped: dict[tuple[int, str], list[dict[str, Any]]] = {}
        for r in rows:
            required = json.loads(r[f"{r['kind']}_tags"])
            if r["tag"] in required:
                grouped.setdefault((r["site_id"], r["kind"]), []).append(r)
        hits = []
        for (site_id, kind), tag_rows in grouped.items():
            per_tag: dict[str, dict[str, Any]] = {}
            for r in tag_rows:
                # A page lacks a tag one way or the other, so absent + empty pages add up.
                t = per_tag.setdefault(r["tag"], {"tag": r["tag"], "pages": 0, "examples": []})
                t["pages"] += r["pages"]
                t[r["state"]] = r["pages"]
                t["examples"] += [u for u in json.loads(r["examples"]) if u not in t["examples"]]
            first = tag_rows[0]
            tags = [t for t in per_tag.values() if t["pages"] >= first["min_pages"]]
            if not tags:
                continue
            checked = first["checked"]
            parts = []
            for t in tags:
                states = "、".join(STATE_ZH[s] for s in ("absent", "empty") if t.get(s))
                parts.append(f"{t['tag']}（{states}，{t['pages']}/{checked}页）")
            # Flat on purpose: reports show a dozen evidence lines, examples first (sorted keys).
            evidence = {
                "missing": parts,
                "examples": {t["tag"]: t["examples"][:2] for t in tags},
                "page_kind": KIND_ZH[kind],
                "pages_checked": checked,
                "site_url": first["site_url"],
            }
            hits.append(
                Hit(
                    unit_id=first["unit_id"],
                    site_id=site_id,
                    subkey=kind,
                    summary=self.render(subject=f"{KIND_ZH[kind]}元数据不全：" + "；".join(parts)),
                    evidence=evidence,
                )
            )
        return hits

    def _site_code_hits(self, ctx: Context, opts: str) -> list[Hit]:
        rows = ctx.query(
            f"""SELECT c.site_id, s.unit_id, s.url AS site_url, u.site_code, min(c.value) AS value,
                       sum(c.pages) AS pages, min(c.example_url) AS example_url,
                       group_concat(DISTINCT c.kind) AS kinds
                FROM page_site_codes c
                JOIN zc_assessed_sites s ON s.site_id = c.site_id
                JOIN {opts} o ON o.unit_id = s.unit_id AND o.check_site_code
                JOIN units u ON u.unit_id = s.unit_id
                WHERE c.run_id = :run
                GROUP BY c.site_id, lower(trim(c.value))
                ORDER BY c.site_id, pages DESC, value""",
            {"run": ctx.run_id},
        )
        by_site: dict[int, list[dict[str, Any]]] = {}
        for r in rows:
            by_site.setdefault(r["site_id"], []).append(r)
        hits = []
        for site_id, values in by_site.items():
            expected = (values[0]["site_code"] or "").strip()
            wrong = [v for v in values if expected and not same_code(v["value"], expected)]
            if not wrong and len(values) < 2:
                continue
            carried = wrong or values
            recheck = [k for k in KINDS if any(k in v["kinds"].split(",") for v in carried)]
            if wrong:
                found = "、".join(f"{v['value']}（{v['pages']}页）" for v in wrong)
                subject = f"网站标识码与本单位标识码{expected}不一致：页面标注为{found}"
            else:
                found = "、".join(f"{v['value']}（{v['pages']}页）" for v in values)
                subject = f"各页面网站标识码不一致：{found}"
            hits.append(
                Hit(
                    unit_id=values[0]["unit_id"],
                    site_id=site_id,
                    subkey=SITE_CODE_SUBKEY,
                    summary=self.render(subject=subject),
                    evidence={
                        "expected_site_code": expected or None,
                        "site_codes_found": [
                            {
                                "value": v["value"],
                                "pages": v["pages"],
                                "page_kinds": "、".join(
                                    KIND_ZH[k] for k in KINDS if k in v["kinds"].split(",")
                                ),
                                "example_url": v["example_url"],
                            }
                            for v in values
                        ],
                        "site_url": values[0]["site_url"],
                        # the kinds of page to read again before this may resolve
                        "recheck_kinds": recheck,
                    },
                )
            )
        return hits


def same_code(found: str, expected: str) -> bool:
    """网站标识码 compare without surrounding space or letter case (`BM…` for `bm…`)."""
    return found.strip().lower() == expected.strip().lower()
