"""Columns whose later pages come from an API: Hanweb dataproxy.jsp (POST record groups, GET
pages) and gkmlpt-style JSON platforms.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from crawler.extract import hanweb, jsonapi
from crawler.spiders.state import PRIORITY, new_col


class PlatformApis:
    """Part of DisclosureSpider (crawler/spiders/disclosure.py); methods use its helpers."""

    # -- Hanweb dataproxy ------------------------------------------------------------------
    def hanweb_next(
        self, m: dict, col: dict, paging, group: int, candidates: list[str] | None
    ) -> Iterator[Any]:
        per_page = paging.per_page or 15
        groups = math.ceil((paging.total_records or 0) / (per_page * 3)) or 1
        if group > groups:
            yield self.column_done(m, col)
            return
        if col["pages"] >= self.setting("ZWGK_MAX_PAGES_PER_COLUMN", 50):
            yield self.capped(m, col, f"{groups - group + 1} more record groups")
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
        if page > pages:
            yield self.column_done(m, col)
            return
        if col["pages"] >= self.setting("ZWGK_MAX_PAGES_PER_COLUMN", 50):
            yield self.capped(m, col, f"{pages - page + 1} more pages")
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
            yield from self.failed_column(m, col, *self.refusal(response, block))
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
            expect = col.get("expect")
            if page_no > 1 and not block and (expect is None or col["items"] >= expect):
                yield self.column_done(m, col)  # real gkmlpt sites answer 404 past the end
            else:
                yield from self.failed_column(m, col, *self.refusal(response, block))
            return
        items, info = jsonapi.parse_api(self.decode(response), m["base"])
        col = dict(col, pages=col["pages"] + 1)
        stop = yield from self.emit_items(m, col, items, page_no == 1)
        col["items"] += len(items)
        more = bool(items)
        if info.get("post_count") is not None:
            col["expect"] = int(info["post_count"])
            more = more and col["items"] < col["expect"]
        if more and not stop and col["pages"] >= self.setting("ZWGK_MAX_PAGES_PER_COLUMN", 50):
            yield self.capped(m, col, "more pages")
        elif more and not stop:
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
