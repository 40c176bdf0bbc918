"""StorePipeline: the spider's records into the SQLite store, in batched transactions.

Every statement is an upsert keyed on natural keys (site + column URL, column + item URL), so a
crawl killed halfway and run again leaves no duplicates; a batch is committed every
`ZWGK_COMMIT_EVERY` records, so a kill loses at most one batch (which the next run refetches).
Scraped text is cleaned of invisible and reordering characters here, once (zwgk/text.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sqlite3
import time
from typing import Any

from scrapy.crawler import Crawler

from crawler.items import (
    ColumnDone,
    ColumnRecord,
    DetailRecord,
    LinkCarry,
    LinkResult,
    LinkTally,
    ListRecord,
    OffsiteCheck,
    OffsiteRef,
    PageMeta,
    PageRecord,
    Records,
    SectionRecord,
    SiteInfo,
)
from zwgk import clock
from zwgk.errors import DISK_FULL_MARK, is_disk_full
from zwgk.text import clean_record

logger = logging.getLogger(__name__)

#: Example URLs kept per (site, page kind, meta, state), distinct (a page read twice, say a
#: retried detail, counts twice and shows once); one per SiteIDCode value seen.
META_EXAMPLES = 3
#: Related links kept per detail page (the extractor's own cap, enforced again at the store).
MAX_RELATED = 20

# meta-missing's tallies: counts add up across flushes and across distributed workers (each
# its own pipeline), and the examples keep up to META_EXAMPLES distinct URLs. Values are bound.
PAGE_META_UPSERT = (
    "INSERT INTO page_meta (run_id, site_id, kind, tag, state, pages, examples)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (site_id, kind, run_id, tag, state) DO UPDATE SET"
    " pages = page_meta.pages + excluded.pages,"
    f" examples = CASE WHEN json_array_length(page_meta.examples) >= {META_EXAMPLES}"
    "   THEN page_meta.examples ELSE (SELECT json_group_array(value) FROM ("
    "     SELECT value FROM json_each(page_meta.examples) UNION"
    f"     SELECT value FROM json_each(excluded.examples) LIMIT {META_EXAMPLES})) END"
)
# broken-link's counts add up across flushes and workers like the meta tallies.
LINK_COUNTS_UPSERT = (
    "INSERT INTO link_counts (run_id, site_id, checked, failed, offsite, capped)"
    " VALUES (?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (site_id, run_id) DO UPDATE SET"
    " checked = link_counts.checked + excluded.checked,"
    " failed = link_counts.failed + excluded.failed,"
    " offsite = link_counts.offsite + excluded.offsite,"
    " capped = link_counts.capped + excluded.capped"
)
SITE_CODE_UPSERT = (
    "INSERT INTO page_site_codes (run_id, site_id, kind, value, pages, example_url)"
    " VALUES (?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (site_id, kind, run_id, value) DO UPDATE SET"
    " pages = page_site_codes.pages + excluded.pages"
)


def copy_details_sql(n_urls: int) -> str:
    """UPDATE giving a column's new rows (`?` column) what a detail page read through another
    column of the site (`?` site, then `n_urls` item URLs) said. Found by `items_url` (m006):
    one probe per URL, whatever the size of the site's catalog."""
    marks = ",".join("?" * n_urls)
    return (
        "UPDATE items SET detail_fetched = o.detail_fetched,"
        " date_source = CASE WHEN items.pub_date IS NULL AND o.pub_date IS NOT NULL"
        "   THEN o.date_source ELSE items.date_source END,"
        " pub_date = coalesce(items.pub_date, o.pub_date), meta_pub_date = o.meta_pub_date,"
        " index_no = coalesce(items.index_no, o.index_no),"
        " doc_no = coalesce(items.doc_no, o.doc_no),"
        " publisher = coalesce(items.publisher, o.publisher), written_date = o.written_date"
        " FROM (SELECT url, detail_fetched, pub_date, date_source, meta_pub_date, index_no,"
        "   doc_no, publisher, written_date FROM items WHERE detail_fetched = 1"
        "   AND column_id IN (SELECT column_id FROM columns WHERE site_id = ?)"
        f"   AND url IN ({marks}) GROUP BY url) AS o"
        " WHERE items.column_id = ? AND items.detail_fetched = 0 AND items.url = o.url"
    )


class StorePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.commit_every = crawler.settings.getint("ZWGK_COMMIT_EVERY", 500)
        self.conn: sqlite3.Connection | None = None
        self.pending = 0
        self.last_commit = time.monotonic()
        self.site_ids: dict[tuple[str, str], int] = {}
        self.column_ids: dict[tuple[int, str], int] = {}
        self.sites_with_details: dict[int, bool] = {}
        self.disk_full = False
        # meta-missing tallies since the last commit: (site, kind, tag, state) → [pages, URLs]
        # with tag "" / state "checked" counting the pages read, and (site, kind, SiteIDCode)
        # → [pages, URL]. A page costs a dict update; the store gets a few rows per site.
        self.meta_tally: dict[tuple[int, str, str, str], list] = {}
        self.code_tally: dict[tuple[int, str, str], list] = {}
        # broken-link counts since the last commit: site → [checked, failed, offsite, capped]
        self.link_tally: dict[int, list[int]] = {}
        self.handlers = {
            PageRecord: self.page,
            ColumnRecord: self.column,
            ListRecord: self.list_items,
            DetailRecord: self.detail,
            ColumnDone: self.column_done,
            SectionRecord: self.section,
            SiteInfo: self.site_info,
            PageMeta: self.page_meta,
            LinkResult: self.link_result,
            LinkTally: self.link_skipped,
            LinkCarry: self.link_carry,
            OffsiteRef: self.offsite_ref,
            OffsiteCheck: self.offsite_check,
        }

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    @property
    def spider(self):
        return self.crawler.spider

    # -- lifecycle ---------------------------------------------------------------------------
    def open_spider(self) -> None:
        self.run_id = self.spider.run_id
        self.conn = sqlite3.connect(self.spider.db_path, timeout=60, isolation_level=None)
        self.conn.execute("PRAGMA busy_timeout=60000")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        for site_id, unit, role in self.conn.execute("SELECT site_id, unit_id, role FROM sites"):
            self.site_ids[(unit, role)] = site_id
        self.conn.execute("BEGIN")

    def close_spider(self) -> None:
        assert self.conn is not None
        if not self.disk_full:
            try:
                self.flush_meta()
            except sqlite3.Error as exc:
                if not is_disk_full(exc):
                    raise
                self.stop_for_disk_full(exc)
        if not self.disk_full:
            self.conn.execute("COMMIT")
        self.conn.close()

    def stop_for_disk_full(self, exc: BaseException) -> None:
        """A full disk fails every later write too: say so once (the run reads DISK_FULL_MARK
        from the crawl log and fails) and stop the crawl instead of fetching into the void."""
        if self.disk_full:
            return
        self.disk_full = True
        logger.error("%s: %s", DISK_FULL_MARK, exc)
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("ROLLBACK")
        engine = self.crawler.engine
        if engine is not None:
            asyncio.ensure_future(engine.close_spider_async(reason="disk_full"))

    def tick(self) -> None:
        self.pending += 1
        if self.pending >= self.commit_every or time.monotonic() - self.last_commit > 2:
            self.flush_meta()
            self.conn.execute("COMMIT")
            self.conn.execute("BEGIN")
            self.pending = 0
            self.last_commit = time.monotonic()

    # -- records -----------------------------------------------------------------------------
    def process_item(self, item: Any) -> Any:
        if self.disk_full:
            return item  # the crawl is closing; nothing more can be written
        if not isinstance(item, Records):
            self.store(item)  # an error goes to Scrapy, which logs it against the item
            return item
        for record in item.records:
            try:
                self.store(record)
            except Exception as exc:
                if is_disk_full(exc):
                    self.stop_for_disk_full(exc)
                    break
                # As when each record was an item of its own: the bad one is logged, and the
                # page's other records (its ColumnDone above all) still reach the store.
                logger.exception("Error processing %r", record)
        return item

    def store(self, record: Any) -> None:
        # The one boundary where scraped text becomes stored text: every text field of every
        # record is cleaned here (zwgk/text.py), so no reader has to.
        self.handlers[type(record)](clean_record(record))
        self.tick()

    def site_id(self, unit: str, role: str) -> int:
        return self.site_ids[(unit, role)]

    def column_id(self, site_id: int, url: str) -> int | None:
        key = (site_id, url)
        if key not in self.column_ids:
            row = self.conn.execute(
                "SELECT column_id FROM columns WHERE site_id = ? AND url = ?", key
            ).fetchone()
            if not row:
                return None
            self.column_ids[key] = row[0]
        return self.column_ids[key]

    def page(self, r: PageRecord) -> None:
        cur = self.conn.execute(
            "INSERT INTO pages (run_id, site_id, url, kind, status, bytes, elapsed_ms, error, block,"
            " fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                self.run_id,
                self.site_id(r.unit, r.role),
                r.url,
                r.kind,
                r.status,
                r.bytes,
                r.elapsed_ms,
                r.error,
                r.block,
                clock.iso(),
            ],
        )
        if r.sha256 or r.status == 304:
            self.capture(cur.lastrowid, r)

    def capture(self, page_id: int, r: PageRecord) -> None:
        """The page's evidence rows (zwgk/evidence.py): its payload's record when this capture
        wrote it, and a capture row naming the page's row and the record; a 304 answer confirms
        the URL's last captured payload (none yet: no capture)."""
        if r.sha256 is None:
            row = self.conn.execute(
                "SELECT c.record_id FROM pages p JOIN captures c ON c.capture_id = p.page_id"
                " WHERE p.url = ? AND p.page_id < ? ORDER BY p.page_id DESC LIMIT 1",
                [r.url, page_id],
            ).fetchone()
        else:
            row = None
            if r.warc is not None:
                cur = self.conn.execute(
                    "INSERT OR IGNORE INTO evidence_records (sha256, warc, offset, length, bytes,"
                    " run_id, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [r.sha256, r.warc, r.offset, r.length, r.bytes, self.run_id, clock.iso()],
                )
                if cur.rowcount == 1:
                    row = (cur.lastrowid,)
            if row is None:
                # archived before: by an earlier run, by this process, or (the insert ignored)
                # by another crawl process of the run that stored it first
                row = self._record_id(r.sha256)
        if row is None:
            return  # nothing archived to point at (a 304 before any capture of its URL)
        self.conn.execute(
            "INSERT INTO captures (capture_id, record_id) VALUES (?, ?)", [page_id, row[0]]
        )

    def _record_id(self, sha256: str) -> tuple[int] | None:
        return self.conn.execute(
            "SELECT record_id FROM evidence_records WHERE sha256 = ?", [sha256]
        ).fetchone()

    def column(self, r: ColumnRecord) -> None:
        now = clock.iso()
        site_id = self.site_id(r.unit, r.role)
        self.conn.execute(
            "INSERT INTO columns (site_id, unit_id, url, name, catalog_path, category,"
            " category_source, section, is_home, first_seen_at, last_seen_at, last_run_id, origin)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (site_id, url) DO UPDATE SET name = excluded.name,"
            " catalog_path = CASE WHEN excluded.catalog_path != '' THEN excluded.catalog_path"
            "   ELSE columns.catalog_path END,"
            " category = coalesce(excluded.category, columns.category),"
            " category_source = coalesce(excluded.category_source, columns.category_source),"
            " section = coalesce(excluded.section, columns.section),"
            " last_seen_at = excluded.last_seen_at, last_run_id = excluded.last_run_id,"
            " origin = excluded.origin",
            [
                site_id,
                r.unit,
                r.url,
                r.name,
                r.catalog_path,
                r.category,
                r.category_source,
                r.section,
                int(r.is_home),
                now,
                now,
                self.run_id,
                r.origin,
            ],
        )

    def list_items(self, r: ListRecord) -> None:
        column_id = self.column_id(self.site_id(r.unit, r.role), r.column_url)
        if column_id is None or not r.items:
            return
        now = clock.iso()
        self.conn.executemany(
            "INSERT INTO items (column_id, url, title, pub_date, date_source, index_no, doc_no,"
            " publisher, first_seen_at, last_seen_at, first_run_id, last_run_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (column_id, url) DO UPDATE SET title = excluded.title,"
            " pub_date = coalesce(excluded.pub_date, items.pub_date),"
            " date_source = CASE WHEN excluded.pub_date IS NOT NULL THEN excluded.date_source"
            "   ELSE items.date_source END,"
            " index_no = coalesce(excluded.index_no, items.index_no),"
            " doc_no = coalesce(excluded.doc_no, items.doc_no),"
            " publisher = coalesce(excluded.publisher, items.publisher),"
            " last_seen_at = excluded.last_seen_at, last_run_id = excluded.last_run_id",
            [
                (
                    column_id,
                    i.url,
                    i.title,
                    i.date.isoformat() if i.date else None,
                    i.date_source if i.date else None,
                    i.index_no,
                    i.doc_no,
                    i.publisher,
                    now,
                    now,
                    self.run_id,
                    self.run_id,
                )
                for i in r.items
            ],
        )
        # An item listed in two columns of a site has one detail page, possibly read before
        # this column listed it: give the new rows what it said.
        site_id = self.site_id(r.unit, r.role)
        if self.has_read_details(site_id):
            self.conn.execute(
                copy_details_sql(len(r.items)), [site_id, *(i.url for i in r.items), column_id]
            )

    def has_read_details(self, site_id: int) -> bool:
        """Has any item of the site had its detail page read (this run or before)? Asked once
        a site, then kept current by detail(): most list pages then need no lookup at all."""
        if site_id not in self.sites_with_details:
            self.sites_with_details[site_id] = (
                self.conn.execute(
                    "SELECT 1 FROM columns c JOIN items i ON i.column_id = c.column_id"
                    " WHERE c.site_id = ? AND i.detail_fetched = 1 LIMIT 1",
                    [site_id],
                ).fetchone()
                is not None
            )
        return self.sites_with_details[site_id]

    def detail(self, r: DetailRecord) -> None:
        if r.failed:
            self.conn.execute(
                "UPDATE items SET detail_fetched = 2 WHERE url = ? AND detail_fetched = 0"
                " AND column_id IN (SELECT column_id FROM columns WHERE site_id = ?)",
                [r.item_url, self.site_id(r.unit, r.role)],
            )
            return
        self.conn.execute(
            "UPDATE items SET detail_fetched = 1,"
            " date_source = CASE WHEN pub_date IS NULL AND ? IS NOT NULL THEN 'detail'"
            "   ELSE date_source END,"
            " pub_date = coalesce(pub_date, ?), meta_pub_date = ?,"
            " index_no = coalesce(?, index_no), doc_no = coalesce(?, doc_no),"
            " publisher = coalesce(?, publisher), written_date = ?"
            " WHERE url = ? AND column_id IN (SELECT column_id FROM columns WHERE site_id = ?)",
            [
                r.pub_date,
                r.pub_date,
                r.meta_pub_date,
                r.index_no,
                r.doc_no,
                r.publisher,
                r.written_date,
                r.item_url,
                self.site_id(r.unit, r.role),
            ],
        )
        if r.related is not None:
            self.related_links(r)
        self.sites_with_details[self.site_id(r.unit, r.role)] = True

    def related_links(self, r: DetailRecord) -> None:
        """Replace the page's recorded related links (bound parameters: scraped text is data)."""
        site_id = self.site_id(r.unit, r.role)
        links = (r.related or [])[:MAX_RELATED]
        self.conn.execute(
            "DELETE FROM detail_links WHERE site_id = ? AND page_url = ?", [site_id, r.item_url]
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO detail_links (site_id, page_url, url, text) VALUES (?, ?, ?, ?)",
            [(site_id, r.item_url, u, t) for u, t in links],
        )
        self.conn.execute(
            "UPDATE items SET related_links = ? WHERE url = ?"
            " AND column_id IN (SELECT column_id FROM columns WHERE site_id = ?)",
            [len(links), r.item_url, site_id],
        )

    def column_done(self, r: ColumnDone) -> None:
        column_id = self.column_id(self.site_id(r.unit, r.role), r.column_url)
        if column_id is None:
            return
        items_seen = r.items_seen
        if r.unchanged:
            # 304 Not Modified: the list is as it was, so its items are seen again this run.
            self.conn.execute(
                "UPDATE items SET last_run_id = ?, last_seen_at = ? WHERE column_id = ?"
                " AND last_run_id = (SELECT max(last_run_id) FROM items WHERE column_id = ?)",
                [self.run_id, clock.iso(), column_id, column_id],
            )
            items_seen = self.conn.execute(
                "SELECT count(*) FROM items WHERE column_id = ? AND last_run_id = ?",
                [column_id, self.run_id],
            ).fetchone()[0]
        new_items = self.conn.execute(
            "SELECT count(*) FROM items WHERE column_id = ? AND first_run_id = ?",
            [column_id, self.run_id],
        ).fetchone()[0]
        self.conn.execute(
            "INSERT OR REPLACE INTO column_runs (run_id, column_id, status, pages, items_seen,"
            " new_items, error, crawled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                self.run_id,
                column_id,
                r.status,
                r.pages,
                items_seen,
                new_items,
                r.error,
                clock.iso(),
            ],
        )
        if r.etag or r.last_modified:
            self.conn.execute(
                "UPDATE columns SET etag = ?, last_modified = ? WHERE column_id = ?",
                [r.etag, r.last_modified, column_id],
            )
        self.conn.execute(
            "UPDATE columns SET last_run_id = ? WHERE column_id = ?", [self.run_id, column_id]
        )

    def section(self, r: SectionRecord) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO sections"
            " (run_id, site_id, section, name, url, status, ok, external)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                self.run_id,
                self.site_id(r.unit, r.role),
                r.section,
                r.name,
                r.url,
                r.status,
                int(r.ok),
                int(r.external),
            ],
        )

    def page_meta(self, r: PageMeta) -> None:
        site_id = self.site_id(r.unit, r.role)
        tally = self.meta_tally
        keys = [(site_id, r.kind, "", "checked")]
        keys += [(site_id, r.kind, tag, "absent") for tag in r.absent.split(",") if tag]
        keys += [(site_id, r.kind, tag, "empty") for tag in r.empty.split(",") if tag]
        for key in keys:
            entry = tally.get(key)
            if entry is None:
                tally[key] = [1, [r.url]]
            else:
                entry[0] += 1
                if len(entry[1]) < META_EXAMPLES and r.url not in entry[1]:
                    entry[1].append(r.url)
        if r.site_id_code:
            ckey = (site_id, r.kind, r.site_id_code)
            centry = self.code_tally.get(ckey)
            if centry is None:
                self.code_tally[ckey] = [1, r.url]
            else:
                centry[0] += 1

    def link_counts(self, r: LinkResult | LinkTally) -> list[int]:
        return self.link_tally.setdefault(self.site_id(r.unit, r.role), [0, 0, 0, 0])

    def link_result(self, r: LinkResult) -> None:
        counts = self.link_counts(r)
        counts[0] += not r.crawled  # `checked` counts link checks; a crawled page is the crawl's
        if r.ok:
            return
        counts[1] += 1
        # One row per failing link and site a run; the first page found to show it stays.
        self.conn.execute(
            "INSERT OR IGNORE INTO broken_links (run_id, site_id, url, source_url, status, error)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [self.run_id, self.site_id(r.unit, r.role), r.url, r.source, r.status, r.error],
        )

    def link_carry(self, r: LinkCarry) -> None:
        """A list page unchanged since the last run (304): its broken links, as the last run
        that checked the site's links found them, stand in this run too."""
        site_id = self.site_id(r.unit, r.role)
        cur = self.conn.execute(
            "INSERT OR IGNORE INTO broken_links (run_id, site_id, url, source_url, status, error)"
            " SELECT ?, site_id, url, source_url, status, error FROM broken_links"
            " WHERE site_id = ? AND source_url = ? AND run_id = (SELECT max(run_id)"
            "   FROM link_counts WHERE site_id = ? AND run_id < ?)",
            [self.run_id, site_id, r.page_url, site_id, self.run_id],
        )
        self.link_counts(r)[1] += max(cur.rowcount, 0)
        # ... and its off-site links, with the day they were last asked about.
        self.conn.execute(
            "INSERT OR IGNORE INTO offsite_refs (run_id, site_id, url, source_url, day)"
            " SELECT ?, site_id, url, source_url, day FROM offsite_refs"
            " WHERE site_id = ? AND source_url = ? AND run_id = (SELECT max(run_id)"
            "   FROM link_counts WHERE site_id = ? AND run_id < ?)",
            [self.run_id, site_id, r.page_url, site_id, self.run_id],
        )

    def offsite_ref(self, r: OffsiteRef) -> None:
        self.link_counts(r)  # the site's links were looked at this run, off-site ones too
        self.conn.execute(
            "INSERT OR IGNORE INTO offsite_refs (run_id, site_id, url, source_url, day)"
            " VALUES (?, ?, ?, ?, ?)",
            [self.run_id, self.site_id(r.unit, r.role), r.url, r.source, r.day],
        )

    def offsite_check(self, r: OffsiteCheck) -> None:
        """The day's answer for an off-site URL (the first one stays: asked once a day)."""
        self.conn.execute(
            "INSERT OR IGNORE INTO offsite_checks (day, url, status, error, ok, checked_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [r.day, r.url, r.status, r.error, None if r.ok is None else int(r.ok), clock.iso()],
        )

    def link_skipped(self, r: LinkTally) -> None:
        counts = self.link_counts(r)
        counts[2] += r.offsite
        counts[3] += r.capped

    def flush_meta(self) -> None:
        """Write the meta and link tallies in the open transaction (called before every commit)."""
        if self.link_tally:
            self.conn.executemany(
                LINK_COUNTS_UPSERT,
                [(self.run_id, site, *counts) for site, counts in self.link_tally.items()],
            )
            self.link_tally = {}
        if self.meta_tally:
            self.conn.executemany(
                PAGE_META_UPSERT,
                [
                    (self.run_id, site, kind, tag, state, n, json.dumps(urls))
                    for (site, kind, tag, state), (n, urls) in self.meta_tally.items()
                ],
            )
            self.meta_tally = {}
        if self.code_tally:
            self.conn.executemany(
                SITE_CODE_UPSERT,
                [
                    (self.run_id, site, kind, value, n, url)
                    for (site, kind, value), (n, url) in self.code_tally.items()
                ],
            )
            self.code_tally = {}

    def site_info(self, r: SiteInfo) -> None:
        site_id = self.site_id(r.unit, r.role)
        self.conn.execute(
            "UPDATE sites SET cms = coalesce(?, cms), site_id_code = coalesce(?, site_id_code)"
            " WHERE site_id = ?",
            [r.cms, r.site_id_code, site_id],
        )
        if r.reused:
            # The catalog is not walked again: carry its sections and columns into this run.
            self.conn.execute(
                "INSERT OR IGNORE INTO sections"
                " (run_id, site_id, section, name, url, status, ok, external)"
                " SELECT ?, site_id, section, name, url, status, ok, external FROM sections"
                " WHERE site_id = ? AND run_id = (SELECT catalog_run_id FROM sites"
                " WHERE site_id = ?)",
                [self.run_id, site_id, site_id],
            )
            self.conn.execute(
                "UPDATE columns SET last_run_id = ? WHERE site_id = ? AND last_run_id ="
                " (SELECT catalog_run_id FROM sites WHERE site_id = ?)",
                [self.run_id, site_id, site_id],
            )
            self.conn.execute(
                "UPDATE sites SET catalog_run_id = ? WHERE site_id = ?", [self.run_id, site_id]
            )
        elif r.catalog_sig:
            self.conn.execute(
                "UPDATE sites SET catalog_sig = ?, catalog_at = ?, catalog_run_id = ?"
                " WHERE site_id = ?",
                [r.catalog_sig, clock.iso(), self.run_id, site_id],
            )
