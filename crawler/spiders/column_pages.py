"""A column through all its pages: TRS/static pagers page by page, the incremental stop at a page
of known items, detail requests for unread items.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from datetime import date
from typing import Any

from scrapy.http import Response

from crawler import discovery
from crawler.extract import classify, listing, meta, related
from crawler.extract.jspager import SERIES_LIMIT
from crawler.extract.types import ListItem, ListPage
from crawler.items import (
    ColumnDone,
    ColumnRecord,
    DetailRecord,
    LinkCarry,
    ListRecord,
)
from crawler.spiders.state import ATTACHMENTS, header


class ColumnPages:
    """Part of DisclosureSpider (crawler/spiders/disclosure.py); methods use its helpers."""

    # -- columns ---------------------------------------------------------------------------
    def column_records(self, m: dict, col: dict, html: str, url: str) -> Iterator[Any]:
        """A column's record from its first list page, and that page's metadata gaps: the
        first page stands for the column's list pages (they share one template), so later
        pages are not parsed for metas at all."""
        tags = meta.extract_meta(html)
        yield self.column_record(m, col, html, tags=tags)
        yield self.page_meta(m, url, "list", tags)

    def column_record(
        self,
        m: dict,
        col: dict,
        html: str | None,
        origin: str | None = None,
        tags: dict[str, str] | None = None,
    ) -> ColumnRecord:
        unit = self.units[m["unit"]]
        column_type = column_name = None
        if html:
            page_meta = tags if tags is not None else meta.extract_meta(html)
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
            yield LinkCarry(m["unit"], m["role"], response.url)
            return
        block = self.blocked(response)
        yield self.record(response, block)
        if block or response.status >= 400:
            asked = (m.get("redirect_urls") or [response.request.url])[0]
            if response.status == 404 and not block and asked in col.get("maybe", ()):
                yield from self.next_page(m, col)  # the other page-suffix convention
            else:
                yield from self.failed_column(m, col, *self.refusal(response, block), url=asked)
            return
        html = self.decode(response)
        if first:
            yield from self.column_records(m, col, html, response.url)
        base = discovery.base_url(html, response.url)
        page = listing.extract_list(html, base, self.today)
        yield from self.column_page(m, col, response, page, first=first)
        if first:
            yield from self.list_link_checks(m, html, base, response.url, page, ())

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
        pager = page.pagination
        if pager.page_count:
            col["claimed"] = max(col.get("claimed", 0), pager.page_count)
        if pager.optional:
            col["maybe"] = sorted({*col.get("maybe", ()), *pager.optional})
        # More pages than were read or queued, and no way to reach them: say so.
        if (
            pager.unreadable
            and not pager.urls
            and not col["queue"]
            and col["pages"] < (pager.page_count or 0)
        ):
            col["gaps"] = [*col.get("gaps", ()), f"{pager.unreadable} at {response.url}"]
        if first and page.pagination.hanweb:
            yield from self.hanweb_next(m, col, page.pagination.hanweb, group=1, candidates=None)
            return
        queue = list(col["queue"])
        seen, queued = set(col["seen"]), set(queue)
        for nxt in page.pagination.urls:
            if discovery.normalise_url(nxt) not in seen and nxt not in queued:
                queue.append(nxt)
                queued.add(nxt)
        col["queue"] = queue
        if stop:
            yield self.column_done(m, col)
        else:
            yield from self.next_page(m, col)

    def next_page(self, m: dict, col: dict) -> Iterator[Any]:
        limit = self.setting("ZWGK_MAX_PAGES_PER_COLUMN", 50)
        if col["queue"] and col["pages"] < limit:
            nxt, col = col["queue"][0], dict(col, queue=col["queue"][1:])
            yield self.req(m, nxt, self.parse_list, "list", dedupe=False, col=col)
        elif col["queue"]:
            yield self.capped(m, col, f"{len(col['queue'])}+ more pages")
        elif col.get("claimed", 0) > max(col["pages"], SERIES_LIMIT + 1):
            # A page series stops at SERIES_LIMIT URLs whatever the pager claims (a page-count
            # bomb must not build millions), so a page limit set above it can let a column end
            # here with pages left: the same cap, said as such, not a column read whole.
            yield self.column_done(
                m,
                col,
                "capped",
                f"the pager shows {col['claimed']} pages; page series stop at "
                f"{SERIES_LIMIT + 1}, the rest not read",
            )
        else:
            yield self.column_done(m, col)

    def column_done(
        self, m: dict, col: dict, status: str = "ok", error: str | None = None
    ) -> ColumnDone:
        gaps = col.get("gaps")
        if gaps and status in ("ok", "capped"):
            # Some page the column meant to read was not read: never judged blank or stale.
            status = "partial"
            error = f"{len(gaps)} page(s) not read: " + "; ".join(gaps)
            error = error if len(error) <= 500 else error[:497] + "..."
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

    def capped(self, m: dict, col: dict, rest: str) -> ColumnDone:
        """The column's newest pages were read and the older ones left on purpose (the page
        limit): its freshness still holds, so it stays assessed, with the limit on record."""
        limit = self.setting("ZWGK_MAX_PAGES_PER_COLUMN", 50)
        return self.column_done(m, col, "capped", f"page limit {limit} reached; {rest} not read")

    def failed_column(
        self, m: dict, col: dict, status: str, error: str, url: str | None = None
    ) -> Iterator[Any]:
        """A column page that could not be read. Before any page was read the column failed;
        after, it is partial (the gap recorded) and its other queued pages are still read."""
        if not col["pages"]:
            yield self.column_record(m, col, None)
            yield self.column_done(m, col, status, error)
            return
        seen = col["seen"]
        if url:
            seen = [*seen, discovery.normalise_url(url)]  # later pagers name it again: no retry
        col = dict(col, gaps=[*col.get("gaps", ()), error], seen=seen)
        if m.get("kind") == "list":
            yield from self.next_page(m, col)
        else:
            yield self.column_done(m, col)

    def emit_items(
        self, m: dict, col: dict, items: list[ListItem], first: bool
    ) -> Generator[Any, None, bool]:
        """Hand a page's items to the store and ask for the detail pages still unread.

        Returns True when paging can stop: an empty page, or (incremental runs) a page holding
        only items that an earlier complete crawl of the column saw. New items appear at the
        top, and pinned items cannot stop a column early because the whole page must be known.
        """
        if "complete" not in col:
            col["complete"], col["stored"] = self.column_history(m, col["url"])
        # Read the store before the pipeline sees this page, so this page never counts as known.
        # A column with no items stored before this crawl knows none (an item repeated from
        # an earlier page of it is requested again and dropped by the dupefilter).
        known = self.known_items(m, col["url"], (i.url for i in items)) if col["stored"] else {}
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

    # -- details -----------------------------------------------------------------------------
    def parse_detail(self, response: Response) -> Iterator[Any]:
        block = self.blocked(response)
        yield self.record(response, block)
        m = response.meta
        if block or response.status >= 400:
            yield DetailRecord(m["unit"], m["role"], response.request.url, failed=True)
            return
        html = self.decode(response)
        d = meta.extract_detail(html, response.url, self.today)
        yield self.page_meta(m, response.url, "detail", d.meta)

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
            related=related.extract_related_links(html, response.url),
        )
