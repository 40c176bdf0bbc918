"""Where the other pages of a column list live.

Real pagers are mostly *not* links: TRS writes them with `document.write` from a
`createPageHTML(count, current0, "index", "html")` call, Hanweb loads pages 2..N from a
`dataproxy.jsp` endpoint, Yunnan hides hrefs in base64. So the order here is: Hanweb config,
literal JS calls, JS variables, then rendered/base64 pager links, then a plain 下一页 link.
The TRS suffix is 0-based (page N is `index_{N-1}`), the classic off-by-one in public crawlers.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from urllib.parse import parse_qsl, unquote_to_bytes, urldefrag, urljoin, urlsplit

from crawler.extract._html import HtmlElement, abs_url, clean, parse_html
from crawler.extract.jspager import SERIES_LIMIT, script_pager, stated_total
from crawler.extract.types import HanwebPaging, Pagination

__all__ = ["find_pagination", "pagination_from", "decode_webname"]

_Q = r"""['"]"""
# createPageHTML(25, 0, "index", "shtml")  /  createPageHTML('page_div',5, 1,'fg','shtml',89)
_CPH_LITERAL = re.compile(
    r"createPageHTML\s*\(\s*(?:(['\"])([\w.-]*)\1\s*,\s*)?(\d+)\s*,\s*(\d+)\s*,\s*"
    r"(['\"])([\w.-]+)\5\s*,\s*(['\"])(\w+)\7"
)
# createPageHTML(countPage, currentPage, "index", "html") - variables defined elsewhere on the page
_CPH_VARS = re.compile(
    r"createPageHTML\s*\(\s*(?:(['\"])[\w.-]*\1\s*,\s*)?([A-Za-z_$][\w$]*)\s*,\s*"
    r"([A-Za-z_$][\w$]*)\s*,\s*(['\"])([\w.-]+)\4\s*,\s*(['\"])(\w+)\6"
)
_COUNT_VAR = re.compile(r"\bcountPage\s*=\s*(\d+)")
_CURRENT_VAR = re.compile(r"\bcurrentPage\s*=\s*(\d+)")
_NEXT_TEXT = {"下一页", "下页", "后一页", "下一頁", ">", "›", "»", "下一页>", "下一页>>", "next"}
_TAIL_TEXT = {"尾页", "末页", "最后一页", "最末页", ">>|", "last"}
_PAGER_BOX = re.compile(r"page|pag|fenye|fy\b|pager", re.I)
_LAST_INT = re.compile(r"(\d+)(?!.*\d)", re.S)
_B64 = re.compile(r"""['"]([A-Za-z0-9+/]{8,}={0,2})['"]""")
_URLISH = re.compile(r"^[\w./?=&%:#~+-]+$")
_EXT = re.compile(r"\.(s?html?)$", re.I)
_TRS_STYLE = re.compile(r"_(\d+)\.s?html?$", re.I)


def find_pagination(html: str, url: str) -> Pagination:
    """Pagination of the list page `html` fetched from `url` (see module doc for the forms)."""
    return pagination_from(html, url, None)


def pagination_from(html: str, url: str, root: HtmlElement | None) -> Pagination:
    """Same as find_pagination, reusing an already parsed tree when the caller has one."""
    html = html or ""
    hanweb = _hanweb(html, url)
    if hanweb is not None:
        count = None
        if hanweb.total_records is not None and hanweb.per_page:
            count = max(1, math.ceil(hanweb.total_records / hanweb.per_page))
        return Pagination(page_count=count, urls=[], hanweb=hanweb)
    found = _create_page_html(html, url)
    if found is not None:
        return found
    low = html.lower()
    if root is None and ("<a" in low or "<input" in low or "页" in html):
        root = parse_html(html)
    if root is None:
        return Pagination()
    found = _rendered(root, html, url)
    if found is not None and found.urls:
        return found
    count, urls, why = script_pager(root, html, url)
    if urls:
        return Pagination(page_count=count, urls=urls)
    if why:
        return Pagination(page_count=count, unreadable=why)
    return found or Pagination()


# --------------------------------------------------------------------------- TRS JS pagers


def _series(url: str, name: str, ext: str, count: int, current: int, one_based: bool) -> list[str]:
    """URLs of pages 2..count of a `{name}_{k}.{ext}` series, minus the current page."""
    # Container-first templates disagree on the file suffix: some name page k `fg_k`, others
    # (TRS-generated) `fg_{k-1}`. Both series are offered; the missing one answers 404 and the
    # spider moves on to the next queued page.
    first = 1
    last = min(count if one_based else count - 1, SERIES_LIMIT + 1)
    out = []
    for k in range(first, last + 1):
        if k == current:
            continue
        # abs_url: same answer as urljoin (tests/extract/test_fast_paths.py), and a long column
        # asks for its whole series on every page.
        page = abs_url(f"{name}_{k}.{ext}", url)
        if page:
            out.append(page)
    me = urldefrag(url)[0]
    return [u for u in out if u != me]


def _create_page_html(html: str, url: str) -> Pagination | None:
    if "createPageHTML" in html:
        for m in _CPH_LITERAL.finditer(html):
            container, count, current, name, ext = m[2], int(m[3]), int(m[4]), m[6], m[8]
            # Container-first (Sohu/CSRC template) counts pages from 1: the first page says
            # current=1 and page 2 is fg_2.shtml. The 4-argument TRS form is 0-based.
            one_based = container is not None and current >= 1
            urls = _series(url, name, ext, count, current, one_based)
            optional = []
            if one_based and current == 1 and count > 1:
                # Page 1 cannot tell `fg_{k-1}` from `fg_k`: offer both ends, either may 404.
                first = abs_url(f"{name}_1.{ext}", url)
                if first and first not in urls:
                    urls.insert(0, first)
                optional = [u for u in (first, urls[-1]) if u]
            return Pagination(page_count=count, urls=urls, optional=optional)
        for m in _CPH_VARS.finditer(html):
            count_v = re.search(r"\b" + re.escape(m[2]) + r"\s*=\s*(\d+)", html)
            cur_v = re.search(r"\b" + re.escape(m[3]) + r"\s*=\s*(\d+)", html)
            if count_v:
                count, current = int(count_v[1]), int(cur_v[1]) if cur_v else 0
                return Pagination(
                    page_count=count, urls=_series(url, m[5], m[7], count, current, False)
                )
    count_m = _COUNT_VAR.search(html) if "countPage" in html else None
    if count_m:
        count = int(count_m[1])
        cur_m = _CURRENT_VAR.search(html)
        current = int(cur_m[1]) if cur_m else 0
        window = html[max(0, count_m.start() - 3000) : count_m.end() + 3000]
        name_m = re.search(r"['\"]([\w.-]+?)_['\"]\s*\+", window)
        name = name_m[1] if name_m else "index"
        ext_m = re.search(r"['\"]\.(shtml|html|htm)['\"]", window) or _EXT.search(
            urlsplit(url).path
        )
        ext = ext_m[1] if ext_m else "html"
        return Pagination(page_count=count, urls=_series(url, name, ext, count, current, False))
    return None


# --------------------------------------------------------------------------- Hanweb


_JPAGE = re.compile(r"\.jpage\s*\(\s*\{", re.I)
_NEXTGROUP = re.compile(
    r"<nextgroup>\s*(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?\s*</nextgroup>", re.I | re.S
)
# Quoted first: a nextgroup href may hold the other quote (`path='/'`) inside.
_HREF = re.compile(r"""href\s*=\s*(?:"([^"]+)"|'([^']+)'|([^'"\s>]+))""", re.I)
_KV = re.compile(r"""['"]?(\w+)['"]?\s*:\s*(?:'([^']*)'|"([^"]*)"|([\w./%-]+))""")
_PAGE_KEYS = {"page", "startrecord", "endrecord", "perpage", "pagenum"}


def decode_webname(value: str) -> str:
    """Percent-decode `webname` until it stops changing: sites double-encode it (%25E5…), and
    some send GBK bytes, so UTF-8 is tried first and GBK second."""
    for _ in range(4):
        if not re.search(r"%[0-9A-Fa-f]{2}", value):
            break
        raw = unquote_to_bytes(value)
        for enc in ("utf-8", "gbk"):
            try:
                decoded = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            decoded = raw.decode("utf-8", "replace")
        if decoded == value:
            break
        value = decoded
    return value


def _hanweb(html: str, url: str) -> HanwebPaging | None:
    jm = _JPAGE.search(html) if "jpage" in html else None
    # The tag's own spellings, not html.lower(): lower-casing a whole CJK page costs more than
    # everything else this function does.
    ng = (
        _NEXTGROUP.search(html)
        if "group>" in html or "GROUP>" in html or "Group>" in html
        else None
    )
    if jm is None and ng is None:
        return None
    params: dict[str, str] = {}
    proxy = None
    if ng:
        hm = _HREF.search(ng[1])
        if hm:
            href = (hm[1] or hm[2] or hm[3]).replace("&amp;", "&")
            proxy = urlsplit(href).path or None
            for k, v in parse_qsl(urlsplit(href).query, keep_blank_values=True):
                if k.lower() not in _PAGE_KEYS:
                    params[k] = v
    total = per_page = None
    if jm:
        # The config object nests ajaxParam:{...}; read keys from a bounded window instead of
        # balancing braces in JavaScript.
        window = html[jm.end() : jm.end() + 3000]
        end = window.find("})")
        if end > 0:
            window = window[:end]
        for key, v1, v2, v3 in _KV.findall(window):
            val = v1 or v2 or v3
            low = key.lower()
            if low == "totalrecord":
                total = int(val) if val.isdigit() else total
            elif low == "perpage":
                per_page = int(val) if val.isdigit() else per_page
            elif low == "proxyurl":
                proxy = val or proxy
            elif low in (
                "col",
                "appid",
                "webid",
                "path",
                "columnid",
                "unitid",
                "webname",
                "permissiontype",
                "sourcecontenttype",
            ):
                params.setdefault(key, val)
        unit = re.search(r"""#(\w+)['"]\s*\)\s*$""", html[max(0, jm.start() - 200) : jm.start()])
        if unit and "unitid" not in params:
            params["unitid"] = unit[1]
    if proxy is None:
        proxy = "/module/web/jpage/dataproxy.jsp"
    if "webname" in params:
        params["webname"] = decode_webname(params["webname"])
    for k, default in (("appid", "1"), ("path", "/"), ("permissiontype", "0")):
        params.setdefault(k, default)
    records = len(re.findall(r"<record[\s>]", html, re.I))
    return HanwebPaging(
        proxy_url=urljoin(url, proxy),
        params=params,
        total_records=total,
        per_page=per_page,
        first_page_records=records,
    )


# --------------------------------------------------------------------------- rendered pagers


def _b64_links(root: HtmlElement, html: str) -> list[str]:
    """Pager hrefs hidden as base64 strings (decoded by `atob` in the browser)."""
    boxes = root.xpath("//*[@id='pages' or @id='page' or contains(@class,'pages')]")
    texts = [
        "".join(
            [b.text or ""]
            + [str(v) for e in b.iter() if isinstance(e.tag, str) for v in e.attrib.values()]
            + [t for t in b.itertext()]
        )
        for b in boxes
    ]
    if "atob" in html:
        texts.extend(m[0] for m in re.finditer(r"atob\s*\(\s*['\"][A-Za-z0-9+/=]+['\"]\s*\)", html))
    out = []
    for text in texts:
        candidates = _B64.findall(text) + re.findall(r"(?<![\w/])([A-Za-z0-9+/]{8,}={0,2})", text)
        for s in candidates:
            try:
                raw = base64.b64decode(s + "=" * (-len(s) % 4), validate=True)
                dec = raw.decode("ascii")
            except (binascii.Error, ValueError, UnicodeDecodeError):
                continue
            if _URLISH.match(dec) and re.search(r"\.s?html?|\?|/$", dec):
                out.append(dec)
    return out


def _template(u: str) -> tuple[str, int] | None:
    m = _LAST_INT.search(u)
    if not m:
        return None
    return u[: m.start()] + "\x00" + u[m.end() :], int(m[1])


def _rendered(root: HtmlElement, html: str, url: str) -> Pagination | None:
    me = urldefrag(url)[0]
    numbered: list[tuple[int | None, str]] = []  # (page number shown, url)
    nexts: list[str] = []
    tails: list[str] = []
    for a in root.iter("a"):
        href = a.get("href")
        aid = a.get("id") or ""
        is_nav = aid.startswith("pagenav_")
        if not href and not is_nav:
            continue
        text = clean(a.text_content())
        if not is_nav and len(text) > 6:
            continue  # titles and menu entries, not pager controls
        u = abs_url(href, url)
        if u is None:
            continue
        u = urldefrag(u)[0]
        low = text.lower()
        if low in _NEXT_TEXT or aid == "pagenav_next" or "下一页" in text:
            nexts.append(u)
        elif low in _TAIL_TEXT or aid == "pagenav_tail":
            tails.append(u)
        elif text.isdigit() and len(text) <= 4:
            parent = a.getparent()
            box = " ".join(
                (e.get("class") or "") + " " + (e.get("id") or "")
                for e in (parent, parent.getparent() if parent is not None else None)
                if e is not None
            )
            if is_nav or _PAGER_BOX.search(box) or _PAGER_BOX.search(aid):
                numbered.append((int(text), u))
        elif is_nav:
            numbered.append((None, u))
    has_box = "atob" in html or re.search(
        r"""id\s*=\s*['"]?pages?\b|class\s*=\s*['"][^'"]*pages""", html
    )
    for dec in _b64_links(root, html) if has_box else ():
        numbered.append((None, urldefrag(urljoin(url, dec))[0]))
    total = stated_total(root.text_content()) if (numbered or tails or nexts) else None

    links = [u for _, u in numbered] + tails + nexts
    groups: dict[str, list[tuple[int | None, int, str]]] = {}
    for shown, u in [(s, u) for s, u in numbered] + [(None, u) for u in tails + nexts]:
        t = _template(u)
        if t is not None:
            groups.setdefault(t[0], []).append((shown, t[1], u))
    if groups:
        tpl, members = max(groups.items(), key=lambda kv: len(kv[1]))
        # Expand to the full series only when the last page is known (尾页 link or 共N页);
        # otherwise a 1..5 window would silently drop pages 6+, so follow 下一页 instead.
        if (tails or total is not None) and (len(members) >= 2 or tails):
            offsets = {n - s for s, n, _ in members if s is not None}
            if len(offsets) == 1:
                offset = offsets.pop()
            elif _TRS_STYLE.search(members[0][2]):
                offset = -1  # index_1.html is page 2
            else:
                offset = 0
            max_n = max(n for _, n, _ in members)
            count = total if total is not None else max_n - offset
            count = max(count, max_n - offset)
            urls = []
            for page in range(2, min(count, SERIES_LIMIT + 1) + 1):
                n = page + offset
                if n < 0:
                    continue
                u = tpl.replace("\x00", str(n), 1)
                if u != me and u not in urls:
                    urls.append(u)
            if urls:
                return Pagination(page_count=count, urls=urls)
    if nexts:
        nxt = [u for u in nexts if u != me]
        if nxt:
            return Pagination(page_count=total, urls=[nxt[0]])
    rest = []
    for u in links:
        if u != me and u not in rest:
            rest.append(u)
    if rest:
        return Pagination(page_count=total, urls=rest)
    if total is not None:
        return Pagination(page_count=total)
    return None
