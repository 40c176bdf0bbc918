"""Components that cut Scrapy's per-page costs, each keeping what the crawl relies on:
RecordBatchMiddleware (records' order, their place before the page's requests, parser-error
recovery), QuietLogFormatter (DEBUG lines at DEBUG) and QuickMetaRefreshMiddleware (refreshes
still followed)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator

import scrapy
from scrapy.core.spidermw import SpiderMiddlewareManager
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler.items import ColumnDone, PageRecord, Records
from crawler.logformatter import QuietLogFormatter
from crawler.middlewares import RecordBatchMiddleware

URL = "http://127.0.0.1:9/xxgk/tzgg/"


def page(n: int) -> PageRecord:
    return PageRecord("u", "disclosure", f"{URL}index_{n}.html", "list", 200, 1, 1)


class OneCallback(scrapy.Spider):
    name = "batches"

    def parse(self, response):
        yield page(1)
        yield Request(URL + "index_1.html")
        yield page(2)
        if response.meta.get("crash"):
            raise ValueError("parser choked")
        yield Request(URL + "index_2.html")
        yield ColumnDone("u", "disclosure", URL, "ok", 2, 0)

    def on_parse_error(self, response, exc) -> Iterator[PageRecord]:
        yield PageRecord("u", "disclosure", response.url, "list", 200, 1, None, error=str(exc))


def run_callback(crash: bool) -> list:
    crawler = get_crawler(
        OneCallback,
        {
            "SPIDER_MIDDLEWARES": {
                "crawler.middlewares.ParseErrorMiddleware": 950,
                "crawler.middlewares.RecordBatchMiddleware": 940,
            }
        },
    )
    crawler.spider = crawler._create_spider()
    manager = SpiderMiddlewareManager.from_crawler(crawler)
    request = Request(URL, meta={"crash": crash})
    response = HtmlResponse(URL, body=b"<html></html>", request=request)

    async def scrape(response, request):
        return crawler.spider.parse(response)

    async def collect() -> list:
        chain = await manager.scrape_response_async(scrape, response, request)
        return [out async for out in chain]

    return asyncio.run(collect())


def test_a_callbacks_records_become_one_item_before_its_requests() -> None:
    out = run_callback(crash=False)
    assert isinstance(out[0], Records)
    assert [type(r).__name__ for r in out[0].records] == ["PageRecord", "PageRecord", "ColumnDone"]
    assert [r.url for r in out[0].records[:2]] == [URL + "index_1.html", URL + "index_2.html"]
    assert [o.url for o in out[1:]] == [URL + "index_1.html", URL + "index_2.html"]


def test_records_before_a_parser_error_and_the_recovery_are_both_kept() -> None:
    out = run_callback(crash=True)
    batches = [o for o in out if isinstance(o, Records)]
    assert len(batches) == 2
    assert [r.url for r in batches[0].records] == [URL + "index_1.html", URL + "index_2.html"]
    assert "parser choked" in batches[1].records[0].error
    assert [o.url for o in out if isinstance(o, Request)] == [URL + "index_1.html"]


def test_sync_path_batches_the_same_way() -> None:
    mw = RecordBatchMiddleware()
    out = list(mw.process_spider_output(None, [page(1), Request(URL), page(2)]))
    assert isinstance(out[0], Records) and len(out[0].records) == 2
    assert isinstance(out[1], Request)
    assert list(mw.process_spider_output(None, [Request(URL)]))[0].url == URL

    async def agen() -> AsyncIterator:
        for x in (Request(URL), page(3)):
            yield x

    async def collect() -> list:
        return [o async for o in mw.process_spider_output_async(None, agen())]

    out = asyncio.run(collect())
    assert isinstance(out[0], Records) and isinstance(out[1], Request)


def test_per_page_debug_lines_are_built_only_at_debug_level() -> None:
    request = Request(URL)
    response = HtmlResponse(URL, body=b"", request=request)
    quiet = QuietLogFormatter.from_crawler(get_crawler(settings_dict={"LOG_LEVEL": "INFO"}))
    assert quiet.crawled(request, response, None) is None
    assert quiet.scraped(page(1), response, None) is None
    loud = QuietLogFormatter.from_crawler(get_crawler(settings_dict={"LOG_LEVEL": "DEBUG"}))
    assert loud.crawled(request, response, None)["level"] == logging.DEBUG
    assert loud.scraped(page(1), response, None)["level"] == logging.DEBUG


def test_meta_refresh_still_followed_and_plain_pages_pass_undecoded() -> None:
    from crawler.middlewares import QuickMetaRefreshMiddleware

    crawler = get_crawler(scrapy.Spider)
    mw = QuickMetaRefreshMiddleware.from_crawler(crawler)
    request = Request(URL)
    refresh = b'<html><head><META HTTP-EQUIV="Refresh" CONTENT="0; URL=./list.html"></head></html>'
    out = mw.process_response(request, HtmlResponse(URL, body=refresh, request=request))
    assert isinstance(out, Request) and out.url == URL + "list.html"
    utf16 = '<html><head><meta http-equiv="refresh" content="0;url=/x/"></head></html>'.encode(
        "utf-16"
    )
    response = HtmlResponse(URL, body=utf16, request=request, encoding="utf-16")
    out = mw.process_response(request, response)
    assert isinstance(out, Request) and out.url.startswith("http://127.0.0.1:9/x/")
    plain = HtmlResponse(URL, body="<html><body>通知公告</body></html>".encode(), request=request)
    assert mw.process_response(request, plain) is plain
    assert plain._cached_ubody is None  # never decoded
