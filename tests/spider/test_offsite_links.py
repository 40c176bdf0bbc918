"""Off-site link checks under the operator's grant (broken-link offsite_enabled), on loopback:
one HEAD of the exact URL (one GET only when HEAD is refused), never a body read or a refresh
followed, at most 2 redirects, no retry, each URL once a day across units and runs, the per-site
cap and per-unit override, a slow slot per host, and no private or link-local address for a
unit living on loopback. Without the grant nothing off-site is asked (test_link_checks.py)."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from crawler.offsite import address_class, reachable
from tests.conftest import DAY1, crawl_units, loopback_site, zwgk

ASKED: Counter[tuple[str, str]] = Counter()  # (method, path) on the off-site server
TIMES: list[tuple[str, float]] = []  # (host asked by name, time) on the off-site server
LOCK = threading.Lock()
CLOSED = "http://127.0.0.1:1/closed.html"  # nothing listens on port 1: connection refused
LINK_LOCAL = "http://169.254.169.254/latest/meta-data/"
PRIVATE = "http://10.255.255.1/internal.html"


def page(body: str) -> bytes:
    return f"<html><head><title>t</title></head><body>{body}</body></html>".encode()


class Unit(BaseHTTPRequestHandler):
    other = ""  # the off-site server's base URL, set by the test

    def log_message(self, *args) -> None:
        pass

    def answer(self, method: str) -> None:
        o = self.other
        links = {
            "/": ["ok.html", "gone.html", "nohead.html", "hop1.html", "busy.html"]
            + ["refresh.html"],
            "/xxgk/tzgg/": ["gone.html"],  # again on the platform: asked once for the unit
            "/u2/": ["gone.html", "ok.html"],  # another unit: cap 1 takes gone.html only
        }
        body = b""
        if self.path in links:
            extra = (
                ""
                if self.path != "/"
                else (
                    f'<a href="{CLOSED}">关闭</a><a href="{LINK_LOCAL}">元数据</a>'
                    f'<a href="{PRIVATE}">内网</a>'
                    f'<a href="http://user:secret@{o.removeprefix("http://")}/ok.html">带口令</a>'
                    # a name, looked up through the crawl's resolver: localhost is loopback too
                    f'<a href="{o.replace("127.0.0.1", "localhost")}/named.html">名称</a>'
                )
            )
            body = page(
                '<ul class="nav"><li><a href="/xxgk/">政府信息公开</a></li></ul>'
                + "".join(f'<a href="{o}/{p}">外站{i}</a>' for i, p in enumerate(links[self.path]))
                + extra
            )
            if self.path == "/xxgk/tzgg/":
                rows = "".join(
                    f'<li><a href="/xxgk/tzgg/t2026110{d}_{d}.html">通知{d}</a>'
                    f"<span>2026-11-0{d}</span></li>"
                    for d in range(1, 4)
                )
                body = page(f'<div class="list"><ul>{rows}</ul></div>' + body.decode())
        elif self.path in ("/xxgk/", "/u2/xxgk/"):
            body = page('<ul class="left"><li><a href="/xxgk/tzgg/">通知公告</a></li></ul>')
        else:
            body = page("<p>正文</p>")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if method == "GET":
            self.wfile.write(body)

    def do_GET(self) -> None:
        self.answer("GET")

    def do_HEAD(self) -> None:
        self.answer("HEAD")


class Other(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def answer(self, method: str) -> None:
        p = self.path
        with LOCK:
            ASKED[(method, p)] += 1
            TIMES.append((self.headers.get("Host", "").split(":")[0], time.monotonic()))
        status, body, headers = 200, page("<p>外站页面</p>"), []
        if p == "/gone.html":
            status = 404
        elif p == "/nohead.html" and method == "HEAD":
            status = 405
        elif p in ("/hop1.html", "/hop2.html", "/hop3.html"):
            status, headers = 302, [("Location", f"/hop{int(p[4]) + 1}.html")]
        elif p == "/busy.html":
            status = 503
        elif p == "/refresh.html":
            if method == "HEAD":
                status = 501
            body = page('<meta http-equiv="refresh" content="0;url=/trap.html">') + b" " * 200_000
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if method == "GET":
            with contextlib.suppress(OSError):  # the check hangs up after the headers
                self.wfile.write(body)

    def do_GET(self) -> None:
        self.answer("GET")

    def do_HEAD(self) -> None:
        self.answer("HEAD")


GRANT = """rules:
  broken-link: {offsite_enabled: true, offsite_delay_seconds: 0.3}
units:
  u2: {rules: {broken-link: {offsite_per_site: 1}}}
"""


def units_yaml(site: str) -> str:
    return (
        f"units:\n  - code: u\n    name: 某县\n    kind: county\n"
        f"    portal: {site}/\n    disclosure: {site}/xxgk/\n"
        f"  - code: u2\n    name: 某局\n    kind: department\n"
        f"    portal: {site}/u2/\n    disclosure: {site}/u2/xxgk/\n"
    )


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture(scope="module")
def granted(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("offsite")
    ASKED.clear()
    TIMES.clear()
    with loopback_site(Other) as other, loopback_site(Unit) as site:
        Unit.other = other
        db, _ = crawl_units(
            tmp,
            units_yaml(site),
            crawl="{delay_seconds: 0.001, autothrottle: false, detail_pages: none}",
            extra=GRANT,
        )
        first = Counter(ASKED)
        # The same day again (a rerun): nothing off-site is asked again, the answers stand.
        rerun = zwgk("run", "--units", str(tmp / "units.yaml"), "--db", str(db), "--config",
                     str(tmp / "config.yaml"), "--no-progress", now=DAY1)  # fmt: skip
        assert rerun.returncode == 0, rerun.stderr[-2000:]
        second = Counter(ASKED) - first
    return db, other, first, second


def test_one_head_per_url_get_only_when_head_refused_nothing_followed(granted) -> None:
    _, _, asked, _ = granted
    assert asked == {
        ("HEAD", "/ok.html"): 1,
        ("HEAD", "/gone.html"): 1,  # on two pages and two units: asked once, never confirmed
        ("HEAD", "/nohead.html"): 1,
        ("GET", "/nohead.html"): 1,  # 405: then one GET
        ("HEAD", "/hop1.html"): 1,
        ("HEAD", "/hop2.html"): 1,
        ("HEAD", "/hop3.html"): 1,  # its redirect (the third) is not followed
        ("HEAD", "/busy.html"): 1,  # 503: no retry
        ("HEAD", "/refresh.html"): 1,
        ("GET", "/refresh.html"): 1,  # 501: one GET, whose meta refresh is never followed
        ("HEAD", "/named.html"): 1,
    }


def test_off_site_requests_to_one_host_are_spaced_by_the_grants_delay() -> None:
    # the requests above to 127.0.0.1 (the one by name is another host, with a slot of its own)
    times = [t for host, t in TIMES if host == "127.0.0.1"]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(TIMES) == 11 and len(times) == 10 and min(gaps) >= 0.25, gaps


def test_answers_per_day_and_the_gate_refuses_private_and_link_local(granted) -> None:
    db, other, _, _ = granted
    checks = {
        url.removeprefix(other): (status, ok)
        for url, status, ok in rows(db, "SELECT url, status, ok FROM offsite_checks")
    }
    assert checks == {
        "/ok.html": (200, 1),
        "/gone.html": (404, 0),
        "/nohead.html": (200, 1),
        "/hop1.html": (None, None),  # more than 2 redirects: no verdict
        "/busy.html": (503, None),  # busy: no verdict (asked once)
        "/refresh.html": (200, 1),
        other.replace("127.0.0.1", "localhost") + "/named.html": (200, 1),  # a name: resolved
        CLOSED: (None, 0),  # connection refused: broken
        LINK_LOCAL: (None, None),  # the unit lives on loopback, not on link-local: refused
        PRIVATE: (None, None),  # nor on a private network
    }
    errors = dict(rows(db, "SELECT url, error FROM offsite_checks"))
    assert "link-local" in errors[LINK_LOCAL] and "private" in errors[PRIVATE]
    assert "refused" in errors[CLOSED].lower()


def test_findings_list_off_site_links_marked_with_their_page(granted) -> None:
    db, other, _, second = granted
    assert second == Counter()  # the same-day rerun asked nothing off-site
    by_unit = {}
    for unit, role, evidence in rows(
        db,
        "SELECT f.unit_id, s.role, f.evidence FROM findings f JOIN sites s USING (site_id)"
        " WHERE f.rule = 'broken-link' AND f.status = 'open'",
    ):
        by_unit[(unit, role)] = json.loads(evidence)
    assert set(by_unit) == {("u", "portal"), ("u2", "portal")}
    ev = by_unit[("u", "portal")]
    site = other.rsplit(":", 1)[0]
    listed = {
        (b["url"].removeprefix(other), b["problem"], b.get("offsite")) for b in ev["broken_links"]
    }
    assert listed == {("/gone.html", "HTTP 404", True), (CLOSED, listed_error(ev), True)}
    assert all(b["found_on"].startswith(site) for b in ev["broken_links"])
    assert ev["offsite_links_checked"] == 6  # ok, gone, nohead, refresh, closed, named
    # hop1, busy, link-local, private; and the user:password@ link, never asked
    assert ev["offsite_links_not_checked"] == 5
    # u2: its cap of 1 took gone.html (asked for u already): listed, ok.html left unchecked
    ev2 = by_unit[("u2", "portal")]
    assert [(b["url"].removeprefix(other), b["offsite"]) for b in ev2["broken_links"]] == [
        ("/gone.html", True)
    ]
    assert ev2["offsite_links_not_checked"] == 1


def listed_error(ev: dict) -> str:
    return next(b["problem"] for b in ev["broken_links"] if b["url"] == CLOSED)


@pytest.mark.parametrize(
    ("target", "unit_classes", "allowed"),
    [
        ("93.184.216.34", {"global"}, True),
        ("127.0.0.5", {"global"}, False),  # a public unit's page cannot send us to loopback
        ("127.0.0.5", {"loopback"}, True),  # the farm: loopback units, loopback links
        ("169.254.169.254", {"loopback"}, False),  # cloud metadata: never, for the farm too
        ("169.254.169.254", {"link-local"}, True),
        ("10.1.2.3", {"global", "loopback"}, False),
        ("10.1.2.3", {"private"}, True),
        ("::1", {"global"}, False),
        ("::ffff:127.0.0.1", {"global"}, False),  # an IPv4-mapped loopback is loopback
        ("0.0.0.0", {"loopback"}, False),
        ("240.0.0.1", {"global"}, False),  # reserved
        ("100.64.0.1", {"global"}, False),  # shared address space: not global
    ],
)
def test_reachable_addresses(target: str, unit_classes: set[str], allowed: bool) -> None:
    assert reachable(target, unit_classes) is allowed, address_class(target)


class _Stats:
    def inc_value(self, *args) -> None:
        pass


def test_gates_drop_an_off_site_check_without_grant_or_clearance() -> None:
    """Defence in depth: a request marked off-site is dropped by the gate when its unit has no
    grant, and by the unit-hosts rule unless the gate cleared that very host."""
    import asyncio

    from scrapy import Request
    from scrapy.settings import Settings

    from crawler.middlewares import UnitHostsMiddleware
    from crawler.offsite import CLEARED, META, OffsiteLinkMiddleware, OffsiteRefused

    class Crawler:
        settings = Settings(
            {"ZWGK_OFFSITE_LINKS": '{"other": {"per_site": 1, "delay_seconds": 1}}'}
        )
        stats = _Stats()
        engine = None

    req = Request("http://127.0.0.9:8/x.html", meta={META: ["127.0.0.1:8"], "unit": "u"})
    with pytest.raises(OffsiteRefused, match="no off-site grant"):
        asyncio.run(OffsiteLinkMiddleware(Crawler()).process_request(req))
    hosts = UnitHostsMiddleware(Crawler())
    with pytest.raises(OffsiteRefused, match="not cleared"):
        hosts.process_request(req)
    req.meta[CLEARED] = "127.0.0.1:8"  # cleared for another host (a redirect's first hop)
    with pytest.raises(OffsiteRefused):
        hosts.process_request(req)
    req.meta[CLEARED] = "127.0.0.9:8"
    assert hosts.process_request(req) is None
    # granted, on loopback like its unit: cleared, in a slot of its own
    granted = Request("http://127.0.0.9:8/x.html", meta={META: ["127.0.0.1:8"], "unit": "other"})
    asyncio.run(OffsiteLinkMiddleware(Crawler()).process_request(granted))
    assert granted.meta[CLEARED] == "127.0.0.9:8"
    assert granted.meta["download_slot"] == "offsite|127.0.0.9"
