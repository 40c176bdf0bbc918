"""The one spider: for every unit, the portal home page, the portal's 政府信息公开 catalog and the
disclosure platform's catalog tree, then every column through all its pages, then detail pages
of new (or dateless) items.

Parsing is delegated to crawler.extract (pure functions); this module only decides what to
fetch next and what the store should know. State per site lives in `SiteState`, so one broken
site never stops the others.
"""

from __future__ import annotations

import math
import sqlite3
from collections import deque
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import scrapy
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
)
from zwgk import clock
from zwgk.units import Unit, load_units, netloc


@dataclass(slots=True)
class ColumnState:
    url: str
    name: str
    path: tuple[str, ...]
    pages: int = 0
    items_seen: int = 0
    seen_pages: set[str] = field(default_factory=set)
    queue: deque[str] = field(default_factory=deque)
    done: bool = False
    known: bool = False  # the store already has this column (incremental run)
    etag: str | None = None  # validators of page 1, for conditional requests next run
    last_modified: str | None = None


@dataclass(slots=True)
class SiteState:
    unit: Unit
    role: str  # portal | disclosure
    root: str
    shared_host: bool
    seen: set[str] = field(default_factory=set)
    columns: dict[str, ColumnState] = field(default_factory=dict)
    top_names: set[str] = field(default_factory=set)
    nav_links: list[tuple[str, str]] = field(default_factory=list)
    block: str | None = None
    error: str | None = None
    down: bool = False
    cms: str | None = None
    site_id_code: str | None = None
    reused: bool = False
    pages: int = 0
    failures: int = 0

    @property
    def key(self) -> tuple[str, str]:
        return (self.unit.code, self.role)


class DisclosureSpider(scrapy.Spider):
    name = "zwgk"

    def __init__(self, units: str, db: str, run_id: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = load_units(units)
        self.db_path = db
        self.run_id = int(run_id)
        self.today: date = clock.today()
        self.sites: dict[tuple[str, str], SiteState] = {}
        self._ro: sqlite3.Connection | None = None

    # -- settings -------------------------------------------------------------------------
    @property
    def max_pages(self) -> int:
        return self.settings.getint("ZWGK_MAX_PAGES_PER_COLUMN", 50)

    @property
    def max_depth(self) -> int:
        return self.settings.getint("ZWGK_MAX_CATALOG_DEPTH", 4)

    @property
    def max_columns(self) -> int:
        return self.settings.getint("ZWGK_MAX_COLUMNS_PER_SITE", 400)

    @property
    def detail_mode(self) -> str:
        return self.settings.get("ZWGK_DETAIL_PAGES", "new")

    @property
    def refresh_days(self) -> int:
        return self.settings.getint("ZWGK_CATALOG_REFRESH_DAYS", 7)

    # -- store reads (the pipeline writes; WAL lets us read alongside) ----------------------
    @property
    def ro(self) -> sqlite3.Connection:
        if self._ro is None:
            self._ro = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=30)
        return self._ro

    def site_row(self, site: SiteState) -> tuple | None:
        return self.ro.execute(
            "SELECT site_id, catalog_sig, catalog_at, catalog_run_id FROM sites"
            " WHERE unit_id = ? AND role = ?",
            site.key,
        ).fetchone()

    def known_columns(self, site: SiteState) -> list[tuple]:
        return self.ro.execute(
            "SELECT c.url, c.name, c.catalog_path, c.etag, c.last_modified FROM columns c"
            " JOIN sites s USING (site_id) WHERE s.unit_id = ? AND s.role = ? AND c.is_home = 0"
            " AND c.last_run_id = s.catalog_run_id",
            site.key,
        ).fetchall()

    def known_items(self, site: SiteState, column_url: str, urls: Iterable[str]) -> set[str]:
        urls = list(urls)
        if not urls:
            return set()
        marks = ",".join("?" * len(urls))
        rows = self.ro.execute(
            f"SELECT i.url FROM items i JOIN columns c USING (column_id) JOIN sites s"
            f" ON s.site_id = c.site_id WHERE s.unit_id = ? AND s.role = ? AND c.url = ?"
            f" AND i.url IN ({marks})",
            [*site.key, column_url, *urls],
        ).fetchall()
        return {r[0] for r in rows}

    def closed(self, reason: str) -> None:
        if self._ro is not None:
            self._ro.close()

    # -- requests ---------------------------------------------------------------------------
    def req(self, site: SiteState, url: str, callback, kind: str, **meta: Any) -> scrapy.Request:
        meta.update(
            unit=site.unit.code, role=site.role, kind=kind, allowed_hosts=site.unit.allowed_hosts
        )
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.on_error,
            meta=meta,
            priority={"home": 30, "catalog": 20, "list": 10, "detail": 0}.get(kind, 5),
            dont_filter=True,
        )

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for unit in self.units:
            portal_host = netloc(unit.portal) if unit.portal else None
            if unit.portal:
                site = SiteState(unit, "portal", unit.portal, shared_host=True)
                self.sites[site.key] = site
                yield self.req(site, unit.portal, self.parse_home, "home")
            site = SiteState(
                unit,
                "disclosure",
                unit.disclosure,
                shared_host=portal_host == netloc(unit.disclosure),
            )
            self.sites[site.key] = site
            site.seen.add(discovery.normalise_url(unit.disclosure))
            yield self.req(site, unit.disclosure, self.parse_catalog, "catalog", depth=0, path=())

    # -- page bookkeeping --------------------------------------------------------------------
    def record(self, response: Response, site: SiteState, block: str | None = None) -> PageRecord:
        site.pages += 1
        if block or response.status >= 400:
            site.failures += 1
        return PageRecord(
            unit=site.unit.code,
            role=site.role,
            url=response.url,
            kind=response.meta["kind"],
            status=response.status,
            bytes=len(response.body),
            elapsed_ms=int(1000 * response.meta.get("download_latency", 0)),
            block=block,
        )

    def site_of(self, response_or_request) -> SiteState:
        m = response_or_request.meta
        return self.sites[(m["unit"], m["role"])]

    def decode(self, response: Response) -> str:
        text, _ = charset.decode_html(response.body, header(response, "Content-Type"))
        return text

    def blocked(self, response: Response) -> str | None:
        headers = {
            k.decode("latin-1").lower(): b", ".join(v).decode("latin-1")
            for k, v in response.headers.items()
        }
        return waf.classify_block(response.status, headers, response.body, response.url)

    # -- portal home ---------------------------------------------------------------------------
    def parse_home(self, response: Response) -> Iterator[Any]:
        site = self.site_of(response)
        block = self.blocked(response)
        yield self.record(response, site, block)
        if block:
            site.block = block
            return
        if response.status >= 400:
            site.error = f"HTTP {response.status} on the home page"
            return
        html = self.decode(response)
        site.cms = classify.cms_family(html, response.url)
        site.site_id_code = meta.extract_meta(html).get("SiteIDCode") or None
        items = catalog.home_items(html, response.url, self.today)
        home = ColumnRecord(
            site.unit.code,
            site.role,
            site.unit.portal or response.url,
            "首页",
            "",
            None,
            None,
            None,
            is_home=True,
        )
        yield home
        yield ListRecord(site.unit.code, site.role, home.url, items, first_page=True)
        yield ColumnDone(site.unit.code, site.role, home.url, "ok", 1, len(items))
        disclosure = discovery.normalise_url(site.unit.disclosure)
        for link in catalog.extract_nav(html, response.url):
            if not discovery.PORTAL_CATALOG_NAMES.search(link.name.strip()):
                continue
            if netloc(link.url) not in site.unit.allowed_hosts:
                continue
            key = discovery.normalise_url(link.url)
            if key == disclosure or key in site.seen:
                continue  # the portal links straight to the platform: one catalog, nothing to compare
            site.seen.add(key)
            site.root = link.url
            yield self.req(site, link.url, self.parse_catalog, "catalog", depth=0, path=())
            break

    # -- catalog discovery -----------------------------------------------------------------
    def parse_catalog(self, response: Response) -> Iterator[Any]:
        site = self.site_of(response)
        depth: int = response.meta["depth"]
        path: tuple[str, ...] = response.meta["path"]
        name: str = response.meta.get("name", "")
        block = self.blocked(response)
        yield self.record(response, site, block)
        section = classify.classify_section(name, response.url) if depth else None
        if block or response.status >= 400:
            if depth == 0:
                if block:
                    site.block = block
                else:
                    site.error = f"HTTP {response.status} on the catalog root {response.url}"
                yield from self.unassessed_known_columns(site, block or "failed")
                return
            if section:
                yield SectionRecord(
                    site.unit.code,
                    site.role,
                    section,
                    name,
                    response.meta["link"],
                    response.status,
                    False,
                )
            yield from self.failed_column(
                site,
                response.meta["link"],
                name,
                path,
                "blocked" if block else "failed",
                block or f"HTTP {response.status}",
            )
            return
        html = self.decode(response)
        if depth == 0:
            site.cms = site.cms or classify.cms_family(html, response.url)
            site.site_id_code = (
                site.site_id_code or meta.extract_meta(html).get("SiteIDCode") or None
            )
        links = self.catalog_links(site, html, response.url)
        if depth == 0:
            site.nav_links = [(link.name, link.url) for link in links]
            site.top_names = {link.path[0] for link in links if link.path}
            if self.try_reuse(site):
                yield from self.crawl_known(site)
                return
        if section:
            yield SectionRecord(
                site.unit.code,
                site.role,
                section,
                name,
                response.meta["link"],
                response.status,
                True,
            )
        children = []
        for link in links:
            key = discovery.normalise_url(link.url)
            if key in site.seen:
                continue
            site.seen.add(key)
            children.append(link)
        if depth > 0:
            page = listing.extract_list(html, response.url, self.today)
            is_list = bool(
                page.items or page.placeholder or page.pagination.urls or page.pagination.hanweb
            )
            if is_list or (not children and discovery.content_chars(html) < 200 and not section):
                yield from self.start_column(site, response, html, page, name, path)
        if depth < self.max_depth:
            for link in children:
                if len(site.columns) >= self.max_columns:
                    break
                child_path = discovery.compose_path(path, link.path, site.top_names)
                yield self.req(
                    site,
                    link.url,
                    self.parse_catalog,
                    "catalog",
                    depth=depth + 1,
                    path=child_path,
                    name=link.name,
                    link=link.url,
                )
        if depth == 0:
            yield from self.gkmlpt_columns(site, html, response.url)

    def catalog_links(self, site: SiteState, html: str, url: str) -> list[NavLink]:
        out = []
        for link in catalog.extract_nav(html, url):
            if discovery.is_chrome(link.name) or classify.is_detail_url(link.url):
                continue
            if netloc(link.url) not in site.unit.allowed_hosts:
                continue
            if (
                netloc(link.url) == netloc(site.root)
                and not discovery.in_scope(link.url, site.root, site.shared_host)
                and not classify.classify_section(link.name, link.url)
            ):
                continue
            if (
                site.role == "disclosure"
                and site.unit.portal
                and (discovery.normalise_url(link.url) == discovery.normalise_url(site.unit.portal))
            ):
                continue
            out.append(link)
        return out

    def gkmlpt_columns(self, site: SiteState, html: str, url: str) -> Iterator[Any]:
        tree = jsonapi.find_config_tree(html, url)
        sid = jsonapi.config_site_id(html)
        for link in tree:
            if link.url in site.columns or not link.path:
                continue
            col_id = link.url.rsplit("#", 1)[-1]
            state = self.new_column(site, link.url, link.name, link.path)
            yield self.column_record(site, state, None)
            yield self.req(
                site,
                jsonapi.api_url(url, col_id, 1, sid),
                self.parse_api,
                "api",
                column=link.url,
                col_id=col_id,
                sid=sid,
                page=1,
                base=url,
            )

    # -- reuse a known catalog on incremental runs -----------------------------------------
    def try_reuse(self, site: SiteState) -> bool:
        row = self.site_row(site)
        if not row or not row[1] or not row[2]:
            return False
        sig = discovery.nav_signature(site.nav_links)
        age = (clock.now() - clock.parse(row[2])).days
        if sig != row[1] or age >= self.refresh_days:
            return False
        site.reused = True
        return True

    def crawl_known(self, site: SiteState) -> Iterator[Any]:
        for url, name, cpath, etag, last_modified in self.known_columns(site):
            state = self.new_column(site, url, name, tuple(p for p in cpath.split("/") if p))
            state.known = True
            if "#" in url:  # a JSON-API column: the fragment names the column id
                continue
            headers = {}
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            request = self.req(site, url, self.parse_list, "list", column=url, first=True)
            request.headers.update(headers)
            yield request
        # JSON-API columns come back through the config tree on the root page.
        if any("#" in u for u in site.columns):
            yield self.req(site, site.root, self.parse_reused_root, "catalog")

    def parse_reused_root(self, response: Response) -> Iterator[Any]:
        site = self.site_of(response)
        yield self.record(response, site)
        html = self.decode(response)
        sid = jsonapi.config_site_id(html)
        for link in jsonapi.find_config_tree(html, response.url):
            if link.url in site.columns:
                col_id = link.url.rsplit("#", 1)[-1]
                yield self.req(
                    site,
                    jsonapi.api_url(response.url, col_id, 1, sid),
                    self.parse_api,
                    "api",
                    column=link.url,
                    col_id=col_id,
                    sid=sid,
                    page=1,
                    base=response.url,
                )

    def unassessed_known_columns(self, site: SiteState, status: str) -> Iterator[Any]:
        for url, *_ in self.known_columns(site):
            yield ColumnDone(
                site.unit.code,
                site.role,
                url,
                "blocked" if status != "failed" else "failed",
                0,
                0,
                error=site.block or site.error,
            )

    # -- columns ---------------------------------------------------------------------------
    def new_column(
        self, site: SiteState, url: str, name: str, path: tuple[str, ...]
    ) -> ColumnState:
        state = site.columns.get(url)
        if state is None:
            state = ColumnState(url=url, name=name or (path[-1] if path else url), path=path)
            site.columns[url] = state
        return state

    def column_record(self, site: SiteState, state: ColumnState, html: str | None) -> ColumnRecord:
        column_type = column_name = None
        if html:
            m = meta.extract_meta(html)
            column_type, column_name = m.get("ColumnType") or None, m.get("ColumnName") or None
        override = next((c for c in site.unit.columns if c.url == state.url), None)
        if override and override.category:
            category, source = override.category, "config"
        else:
            category = classify.classify_category(state.name, column_type, column_name)
            source = (
                "meta"
                if (column_type or column_name) and category
                else ("name" if category else None)
            )
        section = None
        for part in state.path:
            section = classify.classify_section(part, "")
            if section:
                break
        name = override.name if override and override.name else state.name
        return ColumnRecord(
            site.unit.code,
            site.role,
            state.url,
            name,
            "/".join(state.path),
            category,
            source,
            section,
        )

    def start_column(
        self,
        site: SiteState,
        response: Response,
        html: str,
        page: ListPage,
        name: str,
        path: tuple[str, ...],
    ) -> Iterator[Any]:
        url = response.meta.get("link", response.url)
        if not path:
            crumbs = discovery.path_from_breadcrumb(catalog.extract_breadcrumb(html))
            path = crumbs or (name,)
        state = self.new_column(site, url, name, path)
        yield self.column_record(site, state, html)
        yield from self.column_page(site, state, response, page, first=True)

    def parse_list(self, response: Response) -> Iterator[Any]:
        site = self.site_of(response)
        state = site.columns[response.meta["column"]]
        first = response.meta.get("first", False)
        if response.status == 304:
            yield self.record(response, site)
            state.done = True
            yield ColumnDone(site.unit.code, site.role, state.url, "ok", 1, 0, unchanged=True)
            return
        block = self.blocked(response)
        yield self.record(response, site, block)
        if block or response.status >= 400:
            if not first and not block and response.status == 404 and state.pages:
                yield from self.finish_column(site, state)  # a pager that promises more than exists
            else:
                yield from self.fail_column(
                    site,
                    state,
                    "blocked" if block else "failed",
                    block or f"HTTP {response.status} at {response.url}",
                )
            return
        html = self.decode(response)
        if first:
            yield self.column_record(site, state, html)
        page = listing.extract_list(html, response.url, self.today)
        yield from self.column_page(site, state, response, page, first=first)

    def column_page(
        self, site: SiteState, state: ColumnState, response: Response, page: ListPage, first: bool
    ) -> Iterator[Any]:
        state.pages += 1
        state.seen_pages.add(discovery.normalise_url(response.url))
        if first:
            state.queue.clear()
            state.etag = header(response, "ETag")
            state.last_modified = header(response, "Last-Modified")
        yield from self.emit_items(site, state, page.items, first, response)
        if page.placeholder and not page.items and first:
            state.done = True
            yield ColumnDone(site.unit.code, site.role, state.url, "placeholder", state.pages, 0)
            return
        if page.pagination.hanweb and first:
            yield from self.hanweb_next(site, state, page, group=1, candidates=None)
            return
        for nxt in page.pagination.urls:
            key = discovery.normalise_url(nxt)
            if key not in state.seen_pages and nxt not in state.queue:
                state.queue.append(nxt)
        # Incremental: new items appear at the top, so a page of only known items ends the
        # column; pinned items cannot stop it early because the whole page must be known.
        stop = self.all_known(site, state, page.items)
        if state.queue and not stop and state.pages < self.max_pages:
            yield self.req(site, state.queue.popleft(), self.parse_list, "list", column=state.url)
        else:
            yield from self.finish_column(site, state)

    def all_known(self, site: SiteState, state: ColumnState, items: list[ListItem]) -> bool:
        if not items:
            return True
        urls = {i.url for i in items}
        return len(self.known_items(site, state.url, urls)) == len(urls)

    def emit_items(
        self,
        site: SiteState,
        state: ColumnState,
        items: list[ListItem],
        first: bool,
        response: Response,
    ) -> Iterator[Any]:
        state.items_seen += len(items)
        yield ListRecord(site.unit.code, site.role, state.url, items, first_page=first)
        if self.detail_mode == "none" or not items:
            return
        known = self.known_items(site, state.url, (i.url for i in items))
        for item in items:
            if item.url in known or item.url.lower().endswith(ATTACHMENTS):
                continue
            if self.detail_mode == "dateless" and item.date is not None:
                continue
            if netloc(item.url) not in site.unit.allowed_hosts:
                continue
            yield self.req(
                site,
                item.url,
                self.parse_detail,
                "detail",
                column=state.url,
                had_date=item.date is not None,
            )

    def finish_column(self, site: SiteState, state: ColumnState) -> Iterator[Any]:
        if state.done:
            return
        state.done = True
        yield ColumnDone(
            site.unit.code,
            site.role,
            state.url,
            "ok",
            state.pages,
            state.items_seen,
            etag=state.etag,
            last_modified=state.last_modified,
        )

    def fail_column(
        self, site: SiteState, state: ColumnState, status: str, error: str
    ) -> Iterator[Any]:
        if state.done:
            return
        state.done = True
        yield ColumnDone(
            site.unit.code, site.role, state.url, status, state.pages, state.items_seen, error=error
        )

    def failed_column(
        self, site: SiteState, url: str, name: str, path: tuple[str, ...], status: str, error: str
    ) -> Iterator[Any]:
        state = self.new_column(site, url, name, path or (name,))
        yield self.column_record(site, state, None)
        yield from self.fail_column(site, state, status, error)

    # -- Hanweb dataproxy ------------------------------------------------------------------
    def hanweb_next(
        self,
        site: SiteState,
        state: ColumnState,
        page: ListPage,
        group: int,
        candidates: list[str] | None,
    ) -> Iterator[Any]:
        paging = page.pagination.hanweb
        per_page = paging.per_page or 15
        total = paging.total_records or 0
        groups = math.ceil(total / (per_page * 3)) if total else 1
        if group > groups or state.pages >= self.max_pages:
            yield from self.finish_column(site, state)
            return
        candidates = candidates or hanweb.proxy_candidates(paging.proxy_url)
        url, form = hanweb.post_group(paging, group)
        proxy = candidates[0]
        url = proxy + url[url.index("?") :] if "?" in url else proxy
        yield scrapy.FormRequest(
            url,
            formdata=form,
            callback=self.parse_dataproxy,
            errback=self.on_error,
            dont_filter=True,
            priority=10,
            meta=dict(
                unit=site.unit.code,
                role=site.role,
                kind="list",
                column=state.url,
                allowed_hosts=site.unit.allowed_hosts,
                paging=paging,
                group=group,
                candidates=candidates,
                page=page,
            ),
        )

    def parse_dataproxy(self, response: Response) -> Iterator[Any]:
        site = self.site_of(response)
        state = site.columns[response.meta["column"]]
        block = self.blocked(response)
        yield self.record(response, site, block)
        candidates: list[str] = response.meta["candidates"]
        if response.status == 404 and len(candidates) > 1:
            yield from self.hanweb_next(
                site, state, response.meta["page"], response.meta["group"], candidates[1:]
            )
            return
        if block or response.status >= 400:
            yield from self.fail_column(
                site,
                state,
                "blocked" if block else "failed",
                block or f"HTTP {response.status} at {response.url}",
            )
            return
        items, _total, _pages = hanweb.parse_datastore(
            self.decode(response), response.url, self.today
        )
        state.pages += 1
        yield from self.emit_items(site, state, items, False, response)
        if not items or self.all_known(site, state, items):
            yield from self.finish_column(site, state)
            return
        yield from self.hanweb_next(
            site, state, response.meta["page"], response.meta["group"] + 1, candidates[:1]
        )

    # -- JSON API platforms ----------------------------------------------------------------
    def parse_api(self, response: Response) -> Iterator[Any]:
        site = self.site_of(response)
        state = site.columns[response.meta["column"]]
        block = self.blocked(response)
        yield self.record(response, site, block)
        page_no = response.meta["page"]
        if block or response.status >= 400:
            if page_no > 1 and not block:
                yield from self.finish_column(site, state)  # real gkmlpt sites 404 past the end
            else:
                yield from self.fail_column(
                    site,
                    state,
                    "blocked" if block else "failed",
                    block or f"HTTP {response.status} at {response.url}",
                )
            return
        items, info = jsonapi.parse_api(response.text, response.meta["base"])
        state.pages += 1
        yield from self.emit_items(site, state, items, page_no == 1, response)
        more = bool(items) and page_no < self.max_pages
        if info.get("post_count") is not None:
            more = more and state.items_seen < int(info["post_count"])
        if more and not (state.known and self.all_known(site, state, items)):
            yield self.req(
                site,
                jsonapi.api_url(
                    response.meta["base"],
                    response.meta["col_id"],
                    page_no + 1,
                    response.meta["sid"],
                ),
                self.parse_api,
                "api",
                column=state.url,
                col_id=response.meta["col_id"],
                sid=response.meta["sid"],
                page=page_no + 1,
                base=response.meta["base"],
            )
        else:
            yield from self.finish_column(site, state)

    # -- details -----------------------------------------------------------------------------
    def parse_detail(self, response: Response) -> Iterator[Any]:
        site = self.site_of(response)
        block = self.blocked(response)
        yield self.record(response, site, block)
        if block or response.status >= 400:
            return
        detail = meta.extract_detail(self.decode(response), response.url, self.today)
        iso = lambda d: d.isoformat() if d else None  # noqa: E731
        yield DetailRecord(
            site.unit.code,
            site.role,
            response.meta["column"],
            response.request.url,
            iso(detail.pub_date or detail.meta_pub_date),
            iso(detail.meta_pub_date),
            detail.index_no,
            detail.doc_no,
            detail.publisher,
            iso(detail.written_date),
            detail.title,
        )

    # -- failures ----------------------------------------------------------------------------
    def on_error(self, failure) -> Iterator[Any]:
        request = failure.request
        site = self.site_of(request)
        kind = request.meta["kind"]
        error = f"{failure.type.__name__}: {failure.getErrorMessage()}"[:300]
        site.pages += 1
        site.failures += 1
        yield PageRecord(site.unit.code, site.role, request.url, kind, None, 0, None, error=error)
        if kind == "home" or (kind == "catalog" and request.meta.get("depth") == 0):
            site.down = True
            site.error = error
            yield from self.unassessed_known_columns(site, "failed")
            return
        column = request.meta.get("column") or request.meta.get("link")
        if kind == "catalog":
            name = request.meta.get("name", "")
            section = classify.classify_section(name, request.url)
            if section:
                yield SectionRecord(
                    site.unit.code, site.role, section, name, request.url, None, False
                )
            yield from self.failed_column(
                site, request.url, name, request.meta.get("path", ()), "failed", error
            )
        elif column and column in site.columns and kind in ("list", "api"):
            yield from self.fail_column(site, site.columns[column], "failed", error)


ATTACHMENTS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".zip", ".rar", ".wps", ".ofd")


def header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
