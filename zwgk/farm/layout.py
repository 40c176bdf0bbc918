"""Place a generated unit on its hosts: column ids, list and detail URLs, catalogs, sections."""

from __future__ import annotations

from datetime import timedelta

from zwgk.farm import paths
from zwgk.farm.model import Column, Section, Site, Unit

#: The provincial 依申请公开 platform some units link to; never served: a crawl that visits it
#: fails, so "present, not checked" is the only right reading.
PROVINCE_IP = "127.0.250.1"


def node(
    name: str, url: str | None = None, column: Column | None = None, children: list | None = None
) -> dict:
    return {"name": name, "url": url, "column": column, "children": children or []}


def place(u: Unit, port: int) -> None:
    x = u.index + 1
    for site in u.sites:
        base = paths.base_url(site, port)
        if site.role == "disclosure" and site.cms == "gkmlpt":
            site.url = f"{base}/gkmlpt/index"
        else:
            site.url = f"{base}{site.root}"
        site.opts.setdefault("sid", u.site_code)
        site.opts.setdefault("ucap_site", "dgqzf")
    if u.extra is not None:
        u.hosts = [f"{u.extra.ip}:{port}"]
    for site in (u.disclosure, u.portal):
        for k, col in enumerate(site.columns):
            col.colid = 1000 * x + 100 * (site.role == "portal") + k + 1
            paths.assign_list_path(col, _slug_path(site, col, k))
            col.url = f"{paths.base_url(site, port)}{col.list_path}"
            if site.cms == "gkmlpt":
                # The tree carries ids; the page links a column as index#{id} (cms.md §6), and
                # its items come from the JSON API (`api_url` in the truth).
                col.api_url, col.url = col.url, f"{site.url}#{col.colid}"
    _items(u, port)
    _catalog(u, port)
    _overrides(u)


def _slug_path(site: Site, col: Column, k: int) -> str:
    if col.section == "mirror":
        g = col.opts.get("group")
        return f"zwgk/{g[1]}/{col.key}" if g else f"zwgk/{col.key}"
    if col.section == "portal":
        return f"zwyw/{col.key}"
    if site.opts.get("numbered"):
        return f"gszbm/auto{23716 + 7 * k}"
    if site.opts.get("uuid"):
        h = paths.hex32(site.ip, col.key)
        return f"columns/{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
    if col.section != "fdzdgknr":
        return col.key
    g = col.opts.get("group")
    return f"fdzdgknr/{g[1]}/{col.key}" if g else f"fdzdgknr/{col.key}"


def _items(u: Unit, port: int) -> None:
    for site in (u.disclosure, u.portal):
        cols = site.columns
        news = next((c for c in cols if c.name == "工作动态"), None)
        other = next((c for c in cols if c.name in ("通知公告", "公示公告")), None)
        for col in cols:
            for it in col.items:
                if it.path:
                    continue  # a mirror shares the platform's item (and its URL)
                if (
                    col.date_form != "none"
                    and site.cms in ("trs", "hanweb")
                    and it.uid % 13 == 5
                    and it.date
                    and it.url_date == it.date
                ):
                    it.url_date = it.date + timedelta(days=1)  # URL date != displayed date
                cross = None
                if (
                    (site.opts.get("cross") or site.cms == "trs")
                    and it.uid % 11 == 0
                    and col.date_form != "none"
                    and not col.opts.get("undated_urls")
                ):
                    tgt = other if col is news else news
                    if tgt is not None and tgt is not col and site.cms == "trs":
                        cross = paths.column_dir(tgt)
                paths.assign_item_path(it, col, site, cross)
                it.url = f"{paths.base_url(site, port)}{it.path}"
            if col.opts.get("multipage"):
                for it in col.items[1::5]:
                    it.pages = 3
            if col.opts.get("restamp") and col.items:
                newest = max((i for i in col.items if i.date), key=lambda i: i.date)
                newest.meta_pubdate = f"{newest.date + timedelta(days=340):%Y-%m-%d} 10:00:43"
            if site.opts.get("big") == col.key:
                for it in col.items:
                    it.big = True
        if site.opts.get("uuid"):
            for col in cols:
                for it in col.items:
                    if it.uid % 5 == 0 and it.date and not it.meta_pubdate:
                        # a migration re-stamp: meta says one thing, the page another
                        it.meta_pubdate = f"{it.date + timedelta(days=3):%Y-%m-%d} 09:12:07"


def _catalog(u: Unit, port: int) -> None:
    site = u.disclosure
    opts = u.opts["d"]
    tree: list[dict] = []
    by_section = {c.section: c for c in site.columns if c.section in ("guide", "system", "annual")}
    for sec in ("guide", "system"):
        if sec in by_section:
            c = by_section[sec]
            tree.append(node(c.name, c.url, c))
    fd = node("法定主动公开内容")
    groups: dict[str, dict] = {}
    for c in site.columns:
        if c.section != "fdzdgknr":
            continue
        g = c.opts.get("group")
        if g:
            if g[0] not in groups:
                groups[g[0]] = node(g[0])
                fd["children"].append(groups[g[0]])
            groups[g[0]]["children"].append(node(c.name, c.url, c))
        else:
            fd["children"].append(node(c.name, c.url, c))
    tree.append(fd)
    tree.append(node(by_section["annual"].name, by_section["annual"].url, by_section["annual"]))
    req = opts.get("request", "normal")
    base = paths.base_url(site, port)
    root = "/" if site.cms in ("gkmlpt", "hanweb", "ucap") else site.root
    if u.extra is not None:
        rurl = f"{paths.base_url(u.extra, port)}/ysqgk/index.html"
        tree.append(node("依申请公开", rurl))
        note = f"on the extra host {u.extra.ip} listed in hosts:"
        present = True
    elif req == "external":  # the province's 依申请公开 platform: a host not in `hosts`
        rurl = f"http://{PROVINCE_IP}:{port}/ysqgk/{u.code}/index.html"
        tree.append(node("依申请公开", rurl))
        note = "linked to the province's platform outside the unit's hosts: present, not checked"
        present = True
    elif req == "form":
        rurl = f"{base}{root}ysqgk/zxsq.html"
        tree.append(node("在线申请", rurl))
        note, present = "only an online application form (在线申请) page", True
    elif req == "dead":
        rurl = f"{base}{root}ysqgk/index.html"
        tree.append(node("依申请公开", rurl))
        note, present = "the catalog links it but the link answers 404", False
    elif req == "none":
        rurl, note, present = None, "no 依申请公开 anywhere in the catalog", False
    else:
        rurl = f"{base}{root}ysqgk/index.html"
        tree.append(node("依申请公开", rurl))
        note, present = "申请指南 / 申请表 / 在线申请", True
    site.opts["request_url"] = rurl
    site.opts["request_kind"] = "extra" if u.extra is not None else req
    site.catalog = tree
    site.sections = [
        Section(
            "guide",
            "guide" in by_section,
            by_section["guide"].url if "guide" in by_section else None,
            by_section["guide"].name,
        ),
        Section(
            "system",
            "system" in by_section,
            by_section["system"].url if "system" in by_section else None,
            by_section["system"].name if "system" in by_section else "no 政府信息公开制度 section",
        ),
        Section(
            "fdzdgknr", True, site.url, "a catalog branch (label only) holding the leaf columns"
        ),
        Section("annual", True, by_section["annual"].url, by_section["annual"].name),
        Section("request", present, rurl, note),
    ]
    form = u.portal.opts.get("mirror_form") if u.portal else None
    if form in ("page", "menu"):
        u.portal.catalog = _portal_tree(
            tree, fd, [c for c in u.portal.columns if c.section == "mirror"]
        )
    elif form == "links":
        # the portal's entries are the platform's own column pages
        u.portal.catalog = _portal_tree(
            tree, fd, [c for c in site.columns if c.section == "fdzdgknr"]
        )


def _portal_tree(tree: list[dict], fd: dict, leaves: list[Column]) -> list[dict]:
    """The platform's tree with its 法定主动公开内容 branch rebuilt from the portal's leaves."""
    mfd = node(fd["name"])
    out = [mfd if n is fd else node(n["name"], n["url"]) for n in tree]
    groups: dict[str, dict] = {}
    for c in leaves:
        g = c.opts.get("group")
        if g:
            if g[0] not in groups:
                groups[g[0]] = node(g[0])
                mfd["children"].append(groups[g[0]])
            groups[g[0]]["children"].append(node(c.name, c.url, c))
        else:
            mfd["children"].append(node(c.name, c.url, c))
    return out


def _overrides(u: Unit) -> None:
    for c in u.disclosure.columns:
        if c.opts.get("override"):
            u.column_overrides.append({"url": c.url, "category": c.opts["override"]})
