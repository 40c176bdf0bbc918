"""URL schemes of each CMS family (cms.md §1.1, §2.1, §3): list pages and detail pages."""

from __future__ import annotations

import hashlib
from datetime import date

from zwgk.farm.model import Column, Item, Site

JSPX_PARAM = {"jspx_pageno": "pageNo", "jspx_page": "page"}  # pager form -> page parameter


def hex32(*parts: object) -> str:
    return hashlib.md5(":".join(map(str, parts)).encode()).hexdigest()


def base_url(site: Site, port: int) -> str:
    return f"http://{site.ip}:{port}"


def list_page_path(col: Column, n: int) -> str:
    """Path of list page n (0-based) for the static families."""
    site = col.site
    if site.cms == "trs" or col.section == "mirror":
        if n == 0:
            return col.list_path
        param = JSPX_PARAM.get(site.opts.get("pager", ""))
        if param and col.section != "mirror":  # jeecms: list.jspx?pageNo=2
            return f"{col.list_path}?{param}={n + 1}"
        stem, ext = col.list_path.rsplit(".", 1)
        return f"{stem}_{n}.{ext}"
    if site.cms == "hanweb":
        return col.list_path if n == 0 else f"{col.list_path}?uid={col.colid}&pageNum={n + 1}"
    if site.cms == "ucap":
        return col.list_path if n == 0 else f"{col.list_path}&pageNum={n + 1}"
    return col.list_path


def column_dir(col: Column) -> str:
    return col.list_path.rsplit("/", 1)[0] + "/"


def assign_list_path(col: Column, slug_path: str) -> None:
    """slug_path: the family-neutral location, e.g. 'fdzdgknr/czxx/yjs'."""
    site = col.site
    ext = site.opts.get("ext", "html")
    jspx = site.opts.get("pager") in JSPX_PARAM and col.section != "mirror"
    page = col.opts.get("page_name", "list" if jspx else "index")
    if col.section == "mirror" or site.cms == "trs":
        col.list_path = f"{site.root}{slug_path}/{page}.{'jspx' if jspx else ext}"
    elif site.cms == "hanweb":
        col.list_path = f"/col/col{col.colid}/index.html"
    elif site.cms == "gkmlpt":
        col.list_path = f"/gkmlpt/api/all/{col.colid}?page=1&sid={site.opts['sid']}"
    elif site.cms == "ucap":
        code = site.opts["ucap_site"]
        col.list_path = (
            f"/{code}/xxgk.shtml?code={col.key}&temp=xsqbmxxgk_list&parentCode=fdzdgknrtj"
        )
    else:  # pragma: no cover
        raise ValueError(site.cms)


def assign_item_path(item: Item, col: Column, site: Site, cross_dir: str | None = None) -> None:
    d: date = item.url_date or item.date or date(2020, 1, 1)
    item.host = site.ip
    if site.cms == "trs" or col.section in ("mirror", "portal-extra"):
        ext = site.opts.get("detail_ext", "html")
        folder = cross_dir or column_dir(col)
        # An item with no date anywhere must not gain one from its URL (Guangxi-style t{id}).
        if col.opts.get("undated_urls") or not (item.url_date or item.date):
            item.path = f"{folder}t{item.uid}.{ext}"
        else:
            item.path = f"{folder}{d:%Y%m}/t{d:%Y%m%d}_{item.uid}.{ext}"
    elif site.cms == "hanweb":
        if item.url_date or item.date:
            item.path = f"/art/{d.year}/{d.month}/{d.day}/art_{col.colid}_{item.uid}.html"
        else:  # the newer JCMS form carries only a year (cms.md §2.1)
            item.path = f"/art/{d.year}/art_{hex32(site.ip, item.uid)}.html"
    elif site.cms == "gkmlpt":
        item.path = f"/gkmlpt/content/{item.uid // 1000000}/{item.uid // 1000}/post_{item.uid}.html"
    elif site.cms == "ucap":
        item.hex = hex32(site.ip, item.uid)
        item.path = f"/{site.opts['ucap_site']}/{col.key}/{d:%Y%m}/{item.hex}.shtml"
    else:  # pragma: no cover
        raise ValueError(site.cms)


def detail_page_path(item: Item, k: int) -> str:
    """Page k (0-based) of a multi-page TRS detail: t…_id.html, t…_id_1.html, …"""
    if k == 0:
        return item.path
    stem, ext = item.path.rsplit(".", 1)
    return f"{stem}_{k}.{ext}"
