"""The generator on its own: deterministic, clock-relative, complete plants, a valid units file."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from zwgk import clock
from zwgk.farm import build_city
from zwgk.farm.generate import UNITS
from zwgk.farm.plants import burst_at
from zwgk.units import load_units

NOW = clock.parse("2026-11-29T08:00:00+08:00")
RULES = [
    "stale-column",
    "blank-column",
    "homepage-stale",
    "burst-publishing",
    "catalog-mismatch",
    "missing-request-section",
    "missing-required-section",
    "annual-report-missing",
    "backdated-publishing",
    "crawl-failed",
    "interpretation-missing",
]


@pytest.fixture(scope="module")
def t1():
    return build_city(7, NOW, 1).truth()


@pytest.fixture(scope="module")
def t2():
    return build_city(7, NOW, 2).truth()


def test_same_seed_and_clock_give_the_same_city(t1):
    assert build_city(7, NOW, 1).truth() == t1


def test_another_clock_shifts_every_date():
    a = build_city(7, NOW, 1).truth()
    b = build_city(7, NOW - timedelta(days=40), 1).truth()  # same calendar year

    # interpretation-missing's plants are placed by working days: they follow the calendar
    planted = {
        p["title"]
        for u in UNITS
        for c in u.get("cols", {}).values()
        for p in (*c.get("policies", ()), *c.get("interpretations", ()))
    }

    def dates(t):  # (annual reports and the new-year month-day items follow the calendar)
        return [
            i["date"]
            for c in t["columns"]
            for i in c["items"]
            if c["section"] != "annual"
            and not (c["unit"] == "czj" and c["section"] == "portal")
            and i["title"] not in planted
        ]

    da, db = dates(a), dates(b)
    assert len(da) == len(db)
    assert all(
        date.fromisoformat(y) - date.fromisoformat(x) == timedelta(days=-40)
        for x, y in zip(da, db, strict=True)
        if x
    )
    assert [p["rule"] for p in a["plants"]] == [p["rule"] for p in b["plants"]]


def test_day_two_is_day_one_plus_a_day(t1, t2):
    assert t2["now"] == (NOW + timedelta(days=1)).isoformat()
    urls1 = {i["url"] for c in t1["columns"] for i in c["items"]}
    new = [i for c in t2["columns"] for i in c["items"] if i["url"] not in urls1]
    assert new and all(i["day_added"] == 2 for i in new)


def test_size_and_mix(t1):
    kinds = Counter(u["kind"] for u in t1["units"])
    assert len(t1["units"]) >= 12 and kinds["city"] == 1
    assert {"county", "department", "township"} <= set(kinds)
    assert {s["cms"] for s in t1["sites"]} == {"trs", "hanweb", "gkmlpt", "ucap"}
    blocks = Counter(s["block"] for s in t1["sites"])
    for b in ("ruishu", "ruishu-200", "jsl", "wzws", "down", "flaky-503"):
        assert blocks[b] >= 1, b
    assert sum(s["charset"] == "gbk" for s in t1["sites"]) >= 2
    items = sum(len(c["items"]) for c in t1["columns"])
    assert 2500 <= items <= 4500


def test_every_rule_has_a_bad_case_and_a_control(t1, t2):
    seen = Counter((p["rule"], p["expect"]) for p in t1["plants"] + t2["plants"])
    for rule in RULES:
        assert seen[(rule, "fire")] >= 1, rule
        assert seen[(rule, "quiet")] >= 1, rule


def test_site_veto_plants(t1):
    site = {(p["rule"], p["unit"], p["expect"]) for p in t1["plants"] if p["column_url"] is None}
    assert ("stale-column", "yixiu", "fire") in site  # 5 news+notice stale
    assert ("stale-column", "huaining", "quiet") in site  # 4
    assert ("stale-column", "tjj", "fire") in site  # >= 10 long-stale
    assert ("blank-column", "czj", "fire") in site  # 5 blank
    assert ("blank-column", "huaining", "quiet") in site  # 4


def test_no_unplanned_bursts(t1, t2):
    for t in (t1, t2):
        planted = {
            p["column_url"]
            for p in t["plants"]
            if p["rule"] == "burst-publishing" and p["expect"] == "fire"
        }
        win = {"news": 14, "notice": 183, "periodic": 365}
        for c in t["columns"]:
            if c["category"] not in win or not c["assessable"]:
                continue
            ds = [date.fromisoformat(i["date"]) for i in c["items"] if i["date"]]
            # A portal copy judged as its platform column is planted there (one finding).
            subject = c["judged_as"] or c["column_url"]
            assert (burst_at(ds, win[c["category"]]) is not None) == (subject in planted), c


@pytest.mark.parametrize(("seed", "vary"), [(7, False), (1, True), (2, True), (3, True)])
def test_only_planted_titles_read_as_policies_or_interpretations(seed, vary):
    """interpretation-missing judges what reads as a policy: on the farm only its plants do
    (text.py's generated notices issue a 工作要点 at most), so any other finding is false."""
    from checks.rules.interpretation_missing import (
        INTERP_CUES,
        POLICY_COLUMN_WORDS,
        doc_keys,
        policy_name,
    )

    city = build_city(seed, NOW, 2, vary=vary)
    read = set()
    for c in city.columns:
        policy_column = any(w in c.name for w in POLICY_COLUMN_WORDS)
        for i in c.items:
            if policy_name(i.title) and (policy_column or doc_keys(i.doc_no, i.title)):
                read.add(("policy", i.title))
            if any(w in i.title for w in INTERP_CUES) or "解读" in c.name:
                read.add(("interpretation", i.title))
    planted = {(i.plant, i.title) for c in city.columns for i in c.items if i.plant}
    assert read == planted
    assert bool(planted) is not vary  # the demo city has plants, a varied city none


def test_units_yaml_is_a_valid_units_file(tmp_path, t1):
    city = build_city(7, NOW, 1)
    p = tmp_path / "units.yaml"
    p.write_text(city.units_yaml(), encoding="utf-8")
    units = load_units(p)
    assert [u.code for u in units] == [u["code"] for u in t1["units"]]
    assert any(u.columns for u in units)  # a columns: override
    daguan = next(u for u in units if u.code == "daguan")
    assert daguan.hosts and daguan.hosts[0].startswith("127.0.4.3:")


def test_column_urls_are_unique(t1):
    urls = [c["column_url"] for c in t1["columns"]]
    assert len(urls) == len(set(urls))


def test_month_day_list_crosses_the_new_year(t1):
    col = next(
        c
        for c in t1["columns"]
        if c["unit"] == "czj" and c["column_name"] == "通知公告" and c["section"] == "portal"
    )
    years = {i["date"][:4] for i in col["items"]}
    assert years == {"2025", "2026"}
    assert all((NOW.date() - date.fromisoformat(i["date"])).days <= 345 for i in col["items"])
