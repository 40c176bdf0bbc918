"""The portal home page's in-place 政府信息公开 catalog (crawler/extract/portal_menu.py)."""

from __future__ import annotations

from crawler.extract.portal_menu import in_page_catalog

BASE = "http://www.x.gov.cn/"

MENU = """<html><body>
<div class="header"><ul class="nav"><li><a href="/">首页</a></li>
<li><a href="http://xxgk.x.gov.cn/">政务公开</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="box"><h3>工作动态<a class="more" href="/gzdt/">更多&gt;&gt;</a></h3>
<ul><li><a href="/gzdt/202611/t20261120_1.html">某某会议召开</a><span>2026-11-20</span></li></ul></div>
<div class="box zwgk-menu"><div class="tit"><span>政府信息公开</span></div>
<ul class="tree">
 <li><a href="http://xxgk.x.gov.cn/zfxxgkzn/" title="政府信息公开指南">政府信息公开指南</a></li>
 <li><span class="node">法定主动公开内容</span><ul class="sub">
   <li><span class="node">政策文件</span><ul class="sub">
     <li><a href="/zwgk/zcwj/gfxwj/">规范性文件</a></li>
     <li><a href="/zwgk/zcwj/qtwj/">其他文件</a></li></ul></li>
   <li><a href="/zwgk/ghjh/">规划计划</a></li></ul></li>
</ul></div>
</body></html>"""


def test_menu_under_an_unlinked_heading_is_the_catalog_with_group_paths() -> None:
    links = in_page_catalog(MENU, BASE)
    assert [(link.name, link.url, link.path) for link in links] == [
        ("政府信息公开指南", "http://xxgk.x.gov.cn/zfxxgkzn/", ("政府信息公开指南",)),
        (
            "规范性文件",
            "http://www.x.gov.cn/zwgk/zcwj/gfxwj/",
            ("法定主动公开内容", "政策文件", "规范性文件"),
        ),
        (
            "其他文件",
            "http://www.x.gov.cn/zwgk/zcwj/qtwj/",
            ("法定主动公开内容", "政策文件", "其他文件"),
        ),
        ("规划计划", "http://www.x.gov.cn/zwgk/ghjh/", ("法定主动公开内容", "规划计划")),
    ]


def test_a_linked_heading_is_a_catalog_page_not_an_in_page_menu() -> None:
    linked = MENU.replace(
        '<div class="tit"><span>政府信息公开</span></div>',
        '<div class="tit"><a href="/zwgk/">政府信息公开</a></div>',
    )
    assert in_page_catalog(linked, BASE) == []


def test_a_teaser_box_of_articles_is_not_a_catalog() -> None:
    teaser = """<html><body><div class="box"><h3>政务公开</h3><ul>
    <li><a href="/zwgk/202611/t20261120_1.html">关于某事的通知</a><span>2026-11-20</span></li>
    <li><a href="/zwgk/202611/t20261119_2.html">关于某事的公告</a><span>2026-11-19</span></li>
    <li><a href="/zwgk/">更多</a></li></ul></div></body></html>"""
    assert in_page_catalog(teaser, BASE) == []


def test_a_heading_deep_inside_another_box_does_not_claim_its_links() -> None:
    page = """<html><body><div class="main"><div class="intro">本网站提供政务服务、互动交流、
    新闻发布等内容，欢迎访问。<a href="/a/">服务一</a><a href="/b/">服务二</a><a href="/c/">服务三</a>
    <p><b>政务公开</b></p></div></div></body></html>"""
    assert in_page_catalog(page, BASE) == []
