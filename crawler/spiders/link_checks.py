"""broken-link's link checks: the links on a site's home page (the portal's home page, the
disclosure platform's root page) and on the first list page of each column, each asked once a
run whether it still answers.

Politeness: a link check is an ordinary Scrapy request of this spider, so the per-host
concurrency, delay, autothrottle and retries of the crawl apply to it. It asks HEAD first and
confirms any HEAD answer >= 400 with a GET (405/501 mean "no HEAD here", and many CMS servers
mishandle HEAD with a 400/403/404/500 while GET works): a link is only called broken on a GET.
The GET stops after the first chunk of body (StopDownload in `bytes_received`: enough to tell
a WAF challenge from a dead link), so a check never downloads a whole page or file. Link checks are exempt from the body checks meant for
pages (kind "link" is not a page kind in UnreadableBodyMiddleware) and are not `pages` rows:
the fetch budget of incremental runs counts content pages, link checks have their own cap.

Security: only links on the unit's allowed hosts are checked (UnitHostsMiddleware drops the
rest anyway, redirects included); off-site links are counted, never fetched, unless the
operator granted off-site checks for the unit (broken-link `offsite_enabled`). Then each
off-site URL is recorded for the site (OffsiteRef) and asked once a day across all units and
runs (OffsiteCheck, the store's offsite_checks): one HEAD, a GET only when HEAD is refused
(405/501), nothing read or followed, within the grant's per-site cap, through the gate of
crawler/offsite.py (its own slow slot per host, no private/link-local/reserved address unless
the unit lives on one). The rule joins the two, so a URL checked for one unit, by another
worker or by an earlier run the same day answers for every site that showed it.

What the crawl itself fetches (catalog nodes, list pages, pagers, detail pages) is left out:
those pages' failures are the crawl's own records (crawl-failed, dead statutory sections,
failed details), and asking them again would double the load on the server.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

import scrapy
from scrapy.exceptions import IgnoreRequest, StopDownload
from scrapy.http import Response

from crawler import discovery
from crawler import offsite as gate
from crawler.extract import waf
from crawler.extract.types import ListPage
from crawler.items import LinkResult, LinkTally, OffsiteCheck, OffsiteRef
from crawler.middlewares import UnusableResponse
from zwgk.units import host_allowed, netloc

#: Markup a browser never shows as a link: scripts build pager URLs from pieces
#: ('index_' + n + '.html'), templates and comments hold links nobody can click.
_HIDDEN = re.compile(
    r"<script\b.*?</script\s*>|<!--.*?-->|<template\b.*?</template\s*>|<textarea\b.*?</textarea\s*>",
    re.I | re.S,
)
#: A HEAD answer that does not settle the question: confirm with a GET.
HEAD_UNSURE = 400
#: Below the catalog and list pages: the crawl's own work goes first.
LINK_PRIORITY = -10
#: An off-site server refusing HEAD: then (only then) one GET.
OFFSITE_HEAD_REFUSED = (405, 501)
#: Answers of a busy server: an off-site link is asked once, so these give no verdict.
OFFSITE_BUSY = (429, 503)


def page_links(html: str, base: str) -> list[str]:
    """The page's http(s) link targets, absolute, without fragments, in page order, once each."""
    out: dict[str, None] = {}
    for href in discovery.HREF.findall(_HIDDEN.sub(" ", html)):  # discovery's cheap regex
        href = href.replace("&amp;", "&") if "&amp;" in href else href
        if href.lower().startswith(("javascript:", "mailto:", "tel:", "#")):
            continue
        url = discovery.abs_url(href, base)
        if not url or not url.startswith(("http://", "https://")):
            continue
        out.setdefault(url.split("#", 1)[0], None)
    return list(out)


def _authority(url: str) -> str:
    """The raw host[:port] part of an http(s) URL (what `netloc` parses), unparsed."""
    start = url.find("//") + 2
    end = len(url)
    for sep in "/?#":
        i = url.find(sep, start)
        if 0 <= i < end:
            end = i
    return url[start:end]


#: Links remembered per site (hashes): beyond this, a site's links count once per page again.
DONE_LIMIT = 20000


def _remember(done: set[int], h: int) -> None:
    if len(done) < DONE_LIMIT:
        done.add(h)


def _on_host(url: str, m: dict) -> bool | None:
    """On the unit's allowed hosts? None for a URL whose host does not parse."""
    try:
        return host_allowed(netloc(url), m["allowed_hosts"])
    except ValueError:
        return None


class LinkChecks:
    """Part of DisclosureSpider (crawler/spiders/disclosure.py); methods use its helpers."""

    def link_checks(
        self, m: dict, html: str, base: str, page_url: str, skip: Iterable[str]
    ) -> Iterator[Any]:
        """HEAD requests for the page's on-host links not fetched by the crawl, within the
        site's cap; a LinkTally says how many were off-site or over the cap."""
        cap = self.setting("ZWGK_MAX_LINKS_PER_SITE", 200)
        if cap <= 0:
            return
        unit = self.units[m["unit"]]
        # The unit's sites are crawled as sites of their own (site-unreachable, crawl-failed).
        raw_skip = {*skip, page_url, *(u for u in (unit.portal, unit.disclosure) if u)}
        skipped: set[str] | None = None  # normalised, built for the first link not in raw_skip
        counts: dict[str, int] = self.__dict__.setdefault("_link_counts", {})
        # A page's links share a few hosts: decide each (unit, authority) once a crawl.
        hosts: dict[tuple[str, str], bool | None] = self.__dict__.setdefault("_link_hosts", {})
        key = f"{m['unit']}|{m['role']}"
        # Links decided for this site already (asked, over the cap, off-site): a header or
        # footer repeated on every list page is one set of links, not one per page, so it
        # neither uses the cap up again nor is counted again.
        done = self.__dict__.setdefault("_links_done", {}).setdefault(key, set())
        grant = self.offsite_grants.get(m["unit"])
        offsite = capped = 0
        for url in page_links(html, base):
            h = hash(url)
            if h in done:
                continue
            where = (m["unit"], _authority(url))
            if where not in hosts:
                hosts[where] = _on_host(url, m)
            on_host = hosts[where]
            if on_host is None:  # a scraped URL that does not parse is never followed
                continue
            if not on_host:
                _remember(done, h)
                if grant is None:
                    offsite += 1  # never fetched: spiders stay on the hosts the unit names
                    continue
                out = self.offsite_link(m, url, page_url, grant)
                if out is None:
                    offsite += 1  # over the grant's per-site cap: not asked
                    continue
                yield from out
                continue
            if url in raw_skip:
                continue
            if skipped is None:
                skipped = {discovery.normalise_url(u) for u in raw_skip}
            if discovery.normalise_url(url) in skipped:
                continue
            _remember(done, h)
            if counts.get(key, 0) >= cap:
                capped += 1
                continue
            counts[key] = counts.get(key, 0) + 1
            yield self.link_request(m, url, page_url, "HEAD")
        if offsite or capped:
            yield LinkTally(m["unit"], m["role"], offsite=offsite, capped=capped)

    def list_link_checks(
        self, m: dict, html: str, base: str, url: str, page: ListPage, catalog: Iterable[str]
    ) -> Iterator[Any]:
        """A column's first list page: its links but the crawl's own (the listed items, whose
        detail pages the crawl reads; the pager; the catalog links this page or its parent
        showed, which the catalog walk fetches)."""
        skip = [i.url for i in page.items]
        skip += page.pagination.urls
        skip += catalog
        skip += m.get("parent_links", ())
        skip.append(m["col"]["url"] if "col" in m else url)
        yield from self.link_checks(m, html, base, url, skip)

    def root_link_checks(
        self, m: dict, html: str, base: str, url: str, catalog: Iterable[str]
    ) -> Iterator[Any]:
        """The disclosure platform's root page (the units file's `disclosure` URL: the
        platform's home page): its links but the catalog entries the crawl walks or, on a
        reused catalog, the known columns it lists again."""
        yield from self.link_checks(m, html, base, url, catalog)

    # -- off-site links, under the operator's grant ------------------------------------------
    @property
    def offsite_grants(self) -> dict[str, dict[str, float]]:
        grants = self.__dict__.get("_offsite_grants")
        if grants is None:
            grants = gate.grants(self.settings.get("ZWGK_OFFSITE_LINKS"))
            self.__dict__["_offsite_grants"] = grants
        return grants

    def offsite_link(self, m: dict, url: str, source: str, grant: dict) -> list[Any] | None:
        """An off-site link on a page of a granted unit: recorded for the site (once a run
        for the unit, first page wins), and asked unless it was asked today already. None
        when the site's off-site cap is reached (the caller counts it as not checked)."""
        seen: dict[str, set[str]] = self.__dict__.setdefault("_offsite_seen", {})
        unit_seen = seen.setdefault(m["unit"], set())
        if url in unit_seen:
            return []  # recorded already, for the page that showed it first
        taken: dict[str, int] = self.__dict__.setdefault("_offsite_taken", {})
        key = f"{m['unit']}|{m['role']}"
        if taken.get(key, 0) >= int(grant["per_site"]) or "@" in netloc(url):
            return None  # over the cap; or a user:password@ URL, never sent anywhere
        taken[key] = taken.get(key, 0) + 1
        unit_seen.add(url)
        day = self.today.isoformat()
        out: list[Any] = [OffsiteRef(m["unit"], m["role"], url, source, day)]
        asked: set[str] = self.__dict__.setdefault("_offsite_asked", set())
        if url in asked or self.offsite_asked_today(url, day):
            return out  # once a day across units (and runs): the rule reads the day's answer
        asked.add(url)
        out.append(self.offsite_request(m, url, "HEAD"))
        return out

    def offsite_asked_today(self, url: str, day: str) -> bool:
        try:
            row = self.ro.execute(
                "SELECT 1 FROM offsite_checks WHERE day = ? AND url = ?", [day, url]
            ).fetchone()
        except sqlite3.Error:  # a store without m013 (a bare spider in a test)
            return False
        return row is not None

    def offsite_request(self, m: dict, url: str, method: str) -> scrapy.Request:
        meta = {
            "unit": m["unit"],
            "role": m["role"],
            "kind": "link",
            "offsite_url": url,
            # the unit's hosts (the gate's address rule), from a page or from the HEAD
            gate.META: list(m[gate.META] if gate.META in m else m["allowed_hosts"]),
            "redirect_ttl": gate.OFFSITE_REDIRECTS,
            "download_maxsize": gate.OFFSITE_MAXSIZE,
            "dont_retry": True,
            "dont_merge_cookies": True,
            "autothrottle_dont_adjust_delay": True,
        }
        return scrapy.Request(
            url,
            method=method,
            callback=self.parse_offsite,
            errback=self.on_offsite_error,
            meta=meta,
            priority=LINK_PRIORITY - 1,
            dont_filter=True,  # asked once a day by offsite_link's own bookkeeping
        )

    def parse_offsite(self, response: Response) -> Iterator[Any]:
        """An off-site link's answer: its status only (the body is never parsed)."""
        m = response.meta
        url = m["offsite_url"]
        day = self.today.isoformat()
        status = response.status
        if response.request.method == "HEAD" and status in OFFSITE_HEAD_REFUSED:
            yield self.offsite_request(m, url, "GET")
            return
        if status in OFFSITE_BUSY:
            # asked once, never retried: a busy server is no dead link
            yield OffsiteCheck(url, day, status, f"HTTP {status}", None)
            return
        if status >= 400:
            headers = {
                k.decode("latin-1").lower(): b", ".join(v).decode("latin-1")
                for k, v in response.headers.items()
            }
            block = waf.classify_block(status, headers, b"", response.url)
            if block:  # a WAF's refusal says nothing about the link
                yield OffsiteCheck(url, day, status, block, None)
                return
        ok = status < 400
        yield OffsiteCheck(url, day, status, None if ok else f"HTTP {status}", ok)

    def on_offsite_error(self, failure) -> Iterator[Any]:
        m = failure.request.meta
        url = m["offsite_url"]
        day = self.today.isoformat()
        message = f"{failure.type.__name__}: {failure.getErrorMessage()}"[:200]
        if failure.check(gate.OffsiteRefused) or (
            failure.check(IgnoreRequest) and not failure.check(UnusableResponse)
        ):
            # Not sent (an address the grant does not reach), or too many redirects: no
            # verdict, and not asked again today.
            yield OffsiteCheck(url, day, None, failure.getErrorMessage()[:200], None)
            return
        status = getattr(failure.value, "status", None)
        if isinstance(failure.value, UnusableResponse):
            message = str(failure.value)[:200]
        yield OffsiteCheck(url, day, status, message, False)

    def link_request(self, m: dict, url: str, source: str, method: str) -> scrapy.Request:
        meta = {k: m[k] for k in ("unit", "role", "allowed_hosts") if k in m}
        meta.update(kind="link", source=source)
        return scrapy.Request(
            url,
            method=method,
            callback=self.parse_link,
            errback=self.on_link_error,
            meta=meta,
            priority=LINK_PRIORITY,
            # HEAD is deduplicated across the run's pages (fingerprint: unit, "link", URL);
            # the confirming GET follows a HEAD that was let through.
            dont_filter=method == "GET",
        )

    def link_bytes_received(self, data: bytes, request: Any, spider: Any) -> None:
        """Signal handler: a link-check GET reads its first chunk of body only (enough to tell
        a WAF challenge from a dead link), never a whole page or file."""
        if request.meta.get("kind") == "link":
            raise StopDownload(fail=False)

    def offsite_headers_received(
        self, headers: Any, body_length: Any, request: Any, spider: Any
    ) -> None:
        """Signal handler: an off-site check stops at the status line and headers; its body
        is never downloaded, let alone parsed (OFFSITE_MAXSIZE stands behind this)."""
        if request.meta.get(gate.META) is not None:
            raise StopDownload(fail=False)

    def parse_link(self, response: Response) -> Iterator[Any]:
        m = response.meta
        request = response.request
        asked = (m.get("redirect_urls") or [request.url])[0]
        if request.method == "HEAD" and response.status >= HEAD_UNSURE:
            yield self.link_request(m, asked, m["source"], "GET")
            return
        block = self.blocked(response) if response.status >= 400 else None
        yield LinkResult(
            m["unit"],
            m["role"],
            asked,
            m["source"],
            response.status,
            None if response.status < 400 or block else f"HTTP {response.status}",
            ok=response.status < 400 or block is not None,  # a WAF challenge is no verdict
        )

    def on_link_error(self, failure) -> Iterator[Any]:
        request = failure.request
        m = request.meta
        asked = (m.get("redirect_urls") or [request.url])[0]
        if failure.check(IgnoreRequest) and not failure.check(UnusableResponse):
            # Redirected off the unit's hosts: we may not follow it, so we cannot say.
            yield LinkResult(m["unit"], m["role"], asked, m["source"], None, None, ok=True)
            return
        error = f"{failure.type.__name__}: {failure.getErrorMessage()}"[:200]
        status = getattr(failure.value, "status", None)
        if isinstance(failure.value, UnusableResponse):
            error = str(failure.value)[:200]
        yield LinkResult(m["unit"], m["role"], asked, m["source"], status, error, ok=False)
