"""Middlewares: keep each unit's spider on its own hosts, back off on retries, follow meta
refreshes without decoding every page, turn parser errors into failure records, batch a
callback's records into one item."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response

from crawler.items import Records


class UnitHostsMiddleware:
    """Drop any request (redirects included) to a host the unit's config does not name.

    Scrapy's OffsiteMiddleware works per spider; a run crawls many units, each with its own
    hosts, so the allowed set travels with every request in `meta["allowed_hosts"]`.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> UnitHostsMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider=None):
        allowed = request.meta.get("allowed_hosts")
        if allowed is None:
            return None
        host = urlsplit(request.url).netloc.lower()
        if host not in allowed:
            self.stats.inc_value("zwgk/offsite_dropped")
            raise IgnoreRequest(f"offsite for unit {request.meta.get('unit')}: {request.url}")
        return None


class RetryBackoffMiddleware:
    """Wait base × 2^(n-1) seconds before the n-th retry of a request.

    Scrapy's RetryMiddleware re-schedules at once; a struggling government server is better
    served by spacing retries out. Sleeping here happens before the request takes a download slot.
    """

    def __init__(self, base: float) -> None:
        self.base = base

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryBackoffMiddleware:
        return cls(crawler.settings.getfloat("ZWGK_RETRY_BACKOFF_BASE", 1.0))

    async def process_request(self, request: Request, spider=None):
        tries = request.meta.get("retry_times", 0)
        if tries and self.base > 0:
            await asyncio.sleep(self.base * 2 ** (tries - 1))
        return None


#: Scrapy looks for a refresh in the first 4,096 characters: at most 4 bytes each.
_REFRESH_SCAN = 4 * 4096


class QuickMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's MetaRefreshMiddleware, which decodes the whole of every HTML response (and
    works out its base URL) before looking for `<meta http-equiv="refresh">`: a page whose
    first 16 KB never spell "refresh" is passed on undecoded. UTF-16 pages (NUL bytes), where
    the bytes cannot spell it, still get the full check."""

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if isinstance(response, HtmlResponse):
            head = response.body[:_REFRESH_SCAN]
            if b"\x00" not in head and b"refresh" not in head.lower():
                return response
        return super().process_response(request, response)


class ParseErrorMiddleware:
    """A callback that raises must not lose the page silently: the spider turns the exception
    into failure records (the column or site becomes not assessed, `crawl-failed` names it)."""

    def process_spider_exception(self, response, exception, spider=None):
        spider = spider or self.crawler.spider
        handler = getattr(spider, "on_parse_error", None)
        if handler is None:
            return None
        return list(handler(response, exception))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ParseErrorMiddleware:
        mw = cls()
        mw.crawler = crawler
        return mw


class RecordBatchMiddleware:
    """Hand the store one `Records` item per callback instead of each record on its own.

    A list page yields a page record, its list, often a column record and a ColumnDone; each
    item costs Scrapy an item-pipeline pass, an item_scraped signal and a log record, which on
    a large crawl added up to more than the store writes. Records keep their order and go
    before the callback's requests, so a page's records always reach the store before any page
    it leads to (the distributed scheduler relies on that too). Records recovered from a parser
    error (ParseErrorMiddleware, closer to the spider) arrive as a batch of their own.
    """

    def process_spider_output(self, response, result, spider=None):
        records: list = []
        requests: list = []
        for out in result:
            (requests if isinstance(out, Request) else records).append(out)
        if records:
            yield Records(records)
        yield from requests

    async def process_spider_output_async(self, response, result, spider=None):
        records: list = []
        requests: list = []
        async for out in result:
            (requests if isinstance(out, Request) else records).append(out)
        if records:
            yield Records(records)
        for request in requests:
            yield request
