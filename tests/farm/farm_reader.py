"""A tiny independent reader of the farm's served bytes (no code shared with the farm): fetch list
pages per CMS family the way a crawler must, and return (url, title, date) per item."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urljoin, urlsplit

import lxml.html

CST = timezone(timedelta(hours=8))
ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
CN = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
SLASH = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
MD = re.compile(r"(?<![\d-])(\d{2})-(\d{2})(?![\d-])")
PAGER_RES = [
    re.compile(
        r"createPageHTML\(\s*'[^']*'\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*'([^']+)'\s*,\s*'([^']+)'"
    ),
    re.compile(r"createPageHTML\((\d+),\s*(\d+),\s*\"([^\"]+)\",\s*\"([^\"]+)\"\);"),
]
COUNTPAGE = re.compile(r"var countPage = (\d+)")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url: str, data: bytes | None = None, headers: dict | None = None, retry_503: bool = True):
    """(status, headers, body); 503 retried once (the flaky site), redirects not followed."""
    for attempt in range(2):
        req = urllib.request.Request(url, data=data, headers=headers or {})
        try:
            with OPENER.open(req, timeout=10) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            if e.code == 503 and retry_503 and attempt == 0:
                continue
            return e.code, e.headers, e.read()
    raise AssertionError("unreachable")


def decode(body: bytes, headers) -> str:
    ctype = headers.get("Content-Type", "")
    if "charset=utf-8" in ctype.lower():
        return body.decode("utf-8")
    head = body[:1024].decode("ascii", "replace").lower()
    if "gb2312" in head or "gbk" in head:
        return body.decode("gbk")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("gbk")


def parse_date(text: str, today: date) -> date | None:
    for rx in (ISO, CN, SLASH):
        m = rx.search(text)
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
    m = MD.search(text)
    if m:
        d = date(today.year, int(m[1]), int(m[2]))
        return d if d <= today else date(today.year - 1, d.month, d.day)
    return None


def detail_date(url: str, today: date) -> date | None:
    st, h, body = fetch(url)
    assert st == 200, (url, st)
    text = decode(body, h)
    m = re.search(r"(?:发布日期|生成日期)[：:](?:\s|</?\w+[^>]*>)*([^<]*)<", text)
    return parse_date(m[1], today) if m and m[1].strip() else None


def _rows_html(
    url: str, html: str, today: date, selector: str
) -> list[tuple[str, str, date | None]]:
    doc = lxml.html.fromstring(html)
    out = []
    for a in doc.cssselect(selector):
        href = a.get("href")
        if not href:
            continue
        row = a
        while row is not None and row.tag not in ("li", "tr"):
            row = row.getparent()
        text = (row if row is not None else a).text_content()
        title = a.get("title")
        if not title:
            f = a.cssselect("font.cont_tit03")
            title = f[0].text_content() if f else a.text_content()
        d = parse_date(text.replace(title, ""), today)
        out.append((urljoin(url, href), title.strip(), d))
    return out


def trs_pages(url: str) -> tuple[int, str, str, list[str]]:
    """Fetch page 1, read createPageHTML / countPage, return (count, name, ext, page urls)."""
    st, h, body = fetch(url)
    assert st == 200, (url, st)
    html = decode(body, h)
    name, ext = urlsplit(url).path.rsplit("/", 1)[1].rsplit(".", 1)
    count = None
    for rx in PAGER_RES:
        m = rx.search(html.split("//WCM置标")[-1] if "//WCM置标" in html else html)
        if m:
            count, name, ext = int(m[1]), m[3], m[4]
            break
    if count is None:
        m = COUNTPAGE.search(html)
        assert m, f"no pager on {url}"
        count = int(m[1])
    base = url.rsplit("/", 1)[0] + "/"
    urls = [url] + [f"{base}{name}_{i}.{ext}" for i in range(1, count)]
    return count, name, ext, urls


def read_column(col: dict, site: dict, today: date) -> dict:
    """Items as served: {"items": [(url, title, date)], "pages": n, "placeholder": bool}."""
    url = col["column_url"]
    cms = site["cms"]
    if col["section"] == "mirror":
        cms = "trs"
    rows: list[tuple[str, str, date | None]] = []
    placeholder = False
    if cms == "trs":
        count, _, _, urls = trs_pages(url)
        for u in urls:
            st, h, body = fetch(u)
            assert st == 200, (u, st)
            html = decode(body, h)
            placeholder |= "暂无信息" in html
            rows += _rows_html(u, html, today, "div.right a")
        pages = count
    elif cms == "hanweb":
        st, h, body = fetch(url)
        html = decode(body, h)
        placeholder = "暂无信息" in html
        recs = re.findall(r"<record><!\[CDATA\[(.*?)\]\]></record>", html, re.S)
        total = int(re.search(r"totalRecord:(\d+)", html)[1])
        per = int(re.search(r"perPage:(\d+)", html)[1])
        proxy = re.search(r"proxyUrl:'([^']+)'", html)[1]
        colid = re.search(r"columnid:(\d+)", html)[1]
        pages = max(1, -(-total // per))
        base = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"
        for n in range(2, pages + 1):
            st, h, body = fetch(f"{base}{proxy}?page={n}&columnid={colid}")
            assert st == 200
            recs += re.findall(
                r"<record><!\[CDATA\[(.*?)\]\]></record>", body.decode("utf-8"), re.S
            )
        for r in recs:
            rows += _rows_html(
                url, f"<ul>{r}</ul>" if "<tr" not in r else f"<table>{r}</table>", today, "a"
            )
    elif cms == "gkmlpt":
        pages, n = 1, 1
        while n <= pages:
            st, h, body = fetch(re.sub(r"page=\d+", f"page={n}", col["api_url"]))
            assert st == 200, (url, n, st)
            doc = json.loads(body)
            pages = doc["total_page"]
            for a in doc["articles"]:
                d = datetime.fromtimestamp(a["date"], CST).date() if a["date"] else None
                rows.append((a["url"], a["title"], d))
            n += 1
    elif cms == "ucap":
        n, pages = 1, 1
        while n <= pages:
            st, h, body = fetch(url + (f"&pageNum={n}" if n > 1 else ""))
            assert st == 200, (url, n, st)
            html = decode(body, h)
            placeholder |= "暂无内容" in html
            pages = int(re.search(r"第\d+/(\d+)页", html)[1])
            rows += _rows_html(url, html, today, "ul.xxgk_list a")
            n += 1
    else:  # pragma: no cover
        raise AssertionError(cms)
    items = [(u, t, d if d is not None else detail_date(u, today)) for u, t, d in rows]
    return {"items": items, "pages": pages, "placeholder": placeholder}
