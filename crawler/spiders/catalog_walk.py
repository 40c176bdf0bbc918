"""Catalog discovery: the portal home page, the catalog roots and their trees, the reuse of an
unchanged catalog on incremental runs, and column overrides nobody links to.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response

from crawler import discovery
from crawler.extract import catalog, classify, listing, meta, portal_menu
from crawler.extract.types import ListPage, NavLink
from crawler.items import (
    ColumnDone,
    ColumnRecord,
    LinkResult,
    ListRecord,
    SectionRecord,
    SiteInfo,
)
from crawler.spiders.state import new_col
from zwgk.errors import CATALOG_CAPPED_MARK
from zwgk.units import Unit, host_allowed, netloc

#: Sections a catalog may link on another authority's host and still have (the rules read them).
EXTERNAL_SECTIONS = frozenset({"request", "guide", "system", "annual"})


class CatalogWalk:
    """Part of DisclosureSpider (crawler/spiders/disclosure.py); methods use its helpers."""

    def crawl_overrides(self) -> None:
        """Once discovery has run dry, visit the columns the units file names that discovery
        did not reach (the dupefilter drops those it did, so discovered paths win)."""
        if getattr(self, "_overrides_sent", False):
            return
        self._overrides_sent = True
        sent = 0
        for unit in self.units.values():
            for col in unit.columns:
                portal_only = (
                    unit.portal
                    and netloc(col.url) == netloc(unit.portal)
                    and not discovery.under(col.url, unit.disclosure)
                    and netloc(unit.portal) != netloc(unit.disclosure)
                )
                role = "portal" if portal_only else "disclosure"
                root = unit.portal if portal_only else unit.disclosure
                m = {
                    "unit": unit.code,
                    "role": role,
                    "allowed_hosts": sorted(unit.allowed_hosts),
                    "site": {"root": root, "shared": True, "top": []},
                }
                depth = self.setting("ZWGK_MAX_CATALOG_DEPTH", 4)
                self.crawler.engine.crawl(
                    self.req(
                        m,
                        col.url,
                        self.parse_catalog,
                        "catalog",
                        cdepth=depth,
                        path=[col.name] if col.name else [],
                        name=col.name or "",
                        link=col.url,
                        parent_links=[],
                    )
                )
                sent += 1
        if sent:
            raise DontCloseSpider

    # -- portal home ---------------------------------------------------------------------------
    def parse_home(self, response: Response) -> Iterator[Any]:
        m = response.meta
        unit = self.units[m["unit"]]
        block = self.blocked(response)
        yield self.record(response, block)
        if block or response.status >= 400:
            yield from self.unassessed(m, *self.refusal(response, block))
            return
        html = self.decode(response)
        base = discovery.base_url(html, response.url)
        tags = meta.extract_meta(html)
        yield SiteInfo(
            m["unit"],
            m["role"],
            cms=classify.cms_family(html, response.url),
            site_id_code=tags.get("SiteIDCode") or None,
        )
        yield self.page_meta(m, response.url, "home", tags)
        items = catalog.home_items(html, base, self.today)
        home = unit.portal or response.url
        yield ColumnRecord(m["unit"], m["role"], home, "首页", "", None, None, None, is_home=True)
        yield ListRecord(m["unit"], m["role"], home, items, first_page=True)
        yield ColumnDone(m["unit"], m["role"], home, "ok", 1, len(items))
        disclosure = discovery.normalise_url(unit.disclosure)
        catalog_root = None
        site = {"root": response.url, "shared": True, "top": []}
        in_page = portal_menu.in_page_catalog(html, base)
        if in_page:
            catalog_root = response.url  # the home page itself carries the catalog
            yield from self.in_page_catalog(m, site, in_page)
        taken = {link.url for link in in_page}
        followed = set(taken)  # fetched by the crawl: not link-checked as well
        for link in catalog.extract_nav(html, base):
            if link.url in taken:
                continue
            if not self.allowed(m, link.url) or classify.is_detail_url(link.url):
                continue
            key = discovery.normalise_url(link.url)
            if key == disclosure or key == discovery.normalise_url(response.url):
                continue  # the platform is crawled as its own site
            name = link.name.strip()
            if (
                catalog_root is None
                and classify.PORTAL_CATALOG_NAMES.search(name)
                and not self.is_platform({**m, "site": site}, link.url)
            ):
                # The portal's own 政府信息公开 catalog: compared with the platform's.
                catalog_root = link.url
                followed.add(link.url)
                sm = {
                    **m,
                    "site": {
                        **site,
                        "root": link.url,
                        "shared": netloc(link.url) == netloc(response.url),
                    },
                }
                yield self.req(
                    sm, link.url, self.parse_catalog, "catalog", cdepth=0, path=[], src=response.url
                )
            elif (
                not link.chrome  # a header menu's 走进XX or 办事服务 is no dated column
                and classify.classify_category(name)
                and netloc(link.url) == netloc(response.url)
                and not discovery.under(link.url, unit.disclosure)
            ):
                # The portal's own dated columns (工作动态, 通知公告 behind 更多 links).
                followed.add(link.url)
                yield self.req(
                    {**m, "site": site},
                    link.url,
                    self.parse_catalog,
                    "catalog",
                    cdepth=self.setting("ZWGK_MAX_CATALOG_DEPTH", 4),
                    path=[name],
                    name=name,
                    link=link.url,
                    parent_links=[],
                    origin="menu",
                    src=response.url,
                )
        # broken-link: the home page's other on-host links.
        yield from self.link_checks(m, html, base, response.url, followed)

    def in_page_catalog(self, m: dict, site: dict, links: list[NavLink]) -> Iterator[Any]:
        """The portal's catalog shown in place on its home page: entries that link into the
        platform are recorded as its columns (origin link); the portal's own entries are
        crawled as catalog nodes one level down, with the menu's group labels as their path."""
        unit = self.units[m["unit"]]
        cm = {**m, "site": {**site, "top": sorted({link.path[0] for link in links})}}
        shown = sorted(discovery.normalise_url(link.url) for link in links)
        for link in links:
            if (
                not self.allowed(m, link.url)
                or discovery.is_chrome(link.name)
                or classify.is_detail_url(link.url)
                or self.other_site_root(unit, "portal", link.url)
            ):
                continue
            if self.is_platform(cm, link.url):
                if classify.classify_section(link.name, link.url) != "request":
                    col = new_col(link.url, link.name, link.path)
                    yield self.column_record(cm, col, None, origin="link")
                continue
            yield self.req(
                cm,
                link.url,
                self.parse_catalog,
                "catalog",
                cdepth=1,
                path=list(link.path),
                name=link.name,
                link=link.url,
                parent_links=shown,
            )

    # -- catalog discovery -----------------------------------------------------------------
    def parse_catalog(self, response: Response) -> Iterator[Any]:
        m = response.meta
        depth: int = m["cdepth"]
        name: str = m.get("name", "")
        link_url: str = m.get("link", response.url)
        block = self.blocked(response)
        yield self.record(response, block)
        section = classify.classify_section(name, link_url) if depth else None
        if block or response.status >= 400:
            status, why = self.refusal(response, block)
            if not block and m.get("src"):
                # broken-link: a link the crawl fetched itself is not checked again; this is its
                # recorded answer, with the page that showed it.
                yield LinkResult(m["unit"], m["role"], link_url, m["src"], response.status,
                                 f"HTTP {response.status}", ok=False, crawled=True)  # fmt: skip
            if depth == 0:
                yield from self.unassessed(m, status, why)
                return
            if section:
                yield SectionRecord(
                    m["unit"], m["role"], section, name, link_url, response.status, False
                )
            else:
                yield from self.failed_column(m, new_col(link_url, name, m["path"]), status, why)
            return
        html = self.decode(response)
        base = discovery.base_url(html, response.url)
        hrefs = discovery.raw_hrefs(html, base)
        if depth > 0 and hrefs <= set(m.get("parent_hrefs", ())):
            # Every link here was on the parent page already (a left nav repeated on each
            # column page): nothing new to discover, so skip the full catalog extraction.
            links, mirrored = [], []
        else:
            links, mirrored, external = self.catalog_links(m, html, base)
            for sec, link in external:
                # The catalog's entry is what counts; another authority's host is not ours to
                # crawl, so the section is "present, not checked".
                yield SectionRecord(
                    m["unit"], m["role"], sec, link.name, link.url, None, True, external=True
                )
        if depth == 0 and not links and not m.get("js_hops"):
            target = discovery.js_redirect(html, response.url) or discovery.framed(
                html, response.url
            )
            if target and self.allowed(m, target) and not self.is_platform(m, target):
                # A root page that only sends the browser on (location.href = '...') or shows
                # its catalog in a frame: follow it once, as the catalog root. A portal page
                # framing the platform shows the platform itself: nothing of the portal's own.
                site = dict(m["site"], root=target)
                yield self.req({**m, "site": site}, target, self.parse_catalog, m["kind"],
                               cdepth=0, path=[], js_hops=1)  # fmt: skip
                return
        if depth == 0:
            top = {link.path[0] for link in links + mirrored if link.path}
            site = dict(m["site"], top=sorted(top))
            m = {**m, "site": site}
            sig = discovery.nav_signature([(link.name, link.url) for link in links])
            tags = meta.extract_meta(html)
            info = SiteInfo(
                m["unit"],
                m["role"],
                cms=classify.cms_family(html, response.url),
                site_id_code=tags.get("SiteIDCode") or None,
                catalog_sig=sig,
            )
            if m["role"] == "disclosure":
                # The platform's root is its home page (a portal's catalog root is not).
                yield self.page_meta(m, response.url, "home", tags)
            if self.can_reuse(m["unit"], m["role"], sig):
                known = self.known_columns(m["unit"], m["role"])
                info.reused = True
                yield info
                yield from self.crawl_known(m, known, html, response.url)
                known_urls = [k[0] for k in known]
                if m["role"] == "disclosure" and not any(
                    discovery.normalise_url(u) == discovery.normalise_url(response.url)
                    for u in known_urls
                    if "#" not in u  # a JSON-API column (gkmlpt's index#id) is no list page
                ):
                    # broken-link: the platform's home page (a root that is itself a known
                    # column is checked as that column's first list page).
                    yield from self.root_link_checks(
                        m, html, base, response.url, [link.url for link in links] + known_urls
                    )
                return
            yield info
        for link in mirrored if depth == 0 else ():
            # The portal's catalog lists a platform column by linking to it: an entry of the
            # portal's catalog (for catalog-mismatch), crawled once, as the platform's column.
            # Read off the catalog root only, so its path never depends on crawl order.
            path = discovery.compose_path(tuple(m["path"]), link.path, set(m["site"]["top"]))
            yield self.column_record(m, new_col(link.url, link.name, path), None, origin="link")
        if section:
            yield SectionRecord(
                m["unit"], m["role"], section, name, link_url, response.status, True
            )
        here = {discovery.normalise_url(link.url) for link in links}
        list_checked = False  # this page's links checked as a column's first list page
        # A catalog node may be a column; so may a root that is itself a list (a units file
        # whose `disclosure` names one column) or a configured column override.
        root_list = (
            self.root_list(html, base, links, m["site"]["root"]) if depth == 0 and links else None
        )
        if depth > 0 or not links or root_list is not None:
            page = root_list or listing.extract_list(html, base, self.today)
            is_list = bool(
                page.items
                or page.placeholder
                or page.pagination.urls
                or page.pagination.hanweb
                or page.pagination.page_count
            )
            # A leaf of the catalog shows no link its parent page did not already show
            # (left navs repeat the whole tree); an empty leaf without prose is a blank column.
            parent = set(m.get("parent_links", ()))
            own = {discovery.normalise_url(u) for u in (response.url, link_url, m["site"]["root"])}
            leaf = not (here - parent - own)
            blank = (
                not is_list
                and depth > 0
                and leaf
                and not section
                and discovery.content_chars(html) < 200
            )
            if is_list or blank:
                name = name or discovery.page_name(html, meta.extract_meta(html))
                path = (
                    m["path"]
                    or list(discovery.path_from_breadcrumb(catalog.extract_breadcrumb(html)))
                    or [name]
                )
                col = new_col(link_url, name, path)
                yield from self.column_records(m, col, html, response.url)
                yield from self.column_page(m, col, response, page, first=True)
                yield from self.list_link_checks(m, html, base, response.url, page, here)
                list_checked = True
        if depth == 0 and m["role"] == "disclosure" and not list_checked:
            # broken-link: the platform's root is its home page; its links but the catalog's.
            yield from self.root_link_checks(
                m, html, base, response.url, [link.url for link in links]
            )
        if depth < self.setting("ZWGK_MAX_CATALOG_DEPTH", 4):
            # Every link the parent showed was requested by the parent (or earlier): left navs
            # repeat the whole tree on every page, and re-requesting it all only feeds the
            # dupefilter.
            shown = set(m.get("parent_links", ()))
            for link in links:
                if discovery.normalise_url(link.url) in shown:
                    continue
                if not self.catalog_slot(m):
                    break  # calendar or archive traps: a site's catalog walk is bounded
                child_path = discovery.compose_path(
                    tuple(m["path"]), link.path, set(m["site"]["top"])
                )
                yield self.req(
                    m,
                    link.url,
                    self.parse_catalog,
                    "catalog",
                    cdepth=depth + 1,
                    path=list(child_path),
                    name=link.name,
                    link=link.url,
                    parent_links=sorted(here),
                    src=response.url,  # broken-link: the page that linked it
                    parent_hrefs=sorted(hrefs | {discovery.normalise_url(response.url)}),
                )
        if depth == 0:
            yield from self.json_columns(m, html, response.url, only=None)

    def catalog_slot(self, m: dict) -> bool:
        """Count a catalog page for the site; False once it reaches ZWGK_MAX_CATALOG_PAGES
        (default: twice the column limit), logged once per site."""
        key = (m["unit"], m["role"])
        counts = self.__dict__.setdefault("_catalog_pages", {})
        counts[key] = counts.get(key, 0) + 1
        limit = self.setting(
            "ZWGK_MAX_CATALOG_PAGES", 2 * self.setting("ZWGK_MAX_COLUMNS_PER_SITE", 400)
        )
        if counts[key] == limit + 1:
            self.logger.warning("%s: %s %s at %d pages", CATALOG_CAPPED_MARK, *key, limit)
        return counts[key] <= limit

    def catalog_links(
        self, m: dict, html: str, url: str
    ) -> tuple[list[NavLink], list[NavLink], list[tuple[str, NavLink]]]:
        """(links to follow in this catalog, portal entries that link into the platform,
        statutory sections linked on a host outside the unit's hosts: a provincial 依申请公开
        platform, say, present but never visited)."""
        unit = self.units[m["unit"]]
        root = m["site"]["root"]
        out, mirrored = [], []
        external: list[tuple[str, NavLink]] = []
        for link in catalog.extract_nav(html, url, root):
            if discovery.is_chrome(link.name) or classify.is_detail_url(link.url):
                continue
            if not self.allowed(m, link.url):
                section = classify.classify_section(link.name, link.url)
                if section in EXTERNAL_SECTIONS and link.url.startswith(("http://", "https://")):
                    external.append((section, link))
                continue
            if self.other_site_root(unit, m["role"], link.url):
                continue  # the unit's other site is crawled as a site of its own
            if self.is_platform(m, link.url):
                section = classify.classify_section(link.name, link.url)
                if not discovery.is_chrome(link.name) and section != "request":
                    mirrored.append(link)
                continue
            host = netloc(link.url)
            if host == netloc(root):
                if not discovery.in_scope(
                    link.url, root, m["site"]["shared"]
                ) and not classify.classify_section(link.name, link.url):
                    continue
            elif not host_allowed(host, unit.host_entries):
                continue  # another site of the unit, or a shared service: not this catalog
            out.append(link)
        return out, mirrored, external

    def root_list(self, html: str, base: str, links: list[NavLink], root: str) -> ListPage | None:
        """A catalog root that is itself one column's list (a units file naming one column of
        a site whose menus link elsewhere): dated entries under the root's own directory, and
        no catalog link below it. Returns the page's list then (read once), else None."""
        folder = discovery.directory(root)
        if any(
            discovery.directory(link.url).startswith(folder) and link.url != root
            for link in links
            if netloc(link.url) == netloc(root)
        ):
            return None
        page = listing.extract_list(html, base, self.today)
        items = page.items
        mine = [i for i in items if i.date and discovery.under(i.url, root)]
        return page if len(mine) >= 3 and len(mine) >= 0.8 * len(items) else None

    def is_platform(self, m: dict, url: str) -> bool:
        """A portal-side URL that is the unit's disclosure platform (its host or its root)."""
        unit = self.units[m["unit"]]
        return m["role"] == "portal" and (
            netloc(url) == netloc(unit.disclosure) != netloc(m["site"]["root"])
            or discovery.under(url, unit.disclosure)
        )

    @staticmethod
    def other_site_root(unit: Unit, role: str, url: str) -> bool:
        """The root of the unit's other site (crawled as a site of its own). A URL with a
        fragment is not: on a JSON platform `/gkmlpt/index#2001` is a column, not the root."""
        other = unit.disclosure if role == "portal" else unit.portal
        return (
            bool(other)
            and "#" not in url
            and (discovery.normalise_url(url) == discovery.normalise_url(other))
        )

    # -- reuse a known catalog on incremental runs -----------------------------------------
    def crawl_known(self, m: dict, known: list[tuple], html: str, url: str) -> Iterator[Any]:
        json_cols = set()
        for col_url, name, cpath, etag, last_modified in known:
            if "#" in col_url:  # a JSON-API column: the fragment names the column id
                json_cols.add(col_url)
                continue
            col = new_col(col_url, name, cpath.split("/"))
            # Not deduplicated: the root itself may be a known column (a one-column platform).
            request = self.req(
                m, col_url, self.parse_list, "list", dedupe=False, col=col, first=True
            )
            if etag:
                request.headers["If-None-Match"] = etag
            if last_modified:
                request.headers["If-Modified-Since"] = last_modified
            yield request
        if json_cols:
            yield from self.json_columns(m, html, url, only=json_cols)

    def unassessed(self, m: dict, status: str, why: str) -> Iterator[Any]:
        """A site we could not read: its known columns are recorded as not assessed."""
        for col_url, *_ in self.known_columns(m["unit"], m["role"]):
            yield ColumnDone(m["unit"], m["role"], col_url, status, 0, 0, error=why)
