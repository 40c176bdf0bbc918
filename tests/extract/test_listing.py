"""extract_list on list templates modelled on real CMS templates (TRS, Hanweb, catalogue
tables, Shenzhen), including the messy markup real sites serve."""

from __future__ import annotations

import time
from datetime import date

import pytest

from crawler.extract.listing import extract_list

TODAY = date(2026, 11, 29)
BASE = "http://www.example.gov.cn/xxgk/tzgg/"

# A full page: header nav, left nav, the list (with a pinned item, a bracketed date, a truncated
# title, a cross-column absolute link), a TRS pager call, friend links and a footer.
TRS_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知公告</title>
<script src="/js/common.js"></script></head><body>
<div class="header"><ul class="nav">
 <li><a href="/">首页</a></li><li><a href="/xxgk/">信息公开</a></li>
 <li><a href="/zwdt/">政务动态</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="left"><ul>
 <li><a href="/xxgk/tzgg/">通知公告</a></li><li><a href="/xxgk/zcwj/">政策文件</a></li>
 <li><a href="/xxgk/ghjh/">规划计划</a></li></ul></div>
<div class="main"><ul class="list">
 <li class="top"><span class="zd">置顶</span><a href="./202601/t20260105_1001.html" target="_blank" title="关于做好2026年元旦春节期间有关工作的通知">关于做好2026年元旦春节期间有关工作...</a><span class="date">2026-01-05</span></li>
 <li><a href="./202611/t20261120_1009.html">县政府常务会议研究部署冬季安全生产工作</a><span>[ 2026-11-20 ]</span></li>
 <li><a href="/tjsj/sjjd/202611/t20261118_1720659.html">前三季度全县经济运行情况解读</a><span>2026-11-18</span></li>
 <li><a href="./202610/t20261030_1005.html">关于公开征求意见的公告&nbsp;</a>
     <span class="date">2026-10-30</span></li>
</ul>
<div class="page"><script>createPageHTML(3, 0, "index", "html");</script></div></div>
<div class="yqlj"><ul><li><a href="http://www.gov.cn/">中国政府网</a></li>
 <li><a href="http://www.jiangxi.gov.cn/">江西省人民政府</a></li></ul></div>
<div class="footer"><a href="/wzdt/">网站地图</a> <a href="/lxwm/">联系我们</a>
 <p>主办单位：某某县人民政府办公室 2026-01-01</p></div>
</body></html>"""


def titles(page):
    return [(i.title, i.url, i.date, i.date_source) for i in page.items]


def test_trs_page_only_list_entries_are_items():
    page = extract_list(TRS_PAGE, BASE + "index.html", TODAY)
    assert titles(page) == [
        (
            "关于做好2026年元旦春节期间有关工作的通知",
            BASE + "202601/t20260105_1001.html",
            date(2026, 1, 5),
            "list",
        ),
        (
            "县政府常务会议研究部署冬季安全生产工作",
            BASE + "202611/t20261120_1009.html",
            date(2026, 11, 20),
            "list",
        ),
        (
            "前三季度全县经济运行情况解读",
            "http://www.example.gov.cn/tjsj/sjjd/202611/t20261118_1720659.html",
            date(2026, 11, 18),
            "list",
        ),
        (
            "关于公开征求意见的公告",
            BASE + "202610/t20261030_1005.html",
            date(2026, 10, 30),
            "list",
        ),
    ]
    assert page.pagination.page_count == 3
    assert page.pagination.urls == [BASE + "index_1.html", BASE + "index_2.html"]
    assert page.placeholder is False


STATS_PAGE = """<html><body><ul class="center_list_contlist">
<li><a href="./201912/t20191231_1720657.html" target="_blank"><span class="cont_tit"><img src="../images/xx_li5.jpg" style=":&quot;background:" url(xx_li5.jpg)=""><font class="cont_tit03">2019年12月中国采购经理指数运行情况</font><font class="cont_tit02">2019-12-31</font></span></a></li>
<li class="cont_line"></li>
<li><a href="/tjsj/sjjd/201912/t20191231_1720659.html" target="_blank"><span class="cont_tit"><img src="../images/xx_li5.jpg"><font class="cont_tit03">国家统计局服务业调查中心高级统计师赵庆河解读2019年12月中国采购经理指数</font><font class="cont_tit02">2019-12-31</font></span></a></li>
<li class="cont_line"></li>
<li><a href="./201912/t20191227_1720000.html" target="_blank"><span class="cont_tit"><font class="cont_tit03">2019年1-11月份全国规模以上工业企业利润</font><font class="cont_tit02">2019-12-27</font></span></a></li>
</ul><div class="fenye"><a href="index_1.html">下一页</a></div></body></html>"""

OLD_TABLE = """<HTML><BODY><TABLE width=100% border=0>
<TR><TD><IMG src="/images/dot.gif">&nbsp;<A\r\nhref=./201710/t20171020_398361.html target=_blank title=关于印发袁州区2017年秋冬季森林防火工作方案的通知>关于印发袁州区2017年秋冬季森林防火...</A></TD><TD width=60 align=right>2017-10-20</TD></TR>
<TR><TD><IMG src="/images/dot.gif">&nbsp;<A href='./201710/t20171019_398220.html' target=_blank>区政府办公室关于开展安全生产大检查的通知</A></TD><TD width=60 align=right>2017-10-18</TD></TR>
<TR><TD><IMG src=/images/dot.gif>&nbsp;<A href="./201710/t20171016_398100.html">袁州区第三季度重点项目推进情况</A></TD><TD width=60 align=right>2017-10-16</TD></TR>
<TR><TD><IMG src=/images/dot.gif>&nbsp;<A href="./201710/t20171012_398050.html">袁州区秋季征兵工作通告</A></TD><TD width=60 align=right>2017-10-12</TD></TR>
<TR><TD><IMG src=/images/dot.gif>&nbsp;<A href="./201710/t20171010_398001.html">袁州区国庆期间旅游接待情况</A></TD><TD width=60 align=right>2017-10-10</TD></TR>
<TR height=1><TD colspan=2 class=GroupBlankLine></TD></TR>
<TR><TD><IMG src=/images/dot.gif>&nbsp;<A href="./201709/t20170929_397900.html">袁州区九月份物价监测报告</A></TD><TD width=60 align=right>2017-09-29</TD></TR>
<TR height=1><TD colspan=2 class=GroupBlankLine></TD></TR>
</TABLE>
<SCRIPT language=javascript>createPageHTML(8, 0, "index", "html");</SCRIPT></BODY></HTML>"""

CATALOGUE_TABLE = """<html><body><div class="xxgk_list"><table class="gkml">
<tr class="head"><td>名称</td><td>索引号</td><td>发布机构</td><td>发布日期</td></tr>
<tr><td><a href="./202008/t20200805_1353179.html" title="邯郸市2020年上半年统计公报">邯郸市2020年上半年统计公报</a></td><td>000014348/2020-35428</td><td>邯郸市统计局</td><td>2020-08-05</td></tr>
<tr><td><a href="/gszbm/auto23716/202007/t20200720_1350001.html">关于2020年统计执法检查的通知</a></td><td>000014348/2020-35001</td><td>邯郸市统计局</td><td>2020-07-20</td></tr>
</table></div>
<script>createPageHTML(2, 0, "index", "html");</script></body></html>"""

SHENZHEN = """<html><body><div class="nav"><a href="/cn/">首页</a><a href="/cn/xxgk/">信息公开</a></div>
<div class="list"><ul>
<li><a href="http://www.sz.gov.cn/cn/xxgk/zfxxgj/tzgg/content/post_12612456.html"><p>深圳市人民政府关于印发某某规定的通知</p><span>2026-01-22</span></a></li>
<li><a href="http://www.sz.gov.cn/cn/xxgk/zfxxgj/tzgg/content/post_12600001.html"><p>深圳市关于进一步优化营商环境的若干措施</p><span>2026-01-15</span></a></li>
</ul></div></body></html>"""

NO_DATES = """<html><body><ul class="list">
<li><a href="./202604/t20260403_2001.html" title="2026年一季度统计数据发布">2026年一季度统计数据发布</a></li>
<li><a href="./202603/t20260330_2000.html" title="2026年2月份统计月报">2026年2月份统计月报</a></li>
<li><a href="/rsgl/zkxx/t27298550.shtml" title="事业单位公开招聘公告">事业单位公开招聘公告</a></li>
</ul></body></html>"""

MONTH_DAY = """<html><body><div class="news"><ul>
<li><a href="./202611/t20261103_3001.html">全县秋冬季农业生产工作会议召开</a><span>11-03</span></li>
<li><a href="./202512/t20251230_3000.html">年终岁末走访慰问困难群众</a><span>12-30</span></li>
</ul></div></body></html>"""


@pytest.mark.parametrize(
    "html,base,expected",
    [
        (
            STATS_PAGE,
            "http://www.stats.gov.cn/sj/zxfb/",
            [
                (
                    "2019年12月中国采购经理指数运行情况",
                    "http://www.stats.gov.cn/sj/zxfb/201912/t20191231_1720657.html",
                    date(2019, 12, 31),
                    "list",
                ),
                (
                    "国家统计局服务业调查中心高级统计师赵庆河解读2019年12月中国采购经理指数",
                    "http://www.stats.gov.cn/tjsj/sjjd/201912/t20191231_1720659.html",
                    date(2019, 12, 31),
                    "list",
                ),
                (
                    "2019年1-11月份全国规模以上工业企业利润",
                    "http://www.stats.gov.cn/sj/zxfb/201912/t20191227_1720000.html",
                    date(2019, 12, 27),
                    "list",
                ),
            ],
        ),
        (
            OLD_TABLE,
            "http://www.yzq.gov.cn/zwgk/tzgg/index.html",
            [
                (
                    "关于印发袁州区2017年秋冬季森林防火工作方案的通知",
                    "http://www.yzq.gov.cn/zwgk/tzgg/201710/t20171020_398361.html",
                    date(2017, 10, 20),
                    "list",
                ),
                (
                    "区政府办公室关于开展安全生产大检查的通知",
                    "http://www.yzq.gov.cn/zwgk/tzgg/201710/t20171019_398220.html",
                    date(2017, 10, 18),  # listed date wins over the URL's 2017-10-19
                    "list",
                ),
                (
                    "袁州区第三季度重点项目推进情况",
                    "http://www.yzq.gov.cn/zwgk/tzgg/201710/t20171016_398100.html",
                    date(2017, 10, 16),
                    "list",
                ),
                (
                    "袁州区秋季征兵工作通告",
                    "http://www.yzq.gov.cn/zwgk/tzgg/201710/t20171012_398050.html",
                    date(2017, 10, 12),
                    "list",
                ),
                (
                    "袁州区国庆期间旅游接待情况",
                    "http://www.yzq.gov.cn/zwgk/tzgg/201710/t20171010_398001.html",
                    date(2017, 10, 10),
                    "list",
                ),
                (
                    "袁州区九月份物价监测报告",
                    "http://www.yzq.gov.cn/zwgk/tzgg/201709/t20170929_397900.html",
                    date(2017, 9, 29),
                    "list",
                ),
            ],
        ),
        (
            SHENZHEN,
            "http://www.sz.gov.cn/cn/xxgk/zfxxgj/tzgg/",
            [
                (
                    "深圳市人民政府关于印发某某规定的通知",
                    "http://www.sz.gov.cn/cn/xxgk/zfxxgj/tzgg/content/post_12612456.html",
                    date(2026, 1, 22),
                    "list",
                ),
                (
                    "深圳市关于进一步优化营商环境的若干措施",
                    "http://www.sz.gov.cn/cn/xxgk/zfxxgj/tzgg/content/post_12600001.html",
                    date(2026, 1, 15),
                    "list",
                ),
            ],
        ),
        (
            NO_DATES,
            "http://tjj.example.gov.cn/tjsj/",
            [
                (
                    "2026年一季度统计数据发布",
                    "http://tjj.example.gov.cn/tjsj/202604/t20260403_2001.html",
                    date(2026, 4, 3),
                    "url",
                ),
                (
                    "2026年2月份统计月报",
                    "http://tjj.example.gov.cn/tjsj/202603/t20260330_2000.html",
                    date(2026, 3, 30),
                    "url",
                ),
                (
                    "事业单位公开招聘公告",
                    "http://tjj.example.gov.cn/rsgl/zkxx/t27298550.shtml",
                    None,
                    None,
                ),
            ],
        ),
        (
            MONTH_DAY,
            "http://www.example.gov.cn/zwdt/",
            [
                (
                    "全县秋冬季农业生产工作会议召开",
                    "http://www.example.gov.cn/zwdt/202611/t20261103_3001.html",
                    date(2026, 11, 3),
                    "list",
                ),
                (
                    "年终岁末走访慰问困难群众",
                    "http://www.example.gov.cn/zwdt/202512/t20251230_3000.html",
                    date(2025, 12, 30),
                    "list",
                ),
            ],
        ),
    ],
    ids=["stats-date-in-anchor", "old-uppercase-table", "shenzhen", "no-dates", "month-day"],
)
def test_list_templates(html, base, expected):
    assert titles(extract_list(html, base, TODAY)) == expected


def test_catalogue_table_fills_index_no_and_publisher():
    page = extract_list(CATALOGUE_TABLE, "http://www.hd.gov.cn/hdzfxxgk/gszbm/auto23716/", TODAY)
    got = [(i.title, i.url, i.date, i.index_no, i.publisher) for i in page.items]
    assert got == [
        (
            "邯郸市2020年上半年统计公报",
            "http://www.hd.gov.cn/hdzfxxgk/gszbm/auto23716/202008/t20200805_1353179.html",
            date(2020, 8, 5),
            "000014348/2020-35428",
            "邯郸市统计局",
        ),
        (
            "关于2020年统计执法检查的通知",
            "http://www.hd.gov.cn/gszbm/auto23716/202007/t20200720_1350001.html",
            date(2020, 7, 20),
            "000014348/2020-35001",
            "邯郸市统计局",
        ),
    ]
    assert page.pagination.urls == ["http://www.hd.gov.cn/hdzfxxgk/gszbm/auto23716/index_1.html"]


def test_stats_next_link_pagination():
    page = extract_list(STATS_PAGE, "http://www.stats.gov.cn/sj/zxfb/", TODAY)
    assert page.pagination.urls == ["http://www.stats.gov.cn/sj/zxfb/index_1.html"]


def test_old_table_pagination_is_zero_based():
    page = extract_list(OLD_TABLE, "http://www.yzq.gov.cn/zwgk/tzgg/index.html", TODAY)
    assert page.pagination.page_count == 8
    assert page.pagination.urls[0] == "http://www.yzq.gov.cn/zwgk/tzgg/index_1.html"
    assert page.pagination.urls[-1] == "http://www.yzq.gov.cn/zwgk/tzgg/index_7.html"


HANWEB_PAGE = """<html><body><div class="nav"><a href="/col/col1/index.html">首页</a></div>
<div id="212860"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid=33718&unitid=212860&webname=%25E6%259F%2590%25E5%258E%25BF&permissiontype=0"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href='/art/2026/9/11/art_33718_100.html' title='县政府关于2026年秋季防汛工作的通知' target='_blank'>县政府关于2026年秋季防汛工作的通知</a><span>2026-09-11</span></li>]]></record>
<record><![CDATA[<li class="clearfix"><a href="/art/2022/1/20/art_33718_99.html" title="关于印发某某办法的通知">关于印发某某办法的通知</a> <b>2022-01-20</b></li>]]></record>
<record><![CDATA[<li><a href="/art/2026/9/10/art_33718_98.html" title="县人民政府关于调整部分行政区划的公告全文"><span class="list_title">县人民政府关于调整部分行...</span><i>2026-09-10</i></a></li>]]></record>
<record><![CDATA[<tr><td><a href='/art/2017/4/24/art_31685_2451995.html' title='2017年部门预算公开'>2017年部门预算公开</a></td><td>2017-04-24</td></tr>]]></record>
<record><![CDATA[<li style=<br/><a href="/art/2026/8/1/art_33718_97.html">八月工作简报</a><span>2026-08-01</span></li>]]></record>
<record><![CDATA[<li><a href='/art/2026/9/11/art_33718_100.html' title='重复'>重复</a><span>2026-09-11</span></li>]]></record>
</recordset></datastore></script></div>
<script>$('#212860').jpage({ totalRecord:4895, perPage:19, proxyUrl:'/module/web/jpage/dataproxy.jsp', ajaxParam:{col:1, webid:1, path:'/', columnid:33718, sourceContentType:1, unitid:'212860', webname:'%E6%9F%90%E5%8E%BF', permissiontype:0} });</script>
</body></html>"""


def test_hanweb_page_items_come_from_the_datastore():
    page = extract_list(HANWEB_PAGE, "http://www.mx.gov.cn/col/col33718/index.html", TODAY)
    assert titles(page) == [
        (
            "县政府关于2026年秋季防汛工作的通知",
            "http://www.mx.gov.cn/art/2026/9/11/art_33718_100.html",
            date(2026, 9, 11),
            "list",
        ),
        (
            "关于印发某某办法的通知",
            "http://www.mx.gov.cn/art/2022/1/20/art_33718_99.html",
            date(2022, 1, 20),
            "list",
        ),
        (
            "县人民政府关于调整部分行政区划的公告全文",
            "http://www.mx.gov.cn/art/2026/9/10/art_33718_98.html",
            date(2026, 9, 10),
            "list",
        ),
        (
            "2017年部门预算公开",
            "http://www.mx.gov.cn/art/2017/4/24/art_31685_2451995.html",
            date(2017, 4, 24),
            "list",
        ),
        (
            "八月工作简报",
            "http://www.mx.gov.cn/art/2026/8/1/art_33718_97.html",
            date(2026, 8, 1),
            "list",
        ),
    ]
    hw = page.pagination.hanweb
    assert hw is not None and hw.first_page_records == 6
    assert page.pagination.page_count == 258  # ceil(4895 / 19)


@pytest.mark.parametrize(
    "body",
    [
        '<div class="list"><p>暂无信息</p></div>',
        '<div class="list"><ul><li>本栏目暂无内容</li></ul></div>',
        '<table class="gkml"><tr><td colspan="4">没有记录</td></tr></table>',
        '<div class="con">暂无数据</div>',
        '<div class="con"><span>暂无内容</span></div>',
    ],
)
def test_placeholder_pages(body):
    html = f"""<html><body><div class="nav"><a href="/xxgk/">信息公开</a><a href="/zwdt/">政务动态</a>
    </div>{body}<div class="footer"><a href="/wzdt/">网站地图</a></div></body></html>"""
    page = extract_list(html, BASE, TODAY)
    assert page.items == []
    assert page.placeholder is True


def test_empty_hanweb_datastore_with_placeholder_record():
    html = """<div id="1"><script type="text/xml"><datastore><recordset>
    <record><![CDATA[<li>暂无信息</li>]]></record></recordset></datastore></script></div>"""
    page = extract_list(html, "http://h.gov.cn/col/col1/index.html", TODAY)
    assert page.items == [] and page.placeholder is True


def test_page_with_items_is_not_placeholder_even_if_a_side_box_is_empty():
    html = TRS_PAGE.replace(
        '<div class="yqlj">', '<div class="side">暂无信息</div><div class="yqlj">'
    )
    page = extract_list(html, BASE, TODAY)
    assert len(page.items) == 4 and page.placeholder is False


def test_duplicate_urls_keep_first_and_junk_links_are_skipped():
    html = """<html><body><ul class="list">
    <li><a href="./202611/t20261101_1.html">第一条通知标题内容</a><span>2026-11-01</span></li>
    <li><a href="javascript:void(0)">无效链接的标题</a><span>2026-11-01</span></li>
    <li><a href="#">锚点链接的标题文字</a><span>2026-11-01</span></li>
    <li><a href="mailto:a@b.cn">邮件链接的标题文字</a><span>2026-11-01</span></li>
    <li><a href="./202611/t20261101_1.html">重复的第一条通知</a><span>2026-11-02</span></li>
    <li><a href="./202610/t20261031_2.html">第二条通知标题内容</a><span>2026-10-31</span></li>
    </ul></body></html>"""
    page = extract_list(html, BASE, TODAY)
    assert [(i.title, i.url) for i in page.items] == [
        ("第一条通知标题内容", BASE + "202611/t20261101_1.html"),
        ("第二条通知标题内容", BASE + "202610/t20261031_2.html"),
    ]


def test_list_split_into_sibling_uls_is_read_whole():
    rows = [
        f'<li><a href="./2026{m:02d}/t2026{m:02d}01_{m}.html">第{m}月工作动态信息</a>'
        f"<span>2026-{m:02d}-01</span></li>"
        for m in range(10, 0, -1)
    ]
    html = f"""<html><body><div class="list"><ul class="ul1">{"".join(rows[:5])}</ul>
    <li class="line"></li><ul class="ul1">{"".join(rows[5:])}</ul></div></body></html>"""
    page = extract_list(html, BASE, TODAY)
    assert [i.date for i in page.items] == [date(2026, m, 1) for m in range(10, 0, -1)]


def test_empty_and_garbage_input():
    assert extract_list("", BASE, TODAY).items == []
    assert (
        extract_list('<?xml version="1.0" encoding="utf-8"?><html></html>', BASE, TODAY).items == []
    )


def test_twenty_item_page_is_fast():
    rows = "\n".join(
        f'<li><a href="./202611/t202611{d:02d}_{d}.html" title="关于第{d}项工作的通知">关于第{d}项工作的通知</a>'
        f'<span class="date">2026-11-{d:02d}</span></li>'
        for d in range(1, 21)
    )
    nav = "".join(f'<li><a href="/col{i}/">栏目{i}</a></li>' for i in range(40))
    html = (
        f"<html><head><style>{'.x{}' * 2000}</style></head><body><ul class='nav'>{nav}</ul>"
        f"<ul class='list'>{rows}</ul><script>createPageHTML(10, 0, 'index', 'html');</script>"
        f"<div class='footer'>{'版权所有 ' * 500}</div></body></html>"
    )
    extract_list(html, BASE, TODAY)
    runs = []
    for _ in range(20):
        t0 = time.perf_counter()
        page = extract_list(html, BASE, TODAY)
        runs.append(time.perf_counter() - t0)
    assert len(page.items) == 20
    runs.sort()
    assert runs[len(runs) // 2] < 0.005


def test_short_last_page_beats_a_longer_latest_news_side_box():
    side = "".join(
        f'<li><a href="/zwdt/202611/t202611{d:02d}_{d}.html">政务动态第{d}条新闻标题</a><span>2026-11-{d:02d}</span></li>'
        for d in range(1, 9)
    )
    html = f"""<html><body><div class="main"><ul class="list">
    <li><a href="./201801/t20180105_11.html">[置顶]关于开展2018年度统计调查的公告</a><span>2018-01-05</span></li>
    <li><a href="./201712/t20171228_10.html">关于年末统计报表报送的通知</a><span>2017-12-28</span></li>
    </ul></div><div class="right"><h3>最新信息</h3><ul>{side}</ul></div></body></html>"""
    page = extract_list(html, BASE + "index_7.html", TODAY)
    assert [(i.title, i.date) for i in page.items] == [
        ("关于开展2018年度统计调查的公告", date(2018, 1, 5)),
        ("关于年末统计报表报送的通知", date(2017, 12, 28)),
    ]


def test_one_wrapper_per_entry_list_beats_a_shorter_side_box():
    # enorth webpublisher (高安新闻网): each entry is its own <tr><td><div class=newsmb><dl>,
    # so every container holds one row; a 4-link side box must not outscore the 5 entries.
    rows = "".join(
        f'<tr><td><div class="newsmb"><dl><dt><a href="/system/2026/11/{d:02d}/0{d}.shtml" '
        f'title="第{d}条要闻">第{d}条要闻</a></dt><dd><a class=amore href="/system/2026/11/{d:02d}/0{d}.shtml">'
        f"查阅全文</a>发表于：2026/11/{d:02d}</dd></dl></div></td></tr>"
        for d in range(5, 0, -1)
    )
    side = "".join(
        f'<li><a href="/system/2026/10/{d:02d}/1{d}.shtml">2026年10月{d}日《新闻》</a></li>'
        for d in range(1, 5)
    )
    html = f"""<html><body><div class="con_wz"><table width="100%">{rows}</table></div>
    <div class="box"><h4>视频新闻</h4><ul>{side}</ul></div></body></html>"""
    page = extract_list(html, "http://www.example.com/hot/index.shtml", TODAY)
    assert [(i.title, i.date) for i in page.items] == [
        (f"第{d}条要闻", date(2026, 11, d)) for d in range(5, 0, -1)
    ]


def test_div_rows_and_labelled_dates():
    html = """<html><body><div class="nav"><a href="/">首页</a><a href="/xxgk/">信息公开</a></div>
    <div class="news-list">
      <div class="item"><h4><a href="/xxgk/tzgg/202611/t20261112_7.html">关于冬季供暖保障工作的通知</a></h4>
        <div class="info">发布时间：2026-11-12 09:30</div></div>
      <div class="item"><h4><a href="/xxgk/tzgg/202611/t20261105_6.html">关于道路施工交通管制的通告</a></h4>
        <div class="info">发布日期：2026年11月05日</div></div>
    </div></body></html>"""
    page = extract_list(html, BASE, TODAY)
    assert [(i.title, i.date, i.date_source) for i in page.items] == [
        ("关于冬季供暖保障工作的通知", date(2026, 11, 12), "list"),
        ("关于道路施工交通管制的通告", date(2026, 11, 5), "list"),
    ]


def test_blank_column_with_a_news_side_box_is_a_placeholder():
    html = """<html><body><div class="main"><div class="list">暂无信息</div></div>
    <div class="right"><ul>
      <li><a href="/zwdt/202611/t20261120_1.html">县政府召开常务会议研究工作</a><span>2026-11-20</span></li>
      <li><a href="/zwdt/202611/t20261118_2.html">全县经济运行情况分析会召开</a><span>2026-11-18</span></li>
    </ul></div></body></html>"""
    page = extract_list(html, BASE, TODAY)
    assert page.items == [] and page.placeholder is True


def test_lost_and_mismatched_href_quotes_do_not_swallow_rows():
    html = """<TABLE>
<TR><TD><A href="./201710/t20171019_398220.html target=_blank>区政府办公室关于开展安全生产大检查的通知</A></TD><TD>2017-10-18</TD></TR>
<TR><TD><A href='./201710/t20171016_398100.html" target=_blank>袁州区第三季度重点项目推进情况</A></TD><TD>2017-10-16</TD></TR>
</TABLE>"""
    page = extract_list(html, "http://www.yzq.gov.cn/zwgk/tzgg/", TODAY)
    assert [(i.title, i.url, i.date) for i in page.items] == [
        (
            "区政府办公室关于开展安全生产大检查的通知",
            "http://www.yzq.gov.cn/zwgk/tzgg/201710/t20171019_398220.html",
            date(2017, 10, 18),
        ),
        (
            "袁州区第三季度重点项目推进情况",
            "http://www.yzq.gov.cn/zwgk/tzgg/201710/t20171016_398100.html",
            date(2017, 10, 16),
        ),
    ]


def test_year_hidden_in_a_comment_before_a_month_day_date():
    # 太原杏花岭 政务公开: the template comments the year out and prints only MM-DD; the year in
    # the comment is the date's own (resolving 07-04 against today would move 2017 into 2018).
    html = """<ul id="dataGrid">
    <li class=""><a href="/xinghl/article/zcfg/a.jhtml" title="太原市城市地下管网条例">太原市城市地下管网条例</a>
      <span class="date"><!--\t\t2017-->\n\t\t07-04\n</span></li>
    <li class=""><a href="/xinghl/article/zcfg/b.jhtml" title="中华人民共和国公路法">中华人民共和国公路法</a><!-- 2015 -->06-19</li>
    <li class=""><a href="/xinghl/article/zcfg/c.jhtml" title="山西省价格监测办法">山西省价格监测办法</a>
      <span class="date"><!-- 编辑 -->06-16</span></li>
    </ul>"""
    page = extract_list(
        html, "http://www.sxtyxhl.gov.cn/xinghl/child/zwgk/index.jhtml", date(2018, 7, 7)
    )
    assert [i.date for i in page.items] == [date(2017, 7, 4), date(2015, 6, 19), date(2018, 6, 16)]


def test_rows_wrapped_one_per_table_row_form_one_list():
    # enorth style: each entry a dt+dd pair in its own <div> in its own <td>/<tr>; a side box
    # of eight dated links must not win over the twelve entries written one wrapper each.
    rows = "".join(
        f'<tr> <td > <div class="newsmb"><dl><dt><a href="/system/2026/11/{d:02d}/0164{d:05d}.shtml"'
        f' title="第{d}条要闻">第{d}条要闻</a></dt><dd><a class=amore'
        f' href="/system/2026/11/{d:02d}/0164{d:05d}.shtml">查阅全文</a>发表于：2026/11/{d:02d}</dd>'
        "</dl></div> </td> </tr>"
        for d in range(12, 0, -1)
    )
    side = "".join(
        f'<li><a href="/system/2026/10/{d:02d}/0163{d:05d}.shtml">2026年10月{d}日《新闻》</a></li>'
        for d in range(8, 0, -1)
    )
    html = f"""<html><body><div class="conn_left"><div class="con_wz"><table width="100%">{rows}
    </table></div></div><div class="wz_right"><div class="nav_name spp"><h4>视频新闻</h4>
    <ul>{side}</ul></div></div></body></html>"""
    page = extract_list(html, "http://www.example.gov.cn/hot/index.shtml", TODAY)
    assert [(i.title, i.date) for i in page.items] == [
        (f"第{d}条要闻", date(2026, 11, d)) for d in range(12, 0, -1)
    ]


def test_a_lone_entry_in_its_own_ul_stays_its_own_block():
    # A ul holding one li is a list on its own (a pager box inside an li, the last block of a
    # list split in fives): only plain wrappers (div, td, tr…) are looked through.
    html = """<html><body><ul class="list">
    <li><a href="./202611/t20261112_2.html">关于冬季供暖保障工作的通知</a><span>2026-11-12</span></li>
    <li><a href="./202611/t20261105_1.html">关于道路施工交通管制的通告</a><span>2026-11-05</span></li>
    <li><dl class="fenye">共25页 <a href="index_1.html">下一页</a>
    <font>更多信息请用<a href="/was5/web/adv.jsp">检索</a>查询</font></dl></li>
    </ul></body></html>"""
    page = extract_list(html, BASE, TODAY)
    assert [i.title for i in page.items] == [
        "关于冬季供暖保障工作的通知",
        "关于道路施工交通管制的通告",
    ]


def test_rows_written_into_a_comment_of_an_empty_list_box_are_read():
    """开普云 columns (jyt.gansu.gov.cn) keep page 1's rows in a comment of an empty `<ul>` for a
    page script to show; with no other list on the page, those rows are the list."""
    rows = "".join(
        f'<li><a target="_blank" href="/jyt/c1/2025{m:02d}/{m}.shtml" title="通知{m}">通知{m}</a>'
        f"<b>2025-{m:02d}-01</b></li>"
        for m in (11, 10, 9)
    )
    html = (
        '<div class="nav"><a href="/jyt/c2/zwgklist.shtml">政策法规</a>'
        '<a href="/jyt/c3/zwgklist.shtml">政策解读</a></div>'
        f'<div class="list"><ul class="xxgklist"><!--{rows}'
        "<script>createPageHTML('page_div',10, 1,'zwgklist','shtml',200);</script>--></ul></div>"
    )
    page = extract_list(html, "https://x.gov.cn/jyt/c1/zwgklist.shtml", date(2025, 11, 24))
    assert [(i.title, i.url, i.date) for i in page.items] == [
        (f"通知{m}", f"https://x.gov.cn/jyt/c1/2025{m:02d}/{m}.shtml", date(2025, m, 1))
        for m in (11, 10, 9)
    ]
    assert page.pagination.page_count == 10


def test_commented_out_rows_beside_a_real_list_stay_out():
    """A box that shows rows keeps its commented-out leftovers out of the items."""
    live = "".join(
        f'<li><a href="./2025{m:02d}/t{m}.html">新{m}</a><span>2025-{m:02d}-02</span></li>'
        for m in (11, 10)
    )
    old = "".join(
        f'<li><a href="./2019{m:02d}/t{m}.html">旧{m}</a><span>2019-{m:02d}-02</span></li>'
        for m in (11, 10)
    )
    html = f"<ul>{live}<!--{old}--></ul>"
    page = extract_list(html, "https://x.gov.cn/col/", date(2025, 11, 24))
    assert [i.title for i in page.items] == ["新11", "新10"]


def _jx_article(k: int) -> str:
    urls = '"{\\"pc\\":\\"/site/col/col9/content/content_' + str(k) + '.html\\"}"'
    return (
        '{"title":"解读'
        + str(k)
        + '","pubDate":"2025-0'
        + str(k)
        + '-01 10:00","urls":'
        + urls
        + ',"id":"'
        + str(k)
        + '"}'
    )


def test_list_drawn_from_inline_article_data_reads_its_first_page():
    """江西 集约化 columns (sthjt.jiangxi.gov.cn) draw the list from `var listData =
    {articleList: [...]}` with a handlebars template, `perPage` rows a page."""
    html = (
        "<html><head><base href='/site/'><script>"
        'var channelsTagSelf = {"code":"col9","articleCount":7,'
        '"urls":"{\\"pc\\":\\"/site/col/col9/index.html\\"}"};\n'
        "var listData = {\n  articleList: ["
        + ",".join(_jx_article(k) for k in (5, 4, 3, 2, 1))
        + "],\n};</script></head><body><div id='380055'></div>"
        "<script id='div380055' type='text/x-handlebars-template'><ul class='List_list'>"
        "{{#each data}}<li><a href='{{pcUrl}}' title='{{title}}'>{{title}}</a></li>{{/each}}"
        "</ul></script><script>var params = {current: 1, unitid: '380055', perPage: '3'};"
        "loadPageData(params, '380055');</script></body></html>"
    )
    page = extract_list(html, "https://x.gov.cn/site/", date(2025, 11, 25))
    assert [(i.title, i.url, i.date) for i in page.items] == [
        (f"解读{k}", f"https://x.gov.cn/site/col/col9/content/content_{k}.html", date(2025, k, 1))
        for k in (5, 4, 3)
    ]
    assert page.pagination.page_count == 3
    assert page.pagination.urls == [
        "https://x.gov.cn/site/col/col9/index.html?uid=380055&pageNum=2",
        "https://x.gov.cn/site/col/col9/index.html?uid=380055&pageNum=3",
    ]


def test_inline_article_data_does_not_replace_a_list_in_the_markup():
    html = (
        "<script>var listData = {articleList: ["
        + _jx_article(1)
        + "]};</script><ul>"
        + "".join(
            f'<li><a href="./2025{m:02d}/t{m}.html">新{m}</a><span>2025-{m:02d}-02</span></li>'
            for m in (11, 10)
        )
        + "</ul>"
    )
    page = extract_list(html, "https://x.gov.cn/col/", date(2025, 11, 25))
    assert [i.title for i in page.items] == ["新11", "新10"]
