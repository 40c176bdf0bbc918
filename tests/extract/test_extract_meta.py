"""Meta block and 公开目录表头 on strings and on the two real Ucap pages (cms.md §1.5, §3.1)."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest

from crawler.extract.meta import extract_detail, extract_meta, text_segments
from crawler.extract.waf import classify_block

TODAY = date(2026, 9, 10)
URL = "http://www.example.gov.cn/zwgk/202605/t20260530_1.html"


def _real_pages_dir() -> Path:
    """The real-page corpus (tests/real_pages/pages, sources in SOURCES.md)."""
    return Path(__file__).resolve().parents[1] / "real_pages" / "pages"


@pytest.fixture(scope="module")
def portal_html() -> str:
    return (_real_pages_dir() / "ucap-wanzai-county-portal-detail.html").read_text("utf-8")


@pytest.fixture(scope="module")
def xxgk_html() -> str:
    return (_real_pages_dir() / "ucap-wanzai-county-xxgk-detail.html").read_text("utf-8")


# ---------------------------------------------------------------- extract_meta


def test_meta_attribute_order_duplicates_and_empties() -> None:
    html = """<html><head>
    <meta http-equiv="Content-Type" content="text/html; charset=utf-8">
    <meta content="" name="SiteName" />
    <meta content="万载县人民政府" name="SiteName" />
    <meta name="SiteName" content="第二个不算">
    <meta name='SiteIDCode' content='3609220011'>
    <meta name=ColumnType content=信息公开，政策文件>
    <meta name="ContentSource" content="">
    <meta name="ContentSource" content="">
    <meta NAME="pubdate" CONTENT="2025-07-14 01:59">
    <meta name="ArticleTitle" content="关于&ldquo;十五五&rdquo;规划的通知 &amp; 附件">
    <!-- <meta name="Keywords" content="commented out"> -->
    <meta name="others" content="页面生成时间 2023-08-16 10:33:59">
    </head><body><meta name="Description" content="in body, ignored"></body></html>"""
    assert extract_meta(html) == {
        "SiteName": "万载县人民政府",
        "SiteIDCode": "3609220011",
        "ColumnType": "信息公开，政策文件",
        "ContentSource": "",
        "PubDate": "2025-07-14 01:59",
        "ArticleTitle": "关于“十五五”规划的通知 & 附件",
        "others": "页面生成时间 2023-08-16 10:33:59",
    }


def test_meta_without_head_end_scans_whole_text() -> None:
    assert extract_meta('<meta name="SiteDomain" content=" www.x.gov.cn ">') == {
        "SiteDomain": "www.x.gov.cn"
    }


def test_meta_empty_input() -> None:
    assert extract_meta("") == {}
    assert extract_meta("<html><head></head></html>") == {}


def test_meta_real_portal(portal_html: str) -> None:
    meta = extract_meta(portal_html)
    assert meta["SiteName"] == "万载县人民政府"
    assert meta["SiteDomain"] == "www.wanzai.gov.cn"
    assert meta["SiteIDCode"] == "3609220011"
    assert meta["ColumnName"] == "统计公报"
    assert meta["ColumnType"] == "统计公报"
    assert meta["ArticleTitle"] == "万载县2015年国民经济和社会发展统计公报"
    assert meta["PubDate"] == "2022-04-24 10:00:43"
    assert meta["ContentSource"] == ""
    assert meta["Keywords"] == ""
    assert meta["template,templategroup,version"] == (
        "3e2051609b2c4c7e93f049b0f77feb2f,default,1.0"
    )


def test_meta_real_xxgk_with_duplicated_site_block(xxgk_html: str) -> None:
    meta = extract_meta(xxgk_html)
    assert list(meta)[:3] == ["SiteName", "SiteDomain", "SiteIDCode"]
    assert meta["SiteIDCode"] == "3609220011"
    assert meta["ColumnName"] == "统计数据"
    assert meta["ColumnDescription"] == "统计数据"
    assert meta["PubDate"] == "2023-08-16 10:33:59"
    assert meta["ContentSource"] == "万载县统计局"
    assert meta["Description"] == ""


# ---------------------------------------------------------------- real detail pages


def test_real_portal_detail_keeps_visible_and_meta_dates_apart(portal_html: str) -> None:
    url = "http://www.wanzai.gov.cn/wzxrmzf/tjgb/201705/9c059bf058ef4db8b3c8f920e22186fe.shtml"
    d = extract_detail(portal_html, url, TODAY)
    assert d.title == "万载县2015年国民经济和社会发展统计公报"
    assert d.pub_date == date(2017, 5, 15)  # visible 发布日期 (in <publishtime>)
    assert d.meta_pub_date == date(2022, 4, 24)  # migration re-stamp
    assert d.index_no is None
    assert d.doc_no is None
    assert d.publisher is None  # 来源： is empty on this page; 访问量 must not leak in
    assert d.written_date is None
    assert d.meta["SiteIDCode"] == "3609220011"


def test_real_xxgk_detail_ucap_dl_block(xxgk_html: str) -> None:
    url = "http://www.wanzai.gov.cn/wzxrmzf/tjsja/202305/7215380191c5400397df5d7d0b5fd06b.shtml"
    d = extract_detail(xxgk_html, url, TODAY)
    assert d.title == "万载县2022年国民经济和社会发展统计公报"
    assert d.index_no == "014742224A/2023-0043406"
    assert d.written_date == date(2023, 5, 11)  # 生成日期
    assert d.publisher == "万载县统计局"  # 责任部门
    assert d.doc_no is None
    # No visible 发布日期 on this page: pub_date falls back to the meta.
    assert d.pub_date == date(2023, 8, 16)
    assert d.meta_pub_date == date(2023, 8, 16)


# ---------------------------------------------------------------- label variants

GOV_CN_TABLE = """<html><head><title>国务院关于印发某方案的通知_政府信息公开专栏</title></head><body>
<table class="bd1"><tbody>
<tr><td><b>索&nbsp;&nbsp;引&nbsp;&nbsp;号：</b></td><td>000014349/2018-00222</td>
    <td><b>主题分类：</b></td><td>综合政务\\其他</td></tr>
<tr><td><b>发文机关：</b></td><td>国务院</td><td><b>成文日期：</b></td><td>2018年07月31日</td></tr>
<tr><td><b>标　　题：</b></td><td>国务院关于印发某方案的通知</td></tr>
<tr><td><b>发文字号：</b></td><td>国发〔2018〕43号</td>
    <td><b>发布日期：</b></td><td>2018年08月03日</td></tr>
</tbody></table>
<div id="UCAP-CONTENT"><p>各省、自治区、直辖市人民政府……</p></div></body></html>"""

OLD_TABLE = """<HTML><HEAD><TITLE>关于做好2021年度工作的通知 - 某某县人民政府</TITLE></HEAD><BODY>
<TABLE><TR><TD><B>索 引 号：</B>000747761/2016-00054</TD><TD><B>主题分类：</B>综合</TD></TR>
<TR><TD><B>发布机构：</B>某某县人社局</TD><TD><B>发文日期：</B>2021-03-02</TD></TR>
<TR><TD colspan=2><B>名&nbsp;&nbsp;称：</B>关于做好2021年度工作的通知</TD></TR>
<TR><TD><B>文　　号：</B>某人社发[2021]7号</TD><TD><B>发布日期：</B>2021-03-05</TD></TR>
</TABLE></BODY></HTML>"""

UCAP_DL = """<div class="meta-data"><dl class="clearfix">
<dd class="addWidth IndexNo"><label><font>索 引 号：</font></label>
  <div class="display-block">
    11441200MB2C91453G/2026-00271
  </div></dd>
<dd class="addWidth scrq"><label><font>生成日期：</font></label>
  <div class="display-block"> 2026-01-20 </div></dd>
<dd class="addWidth gkfs"><label><font>公开方式：</font></label>
  <div class="display-block">主动公开</div></dd>
<dd class="addWidth ReleaseMechanism"><label><font>责任部门：</font></label>
  <div class="display-block">某某镇人民政府</div></dd>
</dl></div>
<h1 class="zz-name">某某县人民政府-</h1>
<h1 class="article-title"><ucaptitle>某某镇2025年政府信息公开工作年度报告</ucaptitle></h1>"""

INLINE_SPANS = """<html><head><title>深圳市某局 | 关于公布2026年第一批名单的公告</title></head>
<body><h1>关于公布2026年第一批名单的公告</h1>
<div class="info"><span>发布时间：2026-01-22 11:40:11 来源：深圳市某局</span>
<span>文号：浙人社发〔2025〕52 号</span><span>字号：大 中 小</span></div>
<p>名称可以出现在正文中：产品名称：不应被当作标题。</p></body></html>"""


def test_gov_cn_table() -> None:
    d = extract_detail(GOV_CN_TABLE, URL, TODAY)
    assert d.title == "国务院关于印发某方案的通知"
    assert d.index_no == "000014349/2018-00222"
    assert d.publisher == "国务院"
    assert d.written_date == date(2018, 7, 31)
    assert d.doc_no == "国发〔2018〕43号"
    assert d.pub_date == date(2018, 8, 3)
    assert d.meta_pub_date is None
    assert d.meta == {}


def test_old_table_with_bold_labels_and_nbsp_name() -> None:
    d = extract_detail(OLD_TABLE, URL, TODAY)
    assert d.title == "关于做好2021年度工作的通知"  # 名&nbsp;&nbsp;称 label, before <title>
    assert d.index_no == "000747761/2016-00054"
    assert d.publisher == "某某县人社局"
    assert d.written_date == date(2021, 3, 2)  # 发文日期
    assert d.doc_no == "某人社发[2021]7号"
    assert d.pub_date == date(2021, 3, 5)


def test_county_ucap_dl() -> None:
    d = extract_detail(UCAP_DL, URL, TODAY)
    assert d.title == "某某镇2025年政府信息公开工作年度报告"
    assert d.index_no == "11441200MB2C91453G/2026-00271"
    assert d.written_date == date(2026, 1, 20)
    assert d.publisher == "某某镇人民政府"
    assert d.pub_date is None


def test_inline_spans_cut_at_next_label() -> None:
    d = extract_detail(INLINE_SPANS, URL, TODAY)
    assert d.title == "关于公布2026年第一批名单的公告"  # longest <h1>
    assert d.pub_date == date(2026, 1, 22)
    assert d.doc_no == "浙人社发〔2025〕52号"  # stray space before 号 removed
    # The page shows a 表头 label (文号) and no 发布机构: its 来源 is a content source.
    assert d.publisher is None


def _article(info: str) -> str:
    return (
        "<html><body><h1>某某局2022年工作总结及2023年工作计划</h1>"
        f'<div class="info"><span>时间：2023-12-14 17:20</span>{info}</div>'
        "<div class=TRS_Editor><p>正文。资料来源：统计年鉴。</p></div></body></html>"
    )


@pytest.mark.parametrize(
    "info,publisher",
    [
        # No 表头 at all: the 来源 line is the only organ the page names (Pingtan's template).
        (
            '<span class="article_source">来源：平潭综合实验区党工委管委会</span>',
            "平潭综合实验区党工委管委会",
        ),
        ("<span>来源：</span><span>某某县人民政府办公室</span>", "某某县人民政府办公室"),
        ("<span>来 源：某某县统计局 浏览次数：12</span>", "某某县统计局"),
        # Not a government body: a newspaper, the site, an outlet.
        ("<span><i>来源：</i>\n  山西日报\n</span>", None),
        ("<span>来源：本站</span>", None),
        ("<span>来源：中国政府网</span>", None),
        ("<span>来源：某某县融媒体中心</span>", None),
        ("<span>来源：</span>", None),
        # 信息来源 / 资料来源 are not the bare 来源 label (a hand-checked Hanweb page reads
        # 信息来源：省发改委 as a source).
        ("<span>信息来源：省发改委</span>", None),
        # A 表头 label on the page (even empty): 来源 stays a content source.
        ("<span>来源：某某县统计局</span><span>索引号：</span>", None),
        ("<span>来源：某某县统计局</span><span>发布机构：某某县人民政府</span>", "某某县人民政府"),
    ],
)
def test_source_line_is_the_publisher_only_on_pages_without_a_table_head(
    info: str, publisher: str | None
) -> None:
    assert extract_detail(_article(info), URL, TODAY).publisher == publisher


def test_meta_pub_date_used_when_no_visible_date() -> None:
    html = (
        '<head><meta name="PubDate" content="2025-07-14 01:59">'
        '<meta name="ArticleTitle" content="标题甲"></head><body><h1>别的标题</h1></body>'
    )
    d = extract_detail(html, URL, TODAY)
    assert (d.title, d.pub_date, d.meta_pub_date) == (
        "标题甲",
        date(2025, 7, 14),
        date(2025, 7, 14),
    )


@pytest.mark.parametrize(
    ("snippet", "field", "expected"),
    [
        ("<td>索引号：014742224A/2023-0043406</td>", "index_no", "014742224A/2023-0043406"),
        ("<p>索引号:000014348/2020-35428</p>", "index_no", "000014348/2020-35428"),
        ("<td>索引号</td><td>000014349/2018-00222</td>", "index_no", "000014349/2018-00222"),
        ("<b>索 引 号</b>：000014349/2018-00222", "index_no", "000014349/2018-00222"),
        ("<strong>索 引 号：</strong><span>XX-001-2024</span>", "index_no", "XX-001-2024"),
        (
            "<td><label>文　号：</label></td><td>津政办规〔2022〕9号</td>",
            "doc_no",
            "津政办规〔2022〕9号",
        ),
        ("<td>文号：国令第845号</td>", "doc_no", "国令第845号"),
        ("<td>发文字号：煤安监司函办〔2020〕12号</td>", "doc_no", "煤安监司函办〔2020〕12号"),
        ("<td>文号：某发（2021）3号</td>", "doc_no", "某发（2021）3号"),
        ("<td>文号：某发【2021】3号</td>", "doc_no", "某发【2021】3号"),
        ("<td>文号：</td><td>无</td>", "doc_no", None),
        ("<td>文号：</td><td>发布机构：某局</td>", "doc_no", None),
        ("<td>发布机构：</td><td>某某县统计局</td>", "publisher", "某某县统计局"),
        ("<font>发文机关：</font>国务院办公厅", "publisher", "国务院办公厅"),
        ("<td>成文日期：2026年08月30日</td>", "written_date", date(2026, 8, 30)),
        ("<td>生成日期：</td><td>2023-05-11</td>", "written_date", date(2023, 5, 11)),
        ("<span>发布日期：[ 2026-09-03 ]</span>", "pub_date", date(2026, 9, 3)),
        ("<span>发布时间：2026年8月3日</span>", "pub_date", date(2026, 8, 3)),
        ("<span>发布日期: 2021/4/2</span>", "pub_date", date(2021, 4, 2)),
        ("<td>标　题：</td><td>关于某事项的通知</td>", "title", "关于某事项的通知"),
        ("<p>产品名称：不是标题</p><h1>真正的标题在这里</h1>", "title", "真正的标题在这里"),
    ],
)
def test_label_variants(snippet: str, field: str, expected: object) -> None:
    d = extract_detail(f"<html><body>{snippet}</body></html>", URL, TODAY)
    assert getattr(d, field) == expected


@pytest.mark.parametrize(
    ("title_tag", "expected"),
    [
        ("万载县人民政府 | 万载县2015年统计公报", "万载县2015年统计公报"),
        ("万载县2022年统计公报 | 万载县人民政府", "万载县2022年统计公报"),
        ("关于开展检查的通知_某某市人民政府门户网站", "关于开展检查的通知"),
        ("关于开展检查的通知 - 某某区政府网", "关于开展检查的通知"),
        ("只有标题", "只有标题"),
    ],
)
def test_title_tag_minus_site_suffix(title_tag: str, expected: str) -> None:
    d = extract_detail(
        f"<html><head><title>{title_tag}</title></head><body></body></html>", URL, TODAY
    )
    assert d.title == expected


def test_text_segments_split_at_every_tag() -> None:
    html = "<td><b>索&nbsp;引　号：</b>0001/2020-1</td><script>var a='<b>x</b>';</script><!-- c -->"
    assert text_segments(html) == ["索 引 号：", "0001/2020-1"]


@pytest.mark.parametrize(
    "broken",
    [
        "<script>" * 2000 + "x" * 200_000,
        "<!--" * 5000 + "y" * 100_000,
        '<meta name="a" content="' * 5000,
        "<" * 200_000,
        "<h1>" * 5000 + "z" * 100_000,
    ],
    ids=["unclosed-scripts", "unclosed-comments", "unclosed-metas", "stray-lt", "unclosed-h1"],
)
def test_broken_markup_stays_linear(broken: str) -> None:
    # Quadratic regex scans took seconds per page on inputs like these before.
    start = time.perf_counter()
    extract_meta(broken)
    extract_detail(broken, URL, TODAY)
    classify_block(412, {}, broken, URL)
    assert time.perf_counter() - start < 2.0


def test_first_published_meta_when_no_pubdate() -> None:
    html = (
        '<html><head><meta name="FirstPublishedTime" content="2007-08-20-23:59:59">'
        '<meta name="lastmodifiedtime" content="2019-01-02-10:00:00"></head><body>正文</body></html>'
    )
    d = extract_detail(html, URL, TODAY)
    assert d.pub_date == date(2007, 8, 20) and d.meta_pub_date == date(2007, 8, 20)


# ---------------------------------------------------------------- meta-missing gaps


def test_meta_gaps_tell_absent_from_empty() -> None:
    from crawler.extract.meta import meta_gaps

    html = (
        '<html><head><meta name="sitename" content="某县人民政府">'
        '<meta content="" name="SiteDomain"><!-- <meta name="SiteIDCode" content="1"> -->'
        "</head><body></body></html>"
    )
    assert meta_gaps(extract_meta(html), "home") == (("SiteIDCode",), ("SiteDomain",))


def test_meta_gaps_read_a_repeated_block_by_its_first_non_empty_value() -> None:
    """Ucap templates write the Site block twice, the first time empty: the tag is there."""
    from crawler.extract.meta import meta_gaps

    html = (
        '<head><meta name="SiteName" content=""><meta name="SiteDomain" content="">'
        '<meta name="SiteIDCode" content="">'
        '<meta name="SiteName" content="某局"><meta name="SiteDomain" content="a.gov.cn">'
        '<meta name="SiteIDCode" content="3408000001"></head>'
    )
    assert meta_gaps(extract_meta(html), "home") == ((), ())


def test_meta_gaps_of_list_and_article_pages() -> None:
    from crawler.extract.meta import meta_gaps

    article = (
        '<head><meta name="ArticleTitle" content="关于印发某办法的通知">'
        '<meta name="PubDate" content="2026-09-01 10:00"><meta name="ContentSource" content=" ">'
        "</head>"
    )
    assert meta_gaps(extract_meta(article), "detail") == ((), ("ContentSource",))
    assert meta_gaps(extract_meta('<head><meta name="ColumnName" content="通知公告">'), "list") == (
        ("ColumnType",),
        (),
    )
    assert meta_gaps({}, "list") == (("ColumnName", "ColumnType"), ())


def test_meta_gaps_on_the_real_ucap_article(portal_html: str) -> None:
    from crawler.extract.meta import meta_gaps

    # Read by hand: ArticleTitle and PubDate filled in, `<meta name="ContentSource" content="">`.
    assert meta_gaps(extract_meta(portal_html), "detail") == ((), ("ContentSource",))


@pytest.mark.parametrize(
    ("bar", "expected"),
    [
        # The article bar's bare 日期 when the page writes no 发布日期.
        (
            "<p><span>日期：2021/09/06</span>&nbsp;<span>来源：民族画报社</span></p>",
            date(2021, 9, 6),
        ),
        # A 发布日期 wins over a bare 日期 wherever they stand.
        ("<span>日期：2020-01-02</span><span>发布日期：2021-03-04</span>", date(2021, 3, 4)),
        # 成文日期 / 生成日期 are not a bare 日期, and a bare 日期 needs its colon.
        ("<td>成文日期：2019-05-06</td>", date(2025, 7, 14)),
        ("<td>日期</td><td>2019-05-06</td>", date(2025, 7, 14)),
    ],
)
def test_bare_date_label_is_a_fallback(bar: str, expected: date) -> None:
    html = f'<head><meta name="PubDate" content="2025-07-14 01:59"></head><body>{bar}</body>'
    assert extract_detail(html, URL, TODAY).pub_date == expected


def test_unlabelled_date_under_the_heading_is_the_fallback_pub_date() -> None:
    # 内乡县人民政府: `<h1>title</h1><p><a>站名</a> <span>2018-04-19 17:32:17</span>
    # <span>来源：…</span>` with no date label and no PubDate meta.
    page = (
        '<html><head><title>开漂公告-内乡县人民政府</title></head><body><h1 class="title">开漂公告</h1>'
        '<p class="detailTxt"><a href="/">内乡政府门户网站 www.neixiangxian.gov.cn</a>'
        "&nbsp;&nbsp;<span>2018-04-19 17:32:17</span>&nbsp;&nbsp;<span>来源：内乡县政府网站</span></p>"
        "<div><p>正文……</p><p><span>2018-04-20</span></p></div></body></html>"
    )
    assert extract_detail(page, URL, TODAY).pub_date == date(2018, 4, 19)
    # A labelled date or a meta wins; a lone date far below the heading (the body) is not read.
    labelled = page.replace("<span>2018-04-19 17:32:17</span>", "<span>发布时间：2018-04-18</span>")
    assert extract_detail(labelled, URL, TODAY).pub_date == date(2018, 4, 18)
    body_only = page.replace("<span>2018-04-19 17:32:17</span>", "")
    assert extract_detail(body_only, URL, TODAY).pub_date is None


def test_bracketed_labels_read_like_colon_labels() -> None:
    # 国家税务总局山西省税务局: `【文&ensp;&ensp;&ensp;&ensp;号】 晋医保发〔2021〕14号<br>` under the title.
    page = (
        "<html><body><h1>关于做好2021年城乡居民基本医疗保障工作的通知</h1>"
        "<p><span>发布时间：2021-08-13</span><span>来源：某某局办公室</span></p>"
        "<p class='text-des'>【文&ensp;&ensp;&ensp;&ensp;号】 晋医保发〔2021〕14号<br>"
        "【成文日期】 2021-07-28<br>【是否有效】 全文有效<br></p>"
        "<div><p>正文。</p></div></body></html>"
    )
    d = extract_detail(page, URL, TODAY)
    assert d.doc_no == "晋医保发〔2021〕14号"
    assert d.written_date == date(2021, 7, 28)
    assert d.pub_date == date(2021, 8, 13)
    # A 文号 label is on the page: the 来源 line stays a content source.
    assert d.publisher is None


def test_the_pages_own_dated_row_is_the_last_resort_pub_date() -> None:
    # 国家公共资源交易平台 project page (/information/deal/html/a/…): no date of its own, but tabs
    # list every notice of the project, this document's row highlighted and dated.
    page = (
        "<html><head><title>某某学校用车服务采购项目合同_交易公开_国家公共资源交易平台</title></head>"
        '<body><h4 class="h4_o">某某学校用车服务采购项目合同</h4>'
        '<p class="p_o"><span>采购项目编号：X-2025-JC57</span><span>信息来源：某市公共资源交易网</span></p>'
        '<ul class="fully_list"><li><a href="javascript:;" title="某某学校用车服务采购项目竞争性磋商公告"'
        " onclick=\"showDetail(this, '0201','/b/1.html')\">某某学校用车服务采购项目竞争性磋商公告</a>"
        "<span>2026-01-05</span></li></ul>"
        '<ul class="fully_list"><li class=\' li_hover\'><a href="javascript:;"'
        " title=\"某某学校用车服务采购项目合同\"\n onclick=\"showDetail(this, '0203','/b/2.html')\">"
        "某某学校用车服务采购项目合同</a><span>2026-03-17</span>\n</li></ul></body></html>"
    )
    assert extract_detail(page, URL, TODAY).pub_date == date(2026, 3, 17)
    # A labelled date wins; a list without the page's own row dates nothing.
    labelled = page.replace(
        "<span>采购项目编号", "<span>发布时间：2026-03-16</span><span>采购项目编号"
    )
    assert extract_detail(labelled, URL, TODAY).pub_date == date(2026, 3, 16)
    others_only = page.replace(">某某学校用车服务采购项目合同</a>", ">另一项目合同</a>").replace(
        ' title="某某学校用车服务采购项目合同"', ' title="另一项目合同"'
    )
    assert extract_detail(others_only, URL, TODAY).pub_date is None


def test_shuanggongshi_decision_number_is_the_doc_no() -> None:
    # 河南畜牧业信息网 双公示 行政处罚 record: the number sits in a label/value table row whose
    # label is 行政处罚文书决定号 (the national standard writes 行政处罚决定书文号); no 表头 else.
    page = (
        "<html><body><div class='title'>对某某科技有限公司生产假兽药的行政处罚</div>"
        "<div class='info_item'><span>作者:省畜牧局</span> <span>阅读次数：16</span>"
        "<span>发布时间：2018-02-23 16:54&nbsp;&nbsp;</span></div>"
        "<table id='maintable'><tr><td>行政处罚文书决定号</td><td>豫牧（兽药）罚决字〔2018〕第1号\n</td></tr>"
        "<tr><td>案件名称</td><td>生产假兽药案</td></tr></table></body></html>"
    )
    d = extract_detail(page, URL, TODAY)
    assert d.doc_no == "豫牧（兽药）罚决字〔2018〕第1号"
    assert d.pub_date == date(2018, 2, 23)
    standard = "<html><body><p>行政处罚决定书文号：沪市监罚〔2020〕12号</p></body></html>"
    assert extract_detail(standard, URL, TODAY).doc_no == "沪市监罚〔2020〕12号"
    # Inside prose the words are not a label.
    prose = "<html><body><p>请在行政处罚决定书文号一栏填写编号。</p></body></html>"
    assert extract_detail(prose, URL, TODAY).doc_no is None
