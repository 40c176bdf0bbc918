"""Varied cities without a crawler: every catalogue pattern, PENDING ones included (no crawl
exercises those yet), renders pages that hold exactly the truth's items; every catalog form and
site chrome reads as its tree when the catalog extractor reads the rendered page (a string, no
crawl); seed 7 ignores it all."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from crawler.discovery import ROOT_NAMES
from crawler.extract.catalog import extract_nav
from crawler.extract.portal_menu import in_page_catalog
from zwgk import clock
from zwgk.farm import paths, variety
from zwgk.farm import render_common as rc
from zwgk.farm import render_patterns as rp
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


def _tree_paths(nodes: list[dict], above: tuple[str, ...] = ()) -> dict[str, tuple[str, ...]]:
    """URL -> catalog path of every linked node of a farm catalog tree."""
    out: dict[str, tuple[str, ...]] = {}
    for n in nodes:
        path = (*above, n["name"])
        if n["url"]:
            out[n["url"]] = path
        out.update(_tree_paths(n["children"], path))
    return out


def test_catalog_forms_and_chrome_read_as_their_tree(all_patterns) -> None:
    """Each site's rendered catalog root, read as the spider reads a catalog page (with its
    root), gives every column link its tree path whatever the form (<ul> tree, flat <h3>/<dl>)
    and label spelling, and nothing from the header menus or footer links around it."""
    seen: set[tuple[str, str]] = set()
    for seed in range(4):
        city = build_city(seed, NOW, 1, 8080, vary=True, size=9)
        hosts = city.render()
        for u in city.units:
            for site in u.sites:
                if not site.catalog or site.cms == "gkmlpt":
                    continue  # gkmlpt's tree is JSON (tests/extract/test_jsonapi.py)
                host = hosts[site.ip]
                in_page = site.opts.get("mirror_form") == "menu"  # the home page's own menu
                root = (
                    f"{site.url.rstrip('/')}/zwgk/index.html"
                    if site.role == "portal" and not in_page
                    else site.url
                )
                html = host.pages[urlsplit(root).path].decode(host.charset)
                links = in_page_catalog(html, root) if in_page else extract_nav(html, root, root)
                # the catalog's own title (政府信息公开目录) leaves paths as the spider composes them
                got = {n.url: tuple(x for x in n.path if x not in ROOT_NAMES) for n in links}
                want = _tree_paths(site.catalog)
                shown = {url: path for url, path in want.items() if url in html}
                assert shown and {url: got.get(url) for url in shown} == shown, (seed, root)
                chrome = {path for _, path in rp.menu_links(u.short)}
                assert not {urlsplit(url).path for url in got} & chrome, (seed, root)
                seen.add((site.opts.get("catalog_form") or "ul_tree", site.opts.get("chrome")))
    assert {("dl", "menus"), ("ul_tree", "menus")} <= seen


def test_seed7_draws_nothing() -> None:
    city = build_city(7, NOW, 1, 8080)
    assert len(city.units) == 15
    assert not any("drawn" in u.opts for u in city.units)
