"""Related links of detail pages (crawler/extract/related.py): TRS, Hanweb and gkmlpt-style
相关解读 / 原文链接 / 相关文件 / 附件 blocks, and what is not such a block."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from crawler.extract.related import MAX_LINKS, extract_related_links

PAGE = "http://www.example.gov.cn/zwgk/zcwj/202611/t20261102_123.html"


def test_trs_xgjd_block():
    html = (
        '<div class="TRS_Editor"><p>　　为进一步加强统计数据质量管理，现印发如下。</p></div>'
        '<div class="xgjd">相关解读：<a href="../../zcjd/202611/t20261103_456.html" '
        'target="_blank">关于《示例市统计数据质量管理办法》的解读</a></div>'
        '<div class="fx">【打印本页】 <a href="javascript:window.close()">【关闭窗口】</a></div>'
    )
    assert extract_related_links(html, PAGE) == [
        (
            "http://www.example.gov.cn/zwgk/zcjd/202611/t20261103_456.html",
            "关于《示例市统计数据质量管理办法》的解读",
        )
    ]


def test_hanweb_original_link_and_heading_block():
    html = (
        "<table><tr><td>原文链接：<a href='http://www.example.gov.cn/art/2026/11/2/art_1_9.html'>"
        "关于印发《示例市统计数据质量管理办法》的通知</a></td></tr></table>"
        '<div class="xgwj"><div class="tit"><span>相关文件</span></div><ul>'
        '<li><a href="/art/2026/10/1/art_1_7.html">示例市统计调查项目管理办法</a></li>'
        '<li><a href="https://other.gov.cn/a.html">省级&amp;配套文件</a></li>'
        '<li><a href="mailto:x@example.gov.cn">联系我们</a></li></ul></div>'
    )
    assert extract_related_links(html, "http://www.example.gov.cn/art/2026/11/3/art_2_1.html") == [
        (
            "http://www.example.gov.cn/art/2026/11/2/art_1_9.html",
            "关于印发《示例市统计数据质量管理办法》的通知",
        ),
        ("http://www.example.gov.cn/art/2026/10/1/art_1_7.html", "示例市统计调查项目管理办法"),
        ("https://other.gov.cn/a.html", "省级&配套文件"),
    ]


def test_attachments_and_cap():
    links = "".join(f'<a href="/files/{i}.pdf">附件{i}</a><br>' for i in range(30))
    got = extract_related_links(f"<p>附件：</p>{links}", PAGE)
    assert len(got) == MAX_LINKS and got[0] == ("http://www.example.gov.cn/files/0.pdf", "附件0")


def test_not_a_block():
    # a navigation menu's 政策解读 link, a label in prose, a label far from any link
    nav = '<ul class="nav"><li><a href="/zcjd/">政策解读</a></li><li><a href="/x/">要闻</a></li>'
    prose = "<p>附件清单请见文末，政策解读详见本网站首页政策解读栏目。</p><p><a href='/y'>y</a></p>"
    far = (
        "<div>相关链接：</div><p>"
        + "本办法自发布之日起施行，由市统计局负责解释。" * 3
        + "</p><a href='/z'>z</a>"
    )
    for html in (nav, prose, far):
        assert extract_related_links(html, PAGE) == []


def test_text_is_cleaned_and_self_links_dropped():
    html = (
        '<div>相关解读：<a href="t20261102_123.html#top">本页</a>'
        '<a href="/j.html">\n  图解\u3000《X办法》\x07 </a><a href="/j.html">again</a></div>'
        '<script>document.write("相关链接：<a href=/s>s</a>")</script>'
    )
    assert extract_related_links(html, PAGE) == [
        ("http://www.example.gov.cn/j.html", "图解 《X办法》")
    ]


def test_real_footer_of_friendly_links_keeps_no_home_pages():
    # tests/real_pages: Pingtan's detail page labels its site-wide 友情链接 footer 相关链接
    page = Path(__file__).parent.parent / "real_pages" / "pages" / "custom-pingtan-detail.html"
    html = page.read_text(encoding="utf-8")
    got = extract_related_links(html, "https://www.pingtan.gov.cn/zwgk/ghxx/gzjzqk/a.htm")
    assert len(got) <= MAX_LINKS
    assert ("http://www.fj.gov.cn/", "福建省人民政府") not in got
    assert all(urlsplit(u).path not in ("", "/") for u, _ in got)
