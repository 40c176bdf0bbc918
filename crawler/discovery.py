"""Pure helpers the spider uses to walk a catalog: which links belong to the unit's catalog,
how a column's catalog path is built, and whether a leaf page is a static page or a blank column.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit, urlunsplit

import lxml.html

from crawler.extract._html import abs_url, parse_html
from crawler.extract.catalog import extract_breadcrumb
from crawler.extract.classify import is_detail_url

# Links that are site chrome, never catalog columns.
CHROME_NAMES = re.compile(
    r"^(网站)?首页$|返回|上一页|下一页|尾页|末页|更多|登录|注册|无障碍|English|网站地图|"
    r"联系我们|关于我们|友情链接|收藏|打印|关闭|设为|加入|长者|智能问答|搜索"
)
# Names of the disclosure catalog's own root, dropped from catalog paths.
ROOT_NAMES = {
    "政府信息公开",
    "信息公开",
    "政务公开",
    "政府信息公开平台",
    "信息公开目录",
    "政府信息公开目录",
    "部门信息公开目录",
    "首页",
    "网站首页",
    "当前位置",
    "公开目录",
}
# Path fragments that mark disclosure catalog URLs on a host shared with the portal.
CATALOG_PATH_HINTS = re.compile(
    r"/(col/col\d+|columns/|gkml|xxgk|zwgk|zfxxgk|fdzdgknr|ysqgk|gkmlpt|public/column|nw\d+|c\d{5,})",
    re.I,
)
CJK = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=65536)
def normalise_url(url: str) -> str:
    """Key for 'seen' sets: no fragment, and a directory equals its index page."""
    parts = urlsplit(url)
    path = parts.path or "/"
    path = re.sub(r"/index\.(s?html?|jsp|php)$", "/", path)
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, parts.query, ""))


def directory(url: str) -> str:
    path = urlsplit(url).path or "/"
    return path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"


def under(url: str, root_url: str) -> bool:
    """Is `url` on the host of `root_url` and inside its directory?"""
    if urlsplit(url).netloc.lower() != urlsplit(root_url).netloc.lower():
        return False
    root_dir = directory(root_url)
    return root_dir != "/" and urlsplit(url).path.startswith(root_dir)


def is_chrome(name: str) -> bool:
    return not name or bool(CHROME_NAMES.search(name.strip()))


def in_scope(link_url: str, root_url: str, shared_host: bool) -> bool:
    """Does a link on a catalog page belong to the catalog rooted at `root_url`?

    On a host of its own, every page does. On a host shared with the portal, only pages under
    the catalog's directory or with catalog-style paths do, so the portal's menus stay out.
    """
    if not shared_host:
        return True
    path = urlsplit(link_url).path
    root_dir = directory(root_url)
    return (root_dir != "/" and path.startswith(root_dir)) or bool(CATALOG_PATH_HINTS.search(path))


def compose_path(
    parent: tuple[str, ...], nav_path: tuple[str, ...], top_names: set[str]
) -> tuple[str, ...]:
    """A link's catalog path: the nav's own nesting when it starts at the catalog's top level
    (a full left-nav tree), else the parent page's path plus the link's name."""
    nav = tuple(n for n in nav_path if n and n not in ROOT_NAMES)
    if not nav:
        return parent
    if nav[0] in top_names or not parent:
        return nav
    if nav[: len(parent)] == parent:
        return nav
    return parent + nav[-1:]


def path_from_breadcrumb(crumbs: list[str]) -> tuple[str, ...]:
    out = [c.strip() for c in crumbs if c.strip()]
    while out and (out[0] in ROOT_NAMES or out[0].endswith(("人民政府", "政府网"))):
        out.pop(0)
    return tuple(out)


#: An <a>'s own href attribute: `href` right after whitespace or a quote, so template bindings
#: that merely end in "href" (avalon ms-attr-href="el.url", Vue :href / v-bind:href, Angular
#: ng-href, data-href) are not read as links to a page called "el.url".
HREF = re.compile(r"""<a\b[^>]*?(?<=[\s"'])href\s*=\s*["']?([^"'\s>]+)""", re.I)


def raw_hrefs(html: str, base_url: str) -> set[str]:
    """Every link target of the page that could be a catalog node (not a detail page, not a
    file), found with a regex: a cheap test of whether a page shows anything its parent did not."""

    out = set()
    for href in set(HREF.findall(html)):  # menus repeat links (nav, breadcrumb, footer)
        url = abs_url(href.replace("&amp;", "&") if "&amp;" in href else href, base_url)
        if url and not is_detail_url(url):
            out.add(normalise_url(url))
    out.discard(normalise_url(base_url))
    return out


_BASE = re.compile(r"""<base\s[^>]*?href\s*=\s*["']?([^"'\s>]+)""", re.I)


def base_url(html: str, url: str) -> str:
    """What relative links on the page resolve against: its <base href> when it names an
    http(s) URL (common on CMS-generated pages), else the page's own URL."""
    m = _BASE.search(html, 0, 8192)
    if m:
        try:
            base = urljoin(url, m.group(1).strip())
        except ValueError:
            return url
        if base.startswith(("http://", "https://")):
            return base
    return url


_JS_REDIRECT = re.compile(
    r"""(?:window\.|document\.|top\.|self\.)?location(?:\.href)?\s*=\s*["']([^"']+)["']"""
    r"""|location\.replace\(\s*["']([^"']+)["']\s*\)""",
    re.I,
)


def js_redirect(html: str, url: str) -> str | None:
    """The target of a page that only redirects by script (a small page, one location change)."""
    if len(html) > 8000:
        return None
    m = _JS_REDIRECT.search(html)
    if not m:
        return None
    try:
        target = urljoin(url, (m.group(1) or m.group(2)).strip())
    except ValueError:
        return None
    if not target.startswith(("http://", "https://")) or normalise_url(target) == normalise_url(
        url
    ):
        return None
    return target


_IFRAME = re.compile(
    r"""<i?frame\b[^>]*?\bsrc\s*=\s*["']?([^"'\s>]+)"""
    # a page pulled in by script: $("#ml").load("/xxgk/ml.html")
    r"""|\.load\(\s*["']([^"'\s]+)["']""",
    re.I,
)


def framed(html: str, url: str) -> str | None:
    """The page a catalog root shows in a frame (`<iframe src>` / `<frame src>`) or pulls in by
    script (jQuery `.load(url)`): the first http(s) one that is not the page itself, for a root
    that shows no catalog links."""
    for m in _IFRAME.finditer(html):
        try:
            target = urljoin(url, (m.group(1) or m.group(2)).strip())
        except ValueError:
            continue
        if target.startswith(("http://", "https://")) and normalise_url(target) != normalise_url(
            url
        ):
            return target
    return None


_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_TITLE_SEP = re.compile(r"\s*[-_|｜—–]+\s*")


def page_name(html: str, page_meta: dict[str, str]) -> str:
    """A column page's own name when no catalog link named it: ColumnName meta, else the
    breadcrumb's last step, else the first part of <title>."""
    if page_meta.get("ColumnName"):
        return page_meta["ColumnName"].split(",")[-1].split("，")[-1].strip()
    crumbs = [c for c in extract_breadcrumb(html) if c.strip()]
    if crumbs:
        return crumbs[-1].strip()
    m = _TITLE.search(html)
    return _TITLE_SEP.split(m.group(1).strip())[0] if m and m.group(1).strip() else ""


_PROSE = lxml.etree.XPath(
    "//text()[not(ancestor::script or ancestor::style or ancestor::a or ancestor::select"
    " or ancestor::option or ancestor::head)]"
)


def content_chars(html: str) -> int:
    """CJK characters of non-link text: a static page (指南, 制度) has many, a blank list few.
    Read off the page's shared parse tree (the list extractor parsed it already)."""
    root = parse_html(html)
    if root is None:
        return 0
    return len(CJK.findall("".join(_PROSE(root))))


def nav_signature(links: list[tuple[str, str]]) -> str:
    data = "\n".join(f"{n}\t{u}" for n, u in sorted(set(links)))
    return hashlib.sha1(data.encode("utf-8")).hexdigest()
