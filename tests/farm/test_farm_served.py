"""Every planted fact, proven from the served bytes (day 1): the truth's columns equal what a
family-aware reader sees, and each plant holds on those served dates."""

from __future__ import annotations

import re
from datetime import date

import pytest
from farm_reader import decode, fetch, parse_date

from zwgk.farm.layout import PROVINCE_IP
from zwgk.farm.plants import burst_at, column_window

WINDOW = {"news": 14, "notice": 183, "periodic": 365}


def today(truth) -> date:
    return date.fromisoformat(truth["now"][:10])


def test_every_assessable_column_serves_exactly_its_truth(truth1, served):
    bad = []
    for c in truth1["columns"]:
        if not c["assessable"]:
            continue
        got = served[c["column_url"]]["items"]
        want = [
            (i["url"], i["title"], date.fromisoformat(i["date"]) if i["date"] else None)
            for i in c["items"]
        ]
        if got != want:
            bad.append((c["column_url"], got[:3], want[:3]))
    assert not bad, bad[:3]


def test_placeholders_are_shown(truth1, served):
    for c in truth1["columns"]:
        if c["assessable"] and c["placeholder"] and not c["items"]:
            assert served[c["column_url"]]["placeholder"], c["column_url"]


def _newest(served, url):
    ds = [d for _, _, d in served[url]["items"] if d]
    return max(ds) if ds else None


def test_stale_and_blank_column_plants(truth1, served):
    cats = {c["column_url"]: c["category"] for c in truth1["columns"]}
    names = {c["column_url"]: c["column_name"] for c in truth1["columns"]}
    n = 0
    for p in truth1["plants"]:
        if p["rule"] not in ("stale-column", "blank-column") or p["column_url"] is None:
            continue
        col = next(c for c in truth1["columns"] if c["column_url"] == p["column_url"])
        if not col["assessable"]:
            assert p["expect"] == "quiet"
            continue
        n += 1
        items = served[p["column_url"]]["items"]
        if p["rule"] == "blank-column":
            assert (len(items) == 0) == (p["expect"] == "fire"), p
        else:
            age = (today(truth1) - _newest(served, p["column_url"])).days
            # a configured window (stale-column column_windows) replaces the category's
            w = column_window(names[p["column_url"]]) or WINDOW[cats[p["column_url"]]]
            assert (age > w) if p["expect"] == "fire" else (age < w), (p, age)
    assert n > 20


@pytest.mark.parametrize(
    "unit,rule,kind,expect",
    [
        ("yingjiang", "stale-column", "news", {15: "fire", 13: "quiet"}),
        ("city", "stale-column", "notice", {186: "fire", 180: "quiet"}),
        ("daguan", "stale-column", "periodic", {370: "fire", 360: "quiet"}),
    ],
)
def test_thresholds_are_planted_near_the_boundary(truth1, served, unit, rule, kind, expect):
    found = {}
    for p in truth1["plants"]:
        if p["unit"] == unit and p["rule"] == rule and p["column_url"] and "d old" in p["why"]:
            col = next(c for c in truth1["columns"] if c["column_url"] == p["column_url"])
            if col["category"] == kind and col["section"] != "mirror":
                found[(today(truth1) - _newest(served, p["column_url"])).days] = p["expect"]
    for age, e in expect.items():
        assert found.get(age) == e, found


@pytest.mark.parametrize(
    ("unit", "name", "age", "expect"),
    [
        ("city", "社保参保情况统计", 29, "quiet"),  # monthly: 31 d
        ("yingjiang", "社保参保情况统计", 33, "fire"),  # its periodic window would allow 365
        ("yingjiang", "新闻发布会", 80, "quiet"),  # quarterly: 92 d; news would say 14
        ("city", "新闻发布会", 95, "fire"),
    ],
)
def test_configured_windows_are_planted_near_the_boundary(truth1, served, unit, name, age, expect):
    (col,) = [
        c
        for c in truth1["columns"]
        if c["unit"] == unit and c["column_name"] == name and c["section"] != "mirror"
    ]
    assert (today(truth1) - _newest(served, col["column_url"])).days == age
    (p,) = [
        p
        for p in truth1["plants"]
        if p["rule"] == "stale-column" and p["column_url"] == col["column_url"]
    ]
    assert p["expect"] == expect and "configured window" in p["why"]


def test_site_veto_counts_from_served_bytes(truth1, served):
    for p in truth1["plants"]:
        if p["rule"] not in ("stale-column", "blank-column") or p["column_url"] is not None:
            continue
        cols = [c for c in truth1["columns"] if c["site"] == p["site"]]
        stale_nn = stale_all = blank = 0
        for c in cols:
            items = served[c["column_url"]]["items"]
            if not items:
                blank += 1
                continue
            if c["category"] in WINDOW:
                age = (today(truth1) - _newest(served, c["column_url"])).days
                if age > WINDOW[c["category"]]:
                    stale_all += 1
                    stale_nn += c["category"] in ("news", "notice")
        if p["rule"] == "blank-column":
            assert (blank >= 5) == (p["expect"] == "fire"), (p, blank)
        else:
            assert (stale_nn >= 5 or stale_all >= 10) == (p["expect"] == "fire"), (
                p,
                stale_nn,
                stale_all,
            )


def test_burst_plants(truth1, served):
    cats = {c["column_url"]: c["category"] for c in truth1["columns"]}
    ps = [p for p in truth1["plants"] if p["rule"] == "burst-publishing"]
    assert {p["expect"] for p in ps} == {"fire", "quiet"}
    for p in ps:
        ds = [d for _, _, d in served[p["column_url"]]["items"] if d]
        assert (burst_at(ds, WINDOW[cats[p["column_url"]]]) is not None) == (
            p["expect"] == "fire"
        ), p
    quiet = next(p for p in ps if p["expect"] == "quiet")
    ds = sorted(d for _, _, d in served[quiet["column_url"]]["items"] if d)
    assert (ds[-1] - ds[-2]).days <= 2 and (ds[-2] - ds[-3]).days >= 30  # exactly 2 after silence


def test_homepage_plants(truth1):
    ps = [p for p in truth1["plants"] if p["rule"] == "homepage-stale"]
    assert {p["expect"] for p in ps} == {"fire", "quiet"}
    for p in ps:
        st, h, body = fetch(p["site"])
        assert st == 200
        html = decode(body, h)
        boxes = re.findall(r'<div class="box">(.*?)</ul></div>', html, re.S)
        ds = [
            parse_date(m, today(truth1))
            for b in boxes
            for m in re.findall(r"<span>([^<]+)</span>", b)
        ]
        age = (today(truth1) - max(ds)).days
        assert age == (15 if p["expect"] == "fire" else 13), p


def test_catalog_mismatch_plants(truth1, served):
    """Each portal catalog form serves what its plant says: controls mirror the platform
    (in-page menu, catalog page, deep links, iframe), defects differ as planted."""
    from zwgk.farm.plants import MISMATCH_WHY

    def page(url):
        st, h, body = fetch(url)
        assert st == 200, url
        return decode(body, h)

    def names(html):
        return set(re.findall(r'title="([^"]+)">', html))

    kind_of = {why: kind for kind, why in MISMATCH_WHY.items()}
    by_unit = {u["code"]: u for u in truth1["units"]}
    forms = set()
    for p in [p for p in truth1["plants"] if p["rule"] == "catalog-mismatch"]:
        u = by_unit[p["unit"]]
        plat_cols = [
            c
            for c in truth1["columns"]
            if c["site"] == u["disclosure"] and c["section"] == "fdzdgknr"
        ]
        mirror = [
            c for c in truth1["columns"] if c["site"] == u["portal"] and c["section"] == "mirror"
        ]
        if p["expect"] == "quiet":
            form = re.search(r"catalog \((\w+)", p["why"]).group(1)
            forms.add(form)
            if form == "iframe":
                assert f'<iframe id="zwgk" src="{u["disclosure"]}"' in page(
                    u["portal"] + "zwgk/index.html"
                )
                assert not mirror
                continue
            html = page(u["portal"] + ("" if form == "menu" else "zwgk/index.html"))
            if form == "links":
                assert not mirror
                for c in plat_cols:
                    assert f'href="{c["column_url"]}"' in html, c["column_url"]
                continue
            assert {c["column_name"] for c in plat_cols} <= names(html)
            for m in mirror:
                twin = next(c for c in plat_cols if c["catalog_path"] == m["catalog_path"])
                assert served[m["column_url"]]["items"] == served[twin["column_url"]]["items"]
            continue
        kind = kind_of[p["why"]]
        if kind == "platform-only":
            col = next(c for c in plat_cols if c["column_url"] == p["column_url"])
            assert not [m for m in mirror if m["catalog_path"] == col["catalog_path"]]
            continue
        m = next(c for c in mirror if c["column_url"] == p["column_url"])
        twins = [
            c
            for c in plat_cols
            if c["catalog_path"].rsplit("/", 1)[0] == m["catalog_path"].rsplit("/", 1)[0]
        ]
        same_name = [c for c in twins if c["column_name"] == m["column_name"]]
        a = {(t, d) for _, t, d in served[m["column_url"]]["items"]}
        if kind == "portal-only":
            assert not same_name
        elif kind == "renamed":
            assert not same_name
            assert any(a == {(t, d) for _, t, d in served[c["column_url"]]["items"]} for c in twins)
        else:
            b = {(t, d) for _, t, d in served[same_name[0]["column_url"]]["items"]}
            if kind == "items":
                assert len(b - a) == 2 and len(a - b) == 1
            else:  # lag: the platform's two newest are missing
                assert (
                    not a - b
                    and sorted(b - a, key=lambda x: x[1]) == sorted(b, key=lambda x: x[1])[-2:]
                )
    assert forms == {"page", "menu", "links", "iframe"}


def test_section_plants(truth1):
    secs = {(s["site"], s["section"]): s for s in truth1["sections"]}
    for p in truth1["plants"]:
        if p["rule"] == "missing-request-section":
            s = secs[(p["site"], "request")]
            cat = _page(p["site"])
            if s["url"] is None:
                assert "依申请" not in cat and "在线申请" not in cat and p["expect"] == "fire"
                continue
            assert s["url"] in cat
            if "not checked" in s["note"]:  # outside the unit's hosts: nobody may visit it
                assert p["expect"] == "quiet" and PROVINCE_IP in s["url"]
                continue
            st, h, body = fetch(s["url"])
            if p["expect"] == "fire":
                assert st == 404
            else:
                assert st == 200 and ("申请表" in decode(body, h) or "<form" in decode(body, h))
        if p["rule"] == "missing-required-section":
            cat = _page(p["site"])
            sys_ = secs[(p["site"], "system")]
            if p["expect"] == "fire":
                assert not sys_["present"] and "制度" not in cat
            else:
                assert "信息公开指南" in cat and "年度报告" in cat and "制度" in cat


def _page(url: str) -> str:
    st, h, body = fetch(url)
    assert st == 200, url
    return decode(body, h)


def test_annual_report_plants(truth1, served):
    y = today(truth1).year - 1
    for p in [p for p in truth1["plants"] if p["rule"] == "annual-report-missing"]:
        col = next(
            c for c in truth1["columns"] if c["site"] == p["site"] and c["section"] == "annual"
        )
        titles = [t for _, t, _ in served[col["column_url"]]["items"]]
        has = any(f"{y}年政府信息公开工作年度报告" in t for t in titles)
        assert has == (p["expect"] == "quiet"), (p, titles)
