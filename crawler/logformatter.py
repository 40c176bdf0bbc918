"""QuietLogFormatter: Scrapy's per-response and per-item DEBUG lines, built only when shown.

Scrapy leaves the root logger at DEBUG and filters in the handler, so each page's "Crawled" and
each item's "Scraped from" line became a LogRecord that the handler then dropped below
LOG_LEVEL: a few percent of a large crawl's CPU. Returning None skips the record (Scrapy's
documented LogFormatter contract); with LOG_LEVEL=DEBUG the lines are logged as before.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.logformatter import LogFormatter


class QuietLogFormatter(LogFormatter):
    def __init__(self, debug: bool = False) -> None:
        self.debug = debug

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> QuietLogFormatter:
        level = crawler.settings.get("LOG_LEVEL", "DEBUG")
        if isinstance(level, str):
            level = logging.getLevelName(level.upper())
        return cls(debug=isinstance(level, int) and level <= logging.DEBUG)

    def crawled(self, request: Any, response: Any, spider: Any) -> Any:
        return super().crawled(request, response, spider) if self.debug else None

    def scraped(self, item: Any, response: Any, spider: Any) -> Any:
        return super().scraped(item, response, spider) if self.debug else None
