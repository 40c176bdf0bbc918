"""Finding lifecycle: open → persist → resolve → reopen; not-assessed runs; waivers; crashes."""

from __future__ import annotations

import pytest
from builders import days_before

from checks import lifecycle
from checks.export import finding_json, findings
from checks.registry import Hit, Rule, load_rules
from zwgk.errors import ZwgkError

DAYS = [f"2026-11-{d:02d}T08:00:00+08:00" for d in range(1, 10)]


def events(b, finding_id):
    return [e["event"] for e in lifecycle.events(b.db, finding_id)]


def day(b, when, col, dates=(), status="ok", site_status="ok"):
    run = b.run(when, sites={b.site(): site_status})
    if status is not None:
        b.crawl(run, col, list(dates), status=status)
    b.check(run)
    return run


@pytest.fixture
def stale(b):
    b.unit()
    b.now = DAYS[0]
    return b.column(b.site(), "工作动态", "news")


def test_open_persist_resolve_reopen(b, stale):
    day(b, DAYS[0], stale, [days_before(DAYS[0], 40)])
    (f,) = b.findings("stale-column")
    first = f["first_detected_at"]
    day(b, DAYS[1], stale)
    (f2,) = b.findings("stale-column")
    assert f2["finding_id"] == f["finding_id"] and f2["first_detected_at"] == first
    assert f2["last_detected_at"] == "2026-11-02T08:00:00+08:00"
    assert "已41天未更新" in f2["summary"]
    day(b, DAYS[2], stale, [days_before(DAYS[2], 1)])  # fixed
    (r,) = b.findings("stale-column", status="resolved")
    assert r["resolved_at"] == "2026-11-03T08:00:00+08:00"
    day(b, DAYS[8], stale)  # 7 days later: fine still (window 14)
    assert b.findings("stale-column", status="resolved")
    later = "2026-11-20T08:00:00+08:00"
    day(b, later, stale)
    (o,) = b.findings("stale-column")
    assert o["finding_id"] == f["finding_id"] and o["reopened_count"] == 1
    assert events(b, o["finding_id"]) == ["opened", "persisted", "resolved", "reopened"]


@pytest.mark.parametrize(
    ("status", "site_status"), [("failed", "partial"), (None, "ok"), (None, "blocked")]
)
def test_not_assessed_run_leaves_finding_untouched(b, stale, status, site_status):
    day(b, DAYS[0], stale, [days_before(DAYS[0], 40)])
    (f,) = b.findings("stale-column")
    day(b, DAYS[1], stale, status=status, site_status=site_status)
    (same,) = b.findings("stale-column")
    assert same == f
    assert events(b, f["finding_id"]) == ["opened"]


def test_waive_unwaive(b, stale):
    day(b, DAYS[0], stale, [days_before(DAYS[0], 40)])
    (f,) = b.findings("stale-column")
    with pytest.raises(ZwgkError, match="reason"):
        lifecycle.waive(b.db, f["finding_id"], "  ")
    with pytest.raises(ZwgkError, match="does not exist"):
        lifecycle.waive(b.db, 999, "x")
    with pytest.raises(ZwgkError, match="not waived"):
        lifecycle.unwaive(b.db, f["finding_id"])
    row = lifecycle.waive(b.db, f["finding_id"], "栏目已停用，待撤除")
    assert row["status"] == "waived" and row["waive_reason"] == "栏目已停用，待撤除"
    day(b, DAYS[1], stale)
    (w,) = b.findings("stale-column", status="waived")
    assert w["last_detected_at"] == "2026-11-02T08:00:00+08:00"
    assert finding_json(w)["waive_reason"] == "栏目已停用，待撤除"
    lifecycle.unwaive(b.db, f["finding_id"], "误判")
    assert b.findings("stale-column")[0]["status"] == "open"
    assert events(b, f["finding_id"]) == ["opened", "waived", "persisted", "unwaived"]


class Boom(Rule):
    code = "blank-column"  # borrow a real code so config accepts it
    title_zh = title_en = "boom"
    severity = "warn"
    scope = "site"
    regulation = fix = message = "x"

    def evaluate(self, ctx):
        raise RuntimeError("deliberate failure in test")


def test_crashing_rule_is_recorded_and_others_still_run(b, stale):
    run = b.run(DAYS[0])
    b.crawl(run, stale, [days_before(DAYS[0], 40)])
    rules = [load_rules()["stale-column"], Boom]
    res = b.check(run, rules=rules)
    assert res.crashed == {"blank-column": "RuntimeError: deliberate failure in test"}
    assert not res.ok
    assert len(b.findings("stale-column")) == 1
    row = b.db.execute(
        "SELECT status, error FROM rule_runs WHERE run_id = ? AND rule = ?", [run, "blank-column"]
    ).fetchone()
    assert row == ("crashed", "RuntimeError: deliberate failure in test")


def test_crashed_rule_does_not_resolve_its_findings(b, stale):
    r1 = b.run(DAYS[0])
    b.crawl(r1, stale, [], status="placeholder")
    b.check(r1)
    assert len(b.findings("blank-column")) == 1
    r2 = b.run(DAYS[1])
    b.crawl(r2, stale, [], status="placeholder")
    b.check(r2, rules=[Boom])
    assert len(b.findings("blank-column")) == 1


def test_disabled_rule_neither_fires_nor_resolves(b, stale):
    day(b, DAYS[0], stale, [days_before(DAYS[0], 40)])
    run = b.run(DAYS[1])
    b.crawl(run, stale)
    b.check(run, config={"rules": {"stale-column": {"enabled": False}}})
    (f,) = b.findings("stale-column")
    assert f["last_run_id"] != run


def test_export_contract_shape(b, stale):
    day(b, DAYS[0], stale, [days_before(DAYS[0], 40)])
    (f,) = [f for f in findings(b.db) if f["rule"] == "stale-column"]
    assert set(f) >= {
        "rule",
        "unit",
        "site",
        "column_url",
        "column_name",
        "severity",
        "status",
        "first_detected",
        "last_detected",
        "summary",
        "evidence",
    }
    assert f["site"] == "http://u1.test/xxgk/" and f["column_url"].startswith("http://u1.test/")
    assert f["first_detected"] == "2026-11-01T08:00:00+08:00"
    assert isinstance(f["evidence"], dict) and f["title"] == "栏目不更新"
    assert findings(b.db, "resolved") == [] and len(findings(b.db, "all")) == len(findings(b.db))
    with pytest.raises(ZwgkError, match="valid"):
        findings(b.db, "bogus")


def test_hit_defaults():
    h = Hit(unit_id="u", summary="s")
    assert h.site_id is None and h.severity is None and h.evidence == {}
