"""A page the parsers choke on is recorded as a failure, never as an empty or healthy site; and
hrefs that do not parse are dropped by the extractors instead of crashing them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from scrapy.http import HtmlResponse, Request

from crawler.extract import catalog, jsonapi, listing
from crawler.items import ColumnDone, ColumnRecord, PageRecord
from crawler.middlewares import ParseErrorMiddleware
from crawler.spiders.disclosure import DisclosureSpider, new_col

BAD = '<a href="http://[bad/x.html">坏链接</a>'
TODAY = date(2026, 11, 29)


def test_extractors_drop_unparseable_hrefs() -> None:
    html = f"<ul><li>{BAD}</li><li><a href='/xxgk/tzgg/'>通知公告</a></li></ul>"
    assert [n.name for n in catalog.extract_nav(html, "http://127.0.0.1/xxgk/")] == ["通知公告"]
    page = listing.extract_list(
        f"<ul><li>{BAD}<span>2026-11-20</span></li>"
        "<li><a href='./202611/t20261120_1.html'>好</a><span>2026-11-20</span></li></ul>",
        "http://127.0.0.1/xxgk/tzgg/",
        TODAY,
    )
    assert [i.title for i in page.items] == ["好"]
    items, info = jsonapi.parse_api('{"classify": "oops", "articles": []}', "http://127.0.0.1/")
    assert (items, info) == ([], {})


def spider(tmp_path: Path) -> DisclosureSpider:
    units = tmp_path / "units.yaml"
    units.write_text(
        "units:\n  - code: u\n    name: U\n    kind: county\n"
        "    disclosure: http://127.0.0.1:9/xxgk/\n",
        encoding="utf-8",
    )
    return DisclosureSpider(units=str(units), db=str(tmp_path / "none.db"), run_id="1")


def response(url: str, **meta) -> HtmlResponse:
    meta = {"unit": "u", "role": "disclosure", "allowed_hosts": ["127.0.0.1:9"], **meta}
    return HtmlResponse(url, body=b"<html></html>", request=Request(url, meta=meta))


def test_a_crashing_column_page_fails_its_column(tmp_path: Path) -> None:
    s = spider(tmp_path)
    col = new_col("http://127.0.0.1:9/xxgk/tzgg/", "通知公告", ["通知公告"])
    out = list(s.on_parse_error(response(col["url"], kind="list", col=col), ValueError("boom")))
    page, record, done = out
    assert isinstance(page, PageRecord) and "parser error" in page.error and "boom" in page.error
    assert isinstance(record, ColumnRecord) and record.url == col["url"]
    assert isinstance(done, ColumnDone) and done.status == "failed" and "boom" in done.error


def test_the_middleware_hands_exceptions_to_the_spider(tmp_path: Path) -> None:
    s = spider(tmp_path)
    mw = ParseErrorMiddleware()
    col = new_col("http://127.0.0.1:9/xxgk/a/", "a", ["a"])
    out = mw.process_spider_exception(
        response(col["url"], kind="catalog", cdepth=2, name="a", path=["a"], link=col["url"]),
        KeyError("x"),
        s,
    )
    assert [type(r).__name__ for r in out] == ["PageRecord", "ColumnRecord", "ColumnDone"]
