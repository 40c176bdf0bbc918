"""GcTuning: a Scrapy extension that keeps CPython's cycle collector out of the crawl's way.

A crawl allocates millions of short-lived objects (parse trees, requests, records) and keeps
few. With CPython's default thresholds (700, 10, 10) the collector runs thousands of times a
run, and its older generations re-scan Scrapy's, Twisted's and our modules' long-lived objects
each time; on the benchmark farm that was a tenth of the crawl's CPU. At engine start the
extension freezes everything alive (those objects are never garbage) and raises the youngest
generation's threshold, so collections are rarer and cover only what the crawl allocated.
Memory stays bounded: cycles are still collected, just in larger batches.
"""

from __future__ import annotations

import gc

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured


class GcTuning:
    #: Crawls tuned right now in this process, and CPython's thresholds from before the first:
    #: two crawlers in one process must not take each other's tuning for the defaults.
    _active = 0
    _previous: tuple[int, int, int] | None = None

    def __init__(self, thresholds: tuple[int, int, int]) -> None:
        self.thresholds = thresholds
        self.started = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GcTuning:
        values = crawler.settings.getlist("ZWGK_GC_THRESHOLDS")
        if not values:
            raise NotConfigured("ZWGK_GC_THRESHOLDS is empty: CPython's defaults stay")
        first, second, third = (int(v) for v in values)
        ext = cls((first, second, third))
        crawler.signals.connect(ext.engine_started, signal=signals.engine_started)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    def engine_started(self) -> None:
        if GcTuning._active == 0:
            GcTuning._previous = gc.get_threshold()
        GcTuning._active += 1
        self.started = True
        gc.collect()
        gc.freeze()
        gc.set_threshold(*self.thresholds)

    def engine_stopped(self) -> None:
        if not self.started:
            return
        self.started = False
        GcTuning._active -= 1
        if GcTuning._active == 0 and GcTuning._previous is not None:
            gc.set_threshold(*GcTuning._previous)
            gc.unfreeze()
