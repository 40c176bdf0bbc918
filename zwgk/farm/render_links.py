"""broken-link plants: dead on-host links (404) and the controls that must not count as broken.

A unit spec's `links` names them (generate.py):
- `home_dead`: paths linked from the portal's home page that nothing serves (404);
- `column_dead`: (platform column name, [paths]) linked from that column's first list page;
- `home_controls`: True adds, on the portal's home page, a link that answers 302 to a served
  page (200 after the redirect) and one that answers 503 to its first request and 200 after
  (a crawl's retry reads it).
- `root_dead`: paths linked from the disclosure platform's root page (its home page) that
  nothing serves (404);
- `offsite_control`: True adds, on the portal's home page, a link to OFFSITE_IP's OFFSITE_OK
  (200): off-site, asked once a day under the farm's grant (FARM_CONFIG), quiet;
- `root_offsite_dead`: True adds, on the platform's root page, two dead off-site links: a 404 on
  OFFSITE_IP and a page on OFFSITE_CLOSED_IP, where nothing listens (connection refused).
The links go in before `</body>`, so they are ordinary page links, not catalog entries.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from urllib.parse import urlsplit

from zwgk.farm.model import City, Site
from zwgk.farm.render import Host

# A host outside every unit, on loopback like the city (served by zwgk/farm/server.py):
# OFFSITE_OK answers 200, anything else 404. OFFSITE_CLOSED_IP is never bound.
OFFSITE_IP = "127.0.201.1"
OFFSITE_CLOSED_IP = "127.0.201.2"
OFFSITE_OK = "/ok.html"
OFFSITE_GONE = "/zwgk/retired.html"
REDIRECT_PATH = "/zwgk/old_link.html"
REDIRECT_TARGET = "/hdjl/index.html"
ONCE_503_PATH = "/zwgk/busy_link.html"


def link_html(paths: list[str], label: str) -> str:
    return "".join(f'<a href="{p}">{label}{i + 1}</a> ' for i, p in enumerate(paths))


def insert(h: Host, path: str, html: str) -> None:
    """Add `html` before the page's `</body>` (the page keeps its encoding)."""
    text = h.pages[path].decode(h.charset, errors="replace")
    cut = text.rfind("</body>")
    cut = cut if cut >= 0 else len(text)
    h.pages[path] = (text[:cut] + html + text[cut:]).encode(h.charset, "xmlcharrefreplace")


def controls(h: Host) -> Callable:
    """A dynamic handler: the redirect and the 503-once link (a farm is per day: each day's
    Host has its own memory of what it answered)."""
    seen: set[str] = set()
    lock = threading.Lock()

    def handle(method: str, path: str, query: str, body: bytes):
        if path == REDIRECT_PATH:
            return 302, h.html_type(), b"", [("Location", REDIRECT_TARGET)]
        if path == ONCE_503_PATH:
            with lock:
                first = path not in seen
                seen.add(path)
            if first:
                return 503, h.html_type(), b"<h1>503 Service Temporarily Unavailable</h1>"
            return 200, h.html_type(), "<html><body><p>正常页面</p></body></html>".encode()
        return None

    return handle


def column_page_path(site: Site, name: str) -> str | None:
    col = next((c for c in site.columns if c.name == name and c.section != "mirror"), None)
    return col.list_path if col is not None else None


def offsite_urls(port: int) -> dict[str, str]:
    """The off-site plants' URLs: the control, and the two dead ones."""
    return {
        "ok": f"http://{OFFSITE_IP}:{port}{OFFSITE_OK}",
        "gone": f"http://{OFFSITE_IP}:{port}{OFFSITE_GONE}",
        "closed": f"http://{OFFSITE_CLOSED_IP}:{port}/index.html",
    }


def root_paths(site: Site, h: Host) -> list[str]:
    """The page paths of the platform's root page (the units file's `disclosure` URL)."""
    parts = urlsplit(site.url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return [p for p in (path, path.rstrip("/") + "/index.html") if p in h.pages]


def add_links(city: City, hosts: dict[str, Host]) -> None:
    for u in city.units:
        spec = u.opts.get("links")
        if not spec:
            continue
        off = offsite_urls(city.port)
        if spec.get("root_dead"):
            platform = hosts[u.disclosure.ip]
            for p in root_paths(u.disclosure, platform):
                insert(platform, p, link_html(spec["root_dead"], "过期页面"))
        if spec.get("root_offsite_dead"):
            platform = hosts[u.disclosure.ip]
            html = (
                f'<a href="{off["gone"]}">外站已撤销页面</a> <a href="{off["closed"]}">外站关闭</a>'
            )
            for p in root_paths(u.disclosure, platform):
                insert(platform, p, html)
        portal = hosts[u.portal.ip]
        if spec.get("offsite_control"):
            for p in ("/", "/index.html"):
                insert(portal, p, f'<a href="{off["ok"]}">外站正常链接</a>')
        if spec.get("home_dead"):
            home = link_html(spec["home_dead"], "旧链接")
            for p in ("/", "/index.html"):
                insert(portal, p, home)
        if spec.get("home_controls"):
            html = (
                f'<a href="{REDIRECT_PATH}">已迁移页面</a> <a href="{ONCE_503_PATH}">繁忙页面</a>'
            )
            for p in ("/", "/index.html"):
                insert(portal, p, html)
            portal.dynamic.append(controls(portal))
        if spec.get("column_dead"):
            name, paths = spec["column_dead"]
            path = column_page_path(u.disclosure, name)
            if path is None:  # a varied city without that column: plants.py plants none either
                continue
            insert(hosts[u.disclosure.ip], path, link_html(paths, "失效链接"))
