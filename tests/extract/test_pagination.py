"""find_pagination on the pager forms of cms.md §1.3 and §2: JS calls, JS variables, rendered
pagers, base64 pagers, next links and Hanweb jpage/nextgroup."""

from __future__ import annotations

import base64

import pytest

from crawler.extract._html import parse_html
from crawler.extract.jspager import page_count_hint
from crawler.extract.pagination import decode_webname, find_pagination

COL = "http://www.example.gov.cn/xxgk/tzgg/"


def series(base, name, ext, ks):
    return [f"{base}{name}_{k}.{ext}" for k in ks]


@pytest.mark.parametrize(
    "html,url,count,urls",
    [
        (  # the off-by-one case: 25 pages are index.shtml + index_1 … index_24
            '<script>createPageHTML(25, 0, "index", "shtml");</script>',
            COL + "index.shtml",
            25,
            series(COL, "index", "shtml", range(1, 25)),
        ),
        (
            "<script>createPageHTML(3,0,'index','htm')</script>",
            COL,
            3,
            [COL + "index_1.htm", COL + "index_2.htm"],
        ),
        (  # on page 4 (index_3): every other page 2..N, never the current one
            '<script>createPageHTML(5, 3, "index", "html");</script>',
            COL + "index_3.html",
            5,
            [COL + "index_1.html", COL + "index_2.html", COL + "index_4.html"],
        ),
        (  # function inlined in the page: ignore the definition, use the literal call
            """<script>function createPageHTML(_nPageCount,_nCurrIndex,_sPageName,_sPageExt){
            if(_nPageCount == null || _nPageCount<=1){ return; }
            var nCurrIndex = _nCurrIndex || 0;
            document.write("<a href=\\""+_sPageName+"_" + (nCurrIndex+1) + "."+_sPageExt+"\\">下一页</a>");
            }//WCM置标</script>
            <script>createPageHTML(120, 0, "index", "html");</script>""",
            COL + "index.html",
            120,
            series(COL, "index", "html", range(1, 120)),
        ),
        (  # container-first (CSRC/Sohu): page name fg, first page says current=1, pages 2..5
            # are fg_2..fg_5 on CSRC and fg_1..fg_4 elsewhere: page 1 cannot tell, so both ends
            # are offered (and marked optional: see test_container_first_ends_are_optional)
            "<script>createPageHTML('page_div',5, 1,'fg','shtml',89);</script>",
            "http://www.csrc.gov.cn/csrc/c106256/fg.shtml",
            5,
            series("http://www.csrc.gov.cn/csrc/c106256/", "fg", "shtml", range(1, 6)),
        ),
        (
            """<script>var currentPage = 0;//所在页从0开始
            var prevPage = currentPage-1//上一页
            var nextPage = currentPage+1//下一页
            var countPage = 4//共多少页
            var countnum=63;
            if(currentPage>0){document.write("<a href=\\"index_" + nextPage + ".shtml\\">下一页</a>");}
            </script>""",
            COL + "index.shtml",
            4,
            series(COL, "index", "shtml", range(1, 4)),
        ),
        (  # call with variables defined above it
            """<script>var countPage = 3; var currentPage = 0;
            createPageHTML(countPage, currentPage, "index", "html");</script>""",
            COL,
            3,
            [COL + "index_1.html", COL + "index_2.html"],
        ),
        ('<script>createPageHTML(1, 0, "index", "html");</script>', COL, 1, []),
        (  # a multi-page article: the detail stem is the page name
            '<script>createPageHTML(3, 0, "t20171117_5577604", "html");</script>',
            COL + "201711/t20171117_5577604.html",
            3,
            [
                COL + "201711/t20171117_5577604_1.html",
                COL + "201711/t20171117_5577604_2.html",
            ],
        ),
    ],
    ids=[
        "trs-25-shtml",
        "single-quotes-htm",
        "current-page-excluded",
        "inlined-definition",
        "container-first",
        "var-countPage",
        "call-with-vars",
        "single-page",
        "multi-page-detail",
    ],
)
def test_trs_js_pagers(html, url, count, urls):
    p = find_pagination(html, url)
    assert p.page_count == count
    assert p.urls == urls
    assert p.hanweb is None


RENDERED = """<div class="page">共25页&nbsp;<span id="pagenav_0">1</span>
<a id="pagenav_1" target="_self" href="index_1.html">2</a>
<a id="pagenav_2" target="_self" href="index_2.html">3</a>
<a id="pagenav_3" target="_self" href="index_3.html">4</a>
<a id="pagenav_4" target="_self" href="index_4.html">5</a>
<a id="pagenav_nextgroup" target="_self" href="index_9.html">下5页</a>
<a id="pagenav_tail" target="_self" href="index_24.html">尾页</a></div>"""


def test_rendered_trs_pager_expands_to_all_pages():
    p = find_pagination(f"<html><body>{RENDERED}</body></html>", COL + "index.html")
    assert p.page_count == 25
    assert p.urls == series(COL, "index", "html", range(1, 25))


def test_rendered_pager_from_a_later_page_skips_current():
    html = RENDERED.replace('<span id="pagenav_0">1</span>', '<a href="index.html">1</a>')
    html = html.replace(
        '<a id="pagenav_2" target="_self" href="index_2.html">3</a>', "<span>3</span>"
    )
    p = find_pagination(html, COL + "index_2.html")
    assert COL + "index_2.html" not in p.urls
    assert p.urls[0] == COL + "index_1.html" and p.urls[-1] == COL + "index_24.html"
    assert len(p.urls) == 23


def test_hanweb_query_paging_with_tail_link():
    html = """<div class="pages"><a href="?uid=380055&pageNum=1">首页</a>
    <a href="?uid=380055&pageNum=2">下一页</a><a href="?uid=380055&pageNum=6">尾页</a>
    <span>共6页</span></div>"""
    url = "http://www.zj.gov.cn/col/col42150/index.html"
    p = find_pagination(html, url)
    assert p.page_count == 6
    assert p.urls == [f"{url}?uid=380055&pageNum={n}" for n in range(2, 7)]


@pytest.mark.parametrize(
    "total,hint",
    [("共 6 页", 6), ("共6页", 6), ("共1234567890页", None), ("共页", None)],
)
def test_rendered_pager_total_is_the_shared_count_pattern(total: str, hint: int | None):
    # The rendered-link reader and the script-pager hint read 共N页 with one pattern: spaced
    # or not, and never a count beyond nine digits (the 尾页 link decides the series then).
    html = f"""<div class="pages"><a href="?uid=1&pageNum=2">下一页</a>
    <a href="?uid=1&pageNum=6">尾页</a><span>{total}</span></div>"""
    url = "http://www.zj.gov.cn/col/col42150/index.html"
    p = find_pagination(html, url)
    assert p.page_count == 6 and p.urls[-1] == url + "?uid=1&pageNum=6"
    assert page_count_hint(parse_html(html), html) == hint


def test_plain_next_link_returns_just_the_next_page():
    html = """<div class="fy"><a href="list_1.html">1</a><a href="list_2.html">2</a>
    <a href="list_3.html">3</a><a href="list_2.html">下一页</a></div>"""
    p = find_pagination(html, COL + "list_1.html")
    assert p.urls == [COL + "list_2.html"]
    assert p.page_count is None


def test_next_link_with_gt_text_in_a_pager_box():
    html = '<div class="pagination"><span>1</span><a href="/news/page/2/">&gt;</a></div>'
    p = find_pagination(html, "http://www.example.gov.cn/news/")
    assert p.urls == ["http://www.example.gov.cn/news/page/2/"]


def test_base64_pager():
    def enc(s):
        return base64.b64encode(s.encode()).decode()

    html = f"""<div id="pages"><span class="current">1</span>
    <a href="javascript:;" onclick="location.href=atob('{enc("index_1.html")}')">2</a>
    <a href="javascript:;" onclick="location.href=atob('{enc("index_2.html")}')">3</a>
    <a href="javascript:;" onclick="location.href=atob('{enc("index_6.html")}')">尾页</a>
    <span>共7页</span></div>"""
    p = find_pagination(html, COL + "index.html")
    assert p.page_count == 7
    assert p.urls == series(COL, "index", "html", range(1, 7))


def test_no_pager():
    p = find_pagination("<html><body><ul><li><a href='a.html'>A</a></li></ul></body></html>", COL)
    assert p.urls == [] and p.page_count is None and p.hanweb is None


def test_next_link_to_current_page_is_dropped():
    html = '<div class="page"><a href="index.html">下一页</a></div>'
    assert find_pagination(html, COL + "index.html").urls == []


HANWEB = """<div id="212860"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=3&path=/&columnid=33718&unitid=212860&webname=%25E6%259F%2590%25E5%258E%25BF%25E4%25BA%25BA%25E6%25B0%2591%25E6%2594%25BF%25E5%25BA%259C&permissiontype=0"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href="/art/2026/9/11/art_33718_1.html">A</a><span>2026-09-11</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2026/9/10/art_33718_2.html">B</a><span>2026-09-10</span></li>]]></record>
</recordset></datastore></script></div>
<script type="text/javascript">
$('#212860').jpage({ totalRecord:4895, perPage:19, proxyUrl:'/module/web/jpage/dataproxy.jsp',
  ajaxParam:{col:1,appid:1,webid:3,path:'/',columnid:33718,sourceContentType:1,unitid:212860,permissiontype:0} });
</script>"""


def test_hanweb_jpage_and_double_encoded_webname():
    p = find_pagination(HANWEB, "http://www.mx.gov.cn/col/col33718/index.html")
    assert p.urls == []
    assert p.page_count == 258
    hw = p.hanweb
    assert hw.proxy_url == "http://www.mx.gov.cn/module/web/jpage/dataproxy.jsp"
    assert hw.total_records == 4895 and hw.per_page == 19 and hw.first_page_records == 2
    assert hw.params == {
        "appid": "1",
        "webid": "3",
        "path": "/",
        "columnid": "33718",
        "unitid": "212860",
        "webname": "某县人民政府",
        "permissiontype": "0",
        "col": "1",
        "sourceContentType": "1",
    }


def test_hanweb_nextgroup_only_with_old_proxy_path():
    html = """<script type="text/xml"><datastore><nextgroup><![CDATA[<a href='/module/jslib/jquery/jpage/dataproxy.jsp?page=1&webid=7&path=/&columnid=5&unitid=9&webname=%E6%9F%90%E5%B8%82&permissiontype=0'></a>]]></nextgroup>
    <recordset></recordset></datastore></script>"""
    p = find_pagination(html, "http://a.gov.cn/col/col5/index.html")
    hw = p.hanweb
    assert hw.proxy_url == "http://a.gov.cn/module/jslib/jquery/jpage/dataproxy.jsp"
    assert hw.params["webname"] == "某市" and hw.params["columnid"] == "5"
    assert hw.params["appid"] == "1"  # the standard default when a page omits it
    assert hw.total_records is None and p.page_count is None


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("%E6%9F%90%E5%8E%BF", "某县"),
        ("%25E6%259F%2590%25E5%258E%25BF", "某县"),
        ("%C4%B3%CF%D8", "某县"),  # GBK bytes
        ("某县", "某县"),
    ],
)
def test_decode_webname(raw, expected):
    assert decode_webname(raw) == expected


def test_container_first_ends_are_optional():
    """A 404 on either end of an ambiguous container-first series is the other convention."""
    p = find_pagination(
        "<script>createPageHTML('page_div',5, 1,'fg','shtml',89);</script>",
        "http://www.csrc.gov.cn/csrc/c106256/fg.shtml",
    )
    base = "http://www.csrc.gov.cn/csrc/c106256/"
    assert p.optional == [base + "fg_1.shtml", base + "fg_5.shtml"]
    # Later pages know their own suffix: nothing is optional there.
    later = find_pagination(
        "<script>createPageHTML('page_div',5, 2,'fg','shtml',89);</script>", base + "fg_2.shtml"
    )
    assert later.optional == []
