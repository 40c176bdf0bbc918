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


def test_a_next_page_read_where_page_two_has_no_url_is_a_problem() -> None:
    truth = {"kind": "list", "pager": {"page_count": 9, "next": None}}
    invented = {"pager": {"page_count": 9, "next": "https://x.gov.cn/list.html?page=2"}}
    assert compare("t", truth, invented, Score()) != []
    assert compare("t", truth, {"pager": {"page_count": 9, "next": None}}, Score()) == []


def test_readme_reports_the_corpus_as_it_stands() -> None:
    """The README's corpus table is what `python -m tests.real_pages.score` prints today."""
    import re
    from pathlib import Path

    from tests.real_pages.score import total

    readme = (Path(__file__).parents[2] / "README.md").read_text("utf-8")
    row = {
        m.group(1): m.group(2)
        for m in re.finditer(
            r"^\| (pages / sites|list items|pagers|detail fields|catalog columns) \| ([^|]+)",
            readme,
            re.M,
        )
    }
    s = total()
    names = entries()
    sites = {load(n)[1]["site"] for n in names}
    assert row["pages / sites"].startswith(f"{len(names)} pages from {len(sites)} sites"), row
    assert row["list items"].startswith(f"{s.items_exact} / {s.items_expected} exact"), row
    assert row["pagers"].startswith(f"{s.pagers_understood} / {s.pagers_present} "), row
    assert row["detail fields"].startswith(f"{s.detail_exact} / {s.detail_fields} "), row
    assert row["catalog columns"].startswith(f"{s.columns_found} / {s.columns_expected} "), row


def test_pages_in_a_chinese_charset_decode_whole() -> None:
    """A page kept in GBK bytes (declaring gb2312, as many old CMSs do) reads without a lost character."""
    from crawler.extract import charset

    legacy = []
    for name in entries():
        body, truth = load(name)
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            legacy.append(name)
            text, encoding = charset.decode_html(body, truth.get("content_type"))
            assert "\ufffd" not in text and encoding in ("gbk", "gb18030"), (name, encoding)
    assert legacy, "the corpus should keep at least one page in a Chinese legacy charset"
