"""What the spider hands the store pipeline. Plain dataclasses (Scrapy supports them as items).

Each record names its site by (unit, role) and its column by URL; the pipeline turns those into
store ids, so the spider never touches SQL.
"""

from __future__ import annotations

from dataclasses import dataclass

from crawler.extract.types import ListItem


@dataclass(slots=True)
class PageRecord:
    unit: str
    role: str
    url: str
    kind: str  # home | catalog | list | detail | api | section
    status: int | None
    bytes: int
    elapsed_ms: int | None
    error: str | None = None
    block: str | None = None
    # The evidence archive (crawler/evidence.py): the payload's sha256, and where it was
    # written when this capture stored it first (None: already archived).
    sha256: str | None = None
    warc: str | None = None
    offset: int | None = None
    length: int | None = None


@dataclass(slots=True)
class ColumnRecord:
    unit: str
    role: str
    url: str
    name: str
    catalog_path: str
    category: str | None
    category_source: str | None
    section: str | None
    is_home: bool = False
    origin: str = "catalog"  # catalog | menu (portal menus only) | link (portal entry → platform)


@dataclass(slots=True)
class ListRecord:
    """Items seen on one page of a column (page 1 carries `first_page=True`)."""

    unit: str
    role: str
    column_url: str
    items: list[ListItem]
    first_page: bool = False


@dataclass(slots=True)
class DetailRecord:
    """Facts from an item's detail page; they apply to that URL in every column of the site."""

    unit: str
    role: str
    item_url: str
    pub_date: str | None = None
    meta_pub_date: str | None = None
    index_no: str | None = None
    doc_no: str | None = None
    publisher: str | None = None
    written_date: str | None = None
    title: str | None = None
    failed: bool = False  # 4xx/5xx or a WAF page: not retried every run
    # (URL, text) of the page's 相关链接/相关解读/原文链接/附件 block; None: not recorded
    related: list[tuple[str, str]] | None = None


@dataclass(slots=True)
class ColumnDone:
    unit: str
    role: str
    column_url: str
    status: str  # ok | placeholder | capped | partial | blocked | failed
    pages: int
    items_seen: int
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    unchanged: bool = False  # answered 304: the previous inventory stands


@dataclass(slots=True)
class SectionRecord:
    unit: str
    role: str
    section: str
    name: str
    url: str
    status: int | None
    ok: bool
    # The entry points outside the unit's hosts: present, not fetched (status None), not checked.
    external: bool = False


@dataclass(slots=True)
class PageMeta:
    """What one page's national `<meta>` block lacked (meta-missing): the recorded metas of its
    kind (crawler.extract.meta.RECORDED_META) that were absent or empty, comma-joined, and the
    SiteIDCode it carried. `role` is the site the page belongs to by URL, not the one that
    linked it (a portal copy's item may live on the platform)."""

    unit: str
    role: str
    kind: str  # home | list | detail
    url: str
    absent: str = ""
    empty: str = ""
    site_id_code: str = ""


@dataclass(slots=True)
class SiteInfo:
    """Facts from a site's root page: its CMS family, its SiteIDCode and, for catalog roots, the
    signature of its navigation (unchanged signature + `reused` = the known catalog is reused)."""

    unit: str
    role: str
    cms: str | None = None
    site_id_code: str | None = None
    catalog_sig: str | None = None
    reused: bool = False


@dataclass(slots=True)
class Records:
    """All the records one callback yielded, in order, as one item (RecordBatchMiddleware):
    Scrapy's per-item cost (item pipeline hops, signals, log records) is paid once a page."""

    records: list


@dataclass(slots=True)
class LinkResult:
    """One link check (broken-link): the link as found, the page it was found on, the final
    HTTP status or the error. `role` is the site whose page linked it. `ok` False = broken."""

    unit: str
    role: str
    url: str
    source: str
    status: int | None
    error: str | None
    ok: bool = True
    # A page the crawl itself fetched (a catalog node): its recorded failure, not a link check.
    crawled: bool = False


@dataclass(slots=True)
class OffsiteRef:
    """An off-site link a page showed, under the unit's grant (crawler/offsite.py): the site
    whose page showed it, the page, and the day; its answer is the day's OffsiteCheck."""

    unit: str
    role: str
    url: str
    source: str
    day: str


@dataclass(slots=True)
class OffsiteCheck:
    """An off-site URL's answer for the day: asked once a day across all units and runs.
    `ok` None: no verdict (the grant's gate refused the address, the server was busy, too
    many redirects)."""

    url: str
    day: str
    status: int | None
    error: str | None
    ok: bool | None


@dataclass(slots=True)
class LinkCarry:
    """A first list page that answered 304 Not Modified: its links are as the last run that
    checked the site's links found them (their broken ones are carried into this run)."""

    unit: str
    role: str
    page_url: str


@dataclass(slots=True)
class LinkTally:
    """Links on a page left unchecked: `offsite` (not on the unit's hosts and not asked: no
    grant, or over the grant's per-site cap) and `capped` (over ZWGK_MAX_LINKS_PER_SITE)."""

    unit: str
    role: str
    offsite: int = 0
    capped: int = 0
