"""site-unreachable from a week of probes: 10% → veto, 3% → none, too few → no verdict."""

from __future__ import annotations

import json

import pytest

from checks.runner import run_checks
from zwgk import clock

NOW = "2026-11-29T08:00:00+08:00"


def probed(b, failures, per_day=20, days=7):
    b.unit(portal=True)
    b.probes("u1", end=NOW, days=days, per_day=per_day, failures=failures)
    run = b.run(NOW)
    return run, b.check(run)


@pytest.mark.parametrize(
    ("failures", "state"),
    [(14, "unreachable"), (7, "unreachable"), (6, "ok"), (4, "ok"), (112, "shutdown"), (0, "ok")],
)
def test_probe_ratios(b, failures, state):
    run, res = probed(b, failures)  # 140 probes: 14 = 10%, 7 = 5%, 4 ≈ 3%, 112 = 80%
    assert res.probes["u1"].state == state
    found = b.findings("site-unreachable")
    assert bool(found) is (state != "ok")
    portal = b.site(role="portal")
    if found:
        assert found[0]["severity"] == "veto" and found[0]["site_id"] == portal
        assert b.verdict(run, portal) == ("不合格", ["site-unreachable"])
        assert ("疑似关停/改版" in found[0]["summary"]) is (state == "shutdown")
        assert json.loads(found[0]["evidence"])["suspected_shutdown"] is (state == "shutdown")


def test_too_few_probes_no_verdict(b):
    run, res = probed(b, 30, per_day=5)  # 35 probes < 20 × 7 × 0.5
    assert res.probes["u1"].state == "insufficient"
    assert b.findings("site-unreachable") == []


def test_old_probes_fall_out_of_the_window(b):
    b.unit(portal=True)
    b.probes("u1", end="2026-11-10T08:00:00+08:00", failures=140)
    b.probes("u1", end=NOW, failures=0)
    run = b.run(NOW)
    assert b.check(run).probes["u1"].state == "ok"


def test_insufficient_probes_leave_an_open_finding_untouched(b):
    b.unit(portal=True)
    b.probes("u1", end="2026-11-10T08:00:00+08:00", failures=20)
    r1 = b.run("2026-11-10T08:00:00+08:00")
    b.check(r1)
    assert len(b.findings("site-unreachable")) == 1
    r2 = b.run(NOW)  # no probes in the last 7 days
    res = run_checks(
        b.db,
        r2,
        list(b.units.values()),
        None,
        now=b.db and __import__("zwgk.clock", fromlist=["x"]).parse(NOW),
    )
    assert res.probes["u1"].state == "insufficient"
    assert len(b.findings("site-unreachable")) == 1


def test_probe_states_for_reports(b):
    from checks.export import probe_states

    b.unit(portal=True)
    b.unit("u2")
    b.probes("u1", end=NOW, failures=14)
    (s1, s2) = sorted(probe_states(b.db, now=clock.parse(NOW)), key=lambda s: s["unit_id"])
    assert s1["state"] == "unreachable" and s1["attempts"] == 140 and s1["failure_ratio"] == 0.1
    assert s2["state"] == "insufficient" and s2["min_probes"] == 70
