"""Hanweb 大汉 JCMS: the list lives in an XML island (`<datastore>` of CDATA `<record>`s) and
pages 2..N come from `dataproxy.jsp`, whose path differs between versions (the wrong one 404s).
These helpers build the requests and read the replies; the spider does the fetching.
"""

from __future__ import annotations

import html as htmlmod
import re
from datetime import date
from urllib.parse import quote, urlsplit, urlunsplit

from crawler.extract._html import (
    abs_url,
    clean,
    parse_html,
    pick_anchor,
    row_item,
    table_columns,
)
from crawler.extract.types import HanwebPaging, ListItem

__all__ = [
    "PROXY_PATHS",
    "get_page_url",
    "parse_datastore",
    "parse_xxgk_search",
    "post_group",
    "proxy_candidates",
    "records",
]

PROXY_PATHS = (
    "/module/web/jpage/dataproxy.jsp",
    "/module/jslib/jquery/jpage/dataproxy.jsp",
    "/module/jpage/dataproxy.jsp",
)
#: Pages per POST group: jpage asks for three pages' worth of records at once.
GROUP_PAGES = 3

_RECORD = re.compile(r"<record\b[^>]*>(.*?)</record>", re.I | re.S)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_TOTAL_RECORD = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)
_TOTAL_PAGE = re.compile(r"<totalpage>\s*(\d+)\s*</totalpage>", re.I)


def proxy_candidates(proxy_url: str) -> list[str]:
    """The named dataproxy URL first, then the other known paths on the same host."""
    parts = urlsplit(proxy_url)
    out = [urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))]
    for path in PROXY_PATHS:
        u = urlunsplit((parts.scheme, parts.netloc, path, "", ""))
        if u not in out:
            out.append(u)
    return out


def _p(paging: HanwebPaging, key: str, default: str = "") -> str:
    for k, v in paging.params.items():
        if k.lower() == key:
            return v
    return default


def _qs(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{k}={quote(str(v), safe='/')}" for k, v in pairs)


def get_page_url(paging: HanwebPaging, page: int) -> str:
    """Style B GET URL for page `page` (1-based); the reply is an XML `<datastore>`."""
    base = urlsplit(paging.proxy_url)
    query = _qs(
        [
            ("page", str(page)),
            ("appid", _p(paging, "appid", "1")),
            ("webid", _p(paging, "webid")),
            ("path", _p(paging, "path", "/")),
            ("columnid", _p(paging, "columnid")),
            ("unitid", _p(paging, "unitid")),
            ("permissiontype", _p(paging, "permissiontype", "0")),
        ]
    )
    return urlunsplit((base.scheme, base.netloc, base.path, query, ""))


def post_group(paging: HanwebPaging, group: int) -> tuple[str, dict[str, str]]:
    """Style A POST for record group `group` (1-based; a group is three pages): returns the URL
    with startrecord/endrecord/perpage and the form fields. Group 1 = records 1..3*perpage."""
    per = paging.per_page or 15
    start = (group - 1) * GROUP_PAGES * per + 1
    end = group * GROUP_PAGES * per
    base = urlsplit(paging.proxy_url)
    query = f"startrecord={start}&endrecord={end}&perpage={per}"
    form = {
        "col": "1",
        "appid": _p(paging, "appid", "1"),
        "webid": _p(paging, "webid"),
        "path": _p(paging, "path", "/"),
        "columnid": _p(paging, "columnid"),
        "sourceContentType": _p(paging, "sourcecontenttype", "1"),
        "unitid": _p(paging, "unitid"),
        "webname": _p(paging, "webname"),
        "permissiontype": _p(paging, "permissiontype", "0"),
    }
    return urlunsplit((base.scheme, base.netloc, base.path, query, "")), form


def records(text: str) -> list[str]:
    """The HTML fragments of every `<record>` (CDATA, or entity-escaped when a site skips it)."""
    out = []
    for m in _RECORD.finditer(text):
        body = m[1]
        cd = _CDATA.findall(body)
        if cd:
            out.append("".join(cd))
        elif "&lt;" in body:
            out.append(htmlmod.unescape(body))
        else:
            out.append(body)
    return out


def record_item(fragment: str, base_url: str, today: date) -> ListItem | None:
    """One record fragment (`<li>…</li>`, `<tr><td>…`, junk included) to a ListItem."""
    root = parse_html("<html><body>" + fragment + "</body></html>")
    if root is None:
        return None
    body = root.find("body")
    if body is None:
        return None
    anchors = [a for a in body.iter("a") if a.get("href")]
    a = pick_anchor(anchors, base_url)
    if a is None:
        return None
    return row_item(body, a, base_url, today)


def parse_datastore(
    text: str, base_url: str, today: date
) -> tuple[list[ListItem], int | None, int | None]:
    """Items, totalrecord and totalpage of a datastore (column page island or dataproxy reply).
    Duplicate URLs keep the first occurrence."""
    items: list[ListItem] = []
    seen: set[str] = set()
    for frag in records(text or ""):
        item = record_item(frag, base_url, today)
        if item is not None and item.url not in seen:
            seen.add(item.url)
            items.append(item)
    tr = _TOTAL_RECORD.search(text or "")
    tp = _TOTAL_PAGE.search(text or "")
    return items, int(tr[1]) if tr else None, int(tp[1]) if tp else None


def parse_xxgk_search(html: str, base_url: str, today: date) -> list[ListItem]:
    """Rows of a `/module/xxgk/search.jsp` reply (`tr.tr_main_value_odd/even`, `a.bt_link`)."""
    root = parse_html(html)
    if root is None:
        return []
    rows = root.xpath("//tr[contains(@class,'tr_main_value')]")
    if not rows:
        rows = [
            a.xpath("ancestor::tr[1]")[0]
            for a in root.xpath("//a[contains(@class,'bt_link')]")
            if a.xpath("ancestor::tr[1]")
        ]
    items: list[ListItem] = []
    seen: set[str] = set()
    columns_cache: dict[int, dict[int, str] | None] = {}
    for tr in rows:
        links = tr.xpath(".//a[contains(@class,'bt_link')][@href]") or [
            a for a in tr.iter("a") if a.get("href")
        ]
        a = links[0] if links and abs_url(links[0].get("href"), base_url) else None
        if a is None:
            continue
        table = next((t for t in tr.iterancestors("table")), None)
        cols = None
        if table is not None:
            key = id(table)
            if key not in columns_cache:
                columns_cache[key] = table_columns(table)
            cols = columns_cache[key]
        item = row_item(tr, a, base_url, today, cols)
        if item is not None and item.url not in seen and clean(item.title):
            seen.add(item.url)
            items.append(item)
    return items
