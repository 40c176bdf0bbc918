"""开普云 Ucap-like county 信息公开 (cms.md §3): lists at
/{site}/xxgk.shtml?code={col}&temp=xsqbmxxgk_list&parentCode=fdzdgknrtj[&pageNum=N] with plain
HTML pagers, details /{site}/{col}/{YYYYMM}/{32hex}.shtml with <ucaptitle>, a <dl><dd class="IndexNo">
metadata block and long breadcrumbs. Served as GBK."""

from __future__ import annotations

from urllib.parse import parse_qs

from zwgk.farm import paths
from zwgk.farm import render_common as rc
from zwgk.farm.model import Column, Item, Site


def list_page(col: Column, day: int, n: int) -> str:
    site = col.site
    items = col.visible(day)
    count = rc.n_pages(col, day)
    chunk = items[n * col.per_page : (n + 1) * col.per_page]
    lis = "".join(
        f'<li><a href="{it.path}" target="_blank" title="{rc.esc(it.title)}">{rc.esc(it.title)}</a>'
        f'<span class="date">{rc.fmt_date(it.date, col.date_form)}</span></li>\n'
        for it in chunk
    )
    if not chunk and col.placeholder:
        lis = '<li class="nodata">本栏目暂无内容</li>'
    pager = []
    if count > 1:
        if n > 0:
            pager.append(f'<a href="{col.list_path}">首页</a>')
            pager.append(f'<a href="{paths.list_page_path(col, n - 1)}">上一页</a>')
        if n < count - 1:
            pager.append(f'<a href="{paths.list_page_path(col, n + 1)}">下一页</a>')
            pager.append(f'<a href="{paths.list_page_path(col, count - 1)}">尾页</a>')
    pager.append(f"<span>共{len(items)}条 第{n + 1}/{count}页</span>")
    body = (
        f'{rc.crumbs(site, col)}\n<div class="wrap"><div class="left">{rc.catalog_html(site, site.catalog)}'
        f'</div><div class="right"><div class="lm_title">{rc.esc(col.name)}</div>'
        f'<ul class="xxgk_list">{lis}</ul><div class="pagination">{"&nbsp;".join(pager)}</div></div></div>'
    )
    return rc.page(site, f"{col.name}-{site.unit.name}", rc.list_metas(col), body)


def detail_page(site: Site, it: Item) -> str:
    col = it.column
    d = rc.fmt_date(it.date, "chinese") if it.date else ""
    dds = [
        ("IndexNo", "索 引 号：", it.index_no or ""),
        ("scrq", "生成日期：", d),
        ("gkfs", "公开方式：", "主动公开"),
        ("gksx", "公开时限：", "常年公开"),
        ("gkfw", "公开范围：", "面向全社会"),
        ("ReleaseMechanism", "责任部门：", it.publisher),
    ]
    if it.doc_no:
        dds.append(("wh", "文　　号：", it.doc_no))
    dl = "".join(
        f'<dd class="{c}"><label><font>{lab}</font></label><div class="display-block">{rc.esc(v)}'
        f"</div></dd>"
        for c, lab, v in dds
    )
    crumb = (
        f'<div class="position">当前位置：<a href="{rc.home_url(site)}">首页</a> &gt; <a href="/">政务公开</a>'
        f' &gt; <a href="/">部门信息公开目录</a> &gt; <a href="/">{rc.esc(site.unit.short)}</a> &gt; '
        f'法定主动公开内容 &gt; <a href="{col.list_path if col else "/"}">{rc.esc(col.name if col else "")}</a>'
        " &gt; 正文</div>"
    )
    body = (
        f'{crumb}<div class="xxgk_detail"><dl class="xxgk-info">{dl}</dl>'
        f"<ucaptitle>{rc.esc(it.title)}</ucaptitle>"
        f'<div class="time">发布日期：{d}</div>'
        f'<div id="UCAP-CONTENT"><ucapcontent><p>　　{rc.esc(it.title)}。现予公开。</p></ucapcontent></div>'
        f'<script>var websiteId="{paths.hex32(site.ip, "web")}";var websiteCode="{site.unit.site_code}";'
        f'var manuscriptId="{it.hex}";</script></div>'
    )
    return rc.page(site, it.title, rc.detail_metas(it), body)


def catalog_page(site: Site) -> str:
    body = (
        f'<div class="position">当前位置：<a href="{rc.home_url(site)}">首页</a> &gt; 政务公开 &gt; '
        f"部门信息公开目录 &gt; {rc.esc(site.unit.short)}</div>"
        f'<div class="xxgk_nav">{rc.catalog_html(site, site.catalog)}</div>'
    )
    return rc.page(site, f"{site.unit.name}信息公开", [("ColumnName", "信息公开")], body)


def make_dynamic(site: Site, pages: dict, day_ref):
    """xxgk.shtml?code=…&pageNum=N → the pre-rendered list page (bytes per day)."""
    prefix = f"/{site.opts['ucap_site']}/xxgk.shtml"

    def handler(method: str, path: str, query: str, body: bytes):
        if path != prefix:
            return None
        q = {k: v[-1] for k, v in parse_qs(query).items()}
        try:
            n = int(q.get("pageNum", "1")) - 1
        except ValueError:
            return None
        got = pages.get((day_ref(), q.get("code"), n))
        if got is None:
            return None
        return 200, "text/html", got

    return handler
