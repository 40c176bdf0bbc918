"""End to end on the demo farm over two days: every planted defect found, no control flagged.

Plants (zwgk.farm.plants) name a rule, unit, site and column with `fire` or `quiet`. A finding
matches a plant on (rule, unit, site, column_url). `show` prints per-rule recall and precision (a
finding with no fire plant counts against precision). A plant on a column the spiders never
stored counts as a miss: the inventory is part of what is judged.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict

import pytest

pytestmark = pytest.mark.farm


def open_findings(db) -> list[dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    rows = [
        dict(r) for r in conn.execute("SELECT * FROM findings WHERE status IN ('open', 'waived')")
    ]
    conn.close()
    return rows


def key(rule, unit, site, column):
    return (rule, unit, (site or "").rstrip("/"), (column or "").rstrip("/") or None)


def compare(truth: dict, db) -> dict[str, dict]:
    plants = [p for p in truth["plants"]]
    found = {
        key(f["rule"], f["unit_id"], f["site_url"], f["column_url"]): f for f in open_findings(db)
    }
    fire = {
        key(p["rule"], p["unit"], p["site"], p["column_url"]): p
        for p in plants
        if p["expect"] == "fire"
    }
    quiet = {
        key(p["rule"], p["unit"], p["site"], p["column_url"]): p
        for p in plants
        if p["expect"] == "quiet"
    }
    report: dict[str, dict] = defaultdict(lambda: {"tp": 0, "fn": [], "fp": [], "quiet_hit": []})
    for k in fire:
        if k in found:
            report[k[0]]["tp"] += 1
        else:
            report[k[0]]["fn"].append(fire[k])
    for k, f in found.items():
        if k in quiet:
            report[k[0]]["quiet_hit"].append((quiet[k], f["summary"]))
        elif k not in fire:
            report[k[0]]["fp"].append((k, f["summary"]))
    return report


def show(report) -> str:
    lines = []
    for rule, r in sorted(report.items()):
        tp, fn, fp = r["tp"], len(r["fn"]), len(r["fp"]) + len(r["quiet_hit"])
        recall = tp / (tp + fn) if tp + fn else 1.0
        precision = tp / (tp + fp) if tp + fp else 1.0
        lines.append(
            f"{rule:26} recall {recall:.2f} ({tp}/{tp + fn})  precision {precision:.2f}"
            f"  controls flagged {len(r['quiet_hit'])}"
        )
        lines += [
            f"    missed: {p['unit']} {p['column_url'] or p['site']} {p['why']}" for p in r["fn"]
        ]
        lines += [
            f"    control flagged: {p['unit']} {p['column_url'] or p['site']} ({p['why']}): {s}"
            for p, s in r["quiet_hit"]
        ]
        lines += [f"    unplanted: {k[1]} {k[3] or k[2]}: {s}" for k, s in r["fp"]]
    return "\n".join(lines)


@pytest.mark.parametrize("day", [1, 2])
def test_planted_defects_found_and_controls_quiet(crawled, day):
    truth = crawled.truth1 if day == 1 else crawled.truth2
    db = crawled.db_day1 if day == 1 else crawled.db
    report = compare(truth, db)
    text = show(report)
    print(f"\nday {day}\n{text}")
    missed = {r: v["fn"] for r, v in report.items() if v["fn"]}
    flagged = {r: v["quiet_hit"] for r, v in report.items() if v["quiet_hit"]}
    unplanted = {r: v["fp"] for r, v in report.items() if v["fp"]}
    assert not missed, text
    assert not flagged, text
    assert not unplanted, text  # the farm plants every stale/blank verdict: any other is false


def test_day2_fix_resolves_finding(crawled):
    fixed = [
        p for p in crawled.truth2["plants"] if p["expect"] == "quiet" and "resolves" in p["why"]
    ]
    assert fixed, "the farm plants columns fixed on day 2"
    conn = sqlite3.connect(crawled.db)
    for p in fixed:
        rows = conn.execute(
            "SELECT status FROM findings WHERE rule = ? AND unit_id = ? AND rtrim(column_url, '/') = ?",
            [p["rule"], p["unit"], (p["column_url"] or "").rstrip("/")],
        ).fetchall()
        assert rows and {r[0] for r in rows} == {"resolved"}, (p, rows)


def test_day2_backdated_found(crawled):
    want = [
        p
        for p in crawled.truth2["plants"]
        if p["rule"] == "backdated-publishing" and p["expect"] == "fire"
    ]
    assert want, "the farm plants back-dated day-2 items"
    conn = sqlite3.connect(crawled.db)
    ev = [
        json.loads(r[0])
        for r in conn.execute(
            "SELECT evidence FROM findings WHERE rule = 'backdated-publishing' AND status = 'open'"
        )
    ]
    assert len(ev) >= len(want)


def test_broken_link_controls_were_really_checked(crawled, demo_farm):
    """The quiet broken-link controls are quiet because they were asked and answered, not
    because nobody looked: the farm saw the 503-once link asked again (the retry) and the
    redirect followed; the dead links were asked HEAD then GET."""
    from zwgk.farm.render_links import ONCE_503_PATH, REDIRECT_PATH

    log = [line.split("\t") for line in (demo_farm.dir / "access.log").read_text().splitlines()]
    asked = [(m, p, s) for _, _, m, p, s in log]
    busy = [(m, s) for m, p, s in asked if p == ONCE_503_PATH]
    assert ("HEAD", "503") in busy and ("HEAD", "200") in busy, busy
    assert ("HEAD", "302") in [(m, s) for m, p, s in asked if p == REDIRECT_PATH]
    dead = [(m, s) for m, p, s in asked if p == "/zwgk/2019/jgsz_old.html"]
    assert ("HEAD", "404") in dead and ("GET", "404") in dead, dead
    conn = sqlite3.connect(crawled.db)
    statuses = {r[0] for r in conn.execute("SELECT status FROM broken_links")}
    assert statuses <= {404}, statuses  # no 503 (retried) nor WAF answer counted as broken


def test_page_meta_keeps_only_each_kinds_latest_reading(crawled):
    """Retention after day 2's run (zwgk/store.py prune_observations): home and list pages
    were read again, so day 1's tallies of them are gone; nothing older than a (site, kind)'s
    latest reading day is left, and the run says what it pruned."""
    conn = sqlite3.connect(crawled.db)
    rows = conn.execute(
        """SELECT p.site_id, p.kind, substr(r.clock_at, 1, 10) AS day
           FROM page_meta p JOIN runs r USING (run_id) WHERE p.tag = '' GROUP BY 1, 2, 3"""
    ).fetchall()
    by_kind: dict[tuple[int, str], set[str]] = defaultdict(set)
    for site, kind, day in rows:
        by_kind[(site, kind)].add(day)
    assert by_kind and all(len(days) == 1 for days in by_kind.values()), by_kind
    run_ids = [r[0] for r in conn.execute("SELECT run_id FROM runs WHERE kind = 'run'")]
    homes = conn.execute("SELECT DISTINCT run_id FROM page_meta WHERE kind = 'home'").fetchall()
    assert homes == [(max(run_ids),)]
    stats = json.loads(
        conn.execute("SELECT stats FROM runs WHERE run_id = ?", [max(run_ids)]).fetchone()[0]
    )
    assert stats["pruned"]["page_meta"] > 0 and stats["pruned"]["page_site_codes"] > 0


def test_offsite_plants_asked_once_a_day_and_marked(crawled, demo_farm):
    """The farm's grant (FARM_CONFIG): the off-site control, linked by two units, and the dead
    off-site link are each asked with one HEAD a day (two days: two), never a GET; the city
    platform's finding lists both dead off-site links marked off-site, the control nowhere."""
    from zwgk.farm.render_links import OFFSITE_GONE, OFFSITE_IP, OFFSITE_OK, offsite_urls

    log = [line.split("\t") for line in (demo_farm.dir / "access.log").read_text().splitlines()]
    off = Counter((m, p, s) for _, ip, m, p, s in log if ip == OFFSITE_IP)
    assert off == {("HEAD", OFFSITE_OK, "200"): 2, ("HEAD", OFFSITE_GONE, "404"): 2}, off
    urls = offsite_urls(demo_farm.port)
    conn = sqlite3.connect(crawled.db)
    listed = {}
    for unit, role, evidence in conn.execute(
        "SELECT f.unit_id, s.role, f.evidence FROM findings f JOIN sites s USING (site_id)"
        " WHERE f.rule = 'broken-link' AND f.status = 'open'"
    ):
        for b in json.loads(evidence)["broken_links"]:
            listed[b["url"]] = (unit, role, b.get("offsite", False), b["problem"])
    assert listed[urls["gone"]] == ("city", "disclosure", True, "HTTP 404")
    assert listed[urls["closed"]][:3] == ("city", "disclosure", True)
    assert "refused" in listed[urls["closed"]][3].lower()
    assert urls["ok"] not in listed
