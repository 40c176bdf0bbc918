"""Catalogue pages: the column links of a disclosure root or section page (with their place in
the menu tree), the breadcrumb of any page, and the dated items scattered over a portal home.

Column names must match what supervisors see, so `path` follows the visible nesting: an outer
`<li>`'s own label, a `<dt>` above `<dd>` links, or a heading before a run of lists (`<h3>`
over `<ul>`s or `<dl>`s).

Read as a catalog (`extract_nav(..., root_url=...)`), a page's header is not its catalog: the
site's top menu (办事服务, 互动交流, 走进XX) sits on every page of a portal and of many
platforms, and a link up to the catalog root or above it is never one of its columns. Nor is
a site map under the page's content (网站首页 | 走进XX | 市长之窗… with their sub-menus): it
maps the whole site.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from urllib.parse import urldefrag, urlsplit

from crawler.extract._html import (
    HtmlElement,
    abs_url,
    clean,
    is_pager_text,
    label,
    parse_html,
    pick_anchor,
    row_item,
    row_of,
)
from crawler.extract.classify import classify_section, is_detail_url
from crawler.extract.types import ListItem, NavLink

__all__ = ["extract_breadcrumb", "extract_nav", "home_items"]

_ASSET_EXT = re.compile(
    r"\.(?:pdf|docx?|xlsx?|pptx?|wps|et|ofd|zip|rar|7z|gz|jpe?g|png|gif|bmp|webp|svg|ico|css|js|"
    r"txt|mp[34]|avi|flv|swf|apk|exe|xml|json)$",
    re.I,
)
_SKIP_NAMES = (
    "友情链接",
    "网站地图",
    "关于我们",
    "联系我们",
    "无障碍",
    "登录",
    "注册",
    "设为首页",
    "加入收藏",
    "返回顶部",
    "关闭窗口",
    "打印本页",
    "长者模式",
    "关怀版",
    "繁體",
    "繁体",
    "网站声明",
    "隐私",
    "版权声明",
    "网站纠错",
)
_HOME_NAMES = {"首页", "网站首页", "返回首页", "主页", "首 页"}
_MORE = re.compile(r"^(?:更多|more|查看更多|更多\s*[>»+]+|more\s*[>»+]*|[>»+]{1,3}|\+)$", re.I)
_FOOTERISH = re.compile(
    r"(?:^|[\s_-])(?:foot|footer|bottom|copyright|yqlj|friend|friendlink|links|crumb|breadcrumb|"
    r"position|location|dqwz|mbx)(?:$|[\s_-])|footer|yqlj|friendlink|crumb",
    re.I,
)
#: Site chrome above the page: the portal's top bar and header menus. Matched on whole class/id
#: tokens: `menu` or `nav` alone name left-nav catalogs as often as top menus, and component
#: headers (`tabs_header`, `box-head`: a block's title and its 更多 link) are content.
_CHROME_TOKEN = re.compile(
    r"^(?:top|topbar|topnav|topmenu|banner|masthead)$"
    r"|^header"  # header, header_line, header-nav, headerBox
    r"|^(?:site|web|global|g)[-_]?header"
    r"|^top[-_]?(?:nav|menu|bar|links?|line)"
    r"|^head[-_]?(?:nav|menu|bar)"
    r"|^(?:nav|menu)[-_]?top$",
    re.I,
)
_LISTS = ("ul", "ol", "dl")
_INDEX_PAGE = re.compile(r"/(?:index|default)\.(?:s?html?|jsp|php|aspx?)$", re.I)
_HEADING = re.compile(r"^h[1-6]$")
_HEADING_CLASS = re.compile(r"tit|title|hd\b|head|caption|name", re.I)
_CRUMB_LABEL = re.compile(r"^.*?(?:位置|导航)\s*[:：]?\s*")
_CRUMB_SEP = re.compile(r"\s*(?:>>|&gt;|[>›»/→＞]|->)\s*")


def _skipped_box(a: HtmlElement) -> bool:
    """Inside a footer, friend-link box or breadcrumb (the links there are not catalogue)."""
    e = a.getparent()
    while e is not None and e.tag not in ("body", "html"):
        if e.tag in ("footer",):
            return True
        label = (e.get("class") or "") + " " + (e.get("id") or "")
        if label.strip() and _FOOTERISH.search(label):
            return True
        e = e.getparent()
    return False


_BODY, _CHROME, _SKIPPED = 0, 1, 2
#: A site header sits at the top of the page tree (body > div.header, body > div.wrap >
#: div.header, or one wrapper deeper); a box deep in the content that calls its title bar
#: `top` or `header` is a block of the page, not the site's header.
_HEADER_DEPTH = 3


def _region(e: HtmlElement | None, memo: dict[HtmlElement, tuple[int, int]]) -> tuple[int, int]:
    """(where element `e` sits, its depth below <body>). Where: in a footer, friend-link box or
    breadcrumb (_SKIPPED, whatever encloses it), in the site header (_CHROME) or in the page
    body. Memoised per page: a catalog page's links share their ancestors."""
    if e is None or e.tag in ("body", "html"):
        return _BODY, 0
    known = memo.get(e)
    if known is not None:
        return known
    above, depth = _region(e.getparent(), memo)
    depth += 1
    cues = f"{e.get('class') or ''} {e.get('id') or ''}"
    if e.tag == "footer" or (len(cues) > 1 and _FOOTERISH.search(cues)):
        own = _SKIPPED
    elif depth <= _HEADER_DEPTH and (
        e.tag == "header"
        or e.get("role") == "banner"
        or any(_CHROME_TOKEN.match(t) for t in cues.split())
    ):
        own = _CHROME
    else:
        own = _BODY
    found = (max(own, above), depth)  # _SKIPPED > _CHROME > _BODY: the strongest box decides
    memo[e] = found
    return found


def _own_label(li: HtmlElement) -> str:
    """A menu `<li>`'s own text, stopping at its nested sub-list."""
    parts = [li.text or ""]
    for child in li:
        if not isinstance(child.tag, str):
            parts.append(child.tail or "")
            continue
        if (
            child.tag in _LISTS
            or child.find(".//li") is not None
            or child.find(".//dd") is not None
        ):
            break
        parts.append(child.text_content())
        parts.append(child.tail or "")
    return label("".join(parts))


def _heading_before(e: HtmlElement) -> HtmlElement | None:
    """The heading (h1-h6, dt, *title*-classed element) before list `e`, across the lists
    between them: a flat 目录 writes `<h3>branch</h3><dl>…</dl><dl>…</dl>`, one list per group,
    and every list of the run belongs to the heading."""
    prev = e.getprevious()
    while prev is not None and (not isinstance(prev.tag, str) or prev.tag in _LISTS):
        prev = prev.getprevious()
    if prev is None:
        return None
    if (
        _HEADING.match(prev.tag)
        or prev.tag == "dt"
        or _HEADING_CLASS.search(prev.get("class") or "")
    ):
        return prev
    return None


def _several_links(boxes: list[HtmlElement]) -> bool:
    """Do these elements hold more than one link between them?"""
    seen = 0
    for box in boxes:
        for _ in box.iter("a"):
            seen += 1
            if seen > 1:
                return True
    return False


def _run_after(heading: HtmlElement) -> list[HtmlElement]:
    """The lists a heading stands over: its following siblings up to the first non-list."""
    run = []
    for sib in heading.itersiblings():
        if not isinstance(sib.tag, str):
            continue
        if sib.tag not in _LISTS:
            break
        run.append(sib)
    return run


def _path(a: HtmlElement, name: str) -> tuple[str, ...]:
    steps: list[str] = []
    own_li = None
    prev = a
    e = a.getparent()
    while e is not None and e.tag not in ("body", "html"):
        step = ""
        group: list[HtmlElement] = []
        if e.tag == "li":
            if own_li is None:
                own_li = e
            else:
                step = _own_label(e)
        elif e.tag == "dl" and prev.tag == "dd":
            dt = prev.getprevious()
            while dt is not None and (not isinstance(dt.tag, str) or dt.tag != "dt"):
                dt = dt.getprevious()
            if dt is not None:
                step, group = label(dt.text_content()), [e]
        if not step and prev.tag in _LISTS and (own_li is not None or prev.tag == "dl"):
            heading = _heading_before(prev)
            text = label(heading.text_content()) if heading is not None else ""
            if 0 < len(text) <= 20:
                step, group = text, _run_after(heading)
        # An enclosing menu item may carry the link's own name (政策文件 > 政策文件); so may a
        # heading or <dt> over several links (工作动态: 工作动态, 通知公告). Over this link
        # alone, a heading or <dt> that repeats its name is the link's own label.
        if (
            step
            and (step != name or e.tag == "li" or _several_links(group))
            and (not steps or steps[-1] != step)
        ):
            steps.append(step)
        prev = e
        e = e.getparent()
    return tuple(reversed(steps)) + (name,)


def _more_name(a: HtmlElement) -> str:
    """For a 更多>> link, the block title next to it (the column's real name)."""
    p = a.getparent()
    for box in (p, p.getparent() if p is not None else None):
        if box is None:
            continue
        for e in box.iter():
            if e is a or not isinstance(e.tag, str) or any(x is a for x in e.iter("a")):
                continue
            if _HEADING.match(e.tag) or _HEADING_CLASS.search(e.get("class") or ""):
                text = clean(e.text_content())
                if text and not _MORE.match(text) and len(text) <= 20:
                    return text
        rest = clean(box.text_content().replace(a.text_content(), ""))
        if 0 < len(rest) <= 12:
            return rest
    return ""


def _same_page_key(url: str) -> str:
    """`dir/`, `dir/index.html` and `dir/index.html#top` are one page."""
    plain = urldefrag(url)[0]
    return _INDEX_PAGE.sub("/", plain)


#: A site's header repeats on every page of its catalog: its links are classified once.
_header_section = lru_cache(maxsize=4096)(classify_section)


class _Scope:
    """The catalog a page is read for: its root page and the root's folder."""

    def __init__(self, root_url: str, page_url: str):
        parts = urlsplit(root_url)
        self.host = parts.netloc.lower()
        path = parts.path or "/"
        self.folder = path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"
        self.folder_url = f"{parts.scheme.lower()}://{self.host}{self.folder}"
        self.root = _same_page_key(root_url)
        self.page_is_root = _same_page_key(page_url) == self.root

    def at_or_above_root(self, key: str) -> bool:
        """The root itself or a folder page above it (the site home, the 政务公开 section over
        a 政府信息公开 root): the catalog's parents, never its columns. `key` is a link's
        _same_page_key; string tests only, as this runs for every link of a catalog page."""
        if key == self.root:
            return True
        cut = key.find("/", key.find("//") + 2)
        if cut < 0:
            key, cut = key + "/", len(key)  # http://host is the host's top folder
        if not key.endswith("/") or "?" in key:
            return False  # a file, or a query page: not a folder page
        return self.folder_url.startswith(key[:cut].lower() + key[cut:])

    def inside(self, url: str) -> bool:
        """Under the root's own folder (not the host's top folder, which holds everything)."""
        parts = urlsplit(url)
        return (
            self.folder != "/"
            and parts.netloc.lower() == self.host
            and parts.path.startswith(self.folder)
        )


def _anchor_name(a: HtmlElement) -> str:
    return label(a.text_content()) or label(a.get("title"))


def _live(a: HtmlElement, regions: dict[HtmlElement, tuple[int, int]]) -> bool:
    """Could this link be read as a column (a named link outside footers, not site chrome by
    its name)? The test for what follows a bottom site map."""
    name = _anchor_name(a)
    return (
        bool(a.get("href"))
        and bool(name)
        and name not in _HOME_NAMES
        and not any(s in name for s in _SKIP_NAMES)
        and _region(a.getparent(), regions)[0] != _SKIPPED
    )


def _bottom_site_map(
    root: HtmlElement, regions: dict[HtmlElement, tuple[int, int]]
) -> set[HtmlElement]:
    """The links of a site map under the page's content: the largest block that opens with the
    site's home link (网站首页 | 走进XX | 市长之窗…: the site's top menu repeated, often with
    each section's sub-menu beside it), with links of the page above it and nothing but the
    footer after it. It maps the whole site, not the catalog: a catalog nav does not open
    with the site's home, nor does a left nav placed last on a short page."""
    anchors = list(root.iter("a"))
    for a in anchors:
        if not a.get("href") or _anchor_name(a) not in _HOME_NAMES:
            continue
        if _region(a.getparent(), regions)[0] != _BODY:
            continue
        box = a.getparent()
        while box is not None and box.getparent() is not None:
            up = box.getparent()
            if up.tag in ("body", "html"):
                break
            first = next((x for x in up.iter("a") if x.get("href") and _anchor_name(x)), None)
            if first is not a:
                break
            box = up
        if box is None or box.tag in ("body", "html"):
            continue
        inside = list(box.iter("a"))
        start = anchors.index(inside[0])
        end = start + len(inside)
        before, after = anchors[:start], anchors[end:]
        if any(_live(x, regions) for x in after):
            continue
        if not any(
            _live(x, regions) and _region(x.getparent(), regions)[0] == _BODY for x in before
        ):
            continue  # nothing above it: the page's only menu
        return set(inside)
    return set()


def extract_nav(html: str, base_url: str, root_url: str | None = None) -> list[NavLink]:
    """Catalogue links of a disclosure root / section page, in document order, one per URL.
    Excluded: detail pages, files, javascript/mailto, non-http(s), footer and friend links,
    breadcrumbs, pager links and home links. Host filtering is the caller's.

    Without `root_url` the page is read whole (a portal home: its header menu is the site's map,
    its links marked `chrome`) and its link to itself is dropped. With `root_url`, the root of
    the catalog the page is read for, the page is read as part of that catalog:
    - links in the site header (class/id `header`, `top`, `topnav`…, `<header>`) are chrome
      unless they lead under the root's folder (a shared-host portal's 政务公开 drop-down lists
      the catalog's own columns) or name a statutory section (公开指南, 年报…, which a header
      bar on a platform of its own may be the only place to show);
    - links to the root or to a folder page above it are not columns;
    - a site map under the page's content (a block opening with the site's home link, followed
      by nothing but the footer) is not the catalog: it repeats the whole site;
    - on a column page (not the root) the page's own entry in the tree is kept: it is one of
      the catalog's columns."""
    root = parse_html(html)
    if root is None:
        return []
    me = _same_page_key(base_url)
    scope = _Scope(root_url, base_url) if root_url else None
    keep_me = scope is not None and not scope.page_is_root
    regions: dict[HtmlElement, tuple[int, int]] = {}
    out: list[NavLink] = []
    seen: set[str] = set()
    site_map = _bottom_site_map(root, regions) if scope is not None else set()
    for a in root.iter("a"):
        url = abs_url(a.get("href"), base_url)
        if url is None or url in seen or a in site_map:
            continue
        key = _same_page_key(url)
        if key == me and not keep_me:
            continue
        path = urlsplit(url).path
        if _ASSET_EXT.search(path) or "downfile" in path.lower() or is_detail_url(url):
            continue
        name = label(a.text_content()) or label(a.get("title"))
        if _MORE.match(name):
            name = _more_name(a)
        if (
            not name
            or name in _HOME_NAMES
            or (is_pager_text(name) and not re.fullmatch(r"(?:19|20)\d\d", name))
            or any(s in name for s in _SKIP_NAMES)
        ):
            continue
        region = _region(a.getparent(), regions)[0]
        if region == _SKIPPED:
            continue
        if scope is not None:
            if key != me and scope.at_or_above_root(key):
                continue
            if region == _CHROME and not scope.inside(url) and not _header_section(name, url):
                continue
            if key == me and (region != _BODY or "#" in url):
                continue  # the page's own entry is the one in its tree, not an in-page anchor
        seen.add(url)
        out.append(NavLink(name, url, _path(a, name), chrome=region == _CHROME))
    return out


def _crumb_element(root: HtmlElement) -> HtmlElement | None:
    for t in root.xpath(
        "//body//text()[contains(., '位置')][not(ancestor::script)][not(ancestor::style)]"
    ):
        e = t.getparent()
        if e is None:
            continue
        if t.is_tail:
            e = e.getparent() if e.getparent() is not None else e
        for _ in range(3):
            if e.find(".//a") is not None or len(clean(e.text_content())) > len(clean(t)) + 1:
                return e
            parent = e.getparent()
            if parent is None:
                break
            e = parent
        return e
    hits = root.xpath(
        "//*[contains(@class,'crumb') or contains(@id,'crumb') or contains(@class,'position')"
        " or contains(@id,'position') or contains(@class,'location') or contains(@class,'dqwz')]"
    )
    return hits[0] if hits else None


def extract_breadcrumb(html: str) -> list[str]:
    """当前位置 trail as names, e.g. ["首页", "信息公开", "法定主动公开内容", "财政信息"]."""
    root = parse_html(html)
    if root is None:
        return []
    box = _crumb_element(root)
    if box is None:
        return []
    chunks: list[str] = []
    for t in box.itertext():
        chunks.extend(_CRUMB_SEP.split(t))
    names: list[str] = []
    label_done = False
    for c in chunks:
        c = clean(c)
        if not label_done and ("位置" in c or "导航" in c):
            c = clean(_CRUMB_LABEL.sub("", c))
            label_done = True
        c = c.strip("：:")
        if c:
            names.append(c)
    return names


def home_items(html: str, base_url: str, today: date) -> list[ListItem]:
    """Dated entries anywhere on a portal home page (several small lists): every row whose
    title link has a date beside it or in its URL. One per URL, document order."""
    root = parse_html(html)
    if root is None:
        return []
    rows: dict[HtmlElement, list[HtmlElement]] = {}
    for a in root.iter("a"):
        if a.get("href"):
            rows.setdefault(row_of(a), []).append(a)
    out: list[ListItem] = []
    seen: set[str] = set()
    for row, anchors in rows.items():
        a = pick_anchor(anchors, base_url)
        if a is None or _skipped_box(a):
            continue
        item = row_item(row, a, base_url, today)
        if item is None or item.date is None or item.url in seen:
            continue
        seen.add(item.url)
        out.append(item)
    return out
