"""Plain data the extractors return. No Scrapy, no network: every field is a fact read off a page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(slots=True)
class ListItem:
    """One entry of a column's list page."""

    title: str
    url: str  # absolute
    date: date | None = None
    date_source: str | None = None  # "list" | "url" | "json" | "detail"
    index_no: str | None = None  # 索引号, when the list shows it
    doc_no: str | None = None  # 文号, when the list shows it
    publisher: str | None = None


@dataclass(slots=True)
class Pagination:
    """How to reach the other pages of a list. `urls` are absolute GET URLs of pages 2..N when
    they can be built statically (TRS createPageHTML, rendered pagers, next links, base64 pagers);
    `hanweb` is set when the remaining pages come from a Hanweb dataproxy endpoint."""

    page_count: int | None = None
    urls: list[str] = field(default_factory=list)
    hanweb: HanwebPaging | None = None
    # Set (to what was seen) when the page shows more pages exist but no URL could be built:
    # the column is then partial, never silently read to its first page.
    unreadable: str | None = None
    # Pages that exist under one of two conventions a pager may follow (container-first TRS
    # pagers): a 404 there is the other convention, not a page lost.
    optional: list[str] = field(default_factory=list)


@dataclass(slots=True)
class HanwebPaging:
    proxy_url: str  # absolute URL of dataproxy.jsp as the page names it (may 404: try variants)
    params: dict[str, str]  # appid, webid, path, columnid, unitid, webname, permissiontype ...
    total_records: int | None = None
    per_page: int | None = None
    first_page_records: int = 0


@dataclass(slots=True)
class ListPage:
    items: list[ListItem]
    pagination: Pagination
    # True when the page says 暂无信息 / 本栏目暂无内容: a blank column, not a failure.
    placeholder: bool = False


@dataclass(slots=True)
class NavLink:
    """A link in a catalog (left nav, menu, tree). `path` is the chain of names from the catalog
    root down to this link, this link's own name last. `chrome`: the link sits in the site's
    header (top menu, banner), which a home page's reader may still want (its 政务公开 entry)."""

    name: str
    url: str
    path: tuple[str, ...]
    chrome: bool = False


@dataclass(slots=True)
class Detail:
    """Facts from an article (detail) page."""

    title: str | None = None
    pub_date: date | None = None  # the visible 发布日期 when present, else meta PubDate
    meta_pub_date: date | None = None
    index_no: str | None = None  # 索引号
    doc_no: str | None = None  # 文号
    publisher: str | None = None  # 发布机构 / 发文机关 / 责任部门
    written_date: date | None = None  # 成文日期 / 生成日期
    meta: dict[str, str] = field(default_factory=dict)
