"""Hanweb 大汉 JCMS (cms.md §2): /col/colN/index.html whose first page lives only inside
<script type="text/xml"><datastore> CDATA records; a jpage({...}) init; a dataproxy.jsp that works at
exactly one of the three known paths (POST startrecord/endrecord/perpage in 3-page groups, or GET
page=N returning <datastore><totalrecord><totalpage><recordset>); /module/xxgk/search.jsp."""

from __future__ import annotations

import math
from urllib.parse import parse_qs, quote

from zwgk.farm import render_common as rc
from zwgk.farm.model import Column, Item, Site

PROXY_PATHS = (
    "/module/web/jpage/dataproxy.jsp",
    "/module/jslib/jquery/jpage/dataproxy.jsp",
    "/module/jpage/dataproxy.jsp",
)


def proxy_path(site: Site) -> str:
    return site.opts.get("dataproxy", PROXY_PATHS[0])


def webid(site: Site) -> int:
    return 10 + site.unit.index


def unitid(col: Column) -> int:
    return 200000 + col.colid


def record(col: Column, it: Item) -> str:
    style = col.site.opts.get("styles", [col.site.opts.get("style", "li_span")])
    style = style[col.colid % len(style)]
    d = rc.fmt_date(it.date, col.date_form)
    t = rc.esc(it.title)
    if style == "li_b":
        return f"<li class=\"clearfix\"><a href='{it.path}' title='{t}' target='_blank'>{t}</a> <b>{d}</b></li>"
    if style == "li_i_trunc":
        short = rc.esc(it.title[:14] + "..." if len(it.title) > 14 else it.title)
        return (
            f"<li><a href='{it.path}' title='{t}' target='_blank'><span class=\"list_title\">{short}</span>"
            f"<i>{d}</i></a></li>"
        )
    if style == "tr":
        return (
            f"<tr><td><img src='/images/dot.gif'/><a href='{it.path}' title='{t}' target='_blank'>{t}</a>"
            f"</td><td class='bt_time'>{d}</td></tr>"
        )
    return f"<li><a href='{it.path}' title='{t}' target='_blank'>{t}</a><span>{d}</span></li>"


def _records(col: Column, items: list[Item]) -> str:
    return "\n".join(f"<record><![CDATA[\n{record(col, it)}\n]]></record>" for it in items)


def webname(site: Site) -> str:
    once = quote(site.unit.name)
    return quote(once) if site.unit.index % 2 == 0 else once  # double-encoded on some sites


def column_page(col: Column, day: int) -> str:
    site = col.site
    items = col.visible(day)
    per = col.per_page
    proxy = proxy_path(site)
    uid = unitid(col)
    q = (
        f"appid=1&webid={webid(site)}&path=/&columnid={col.colid}&unitid={uid}"
        f"&webname={webname(site)}&permissiontype=0"
    )
    nodata = '<div class="nodata">暂无信息</div>' if col.placeholder and not items else ""
    body = (
        f'{rc.crumbs(site, col)}\n<div class="wrap"><div class="left">'
        f"{rc.catalog_html(site, site.catalog) if site.catalog else ''}</div>"
        f'<div class="right"><div class="lm_title">{rc.esc(col.name)}</div>{nodata}\n'
        f'<div id="{uid}"><script type="text/xml"><datastore>\n'
        f'<nextgroup><![CDATA[<a href="{proxy}?page=1&{q}"></a>]]></nextgroup>\n'
        f"<recordset>\n{_records(col, items[:per])}\n</recordset></datastore></script></div>\n"
        '<script type="text/javascript" src="/module/jslib/jquery/jpage/jquery.page.min.js"></script>\n'
        f"<script>$('#{uid}').jpage({{dataStore:dataStore, totalRecord:{len(items)}, perPage:{per}, "
        f"showMode:'full', proxyUrl:'{proxy}', groupSize:3, barPosition:'bottom', "
        f"ajaxParam:{{col:1,appid:1,webid:{webid(site)},path:'/',columnid:{col.colid},"
        f"sourceContentType:1,unitid:'{uid}',webname:'{webname(site)}',permissiontype:0}}}});</script>"
        "</div></div>"
    )
    metas = rc.list_metas(col) + [("i_columnid", str(col.colid))]
    return rc.page(site, f"{col.name}_{site.unit.name}", metas, body)


def detail_page(site: Site, item: Item) -> str:
    body = rc.detail_body(site, item, 0, "iso")
    body = body.replace(
        '<div class="TRS_Editor">', '<!--ZJEG_RSS.content.begin--><div class="zoom">', 1
    )
    metas = rc.detail_metas(item) + [
        ("i_columnid", str(item.column.colid if item.column else 0)),
        ("i_articleid", str(item.uid)),
    ]
    return rc.page(site, item.title, metas, body + "<!--ZJEG_RSS.content.end-->")


def catalog_page(site: Site) -> str:
    body = (
        f'<div class="position">当前位置：<a href="{rc.home_url(site)}">首页</a> &gt; 政府信息公开</div>'
        f'<div class="xxgk_nav">{rc.catalog_html(site, site.catalog)}</div>'
    )
    return rc.page(site, f"{site.unit.name}政府信息公开", [("ColumnName", "政府信息公开")], body)


def _xml(col: Column, items: list[Item], total: int, per: int) -> bytes:
    pages = max(1, math.ceil(total / per))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n'
        f"<totalrecord>{total}</totalrecord>\n<totalpage>{pages}</totalpage>\n"
        f"<recordset>\n{_records(col, items)}\n</recordset>\n</datastore>\n"
    ).encode()


def make_dynamic(site: Site, cols: dict[int, Column], day_ref):
    """Handlers for dataproxy.jsp (one path only) and /module/xxgk/search.jsp."""
    good = proxy_path(site)

    def handler(method: str, path: str, query: str, body: bytes):
        if path in PROXY_PATHS and path != good:
            return None  # the wrong path: 404
        if path == good:
            q = {k: v[-1] for k, v in parse_qs(query).items()}
            if method == "POST":
                q.update({k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace")).items()})
            try:
                col = cols[int(q.get("columnid", "0"))]
            except (KeyError, ValueError):
                return None  # another site on this host may own it; else 404
            items = col.visible(day_ref())
            per = col.per_page
            if "startrecord" in q:
                try:
                    start, end = int(q["startrecord"]), int(q["endrecord"])
                    per = int(q.get("perpage", per))
                except ValueError:
                    return 400, "text/plain", b"bad parameters"
                return (
                    200,
                    "text/xml;charset=UTF-8",
                    _xml(col, items[start - 1 : end], len(items), per),
                )
            try:
                n = int(q.get("page", "1"))
            except ValueError:
                n = 1
            return (
                200,
                "text/xml;charset=UTF-8",
                _xml(col, items[(n - 1) * per : n * per], len(items), per),
            )
        if path == "/module/xxgk/search.jsp":
            return search(method, query, body, cols, day_ref())
        return None

    return handler


def search(method: str, query: str, body: bytes, cols: dict[int, Column], day: int):
    q = {k: v[-1] for k, v in parse_qs(query).items()}
    if method == "POST":
        q.update({k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace")).items()})
    try:
        col = cols[int(q.get("infotypeId", "0"))]
        page = max(1, int(q.get("currpage", "1")))
    except (KeyError, ValueError):
        return None
    items = col.visible(day)
    per = 15
    chunk = items[(page - 1) * per : page * per]
    rows = []
    for k, it in enumerate(chunk):
        cls = "tr_main_value_odd" if k % 2 == 0 else "tr_main_value_even"
        rows.append(
            f'<tr class="{cls}"><td>{it.index_no or ""}</td><td><a class="bt_link" href="{it.path}" '
            f'title="{rc.esc(it.title)}" target="_blank">{rc.esc(it.title)}</a></td>'
            f"<td>{it.date.isoformat() if it.date else ''}</td></tr>"
        )
    pages = max(1, math.ceil(len(items) / per))
    html = (
        f'<table class="xxgk_result">{"".join(rows)}</table>'
        f'<div class="page">共{len(items)}条&nbsp;&nbsp;第{page}/{pages}页&nbsp;&nbsp;</div>'
    )
    return 200, "text/html; charset=utf-8", html.encode()
