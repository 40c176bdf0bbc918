"""The one spider: for every unit, the portal home page, the portal's 政府信息公开 catalog and the
disclosure platform's catalog tree, then every column through all its pages, then detail pages
of new (or dateless) items.

Parsing is delegated to crawler.extract (pure functions); this module decides what to fetch next
and what the store should know. The spider keeps no per-site state in memory: a column's paging
state rides in `request.meta["col"]` and everything else is read from the store, so the same
spider runs unchanged on a shared scrapy-redis queue, where any worker may handle any request.
"""

from __future__ import annotations

import dataclasses
import math
import sqlite3
from collections.abc import AsyncIterator, Generator, Iterable, Iterator
from datetime import date
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Response

from crawler import discovery
from crawler.extract import catalog, charset, classify, hanweb, jsonapi, listing, meta, waf
from crawler.extract.types import ListItem, ListPage, NavLink
from crawler.items import (
    ColumnDone,
    ColumnRecord,
    DetailRecord,
    ListRecord,
    PageRecord,
    SectionRecord,
    SiteInfo,
)
from zwgk import clock
from zwgk.units import Unit, load_units, netloc

ATTACHMENTS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".zip", ".rar", ".wps", ".ofd")
PRIORITY = {"home": 40, "root": 40, "catalog": 30, "api": 20, "list": 20, "detail": 0}


def header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def new_col(url: str, name: str, path: Iterable[str]) -> dict[str, Any]:
    """A column's crawl state; it travels from page to page in request meta."""
    path = [p for p in path if p]
    return {
        "url": url,
        "name": name or (path[-1] if path else url),
        "path": path,
        "pages": 0,
        "items": 0,
        "queue": [],
        "seen": [],
        "etag": None,
        "lm": None,
    }


class DisclosureSpider(scrapy.Spider):
    name = "zwgk"

    def __init__(self, units: str, db: str, run_id: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units: dict[str, Unit] = {u.code: u for u in load_units(units)}
        self.db_path = db
        self.run_id = int(run_id)
        self.today: date = clock.today()
        self._ro: sqlite3.Connection | None = None

    # -- settings -------------------------------------------------------------------------
    def setting(self, name: str, default: int) -> int:
        return self.settings.getint(name, default)

    @property
    def detail_mode(self) -> str:
        return self.settings.get("ZWGK_DETAIL_PAGES", "new")

    # -- store reads (the pipeline writes; WAL lets us read alongside) ----------------------
    @property
    def ro(self) -> sqlite3.Connection:
        if self._ro is None:
            self._ro = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=30)
        return self._ro

    def closed(self, reason: str) -> None:
        if self._ro is not None:
            self._ro.close()

    def known_columns(self, unit: str, role: str) -> list[tuple]:
        """The columns of the site's last completed catalog walk."""
        return self.ro.execute(
            "SELECT c.url, c.name, c.catalog_path, c.etag, c.last_modified FROM columns c"
            " JOIN sites s USING (site_id) WHERE s.unit_id = ? AND s.role = ? AND c.is_home = 0"
            " AND c.origin = 'catalog' AND c.last_run_id = s.catalog_run_id ORDER BY c.column_id",
            [unit, role],
        ).fetchall()

    def known_items(self, m: dict, column_url: str, urls: Iterable[str]) -> dict[str, int]:
        """Item URL -> detail_fetched (0 pending, 1 read, 2 failed) for items already stored."""
        urls = list(urls)
        if not urls:
            return {}
        marks = ",".join("?" * len(urls))
        rows = self.ro.execute(
            f"SELECT i.url, i.detail_fetched FROM items i JOIN columns c USING (column_id)"
            f" JOIN sites s ON s.site_id = c.site_id WHERE s.unit_id = ? AND s.role = ?"
            f" AND c.url = ? AND i.url IN ({marks})",
            [m["unit"], m["role"], column_url, *urls],
        ).fetchall()
        return dict(rows)

    def completed_before(self, m: dict, column_url: str) -> bool:
        """Did an earlier crawl read this column to its end? Only then may known items stop
        paging: a crawl killed halfway through a column leaves its later pages unread."""
        return (
            self.ro.execute(
                "SELECT 1 FROM column_runs cr JOIN columns c USING (column_id) JOIN sites s"
                " ON s.site_id = c.site_id WHERE s.unit_id = ? AND s.role = ? AND c.url = ?"
                " AND cr.status IN ('ok', 'placeholder') LIMIT 1",
                [m["unit"], m["role"], column_url],
            ).fetchone()
            is not None
        )

    def can_reuse(self, unit: str, role: str, sig: str) -> bool:
        """Reuse the known catalog when the root navigation is unchanged, the walk that found
        it belongs to a run that completed, and it is younger than the refresh interval."""
        row = self.ro.execute(
            "SELECT s.catalog_sig, s.catalog_at FROM sites s JOIN runs r"
            " ON r.run_id = s.catalog_run_id AND r.status = 'completed'"
            " WHERE s.unit_id = ? AND s.role = ?",
            [unit, role],
        ).fetchone()
        if not row or not row[0] or not row[1]:
            return False
        age = (clock.now() - clock.parse(row[1])).days
        return row[0] == sig and age < self.setting("ZWGK_CATALOG_REFRESH_DAYS", 7)

    # -- requests ---------------------------------------------------------------------------
    def req(
        self, m: dict, url: str, callback, kind: str, dedupe: bool = True, **extra: Any
    ) -> scrapy.Request:
        """A request inheriting the unit, role and site scope of the page `m` came from."""
        meta = {k: m[k] for k in ("unit", "role", "allowed_hosts", "site") if k in m}
        meta.update(extra, kind=kind)
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.on_error,
            meta=meta,
            priority=PRIORITY.get(kind, 10),
            dont_filter=not dedupe,
        )

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> DisclosureSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.crawl_overrides, signal=signals.spider_idle)
        return spider

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

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for unit in self.units.values():
            base = {"unit": unit.code, "allowed_hosts": sorted(unit.allowed_hosts)}
            if unit.portal:
                yield self.req({**base, "role": "portal"}, unit.portal, self.parse_home, "home")
            shared = bool(unit.portal) and netloc(unit.portal) == netloc(unit.disclosure)
            m = {
                **base,
                "role": "disclosure",
                "site": {"root": unit.disclosure, "shared": shared, "top": []},
            }
            yield self.req(m, unit.disclosure, self.parse_catalog, "root", cdepth=0, path=[])

    # -- shared response handling ----------------------------------------------------------
    def record(
        self, response: Response, block: str | None = None, error: str | None = None
    ) -> PageRecord:
        m = response.meta
        return PageRecord(
            m["unit"],
            m["role"],
            response.url,
            m["kind"],
            response.status,
            len(response.body),
            int(1000 * m.get("download_latency", 0)),
            error=error,
            block=block,
        )

    def decode(self, response: Response) -> str:
        return charset.decode_html(response.body, header(response, "Content-Type"))[0]

    def blocked(self, response: Response) -> str | None:
        headers = {
            k.decode("latin-1").lower(): b", ".join(v).decode("latin-1")
            for k, v in response.headers.items()
        }
        return waf.classify_block(response.status, headers, response.body, response.url)

    def allowed(self, m: dict, url: str) -> bool:
        try:
            return netloc(url) in m["allowed_hosts"]
        except ValueError:  # a scraped URL that does not parse is never followed
            return False

    def on_parse_error(self, response: Response, exc: Exception) -> Iterator[Any]:
        """A page the parsers choked on: recorded with the error, and whatever rested on it
        counts as not assessed (never as an empty or healthy site)."""
        m = response.meta
        error = f"parser error on {response.url}: {type(exc).__name__}: {exc}"[:300]
        self.logger.error(error)
        kind = m.get("kind")
        yield PageRecord(m["unit"], m["role"], response.url, kind, response.status,
                         len(response.body), None, error=error)  # fmt: skip
        if kind in ("home", "root") or (kind == "catalog" and m.get("cdepth") == 0):
            yield from self.unassessed(m, "failed", error)
        elif "col" in m:
            yield from self.failed_column(m, m["col"], "failed", error)
        elif kind == "catalog":
            col = new_col(m.get("link", response.url), m.get("name", ""), m.get("path", []))
            yield from self.failed_column(m, col, "failed", error)

    # -- portal home ---------------------------------------------------------------------------
    def parse_home(self, response: Response) -> Iterator[Any]:
        m = response.meta
        unit = self.units[m["unit"]]
        block = self.blocked(response)
        yield self.record(response, block)
        if block or response.status >= 400:
            yield from self.unassessed(
                m,
                "blocked" if block else "failed",
                block or f"HTTP {response.status} on {response.url}",
            )
            return
        html = self.decode(response)
        yield SiteInfo(
            m["unit"],
            m["role"],
            cms=classify.cms_family(html, response.url),
            site_id_code=meta.extract_meta(html).get("SiteIDCode") or None,
        )
        items = catalog.home_items(html, discovery.base_url(html, response.url), self.today)
        home = unit.portal or response.url
        yield ColumnRecord(m["unit"], m["role"], home, "首页", "", None, None, None, is_home=True)
        yield ListRecord(m["unit"], m["role"], home, items, first_page=True)
        yield ColumnDone(m["unit"], m["role"], home, "ok", 1, len(items))
        disclosure = discovery.normalise_url(unit.disclosure)
        catalog_root = None
        site = {"root": response.url, "shared": True, "top": []}
        for link in catalog.extract_nav(html, discovery.base_url(html, response.url)):
            if not self.allowed(m, link.url) or classify.is_detail_url(link.url):
                continue
            key = discovery.normalise_url(link.url)
            if key == disclosure or key == discovery.normalise_url(response.url):
                continue  # the platform is crawled as its own site
            name = link.name.strip()
            if catalog_root is None and discovery.PORTAL_CATALOG_NAMES.search(name):
                # The portal's own 政府信息公开 catalog: compared with the platform's.
                catalog_root = link.url
                sm = {
                    **m,
                    "site": {
                        **site,
                        "root": link.url,
                        "shared": netloc(link.url) == netloc(response.url),
                    },
                }
                yield self.req(sm, link.url, self.parse_catalog, "catalog", cdepth=0, path=[])
            elif (
                classify.classify_category(name)
                and netloc(link.url) == netloc(response.url)
                and not discovery.under(link.url, unit.disclosure)
            ):
                # The portal's own dated columns (工作动态, 通知公告 behind 更多 links).
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
            why = block or f"HTTP {response.status} at {response.url}"
            if depth == 0:
                yield from self.unassessed(m, "blocked" if block else "failed", why)
                return
            if section:
                yield SectionRecord(
                    m["unit"], m["role"], section, name, link_url, response.status, False
                )
            else:
                yield from self.failed_column(
                    m, new_col(link_url, name, m["path"]), "blocked" if block else "failed", why
                )
            return
        html = self.decode(response)
        hrefs = discovery.raw_hrefs(html, response.url)
        if depth > 0 and hrefs <= set(m.get("parent_hrefs", ())):
            # Every link here was on the parent page already (a left nav repeated on each
            # column page): nothing new to discover, so skip the full catalog extraction.
            links, mirrored = [], []
        else:
            links, mirrored = self.catalog_links(m, html, discovery.base_url(html, response.url))
        if depth == 0:
            top = {link.path[0] for link in links + mirrored if link.path}
            site = dict(m["site"], top=sorted(top))
            m = {**m, "site": site}
            sig = discovery.nav_signature([(link.name, link.url) for link in links])
            info = SiteInfo(
                m["unit"],
                m["role"],
                cms=classify.cms_family(html, response.url),
                site_id_code=meta.extract_meta(html).get("SiteIDCode") or None,
                catalog_sig=sig,
            )
            if self.can_reuse(m["unit"], m["role"], sig):
                known = self.known_columns(m["unit"], m["role"])
                info.reused = True
                yield info
                yield from self.crawl_known(m, known, html, response.url)
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
        # A catalog node may be a column; so may a root that is itself a list (a units file
        # whose `disclosure` names one column) or a configured column override.
        if depth > 0 or not links:
            page = listing.extract_list(html, discovery.base_url(html, response.url), self.today)
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
            blank = depth > 0 and leaf and not section and discovery.content_chars(html) < 200
            if is_list or blank:
                name = name or discovery.page_name(html, meta.extract_meta(html))
                path = (
                    m["path"]
                    or list(discovery.path_from_breadcrumb(catalog.extract_breadcrumb(html)))
                    or [name]
                )
                col = new_col(link_url, name, path)
                yield self.column_record(m, col, html)
                yield from self.column_page(m, col, response, page, first=True)
        if depth < self.setting("ZWGK_MAX_CATALOG_DEPTH", 4):
            # Every link the parent showed was requested by the parent (or earlier): left navs
            # repeat the whole tree on every page, and re-requesting it all only feeds the
            # dupefilter.
            shown = set(m.get("parent_links", ()))
            for link in links:
                if discovery.normalise_url(link.url) in shown:
                    continue
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
                    parent_hrefs=sorted(hrefs | {discovery.normalise_url(response.url)}),
                )
        if depth == 0:
            yield from self.json_columns(m, html, response.url, only=None)

    def catalog_links(self, m: dict, html: str, url: str) -> tuple[list[NavLink], list[NavLink]]:
        """(links to follow in this catalog, portal entries that link into the platform)."""
        unit = self.units[m["unit"]]
        root = m["site"]["root"]
        out, mirrored = [], []
        for link in catalog.extract_nav(html, url):
            if discovery.is_chrome(link.name) or classify.is_detail_url(link.url):
                continue
            if not self.allowed(m, link.url):
                continue
            if "#" not in link.url and discovery.normalise_url(link.url) in self.unit_roots(
                unit, m["role"]
            ):
                continue  # the unit's other site is crawled as a site of its own
            if m["role"] == "portal" and (
                netloc(link.url) == netloc(unit.disclosure) != netloc(root)
                or discovery.under(link.url, unit.disclosure)
            ):
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
            elif host not in unit.hosts:
                continue  # another site of the unit, or a shared service: not this catalog
            out.append(link)
        return out, mirrored

    @staticmethod
    def unit_roots(unit: Unit, role: str) -> set[str]:
        other = unit.disclosure if role == "portal" else unit.portal
        return {discovery.normalise_url(other)} if other else set()

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

    # -- columns ---------------------------------------------------------------------------
    def column_record(
        self, m: dict, col: dict, html: str | None, origin: str | None = None
    ) -> ColumnRecord:
        unit = self.units[m["unit"]]
        column_type = column_name = None
        if html:
            page_meta = meta.extract_meta(html)
            column_type = page_meta.get("ColumnType") or None
            column_name = page_meta.get("ColumnName") or None
        override = next((c for c in unit.columns if c.url == col["url"]), None)
        if override and override.category:
            category, source = override.category, "config"
        else:
            category = classify.classify_category(col["name"], column_type, column_name)
            source = ("meta" if column_type or column_name else "name") if category else None
            if category is None:
                # 专项资金 under 财政资金: an unnamed kind inherits its nearest group's category.
                for part in reversed(col["path"][:-1]):
                    category = classify.classify_category(part)
                    if category:
                        source = "path"
                        break
        section = next(filter(None, (classify.classify_section(p, "") for p in col["path"])), None)
        name = override.name if override and override.name else col["name"]
        return ColumnRecord(
            m["unit"],
            m["role"],
            col["url"],
            name,
            "/".join(col["path"]),
            category,
            source,
            section,
            origin=origin or m.get("origin", "catalog"),
        )

    def parse_list(self, response: Response) -> Iterator[Any]:
        m = response.meta
        col = m["col"]
        first = m.get("first", False)
        if response.status == 304:
            yield self.record(response)
            yield ColumnDone(
                m["unit"],
                m["role"],
                col["url"],
                "ok",
                1,
                0,
                unchanged=True,
                etag=header(response, "ETag") or col["etag"],
            )
            return
        block = self.blocked(response)
        yield self.record(response, block)
        if block or response.status >= 400:
            if response.status == 404 and not block and col["pages"]:
                # A pager that promises more pages than exist, or the other suffix convention.
                yield from self.next_page(m, col)
            else:
                yield from self.failed_column(
                    m,
                    col,
                    "blocked" if block else "failed",
                    block or f"HTTP {response.status} at {response.url}",
                )
            return
        html = self.decode(response)
        if first:
            yield self.column_record(m, col, html)
        page = listing.extract_list(html, discovery.base_url(html, response.url), self.today)
        yield from self.column_page(m, col, response, page, first=first)

    def column_page(
        self, m: dict, col: dict, response: Response, page: ListPage, first: bool
    ) -> Iterator[Any]:
        col = dict(
            col, pages=col["pages"] + 1, seen=[*col["seen"], discovery.normalise_url(response.url)]
        )
        if first:
            col.update(
                queue=[], etag=header(response, "ETag"), lm=header(response, "Last-Modified")
            )
        stop = yield from self.emit_items(m, col, page.items, first)
        col["items"] += len(page.items)
        if first and page.placeholder and not page.items:
            yield ColumnDone(m["unit"], m["role"], col["url"], "placeholder", col["pages"], 0)
            return
        if first and page.pagination.hanweb:
            yield from self.hanweb_next(m, col, page.pagination.hanweb, group=1, candidates=None)
            return
        queue = list(col["queue"])
        for nxt in page.pagination.urls:
            if discovery.normalise_url(nxt) not in col["seen"] and nxt not in queue:
                queue.append(nxt)
        col["queue"] = queue
        if stop:
            yield self.column_done(m, col)
        else:
            yield from self.next_page(m, col)

    def next_page(self, m: dict, col: dict) -> Iterator[Any]:
        if col["queue"] and col["pages"] < self.setting("ZWGK_MAX_PAGES_PER_COLUMN", 50):
            nxt, col = col["queue"][0], dict(col, queue=col["queue"][1:])
            yield self.req(m, nxt, self.parse_list, "list", dedupe=False, col=col)
        else:
            yield self.column_done(m, col)

    def column_done(
        self, m: dict, col: dict, status: str = "ok", error: str | None = None
    ) -> ColumnDone:
        return ColumnDone(
            m["unit"],
            m["role"],
            col["url"],
            status,
            col["pages"],
            col["items"],
            error=error,
            etag=col["etag"],
            last_modified=col["lm"],
        )

    def failed_column(self, m: dict, col: dict, status: str, error: str) -> Iterator[Any]:
        if not col["pages"]:
            yield self.column_record(m, col, None)
        yield self.column_done(m, col, status, error)

    def emit_items(
        self, m: dict, col: dict, items: list[ListItem], first: bool
    ) -> Generator[Any, None, bool]:
        """Hand a page's items to the store and ask for the detail pages still unread.

        Returns True when paging can stop: an empty page, or (incremental runs) a page holding
        only items that an earlier complete crawl of the column saw. New items appear at the
        top, and pinned items cannot stop a column early because the whole page must be known.
        """
        # Read the store before the pipeline sees this page, so this page never counts as known.
        known = self.known_items(m, col["url"], (i.url for i in items))
        if "complete" not in col:
            col["complete"] = self.completed_before(m, col["url"])
        yield ListRecord(m["unit"], m["role"], col["url"], items, first_page=first)
        wanted = [
            item.url
            for item in items
            if not known.get(item.url)  # unread (a pending detail is retried)
            and (self.detail_mode == "new" or item.date is None)
        ]
        if first:
            # Details left unread by an interrupted run sit on pages an incremental crawl skips.
            wanted += self.pending_details(m, col["url"])
        for url in wanted if self.detail_mode != "none" else ():
            if self.allowed(m, url) and not url.lower().endswith(ATTACHMENTS):
                yield self.req(m, url, self.parse_detail, "detail")
        return not items or (col["complete"] and all(i.url in known for i in items))

    def pending_details(self, m: dict, column_url: str) -> list[str]:
        dateless = " AND i.pub_date IS NULL" if self.detail_mode == "dateless" else ""
        return [
            r[0]
            for r in self.ro.execute(
                "SELECT i.url FROM items i JOIN columns c USING (column_id) JOIN sites s"
                " ON s.site_id = c.site_id WHERE s.unit_id = ? AND s.role = ? AND c.url = ?"
                f" AND i.detail_fetched = 0{dateless} LIMIT 500",
                [m["unit"], m["role"], column_url],
            )
        ]

    # -- Hanweb dataproxy ------------------------------------------------------------------
    def hanweb_next(
        self, m: dict, col: dict, paging, group: int, candidates: list[str] | None
    ) -> Iterator[Any]:
        per_page = paging.per_page or 15
        groups = math.ceil((paging.total_records or 0) / (per_page * 3)) or 1
        if group > groups or col["pages"] >= self.setting("ZWGK_MAX_PAGES_PER_COLUMN", 50):
            yield self.column_done(m, col)
            return
        candidates = candidates or hanweb.proxy_candidates(paging.proxy_url)
        url, form = hanweb.post_group(paging, group)
        query = url[url.index("?") :] if "?" in url else ""
        meta = {k: m[k] for k in ("unit", "role", "allowed_hosts", "site") if k in m}
        meta.update(kind="api", col=col, paging=paging, group=group, candidates=candidates)
        yield scrapy.FormRequest(
            candidates[0] + query,
            formdata=form,
            meta=meta,
            callback=self.parse_dataproxy,
            errback=self.on_error,
            dont_filter=True,
            priority=PRIORITY["api"],
        )

    def hanweb_get(
        self, m: dict, col: dict, paging, page: int, candidates: list[str] | None
    ) -> Iterator[Any]:
        """Style B: GET page=N, for servers whose dataproxy refuses the POST groups."""
        pages = math.ceil((paging.total_records or 0) / (paging.per_page or 15)) or 1
        if page > pages or col["pages"] >= self.setting("ZWGK_MAX_PAGES_PER_COLUMN", 50):
            yield self.column_done(m, col)
            return
        candidates = candidates or hanweb.proxy_candidates(paging.proxy_url)
        url = hanweb.get_page_url(dataclasses.replace(paging, proxy_url=candidates[0]), page)
        yield self.req(m, url, self.parse_dataproxy, "api", dedupe=False, col=col,
                       paging=paging, group=page, candidates=candidates, style="get")  # fmt: skip

    def parse_dataproxy(self, response: Response) -> Iterator[Any]:
        m = response.meta
        col = m["col"]
        get = m.get("style") == "get"
        block = self.blocked(response)
        yield self.record(response, block)
        if response.status == 404 and len(m["candidates"]) > 1:
            # The page names one dataproxy path, the server answers at another.
            more = self.hanweb_get if get else self.hanweb_next
            yield from more(m, col, m["paging"], m["group"], m["candidates"][1:])
            return
        if not block and response.status >= 400 and not get and m["group"] == 1:
            yield from self.hanweb_get(m, col, m["paging"], 2, None)
            return
        if block or response.status >= 400:
            yield from self.failed_column(
                m,
                col,
                "blocked" if block else "failed",
                block or f"HTTP {response.status} at {response.url}",
            )
            return
        items, _total, _pages = hanweb.parse_datastore(
            self.decode(response), response.url, self.today
        )
        col = dict(col, pages=col["pages"] + 1)
        stop = yield from self.emit_items(m, col, items, False)
        col["items"] += len(items)
        if stop:
            yield self.column_done(m, col)
            return
        more = self.hanweb_get if get else self.hanweb_next
        yield from more(m, col, m["paging"], m["group"] + 1, m["candidates"][:1])

    # -- JSON API platforms ----------------------------------------------------------------
    def json_columns(self, m: dict, html: str, url: str, only: set[str] | None) -> Iterator[Any]:
        sid = jsonapi.config_site_id(html)
        tree = jsonapi.find_config_tree(html, url)
        hubs = {link.path[:-1] for link in tree}
        root = url.split("#", 1)[0]
        for link in tree:
            if tuple(link.path) in hubs:
                continue  # a branch of the tree, not a list
            if not link.url.startswith(root + "#"):
                # A node that jumps to a page of its own (依申请公开): visit it like a catalog node.
                if only is None and self.allowed(m, link.url):
                    yield self.req(
                        m,
                        link.url,
                        self.parse_catalog,
                        "catalog",
                        cdepth=1,
                        path=list(link.path),
                        name=link.name,
                        link=link.url,
                        parent_links=[],
                    )
                continue
            if only is not None and link.url not in only:
                continue
            col = new_col(link.url, link.name, link.path)
            col_id = link.url.rsplit("#", 1)[-1]
            yield self.column_record(m, col, None)
            yield self.req(
                m,
                jsonapi.api_url(url, col_id, 1, sid),
                self.parse_api,
                "api",
                dedupe=False,
                col=col,
                col_id=col_id,
                sid=sid,
                page=1,
                base=url,
            )

    def parse_api(self, response: Response) -> Iterator[Any]:
        m = response.meta
        col = m["col"]
        page_no = m["page"]
        block = self.blocked(response)
        yield self.record(response, block)
        if block or response.status >= 400:
            if page_no > 1 and not block:
                yield self.column_done(m, col)  # real gkmlpt sites answer 404 past the end
            else:
                yield from self.failed_column(
                    m,
                    col,
                    "blocked" if block else "failed",
                    block or f"HTTP {response.status} at {response.url}",
                )
            return
        items, info = jsonapi.parse_api(self.decode(response), m["base"])
        col = dict(col, pages=col["pages"] + 1)
        stop = yield from self.emit_items(m, col, items, page_no == 1)
        col["items"] += len(items)
        more = bool(items) and col["pages"] < self.setting("ZWGK_MAX_PAGES_PER_COLUMN", 50)
        if info.get("post_count") is not None:
            more = more and col["items"] < int(info["post_count"])
        if more and not stop:
            yield self.req(
                m,
                jsonapi.api_url(m["base"], m["col_id"], page_no + 1, m["sid"]),
                self.parse_api,
                "api",
                dedupe=False,
                col=col,
                col_id=m["col_id"],
                sid=m["sid"],
                page=page_no + 1,
                base=m["base"],
            )
        else:
            yield self.column_done(m, col)

    # -- details -----------------------------------------------------------------------------
    def parse_detail(self, response: Response) -> Iterator[Any]:
        block = self.blocked(response)
        yield self.record(response, block)
        m = response.meta
        if block or response.status >= 400:
            yield DetailRecord(m["unit"], m["role"], response.request.url, failed=True)
            return
        d = meta.extract_detail(self.decode(response), response.url, self.today)

        def iso(value: date | None) -> str | None:
            return value.isoformat() if value else None

        yield DetailRecord(
            m["unit"],
            m["role"],
            response.request.url,
            iso(d.pub_date or d.meta_pub_date),
            iso(d.meta_pub_date),
            d.index_no,
            d.doc_no,
            d.publisher,
            iso(d.written_date),
            d.title,
        )

    # -- failures ----------------------------------------------------------------------------
    def on_error(self, failure) -> Iterator[Any]:
        request = failure.request
        m = request.meta
        kind = m["kind"]
        # The URL we asked for (before redirects) is the one the store knows the page by.
        url = (m.get("redirect_urls") or [request.url])[0]
        error = f"{failure.type.__name__}: {failure.getErrorMessage()}"[:300]
        if failure.check(IgnoreRequest) and "offsite" in error:
            # The page answered by redirecting off the unit's hosts: say what to configure.
            error = (
                f"redirected off the unit's hosts ({failure.getErrorMessage()[:200]}); "
                "list the target host under `hosts:` if it belongs to the unit"
            )
        yield PageRecord(m["unit"], m["role"], url, kind, None, 0, None, error=error)
        if kind in ("home", "root") or (kind == "catalog" and m.get("cdepth") == 0):
            yield from self.unassessed(m, "failed", error)
        elif kind == "catalog":
            name = m.get("name", "")
            link = m.get("link", url)
            section = classify.classify_section(name, link)
            if section:
                yield SectionRecord(m["unit"], m["role"], section, name, link, None, False)
            else:
                yield from self.failed_column(
                    m, new_col(link, name, m.get("path", [])), "failed", error
                )
        elif kind in ("list", "api") and "col" in m:
            yield from self.failed_column(m, m["col"], "failed", error)
