"""Pagers whose controls carry no usable href.

Real list pages often page with `<a href="javascript:void(0)" onclick="gotoPage(3)">`,
`<a href="javascript:goPage(3)">`, a form posted with a hidden `pageNo`, or only a hidden
`<input id="totalPage" value="9">` / `共9页` next to script that builds the URL. The browser runs
the handler; here the handler's own source is read: its URL expression is evaluated for each page
number with the small evaluator in jsexpr, and a page-number form is turned into the GET request
such servers answer the same way. What cannot be worked out is reported (`page_count` known, no
URL), so the spider marks the column partial instead of reading it to its first page in silence.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urldefrag, urlencode, urlsplit, urlunsplit

from crawler.extract._html import HtmlElement, abs_url, clean
from crawler.extract.jsexpr import evaluate

__all__ = ["page_count_hint", "script_pager"]

# Generating a series is cheap, but a page claiming 99,999,999 pages must not make us build them:
# the series stops here whatever a page claims. The spider's page limit (50 by default) usually
# bites first; when it is set higher, a column that ends here with pages left is recorded capped
# (crawler/spiders/column_pages.py).
SERIES_LIMIT = 200

_CALL = re.compile(r"([A-Za-z_$][\w$.]*)\s*\(\s*(['\"]?)(\d{1,9})\2\s*(?:,[^()]{0,80})?\)")
_COUNT_NAMES = (
    "totalpage|totalpages|pagecount|pagecounts|countpage|pagetotal|totalpagenum|pagenums|maxpagenum|"
    "pagesize_total|maxpage|lastpage|allpage|pagesum|totalpagecount"
)
_COUNT_INPUT = re.compile(
    r"<input\b[^>]*\b(?:id|name)\s*=\s*['\"]?(?:" + _COUNT_NAMES + r")['\"]?[^>]*>", re.I
)
_VALUE = re.compile(r"\bvalue\s*=\s*['\"]?\s*(\d{1,9})", re.I)
_COUNT_VAR = re.compile(
    r"\b(?:var\s+|let\s+|const\s+|\.)?(?:" + _COUNT_NAMES + r")\s*[:=]\s*['\"]?(\d{1,9})\b", re.I
)
#: 共N页, a pager's stated page count (also read by pagination.py beside rendered pager links).
#: Nine digits at most: a bigger count is not a page count, and a series stops at SERIES_LIMIT.
TOTAL_PAGES = re.compile(r"共\s*(\d{1,9})\s*页")
#: 共N页, 1/N页 or 页次：1/N in a page's visible text.
_TOTAL_TEXT = re.compile(
    TOTAL_PAGES.pattern + r"|/\s*(\d{1,9})\s*页|页次\s*[:：]?\s*\d+\s*/\s*(\d{1,9})"
)
_GLOBAL_VAR = re.compile(
    r"\b(?:var|let|const)\s+([A-Za-z_$][\w$]*)\s*=\s*(\"[^\"\n]{0,300}\"|'[^'\n]{0,300}'|\d{1,9})\s*[;\n,]"
)
_LOCATION = re.compile(
    r"(?:(?:window|document|self|top|parent)\.)?location(?:\.href)?\s*=\s*([^;\n}]+)"
    r"|location\.(?:replace|assign)\s*\(([^;\n]+)\)"
    r"|window\.open\s*\(\s*([^,;\n)]+(?:\([^()]*\)[^,;\n)]*)*)"
)
_ASSIGN = re.compile(r"(?:\b(?:var|let|const)\s+)?\b([A-Za-z_$][\w$]*)\s*=\s*([^;\n=][^;\n]*)")
_PAGE_FIELD = re.compile(
    r"^(?:page|pageno|pagenum|pageindex|currentpage|curpage|page_no|pagenumber|cpage|p|pn)$", re.I
)
#: A request made by script (jQuery, XHR, fetch, axios): rows loaded into the page in place.
_XHR = re.compile(r"\$\.(?:ajax|post|get|getJSON)\s*\(|\bXMLHttpRequest\b|\bfetch\s*\(|\baxios\b")
_CALLED = re.compile(r"(?<![\w$.])([A-Za-z_$][\w$]*)\s*\(")


def stated_total(text: str) -> int | None:
    """The page count visible text states: 共N页, 1/N页 (共1648条记录 6/66页) or 页次：1/N."""
    m = _TOTAL_TEXT.search(text)
    return int(next(g for g in m.groups() if g)) if m else None


def page_count_hint(root: HtmlElement | None, html: str) -> int | None:
    """The page count a page states outside its links: a hidden input, a script variable, or
    共N页 / 1/N页 in its visible text."""
    counts = []
    if "nput" in html:
        for m in _COUNT_INPUT.finditer(html):
            v = _VALUE.search(m[0])
            if v:
                counts.append(int(v[1]))
    counts += [int(m[1]) for m in _COUNT_VAR.finditer(html)]
    if counts:
        return max(counts)
    if root is not None and "页" in html:
        return stated_total(root.text_content())
    return None


def _handlers(root: HtmlElement) -> list[tuple[str, int, str]]:
    """(function, page number, control text) of pager controls that call a function."""
    out = []
    for e in root.iter("a", "span", "li", "button", "input", "em", "font", "div"):
        code = e.get("onclick") or ""
        href = e.get("href") or ""
        if href[:11].lower() == "javascript:":
            code = f"{href[11:]};{code}"
        if not code or len(code) > 300:
            continue
        text = clean(e.text_content() if e.tag != "input" else e.get("value"))
        if len(text) > 8:
            continue  # a title or menu entry, not a pager control
        for m in _CALL.finditer(code):
            name = m[1].rsplit(".", 1)[-1]
            if name in ("parseInt", "Number", "alert", "void", "setTimeout", "open"):
                continue
            if len(m[3]) > 1 and m[3][0] == "0":
                continue  # a zero-padded code (a tab's clickHead('0204')), not a page number
            out.append((m[1], int(m[3]), text))
    return out


def _function_body(html: str, name: str) -> tuple[list[str], str] | None:
    """Parameters and body of `function name(...) {...}` (or `name = function(...) {...}`)."""
    short = re.escape(name.rsplit(".", 1)[-1])
    m = re.search(
        r"function\s+" + short + r"\s*\(([^)]*)\)\s*\{"
        r"|\b" + short + r"\s*[:=]\s*function\s*\(([^)]*)\)\s*\{",
        html,
    )
    if not m:
        return None
    params = [p.strip() for p in (m[1] if m[1] is not None else m[2]).split(",") if p.strip()]
    depth, i, end = 1, m.end(), min(len(html), m.end() + 4000)
    while i < end and depth:
        c = html[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        i += 1
    return params, html[m.end() : i - 1]


def _url_for(body: str, params: list[str], n: int, names: dict) -> list[str]:
    """Every URL the handler's body could send the browser to for page `n`."""
    env = dict(names)
    if params:
        env[params[0]] = n
    out = []
    for stmt in re.split(r"[;\n{}]", body):
        stmt = stmt.strip()
        if not stmt or stmt.startswith(("if", "else", "//", "return")):
            stmt = re.sub(r"^(?:if\s*\([^)]*\)|else)\s*", "", stmt)
        loc = _LOCATION.search(stmt)
        if loc:
            value = evaluate(next(g for g in loc.groups() if g), env)
            if isinstance(value, str) and value:
                out.append(value)
            continue
        a = _ASSIGN.match(stmt)
        if a and a[1] not in params:
            value = evaluate(a[2], env)
            if value is not None:
                env[a[1]] = value
    return out


def _loads_by_xhr(html: str, body: str, depth: int = 2) -> bool:
    """Whether a handler's body, or a function it calls (two levels down), requests by script
    and submits no form."""
    if "submit" in body:
        return False
    if _XHR.search(body):
        return True
    if depth <= 0:
        return False
    for name in dict.fromkeys(_CALLED.findall(body)):
        fn = _function_body(html, name)
        if fn is not None and fn[1] != body and _loads_by_xhr(html, fn[1], depth - 1):
            return True
    return False


def _page_form(root: HtmlElement, url: str) -> tuple[str, dict[str, str], str] | None:
    """(action URL, other fields, page field) of a form that pages by a posted page number."""
    for form in root.iter("form"):
        fields, page_field = {}, None
        for inp in form.iter("input"):
            name = inp.get("name")
            if not name or (inp.get("type") or "").lower() in ("submit", "button", "image"):
                continue
            if _PAGE_FIELD.match(name) and page_field is None:
                page_field = name
            else:
                fields[name] = inp.get("value") or ""
        if page_field:
            action = abs_url(form.get("action"), url) or urldefrag(url)[0]
            return action, fields, page_field
    return None


def _with_query(action: str, fields: dict[str, str], page_field: str, n: int) -> str:
    parts = urlsplit(action)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != page_field]
    query += [(k, v) for k, v in fields.items() if k != page_field] + [(page_field, str(n))]
    return urlunsplit(parts._replace(query=urlencode(query)))


def script_pager(
    root: HtmlElement, html: str, url: str
) -> tuple[int | None, list[str], str | None]:
    """(page count, URLs of pages 2..N, why not) for a pager driven by script or a form.

    The third value explains a pager that visibly has more pages but whose URLs could not be
    built; it is None when there is no such pager or the URLs were built."""
    me = urldefrag(url)[0]
    calls = _handlers(root)
    hint = page_count_hint(root, html)
    shown = max((n for _, n, _ in calls), default=None)
    count = max(hint or 0, shown or 0) or None
    if count is None or count <= 1:
        return count, [], None
    names = {m[1]: evaluate(m[2], {}) for m in _GLOBAL_VAR.finditer(html)}
    names = {k: v for k, v in names.items() if v is not None}
    last = min(count, SERIES_LIMIT + 1)
    by_xhr = None
    for fname in dict.fromkeys(f for f, _, _ in calls):
        fn = _function_body(html, fname)
        if fn is None:
            continue
        params, body = fn
        urls = _series_from(body, params, names, url, me, last)
        if urls:
            return count, urls, None
        if "submit" in body:
            form = _page_form(root, url)
            if form:
                return count, _form_series(form, me, last), None
        elif by_xhr is None and _loads_by_xhr(html, body):
            by_xhr = fname
    if by_xhr:
        # The handler fetches the rows by script (often POSTing the page-number form's fields to
        # another URL): the form is never submitted, so the page's own URL with the page field
        # answers page 1 again. No URL is guessed.
        return count, [], f"pager calls {by_xhr}(), which loads its rows by script request"
    if calls or hint:
        form = _page_form(root, url) if "<form" in html.lower() else None
        if form:
            return count, _form_series(form, me, last), None
    hidden = _hidden_series(root, html, url, me)
    if hidden:
        # The stated count wins: the newest page is often both index.html and the top number.
        return hint or len(hidden) + 1, hidden[: last - 1], None
    if calls:
        return count, [], f"pager calls {calls[0][0]}() and its page URL could not be worked out"
    return count, [], f"page says {count} pages but links none of them"


def _series_from(
    body: str, params: list[str], names: dict, url: str, me: str, last: int
) -> list[str]:
    # The expression that depends on the page number is the paging one (an `if (n == 1)`
    # branch gives the first page's own URL): compare pages 2 and 3.
    two, three = _url_for(body, params, 2, names), _url_for(body, params, 3, names)
    pick = next((i for i, (a, b) in enumerate(zip(two, three, strict=False)) if a != b), None)
    if pick is None:
        return []
    out = []
    for n in range(2, last + 1):
        got = _url_for(body, params, n, names)
        u = abs_url(got[pick], url) if len(got) > pick else None
        if u is None:
            return []
        u = urldefrag(u)[0]
        if u != me and u not in out:
            out.append(u)
    return out


def _form_series(form: tuple[str, dict[str, str], str], me: str, last: int) -> list[str]:
    action, fields, page_field = form
    urls = [_with_query(action, fields, page_field, n) for n in range(2, last + 1)]
    return [u for u in urls if u != me]


_NUMBERED = re.compile(r"^(.*?)(\d+)(\.[a-z]{2,5})?$", re.I)
_BACKWARDS = re.compile(r"\(\s*\w+\s*-\s*1\s*\)[\s\S]{0,120}?(?:下页|下一页)")


def _hidden_series(root: HtmlElement, html: str, url: str, me: str) -> list[str]:
    """Pages linked for spiders only: textless anchors (often in a hidden block) to
    `index_958_1.html … index_958_199.html`, while script draws the visible pager. Pages the
    script numbers backwards (下页 goes to `n-1`: the newest page has the highest number) are
    read newest first, so an incremental crawl still meets new items first."""
    groups: dict[tuple[str, str], dict[int, str]] = {}
    for a in root.iter("a"):
        if clean(a.text_content()) or a.find(".//img") is not None:
            continue
        u = abs_url(a.get("href"), url)
        if not u:
            continue
        m = _NUMBERED.match(urldefrag(u)[0])
        if m:
            groups.setdefault((m[1], m[3] or ""), {})[int(m[2])] = m[0]
    if not groups:
        return []
    members = max(groups.values(), key=len)
    if len(members) < 2:
        return []
    backwards = bool(_BACKWARDS.search(html))
    ordered = [members[n] for n in sorted(members, reverse=backwards)]
    if backwards and page_count_hint(root, html) == len(members):
        ordered = ordered[1:]  # the top number is this page (the column's index) again
    return [u for u in ordered if u != me][:SERIES_LIMIT]
