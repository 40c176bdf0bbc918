"""meta-missing 页面元数据缺失.

What:
    The national `<meta>` block of a site's pages, as the crawl last read them: on its home
    page (the portal home, the platform's root) SiteName, SiteDomain and SiteIDCode; on column
    list pages (the first page of each column) ColumnName and ColumnType; on article pages
    ArticleTitle, PubDate and ContentSource. A tag that is absent, or present with no content,
    on at least `min_pages` pages of a kind is reported with how many of the pages read lacked
    it and example URLs. SiteIDCode must also equal the unit's `site_code` (units file) and be
    the same on every page: a value found on some pages and not the expected one, or two values
    on one site, is reported with the pages carrying each, an example page of each and the
    expected code. One finding per site (one rectification: the site's templates), judged when
    the site is assessed, each kind of page on its latest reading (every run of the last day it
    was read: a run killed and run again reads each page once between the two): an incremental
    day that reads no new article keeps the articles' last reading (dated in the finding)
    instead of calling them fixed; a day that reads new articles judges those. The summary
    names kind, tag and how it lacks; the evidence adds page counts and example URLs.
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

# Each (site, kind)'s latest reading up to this run, on the sites assessed now: every run of the
# latest day the kind was read (a run killed and run again the same day reads each page once
# between the two, so together they are that day's reading). page_meta's key leads with
# (site_id, kind): an index walk per site.
READINGS_SQL = """
    WITH read AS (
      SELECT p.site_id, p.kind, p.run_id, substr(r.clock_at, 1, 10) AS day
      FROM page_meta p JOIN runs r ON r.run_id = p.run_id
      JOIN zc_assessed_sites s ON s.site_id = p.site_id
      WHERE p.tag = '' AND p.state = 'checked' AND p.run_id <= :run
    ),
    latest AS (SELECT site_id, kind, max(day) AS day FROM read GROUP BY site_id, kind)
    SELECT r.site_id, r.kind, r.run_id, r.day FROM read r
    JOIN latest l ON l.site_id = r.site_id AND l.kind = r.kind AND l.day = r.day
"""


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
    message = "页面元数据不全：{parts}"

    def evaluate(self, ctx: Context) -> list[Hit]:
        opts = ctx.opts_table(self.code)
        params = {"run": ctx.run_id}
        sites = {
            r["site_id"]: r
            for r in ctx.query(
                f"""SELECT s.site_id, s.unit_id, s.url AS site_url, u.site_code, o.home_tags,
                           o.list_tags, o.detail_tags, o.min_pages, o.check_site_code
                    FROM zc_assessed_sites s JOIN {opts} o ON o.unit_id = s.unit_id
                    JOIN units u ON u.unit_id = s.unit_id"""
            )
        }
        # (site, kind) -> {"day", "checked", tags: {(tag, state): [pages, urls]}}
        readings: dict[tuple[int, str], dict[str, Any]] = {}
        for r in ctx.query(
            f"""WITH used AS ({READINGS_SQL})
                SELECT p.site_id, p.kind, u.day, p.tag, p.state, p.pages, p.examples
                FROM used u JOIN page_meta p ON p.site_id = u.site_id AND p.kind = u.kind
                     AND p.run_id = u.run_id
                ORDER BY p.site_id, p.run_id""",
            params,
        ):
            if r["site_id"] not in sites:
                continue
            got = readings.setdefault(
                (r["site_id"], r["kind"]), {"day": r["day"], "checked": 0, "tags": {}}
            )
            if r["state"] == "checked":
                got["checked"] += r["pages"]
                continue
            tally = got["tags"].setdefault((r["tag"], r["state"]), [0, []])
            tally[0] += r["pages"]
            tally[1] += [u for u in json.loads(r["examples"]) if u not in tally[1]]
        gaps: dict[int, list[str]] = {}
        evidence: dict[int, dict[str, Any]] = {}
        for site_id, kind in sorted(readings, key=lambda k: (k[0], KINDS.index(k[1]))):
            self._add_gaps(ctx, sites[site_id], kind, readings[(site_id, kind)], gaps, evidence)
        codes = ctx.query(
            f"""WITH used AS ({READINGS_SQL})
                SELECT c.site_id, min(c.value) AS value, sum(c.pages) AS pages,
                       min(c.example_url) AS example_url, group_concat(DISTINCT c.kind) AS kinds
                FROM used u JOIN page_site_codes c ON c.site_id = u.site_id
                     AND c.kind = u.kind AND c.run_id = u.run_id
                GROUP BY c.site_id, lower(trim(c.value))
                ORDER BY c.site_id, pages DESC, value""",
            params,
        )
        by_site: dict[int, list[dict[str, Any]]] = {}
        for r in codes:
            by_site.setdefault(r["site_id"], []).append(r)
        for site_id, values in by_site.items():
            site = sites.get(site_id)
            if site is not None and site["check_site_code"]:
                self._add_codes(site, values, gaps, evidence)
        hits = []
        for site_id, parts in gaps.items():
            site = sites[site_id]
            ev = {k: v for k, v in evidence[site_id].items() if v}
            ev["site_url"] = site["site_url"]
            hits.append(
                Hit(
                    unit_id=site["unit_id"],
                    site_id=site_id,
                    summary=self.render(parts="；".join(parts)),
                    evidence=ev,
                )
            )
        return hits

    @staticmethod
    def _add_gaps(
        ctx: Context,
        site: dict[str, Any],
        kind: str,
        reading: dict[str, Any],
        gaps: dict[int, list[str]],
        evidence: dict[int, dict[str, Any]],
    ) -> None:
        """The required tags of `kind` lacking on at least min_pages pages of its reading. The
        summary names tag and way (absent / blank) and, for an earlier day's reading, its date;
        page counts go to the evidence (a day read in two runs may count a page twice)."""
        required = json.loads(site[f"{kind}_tags"])
        per_tag: dict[str, dict[str, Any]] = {}
        for (tag, state), (pages, urls) in sorted(reading["tags"].items()):
            if tag in required:
                t = per_tag.setdefault(tag, {"pages": 0, "states": [], "urls": []})
                t["pages"] += pages  # a page lacks a tag one way or the other: they add up
                t["states"].append(STATE_ZH[state])
                t["urls"] += [u for u in urls if u not in t["urls"]]
        when = "" if reading["day"] == ctx.today_iso else f"，{reading['day']}读取"
        ev = evidence.setdefault(site["site_id"], {"missing": [], "examples": {}})
        for tag, t in per_tag.items():
            if t["pages"] < site["min_pages"]:
                continue
            label = f"{KIND_ZH[kind]} {tag}"
            gaps.setdefault(site["site_id"], []).append(
                f"{label}（{'、'.join(t['states'])}{when}）"
            )
            ev["missing"].append(
                f"{label}：{'、'.join(t['states'])} {t['pages']}/{reading['checked']}页"
            )
            ev["examples"][label] = t["urls"][:2]

    @staticmethod
    def _add_codes(
        site: dict[str, Any],
        values: list[dict[str, Any]],
        gaps: dict[int, list[str]],
        evidence: dict[int, dict[str, Any]],
    ) -> None:
        expected = (site["site_code"] or "").strip()
        wrong = [v for v in values if expected and not same_code(v["value"], expected)]
        if not wrong and len(values) < 2:
            return

        def kinds(v: dict[str, Any]) -> str:
            return "、".join(KIND_ZH[k] for k in KINDS if k in v["kinds"].split(","))

        if wrong:
            text = f"网站标识码应为{expected}，" + "、".join(
                f"{kinds(v)}标注为{v['value']}" for v in wrong
            )
        else:
            text = "各页面网站标识码不一致：" + "、".join(
                f"{kinds(v)}标注为{v['value']}" for v in values
            )
        gaps.setdefault(site["site_id"], []).append(text)
        ev = evidence.setdefault(site["site_id"], {"missing": [], "examples": {}})
        ev["expected_site_code"] = expected or None
        ev["site_codes_found"] = [f"{v['value']}：{kinds(v)} {v['pages']}页" for v in values]
        ev["site_code_examples"] = {v["value"]: v["example_url"] for v in values}


def same_code(found: str, expected: str) -> bool:
    """网站标识码 compare without surrounding space or letter case (`BM…` for `bm…`)."""
    return found.strip().lower() == expected.strip().lower()
