"""广东 gkmlpt-style 政府信息公开目录: the column tree is inline JavaScript (`window._CONFIG`)
and lists come from `/gkmlpt/api/all/{col}?page=N&sid={sid}` as JSON with unix dates. Sites may
mount the platform under a prefix (`/lhqkjhgyxxhj/gkmlpt/`), so URLs keep everything before
`/gkmlpt/`.
"""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from crawler.extract._html import abs_url, clean
from crawler.extract.dates import parse_epoch
from crawler.extract.types import ListItem, NavLink

__all__ = ["api_url", "config_site_id", "find_config_tree", "gkmlpt_root", "parse_api"]

_TREE_KEY = re.compile(r"""['"]?TREE['"]?\s*:\s*\[""")
_SID = re.compile(
    r"""['"]?(?:SID|sid|SITE_ID|siteId|site_id|siteid)['"]?\s*[:=]\s*['"]?(\w+)['"]?"""
)
_CONFIG = re.compile(r"_CONFIG\s*=\s*\{")
_UNQUOTED_KEY = re.compile(r"""([{,]\s*)([A-Za-z_$][\w$]*)\s*:""")
_DATE_KEYS = ("date", "publish_time", "first_publish_time", "create_time", "created_at")


def gkmlpt_root(base_url: str) -> str:
    """`scheme://host[/prefix]/gkmlpt/` for any URL on the platform."""
    parts = urlsplit(base_url)
    path = parts.path
    i = path.find("/gkmlpt/")
    prefix = path[: i + len("/gkmlpt/")] if i >= 0 else "/gkmlpt/"
    if i < 0 and path.endswith("/gkmlpt"):
        prefix = path + "/"
    return urlunsplit((parts.scheme, parts.netloc, prefix, "", ""))


def _balanced(text: str, start: int) -> str | None:
    """The bracketed literal starting at text[start] ('[' or '{'), skipping string contents."""
    open_ch = text[start]
    close_ch = "]" if open_ch == "[" else "}"
    depth = 0
    quote = None
    i = start
    n = len(text)
    while i < n:
        c = text[i]
        if quote:
            if c == "\\":
                i += 2
                continue
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c == open_ch:
            depth += 1
        elif c == close_ch:
            depth -= 1
            if depth == 0:
                return text[start : i + 1]
        i += 1
    return None


def _js_to_json(text: str) -> Any:
    """json.loads, falling back to a light JS-literal fix-up (unquoted keys, single quotes,
    trailing commas) because the config is JavaScript, not JSON."""
    try:
        return json.loads(text)
    except ValueError:
        pass
    fixed = re.sub(r"'((?:[^'\\]|\\.)*)'", lambda m: json.dumps(m[1]), text)
    fixed = _UNQUOTED_KEY.sub(r'\1"\2":', fixed)
    fixed = re.sub(r",\s*([\]}])", r"\1", fixed)
    try:
        return json.loads(fixed)
    except ValueError:
        return None


def find_config_tree(html: str, base_url: str) -> list[NavLink]:
    """Every node of `window._CONFIG.TREE` (pre-order) as a NavLink to `/gkmlpt/index#{id}`,
    with `path` the names from the top-level node down to the node itself."""
    html = html or ""
    cm = _CONFIG.search(html)
    m = _TREE_KEY.search(html, cm.start() if cm else 0) or _TREE_KEY.search(html)
    if m is None:
        return []
    literal = _balanced(html, m.end() - 1)
    tree = _js_to_json(literal) if literal else None
    if not isinstance(tree, list):
        return []
    root = gkmlpt_root(base_url)
    out: list[NavLink] = []
    seen: set[str] = set()

    def walk(nodes: list[Any], path: tuple[str, ...]) -> None:
        for node in nodes:
            if not isinstance(node, dict):
                continue
            name = clean(str(node.get("name") or node.get("title") or ""))
            node_id = node.get("id")
            own = path + (name,) if name else path
            # A node can jump out of the tree (依申请公开 to its own page or host).
            link = (
                node.get("url") or node.get("link") or node.get("jump_url") or node.get("jumpUrl")
            )
            url = abs_url(str(link), base_url) if isinstance(link, str) and link else None
            if url is None and node_id is not None:
                url = urljoin(root, f"index#{node_id}")
            if url and name and url not in seen:
                seen.add(url)
                out.append(NavLink(name=name, url=url, path=own))
            children = node.get("children") or node.get("child") or node.get("nodes")
            if isinstance(children, list):
                walk(children, own)

    walk(tree, ())
    return out


def config_site_id(html: str) -> str | None:
    """The `SID` of the inline config (the `sid=` every API call needs)."""
    html = html or ""
    cm = _CONFIG.search(html)
    if cm:
        body = _balanced(html, cm.end() - 1) or html[cm.start() :]
        m = _SID.search(body)
        if m:
            return m[1]
    m = _SID.search(html)
    return m[1] if m else None


def api_url(base_url: str, column_id: int | str, page: int, sid: str | int) -> str:
    """`…/gkmlpt/api/all/{col}?page=N&sid={sid}` on the platform of `base_url`."""
    return urljoin(gkmlpt_root(base_url), f"api/all/{column_id}?page={page}&sid={sid}")


def parse_api(text: str, base_url: str) -> tuple[list[ListItem], dict[str, Any]]:
    """Articles of one API page, and the `classify` info (id, name, parent, post_count as int;
    plus `total` when the reply has it) for page math. Bad JSON gives ([], {})."""
    try:
        data = json.loads(text or "")
    except ValueError:
        return [], {}
    if not isinstance(data, dict):
        return [], {}
    items: list[ListItem] = []
    seen: set[str] = set()
    for art in data.get("articles") or []:
        if not isinstance(art, dict):
            continue
        link = art.get("url") or art.get("post_url") or art.get("link")
        url = abs_url(str(link), base_url) if link else None
        title = clean(str(art.get("title") or ""))
        if url is None or not title or url in seen:
            continue
        seen.add(url)
        when = None
        for key in _DATE_KEYS:
            if art.get(key) not in (None, ""):
                when = parse_epoch(art[key])
                if when is not None:
                    break
        items.append(
            ListItem(
                title=title,
                url=url,
                date=when,
                date_source="json" if when else None,
                index_no=clean(str(art.get("identifier") or "")) or None,
                doc_no=clean(str(art.get("document_number") or "")) or None,
                publisher=clean(str(art.get("publisher") or "")) or None,
            )
        )
    classify = data.get("classify")
    info: dict[str, Any] = dict(classify) if isinstance(classify, dict) else {}
    if "post_count" in info:
        try:
            info["post_count"] = int(info["post_count"])
        except (TypeError, ValueError):
            info["post_count"] = None
    if "total" in data and "total" not in info:
        with contextlib.suppress(TypeError, ValueError):
            info["total"] = int(data["total"])
    return items, info
