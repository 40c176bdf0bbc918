"""List shapes seen on real sites beyond plain anchors in one container (issue: the real web)."""

from __future__ import annotations

from datetime import date

from crawler.extract.listing import extract_list

TODAY = date(2026, 11, 29)
URL = "http://www.x.gov.cn/zwgk/tzgg/index.html"
BASE = "http://www.x.gov.cn/zwgk/tzgg/"
CHROME = (
    '<div class="header"><a href="/">首页</a><a href="/bsfw/">办事服务</a>'
    '<a href="/hdjl/">互动交流</a><a href="/zjxx/">走进XX</a></div>'
)
FOOTER = (
    '<div class="footer"><a href="/wzsm.html">网站声明</a><a href="/lxwm.html">联系我们</a></div>'
)


def _urls(html: str) -> list[str]:
    return [i.url for i in extract_list(html, URL, TODAY).items]


def test_list_split_into_sibling_blocks_is_one_list() -> None:
    blocks = "".join(
        f'<div ms-visible="$showStatic({b * 5 + 1})"><ul>'
        + "".join(
            f'<li><a href="./2026{b:02d}/t2026{b + 1:02d}0{i}_{b}{i}.htm">通知{b}{i}</a>'
            f'<span class="bf-pass">2026-{b + 1:02d}-0{i}</span></li>'
            for i in range(1, 6)
        )
        + "</ul></div>"
        for b in range(3)
    )
    page = extract_list(
        f"<html><body>{CHROME}<div class='list'>{blocks}</div>{FOOTER}</body></html>", URL, TODAY
    )
    assert len(page.items) == 15
    assert page.items[0].url == BASE + "202600/t20260101_01.htm"
    assert page.items[-1].date == date(2026, 3, 5)


def test_rows_linked_only_by_the_row() -> None:
    rows = "".join(
        f"<tr onclick=\"window.open('./202611/t2026110{i}_{i}.html')\"><td>关于第{i}项工作的通知</td>"
        f"<td>2026-11-0{i}</td></tr>"
        for i in range(1, 4)
    ) + (
        '<tr data-href="./202611/t20261105_5.html"><td>数据链接的一行</td><td>2026-11-05</td></tr>'
        '<tr><td><a href="javascript:void(0)" onclick="openUrl(\'/zwgk/tzgg/202611/t20261106_6.html\')">'
        "脚本链接的一行</a></td><td>2026-11-06</td></tr>"
    )
    page = extract_list(
        f"<html><body>{CHROME}<table class='list'>{rows}</table>{FOOTER}</body></html>", URL, TODAY
    )
    got = {i.url: (i.title, i.date) for i in page.items}
    assert got == {
        BASE + "202611/t20261101_1.html": ("关于第1项工作的通知", date(2026, 11, 1)),
        BASE + "202611/t20261102_2.html": ("关于第2项工作的通知", date(2026, 11, 2)),
        BASE + "202611/t20261103_3.html": ("关于第3项工作的通知", date(2026, 11, 3)),
        BASE + "202611/t20261105_5.html": ("数据链接的一行", date(2026, 11, 5)),
        BASE + "202611/t20261106_6.html": ("脚本链接的一行", date(2026, 11, 6)),
    }


def test_handler_without_a_url_is_not_guessed() -> None:
    rows = '<li onclick="showDetail(123)"><span>看不出地址的一行</span><span>2026-11-01</span></li>'
    assert _urls(f"<html><body><ul>{rows}</ul></body></html>") == []


def test_hidden_placeholder_template_never_makes_a_list_blank() -> None:
    rows = "".join(
        f'<li><a href="./202611/t2026110{i}_{i}.html">通知{i}</a><span>2026-11-0{i}</span></li>'
        for i in range(1, 4)
    )
    html = f'<html><body><ul class="list">{rows}<li style="display: none">暂无信息</li></ul></body></html>'
    page = extract_list(html, URL, TODAY)
    assert len(page.items) == 3 and not page.placeholder
    # The same template on an empty list, hidden: not a visible 暂无信息, so not a placeholder…
    empty = extract_list(
        '<html><body><ul class="list"><li style="display:none">暂无信息</li></ul></body></html>',
        URL,
        TODAY,
    )
    assert not empty.items and not empty.placeholder
    # …while a shown one is.
    shown = extract_list(
        '<html><body><ul class="list"><li style="border:none">暂无信息</li></ul></body></html>',
        URL,
        TODAY,
    )
    assert shown.placeholder


def test_header_menu_and_footer_are_never_items() -> None:
    rows = "".join(
        f'<li><a href="./202611/t2026110{i}_{i}.html">通知{i}</a><span>2026-11-0{i}</span></li>'
        for i in range(1, 4)
    )
    urls = _urls(f"<html><body>{CHROME}<ul class='list'>{rows}</ul>{FOOTER}</body></html>")
    assert len(urls) == 3 and all("/202611/" in u for u in urls)


def test_catalog_labels_with_breaks_and_padding_read_clean() -> None:
    from crawler.extract.catalog import extract_nav

    html = (
        "<html><body><ul class='xxgk-menu'>"
        '<li><a href="/xxgk/zd/">政府信息<br>\n    公开制度</a></li>'
        '<li><a href="/xxgk/zn/">政府信息 公开指南</a></li>'
        '<li><a href="/xxgk/ab/">About us 2026</a></li></ul></body></html>'
    )
    names = {
        n.url.rsplit("/", 2)[-2]: n.name for n in extract_nav(html, "http://www.x.gov.cn/xxgk/")
    }
    assert names == {"zd": "政府信息公开制度", "zn": "政府信息公开指南", "ab": "About us 2026"}
