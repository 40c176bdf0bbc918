"""Middlewares: keep each unit's spider on its own hosts, back off on retries, follow meta
refreshes without decoding every page, name redirect dead ends and unreadable bodies, turn
parser errors into failure records, batch a callback's records into one item."""

from __future__ import annotations

import asyncio
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response

from crawler import offsite
from crawler.items import Records
from zwgk.units import host_allowed


class UnitHostsMiddleware:
    """Drop any request (redirects included) to a host the unit's config does not name.

    Scrapy's OffsiteMiddleware works per spider; a run crawls many units, each with its own
    hosts, so the allowed set travels with every request in `meta["allowed_hosts"]` (on
    distributed workers too); `zwgk.units.host_allowed` applies the units file's port rule.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> UnitHostsMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider=None):
        allowed = request.meta.get("allowed_hosts")
        if request.meta.get(offsite.META) is not None:
            # An off-site link check (the operator's grant): only as crawler.offsite's gate
            # cleared it, for this very host (each redirect hop is cleared again).
            if request.meta.get(offsite.CLEARED) != urlsplit(request.url).netloc:
                self.stats.inc_value("zwgk/offsite_dropped")
                raise offsite.OffsiteRefused(f"off-site check not cleared: {request.url}")
            return None
        if allowed is None:
            return None
        try:
            host = urlsplit(request.url).netloc
        except ValueError:  # a URL that does not parse is never fetched
            host = ""
        if not host_allowed(host, allowed):
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
        if request.meta.get(offsite.META) is not None:
            return response  # an off-site check's body is never read, nor a refresh followed
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


class UnusableResponse(IgnoreRequest):
    """A response the spider cannot read (a redirect loop, a redirect to ftp:, an empty or
    binary body): dropped with the reason, so the errback records a failed page instead of a
    blank column. `status` is the HTTP status the server gave, when there was one."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.status = status


class GuardedRedirectMiddleware(RedirectMiddleware):
    """Scrapy's RedirectMiddleware, with every dead end named.

    Scrapy passes a redirect to a non-HTTP URL (ftp:, javascript:, file:) back as the 3xx
    response itself, which our callbacks would read as an empty page; and a loop A -> B -> A
    sends A back through the dupefilter, which drops it silently. Both become failures.
    """

    def process_response(self, request: Request, response: Response, spider=None):
        location = response.headers.get("Location")
        if response.status in (301, 302, 303, 307, 308) and location:
            target = urljoin(request.url, location.decode("latin-1").strip())
            if urlsplit(target).scheme.lower() not in ("http", "https"):
                raise UnusableResponse(
                    f"redirect to a non-HTTP URL: {target[:120]}", response.status
                )
        try:
            result = super().process_response(request, response)
        except IgnoreRequest:  # more than REDIRECT_MAX_TIMES hops (an off-site check: fewer)
            chain = [*request.meta.get("redirect_urls", []), request.url]
            limit = self.max_redirect_times
            if request.meta.get(offsite.META) is not None:
                raise offsite.OffsiteRefused(
                    f"off-site check: more than {offsite.OFFSITE_REDIRECTS} redirects,"
                    f" not followed: {' -> '.join(chain)}"[:300]
                ) from None
            raise UnusableResponse(
                f"more than {limit} redirects: {' -> '.join(chain)}"[:300],
                response.status,
            ) from None
        if isinstance(result, Request):
            chain = [*request.meta.get("redirect_urls", []), request.url]
            if result.url in chain:
                raise UnusableResponse(
                    f"redirect loop: {' -> '.join([*chain, result.url])}"[:300], response.status
                )
        return result


#: Magic numbers of files a server may send in place of a page (misconfigured CMS downloads).
_MAGIC = {
    b"\x89PNG": "PNG image",
    b"GIF8": "GIF image",
    b"\xff\xd8\xff": "JPEG image",
    b"PK\x03\x04": "zip archive (or .docx/.xlsx)",
    b"%PDF": "PDF document",
    b"\x1f\x8b": "gzip data",
    b"\xd0\xcf\x11\xe0": "Office document (.doc/.xls)",
    b"Rar!": "RAR archive",
    b"7z\xbc\xaf": "7z archive",
}
_CONTROL = bytes(range(0, 9)) + bytes(range(14, 32))
#: Pages whose body must be HTML or JSON; a detail URL may lead to an attachment, not a failure.
_PAGE_KINDS = frozenset({"home", "root", "catalog", "list", "api"})


def unreadable_body(body: bytes) -> str | None:
    """Why a 2xx body cannot be a page (empty, a known binary format, control-byte junk), or
    None. UTF-16 pages (a BOM, or NULs between ASCII bytes) are text."""
    if not body.strip():
        return "empty response body"
    for magic, what in _MAGIC.items():
        if body.startswith(magic):
            return f"binary content ({what}) instead of a page"
    head = body[:1024]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or head[1::2].count(0) > len(head) // 4:
        return None
    if sum(head.count(c) for c in _CONTROL) > len(head) // 20:
        return "binary content instead of a page"
    return None


class UnreadableBodyMiddleware:
    """A 2xx page whose body is empty or binary fails its page (with the reason) before any
    callback reads it as a page without links or items, i.e. a blank column."""

    def process_response(self, request: Request, response: Response, spider=None):
        if 200 <= response.status < 300 and request.meta.get("kind") in _PAGE_KINDS:
            why = unreadable_body(response.body)
            if why:
                raise UnusableResponse(f"{why} (HTTP {response.status})", response.status)
        return response
