"""broken-link 错链断链.

What:
    Links on a site's home page (the portal's home page, the disclosure platform's root page)
    and on the first list page of each of its columns that answer
    HTTP >= 400, time out or fail to resolve, as this run's crawl checked them (HEAD, then GET
    when HEAD answers >= 400: 405/501 or a server mishandling HEAD; retries as for any page). One
    finding per site with at least `min_broken_links` broken links, listing up to
    `max_listed_links` of them (the link, its status or error, the page it was found on) with
    the count and how many links were checked. Links on the unit's own hosts are checked;
    off-site links are counted and never fetched unless the operator grants it
    (`offsite_enabled`): then each off-site URL is asked once a day across all units (one HEAD,
    a GET only when HEAD is refused, nothing read or followed, at most `offsite_per_site` a
    site a run, `offsite_delay_seconds` apart per host, never a private, link-local or reserved
    address unless the unit's own hosts are on one) and a failing one is listed marked
    off-site (外站链接). Pages the crawl itself fetches (catalog nodes,
    list pages and pagers, detail pages) are not checked again here, their failures being
    crawl-failed's and the statutory sections'. Each link is checked once a run for the unit,
    whichever page showed it first; a site checks at most `crawl: max_links_per_site` links a
    run (the evidence says how many were left when the cap bit). A site down or blocked in this
    run, or whose links were not checked in this run, is not judged.
Why:
    国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》扣分指标“可用性”：首页及栏目页上的
    链接无法正常访问（错链、断链）的，按数量扣分。
How to fix:
    Remove or correct each listed link on the page where it was found (the evidence names the
    page), and make sure the target answers normally.
Options:
    max_listed_links: broken links listed in the finding (10); the count covers them all.
    min_broken_links: broken links a site must have before it is reported (1).
    offsite_enabled: the operator's grant to check off-site links (false): off by default, as
        spiders stay on the hosts a unit names; read by the crawl (zwgk/runner.py).
    offsite_per_site: off-site links checked per site a run when granted (20).
    offsite_delay_seconds: seconds between off-site requests to one host, one at a time (10).
"""

from __future__ import annotations

from typing import Any

from checks.context import Context
from checks.registry import Hit, Rule, register


@register
class BrokenLink(Rule):
    code = "broken-link"
    title_zh = "错链断链"
    title_en = "Broken links"
    severity = "deduct"
    scope = "site"
    regulation = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》"
    fix = "逐一修正或删除证据所列页面上的错链、断链，确保链接可以正常访问。"
    message = "{count}个链接无法访问（共检查{checked}个），如：{examples}"

    def evaluate(self, ctx: Context) -> list[Hit]:
        opts = ctx.opts_table(self.code)
        params = {"run": ctx.run_id}
        sites = ctx.query(
            f"""SELECT s.site_id, s.unit_id, s.url AS site_url, o.max_listed_links,
                       o.min_broken_links, sum(c.checked) AS checked, sum(c.failed) AS failed,
                       sum(c.offsite) AS offsite, sum(c.capped) AS capped
                FROM zc_assessed_sites s JOIN {opts} o ON o.unit_id = s.unit_id
                JOIN link_counts c ON c.site_id = s.site_id AND c.run_id = :run
                GROUP BY s.site_id""",
            params,
        )
        hits = []
        for site in sites:
            sp = {**params, "site": site["site_id"]}
            links = ctx.query(
                """SELECT url, source_url, status, error, 0 AS offsite FROM broken_links
                   WHERE site_id = :site AND run_id = :run ORDER BY source_url, url""",
                sp,
            )
            # Off-site links (the operator's grant): each as the day's one answer for its URL,
            # whichever unit's page or run asked it (ok NULL or no answer: not checked).
            off = ctx.query(
                """SELECT r.url, r.source_url, c.status, c.error, c.ok
                   FROM offsite_refs r LEFT JOIN offsite_checks c
                        ON c.day = r.day AND c.url = r.url
                   WHERE r.site_id = :site AND r.run_id = :run""",
                sp,
            )
            off_checked = sum(r["ok"] is not None for r in off)
            off_unchecked = len(off) - off_checked
            links += [{**r, "offsite": 1} for r in off if r["ok"] == 0]
            links.sort(key=lambda r: (r["source_url"], r["url"]))
            if not links or len(links) < site["min_broken_links"]:
                continue
            listed = links[: site["max_listed_links"]]
            # Each link as (link, problem, page): three short evidence lines in a report; an
            # off-site one says so.
            evidence: dict[str, Any] = {
                "broken_count": len(links),
                "links_checked": site["checked"] + off_checked,
                "broken_links": [
                    {"url": r["url"], "problem": describe(r), "found_on": r["source_url"]}
                    | ({"offsite": True} if r["offsite"] else {})
                    for r in listed
                ],
                "site_url": site["site_url"],
            }
            if off_checked:
                evidence["offsite_links_checked"] = off_checked
            if site["capped"]:
                evidence["links_not_checked_cap"] = site["capped"]
            if site["offsite"] + off_unchecked:
                evidence["offsite_links_not_checked"] = site["offsite"] + off_unchecked
            examples = "、".join(
                f"{r['url']}（{'外站链接，' if r['offsite'] else ''}{describe(r)}）"
                for r in listed[:3]
            )
            hits.append(
                Hit(
                    unit_id=site["unit_id"],
                    site_id=site["site_id"],
                    summary=self.render(
                        count=len(links),
                        checked=site["checked"] + off_checked,
                        examples=examples,
                    ),
                    evidence=evidence,
                )
            )
        return hits

    def assessed_sql(self) -> str:
        # Resolved only by a run that checked the site's links (not by one with checks off).
        return """(f.site_id IN (SELECT site_id FROM zc_assessed_sites)
                   AND f.site_id IN (SELECT site_id FROM link_counts
                                     WHERE run_id = (SELECT run_id FROM zc_run)))"""


def describe(link: dict[str, Any]) -> str:
    """A failing link's status or error, short (an error names a timeout or a failed lookup)."""
    if link["status"] and link["status"] >= 400:
        return f"HTTP {link['status']}"
    return link["error"] or "无法访问"
