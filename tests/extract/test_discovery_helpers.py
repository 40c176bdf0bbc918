"""discovery's page tests the catalog walk relies on: how much prose a page shows (a static
指南 page vs a blank column) and which links a page shows that its parent did not."""

from __future__ import annotations

from crawler import discovery
from crawler.discovery import content_chars, raw_hrefs


def test_content_chars_counts_prose_not_links_scripts_menus_or_head() -> None:
    html = (
        "<html><head><title>标题标题</title><style>.a{content:'样式'}</style></head><body>"
        "<script>var s='脚本';</script><a href='/x'>链接文字</a>尾巴"
        "<select><option>选项</option></select><!-- 注释 --><p>正文内容</p>"
        "<div>中<style>样</style>文</div></body></html>"
    )
    assert content_chars(html) == len("尾巴正文内容中文")


def test_content_chars_of_empty_or_fragment_pages() -> None:
    assert content_chars("") == 0
    assert content_chars("<p>公开指南</p>") == 4
    assert content_chars("   ") == 0


def test_raw_hrefs_keeps_catalog_links_only() -> None:
    base = "http://h/xxgk/tzgg/index.html"
    html = (
        "<a href='./index.html'>self</a><a href='/xxgk/gzdt/'>工作动态</a>"
        "<a href='./202611/t20261129_1.html'>item</a><a href='/up/a.pdf'>pdf</a>"
        "<a href='../ghjh/index.html?x=1&amp;y=2'>规划</a><a href='javascript:;'>js</a>"
    )
    assert raw_hrefs(html, base) == {"http://h/xxgk/gzdt/", "http://h/xxgk/ghjh/?x=1&y=2"}


def test_content_chars_of_xhtml_pages_with_an_xml_declaration() -> None:
    # lxml refuses a str with an encoding declaration; the shared parser strips it first. The
    # first version counted such a page as empty: a 指南 page served as XHTML looked blank.
    html = (
        '<?xml version="1.0" encoding="utf-8"?>\n<html><body><p>'
        + "政府信息公开指南" * 30
        + "</p></body></html>"
    )
    assert content_chars(html) == 240


def test_framed_finds_the_catalog_a_root_page_shows_in_a_frame() -> None:
    page = (
        '<html><body><div class="top"></div><iframe name="x" src="about:blank"></iframe>'
        "<iframe id=zwgk width=100% src=/xxgk/ml.html frameborder=0></iframe></body></html>"
    )
    assert discovery.framed(page, "http://www.x.gov.cn/zwgk/") == "http://www.x.gov.cn/xxgk/ml.html"
    frameset = '<frameset><frame src="http://xxgk.x.gov.cn/index.html"></frameset>'
    assert discovery.framed(frameset, "http://www.x.gov.cn/") == "http://xxgk.x.gov.cn/index.html"
    assert discovery.framed('<iframe src="./"></iframe>', "http://www.x.gov.cn/a/") is None
    assert discovery.framed("<p>没有框架</p>", "http://www.x.gov.cn/") is None
    loaded = '<div id="ml"></div><script>$(function(){ $("#ml").load("/xxgk/ml.html"); });</script>'
    assert (
        discovery.framed(loaded, "http://www.x.gov.cn/zwgk/") == "http://www.x.gov.cn/xxgk/ml.html"
    )
