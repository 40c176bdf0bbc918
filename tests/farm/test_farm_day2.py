"""Day 2 (POST /__farm__/day?n=2): new items on top, back-dated items, a fixed column."""

from __future__ import annotations

from datetime import date

import pytest
from farm_reader import fetch, read_column


@pytest.fixture(scope="module")
def day2(farm_proc, truth1, served):
    """(truth2, column_url -> served items on day 2); the farm goes back to day 1 afterwards."""
    t2 = farm_proc.truth(2)
    assert farm_proc.set_day(2)["day"] == 2
    try:
        ctl = fetch(f"http://127.0.0.1:{farm_proc.port}/__farm__/day")
        assert b'"day": 2' in ctl[2]
        sites = {s["url"]: s for s in t2["sites"]}
        today = date.fromisoformat(t2["now"][:10])
        old = {c["column_url"]: c for c in truth1["columns"]}
        changed = [
            c
            for c in t2["columns"]
            if c["assessable"] and c["items"] != old[c["column_url"]]["items"]
        ]
        got = {c["column_url"]: read_column(c, sites[c["site"]], today) for c in changed}
    finally:
        farm_proc.set_day(1)
    return t2, got, changed


def test_day2_items_are_served_on_top(day2):
    t2, got, changed = day2
    assert len(changed) >= 8
    for c in changed:
        want = [
            (i["url"], i["title"], date.fromisoformat(i["date"]) if i["date"] else None)
            for i in c["items"]
        ]
        assert got[c["column_url"]]["items"] == want
        new = [k for k, i in enumerate(c["items"]) if i["day_added"] == 2]
        pinned = 1 if c["column_name"] == "通知公告" and c["unit"] == "yingjiang" else 0
        assert new == list(range(pinned, pinned + len(new))), c["column_url"]


def test_backdated_plants(day2, truth1):
    t2, got, _ = day2
    day1 = date.fromisoformat(truth1["now"][:10])
    ps = [p for p in t2["plants"] if p["rule"] == "backdated-publishing"]
    assert {p["expect"] for p in ps} == {"fire", "quiet"}
    old = {c["column_url"]: {i["url"] for i in c["items"]} for c in truth1["columns"]}
    for p in ps:
        new = [d for u, _, d in got[p["column_url"]]["items"] if u not in old[p["column_url"]]]
        early = [d for d in new if (day1 - d).days > 1]
        assert (len(early) >= 3) == (p["expect"] == "fire"), (p, new)
        if "genuinely" in p["why"]:
            assert len(new) == 3 and all(d > day1 for d in new)


def test_fixed_columns_resolve(day2, truth1, served):
    t2, got, _ = day2
    fixed = [p for p in t2["plants"] if p["expect"] == "quiet" and "resolves" in p["why"]]
    assert {p["rule"] for p in fixed} == {"stale-column", "blank-column"}
    for p in fixed:
        fired = [
            q
            for q in truth1["plants"]
            if q["column_url"] == p["column_url"] and q["rule"] == p["rule"]
        ]
        assert fired and fired[0]["expect"] == "fire"
        before = served[p["column_url"]]["items"]
        after = got[p["column_url"]]["items"]
        assert len(after) == len(before) + 1
        assert (date.fromisoformat(t2["now"][:10]) - max(d for _, _, d in after)).days == 0


def test_pinned_item_stays_on_top(served, truth1):
    c = next(
        c
        for c in truth1["columns"]
        if c["unit"] == "yingjiang"
        and c["column_name"] == "通知公告"
        and c["section"] == "fdzdgknr"
    )
    ds = [d for _, _, d in served[c["column_url"]]["items"]]
    assert ds[0] < min(ds[1:])  # an old notice kept at the top
