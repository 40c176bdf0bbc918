"""Real-web page patterns beyond the CMS defaults, one small function each (catalogue in
variety.py): pagers without a usable href, lists split or linked on the row, a hidden template
row, catalog labels broken by <br> or spaces, and site-wide header/footer menus."""

from __future__ import annotations

from zwgk.farm import paths
from zwgk.farm import render_common as rc
from zwgk.farm.model import Column, Item

# ---- pagers: (col, count, i) -> html; i is the 0-based current page ------------------------


def _page_href(col: Column, n: int) -> str:
    """Page n (0-based) relative to the column's directory, as sites write it."""
    return paths.list_page_path(col, n).rsplit("/", 1)[1]


def rendered_pager(col: Column, count: int, i: int) -> str:
    """Numbered <a href> links with 首页/上一页/下一页/尾页 (server-side rendered)."""
    if count <= 1:
        return ""
    out = [f'<a href="{_page_href(col, 0)}">首页</a>']
    if i > 0:
        out.append(f'<a href="{_page_href(col, i - 1)}">上一页</a>')
    for n in range(count):
        out.append(
            f'<span class="current">{n + 1}</span>'
            if n == i
            else f'<a href="{_page_href(col, n)}">{n + 1}</a>'
        )
    if i < count - 1:
        out.append(f'<a href="{_page_href(col, i + 1)}">下一页</a>')
    out.append(f'<a href="{_page_href(col, count - 1)}">尾页</a>')
    return '<div class="pagination">' + "&nbsp;".join(out) + "</div>"


def next_link_pager(col: Column, count: int, i: int) -> str:
    """Only a 下一页 link: the next page is all a crawler learns from each page."""
    nxt = (
        f'<a href="{_page_href(col, i + 1)}">下一页</a>' if i < count - 1 else "<span>下一页</span>"
    )
    return f'<div class="page">{nxt}</div>'


def text_total_pager(col: Column, count: int, i: int) -> str:
    """Bare text 共N页 (no count anywhere in script) plus a 下一页 link."""
    nxt = f' <a href="{_page_href(col, i + 1)}">下一页</a>' if i < count - 1 else ""
    return f'<div class="page">共{count}页 当前第{i + 1}页{nxt}</div>'


def _goto_script(col: Column) -> str:
    """The page URL rule lives in a function: page 1 is index.ext, page n index_(n-1).ext."""
    first = _page_href(col, 0)
    stem, ext = first.rsplit(".", 1)
    return (
        '<script type="text/javascript">function gotoPage(n){location.href = n==1 ? '
        f"'{first}' : '{stem}_'+(n-1)+'.{ext}';}}</script>"
    )


def _onclick_links(col: Column, count: int, i: int, href: str, tail: str) -> str:
    out = []
    for n in range(count):
        if n == i:
            out.append(f'<span class="current">{n + 1}</span>')
        else:
            out.append(f'<a href="{href}" onclick="gotoPage({n + 1}){tail}">{n + 1}</a>')
    if i < count - 1:
        out.append(f'<a href="{href}" onclick="gotoPage({i + 2}){tail}">下一页</a>')
    return '<div class="page">' + " ".join(out) + "</div>" + _goto_script(col)


def goto_onclick_pager(col: Column, count: int, i: int) -> str:
    """<a href="javascript:void(0)" onclick="gotoPage(2)"> with the URL rule in an inline script."""
    return _onclick_links(col, count, i, "javascript:void(0)", "") if count > 1 else ""


def hash_onclick_pager(col: Column, count: int, i: int) -> str:
    """<a href="#" onclick="gotoPage(2);return false;">."""
    return _onclick_links(col, count, i, "#", ";return false;") if count > 1 else ""


def hidden_total_pager(col: Column, count: int, i: int) -> str:
    """The page count only in hidden inputs; buttons call a script holding the URL rule."""
    return (
        f'<input type="hidden" id="totalPage" value="{count}">'
        f'<input type="hidden" id="currentPage" value="{i + 1}">'
        '<div class="page"><button onclick="gotoPage(1)">首页</button>'
        f'<button onclick="gotoPage({min(i + 2, count)})">下一页</button>'
        f'<button onclick="gotoPage({count})">尾页</button></div>' + _goto_script(col)
    )


def jspx_pager(col: Column, count: int, i: int) -> str:
    """jeecms: list.jspx?pageNo=N (or ?page=N) as plain links, numbered and 下一页."""
    return rendered_pager(col, count, i)


PAGERS = {
    "rendered": rendered_pager,
    "next_link": next_link_pager,
    "text_total": text_total_pager,
    "goto_onclick": goto_onclick_pager,
    "hash_onclick": hash_onclick_pager,
    "hidden_total": hidden_total_pager,
    "jspx_pageno": jspx_pager,
    "jspx_page": jspx_pager,
}

# ---- list markup -----------------------------------------------------------------------


def _li(col: Column, it: Item) -> str:
    return (
        f'<li><a href="{rc.href(it, col)}" target="_blank" title="{rc.esc(it.title)}">'
        f'{rc.esc(it.title)}</a><span class="date">{rc.fmt_date(it.date, col.date_form)}</span></li>'
    )


def split_ul_rows(col: Column, items: list[Item], tail: str = "") -> str:
    """One column's list split across sibling <ul> blocks of 5 inside one list div."""
    blocks = [
        '<ul class="list">' + "\n".join(_li(col, it) for it in items[k : k + 5]) + "</ul>"
        for k in range(0, len(items), 5)
    ]
    if blocks and tail:
        blocks[-1] = blocks[-1][: -len("</ul>")] + tail + "</ul>"
    return '<div class="list-box">' + "\n".join(blocks) + "</div>"


def tr_onclick_rows(col: Column, items: list[Item], tail: str = "") -> str:
    """Rows whose only link is the row's onclick="window.open('…')" (no <a>)."""
    out = ['<table class="list" width="100%">']
    for it in items:
        out.append(
            f'<tr onclick="window.open(\'{rc.href(it, col)}\')" style="cursor:pointer">'
            f'<td class="title">{rc.esc(it.title)}</td>'
            f'<td class="date">{rc.fmt_date(it.date, col.date_form)}</td></tr>'
        )
    return "\n".join(out + ["</table>"])


def li_data_href_rows(col: Column, items: list[Item], tail: str = "") -> str:
    """<li data-href="…"> rows opened by a click handler (no <a>)."""
    out = ['<ul class="list">']
    for it in items:
        out.append(
            f'<li data-href="{rc.href(it, col)}"><span class="title">{rc.esc(it.title)}</span>'
            f'<span class="date">{rc.fmt_date(it.date, col.date_form)}</span></li>'
        )
    out.append(tail + "</ul>")
    out.append(
        "<script>$('.list li').click(function(){window.open($(this).attr('data-href'))});</script>"
    )
    return "\n".join(out)


LISTS = {
    "split_ul": split_ul_rows,
    "tr_onclick": tr_onclick_rows,
    "li_data_href": li_data_href_rows,
}

# A list template row left in the page by the CMS: hidden, and the list is not empty.
HIDDEN_NODATA = '<li style="display:none">暂无信息</li>'

# ---- catalog labels ----------------------------------------------------------------------


def br_label(name: str) -> str:
    """政府信息<br>公开制度: a long label broken in two."""
    if len(name) < 6:
        return rc.esc(name)
    k = len(name) // 2
    return f"{rc.esc(name[:k])}<br>{rc.esc(name[k:])}"


def space_label(name: str) -> str:
    """政府信息 公开制度 / 机构 职能: a space (and line-break indentation) inside the label."""
    if len(name) < 4:
        return rc.esc(name)
    k = len(name) // 2
    return f"\n      {rc.esc(name[:k])} {rc.esc(name[k:])}\n    "


LABELS = {"br": br_label, "space": space_label}


def dl_catalog(tree: list[dict], label_of) -> str:
    """A flat 信息公开目录: an <h3> per top-level entry (linked when it is a column itself),
    then under a branch <dl><dt>group</dt><dd>leaf links</dd></dl> or <dl><dt>leaf</dt></dl>
    (the group is a <dt> heading, not an ancestor <li>). Top-level leaves are headings too:
    as <dl>s after a branch they would read as that branch's leaves (年报 after 法定主动公开内容
    looks like one of its columns), to a person as much as to a crawler."""

    def link(n: dict) -> str:
        return f'<a href="{n["url"]}" title="{rc.esc(n["name"])}">{label_of(n["name"])}</a>'

    out = ['<div class="gkml">']
    for n in tree:
        if not n["children"]:
            out.append(f"<h3>{link(n)}</h3>")
            continue
        out.append(f"<h3>{label_of(n['name'])}</h3>")
        for c in n["children"]:
            if c["children"]:
                leaves = " ".join(link(x) for x in c["children"])
                out.append(f"<dl><dt>{label_of(c['name'])}</dt><dd>{leaves}</dd></dl>")
            else:
                out.append(f"<dl><dt>{link(c)}</dt></dl>")
    return "\n".join(out + ["</div>"])


# ---- site chrome -------------------------------------------------------------------------

MENU = (("办事服务", "bsfw"), ("互动交流", "hdjl"), ("走进{short}", "zjxx"))
FOOTER = (("网站声明", "wzsm"), ("联系我们", "lxwm"), ("网站地图", "wzdt"))


def menu_links(short: str) -> list[tuple[str, str]]:
    """(label, path) of the header menu and footer links served on every page."""
    return [(t.format(short=short), f"/{s}/index.html") for t, s in MENU] + [
        (t, f"/{s}.html") for t, s in FOOTER
    ]


def header_menu(short: str, gk_url: str) -> str:
    lis = f'<li><a href="{gk_url}">政务公开</a></li>' + "".join(
        f'<li><a href="{p}" target="_blank">{rc.esc(t)}</a></li>'
        for t, p in menu_links(short)[: len(MENU)]
    )
    return f'<ul class="menu"><li><a href="/">首页</a></li>{lis}</ul>'


def footer_links(short: str) -> str:
    links = " | ".join(f'<a href="{p}">{rc.esc(t)}</a>' for t, p in menu_links(short)[len(MENU) :])
    return f'<div class="foot-links">{links}</div>'
