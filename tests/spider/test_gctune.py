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


def test_two_crawls_in_one_process_restore_cpython_settings_after_the_last() -> None:
    before = gc.get_threshold()
    make = lambda t: GcTuning.from_crawler(get_crawler(settings_dict={"ZWGK_GC_THRESHOLDS": t}))  # noqa: E731
    one, two = make([30_000, 10, 10]), make([60_000, 10, 10])
    one.engine_started()
    two.engine_started()
    one.engine_stopped()
    assert gc.get_threshold() == (60_000, 10, 10)  # the other crawl is still running
    two.engine_stopped()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_stop_without_start_changes_nothing() -> None:
    before = gc.get_threshold()
    GcTuning.from_crawler(
        get_crawler(settings_dict={"ZWGK_GC_THRESHOLDS": [1, 1, 1]})
    ).engine_stopped()
    assert gc.get_threshold() == before
