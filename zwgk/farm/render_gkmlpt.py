"""A 广东 gkmlpt-like JSON platform (cms.md §3): the column tree in an inline
`window._CONFIG = {SID:..., TREE:[...]}`, lists from /gkmlpt/api/all/{col}?page=N&sid= with unix
`date` and `identifier` 索引号, details at /gkmlpt/content/{a}/{b}/post_{id}.html."""

from __future__ import annotations

import json
import math
from datetime import datetime, time, timedelta, timezone
from urllib.parse import parse_qs

from zwgk.farm import render_common as rc
from zwgk.farm.model import Column, Item, Site

CST = timezone(timedelta(hours=8))


def unix(it: Item) -> int | None:
    if it.date is None:
        return None
    return int(datetime.combine(it.date, time(9 + it.uid % 8, it.uid % 60), CST).timestamp())


def tree_json(site: Site, day: int) -> list[dict]:
    seq = [9000]

    def conv(nodes: list[dict], parent: int) -> list[dict]:
        out = []
        for n in nodes:
            col: Column | None = n["column"]
            if col is not None:
                nid = col.colid
            else:
                seq[0] += 1
                nid = seq[0]
            d = {
                "id": nid,
                "name": n["name"],
                "parent": parent,
                "post_count": len(col.visible(day)) if col else 0,
                "children": conv(n["children"], nid),
            }
            if col is None and n["url"]:
                d["jump_url"] = n["url"]
            out.append(d)
        return out

    return conv(site.catalog, 0)


def index_page(site: Site, day: int) -> str:
    cfg = {
        "SID": site.opts["sid"],
        "SITE_NAME": site.unit.name,
        "TREE": tree_json(site, day),
        "API": "/gkmlpt/api/all/",
    }
    body = (
        f'<div class="position">当前位置：<a href="{rc.home_url(site)}">首页</a> &gt; 政府信息公开目录</div>'
        '<div id="app"><div class="nfw-loading">加载中...</div></div>\n'
        f"<script>window._CONFIG = {json.dumps(cfg, ensure_ascii=False)};</script>\n"
        '<script src="/gkmlpt/static/js/app.js"></script>'
    )
    return rc.page(
        site, f"{site.unit.name}政府信息公开目录", [("ColumnName", "政府信息公开目录")], body
    )


def article(site: Site, it: Item, base: str) -> dict:
    return {
        "id": it.uid,
        "title": it.title,
        "date": unix(it),
        "publisher": it.publisher,
        "classify_main_name": it.column.name if it.column else "",
        "url": base + it.path,
        "identifier": it.index_no,
        "document_number": it.doc_no or "",
    }


def detail_page(site: Site, it: Item, base: str) -> str:
    detail = article(site, it, base)
    body = (
        rc.detail_body(site, it, 0, "iso")
        + f"\n<script>window._CONFIG = window._CONFIG || {{}}; window._CONFIG.DETAIL = "
        f"{json.dumps(detail, ensure_ascii=False)};</script>"
        '<div class="attachments"></div>'
    )
    return rc.page(site, it.title, rc.detail_metas(it), body)


def make_dynamic(site: Site, cols: dict[int, Column], day_ref, base: str):
    """/gkmlpt/api/all/{col}?page=N&sid=SID: pages 1..N answer JSON; past the last page 404."""

    def handler(method: str, path: str, query: str, body: bytes):
        if not path.startswith("/gkmlpt/api/all/"):
            return None
        q = {k: v[-1] for k, v in parse_qs(query).items()}
        try:
            col = cols[int(path.rsplit("/", 1)[1])]
            page = int(q.get("page", "1"))
        except (KeyError, ValueError):
            return None
        if q.get("sid") != site.opts["sid"]:
            return 400, "application/json", b'{"error":"invalid sid"}'
        items = col.visible(day_ref())
        per = col.per_page
        pages = max(1, math.ceil(len(items) / per))
        if page < 1 or page > pages:
            return None
        doc = {
            "classify": {"id": col.colid, "name": col.name, "parent": 0, "post_count": len(items)},
            "articles": [article(site, it, base) for it in items[(page - 1) * per : page * per]],
            "total": len(items),
            "page": page,
            "per_page": per,
            "total_page": pages,
        }
        return 200, "application/json;charset=UTF-8", json.dumps(doc, ensure_ascii=False).encode()

    return handler
