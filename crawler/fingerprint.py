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


class SiteAwareFingerprinter:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteAwareFingerprinter:
        return cls()

    def fingerprint(self, request: Request) -> bytes:
        h = hashlib.sha1()
        for part in (
            request.meta.get("unit", ""),
            request.meta.get("role", ""),
            "detail" if request.meta.get("kind") == "detail" else "page",
            request.method,
            normalise_url(request.url),
        ):
            h.update(part.encode("utf-8") + b"\0")
        h.update(request.body or b"")
        return h.digest()
