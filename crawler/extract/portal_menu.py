"""The portal's 政府信息公开 catalog when the home page carries it in place: a menu or tree under
a heading (政府信息公开 / 信息公开目录 / 政务公开) that links nowhere.

Many county portals show the catalog this way instead of linking a catalog page; read as ordinary
home-page links, its entries would become portal menu columns and the portal would have no
catalog to compare with the platform's (catalog-mismatch would compare nothing).
"""

from __future__ import annotations

import lxml.html

from crawler.extract._html import HtmlElement, label, parse_html
from crawler.extract.catalog import extract_nav
from crawler.extract.classify import PORTAL_CATALOG_NAMES
from crawler.extract.types import NavLink

__all__ = ["in_page_catalog"]

HEADING = PORTAL_CATALOG_NAMES
#: Fewer entries than this under such a heading is a teaser box (a few dated articles), not a
#: catalog.
MIN_ENTRIES = 3
_SKIP_TAGS = frozenset({"a", "html", "body", "head", "script", "style", "title", "option"})


def _block_of(heading: HtmlElement) -> HtmlElement | None:
    """The smallest ancestor of the heading that holds links (the menu under it)."""
    e = heading.getparent()
    while e is not None and e.tag not in ("body", "html"):
        if e.find(".//a[@href]") is not None:
            return e
        e = e.getparent()
    return None


def in_page_catalog(html: str, base_url: str) -> list[NavLink]:
    """The entries of an in-page catalog under an unlinked catalog heading, with paths relative
    to the heading (group labels kept); [] when the page has none."""
    # every heading name contains 公开: most home pages need no walk at all
    root = parse_html(html) if "公开" in html else None
    if root is None:
        return []
    for e in root.iter():
        if not isinstance(e.tag, str) or e.tag in _SKIP_TAGS:
            continue
        if len(e) > 3 or e.find(".//a") is not None:
            continue  # a container or a linked heading (its own catalog page is crawled)
        head = label(e.text_content())
        if not HEADING.match(head):
            continue
        block = _block_of(e)
        # the heading opens its block: a heading deep inside a larger box is some other box's
        # label, and that box's links are not the catalog
        if block is None or label(block.text_content()).find(head) > 20:
            continue
        # read on its own, so the block's paths start at the block (not at outer page menus)
        links = extract_nav(lxml.html.tostring(block, encoding="unicode"), base_url)
        if len(links) >= MIN_ENTRIES:
            # paths start below the heading (the heading is the catalog itself)
            return [
                NavLink(link.name, link.url, link.path[1:])
                if len(link.path) > 1 and link.path[0] == head
                else link
                for link in links
            ]
    return []
