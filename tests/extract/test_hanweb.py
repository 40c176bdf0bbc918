"""Hanweb dataproxy request building and reply parsing (cms.md §2.3, §2.4)."""

from __future__ import annotations

from datetime import date

import pytest

from crawler.extract.hanweb import (
    get_page_url,
    parse_datastore,
    parse_xxgk_search,
    post_group,
    proxy_candidates,
)
from crawler.extract.types import HanwebPaging

TODAY = date(2026, 11, 29)


def paging(per_page=15):
    return HanwebPaging(
        proxy_url="http://www.mx.gov.cn/module/web/jpage/dataproxy.jsp",
        params={
            "appid": "1",
            "webid": "3",
            "path": "/",
            "columnid": "33718",
            "unitid": "212860",
            "webname": "某县人民政府",
            "permissiontype": "0",
        },
        total_records=4895,
        per_page=per_page,
    )


@pytest.mark.parametrize(
    "named,expected",
    [
        (
            "http://a.gov.cn/module/web/jpage/dataproxy.jsp",
            [
                "http://a.gov.cn/module/web/jpage/dataproxy.jsp",
                "http://a.gov.cn/module/jslib/jquery/jpage/dataproxy.jsp",
                "http://a.gov.cn/module/jpage/dataproxy.jsp",
            ],
        ),
        (
            "https://b.gov.cn:8443/module/jpage/dataproxy.jsp?page=1",
            [
                "https://b.gov.cn:8443/module/jpage/dataproxy.jsp",
                "https://b.gov.cn:8443/module/web/jpage/dataproxy.jsp",
                "https://b.gov.cn:8443/module/jslib/jquery/jpage/dataproxy.jsp",
            ],
        ),
        (
            "http://c.gov.cn/site/dataproxy.jsp",
            [
                "http://c.gov.cn/site/dataproxy.jsp",
                "http://c.gov.cn/module/web/jpage/dataproxy.jsp",
                "http://c.gov.cn/module/jslib/jquery/jpage/dataproxy.jsp",
                "http://c.gov.cn/module/jpage/dataproxy.jsp",
            ],
        ),
    ],
)
def test_proxy_candidates(named, expected):
    assert proxy_candidates(named) == expected


def test_get_page_url_style_b():
    assert get_page_url(paging(), 2) == (
        "http://www.mx.gov.cn/module/web/jpage/dataproxy.jsp?page=2&appid=1&webid=3&path=/"
        "&columnid=33718&unitid=212860&permissiontype=0"
    )


@pytest.mark.parametrize(
    "per_page,group,query",
    [
        (15, 1, "startrecord=1&endrecord=45&perpage=15"),
        (20, 1, "startrecord=1&endrecord=60&perpage=20"),
        (27, 2, "startrecord=82&endrecord=162&perpage=27"),
    ],
)
def test_post_group_style_a(per_page, group, query):
    url, form = post_group(paging(per_page), group)
    assert url == "http://www.mx.gov.cn/module/web/jpage/dataproxy.jsp?" + query
    assert form == {
        "col": "1",
        "appid": "1",
        "webid": "3",
        "path": "/",
        "columnid": "33718",
        "sourceContentType": "1",
        "unitid": "212860",
        "webname": "某县人民政府",
        "permissiontype": "0",
    }


REPLY = """<?xml version="1.0" encoding="UTF-8"?>
<datastore><totalrecord>1928</totalrecord><totalpage>20</totalpage><recordset>
<record><![CDATA[<li class="cf"><a href="/art/2026/9/24/art_6372_11834669.html" title="关于秋季开学有关事项的通知" target="_blank">关于秋季开学有关事项的通知</a><span>2026-09-24</span></li>]]></record>
<record><![CDATA[
<tr><td><a href='/art/2017/4/24/art_31685_2451995.html' title='2017年财政预算公开说明'>2017年财政预算公开...</a></td><td>2017-04-24</td></tr>
]]></record>
<record>&lt;li&gt;&lt;a href="/art/2026/9/1/art_6372_3.html"&gt;实体编码的记录&lt;/a&gt;&lt;b&gt;2026-09-01&lt;/b&gt;&lt;/li&gt;</record>
<record><![CDATA[<li><a href="/art/2024/art_0123456789abcdef0123456789abcdef.html">新版无编号链接</a></li>]]></record>
</recordset></datastore>"""


def test_parse_datastore_reply():
    items, total, pages = parse_datastore(
        REPLY, "http://www.mx.gov.cn/module/web/jpage/dataproxy.jsp", TODAY
    )
    assert (total, pages) == (1928, 20)
    assert [(i.title, i.url, i.date, i.date_source) for i in items] == [
        (
            "关于秋季开学有关事项的通知",
            "http://www.mx.gov.cn/art/2026/9/24/art_6372_11834669.html",
            date(2026, 9, 24),
            "list",
        ),
        (
            "2017年财政预算公开说明",
            "http://www.mx.gov.cn/art/2017/4/24/art_31685_2451995.html",
            date(2017, 4, 24),
            "list",
        ),
        (
            "实体编码的记录",
            "http://www.mx.gov.cn/art/2026/9/1/art_6372_3.html",
            date(2026, 9, 1),
            "list",
        ),
        (
            "新版无编号链接",
            "http://www.mx.gov.cn/art/2024/art_0123456789abcdef0123456789abcdef.html",
            None,
            None,
        ),
    ]


def test_parse_datastore_empty_and_garbage():
    assert parse_datastore("", "http://a.gov.cn/", TODAY) == ([], None, None)
    assert parse_datastore("<html>502 Bad Gateway</html>", "http://a.gov.cn/", TODAY) == (
        [],
        None,
        None,
    )


XXGK = """<table class="tb_main"><tr class="tr_main_title"><td>序号</td><td>索引号</td><td>标题</td>
<td>发布机构</td><td>发文日期</td></tr>
<tr class="tr_main_value_odd"><td>1</td><td>002482410/2026-01234</td>
<td><a class="bt_link" href="/art/2026/3/5/art_1229_5.html" title="关于印发2026年政务公开工作要点的通知">关于印发2026年政务公开工作要点...</a></td>
<td>县政府办公室</td><td>2026-03-05</td></tr>
<tr class="tr_main_value_even"><td>2</td><td>002482410/2026-01200</td>
<td><a class="bt_link" href="/art/2026/2/1/art_1229_4.html">县人民政府关于表彰先进的决定</a></td>
<td>县政府办公室</td><td>2026-02-01</td></tr>
</table><div>共2条记录&nbsp;1/1页&nbsp;首页&nbsp;上一页&nbsp;下一页&nbsp;尾页</div>"""


def test_parse_xxgk_search_rows():
    items = parse_xxgk_search(XXGK, "http://www.fy.gov.cn/module/xxgk/search.jsp", TODAY)
    assert [(i.title, i.url, i.date, i.index_no, i.publisher) for i in items] == [
        (
            "关于印发2026年政务公开工作要点的通知",
            "http://www.fy.gov.cn/art/2026/3/5/art_1229_5.html",
            date(2026, 3, 5),
            "002482410/2026-01234",
            "县政府办公室",
        ),
        (
            "县人民政府关于表彰先进的决定",
            "http://www.fy.gov.cn/art/2026/2/1/art_1229_4.html",
            date(2026, 2, 1),
            "002482410/2026-01200",
            "县政府办公室",
        ),
    ]
