"""Request fingerprints for the dupefilter (Scrapy's or scrapy-redis's).

Catalog pages are deduplicated per site role and canonical URL: `dir/` and `dir/index.html` are
one page, and the portal's catalog may link the same column as the platform's without one
swallowing the other's visit.
"""

from __future__ import annotations

import hashlib

from scrapy import Request
from scrapy.crawler import Crawler

from crawler.discovery import normalise_url

#: Request kinds deduplicated apart from pages: a detail or a link check of a URL the catalog
#: walk also fetched is still asked.
KIND_KEYS = {"detail": "detail", "link": "link"}


class SiteAwareFingerprinter:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteAwareFingerprinter:
        return cls()

    def fingerprint(self, request: Request) -> bytes:
        h = hashlib.sha1()
        for part in (
            request.meta.get("unit", ""),
            # A link is checked once a run for the unit, whichever of its sites linked it.
            "" if request.meta.get("kind") == "link" else request.meta.get("role", ""),
            KIND_KEYS.get(request.meta.get("kind"), "page"),
            request.method,
            normalise_url(request.url),
        ):
            h.update(part.encode("utf-8") + b"\0")
        if request.meta.get("kind") == "link" and request.meta.get("redirect_urls"):
            # A link check following a redirect is keyed by the link as found too: the target
            # checked on its own already must not swallow the link that leads to it.
            h.update(normalise_url(request.meta["redirect_urls"][0]).encode("utf-8") + b"\0")
        h.update(request.body or b"")
        return h.digest()
