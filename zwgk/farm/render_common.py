"""Shared page parts: the standard <meta> block, heads, nav, breadcrumbs, detail pages, home
pages, catalogs, 依申请公开 pages. All renderers return `str`; the host encodes (UTF-8 or GBK)."""

from __future__ import annotations

import html
import math
from datetime import date

from zwgk.farm import paths
from zwgk.farm import render_patterns as rp
from zwgk.farm.model import Column, Item, Site

META_STYLES = ["normal", "content_first", "normal", "dup", "empty"]


def esc(s: str) -> str:
    return html.escape(s, quote=True)


def fmt_date(d: date | None, form: str) -> str:
    if d is None or form == "none":
        return ""
    if form == "bracket":
        return f"[ {d:%Y-%m-%d} ]"
    if form == "chinese":
        return f"{d.year}年{d.month:02d}月{d.day:02d}日"
    if form == "md":
        return f"{d:%m-%d}"
    if form == "slash":
        return f"{d.year}/{d.month}/{d.day}"
    return d.isoformat()


def n_pages(col: Column, day: int) -> int:
    return max(1, math.ceil(len(col.visible(day)) / col.per_page))


def meta_style(site: Site) -> str:
    return site.opts.get("meta") or META_STYLES[(site.unit.index + (site.role == "portal")) % 5]


def meta_block(site: Site, pairs: list[tuple[str, str]]) -> str:
    """The national 政府网站 meta tags: SiteName/SiteDomain/SiteIDCode + page-specific ones."""
    style = meta_style(site)
    u = site.unit
    sid = u.site_code
    if site.opts.get("sid_detail") and any(k == "ArticleTitle" for k, _ in pairs):
        sid = site.opts["sid_detail"]  # an article template with a wrong 网站标识码 (plants.py)
    site_pairs = [
        ("SiteName", u.name + ("门户网站" if site.role == "portal" else "信息公开")),
        ("SiteDomain", site.ip),
        ("SiteIDCode", sid),
    ]
    allp = site_pairs + pairs
    if style == "empty":
        allp = [
            (k, "" if k in ("SiteDomain", "ColumnDescription", "ContentSource", "Keywords") else v)
            for k, v in allp
        ]
    if style == "content_first":
        tags = [f'<meta content="{esc(v)}" name="{k}" />' for k, v in allp]
    else:
        tags = [f'<meta name="{k}" content="{esc(v)}">' for k, v in allp]
    if style == "dup":
        tags += [f'<meta name="{k}" content="{esc(v)}">' for k, v in site_pairs]
        tags.append(
            f'<meta name="template,templategroup,version" '
            f'content="{paths.hex32(site.ip, "tpl")},default,1.1">'
        )
    return "\n".join(tags)


def charset_meta(site: Site) -> str:
    if site.meta_charset is None:
        return ""
    return f'<meta http-equiv="Content-Type" content="text/html; charset={site.meta_charset}" />'


def page(
    site: Site, title: str, metas: list[tuple[str, str]], body: str, head_extra: str = ""
) -> str:
    return (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n'
        f"{charset_meta(site)}\n<title>{esc(title)}</title>\n{meta_block(site, metas)}\n"
        f'<link rel="stylesheet" type="text/css" href="/css/style.css" />\n{head_extra}</head>\n'
        f"<body>\n{header(site)}\n{body}\n{footer(site)}\n</body>\n</html>\n"
    )


def home_url(site: Site) -> str:
    u = site.unit
    return u.portal.url if u.portal and u.portal.block != "down" else u.disclosure.url


def header(site: Site) -> str:
    u = site.unit
    if site.opts.get("chrome") == "menus":  # 办事服务/互动交流/走进XX on every page
        return f'<div class="header"><div class="logo">{esc(u.name)}</div>{rp.header_menu(u.short, u.disclosure.url)}</div>'
    if site.role == "portal":
        return (
            f'<div class="header"><div class="logo">{esc(u.name)}</div>\n<ul class="nav">'
            f'<li><a href="/">首页</a></li>'
            f'<li><a href="{u.disclosure.url}">政务公开</a></li>'
            f'<li><a href="/zwfw/index.html">政务服务</a></li>'
            f'<li><a href="/hdjl/index.html">互动交流</a></li></ul></div>'
        )
    return (
        f'<div class="header"><div class="logo">{esc(u.name)}信息公开</div>'
        f'<div class="top-links"><a href="{home_url(site)}">网站首页</a> | '
        f'<a href="{site.url}">信息公开首页</a></div></div>'
    )


def footer(site: Site) -> str:
    u = site.unit
    links = rp.footer_links(u.short) if site.opts.get("chrome") == "menus" else ""
    return (
        f'<div class="footer">{links}<p>主办：{esc(u.name)}办公室　网站标识码：{u.site_code}</p>'
        f"<p>皖ICP备05001{u.index:03d}号</p></div>"
    )


def crumbs(site: Site, col: Column) -> str:
    """当前位置：首页 > 政府信息公开 > 法定主动公开内容 > … (Ucap: the long 部门目录 form)."""
    parts = [f'<a href="{home_url(site)}">首页</a>']
    if col.section in ("portal",):
        pass
    elif col.section == "mirror":
        if site.opts.get("mirror_form") == "page":
            parts.append('<a href="/zwgk/index.html">信息公开目录</a>')
        else:
            parts.append("政府信息公开")
    else:
        if site.cms == "ucap":
            parts += [
                '<a href="/">政务公开</a>',
                '<a href="/">部门信息公开目录</a>',
                f'<a href="/">{esc(site.unit.short)}</a>',
            ]
        else:
            parts.append(f'<a href="{site.url}">政府信息公开</a>')
    names = col.catalog_path.split("/")
    if col.section == "mirror":
        names = names[1:]
    parts += [esc(n) for n in names[:-1]]
    parts.append(f'<a href="{col.url}">{esc(col.name)}</a>')
    return '<div class="position">当前位置：' + " &gt; ".join(parts) + "</div>"


def catalog_html(site: Site, tree: list[dict], cls: str = "left-nav") -> str:
    label_of = rp.LABELS.get(site.opts.get("labels", ""), esc)
    if site.opts.get("catalog_form") == "dl":
        return rp.dl_catalog(tree, label_of)

    def walk(nodes: list[dict], depth: int) -> str:
        out = [f'<ul class="{cls if depth == 0 else "sub"}">']
        for n in nodes:
            label = (
                f'<a href="{n["url"]}" title="{esc(n["name"])}">{label_of(n["name"])}</a>'
                if n["url"]
                else f'<span class="node">{label_of(n["name"])}</span>'
            )
            kids = walk(n["children"], depth + 1) if n["children"] else ""
            out.append(f"<li>{label}{kids}</li>")
        out.append("</ul>")
        return "\n".join(out)

    return walk(tree, 0)


def href(item: Item, col: Column) -> str:
    """Relative ./YYYYMM/… inside the column dir, absolute path across columns, full URL across hosts."""
    if item.host != col.site.ip:
        return item.url
    cdir = paths.column_dir(col)
    if (col.site.cms == "trs" or col.section in ("mirror",)) and item.path.startswith(cdir):
        return "./" + item.path[len(cdir) :]
    return item.path


LABELS = [
    ("索 引 号：", "主题分类：", "发布机构：", "发文字号：", "发布日期：", "标　　题："),
    ("索引号：", "信息分类：", "发文机关：", "文号：", "发布日期：", "名　称："),
    ("索 引 号:", "主题分类:", "发布机构:", "发文字号:", "成文日期:", "标　题:"),
]


def gk_table(site: Site, item: Item, form: str = "iso") -> str:
    """The 公开目录表头 of a detail page, with label spelling varying per site."""
    lab = LABELS[site.unit.index % 3]
    d = fmt_date(item.date, form) if item.date else ""
    b = "<b>{}</b>" if site.unit.index % 2 else "<strong>{}</strong>"
    cells = [
        (lab[0], item.index_no or ""),
        (lab[1], col_name(item)),
        (lab[2], item.publisher),
        (lab[3], item.doc_no or ""),
        (lab[4], d),
        (lab[5], item.title),
    ]
    rows = "".join(f"<tr><td>{b.format(k)}{esc(v)}</td></tr>" for k, v in cells)
    return f'<table class="xxgk_table gkml">{rows}</table>'


def col_name(item: Item) -> str:
    return item.column.name if item.column else ""


NOISE_CHUNK = (
    "<!-- chrome-extension://cfhdojbkjhnklbpkdaibdccddilifddb/ adblock-frame -->"
    '<div style="display:none" data-grammarly-shadow-root="true" class="gr_ver_2"></div>'
    '<input type="hidden" name="__VIEWSTATE" value="'
    + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo" * 40
    + '" />\n'
)


def noise(kb: int = 110) -> str:
    """Browser/extension noise so the page passes 100 KB."""
    reps = kb * 1024 // len(NOISE_CHUNK.encode()) + 1
    return NOISE_CHUNK * reps


def detail_body(site: Site, item: Item, k: int = 0, form: str = "iso") -> str:
    """A detail page body: title, visible 发布日期, 公开目录表头, TRS_Editor content."""
    visible = ""
    if item.date:
        visible = f"发布日期：{fmt_date(item.date, form)}"
    paras = "".join(
        f"<p>　　{esc(item.title)}。根据有关规定，现将有关事项公开如下（第{j + 1}部分）。</p>"
        for j in range(3)
    )
    body = (
        f'<div class="article">{gk_table(site, item, form)}\n'
        f'<h1 class="title">{esc(item.title)}</h1>\n'
        f'<div class="info"><span class="time">{visible}</span>'
        f"<span>来源：{esc(item.publisher)}</span></div>\n"
        '<style type="text/css">.TRS_Editor P{margin-top:5px;line-height:1.8;font-size:12pt;}</style>\n'
        f'<div class="TRS_Editor">{paras}</div>\n'
    )
    if item.pages > 1:
        stem = item.path.rsplit("/", 1)[1].rsplit(".", 1)
        body += (
            f'<div class="page"><script type="text/javascript">'
            f'createPageHTML({item.pages}, {k}, "{stem[0]}", "{stem[1]}");</script></div>'
        )
    if item.related:
        label = "原文链接" if item.plant == "interpretation" else "相关解读"
        links = "".join(
            f'<a href="{r.url}" target="_blank">{esc(r.title)}</a>' for r in item.related
        )
        body += f'<div class="xgjd">{label}：{links}</div>\n'
    if item.big:
        body += noise()
    return body + "</div>"


def detail_metas(item: Item) -> list[tuple[str, str]]:
    pub = item.meta_pubdate or (
        f"{item.date:%Y-%m-%d} {9 + item.uid % 8:02d}:{item.uid % 60:02d}" if item.date else ""
    )
    return [
        ("ArticleTitle", item.title),
        ("PubDate", pub),
        ("ContentSource", item.publisher),
        ("Keywords", col_name(item)),
        ("Description", item.title),
    ]


def list_metas(col: Column) -> list[tuple[str, str]]:
    return [
        ("ColumnName", col.name),
        ("ColumnDescription", f"{col.name}栏目"),
        ("ColumnKeywords", col.name),
        ("ColumnType", col.column_type),
    ]


def home_page(site: Site, day: int, items_of) -> str:
    """Portal home: nav, 工作动态/通知公告 boxes with dates, link to the /zwgk/ catalog."""
    u = site.unit
    boxes = []
    for title, col in site.home_items.items():
        lis = "".join(
            f'<li><a href="{i.url if i.host != site.ip else i.path}" title="{esc(i.title)}">'
            f"{esc(i.title)}</a><span>{fmt_date(i.date, 'md' if col.date_form == 'md' else 'iso')}</span></li>"
            for i in items_of(col, day)[:6]
        )
        boxes.append(
            f'<div class="box"><h3>{title}<a class="more" href="{col.list_path}">更多&gt;&gt;</a>'
            f"</h3><ul>{lis}</ul></div>"
        )
    side = ""
    form = site.opts.get("mirror_form")
    if form == "menu":  # the catalog itself, in the page, under a heading that links nowhere
        side = (
            '<div class="box zwgk-menu"><div class="tit"><span>政府信息公开</span></div>'
            f"{catalog_html(site, site.catalog, 'zwgk-tree')}</div>"
        )
    elif form:
        side = '<div class="box"><h3><a href="/zwgk/index.html">政府信息公开目录</a></h3></div>'
    body = (
        f'<div class="banner">{esc(u.name)}欢迎您</div>\n<div class="main">{"".join(boxes)}{side}</div>'
        f'<div class="links"><a href="{u.disclosure.url}">政府信息公开平台</a></div>'
    )
    return page(site, f"{u.name}门户网站", [], body)


def simple_page(site: Site, title: str, text: str) -> str:
    return page(
        site,
        title,
        [("ColumnName", title)],
        f'<div class="content"><h2>{title}</h2><p>{text}</p></div>',
    )


def ysqgk_pages(site: Site, root: str) -> dict[str, str]:
    """依申请公开: a page with 申请指南 / 申请表 / 在线申请 (paths under root + 'ysqgk/')."""
    u = site.unit
    p = root + "ysqgk/"
    idx = (
        f'<div class="ysqgk"><h2>依申请公开</h2><ul>'
        f'<li><a href="{p}sqzn.html">申请指南</a></li>'
        f'<li><a href="{p}sqb.html">申请表下载</a></li>'
        f'<li><a href="{p}zxsq.html">在线申请</a></li></ul>'
        f"<p>公民、法人或者其他组织可以向{esc(u.name)}申请获取相关政府信息。</p></div>"
    )
    return {
        p + "index.html": page(site, "依申请公开", [("ColumnName", "依申请公开")], idx),
        p + "sqzn.html": simple_page(
            site, "依申请公开申请指南", "申请人可以通过在线申请、信函、当面提交等方式提出申请。"
        ),
        p + "sqb.html": simple_page(
            site, "政府信息公开申请表", "申请人姓名、证件号码、联系方式、所需信息描述、用途。"
        ),
        p + "zxsq.html": form_page(site),
    }


def form_page(site: Site) -> str:
    fields = [
        "申请人类型",
        "姓名/名称",
        "证件号码",
        "联系电话",
        "通信地址",
        "所需信息的内容描述",
        "所需信息的用途",
        "获取信息的方式",
    ]
    rows = "".join(
        f'<tr><td>{f}</td><td><input name="f{k}" /></td></tr>' for k, f in enumerate(fields)
    )
    body = (
        f'<div class="ysqgk"><h2>在线申请</h2><form method="post" action="#">'
        f'<table class="form">{rows}</table><input type="submit" value="提交申请" /></form></div>'
    )
    return page(site, "政府信息公开在线申请", [("ColumnName", "在线申请")], body)
