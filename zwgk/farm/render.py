"""Render a City (one day) into per-host page tables and dynamic handlers for the server."""

from __future__ import annotations

from dataclasses import dataclass, field

from zwgk.farm import render_common as rc
from zwgk.farm import render_gkmlpt, render_hanweb, render_trs, render_ucap
from zwgk.farm import render_patterns as rp
from zwgk.farm.model import City, Column, Item, Site

CSS = b"body{font:12px/1.5 SimSun,serif}.list li{overflow:hidden}"


@dataclass
class Host:
    ip: str
    block: str | None = None
    charset: str = "utf-8"
    bare: bool = False  # no charset in the Content-Type header either (nor in any <meta>)
    pages: dict[str, bytes] = field(default_factory=dict)  # path -> body
    ctypes: dict[str, str] = field(default_factory=dict)  # path -> content type when not html
    list_paths: set[str] = field(default_factory=set)  # list pages (the flaky 503 applies to these)
    dynamic: list = field(default_factory=list)  # handler(method, path, query, body) -> resp | None

    def html_type(self) -> str:
        return "text/html" if self.charset != "utf-8" or self.bare else "text/html; charset=utf-8"

    def put(self, path: str, text: str, is_list: bool = False) -> None:
        self.pages[path] = text.encode(self.charset, errors="xmlcharrefreplace")
        if is_list:
            self.list_paths.add(path)


def render_city(city: City) -> dict[str, Host]:
    hosts: dict[str, Host] = {}
    day = city.day
    for u in city.units:
        for site in u.sites:
            if site.block == "down":
                continue
            h = hosts.get(site.ip)
            if h is None:
                h = hosts[site.ip] = Host(
                    site.ip, site.block, site.charset, bare=site.meta_charset is None
                )
                h.pages["/css/style.css"] = CSS
                h.ctypes["/css/style.css"] = "text/css"
                h.pages["/js/createPageHTML.js"] = render_trs.PAGE_JS.encode()
                h.ctypes["/js/createPageHTML.js"] = "application/javascript"
            if site.role == "extra":
                h.put(
                    "/",
                    rc.simple_page(
                        site,
                        "依申请公开平台",
                        f'<a href="/ysqgk/index.html">{rc.esc(u.name)}依申请公开</a>',
                    ),
                )
                for p, t in rc.ysqgk_pages(site, "/").items():
                    h.put(p, t)
                continue
            if site.opts.get("chrome") == "menus":
                _chrome_pages(site, h)
            if site.role == "portal":
                _portal(site, h, day)
            else:
                _platform(city, site, h, day)
    from zwgk.farm.render_links import add_links  # it builds on this module's Host

    add_links(city, hosts)
    return hosts


def _chrome_pages(site: Site, h: Host) -> None:
    """The pages the header menu and footer link to: plain pages, never columns."""
    for title, path in rp.menu_links(site.unit.short):
        if path not in h.pages:
            h.put(path, rc.simple_page(site, title, f"{rc.esc(site.unit.name)}{title}。"))


def _columns(site: Site, h: Host, day: int) -> None:
    for col in site.columns:
        if site.cms == "hanweb" and col.section != "mirror":
            h.put(col.list_path, render_hanweb.column_page(col, day), True)
        elif site.cms in ("trs",) or col.section == "mirror":
            for p, t in render_trs.list_pages(col, day).items():
                h.put(p, t, True)
        _details(site, col, h, day)


def _details(site: Site, col: Column, h: Host, day: int) -> None:
    for it in col.visible(day):
        if it.host != site.ip or it.path in h.pages:
            continue
        _detail(site, it, h)


def _detail(site: Site, it: Item, h: Host) -> None:
    own = it.column.site if it.column and it.column.site.ip == site.ip else site
    if own.cms == "hanweb" and it.path.startswith("/art/"):
        h.put(it.path, render_hanweb.detail_page(own, it))
    elif own.cms == "gkmlpt" and it.path.startswith("/gkmlpt/"):
        h.put(it.path, render_gkmlpt.detail_page(own, it, it.url[: -len(it.path)]))
    elif own.cms == "ucap" and it.path.endswith(".shtml") and it.hex:
        h.put(it.path, render_ucap.detail_page(own, it))
    else:
        for p, t in render_trs.detail_pages(own, it).items():
            h.put(p, t)


def _portal(site: Site, h: Host, day: int) -> None:
    home = rc.home_page(site, day, lambda c, d: c.visible(d))
    h.put("/", home)
    h.put("/index.html", home)
    h.put("/zwfw/index.html", rc.simple_page(site, "政务服务", "请登录省政务服务网办理相关事项。"))
    h.put("/hdjl/index.html", rc.simple_page(site, "互动交流", "领导信箱、网上调查、在线访谈。"))
    form = site.opts.get("mirror_form")
    if form in ("page", "links", "iframe"):
        if form == "iframe":  # the portal frames the platform's own catalog page
            inner = (
                f'<iframe id="zwgk" src="{site.unit.disclosure.url}" width="100%" height="1600"'
                ' frameborder="0" scrolling="auto"></iframe>'
            )
        else:
            inner = f"<h3>政府信息公开目录</h3>{rc.catalog_html(site, site.catalog)}"
        body = (
            f'<div class="position">当前位置：<a href="/">首页</a> &gt; 信息公开目录</div>'
            f'<div class="zwgk_nav">{inner}</div>'
        )
        h.put(
            "/zwgk/index.html",
            rc.page(site, "政府信息公开目录", [("ColumnName", "政府信息公开目录")], body),
        )
    _columns(site, h, day)
    if site.cms == "hanweb":
        cols = {c.colid: c for c in site.columns}
        h.dynamic.append(render_hanweb.make_dynamic(site, cols, lambda: day))


def _platform(city: City, site: Site, h: Host, day: int) -> None:
    root = site.root
    cols = {c.colid: c for c in site.columns}
    if site.cms == "trs":
        cat = render_trs.catalog_page(site)
        h.put(root, cat)
        h.put(root + "index.html", cat)
        _columns(site, h, day)
    elif site.cms == "hanweb":
        cat = render_hanweb.catalog_page(site)
        h.put(root, cat)
        h.put(root + "index.html", cat)
        _columns(site, h, day)
        h.dynamic.append(render_hanweb.make_dynamic(site, cols, lambda: day))
    elif site.cms == "gkmlpt":
        h.put(
            "/",
            rc.simple_page(site, "政府信息公开", '<a href="/gkmlpt/index">政府信息公开目录</a>'),
        )
        h.put("/gkmlpt/index", render_gkmlpt.index_page(site, day))
        for col in site.columns:
            _details(site, col, h, day)
        h.dynamic.append(
            render_gkmlpt.make_dynamic(site, cols, lambda: day, f"http://{site.ip}:{city.port}")
        )
    elif site.cms == "ucap":
        cat = render_ucap.catalog_page(site)
        h.put("/", cat)
        h.put("/index.shtml", cat)
        pages: dict = {}
        for col in site.columns:
            for n in range(rc.n_pages(col, day)):
                pages[(day, col.key, n)] = render_ucap.list_page(col, day, n).encode(
                    site.charset, errors="xmlcharrefreplace"
                )
            _details(site, col, h, day)
        h.dynamic.append(render_ucap.make_dynamic(site, pages, lambda: day))
    kind = site.opts.get("request_kind")
    rroot = "/" if site.cms in ("gkmlpt", "hanweb", "ucap") else root
    if kind in ("normal", "form"):
        for p, t in rc.ysqgk_pages(site, rroot).items():
            if kind == "form" and not p.endswith("zxsq.html"):
                continue
            h.put(p, t)
