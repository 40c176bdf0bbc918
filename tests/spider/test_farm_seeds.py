"""The crawler against varied farms: for a few seeds, a small city whose site templates, pagers,
list markup, catalog labels, dates and charsets are drawn from zwgk.farm.variety's catalogue.
The inventory must be exact: every assessable column found under its catalog name, path and
category, every item with its URL and date, no extra column (menus never become columns)."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from pathlib import Path

import pytest

from tests.checks.test_checks_farm import compare, show
from tests.checks.test_farm_one_finding_per_defect import twice_found
from tests.conftest import DAY1, crawl_units
from zwgk.farm import variety

# 11: a 广东-style JSON platform (gkmlpt) whose portal shows its catalog as an in-page menu
# linking into it by `index#id`: those entries were once taken for the platform's root.
SEEDS = (1, 2, 3, 11)
SIZE = 5
CRAWL = (
    "{delay_seconds: 0.001, autothrottle: false, detail_pages: none, concurrency_per_host: 8,"
    " concurrency: 64, timeout_seconds: 10, retries: 2}"
)


def inventory_diff(truth: dict, db: Path, columns: list[dict], drawn: dict[str, list]) -> list:
    """What the crawl got wrong against the truth, each with its unit's drawn patterns."""
    got: dict[tuple[str, str], dict[str, str | None]] = defaultdict(dict)
    con = sqlite3.connect(db)
    for unit, col_url, url, pub in con.execute(
        "SELECT c.unit_id, c.url, i.url, i.pub_date FROM items i JOIN columns c USING (column_id)"
    ):
        got[(unit, col_url)][url] = pub
    con.close()
    want_cols = {(c["unit"], c["column_url"]): c for c in truth["columns"] if c["assessable"]}
    seen = {(c["unit"], c["column_url"]): c for c in columns}
    wrong: list = []
    for key in sorted(seen - want_cols.keys()):
        wrong.append(("extra column", key, drawn.get(key[0])))
    for key, col in want_cols.items():
        if key not in seen:
            wrong.append(("missing column", key, drawn.get(key[0])))
            continue
        named = (seen[key]["column_name"], seen[key]["catalog_path"])
        if named != (col["column_name"], col["catalog_path"]):
            wrong.append(("name/path", key, named, drawn.get(key[0])))
        if col["category"] in ("news", "notice", "periodic") and (
            seen[key]["category"] != col["category"]
        ):
            wrong.append(("category", key, col["category"], seen[key]["category"]))
        want = {i["url"]: i["date"] for i in col["items"] if i["day_added"] <= 1}
        have = got.get(key, {})
        if set(want) != set(have):
            missing, extra = sorted(set(want) - set(have)), sorted(set(have) - set(want))
            wrong.append(("items", key, len(want), len(have), missing[:2], extra[:2]))
            continue
        bad = [(u, want[u], have[u]) for u in want if want[u] != have[u]]
        if bad:
            wrong.append(("dates", key, bad[:2]))
    return wrong


@pytest.mark.farm
@pytest.mark.parametrize("seed", SEEDS)
def test_varied_city_inventory_is_exact(seed: int, tmp_path: Path) -> None:
    from zwgk.farm.server import FarmProcess

    with FarmProcess(tmp_path / "farm", seed=seed, now=DAY1, vary=True, size=SIZE) as farm:
        units = farm.units_path.read_text(encoding="utf-8")
        db, columns = crawl_units(tmp_path, units, CRAWL)
        truth = farm.truth(1)
    drawn = {u["code"]: u["drawn"] for u in variety.draw(seed, SIZE)}
    wrong = inventory_diff(truth, db, columns, drawn)
    assert not wrong, f"seed {seed}: {len(wrong)} differences: {wrong[:6]}"
    report = compare(truth, db)
    print(f"\nseed {seed}\n{show(report)}")
    bad = {r: v for r, v in report.items() if v["fn"] or v["fp"] or v["quiet_hit"]}
    assert not bad, f"seed {seed}\n{show(report)}"
    assert not twice_found(truth, db), f"seed {seed}: a defect reported twice"


def test_crawled_seeds_draw_every_catalog_form_and_chrome() -> None:
    """The seeds crawled above meet each catalog form and each kind of site chrome (the flat
    <h3>/<dl> 目录 and header menus were PENDING until the crawler read them)."""
    drawn = {p for seed in SEEDS for u in variety.draw(seed, SIZE) for p in u["drawn"]}
    for dim in ("catalog_form", "chrome", "catalog_label"):
        assert {f"{dim}:{p}" for p in variety.CATALOGUE[dim]} <= drawn, dim
    assert any(
        {"platform:gkmlpt", "mirror:menu"} <= set(u["drawn"])
        for seed in SEEDS
        for u in variety.draw(seed, SIZE)
    )


def test_draws_vary_and_cover_the_catalogue() -> None:
    """Across 20 seeds every enabled pattern is drawn, and no two seeds draw the same city."""
    seen: set[str] = set()
    cities = set()
    for seed in range(20):
        units = variety.draw(seed)
        drawn = [p for u in units for p in u["drawn"]]
        assert not set(drawn) & variety.PENDING
        seen.update(drawn)
        cities.add(tuple(drawn))
    every = {f"{d}:{p}" for d, ps in variety.CATALOGUE.items() for p in ps}
    assert every - variety.PENDING - seen == set()
    assert len(cities) == 20
