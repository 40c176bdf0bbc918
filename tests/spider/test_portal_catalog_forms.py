"""Catalog forms the demo farm does not serve, crawled from a small loopback site: a portal
catalog page that shows its tree in an iframe of the portal's own host, and a platform whose
依申请公开 entry links to another authority's host (present, not checked)."""

from __future__ import annotations

import functools
import sqlite3
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

import pytest

from tests.conftest import crawl_units, loopback_site

PAGE = (
    """<html><head><meta charset="utf-8"><title>{title}</title></head><body>{body}</body></html>"""
)
LIST = """<div class="list"><ul>
<li><a href="./202611/t20261120_1.html" title="{name}一">{name}一</a><span>2026-11-20</span></li>
<li><a href="./202610/t20261018_2.html" title="{name}二">{name}二</a><span>2026-10-18</span></li>
</ul></div>"""
TREE = """<ul class="tree"><li><span>法定主动公开内容</span><ul>
<li><a href="{root}zcwj/">政策文件</a></li><li><a href="{root}ghjh/">规划计划</a></li></ul></li></ul>"""


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def site(tmp_path: Path):
    root = tmp_path / "www"

    def put(path: str, title: str, body: str) -> None:
        f = root / path
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(PAGE.format(title=title, body=body), encoding="utf-8")

    put(
        "index.html",
        "示例县门户",
        '<div class="nav"><a href="/zwgk/index.html">信息公开目录</a></div>',
    )
    put(  # the portal's catalog page frames its tree (a page of the same host)
        "zwgk/index.html",
        "信息公开目录",
        '<div class="top"></div><iframe src="/zwgk/ml.html" width="100%" height="900"></iframe>',
    )
    put("zwgk/ml.html", "目录", TREE.format(root="/zwgk/"))
    put(
        "xxgk/index.html",
        "示例县信息公开",
        TREE.format(root="/xxgk/")
        + '<ul><li><a href="http://127.0.0.2:9/ysqgk/sx/index.html">依申请公开</a></li></ul>',
    )
    for side in ("zwgk", "xxgk"):
        for slug, name in (("zcwj", "政策文件"), ("ghjh", "规划计划")):
            put(f"{side}/{slug}/index.html", name, LIST.format(name=name))
    with loopback_site(functools.partial(Quiet, directory=str(root))) as url:
        yield url


def test_a_catalog_page_framing_the_portals_own_tree_is_read(site: str, tmp_path: Path) -> None:
    db, cols = crawl_units(
        tmp_path,
        f"units:\n  - code: one\n    name: 示例县\n    kind: county\n"
        f"    portal: {site}/\n    disclosure: {site}/xxgk/\n",
    )
    with sqlite3.connect(db) as conn:
        got = {
            (url.removeprefix(site), path, origin)
            for url, path, origin in conn.execute(
                "SELECT url, catalog_path, origin FROM columns WHERE is_home = 0"
            )
        }
        findings = conn.execute(
            "SELECT rule FROM findings WHERE rule IN ('catalog-mismatch', 'missing-request-section')"
        ).fetchall()
        sections = conn.execute(
            "SELECT section, url, status, ok, external FROM sections"
        ).fetchall()
        hosts = {u.split("/")[2] for (u,) in conn.execute("SELECT url FROM pages")}
    assert got == {
        ("/zwgk/zcwj/", "法定主动公开内容/政策文件", "catalog"),
        ("/zwgk/ghjh/", "法定主动公开内容/规划计划", "catalog"),
        ("/xxgk/zcwj/", "法定主动公开内容/政策文件", "catalog"),
        ("/xxgk/ghjh/", "法定主动公开内容/规划计划", "catalog"),
    }
    assert findings == []  # the framed copies mirror the platform; the request section is there
    assert ("request", "http://127.0.0.2:9/ysqgk/sx/index.html", None, 1, 1) in sections
    assert hosts == {site.split("/")[2]}  # the other authority's host was never visited
