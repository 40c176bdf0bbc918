"""Units files that name a column directly: a `disclosure` URL that is itself one list, and a
`columns:` override that no catalog links to. Both are crawled as columns."""

from __future__ import annotations

import functools
import sqlite3
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import crawl_units, loopback_site

LIST = """<html><head><meta name="ColumnName" content="{name}"><title>{name}_示例县</title></head>
<body><div class="list"><ul>
<li><a href="./202611/t20261120_1.html" title="{name}一">{name}一</a><span>2026-11-20</span></li>
<li><a href="./202610/t20261018_2.html" title="{name}二">{name}二</a><span>10-18</span></li>
</ul></div><script>createPageHTML(1, 0, "index", "html");</script></body></html>"""


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        if self.path.startswith("/moved/"):  # a column that redirects off the unit's hosts
            port = self.server.server_address[1]
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.2:{port}/elsewhere/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        super().do_GET()


@pytest.fixture()
def site(tmp_path: Path):
    root = tmp_path / "www"
    for path, name in (("gzdt", "工作动态"), ("hidden/tzgg", "通知公告")):
        d = root / path
        d.mkdir(parents=True)
        (d / "index.html").write_text(LIST.format(name=name), encoding="utf-8")
    based = root / "based"
    based.mkdir()
    (based / "index.html").write_text(  # relative links resolve against <base href>
        LIST.format(name="规划计划").replace("<head>", '<head><base href="/docs/">'),
        encoding="utf-8",
    )
    with loopback_site(functools.partial(Quiet, directory=str(root))) as url:
        yield url


def test_list_root_and_unlinked_override_are_columns(site: str, tmp_path: Path) -> None:
    db, cols = crawl_units(
        tmp_path,
        f"units:\n  - code: one\n    name: 示例县\n    kind: county\n"
        f"    disclosure: {site}/gzdt/\n"
        f"    columns:\n      - url: {site}/hidden/tzgg/\n        category: notice\n"
        f"      - url: {site}/moved/\n        name: 外链栏目\n"
        f"      - url: {site}/based/\n",
    )
    cols = {c["column_url"]: c for c in cols}
    assert set(cols) == {f"{site}/gzdt/", f"{site}/hidden/tzgg/", f"{site}/moved/",
                         f"{site}/based/"}  # fmt: skip
    assert cols[f"{site}/moved/"]["assessed"] is False  # never followed off the unit's hosts
    with sqlite3.connect(db) as conn:
        hosts = {urlsplit(u).hostname for (u,) in conn.execute("SELECT url FROM pages")}
        (error,) = conn.execute("SELECT error FROM pages WHERE url LIKE '%/moved/'").fetchone()
    assert hosts == {"127.0.0.1"}
    with sqlite3.connect(db) as conn:
        based = {u for (u,) in conn.execute(
            "SELECT i.url FROM items i JOIN columns c USING (column_id) WHERE c.url LIKE '%/based/'"
        )}  # fmt: skip
    assert based == {f"{site}/docs/202611/t20261120_1.html", f"{site}/docs/202610/t20261018_2.html"}
    assert "redirected off the unit's hosts" in error and "hosts:" in error
    root, hidden = cols[f"{site}/gzdt/"], cols[f"{site}/hidden/tzgg/"]
    assert (root["column_name"], root["category"], root["items"]) == ("工作动态", "news", 2)
    assert (hidden["column_name"], hidden["category"], hidden["items"]) == ("通知公告", "notice", 2)
    assert root["newest_date"] == hidden["newest_date"] == "2026-11-20"
    assert root["assessed"] and hidden["assessed"]


def test_a_script_redirect_on_the_root_is_followed(tmp_path: Path) -> None:
    root = tmp_path / "www"
    (root / "jump").mkdir(parents=True)
    (root / "jump" / "index.html").write_text(
        '<html><script>window.location.href = "/realroot/";</script></html>', encoding="utf-8"
    )
    (root / "realroot" / "tzgg").mkdir(parents=True)
    (root / "realroot" / "index.html").write_text(
        '<html><body><ul class="left"><li><a href="/realroot/tzgg/">通知公告</a></li>'
        '<li><a href="/realroot/xxgkzn/">信息公开指南</a></li></ul></body></html>',
        encoding="utf-8",
    )
    (root / "realroot" / "tzgg" / "index.html").write_text(
        LIST.format(name="通知公告"), encoding="utf-8"
    )
    with loopback_site(functools.partial(Quiet, directory=str(root))) as site:
        db, cols = crawl_units(
            tmp_path,
            f"units:\n  - code: js\n    name: 示例镇\n    kind: township\n"
            f"    disclosure: {site}/jump/\n",
        )
        assert [(c["column_url"], c["items"]) for c in cols] == [(f"{site}/realroot/tzgg/", 2)]
