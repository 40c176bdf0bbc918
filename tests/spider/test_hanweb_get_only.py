"""A Hanweb dataproxy that refuses the POST record groups (405) but answers GET page=N: the
spider falls back to GET and reads every page."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import crawl_units, loopback_site

PER_PAGE, TOTAL = 5, 12


def record(n: int) -> str:
    day = 28 - n
    return (
        f"<record><![CDATA[<li><a href='/art/2026/11/{day}/art_101_{n}.html' title='条目{n}'>"
        f"条目{n}</a><span>2026-11-{day:02d}</span></li>]]></record>"
    )


def page_html() -> str:
    recs = "".join(record(n) for n in range(1, PER_PAGE + 1))
    return (
        "<html><head><meta name='ColumnName' content='通知公告'></head><body>"
        "<div id='101'><script type='text/xml'><datastore>"
        "<nextgroup><![CDATA[<a href='/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1"
        "&path=/&columnid=101&unitid=9&webname=%E7%A4%BA%E4%BE%8B&permissiontype=0'></a>]]>"
        f"</nextgroup><recordset>{recs}</recordset></datastore></script></div>"
        f"<script>$('#9').jpage({{totalRecord:{TOTAL},perPage:{PER_PAGE},"
        "proxyUrl:'/module/web/jpage/dataproxy.jsp',ajaxParam:{columnid:101,unitid:9}})</script>"
        "</body></html>"
    )


class Handler(BaseHTTPRequestHandler):
    posts = 0

    def log_message(self, *args) -> None:
        pass

    def send(self, status: int, body: str, ctype: str = "text/html; charset=utf-8") -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/col/col101/index.html":
            return self.send(200, page_html())
        if url.path == "/module/web/jpage/dataproxy.jsp":
            page = int(parse_qs(url.query)["page"][0])
            first = (page - 1) * PER_PAGE + 1
            recs = "".join(record(n) for n in range(first, min(first + PER_PAGE, TOTAL + 1)))
            return self.send(200, f"<datastore><totalrecord>{TOTAL}</totalrecord>"
                                  f"<recordset>{recs}</recordset></datastore>", "text/xml")  # fmt: skip
        return self.send(404, "not found")

    def do_POST(self) -> None:
        Handler.posts += 1
        self.send(405, "method not allowed")


@pytest.fixture()
def site():
    with loopback_site(Handler) as url:
        yield url


def test_get_fallback_reads_every_page(site: str, tmp_path: Path) -> None:
    db, cols = crawl_units(
        tmp_path,
        f"units:\n  - code: hw\n    name: 示例县\n    kind: county\n"
        f"    disclosure: {site}/col/col101/index.html\n",
    )
    (col,) = cols
    assert (col["column_name"], col["items"], col["assessed"]) == ("通知公告", TOTAL, True)
    assert col["newest_date"] == "2026-11-27"
    assert Handler.posts >= 1  # POST was tried first, as the page's own script does
