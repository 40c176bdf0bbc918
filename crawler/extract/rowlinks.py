"""List rows whose link is not an `<a href>`: make them ordinary anchors before the list is read.

Real templates link a row with `<tr onclick="window.open('./t2026_1.html')">`, `<li data-href=…>`
or `<a href="javascript:void(0)" onclick="openUrl('/art/…')">`. A browser follows them; the list
reader only knows anchors. So the URL is taken from the handler or data attribute and written
as the href of the row's title element (wrapped in an `<a>` when it is not one), once per page,
on the parsed tree the extractors share. Handlers that carry no URL (`showDetail(123)`) are left
alone: nothing is guessed.
"""

from __future__ import annotations

import re

from lxml.html import Element

from crawler.extract._html import HtmlElement, clean, has_dateish

__all__ = ["promote_row_links"]

_URL_IN_CODE = re.compile(
    r"""['"]((?:https?://|/|\./|\.\./)?[\w\-./%~+]*?"""
    r"""(?:\.(?:s?html?|jspx?|aspx?|php|do|action|jhtml)|/)(?:\?[^'"\s]*)?)['"]"""
)
_DATA_ATTRS = ("data-href", "data-url", "data-link", "href-data", "_href", "url")
_JS_HREF = ("javascript:", "#")


def _url_from(e: HtmlElement) -> str | None:
    for attr in _DATA_ATTRS:
        v = e.get(attr)
        if v and not v.lower().startswith(_JS_HREF):
            return v.strip()
    code = e.get("onclick") or ""
    href = e.get("href") or ""
    if href.lower().startswith("javascript:"):
        code = href[11:] + ";" + code
    if not code or len(code) > 400:
        return None
    m = _URL_IN_CODE.search(code)
    return m[1] if m else None


def _title_cell(row: HtmlElement) -> HtmlElement | None:
    """The element holding the row's title: the longest text leaf that is not a date."""
    best, best_len = None, 0
    for e in row.iter():
        if not isinstance(e.tag, str) or e.tag in ("script", "style") or len(e):
            continue
        text = clean(e.text_content())
        if len(text) > best_len and not (len(text) <= 20 and has_dateish(text)):
            best, best_len = e, len(text)
    return best


def promote_row_links(root: HtmlElement) -> int:
    """Give linked rows and script links a real href; returns how many were changed."""
    changed = 0
    if root is None:
        return 0
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if href and not href.lower().startswith(_JS_HREF):
            continue
        url = _url_from(a)
        if url:
            a.set("href", url)
            changed += 1
    for e in root.xpath(
        "//*[self::tr or self::li or self::div or self::dd or self::p]"
        "[@onclick or @data-href or @data-url or @data-link]"
    ):
        if e.find(".//a[@href]") is not None and any(
            not (x.get("href") or "").lower().startswith(_JS_HREF) for x in e.iter("a")
        ):
            continue  # the row already has a real link
        url = _url_from(e)
        if not url:
            continue
        cell = _title_cell(e)
        if cell is None:
            continue
        if cell.tag == "a":
            cell.set("href", url)
        else:
            a = Element("a", href=url)
            a.text, cell.text = cell.text, None
            cell.append(a)
        changed += 1
    return changed
