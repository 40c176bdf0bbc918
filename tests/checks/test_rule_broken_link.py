"""broken-link: one finding per site listing its failing links with the page each was on."""

from __future__ import annotations

import json

HOME = "http://u1.test/"
LIST = "http://u1.test/xxgk/tzgg/"


def dead(i: int, source: str = HOME, status: int | None = 404, error: str | None = None):
    return (f"http://u1.test/dead{i}.html", source, status, error or f"HTTP {status}")


def test_broken_links_fire_once_per_site_with_source_pages(b):
    b.unit(portal=True)
    portal = b.site(role="portal")
    run = b.run()
    b.links(
        run,
        portal,
        40,
        [dead(1), dead(2, LIST), dead(3, LIST, None, "DNSLookupError: no such host")],
    )
    b.check(run)
    (f,) = b.findings("broken-link")
    assert f["site_id"] == portal and f["column_id"] is None and f["severity"] == "deduct"
    assert f["summary"].startswith("3个链接无法访问（共检查40个），如：")
    ev = json.loads(f["evidence"])
    assert ev["broken_count"] == 3 and ev["links_checked"] == 40
    assert ev["broken_links"][0] == {
        "url": "http://u1.test/dead1.html",
        "problem": "HTTP 404",
        "found_on": HOME,
    }
    problems = {b["url"]: b["problem"] for b in ev["broken_links"]}
    assert problems["http://u1.test/dead3.html"] == "DNSLookupError: no such host"
    assert "links_not_checked_cap" not in ev


def test_all_links_answering_is_quiet(b):
    b.unit(portal=True)
    run = b.run()
    b.links(run, b.site(role="portal"), 120)
    b.links(run, b.site(), 30, offsite=12)
    b.check(run)
    assert b.findings("broken-link") == []


def test_listing_stops_at_max_listed_links_and_the_cap_is_said(b):
    b.unit()
    site = b.site()
    run = b.run()
    b.links(run, site, 200, [dead(i) for i in range(12)], capped=35)
    b.check(run)
    (f,) = b.findings("broken-link")
    ev = json.loads(f["evidence"])
    assert len(ev["broken_links"]) == 10 and ev["broken_count"] == 12
    assert ev["links_not_checked_cap"] == 35


def test_min_broken_links_boundary(b):
    b.unit()
    site = b.site()
    run = b.run()
    b.links(run, site, 10, [dead(1), dead(2)])
    config = {"rules": {"broken-link": {"min_broken_links": 3}}}
    b.check(run, config=config)
    assert b.findings("broken-link") == []
    run2 = b.run()
    b.links(run2, site, 10, [dead(1), dead(2), dead(3)])
    b.check(run2, config=config)
    assert len(b.findings("broken-link")) == 1


def test_a_site_down_or_blocked_is_not_judged_and_keeps_its_finding(b):
    b.unit()
    site = b.site()
    run = b.run()
    b.links(run, site, 10, [dead(1)])
    b.check(run)
    assert len(b.findings("broken-link")) == 1
    run2 = b.run(sites={site: "blocked"})
    b.links(run2, site, 3, [dead(1)])  # whatever a blocked site answered: not judged
    b.check(run2)
    (f,) = b.findings("broken-link")
    assert f["last_run_id"] == run  # kept open, not re-judged
    run3 = b.run()  # links not checked in this run (link checks off): not resolved either
    b.check(run3)
    assert len(b.findings("broken-link")) == 1
    run4 = b.run()
    b.links(run4, site, 10)
    b.check(run4)
    assert b.findings("broken-link") == []
    assert len(b.findings("broken-link", status="resolved")) == 1


def test_evidence_in_reports_escapes_scraped_links(b):
    """A scraped link is evidence text: a javascript: or quote-bearing URL is never a link."""
    from reports.data import evidence_parts

    b.unit()
    site = b.site()
    run = b.run()
    bad = 'http://u1.test/a"><script>x</script>'
    b.links(run, site, 5, [(bad, LIST, 404, "HTTP 404")])
    b.check(run)
    (f,) = b.findings("broken-link")
    parts = evidence_parts(f["evidence"])
    labels = [p["label"] for p in parts]
    assert {"错链断链数", "已检查链接数", "问题"} <= set(labels)
    link = next(p for p in parts if p["text"] == bad)
    assert link["label"] == "链接" and link["href"] is None
    assert next(p for p in parts if p["label"] == "所在页面")["href"] == LIST


OFF = "http://other.test/"


def offsite(b, run: int, site: int, day: str, refs: list[tuple[str, int | None, bool | None]]):
    """Off-site links a run's pages showed (offsite_refs) and their answers of `day`
    (offsite_checks: status, ok; ok None = no verdict; a missing answer: ok given as ...)."""
    for path, status, ok in refs:
        b.db.execute(
            "INSERT INTO offsite_refs VALUES (?, ?, ?, ?, ?)", [run, site, OFF + path, HOME, day]
        )
        if ok is not ...:
            b.db.execute(
                "INSERT OR IGNORE INTO offsite_checks VALUES (?, ?, ?, ?, ?, ?)",
                [day, OFF + path, status, None if ok else f"HTTP {status}", ok, day],
            )


def test_off_site_broken_links_are_listed_marked_and_counted(b):
    b.unit(portal=True)
    portal = b.site(role="portal")
    run = b.run()
    b.links(run, portal, 10, [dead(1)], offsite=2)
    offsite(
        b,
        run,
        portal,
        "2026-11-29",
        [("gone", 404, False), ("ok", 200, True), ("busy", 503, None), ("lost", None, ...)],
    )
    b.check(run)
    (f,) = b.findings("broken-link")
    ev = json.loads(f["evidence"])
    assert ev["broken_links"] == [
        {"url": "http://other.test/gone", "problem": "HTTP 404", "found_on": HOME, "offsite": True},
        {"url": "http://u1.test/dead1.html", "problem": "HTTP 404", "found_on": HOME},
    ]
    assert ev["broken_count"] == 2 and ev["links_checked"] == 12  # 10 on-site + gone, ok
    assert ev["offsite_links_checked"] == 2
    assert ev["offsite_links_not_checked"] == 4  # 2 without grant or over cap, busy, lost
    assert "外站链接，HTTP 404" in f["summary"]


def test_an_answer_of_another_day_or_a_working_off_site_link_is_quiet(b):
    b.unit(portal=True)
    portal = b.site(role="portal")
    run = b.run()
    b.links(run, portal, 5)
    offsite(b, run, portal, "2026-11-29", [("ok", 200, True)])
    # yesterday's answer for a link seen today is not today's: not checked, not broken
    b.db.execute(
        "INSERT INTO offsite_checks VALUES ('2026-11-28', ?, 404, 'HTTP 404', 0, 'x')",
        [OFF + "old"],
    )
    b.db.execute(
        "INSERT INTO offsite_refs VALUES (?, ?, ?, ?, '2026-11-29')",
        [run, portal, OFF + "old", HOME],
    )
    b.check(run)
    assert b.findings("broken-link") == []


def test_one_off_site_link_is_the_boundary_of_min_broken_links(b):
    b.unit(portal=True)
    portal = b.site(role="portal")
    run = b.run()
    b.links(run, portal, 5)
    offsite(b, run, portal, "2026-11-29", [("gone", 404, False)])
    b.check(run, config={"rules": {"broken-link": {"min_broken_links": 2}}})
    assert b.findings("broken-link") == []
    run2 = b.run()
    b.links(run2, portal, 5)
    offsite(b, run2, portal, "2026-11-29", [("gone", 404, False), ("gone2", 410, False)])
    b.check(run2, config={"rules": {"broken-link": {"min_broken_links": 2}}})
    (f,) = b.findings("broken-link")
    assert json.loads(f["evidence"])["broken_count"] == 2


def test_retention_keeps_each_sites_latest_off_site_refs_and_their_answers(b):
    from zwgk import store

    b.unit(portal=True)
    portal = b.site(role="portal")
    run1 = b.run()
    b.links(run1, portal, 1)
    offsite(b, run1, portal, "2026-11-29", [("a", 404, False), ("b", 200, True)])
    b.check(run1)
    store.prune_observations(b.db, run1)
    assert b.db.execute("SELECT count(*) FROM offsite_refs").fetchone()[0] == 2
    run2 = b.run("2026-11-30T08:00:00+08:00")
    b.links(run2, portal, 1)
    offsite(b, run2, portal, "2026-11-30", [("a", 404, False)])
    # a 304 list page's carried ref keeps the day its link was asked about
    b.db.execute(
        "INSERT INTO offsite_refs VALUES (?, ?, ?, ?, '2026-11-29')",
        [run2, portal, OFF + "b", LIST],
    )
    b.check(run2)
    pruned = store.prune_observations(b.db, run2)
    assert pruned["offsite_refs"] == 2 and pruned["offsite_checks"] == 1  # 11-29's "a"
    assert sorted(b.db.execute("SELECT day, url FROM offsite_checks").fetchall()) == [
        ("2026-11-29", OFF + "b"),
        ("2026-11-30", OFF + "a"),
    ]
    assert {r[0] for r in b.db.execute("SELECT run_id FROM offsite_refs")} == {run2}
