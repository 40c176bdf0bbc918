"""The one spider: for every unit, the portal home page, the portal's 政府信息公开 catalog and the
disclosure platform's catalog tree, then every column through all its pages, then detail pages
of new (or dateless) items.

Parsing is delegated to crawler.extract (pure functions); this module decides what to fetch next
and what the store should know. The spider keeps no per-site state in memory: a column's paging
state rides in `request.meta["col"]` and everything else is read from the store, so the same
spider runs unchanged on a shared scrapy-redis queue, where any worker may handle any request.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from crawler import discovery
from crawler.evidence import EvidenceCapture
from crawler.extract import charset, classify, meta, waf
from crawler.items import (
    LinkResult,
    PageMeta,
    PageRecord,
    SectionRecord,
)
from crawler.middlewares import UnusableResponse
from crawler.spiders.catalog_walk import CatalogWalk
from crawler.spiders.column_pages import ColumnPages
from crawler.spiders.link_checks import LinkChecks
from crawler.spiders.platform_apis import PlatformApis
from crawler.spiders.state import PRIORITY, header, new_col
from crawler.spiders.store_reads import StoreReads
from zwgk import clock
from zwgk.units import Unit, host_allowed, load_units, netloc


class DisclosureSpider(
    StoreReads, CatalogWalk, ColumnPages, PlatformApis, LinkChecks, scrapy.Spider
):
    name = "zwgk"

    def __init__(self, units: str, db: str, run_id: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units: dict[str, Unit] = {u.code: u for u in load_units(units)}
        self.db_path = db
        self.run_id = int(run_id)
        self.today: date = clock.today()
        self._ro: sqlite3.Connection | None = None
        self._evidence: EvidenceCapture | None | bool = False  # False: not set up yet

    # -- settings -------------------------------------------------------------------------
    def setting(self, name: str, default: int) -> int:
        return self.settings.getint(name, default)

    @property
    def detail_mode(self) -> str:
        return self.settings.get("ZWGK_DETAIL_PAGES", "new")

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
        crawler.signals.connect(spider.link_bytes_received, signal=signals.bytes_received)
        crawler.signals.connect(spider.offsite_headers_received, signal=signals.headers_received)
        return spider

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
        rec = PageRecord(
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
        evidence = self.evidence
        if evidence is not None:
            evidence.page(rec, response)
        return rec

    @property
    def evidence(self) -> EvidenceCapture | None:
        if self._evidence is False:
            self._evidence = EvidenceCapture.from_settings(
                self.settings, self.db_path, self.run_id, lambda: self.ro
            )
        return self._evidence

    def page_meta(self, m: dict, url: str, kind: str, tags: dict[str, str]) -> PageMeta:
        """The page's metadata gaps for meta-missing, from the tags its callback already read
        (no second parse). The page counts for the site it lives on: under the disclosure
        root or on the platform's own host → disclosure; on the portal's host → portal; on an
        extra host → the site that linked it. A copy's item fetched through the portal is the
        platform's page, and which role fetches a shared URL first is crawl order, not fact."""
        unit = self.units[m["unit"]]
        host = netloc(url)
        if discovery.under(url, unit.disclosure):
            role = "disclosure"
        elif unit.portal and host == netloc(unit.portal):
            role = "portal"
        elif host == netloc(unit.disclosure):
            role = "disclosure"
        else:
            role = m["role"]
        absent, empty = meta.meta_gaps(tags, kind)
        return PageMeta(
            m["unit"],
            role,
            kind,
            url,
            ",".join(absent),
            ",".join(empty),
            tags.get("SiteIDCode", ""),
        )

    def decode(self, response: Response) -> str:
        return charset.decode_html(response.body, header(response, "Content-Type"))[0]

    def blocked(self, response: Response) -> str | None:
        headers = {
            k.decode("latin-1").lower(): b", ".join(v).decode("latin-1")
            for k, v in response.headers.items()
        }
        return waf.classify_block(response.status, headers, response.body, response.url)

    @staticmethod
    def refusal(response: Response, block: str | None) -> tuple[str, str]:
        """(column status, reason) for a page that was a WAF challenge or an HTTP error."""
        if block:
            return "blocked", block
        return "failed", f"HTTP {response.status} at {response.url}"

    def allowed(self, m: dict, url: str) -> bool:
        try:
            return host_allowed(netloc(url), m["allowed_hosts"])
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

    # -- failures ----------------------------------------------------------------------------
    def on_error(self, failure) -> Iterator[Any]:
        request = failure.request
        m = request.meta
        kind = m["kind"]
        # The URL we asked for (before redirects) is the one the store knows the page by.
        url = (m.get("redirect_urls") or [request.url])[0]
        error = f"{failure.type.__name__}: {failure.getErrorMessage()}"[:300]
        if "Cancelled" in failure.type.__name__ and not failure.getErrorMessage():
            # Scrapy cancels a body without Content-Length silently once it passes the limit.
            limit = self.settings.getint("DOWNLOAD_MAXSIZE")
            error = f"response body larger than DOWNLOAD_MAXSIZE ({limit} B): download cancelled"
        if failure.check(IgnoreRequest) and "offsite" in error:
            # The page answered by redirecting off the unit's hosts: say what to configure.
            error = (
                f"redirected off the unit's hosts ({failure.getErrorMessage()[:200]}); "
                "list the target host under `hosts:` if it belongs to the unit"
            )
        # A response we refused to read (redirect loop, empty or binary body) keeps its status.
        status = getattr(failure.value, "status", None)
        if isinstance(failure.value, UnusableResponse):
            error = str(failure.value)[:300]
        yield PageRecord(m["unit"], m["role"], url, kind, status, 0, None, error=error)
        answered = status is not None and 200 <= status < 300
        if (
            m.get("src")
            and not answered
            and not (failure.check(IgnoreRequest) and "offsite" in error)
        ):
            # broken-link: a catalog link the crawl fetched and found dead (not one redirected
            # off the unit's hosts: that one we may not follow, so cannot judge; not a file or
            # an empty page answering 2xx: the link works, it is just no catalog page).
            yield LinkResult(m["unit"], m["role"], url, m["src"], status, error, ok=False,
                             crawled=True)  # fmt: skip
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
            yield from self.failed_column(m, m["col"], "failed", error, url=url)
