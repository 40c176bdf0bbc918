"""Every saved real page read exactly as its hand-checked truth says (see harness.py)."""

from __future__ import annotations

import pytest

from tests.real_pages.harness import entries, load, observe
from tests.real_pages.score import Score, compare

#: Pages the extractors do not read exactly yet, each with why (strict: a fix turns them red).
KNOWN_GAPS: dict[str, str] = {}


def _case(name: str):
    if name in KNOWN_GAPS:
        return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[name]))
    return name


@pytest.mark.parametrize("name", [_case(n) for n in entries()])
def test_real_page(name: str) -> None:
    body, truth = load(name)
    problems = compare(name, truth, observe(body, truth), Score())
    assert not problems, "\n".join(problems)


def test_sources_lists_every_page() -> None:
    from tests.real_pages.sources import SOURCES, render

    assert SOURCES.read_text("utf-8") == render(), "run python -m tests.real_pages.sources"


def test_every_page_names_its_source_and_url() -> None:
    for name in entries():
        _, truth = load(name)
        assert truth.get("source") and truth["url"].startswith("http"), name
        assert truth["kind"] in ("list", "detail", "catalog", "api"), name


def test_a_url_listed_twice_is_compared_at_its_first_row() -> None:
    rows = [
        {"title": "a", "url": "https://x.gov.cn/1.htm", "date": "2025-01-15"},
        {"title": "a", "url": "https://x.gov.cn/1.htm", "date": "2025-01-17"},
    ]
    truth = {"kind": "list", "items": rows}
    assert compare("t", truth, {"items": rows[:1]}, Score()) == []
    assert compare("t", truth, {"items": rows}, Score()) == []
    assert compare("t", truth, {"items": rows[1:]}, Score()) != []
