"""TRS WCM pages (cms.md §1): index.html + 0-based index_N pages whose pager exists only as a
createPageHTML(...) call (shared JS, inlined function, `var countPage` form, container-first form),
three list markups (ul/li+span, date-inside-anchor with cont_line spacers, OLD UPPERCASE TABLE with
GroupBlankLine and broken quoting) and the 信息公开 catalogue table 名称|索引号|发布机构|发布日期."""

from __future__ import annotations

from zwgk.farm import paths
from zwgk.farm import render_common as rc
from zwgk.farm import render_patterns as rp
from zwgk.farm.model import Column, Item, Site

PAGE_JS = """function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount<=1){ return; }
  var nCurrIndex = _nCurrIndex || 0;
  if(nCurrIndex == 0) document.write("<span>首页</span>&nbsp;<span>上一页</span>&nbsp;");
  else { document.write("<a href=\\""+_sPageName+"."+_sPageExt+"\\">首页</a>&nbsp;");
    if(nCurrIndex == 1) document.write("<a href=\\""+_sPageName+"."+_sPageExt+"\\">上一页</a>&nbsp;");
    else document.write("<a href=\\""+_sPageName+"_" + (nCurrIndex-1) + "."+_sPageExt+"\\">上一页</a>&nbsp;"); }
  if(nCurrIndex == (_nPageCount-1)) document.write("<span>下一页</span>&nbsp;<span>尾页</span>");
  else { document.write("<a href=\\""+_sPageName+"_" + (nCurrIndex+1) + "."+_sPageExt+"\\">下一页</a>&nbsp;");
    document.write("<a href=\\""+_sPageName+"_" + (_nPageCount-1) + "."+_sPageExt+"\\">尾页</a>"); }
  document.write("&nbsp;共"+_nPageCount+"页");
}"""


def pager(col: Column, count: int, i: int, total: int) -> str:
    form = col.site.opts.get("pager", "shared") if col.section != "mirror" else "shared"
    if form in rp.PAGERS:
        return rp.PAGERS[form](col, count, i)
    name, ext = col.list_path.rsplit("/", 1)[1].rsplit(".", 1)
    if form == "inline":
        return (
            '<div class="page"><script language="JavaScript">\n'
            + PAGE_JS.replace(
                "function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt)",
                "function createPageHTML(_nPageCount,_nCurrIndex,_sPageName,_sPageExt)",
            )
            + f'//WCM置标\ncreatePageHTML({count}, {i}, "{name}", "{ext}");\n</script></div>'
        )
    if form == "countPage":
        return (
            "<div class=\"page\"><script type='text/javascript'>\n"
            f"var currentPage = {i};//所在页从0开始\nvar prevPage = currentPage-1//上一页\n"
            f"var nextPage = currentPage+1//下一页\nvar countPage = {count}//共多少页\n"
            f"var countnum={total};\n"
            "if(countPage>1&&currentPage!=0&&currentPage!=1)\n"
            f"  document.write(\"<a href='{name}.{ext}'>首页</a>&nbsp;<a href='{name}_\"+prevPage+\".{ext}'>上一页</a>\");\n"
            "if(countPage>1&&currentPage!=(countPage-1))\n"
            f'  document.write("<a href=\'{name}_"+nextPage+".{ext}\'>下一页</a>");\n'
            "</script></div>"
        )
    if form == "container":
        return (
            f'<div id="page_div"></div><script type="text/javascript">'
            f"createPageHTML('page_div',{count}, {i + 1},'{name}','{ext}',{total});</script>"
        )
    return (
        f'<div class="page"><script type="text/javascript">'
        f'createPageHTML({count}, {i}, "{name}", "{ext}");</script></div>'
    )


def rows(col: Column, items: list[Item]) -> str:
    form = col.date_form
    # a CMS template row left hidden in a non-empty list (read it as nothing, not as 暂无信息)
    tail = (
        rp.HIDDEN_NODATA if items and col.site.opts.get("template_row") == "hidden_nodata" else ""
    )
    if items and col.layout in rp.LISTS:
        return rp.LISTS[col.layout](col, items, tail)
    if not items:
        return (
            f'<ul class="list"><li class="nodata">{"暂无信息" if col.placeholder else ""}</li></ul>'
            if col.placeholder
            else '<ul class="list"></ul>'
        )
    if col.layout == "anchor":
        out = ['<ul class="list_con">']
        for it in items:
            out.append(
                f'<li><a href="{rc.href(it, col)}" target="_blank" style=":&quot;background:" url(xx_li5.jpg)="">'
                f'<span class="cont_tit"><img src="/images/dot.gif" border="0">'
                f'<font class="cont_tit03">{rc.esc(it.title)}</font>'
                f'<font class="cont_tit02">{rc.fmt_date(it.date, form)}</font></span></a></li>'
                '<li class="cont_line"><img src="/images/xx_line.jpg" /></li>'
            )
        return "\n".join(out + [tail + "</ul>"])
    if col.layout == "table":
        out = ["<TABLE width=100% border=0 cellSpacing=0 cellPadding=0>"]
        for k, it in enumerate(items):
            out.append(
                f'<TR>\n<TD class=list_td height=26><IMG src="/images/dot.gif" width=3 height=3>&nbsp;<A \n'
                f"href=\"{rc.href(it, col)}\" target=_blank title='{rc.esc(it.title)}'>{rc.esc(it.title)}</A></TD>\n"
                f'<TD width=60" align="right" class=date>{rc.fmt_date(it.date, form)}</TD></TR>'
            )
            if k % 5 == 4:
                out.append('<TR height=1><TD colspan=2 class="GroupBlankLine"></TD></TR>')
        return "\n".join(out + ["</TABLE>"])
    if col.layout == "xxgk":
        out = [
            '<table class="xxgk_list" width="100%"><tr><th>名称</th><th>索引号</th>'
            "<th>发布机构</th><th>发布日期</th></tr>"
        ]
        for it in items:
            out.append(
                f'<tr><td class="mc"><a href="{rc.href(it, col)}" target="_blank" '
                f'title="{rc.esc(it.title)}">{rc.esc(it.title)}</a></td>'
                f"<td>{it.index_no or ''}</td><td>{rc.esc(it.publisher)}</td>"
                f"<td>{rc.fmt_date(it.date, form)}</td></tr>"
            )
        return "\n".join(out + ["</table>"])
    out = ['<ul class="list">']
    for it in items:
        top = '<em class="zd">[置顶]</em>' if it.pinned else ""
        out.append(
            f'<li>{top}<a href="{rc.href(it, col)}" target="_blank" title="{rc.esc(it.title)}">'
            f'{rc.esc(it.title)}</a><span class="date">{rc.fmt_date(it.date, form)}</span></li>'
        )
    return "\n".join(out + [tail + "</ul>"])


def list_pages(col: Column, day: int) -> dict[str, str]:
    site = col.site
    items = col.visible(day)
    count = rc.n_pages(col, day)
    side = ""
    nav_site = site if site.catalog else None
    if nav_site is not None:
        side = f'<div class="left">{rc.catalog_html(site, site.catalog)}</div>'
    out = {}
    shared = '<script type="text/javascript" src="/js/createPageHTML.js"></script>\n'
    for i in range(count):
        chunk = items[i * col.per_page : (i + 1) * col.per_page]
        body = (
            f'{rc.crumbs(site, col)}\n<div class="wrap">{side}<div class="right">'
            f'<div class="lm_title">{rc.esc(col.name)}</div>\n{rows(col, chunk)}\n'
            f"{pager(col, count, i, len(items))}</div></div>"
        )
        out[paths.list_page_path(col, i)] = rc.page(
            site, f"{col.name}_{site.unit.name}", rc.list_metas(col), body, shared
        )
    return out


def detail_pages(site: Site, item: Item) -> dict[str, str]:
    out = {}
    shared = '<script type="text/javascript" src="/js/createPageHTML.js"></script>\n'
    form = "chinese" if site.unit.index % 4 == 3 else "iso"
    for k in range(item.pages):
        out[paths.detail_page_path(item, k)] = rc.page(
            site, item.title, rc.detail_metas(item), rc.detail_body(site, item, k, form), shared
        )
    return out


def catalog_page(site: Site) -> str:
    body = (
        f'<div class="position">当前位置：<a href="{rc.home_url(site)}">首页</a> &gt; 政府信息公开</div>'
        f'<div class="wrap"><div class="left"><h3>政府信息公开目录</h3>'
        f"{rc.catalog_html(site, site.catalog)}</div></div>"
    )
    return rc.page(site, f"{site.unit.name}政府信息公开", [("ColumnName", "政府信息公开")], body)
