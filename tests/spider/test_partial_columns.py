"""No silent loss: a column whose later page cannot be read is partial, says why, and is never
judged blank or stale (its newest items may sit on the page nobody saw)."""

from __future__ import annotations

import functools
import json
import sqlite3
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

import pytest

from tests.conftest import crawl_units, loopback_site, zwgk

ROW = '<li><a href="./{d}/t{d}01_{n}.html">{name}{n}</a><span>{iso}</span></li>'
PAGE = """<html><head><title>{name}</title></head><body><div class="list"><ul>{rows}</ul></div>
{pager}</body></html>"""


def _page(name: str, first: int, iso: str, pager: str) -> str:
    rows = "".join(ROW.format(d="202001", n=first + i, name=name, iso=iso) for i in range(3))
    return PAGE.format(name=name, rows=rows, pager=pager)


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def site(tmp_path: Path):
    root = tmp_path / "www"
    cols = {
        # page 2 (index_1) answers 404: partial, never stale though its page 1 is old
        "gzdt": [
            _page(
                "工作动态",
                1,
                "2020-01-01",
                '<script>createPageHTML(3, 0, "index", "html");</script>',
            )
        ],
        # a pager that says 共4页 and links none of them: partial
        "tzgg": [_page("通知公告", 1, "2020-01-01", "<div class='page'>共4页 第1页</div>")],
        # a healthy old column next to them: judged stale as usual (the control)
        "rsxx": [_page("人事信息", 1, "2020-01-01", "")],
    }
    for path, pages in cols.items():
        d = root / "xxgk" / path
        d.mkdir(parents=True)
        (d / "index.html").write_text(pages[0], encoding="utf-8")
    (root / "xxgk" / "gzdt" / "index_2.html").write_text(
        _page(
            "工作动态", 7, "2020-01-01", '<script>createPageHTML(3, 2, "index", "html");</script>'
        ),
        encoding="utf-8",
    )
    nav = "".join(
        f'<li><a href="/xxgk/{p}/index.html">{n}</a></li>'
        for p, n in (("gzdt", "工作动态"), ("tzgg", "通知公告"), ("rsxx", "人事信息"))
    )
    (root / "xxgk" / "index.html").write_text(
        f"<html><body><ul class='xxgk-nav'>{nav}</ul></body></html>", encoding="utf-8"
    )
    with loopback_site(functools.partial(Quiet, directory=str(root))) as url:
        yield url


def test_unreadable_pages_make_columns_partial_and_unjudged(site: str, tmp_path: Path) -> None:
    db, cols = crawl_units(
        tmp_path,
        f"units:\n  - code: one\n    name: 示例县\n    kind: county\n    disclosure: {site}/xxgk/\n",
    )
    by_name = {c["column_name"]: c for c in cols}
    gzdt, tzgg, rsxx = by_name["工作动态"], by_name["通知公告"], by_name["人事信息"]
    assert gzdt["status"] == "partial" and not gzdt["assessed"]
    assert "HTTP 404" in gzdt["reason"] and "index_1.html" in gzdt["reason"]
    assert gzdt["items"] == 6  # pages 1 and 3 were still read
    assert tzgg["status"] == "partial" and not tzgg["assessed"]
    assert "4 pages" in tzgg["reason"]
    assert rsxx["status"] == "ok" and rsxx["assessed"]

    findings = json.loads(zwgk("findings", "--db", str(db), "--format", "json").stdout)
    stale = {f["column_name"] for f in findings if f["rule"] == "stale-column"}
    assert stale == {"人事信息"}  # the control is judged; the partial columns are not
    failed = {f["column_name"] for f in findings if f["rule"] == "crawl-failed"}
    assert failed == {"工作动态", "通知公告"}
    status = (
        sqlite3.connect(db)
        .execute("SELECT status FROM site_runs ORDER BY run_id DESC LIMIT 1")
        .fetchone()[0]
    )
    assert status == "partial"
