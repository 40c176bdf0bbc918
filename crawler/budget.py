"""Bounded work per site: caps on detail requests per list page, per column and per site, and on
the items kept from one list page.

A site that lists 100,000 dateless items, or one page of 50,000 links, must not turn a daily
crawl into a week of detail requests. Each cap that bites is recorded: the column's ColumnDone
becomes `capped` (what was read is real and newest first, so still assessed, like the page
limit) with the cap in `error`, which `zwgk columns` and the run summary show.

This is a spider middleware between the callbacks and RecordBatchMiddleware, so the spider's
paging code is untouched: it sees each callback's ListRecords, detail requests and ColumnDone
in order. Counts live in this process; in distributed mode each worker counts its own share,
so the per-column and per-site caps hold per worker.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import replace
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler

from crawler.items import ColumnDone, ListRecord


class DetailBudgetMiddleware:
    def __init__(
        self, per_page: int, per_column: int, per_site: int, items_per_page: int, stats=None
    ) -> None:
        self.per_page = per_page
        self.per_column = per_column
        self.per_site = per_site
        self.items_per_page = items_per_page
        self.stats = stats
        self.columns: dict[tuple[str, str, str], int] = {}
        self.sites: dict[tuple[str, str], int] = {}
        self.partial: dict[tuple[str, str, str], str] = {}  # column -> first cap that bit

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DetailBudgetMiddleware:
        s = crawler.settings
        return cls(
            s.getint("ZWGK_MAX_DETAILS_PER_PAGE", 200),
            s.getint("ZWGK_MAX_DETAILS_PER_COLUMN", 2000),
            s.getint("ZWGK_MAX_DETAILS_PER_SITE", 20000),
            s.getint("ZWGK_MAX_ITEMS_PER_PAGE", 1000),
            crawler.stats,
        )

    # -- one callback's output ----------------------------------------------------------------
    def process_spider_output(self, response, result: Iterable[Any], spider=None) -> Iterator:
        page = _Page()
        for out in result:
            out = self.filter(out, page)
            if out is not None:
                yield out

    async def process_spider_output_async(self, response, result, spider=None) -> AsyncIterator:
        page = _Page()
        async for out in result:
            out = self.filter(out, page)
            if out is not None:
                yield out

    def filter(self, out: Any, page: _Page) -> Any:
        if isinstance(out, ListRecord):
            page.column, page.details = (out.unit, out.role, out.column_url), 0
            if len(out.items) > self.items_per_page:
                self.bite(page.column, f"{len(out.items)} items on one page, kept the first "
                          f"{self.items_per_page} (max_items_per_page)")  # fmt: skip
                out = replace(out, items=out.items[: self.items_per_page])
            return out
        if isinstance(out, Request) and out.meta.get("kind") == "detail" and page.column:
            return out if self.allow(page) else None
        if isinstance(out, ColumnDone) and out.status == "ok" and out.error is None:
            why = self.partial.get((out.unit, out.role, out.column_url))
            if why:
                # Read as far as the caps allow: newest first, so still judged (like the page limit).
                return replace(out, status="capped", error=why)
        return out

    def allow(self, page: _Page) -> bool:
        column = page.column
        site = column[:2]
        if page.details >= self.per_page:
            why = f"more than {self.per_page} detail pages on one list page (max_details_per_page)"
        elif self.columns.get(column, 0) >= self.per_column:
            why = f"detail pages stopped at {self.per_column} (max_details_per_column)"
        elif self.sites.get(site, 0) >= self.per_site:
            why = f"the site's detail pages stopped at {self.per_site} (max_details_per_site)"
        else:
            page.details += 1
            self.columns[column] = self.columns.get(column, 0) + 1
            self.sites[site] = self.sites.get(site, 0) + 1
            return True
        self.bite(column, why)
        if self.stats:
            self.stats.inc_value("zwgk/details_capped")
        return False

    def bite(self, column: tuple[str, str, str], why: str) -> None:
        self.partial.setdefault(column, why)


class _Page:
    """The column whose ListRecord came last in this callback's output, and its detail count."""

    __slots__ = ("column", "details")

    def __init__(self) -> None:
        self.column: tuple[str, str, str] | None = None
        self.details = 0
