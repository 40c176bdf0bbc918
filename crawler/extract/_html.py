"""Shared low-level helpers for the list extractors: parsing, text cleaning, link resolution and
turning one list row (li / tr / dl / p / bare anchor) into a ListItem.

Kept private so listing, hanweb and catalog read rows the same way: a date found by one must be
found by the others, or the freshness checks would disagree with themselves.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from crawler.extract.classify import is_detail_url
from crawler.extract.dates import date_from_url, parse_date
from crawler.extract.types import ListItem

HtmlElement = lxml.html.HtmlElement

_WS = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)

#: A chunk that is nothing but a date (optionally bracketed or labelled) - the list's date cell.
_DATEISH = re.compile(
    r"(?:\d{4}\s*[-/.年]\s*)?\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
)
#: A full date anywhere in a longer chunk ("发布时间：2026-01-02 浏览：33").
_DATE_IN_TEXT = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")
_LABEL = re.compile(r"^[^\d]{0,8}?[:：]\s*")
_BRACKETS = "[]【】()（）〔〕<>「」 \t"
#: Badges that sit inside or next to a title but are not part of it.
_MARKERS = {
    "置顶",
    "[置顶]",
    "【置顶】",
    "(置顶)",
    "（置顶）",
    "new",
    "hot",
    "top",
    "[图]",
    "【图】",
}
_BADGE = re.compile(r"^[\[【(（]\s*置顶\s*[\]】)）]\s*|^置顶\s*[:：]\s*")
_BAD_SCHEMES = ("javascript:", "mailto:", "tel:", "vbscript:", "data:")
_PAGER_TEXT = re.compile(
    r"^(?:\d{1,4}|首页|上一页|下一页|上页|下页|尾页|末页|最后一页|前一页|后一页|跳转|GO|go|"
    r"[<>«»‹›]{1,2}|下\d+页|上\d+页)$"
)
INDEX_NO = re.compile(r"[0-9A-Za-z]{6,20}\s*/\s*\d{4}\s*-\s*\d{3,8}")
DOC_NO = re.compile(r"[〔\[【（(]\s*\d{4}\s*[〕\]】）)]\s*\d+\s*号|第\s*\d+\s*号")
ROW_TAGS = frozenset({"li", "tr", "dl", "p"})


#: `href="./a.html target=_blank>` (closing quote lost) or `href='./a.html"` (mismatched):
#: left alone, the parser swallows the rest of the row into the attribute. The other quote only
#: closes the value when the tag goes on after it: `href="javascript:goPage('2')"` is a quoted
#: argument, not a mismatch. The possessive run and the literal start (no `\b`, no re.I) keep
#: this scan cheaper than the parse itself: the word boundary is checked by hand, and other
#: spellings (HREF, hRef) get a second pass.
_HREF_QUOTE_BODY = r"""(\s*=\s*)(["'])([^"'\s<>]*+)(?:(?!\3)["'](?=[\s>/]|$)|(?=[\s>]))"""
_HREF_QUOTES = re.compile("(href)" + _HREF_QUOTE_BODY)
_HREF_QUOTES_ANY_CASE = re.compile("(href)" + _HREF_QUOTE_BODY, re.I)


def _repair_quotes(pattern: re.Pattern[str], html: str) -> str:
    out: list[str] = []
    last = pos = 0
    while (m := pattern.search(html, pos)) is not None:
        start = m.start()
        if start and (html[start - 1].isalnum() or html[start - 1] == "_"):
            pos = start + 1  # `xhref=`: another attribute; an href may still start inside it
            continue
        out += (html[last:start], f'{m[1]}{m[2]}"{m[4]}"')
        last = pos = m.end()
    return "".join([*out, html[last:]]) if out else html


def _fix_hrefs(html: str) -> str:
    if "href" in html:
        html = _repair_quotes(_HREF_QUOTES, html)
    # Counting is cheaper than the case-insensitive scan, which only a page spelling the
    # attribute some other way (HREF, Href, hRef) needs.
    if html.lower().count("href") != html.count("href"):
        html = _repair_quotes(_HREF_QUOTES_ANY_CASE, html)
    return html


_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff\uff00-\uffef]) (?=[\u3400-\u9fff\uff00-\uffef])")


def label(text: str | None) -> str:
    """A menu or column label as people read it: `政府信息<br>\n 公开制度` is 政府信息公开制度.
    Spaces between two CJK characters are layout (line breaks, padding), not words."""
    t = clean(text)
    return _CJK_GAP.sub("", t) if " " in t else t


def clean(text: str | None) -> str:
    """Collapse all whitespace (incl. nbsp, U+3000, zero-width) to single spaces and strip."""
    if not text:
        return ""
    if "\u200b" in text or "\ufeff" in text:
        return _WS.sub(" ", text).strip()
    # str.split() splits on what `\s` matches (nbsp and U+3000 included), at a third of the
    # regex's cost; every title, cell and link text goes through here.
    return " ".join(text.split())


def parse_html(html: str | bytes) -> HtmlElement | None:
    """Parse a page with lxml; None for empty or unparseable input (never raises).

    The spider asks several extractors about one page (catalog links, list, breadcrumb, pager),
    so the last few trees are cached: callers must treat the tree as read-only.
    """
    if not html:
        return None
    if isinstance(html, str):
        return _parse_text(html)
    return _parse(html)


@lru_cache(maxsize=4)
def _parse_text(html: str) -> HtmlElement | None:
    return _parse(html)


def _parse(html: str | bytes) -> HtmlElement | None:
    if isinstance(html, str):
        html = _XML_DECL.sub("", html, count=1)
        if not html.strip():
            return None
        html = _fix_hrefs(html)
    try:
        return lxml.html.document_fromstring(html, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None


#: lxml.html's parser picks an element class per tag (FormElement, InputElement...) through a
#: Python callback on every element the extractors touch; nothing here uses those classes, and
#: the C-level default lookup makes tree walks about a fifth cheaper.
_PARSER = lxml.html.HTMLParser()
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement,
        comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
)


def abs_url(href: str | None, base_url: str) -> str | None:
    """Absolute http(s) URL for an href, or None for javascript:, mailto:, bare # and junk."""
    if not href:
        return None
    return _abs_url(href, base_url)


def _abs_url(href: str, base_url: str) -> str | None:
    # Most catalog and list links are root-relative, absolute or `./x`: resolve those without
    # urljoin. Root-relative and absolute links are kept as written unless urljoin must tidy
    # them (_UNSAFE): an empty `#` or `?` stays, as it always has in stored URLs. A root-relative
    # link means the same on every page of a site (navigation menus repeat on all of them), so
    # those are cached by origin. Simple relative links resolve exactly as urljoin would.
    if href.startswith("/") and not href.startswith("//"):
        rooted = _rooted(href, _origin(base_url))
        if rooted:
            return rooted
    elif href.startswith(("http://", "https://")):
        if not _UNSAFE.search(href):
            return href
    elif _tidy(href) and _SIMPLE_RELATIVE.match(href):
        # `./202611/t20261129_1.html`, list pages' usual form: the page's directory + path.
        folder = _folder(base_url)
        if folder is not None:
            return folder + (href[2:] if href.startswith("./") else href)
    return _abs_url_slow(href, base_url)


def _tidy(href: str) -> bool:
    """Nothing urljoin would rewrite in a relative href: no whitespace, backslash, bracket, dot
    segment, `;`, or empty query or fragment."""
    return not (
        _UNSAFE_RELATIVE.search(href) or href.endswith(("?", "#")) or "?#" in href or ";" in href
    )


@lru_cache(maxsize=16384)
def _rooted(href: str, origin: str) -> str:
    """`origin + href` for a root-relative href urljoin need not tidy, else "" (it decides)."""
    return "" if _UNSAFE.search(href) else origin + href


#: A relative path with nothing urljoin would rewrite: no scheme, dot segments, empty segments,
#: whitespace, backslashes or brackets; no empty `?` or `#` (urljoin drops those).
_SEGMENT = r"(?!\.\.?(?:[/?#]|\Z))[\w\-.~%!$&'()*+,=@]+"
_SIMPLE_RELATIVE = re.compile(
    rf"(?:\./)?{_SEGMENT}(?:/{_SEGMENT})*/?(?:\?[^\s\\\[\]#]+)?(?:#[^\s\\\[\]]+)?\Z"
)


@lru_cache(maxsize=256)
def _folder(base_url: str) -> str | None:
    """The directory relative paths resolve against, or None when urljoin would have to tidy
    the base first (dot or empty segments, `;params`)."""
    try:
        parts = urlsplit(base_url)
    except ValueError:
        return None
    path = parts.path or "/"
    if (
        parts.scheme not in ("http", "https")
        or not path.startswith("/")
        or "//" in path
        or ";" in path
        or _UNSAFE.search(path)
    ):
        return None
    return f"{parts.scheme}://{parts.netloc}{path[: path.rfind('/') + 1]}"


# Whitespace, backslashes, dot segments and brackets (IPv6 literals, junk like `http://[bad`)
# go through urljoin/urlsplit, which normalise or reject them.
_UNSAFE = re.compile(r"[\s\\\[\]]|/\.\.?(?:/|$)")
_UNSAFE_RELATIVE = re.compile(r"[\s\\\[\]]|/\.\.?(?:[/?#]|$)")


@lru_cache(maxsize=256)
def _origin(base_url: str) -> str:
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}"


@lru_cache(maxsize=8192)
def _abs_url_slow(href: str, base_url: str) -> str | None:
    # Cached: every extractor resolves the same hrefs several times (row grouping, title-link
    # choice, scoring, pager scan) and urljoin dominates the profile on big pages.
    href = href.strip().replace("\r", "").replace("\n", "").replace("\t", "")
    if not href or href.startswith("#"):
        return None
    low = href.lower()
    if low.startswith(_BAD_SCHEMES):
        return None
    try:
        url = urljoin(base_url, href)
        scheme = urlsplit(url).scheme
    except ValueError:
        return None
    if scheme not in ("http", "https"):
        return None
    return url


def is_pager_text(text: str) -> bool:
    return bool(_PAGER_TEXT.match(text))


@lru_cache(maxsize=4096)
def chunk_date(chunk: str, today: date) -> date | None:
    """The date if `chunk` is essentially only a date (bracketed, labelled or with a time).
    Cached: a list repeats the same few dates in row after row, page after page."""
    s = clean(chunk)
    if not s or len(s) > 40 or not any(c.isdigit() for c in s):
        return None
    s = _LABEL.sub("", s).strip(_BRACKETS)
    if _DATEISH.fullmatch(s):
        return parse_date(s, today)
    return None


def text_date(chunk: str, today: date) -> date | None:
    """A full (year-bearing) date inside a longer chunk; month/day alone is too risky here."""
    s = clean(chunk)
    if len(s) > 80 or not _DATE_IN_TEXT.search(s):
        return None
    return parse_date(s, today)


#: The part of _DATEISH every match contains (the rest is optional): same answer to "is there
#: one?", and its leading digit lets the regex engine skip ahead.
_DATEISH_CORE = re.compile(r"\d\s*[-/.月]\s*\d")


def has_dateish(text: str) -> bool:
    """Cheap pre-check used when scoring containers (no calendar validation)."""
    return bool(_DATEISH_CORE.search(text))


def _outside_chunks(row: HtmlElement, a: HtmlElement) -> list[str]:
    """Text pieces of `row` that are not inside anchor `a` (document order)."""
    out: list[str] = []
    children = list(row)
    if not any(len(c) for c in children):
        # A flat row (`<li><a>…</a><span>date</span></li>`, most lists): no recursion needed.
        if row.tag in ("script", "style"):
            return out
        if row.text and isinstance(row.tag, str):
            out.append(row.text)
        for c in children:
            if (
                c is not a
                and c.text
                and isinstance(c.tag, str)
                and c.tag not in ("script", "style")
            ):
                out.append(c.text)
            if c.tail:
                out.append(_tail_with_comment_year(c))
        return out

    def walk(e: HtmlElement) -> None:
        if e is a:
            return
        if isinstance(e.tag, str):
            if e.tag in ("script", "style"):
                return
            if e.text:
                out.append(e.text)
        for c in e:
            walk(c)
            if c.tail:
                out.append(_tail_with_comment_year(c))

    walk(row)
    return out


#: A comment holding only a year, and a month/day printed right after it: templates that keep
#: the year out of sight write `<!--2017-->07-04` (太原杏花岭 政务公开 lists).
_COMMENT_YEAR = re.compile(r"\s*((?:19|20)\d{2})\s*")
_MONTH_DAY = re.compile(r"\s*(\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)\s*")


def _tail_with_comment_year(c: HtmlElement) -> str:
    """`c.tail`, prefixed with the year a preceding `<!--YYYY-->` comment hides when the tail is a
    bare month/day: the printed date without its year would be resolved against today."""
    tail = c.tail or ""
    if c.tag is not etree.Comment or not isinstance(c.text, str):
        return tail
    year = _COMMENT_YEAR.fullmatch(c.text)
    md = _MONTH_DAY.fullmatch(tail) if year else None
    return f"{year[1]}-{md[1]}" if md else tail


def _following_chunks(a: HtmlElement) -> list[str]:
    """For a bare anchor row (`<a>T</a><span>D</span><br><a>…`): text up to the next anchor."""
    out: list[str] = []
    if a.tail:
        out.append(a.tail)
    sib = a.getnext()
    while sib is not None:
        if not isinstance(sib.tag, str):
            if sib.tail:
                out.append(sib.tail)
            sib = sib.getnext()
            continue
        if sib.tag == "a" or sib.find(".//a") is not None:
            break
        out.extend(sib.itertext())
        if sib.tail:
            out.append(sib.tail)
        sib = sib.getnext()
    return out


def anchor_title(a: HtmlElement, skip: set[str] | None = None) -> str:
    """Title of a list link: its visible text minus embedded dates and badges, or the `title=`
    attribute when the text is empty or truncated ("…"/"...") - real templates cut titles."""
    parts = []
    # A plain `<a>title</a>` (most list links) has just its own text: no itertext walk.
    pieces = (a.text,) if not len(a) else a.itertext()
    for t in pieces:
        c = clean(t)
        if not c or (skip and c in skip) or c.lower() in _MARKERS:
            continue
        parts.append(t)
    text = clean("".join(parts))
    if "置顶" in text:
        text = _BADGE.sub("", text)
    attr = clean(a.get("title"))
    if attr:
        stem = text.rstrip(".…。 ")
        if not text or text.endswith(("...", "…", "..")) or (stem and attr.startswith(stem)):
            return attr
    if not text:
        img = a.find(".//img")
        if img is not None:
            text = clean(img.get("alt") or img.get("title"))
    return text


def row_of(a: HtmlElement, max_up: int = 6) -> HtmlElement:
    """The list row holding anchor `a`: nearest li/tr/p, or a dl for dt/dd pairs; otherwise the
    highest ancestor (3 levels) that holds no other link (div-based rows), else the anchor."""
    e = a.getparent()
    depth = 0
    while e is not None and depth < max_up:
        tag = e.tag
        if tag in ROW_TAGS:
            return e
        if tag in ("dt", "dd"):
            p = e.getparent()
            return p if p is not None and p.tag == "dl" else e
        if tag in ("body", "html", "ul", "ol", "table", "tbody"):
            break
        e = e.getparent()
        depth += 1
    x = a
    for _ in range(3):
        p = x.getparent()
        if p is None or p.tag in ("body", "html", "ul", "ol", "table", "tbody", "form"):
            break
        n = 0
        for link in p.iter("a"):
            if link.get("href"):
                n += 1
                if n > 1:
                    break
        if n > 1:
            break
        x = p
    return x


def row_item(
    row: HtmlElement,
    a: HtmlElement,
    base_url: str,
    today: date,
    columns: dict[int, str] | None = None,
    url: str | None = None,
) -> ListItem | None:
    """Build a ListItem from one row and its title anchor. `columns` maps td index → field name
    (from a table header such as 名称|索引号|发布机构|发布日期) when the row is a catalogue row;
    `url` is the anchor's resolved href when the caller has it."""
    url = url or abs_url(a.get("href"), base_url)
    if url is None:
        return None
    item = ListItem(title="", url=url)
    found: date | None = None
    date_chunks: set[str] = set()
    if columns and row.tag == "tr":
        cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]
        for i, field_name in columns.items():
            if i >= len(cells) or a in cells[i].iter("a"):
                continue
            val = clean(cells[i].text_content())
            if not val:
                continue
            if field_name == "date":
                found = found or chunk_date(val, today) or text_date(val, today)
            elif field_name in ("index_no", "doc_no", "publisher"):
                setattr(item, field_name, val)
    elif row.tag == "tr":
        for cell in row:
            if not isinstance(cell.tag, str) or cell.tag != "td" or a in cell.iter("a"):
                continue
            val = clean(cell.text_content())
            if item.index_no is None and INDEX_NO.fullmatch(val):
                item.index_no = val
            elif item.doc_no is None and len(val) <= 40 and DOC_NO.search(val):
                item.doc_no = val
    if found is None:
        outside = _outside_chunks(row, a) if row is not a else _following_chunks(a)
        for chunk in outside:
            found = chunk_date(chunk, today)
            if found:
                break
        if found is None:
            for t in a.itertext():  # date inside the anchor (font.cont_tit02, <i>, <span>)
                d = chunk_date(t, today)
                if d:
                    found = d
                    date_chunks.add(clean(t))
                    break
        if found is None:
            for chunk in outside:
                found = text_date(chunk, today)
                if found:
                    break
    item.title = anchor_title(a, date_chunks)
    if not item.title:
        return None
    if found is not None:
        item.date, item.date_source = found, "list"
    else:
        d = date_from_url(url, today)
        if d is not None:
            item.date, item.date_source = d, "url"
    return item


_HEADER_FIELDS = (
    ("索引", "index_no"),
    ("文号", "doc_no"),
    ("字号", "doc_no"),
    ("发布机构", "publisher"),
    ("发文机关", "publisher"),
    ("发布单位", "publisher"),
    ("责任部门", "publisher"),
    ("机构", "publisher"),
    ("日期", "date"),
    ("时间", "date"),
    ("名称", "title"),
    ("标题", "title"),
)


def table_columns(table: HtmlElement) -> dict[int, str] | None:
    """Column roles from a catalogue table's header row (the first rows without links)."""
    for n, tr in enumerate(table.iter("tr")):
        if n > 3:
            break
        if tr.find(".//a[@href]") is not None:
            continue
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
        roles: dict[int, str] = {}
        for i, c in enumerate(cells):
            label = clean(c.text_content()).replace(" ", "")
            for key, role in _HEADER_FIELDS:
                if key in label and len(label) <= 10:
                    roles[i] = role
                    break
        if len(roles) >= 2 and ("date" in roles.values() or "index_no" in roles.values()):
            return roles
    return None


#: is_detail_url is pure; rows are scored and re-read several times per page.
is_detail = lru_cache(maxsize=8192)(is_detail_url)


def own_text(e: HtmlElement) -> str:
    """`e.text_content()` without the XPath call for the usual childless anchor or cell."""
    if len(e):
        return e.text_content()
    return e.text or ""


def pick_anchor(
    anchors: list[HtmlElement], base_url: str, urls: dict[HtmlElement, str] | None = None
) -> HtmlElement | None:
    """The title link of a row: the first detail-looking link, else the one with the longest
    text (a row can also carry a `[通知公告]` column tag or an attachment link). `urls` holds
    the anchors' resolved hrefs when the caller has them already."""
    best = None
    best_len = -1
    for a in anchors:
        url = urls.get(a) if urls is not None else abs_url(a.get("href"), base_url)
        if url is None:
            continue
        text = clean(own_text(a)) or clean(a.get("title"))
        if not text or is_pager_text(text):
            continue
        if is_detail(url):
            return a
        if len(text) > best_len:
            best, best_len = a, len(text)
    return best
