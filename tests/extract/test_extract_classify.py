"""Sections, column categories, CMS family and detail URLs (rules.md, cms.md §1-§3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.extract.classify import (
    classify_category,
    classify_section,
    cms_family,
    is_detail_url,
    normalise_name,
)


def _real_pages_dir() -> Path:
    """The real-page corpus (tests/real_pages/pages, sources in SOURCES.md)."""
    return Path(__file__).resolve().parents[1] / "real_pages" / "pages"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("政府信息公开指南", "信息公开指南"),
        ("信息公开指南", "信息公开指南"),
        (" 政府信息公开　指南： ", "信息公开指南"),
        ("【政府信息公开年报】", "信息公开年报"),
        ("通知·公告", "通知公告"),
        ("ＡＢＣ－１２３", "abc123"),
        ("依申请公开(在线申请)", "依申请公开在线申请"),
        ("", ""),
    ],
)
def test_normalise_name(name: str, expected: str) -> None:
    assert normalise_name(name) == expected


@pytest.mark.parametrize(
    ("name", "url", "expected"),
    [
        ("政府信息公开指南", "", "guide"),
        ("信息公开指南", "http://x.gov.cn/col/col123/index.html", "guide"),
        ("指南", "", "guide"),
        ("政府信息公开制度", "", "system"),
        ("信息公开制度", "", "system"),
        ("法定主动公开内容", "", "fdzdgknr"),
        ("主动公开", "", "fdzdgknr"),
        ("政府信息公开年报", "", "annual"),
        ("年报", "", "annual"),
        ("政府信息公开工作年度报告", "", "annual"),
        ("依申请公开", "", "request"),
        ("依申请公开指南", "http://x.gov.cn/zfxxgkzn/", "request"),  # name beats path
        ("申请表下载", "", "request"),
        ("在线申请", "", "request"),
        # path keywords when the name says nothing
        ("点击进入", "http://x.gov.cn/zfxxgk/zfxxgkzn/index.html", "guide"),
        ("更多", "http://x.gov.cn/xxgk/gkzn/", "guide"),
        ("更多", "http://x.gov.cn/zfxxgk/xxgkzd/index.shtml", "system"),
        ("更多", "http://x.gov.cn/zwgk_25/fdzdgknr/202506/t20250603_1.html", "fdzdgknr"),
        ("更多", "http://x.gov.cn/zfxxgk/zfxxgknb/", "annual"),
        ("2023年", "http://x.gov.cn/xxgk/ndbg/2023/", "annual"),
        ("我要申请", "http://ysqgk.gd.gov.cn/", None),  # host, not path: the name must say
        ("入口", "http://x.gov.cn/ysqgk/index.html", "request"),
        ("入口", "http://x.gov.cn/ysqxxgk/form.html", "request"),
        # not statutory sections
        ("工作动态", "http://x.gov.cn/col/col1/index.html", None),
        ("通知公告", "http://x.gov.cn/tzgg/", None),
        ("政府信息公开", "http://x.gov.cn/zfxxgk/", None),
        ("", "", None),
    ],
)
def test_classify_section(name: str, url: str, expected: str | None) -> None:
    assert classify_section(name, url) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("工作动态", "news"),
        ("部门动态", "news"),
        ("本地要闻", "news"),
        ("乡镇动态", "news"),
        ("区县动态", "news"),
        ("工作进展", "news"),
        ("要闻", "news"),
        ("动态", "news"),
        ("通知公告", "notice"),
        ("公示公告", "notice"),
        ("政策文件", "notice"),
        ("规范性文件", "notice"),
        ("公告", "notice"),
        ("人事信息", "periodic"),
        ("规划计划", "periodic"),
        ("统计信息", "periodic"),
        ("财政信息", "periodic"),
        ("预决算", "periodic"),
        ("财政预决算", "periodic"),
        ("重大项目", "periodic"),
        ("领导信息", "periodic"),
        ("机构职能", "periodic"),
        ("统计公报", "periodic"),
        ("政府信息公开指南", "static"),
        ("信息公开制度", "static"),
        ("机构概况", "static"),
        ("专题", "static"),
        ("专题动态", "static"),  # tie on length: static is listed first
        ("联系我们", None),
        ("", None),
    ],
)
def test_classify_category_by_name(name: str, expected: str | None) -> None:
    assert classify_category(name) == expected


def test_meta_column_type_beats_link_name() -> None:
    assert classify_category("工作动态", column_type="信息公开，政策文件") == "notice"
    assert classify_category("更多>>", column_type="统计数据") == "periodic"


def test_comma_list_most_specific_piece_wins() -> None:
    assert classify_category("", column_type="通知公告,工作动态") == "news"
    assert classify_category("", column_type="信息公开、政策文件") == "notice"


def test_meta_column_name_used_when_type_says_nothing() -> None:
    assert classify_category("更多", column_type="信息公开", column_name="部门动态") == "news"


def test_link_name_used_when_meta_unknown() -> None:
    assert classify_category("通知公告", column_type="栏目", column_name="") == "notice"


def test_category_table_can_be_overridden() -> None:
    table = {"news": ("统计公报",)}
    assert classify_category("统计公报", table=table) == "news"
    assert classify_category("通知公告", table=table) is None


@pytest.mark.parametrize(
    ("html", "url", "expected"),
    [
        (
            "<div class='TRS_Editor'><p>x</p></div>",
            "http://x.gov.cn/a/201710/t20171020_1.html",
            "trs",
        ),
        ("<script>createPageHTML(120, 0, 'index', 'html');//WCM置标</script>", "", "trs"),
        ("", "http://x.gov.cn/tjsj/sjjd/201912/t20191231_1720659.html", "trs"),
        ("<div id='1'><script type='text/xml'><datastore><recordset>", "", "hanweb"),
        ("<meta name='i_columnid' content='6372'>", "", "hanweb"),
        ("", "http://x.gov.cn/art/2026/9/24/art_6372_11834669.html", "hanweb"),
        ("", "http://x.gov.cn/col/col42150/index.html?uid=380055&pageNum=2", "hanweb"),
        ("<h1><ucaptitle>标题</ucaptitle></h1>", "", "ucap"),
        ("<div id='UCAP-CONTENT'></div>", "", "ucap"),
        ("", "http://x.gov.cn/wzxrmzf/tjsja/202305/7215380191c5400397df5d7d0b5fd06b.shtml", "ucap"),
        ("<script>window._CONFIG = {TREE: []}; window._CONFIG.TREE = []</script>", "", "gkmlpt"),
        ("", "http://www.x.gov.cn/gkmlpt/index#123", "gkmlpt"),
        ("<a class='nfw-cms-attachment' href='a.pdf'>", "", "gkmlpt"),
        ("<html><body>plain</body></html>", "http://x.gov.cn/news/1.html", "other"),
        ("", "", "other"),
    ],
)
def test_cms_family(html: str, url: str, expected: str) -> None:
    assert cms_family(html, url) == expected


@pytest.mark.parametrize(
    "name", ["ucap-wanzai-county-portal-detail.html", "ucap-wanzai-county-xxgk-detail.html"]
)
def test_cms_family_real_pages_are_ucap(name: str) -> None:
    html = (_real_pages_dir() / name).read_text("utf-8")
    assert cms_family(html, "http://www.wanzai.gov.cn/") == "ucap"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://x.gov.cn/col/201710/t20171020_398361.html", True),
        ("http://x.gov.cn/col/201711/t20171117_5577604_1.html", True),
        ("http://x.gov.cn/gszbm/auto23716/202008/t20200805_1353179.shtml", True),
        ("http://x.gov.cn/rsgl/zkxx/t27298550.shtml", True),
        ("http://x.gov.cn/art/2026/9/24/art_6372_11834669.html", True),
        ("http://x.gov.cn/art/2024/art_0a1b2c3d4e5f60718293a4b5c6d7e8f9.html", True),
        ("http://x.gov.cn/wzxrmzf/tjsja/202305/7215380191c5400397df5d7d0b5fd06b.shtml", True),
        ("http://x.gov.cn/nw12344/20230820/0a1b2c3d4e5f60718293a4b5c6d7e8f9.html", True),
        ("http://x.gov.cn/gkmlpt/content/2/2345/post_2345678.html", True),
        ("http://x.gov.cn/gkmlpt/content/2/2345/mpost_2345678.html", True),
        ("http://www.sz.gov.cn/cn/xxgk/zfxxgj/content/post_12612456.html", True),
        ("http://x.gov.cn/public/6596/108877551.html", True),
        ("http://x.gov.cn/jcms_files/jcms1/web1/site/attach/0/0a1b2c3d4e5f6.pdf", True),
        ("http://x.gov.cn/module/download/downfile.jsp?classid=0&filename=a1.xls", True),
        ("http://x.gov.cn/uploads/2023预算.DOCX", True),
        ("http://x.gov.cn/info/1021/12345.htm", True),
        ("http://x.gov.cn/content.jsp?urltype=news.NewsContentUrl&wbtreeid=1&wbnewsid=9", True),
        ("http://x.gov.cn/col/index.html", False),
        ("http://x.gov.cn/col/index_1.shtml", False),
        ("http://x.gov.cn/col/col42150/index.html?uid=380055&pageNum=2", False),
        ("http://x.gov.cn/public/column/6596?type=4&action=list&nav=3&catId=1", False),
        ("http://x.gov.cn/gkmlpt/index#123", False),
        ("http://x.gov.cn/gkmlpt/api/all/123?page=2&sid=7", False),
        ("http://x.gov.cn/xxgk.shtml?code=tjsja&temp=xsqbmxxgk_list", False),
        ("http://x.gov.cn/module/web/jpage/dataproxy.jsp?page=1&columnid=1", False),
        ("http://x.gov.cn/202305/", False),
        ("", False),
    ],
)
def test_is_detail_url(url: str, expected: bool) -> None:
    assert is_detail_url(url) is expected
