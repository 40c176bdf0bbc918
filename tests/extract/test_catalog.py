"""Catalogue navigation, breadcrumbs and portal-home items (cms.md §3.1)."""

from __future__ import annotations

from datetime import date

import pytest

from crawler.extract.catalog import extract_breadcrumb, extract_nav, home_items
from crawler.extract.types import NavLink

TODAY = date(2026, 11, 29)
ROOT = "http://www.wz.gov.cn/xxgk/"

DISCLOSURE_ROOT = """<html><body>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">信息公开</a></div>
<div class="left-menu"><ul class="menu">
  <li><a href="/xxgk/zfxxgkzn/">政府信息公开指南</a></li>
  <li><a href="/xxgk/zfxxgkzd/">政府信息公开制度</a></li>
  <li><span>法定主动公开内容</span>
    <ul>
      <li><a href="/xxgk/fdzdgknr/jgzn/">机构职能</a></li>
      <li><a href="/xxgk/fdzdgknr/czxx/">财政信息</a>
        <div class="sub"><ul>
          <li><a href="/xxgk/fdzdgknr/czxx/czyjs/">财政预决算</a></li>
          <li><a href="/xxgk/fdzdgknr/czxx/sgjf/">“三公”经费</a></li>
        </ul></div>
      </li>
    </ul>
  </li>
  <li><a href="/xxgk/zfxxgknb/">政府信息公开年报</a></li>
  <li><a href="http://ysqgk.wz.gov.cn/apply/">依申请公开</a></li>
</ul></div>
<div class="bmml"><dl><dt>部门信息公开目录</dt>
  <dd><a href="/xxgk/bm/tjj/">统计局</a></dd><dd><a href="/xxgk/bm/czj/">财政局</a></dd></dl></div>
<div class="box"><div class="box-tit"><h3>通知公告</h3><a href="/xxgk/tzgg/">更多&gt;&gt;</a></div>
  <ul><li><a href="/xxgk/tzgg/202611/t20261120_1.html">某某通知</a><span>2026-11-20</span></li></ul></div>
<div class="nb"><h3>年报</h3><ul><li><a href="/xxgk/zfxxgknb/2025/">2025</a></li></ul></div>
<a href="/xxgk/">信息公开</a>
<a href="javascript:void(0)">收藏</a><a href="mailto:wz@gov.cn">邮箱</a>
<a href="/files/guide.pdf">指南下载</a><a href="/xxgk/index.html#top">顶部</a>
<a href="ftp://files.wz.gov.cn/">文件服务器</a>
<div class="footer"><a href="/wzdt/">网站地图</a><a href="/lxwm/">联系我们</a>
  <a href="http://www.gov.cn/">中国政府网</a></div>
<div class="tools"><a href="/wza/">无障碍</a><a href="/login/">登录</a></div>
</body></html>"""


def test_extract_nav_builds_paths_and_excludes_chrome():
    links = extract_nav(DISCLOSURE_ROOT, ROOT)
    assert links == [
        NavLink("政府信息公开指南", ROOT + "zfxxgkzn/", ("政府信息公开指南",)),
        NavLink("政府信息公开制度", ROOT + "zfxxgkzd/", ("政府信息公开制度",)),
        NavLink("机构职能", ROOT + "fdzdgknr/jgzn/", ("法定主动公开内容", "机构职能")),
        NavLink("财政信息", ROOT + "fdzdgknr/czxx/", ("法定主动公开内容", "财政信息")),
        NavLink(
            "财政预决算",
            ROOT + "fdzdgknr/czxx/czyjs/",
            ("法定主动公开内容", "财政信息", "财政预决算"),
        ),
        NavLink(
            "“三公”经费",
            ROOT + "fdzdgknr/czxx/sgjf/",
            ("法定主动公开内容", "财政信息", "“三公”经费"),
        ),
        NavLink("政府信息公开年报", ROOT + "zfxxgknb/", ("政府信息公开年报",)),
        NavLink("依申请公开", "http://ysqgk.wz.gov.cn/apply/", ("依申请公开",)),
        NavLink("统计局", ROOT + "bm/tjj/", ("部门信息公开目录", "统计局")),
        NavLink("财政局", ROOT + "bm/czj/", ("部门信息公开目录", "财政局")),
        NavLink("通知公告", ROOT + "tzgg/", ("通知公告",)),
        NavLink("2025", ROOT + "zfxxgknb/2025/", ("年报", "2025")),
    ]


def test_extract_nav_nested_link_parents_and_plain_lists():
    html = """<div class="nav"><ul>
      <li><a href="/gk/fdzdgknr/">法定主动公开内容</a><ul>
        <li><a href="/gk/fdzdgknr/ghjh/">规划计划</a></li>
        <li><a href="/gk/fdzdgknr/tjxx/">统计信息</a><ul><li><a href="/gk/fdzdgknr/tjxx/tjgb/">统计公报</a></li></ul></li>
      </ul></li></ul></div>
      <p><a href="/gk/zcjd/">政策解读</a> | <a href="/gk/rsxx/">人事信息</a></p>"""
    got = [(n.name, n.path) for n in extract_nav(html, "http://a.gov.cn/gk/")]
    assert got == [
        ("法定主动公开内容", ("法定主动公开内容",)),
        ("规划计划", ("法定主动公开内容", "规划计划")),
        ("统计信息", ("法定主动公开内容", "统计信息")),
        ("统计公报", ("法定主动公开内容", "统计信息", "统计公报")),
        ("政策解读", ("政策解读",)),
        ("人事信息", ("人事信息",)),
    ]


def test_extract_nav_empty():
    assert extract_nav("", ROOT) == []


# A column page of a platform sharing the portal's host: the portal's header (its top menu and
# a 政务公开 drop-down) on top, the 政府信息公开 tree on the left, the page's own entry in it.
SHARED_COLUMN = """<html><body>
<div class="header menu_hov"><div class="logo"><a href="/"><img alt="logo"></a></div>
  <div class="menu_base"><ul>
    <li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
    <li><a href="/jdhy/">解读回应</a></li><li><a href="/bsfw/">办事服务</a></li>
    <li><a href="/hdjl/">互动交流</a></li><li><a href="/zjxx/">走进某县</a></li></ul></div>
  <div class="submenu"><a href="/zwgk/zfxxgk/">政府信息公开</a><a href="/zwgk/yw/">要闻</a>
    <a href="/zwgk/zfxxgk/fdzdgknr/">法定主动公开内容</a><a href="/hdjl/zxft/">在线访谈</a></div>
</div>
<div class="info_menu_list"><ul>
  <li><a href="/zwgk/zfxxgk/zfxxgkzn/">政府信息<br>公开指南</a></li>
  <li><a href="/zwgk/zfxxgk/zfxxgkzd/">政府信息<br>公开制度</a></li>
  <li><a href="/zwgk/zfxxgk/fdzdgknr/">法定主动<br>公开内容</a></li>
  <li><a href="/bm/tzgg/list.html">部门通知公告</a></li>
</ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a>
  &gt; <a href="/zwgk/zfxxgk/zfxxgkzn/">政府信息公开指南</a></div>
<div class="article">详见 <a href="http://www.x.gov.cn/">http://www.x.gov.cn/</a>
  <a href="#content">正文</a> <a href="index.html#p2">第二部分</a></div>
<div class="footer"><a href="/lxwm/">联系我们</a></div>
</body></html>"""
PAGE = "http://www.x.gov.cn/zwgk/zfxxgk/zfxxgkzn/"


def test_nav_read_for_a_catalog_leaves_out_the_site_header_and_keeps_the_page_itself():
    got = [
        (n.name, n.url)
        for n in extract_nav(SHARED_COLUMN, PAGE, "http://www.x.gov.cn/zwgk/zfxxgk/")
    ]
    assert got == [
        # from the header only what lies under the catalog root's folder
        ("法定主动公开内容", "http://www.x.gov.cn/zwgk/zfxxgk/fdzdgknr/"),
        ("政府信息公开指南", PAGE),  # the page's own entry in its catalog tree
        ("政府信息公开制度", "http://www.x.gov.cn/zwgk/zfxxgk/zfxxgkzd/"),
        # a column in a sibling folder, linked from the tree, is the catalog's
        ("部门通知公告", "http://www.x.gov.cn/bm/tzgg/list.html"),
    ]


def test_nav_read_whole_keeps_the_header_and_drops_the_page_itself():
    # A portal home is read whole: its header menu is the site's map (parse_home picks the
    # 政务公开 catalog out of it by name).
    links = {n.url: n for n in extract_nav(SHARED_COLUMN, PAGE)}
    assert links["http://www.x.gov.cn/zwgk/"].chrome and links["http://www.x.gov.cn/bsfw/"].chrome
    assert not links["http://www.x.gov.cn/zwgk/zfxxgk/zfxxgkzd/"].chrome
    assert PAGE not in links


def test_nav_read_for_its_own_root_drops_the_page_and_what_is_above_it():
    root = "http://www.x.gov.cn/zwgk/"
    html = SHARED_COLUMN.replace("/zwgk/zfxxgk/zfxxgkzn/", "/zwgk/")
    got = [n.url for n in extract_nav(html, root, root)]
    assert root not in got and "http://www.x.gov.cn/" not in got  # the root, the site home
    # the header's links under the root's folder stay; the portal's other menus do not
    assert got[:3] == [root + "zfxxgk/", root + "yw/", root + "zfxxgk/fdzdgknr/"]
    assert not any(u.endswith(("/jdhy/", "/bsfw/", "/hdjl/", "/zjxx/", "/zxft/")) for u in got)


def test_links_to_the_catalog_root_or_above_it_are_not_columns():
    html = """<ul><li><a href="http://WWW.x.gov.cn">某县人民政府</a></li>
    <li><a href="/zwgk/">政务公开</a></li><li><a href="/zwgk/zfxxgk/index.html">目录</a></li>
    <li><a href="/zwgk/zfxxgk/zn/">指南</a></li><li><a href="/list.jsp?cid=3">通知</a></li>
    <li><a href="/zw/">政务</a></li></ul>"""
    got = [n.name for n in extract_nav(html, PAGE, "http://www.x.gov.cn/zwgk/zfxxgk/")]
    assert got == ["指南", "通知", "政务"]  # folders above the root out; pages beside it stay


def test_nav_on_a_platform_of_its_own_host_keeps_only_statutory_sections_from_the_header():
    # Root "/": every link is in its folder, so the header's place decides; a statutory
    # section (公开指南, 年报) in a header bar is still the catalog's.
    html = """<div id="header"><ul class="menu"><li><a href="/">首页</a></li>
      <li><a href="/bsfw/index.html">办事服务</a></li><li><a href="/zjxx/index.html">走进某县</a></li>
      <li><a href="/zfxxgknb/index.html">政府信息公开年报</a></li></ul></div>
      <div class="left-nav"><ul><li><a href="/zfxxgkzn/index.html">政府信息公开指南</a></li>
      <li><a href="/fdzdgknr/tzgg/index.html">通知公告</a></li></ul></div>"""
    root = "http://xxgk.x.gov.cn/"
    got = [n.name for n in extract_nav(html, root, root)]
    assert got == ["政府信息公开年报", "政府信息公开指南", "通知公告"]


@pytest.mark.parametrize(
    "cls",
    ["tabs_header", "box-head", "zwgk_l_top", "left-menu", "nav", "list_top"],
)
def test_component_headers_and_left_menus_are_not_site_chrome(cls: str):
    html = f'<div class="{cls}"><a href="/bsfw/gsgg/">公示公告</a></div>'
    root = "http://xxgk.x.gov.cn/"
    assert [n.name for n in extract_nav(html, root, root)] == ["公示公告"]


@pytest.mark.parametrize("cls", ["top", "header", "topbar"])
def test_a_title_bar_deep_in_the_content_is_not_the_site_header(cls: str):
    html = f"""<div class="main"><div class="left"><div class="box">
    <div class="{cls}"><span>通知公告</span><a href="/tzgg/">更多&gt;&gt;</a></div>
    <ul><li><a href="/tzgg/202611/t20261120_1.html">某某通知</a></li></ul></div></div></div>"""
    root = "http://xxgk.x.gov.cn/"
    assert [n.name for n in extract_nav(html, root, root)] == ["通知公告"]


@pytest.mark.parametrize(
    "box",
    ['<div class="header_line">', '<div class="topnav">', '<div class="nav-top">',
     '<div id="top">', "<header>", '<div role="banner">'],
)  # fmt: skip
def test_site_header_containers(box: str):
    tag = box[1:].split()[0].rstrip(">")
    html = (
        f'{box}<a href="/bsfw/">办事服务</a></{tag}><ul><li><a href="/tzgg/">通知公告</a></li></ul>'
    )
    root = "http://xxgk.x.gov.cn/"
    assert [n.name for n in extract_nav(html, root, root)] == ["通知公告"]


# A platform page: the catalog on the left, then the site's map under the content (the top
# menu repeated, opening with 网站首页, each section's sub-menu beside it), then the footer.
BOTTOM_SITE_MAP = """<html><body><div class="wrap">
<div class="logo"><a href="/"><img src="logo.png"></a></div>
<div class="main"><div class="lnav">
  <h3 class="on"><a href="/zfxxgkzn/">政府信息公开指南</a></h3>
  <h3><a href="/fdgknr/">法定主动公开内容</a></h3>
  <ul><li><a href="/zfwj/jgzn/">机构职能</a></li><li><a href="/zfwj/ghjh/">规划计划</a></li></ul>
  <h3><a href="/zfxxgknb/">政府信息公开年报</a></h3></div>
  <div class="content"><p>指南正文</p></div></div>
<div class="lm clearfix">
  <ul><li><a href="/zfxxgkzn/#">网站首页</a></li><li><a href="/zjxx/">走进某市</a></li>
    <li><a href="/szzc/">市长之窗</a></li><li><a href="/ztzl/">专题专栏</a></li></ul>
  <ul><li><a href="/zfxxgkzn/#">走进某市</a></li><li><a href="/zjxx/gk/">某市概况</a></li></ul>
  <ul><li><a href="/zfxxgkzn/#">政民互动</a></li><li><a href="/zmhd/wyly/">我要留言</a></li>
    <li><a href="http://lt.x.gov.cn/">某市论坛</a></li></ul></div>
<div class="footer_bg"><a href="/wzsm/">网站声明</a> <a href="/bz/">帮助</a></div>
</div></body></html>"""


def test_a_site_map_under_the_content_is_not_the_catalog():
    root, page = "http://xxgk.x.gov.cn/", "http://xxgk.x.gov.cn/zfxxgkzn/"
    got = [n.name for n in extract_nav(BOTTOM_SITE_MAP, page, root)]
    assert got == [
        "政府信息公开指南",
        "法定主动公开内容",
        "机构职能",
        "规划计划",
        "政府信息公开年报",
    ]
    # read whole (a portal home), the page keeps its site map
    assert "市长之窗" in [n.name for n in extract_nav(BOTTOM_SITE_MAP, page)]


def test_a_left_nav_at_the_bottom_of_a_short_page_is_the_catalog():
    # The content comes first in the source and the catalog last, just above the footer: it
    # does not open with the site's home, so it is not a site map.
    html = """<div class="main"><div class="right"><ul>
      <li><a href="/tzgg/202611/t20261120_1.html">某某通知</a><span>2026-11-20</span></li></ul>
      </div><div class="left"><ul><li><a href="/zfxxgkzn/">政府信息公开指南</a></li>
      <li><a href="/tzgg/">通知公告</a></li><li><a href="/zfxxgknb/">政府信息公开年报</a></li>
      </ul></div></div><div class="footer"><a href="/lxwm/">联系我们</a></div>"""
    root = "http://xxgk.x.gov.cn/"
    got = [n.name for n in extract_nav(html, root + "tzgg/", root)]
    assert got == ["政府信息公开指南", "通知公告", "政府信息公开年报"]


@pytest.mark.parametrize(
    "above, below",
    [
        ("", ""),  # the page's only menu, home link first: nothing above it to be a map of
        ('<ul><li><a href="/zfxxgkzn/">政府信息公开指南</a></li></ul>',
         '<div class="box"><a href="/tzgg/">通知公告</a></div>'),  # content after it: a menu
    ],
)  # fmt: skip
def test_a_menu_opening_with_home_is_a_site_map_only_at_the_bottom(above: str, below: str):
    menu = """<div class="menu"><ul><li><a href="/">网站首页</a></li>
      <li><a href="/fdgknr/">法定主动公开内容</a></li><li><a href="/ysqgk/">依申请公开</a></li>
      </ul></div>"""
    root = "http://xxgk.x.gov.cn/"
    got = [n.name for n in extract_nav(above + menu + below, root + "zfxxgkzn/", root)]
    assert "法定主动公开内容" in got and "依申请公开" in got


def test_flat_catalog_headings_over_runs_of_dl():
    # <h3> per top-level entry; under a branch one <dl> per group (<dt> group, <dd> leaves) or
    # per leaf (<dt> link). A group sharing a leaf's name is still a group (工作动态 > 工作动态).
    html = """<div class="gkml">
    <h3><a href="/zn/">政府信息<br>公开指南</a></h3>
    <h3>法定主动<br>公开内容</h3>
    <dl><dt>\n  机构 信息\n</dt><dd><a href="/jgzn/">机构职能</a> <a href="/ldxx/">领导信息</a></dd></dl>
    <dl><dt>工作动态</dt><dd><a href="/gzdt/">工作动态</a> <a href="/tzgg/">通知公告</a></dd></dl>
    <dl><dt><a href="/ghjh/">规划计划</a></dt></dl>
    <h3><a href="/nb/">政府信息公开年报</a></h3>
    </div>"""
    got = [n.path for n in extract_nav(html, "http://x.gov.cn/gk/")]
    assert got == [
        ("政府信息公开指南",),
        ("法定主动公开内容", "机构信息", "机构职能"),
        ("法定主动公开内容", "机构信息", "领导信息"),
        ("法定主动公开内容", "工作动态", "工作动态"),
        ("法定主动公开内容", "工作动态", "通知公告"),
        ("法定主动公开内容", "规划计划"),
        ("政府信息公开年报",),
    ]


def test_a_dt_or_heading_over_one_link_of_its_name_is_that_links_label():
    html = """<dl><dt>通知公告</dt><dd><a href="/tzgg/">通知公告</a></dd></dl>
    <h3>年报</h3><ul><li><a href="/nb/">年报</a></li></ul>"""
    assert [n.path for n in extract_nav(html, "http://x.gov.cn/gk/")] == [("通知公告",), ("年报",)]


@pytest.mark.parametrize(
    "html,expected",
    [
        (
            '<div class="position">当前位置：首页 &gt; 信息公开 &gt; 法定主动公开内容 &gt; 财政信息</div>',
            ["首页", "信息公开", "法定主动公开内容", "财政信息"],
        ),
        (  # real Ucap markup (万载): label in a heading, links glued by &gt;
            """<div class="xxgk-crumb"><div class="xxgk-container"><h2>
            您当前所在位置：
<a href="http://www.wanzai.gov.cn/wzxrmzf/index.shtml" target="_self">首页</a>&gt;<a href="http://www.wanzai.gov.cn/wzxrmzf/zwgk/zwgk.shtml" target="_self">政务公开</a>&gt;<a href="x" target="_self">部门信息公开目录</a>&gt;<a href="y" target="_self">统计局</a>&gt;<a href="z" target="_self">法定主动公开内容</a>&gt;<a href="w" target="_self">工作动态</a>&gt;<a href="v" target="_self"><span>统计数据</span></a>
            </h2></div></div>""",
            [
                "首页",
                "政务公开",
                "部门信息公开目录",
                "统计局",
                "法定主动公开内容",
                "工作动态",
                "统计数据",
            ],
        ),
        (
            '<p><span>您的位置:</span><a href="/">首页</a> › <a href="/xxgk/">信息公开</a> » <span>通知公告</span></p>',
            ["首页", "信息公开", "通知公告"],
        ),
        (
            '<div class="breadcrumb"><a href="/">首页</a> / <a href="/zwgk/">政务公开</a> → 政策文件</div>',
            ["首页", "政务公开", "政策文件"],
        ),
        ('<div class="main">没有面包屑</div>', []),
    ],
    ids=["text-gt", "ucap-real", "mixed-separators", "class-only", "none"],
)
def test_extract_breadcrumb(html, expected):
    assert extract_breadcrumb(f"<html><body>{html}</body></html>") == expected


HOME = """<html><body><div class="header"><a href="/xxgk/">信息公开</a></div>
<div class="col-l"><h3>政务要闻</h3><ul>
  <li><a href="/zwdt/202611/t20261125_1.html" title="县长主持召开县政府常务会议">县长主持召开县政府...</a><span>11-25</span></li>
  <li><a href="/zwdt/202611/t20261120_2.html">全县安全生产工作会议召开</a></li></ul></div>
<div class="col-r"><h3>通知公告</h3>
  <p><a href="/tzgg/list.html">关于调整公交线路的公告</a> 2026-11-18</p>
  <table><tr><td><a href="/tzgg/show.jsp?id=9">关于征集意见的通知</a></td><td>[2026-10-01]</td></tr></table></div>
<div class="footer"><a href="/wzdt/">网站地图</a> 版权所有 2026-01-01</div></body></html>"""


def test_home_items():
    got = [
        (i.title, i.url, i.date, i.date_source)
        for i in home_items(HOME, "http://www.x.gov.cn/", TODAY)
    ]
    assert got == [
        (
            "县长主持召开县政府常务会议",
            "http://www.x.gov.cn/zwdt/202611/t20261125_1.html",
            date(2026, 11, 25),
            "list",
        ),
        (
            "全县安全生产工作会议召开",
            "http://www.x.gov.cn/zwdt/202611/t20261120_2.html",
            date(2026, 11, 20),
            "url",
        ),
        (
            "关于调整公交线路的公告",
            "http://www.x.gov.cn/tzgg/list.html",
            date(2026, 11, 18),
            "list",
        ),
        ("关于征集意见的通知", "http://www.x.gov.cn/tzgg/show.jsp?id=9", date(2026, 10, 1), "list"),
    ]
