"""One finding per defect on the demo farm: a portal copy of a platform column (a mirror) is
judged once, on the platform column, so no problem reaches the findings, a unit's report page
or its 整改交办清单 twice (issue: a supervisor who sees the same problem twice stops trusting
the list)."""

from __future__ import annotations

import sqlite3
from collections import Counter

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

pytestmark = pytest.mark.farm


def canonical(truth: dict) -> dict[str, str]:
    """URL of each mirrored portal copy -> its platform column's URL."""
    return {
        c["column_url"].rstrip("/"): c["judged_as"].rstrip("/")
        for c in truth["columns"]
        if c.get("judged_as")
    }


def _subject(url: str | None, canon: dict[str, str]) -> str | None:
    url = (url or "").rstrip("/") or None
    return canon.get(url, url) if url else None


def test_the_farm_has_mirrored_copies_with_column_findings(crawled) -> None:
    """The other tests here would pass vacuously without mirrors whose platform column fires."""
    canon = canonical(crawled.truth1)
    conn = sqlite3.connect(crawled.db_day1)
    platform_urls = set(canon.values())
    fired = [
        r
        for r in conn.execute(
            "SELECT rule, column_url FROM findings WHERE status = 'open' AND column_url IS NOT NULL"
        )
        if r[1].rstrip("/") in platform_urls and r[0] != "catalog-mismatch"
    ]
    assert len(canon) >= 20 and len(fired) >= 3, (len(canon), fired)


def twice_found(truth: dict, db) -> dict:
    """Open column findings whose (rule, unit, platform-equivalent column) repeats."""
    canon = canonical(truth)
    conn = sqlite3.connect(db)
    keys = Counter(
        (rule, unit, _subject(col, canon))
        for rule, unit, col in conn.execute(
            "SELECT rule, unit_id, column_url FROM findings"
            " WHERE status = 'open' AND column_url IS NOT NULL"
        )
    )
    conn.close()
    return {k: n for k, n in keys.items() if n > 1}


@pytest.mark.parametrize("day", [1, 2])
def test_no_defect_is_found_twice(crawled, day: int) -> None:
    truth = crawled.truth1 if day == 1 else crawled.truth2
    twice = twice_found(truth, crawled.db_day1 if day == 1 else crawled.db)
    assert not twice, twice


def test_no_task_list_row_or_report_entry_is_there_twice(crawled) -> None:
    canon = canonical(crawled.truth2)
    tasks = sorted((crawled.out / "tasks").glob("*.xlsx"))
    units = sorted((crawled.out / "units").glob("*.html"))
    assert len(tasks) >= 10 and len(units) >= 10
    for path in tasks:
        if path.name.startswith("_"):
            continue
        ws = load_workbook(path, read_only=True).worksheets[0]
        rows = [r for r in ws.iter_rows(values_only=True) if r and isinstance(r[0], int)]
        col_cell = 3  # 栏目/URL, problem type next to it
        seen = Counter(
            (r[col_cell + 1], _subject(str(r[col_cell]).split()[-1], canon))
            for r in rows
            if r[col_cell] and "http" in str(r[col_cell])
        )
        assert not {k: n for k, n in seen.items() if n > 1}, path.name
    for path in units:
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        table = soup.select_one("table.findings")
        seen = Counter()
        for tr in table.select("tbody tr"):
            tds = tr.find_all("td")
            a = tds[3].find("a") if len(tds) > 3 else None
            if a is not None and a.get("href", "").startswith("http"):
                seen[(tds[1].get_text(strip=True), _subject(a["href"], canon))] += 1
        assert not {k: n for k, n in seen.items() if n > 1}, path.name
