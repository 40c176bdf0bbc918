"""Varied cities without a crawler: every catalogue pattern, PENDING ones included (no crawl
exercises those yet), renders pages that hold exactly the truth's items, and seed 7 ignores it."""

from __future__ import annotations

import pytest

from zwgk import clock
from zwgk.farm import paths, variety
from zwgk.farm import render_common as rc
from zwgk.farm.generate import build_city

NOW = clock.parse("2026-11-29T08:00:00+08:00")


@pytest.fixture
def all_patterns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(variety, "PENDING", set())


def test_every_pattern_renders_the_truths_items(all_patterns) -> None:
    drawn: set[str] = set()
    for seed in range(6):
        drawn.update(p for u in variety.draw(seed, 9) for p in u["drawn"])
        city = build_city(seed, NOW, 1, 8080, vary=True, size=9)
        hosts = city.render()
        for col in city.columns:
            host = hosts[col.site.ip]
            for it in col.visible(1):
                assert it.path in hosts[it.host].pages, (seed, it.url)
            if col.site.cms != "trs" and col.section != "mirror":
                continue  # the dynamic families' lists are the seed-7 renderers, tested there
            pages = [paths.list_page_path(col, n) for n in range(rc.n_pages(col, 1))]
            assert all(p in host.pages for p in pages), (seed, col.url)
            html = "".join(host.pages[p].decode(host.charset) for p in pages)
            for it in col.visible(1):
                assert rc.href(it, col) in html and rc.esc(it.title) in html, (seed, it.url)
    every = {f"{d}:{p}" for d, ps in variety.CATALOGUE.items() for p in ps}
    assert every - drawn == set()


def test_seed7_draws_nothing() -> None:
    city = build_city(7, NOW, 1, 8080)
    assert len(city.units) == 15
    assert not any("drawn" in u.opts for u in city.units)
