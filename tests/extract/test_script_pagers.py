"""Pagers whose controls carry no usable href: handlers, hidden inputs, forms, bare 共N页."""

from __future__ import annotations

from datetime import date

import pytest

from crawler.extract.jsexpr import evaluate
from crawler.extract.jspager import SERIES_LIMIT
from crawler.extract.pagination import find_pagination

URL = "http://www.x.gov.cn/xxgk/tzgg/index.html"


@pytest.mark.parametrize(
    ("expr", "names", "want"),
    [
        ("'index_' + (n - 1) + '.html'", {"n": 3}, "index_2.html"),
        ('n == 1 ? "index.html" : "index_" + (n-1) + ".html"', {"n": 1}, "index.html"),
        ('n == 1 ? "index.html" : "index_" + (n-1) + ".html"', {"n": 4}, "index_3.html"),
        (
            "base + '?pageNo=' + parseInt(p, 10)",
            {"base": "list.jspx", "p": 2},
            "list.jspx?pageNo=2",
        ),
        ("'a' + 1 + 2", {}, "a12"),  # JavaScript's left-to-right concatenation
        ("1 + 2 + 'a'", {}, "3a"),
        ("document.cookie", {}, None),  # outside the subset: cannot tell, never a guess
        ("alert(1)", {}, None),
        ("'x' +", {}, None),
    ],
)
def test_evaluate(expr: str, names: dict, want: object) -> None:
    assert evaluate(expr, names) == want


def _page(pager: str, script: str = "") -> str:
    rows = "".join(
        f'<li><a href="./t2026110{i}_{i}.html">通知{i}</a><span>2026-11-0{i}</span></li>'
        for i in range(1, 6)
    )
    return f"<html><body><ul class='list'>{rows}</ul><div class='page'>{pager}</div><script>{script}</script></body></html>"


def test_onclick_goto_page_with_ternary_url() -> None:
    html = _page(
        '<a href="javascript:void(0)" onclick="gotoPage(2)">2</a>'
        '<a href="javascript:void(0)" onclick="gotoPage(3)">3</a>'
        '<a href="#" onclick="gotoPage(4)">尾页</a>',
        "function gotoPage(n){ if (n == 1) { location.href = 'index.html'; } "
        "else { location.href = 'index_' + (n - 1) + '.html'; } }",
    )
    p = find_pagination(html, URL)
    assert p.page_count == 4
    assert p.urls == [
        "http://www.x.gov.cn/xxgk/tzgg/index_1.html",
        "http://www.x.gov.cn/xxgk/tzgg/index_2.html",
        "http://www.x.gov.cn/xxgk/tzgg/index_3.html",
    ]
    assert p.unreadable is None


def test_javascript_href_handler_with_page_variable_and_hidden_total() -> None:
    html = _page(
        '<input type="hidden" id="totalPage" value="6"><a href="javascript:goPage(2);">下一页</a>',
        "var listUrl = '/xxgk/tzgg/list.jsp';\n"
        "function goPage(page) { var url = listUrl + '?page=' + page; window.location.href = url; }",
    )
    p = find_pagination(html, URL)
    assert p.page_count == 6
    assert p.urls[0] == "http://www.x.gov.cn/xxgk/tzgg/list.jsp?page=2"
    assert p.urls[-1] == "http://www.x.gov.cn/xxgk/tzgg/list.jsp?page=6"


def test_javascript_href_with_a_quoted_page_argument() -> None:
    # 江西省旅游发展委员会 (Column.shtml?p5=28): the page number is a quoted string inside the
    # double-quoted href; the quote repair must not take the inner ' for a mismatched closing one.
    html = _page(
        "共&nbsp;1367页 <A href=\"javascript:gotoCurrentPage('2')\">下一页</A>"
        " <A href=\"javascript:gotoCurrentPage('1367')\">尾页</A>",
        "function gotoCurrentPage(pageNo) {\nif(pageNo=='1')\nwindow.location=\"Column.shtml?p5=28\";"
        '\nelse\nwindow.location="Column.shtml?p5=28&p7="+pageNo;\n}',
    )
    p = find_pagination(html, "http://www.x.gov.cn/Column.shtml?p5=28")
    assert p.page_count == 1367
    assert p.urls[0] == "http://www.x.gov.cn/Column.shtml?p5=28&p7=2"


def test_posted_page_form_becomes_get() -> None:
    html = _page(
        '<form id="pageForm" action="/xxgk/list.jspx" method="post">'
        '<input type="hidden" name="channelId" value="12"><input type="hidden" name="pageNo" value="1">'
        '</form>共3页 <a href="javascript:;" onclick="toPage(2)">下一页</a>',
        "function toPage(p){ document.getElementById('pageForm').pageNo.value = p;"
        " document.getElementById('pageForm').submit(); }",
    )
    p = find_pagination(html, URL)
    assert p.page_count == 3
    assert p.urls == [
        "http://www.x.gov.cn/xxgk/list.jspx?channelId=12&pageNo=2",
        "http://www.x.gov.cn/xxgk/list.jspx?channelId=12&pageNo=3",
    ]


def test_bare_page_count_without_any_link_is_unreadable_not_silent() -> None:
    p = find_pagination(_page("共 7 页 当前第 1 页"), URL)
    assert p.page_count == 7 and not p.urls
    assert p.unreadable and "7 pages" in p.unreadable


def test_handler_whose_url_cannot_be_read_is_reported() -> None:
    html = _page(
        '<a onclick="turn(2)">2</a><a onclick="turn(3)">3</a>', "function turn(n){ ajaxLoad(n); }"
    )
    p = find_pagination(html, URL)
    assert p.page_count == 3 and not p.urls
    assert p.unreadable and "turn" in p.unreadable


def test_one_page_pager_is_neither_paged_nor_unreadable() -> None:
    p = find_pagination(_page("共1页 <span>下一页</span>"), URL)
    assert not p.urls and p.unreadable is None


def test_page_count_bomb_builds_a_bounded_series() -> None:
    for pager in (
        '<script>createPageHTML(99999999, 0, "index", "html");</script>',
        "<script>var countPage = 99999999;</script>",
        '<a onclick="gotoPage(99999999)">尾页</a><script>function gotoPage(n){location.href="index_"+n+".html"}</script>',
    ):
        p = find_pagination(_page(pager), URL)
        assert p.page_count == 99999999
        assert 0 < len(p.urls) <= SERIES_LIMIT + 1


def test_hanweb_nextgroup_href_holding_quotes() -> None:
    html = (
        '<div id="div1"></div><script type="text/xml"><datastore><nextgroup><![CDATA['
        "<a href=\"/module/web/jpage/dataproxy.jsp?page=1&webid=2&path='/'&columnid=123&unitid=456\">"
        "]]></nextgroup><recordset></recordset></datastore></script>"
    )
    p = find_pagination(html, "http://www.h.gov.cn/col/col123/index.html")
    assert p.hanweb is not None
    assert p.hanweb.params["columnid"] == "123" and p.hanweb.params["path"] == "'/'"


def test_hidden_spider_links_forward_and_backward() -> None:
    hidden = (
        "<div style='display:none'>"
        + "".join(f"<a href='list_{n}.html'></a>" for n in range(1, 6))
        + "</div>"
    )
    forward = find_pagination(_page("共5页" + hidden, ""), URL)
    assert forward.urls[0] == "http://www.x.gov.cn/xxgk/tzgg/list_1.html"
    backward = find_pagination(
        _page(
            hidden, "maxPageNum = 5; url=createUrl(pageName-1); s += '<a href='+url+'>下页</a>';"
        ),
        URL,
    )
    # Numbered backwards: the newest page is the column index and list_5; page 2 is list_4.
    assert backward.page_count == 5
    assert backward.urls[:2] == [
        "http://www.x.gov.cn/xxgk/tzgg/list_4.html",
        "http://www.x.gov.cn/xxgk/tzgg/list_3.html",
    ]


def test_pager_links_that_go_by_onclick_location_and_a_records_slash_pages_total() -> None:
    """JEECMS: `<a href="#" onclick="location.href='index_5.jhtml'">` and 共N条记录 6/66页."""
    from crawler.extract.listing import extract_list

    url = "http://www.x.gov.cn/lykb/index_6.jhtml"
    links = "".join(
        f'<a class="Num" href="#" onclick="location.href=\'index_{n}.jhtml\'">{n}</a>'
        for n in (4, 5, 6, 7, 8)
    )
    html = (
        '<ul class="news-list"><li><a href="/lykb/9010.jhtml">某某活动圆满落幕</a>'
        "<span>2017-12-20</span></li></ul>"
        f'<div class="pagination"><span>共1648条记录 6/66页</span>'
        f'<a href="#" onclick="location.href=\'index.jhtml\'">1</a>{links}'
        '<a href="#" onclick="location.href=\'index_66.jhtml\'">尾页</a></div>'
    )
    page = extract_list(html, url, date(2018, 1, 1))
    assert page.pagination.page_count == 66
    assert page.pagination.urls[0] == "http://www.x.gov.cn/lykb/index_2.jhtml"
    assert len(page.pagination.urls) == 64  # every page but this one (6) and the first


def test_quoted_page_number_in_a_double_quoted_javascript_href() -> None:
    # 江西省旅游发展委员会 (www.jxta.gov.cn): `href="javascript:gotoCurrentPage('2')"`; the single
    # quotes belong to the value and must not be taken for a mismatched closing quote.
    html = (
        "<table><tr><td><a href='News.shtml?p5=1'>通知</a></td><td>2017-10-05</td></tr></table>"
        "<form>共&nbsp;192页&nbsp;当前页:&nbsp;1&nbsp;首页&nbsp;上一页&nbsp;"
        "<select name='pageNo' onChange='javascript:gotoCurrentPage(this.value)'>"
        "<option value='1' selected='selected' >1/192</option><option value='2'>2/192</option>"
        "</select>页&nbsp;<A href=\"javascript:gotoCurrentPage('2')\">下一页</A>&nbsp;"
        "<A href=\"javascript:gotoCurrentPage('192')\">尾页</A>\n<script>\n"
        "function gotoCurrentPage(pageNo) {\nif(pageNo=='1')\n"
        'window.location="Column.shtml?p5=26";\nelse\n'
        'window.location="Column.shtml?p5=26&p7="+pageNo;\n}\n</script></form>'
    )
    p = find_pagination(html, "http://www.jxta.gov.cn/Column.shtml?p5=26")
    assert p.page_count == 192
    assert p.urls[:2] == [
        "http://www.jxta.gov.cn/Column.shtml?p5=26&p7=2",
        "http://www.jxta.gov.cn/Column.shtml?p5=26&p7=3",
    ]


def test_zero_padded_tab_codes_are_not_page_numbers() -> None:
    # 国家公共资源交易平台 project page: tabs `<li onclick="clickHead('0204')">更正事项</li>` switch
    # notice types; '0204' is a type code, not page 204.
    html = (
        "<html><body><ul class='ul_toggle'>"
        "<li id='t_0201' onclick=\"clickHead('0201')\">采购公告</li>"
        "<li id='t_0204' onclick=\"clickHead('0204')\">更正事项</li></ul>"
        "<ul><li><a href='javascript:;' onclick=\"showDetail(this, '0201','/b/1.html')\">某项目公告</a>"
        "<span>2026-01-05</span></li></ul></body></html>"
    )
    p = find_pagination(html, URL)
    assert p.page_count is None and p.unreadable is None


def test_page_form_read_by_a_script_request_is_not_turned_into_a_get() -> None:
    # 全国公共资源交易平台 dealList.html: getList(n) sets the form's PAGENUMBER and POSTs the
    # serialized form to /information/pubTradingInfo/getTradList by $.ajax; the form itself is
    # never submitted, so dealList.html?…&PAGENUMBER=2 would answer page 1 again.
    html = _page(
        '<form id="FIND" method="post"><input type="hidden" name="DEAL_TIME" value="02">'
        '<input type="hidden" name="PAGENUMBER" value="1"></form>'
        '<a href="javascript:getList(1)">1</a><a href="javascript:getList(2)">2</a>'
        '<a href="javascript:getList(9)">9</a><span>共 9 页</span>',
        "function getList(pagenum) { currentPage = pagenum || 1; getList1(currentPage); }"
        " function getList1(pagenum) { document.getElementById('PAGENUMBER').value = pagenum;"
        " $.ajax({type: 'POST', url: '/api/getTradList', data: $('#FIND').serializeArray()}); }",
    )
    p = find_pagination(html, URL)
    assert p.page_count == 9 and not p.urls
    assert p.unreadable and "getList" in p.unreadable


def test_page_form_submitted_by_a_handler_that_also_requests_is_still_a_get() -> None:
    html = _page(
        '<form id="pageForm" action="/xxgk/list.jspx" method="post">'
        '<input type="hidden" name="pageNo" value="1"></form>共3页'
        '<a href="javascript:;" onclick="toPage(2)">下一页</a>',
        "function toPage(p){ $.post('/stat/hit'); document.getElementById('pageForm').pageNo.value = p;"
        " document.getElementById('pageForm').submit(); }",
    )
    p = find_pagination(html, URL)
    assert p.page_count == 3
    assert p.urls == [
        "http://www.x.gov.cn/xxgk/list.jspx?pageNo=2",
        "http://www.x.gov.cn/xxgk/list.jspx?pageNo=3",
    ]
