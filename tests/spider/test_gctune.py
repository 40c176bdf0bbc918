"""GcTuning: the crawl runs with frozen start-up objects and a higher gen-0 threshold, and the
process gets CPython's own settings back when the engine stops."""

from __future__ import annotations

import gc

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler.gctune import GcTuning


def test_thresholds_raised_during_the_crawl_and_restored_after() -> None:
    before = gc.get_threshold()
    crawler = get_crawler(settings_dict={"ZWGK_GC_THRESHOLDS": [40_000, 15, 90]})
    ext = GcTuning.from_crawler(crawler)
    ext.engine_started()
    try:
        assert gc.get_threshold() == (40_000, 15, 90)
        assert gc.get_freeze_count() > 0  # start-up objects are out of the collector's scans
    finally:
        ext.engine_stopped()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_empty_setting_keeps_cpython_defaults() -> None:
    with pytest.raises(NotConfigured):
        GcTuning.from_crawler(get_crawler(settings_dict={"ZWGK_GC_THRESHOLDS": []}))


def test_enabled_in_the_project_settings() -> None:
    from crawler import settings

    assert settings.EXTENSIONS.get("crawler.gctune.GcTuning") is not None
    assert len(settings.ZWGK_GC_THRESHOLDS) == 3
