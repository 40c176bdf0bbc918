"""Run every enabled rule, keep findings' lifecycle, decide site verdicts.

`run_checks(db, run_id, units, config)`:
1. builds the run's Context (what was assessed, per-unit options);
2. runs each enabled rule isolated: a crashing rule is recorded in `rule_runs` (status crashed,
   the traceback's last line), listed in `ChecksResult.crashed`, and the others still run;
3. in ONE transaction, turns hits into findings (key = rule + unit + site + column + sub-key):
   opened → persisted (one finding while it fires) → resolved (a later run assessed the subject
   and the rule no longer fires) → reopened (fires again). A finding whose subject was not
   assessed in this run, or whose rule crashed or is disabled for its unit, is left untouched.
   Waived findings stay waived while firing;
4. writes one verdict per site of the run's units: 不合格 (an open veto finding detected in this
   run, roll-ups included), else 未评估 (site not assessed: blocked/down/error/not crawled),
   else 合格.
"""

from __future__ import annotations

import json
import time
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlite_utils

from checks.config import coerce
from checks.context import Context
from checks.registry import Hit, Rule, finding_key, load_rules
from zwgk import clock, evidence, store
from zwgk.units import Unit


@dataclass(slots=True)
class RuleOutcome:
    code: str
    status: str  # ok | crashed
    findings: int = 0
    elapsed_ms: int = 0
    error: str | None = None


@dataclass(slots=True)
class ChecksResult:
    run_id: int
    rules: list[RuleOutcome] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # opened/persisted/resolved/reopened
    verdicts: dict[int, dict[str, Any]] = field(default_factory=dict)  # site_id → verdict row
    probes: dict[str, Any] = field(default_factory=dict)  # unit_id → ProbeState

    open_count: int = 0  # open findings (all units) after this run

    @property
    def crashed(self) -> dict[str, str]:
        """{rule code: last line of its traceback} for every rule that crashed."""
        return {r.code: r.error or "" for r in self.rules if r.status == "crashed"}

    @property
    def ok(self) -> bool:
        return not self.crashed


def _last_line(exc: BaseException) -> str:
    return traceback.format_exception_only(type(exc), exc)[-1].strip()


def run_checks(
    db: sqlite_utils.Database,
    run_id: int,
    units: Sequence[Unit] | None,
    config: Any = None,
    *,
    now: datetime | None = None,
    rules: Iterable[type[Rule]] | None = None,
) -> ChecksResult:
    """Run the checks for `run_id`; `config` is a RuleConfig, zwgk Config, mapping or None."""
    units = list(units or [])
    cfg = coerce(config, [u.code for u in units] or None)
    ctx = Context(
        db=db,
        run_id=run_id,
        now=now or clock.now(),
        config=cfg,
        units=units,
        prev_run_id=store.previous_run_id(db, run_id),
    )
    ctx.prepare()
    result = ChecksResult(run_id=run_id)
    selected = list(rules) if rules is not None else list(load_rules().values())
    fired: dict[str, list[Hit]] = {}
    try:
        for cls in selected:
            if not cfg.enabled_anywhere(cls.code):
                continue
            started = time.perf_counter()
            try:
                rule = cls()
                hits = rule.evaluate(ctx)
                ctx.opts_table(cls.code)
                fired[cls.code] = hits
                result.rules.append(RuleOutcome(cls.code, "ok", len(hits), _ms(started)))
            except Exception as exc:  # noqa: BLE001 - one rule must never stop the others
                result.rules.append(
                    RuleOutcome(cls.code, "crashed", 0, _ms(started), _last_line(exc))
                )
        from checks.rules.site_unreachable import probe_states

        result.probes = probe_states(ctx)
        db.execute("BEGIN IMMEDIATE")
        try:
            result.counts = _lifecycle(ctx, {c.code: c for c in selected}, fired)
            # each finding checked now rests on the pages as this run captured them
            result.counts["evidence_links"] = evidence.link_findings(db, run_id)
            result.verdicts = _verdicts(ctx)
            db.conn.executemany(
                "INSERT OR REPLACE INTO rule_runs (run_id, rule, status, error, findings,"
                " elapsed_ms) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (run_id, r.code, r.status, r.error, r.findings, r.elapsed_ms)
                    for r in result.rules
                ],
            )
            db.execute("COMMIT")
            result.open_count = db.execute(
                "SELECT count(*) FROM findings WHERE status = 'open'"
            ).fetchone()[0]
        except BaseException:
            db.execute("ROLLBACK")
            raise
    finally:
        ctx.cleanup()
    return result


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


def _lifecycle(ctx: Context, classes: dict[str, type[Rule]], fired: dict[str, list[Hit]]) -> dict:
    db, run, ts = ctx.db, ctx.run_id, clock.iso(ctx.now)
    ex = db.execute
    ex("DROP TABLE IF EXISTS temp.zc_hits")
    ex(
        "CREATE TEMP TABLE zc_hits (key TEXT PRIMARY KEY, rule TEXT, unit_id TEXT, site_id INT,"
        " column_id INT, severity TEXT, summary TEXT, evidence TEXT)"
    )
    rows = []
    for code, hits in fired.items():
        default = classes[code].severity
        for h in hits:
            rows.append(
                (
                    finding_key(code, h.unit_id, h.site_id, h.column_id, h.subkey),
                    code,
                    h.unit_id,
                    h.site_id,
                    h.column_id,
                    h.severity or default,
                    h.summary,
                    json.dumps(h.evidence, ensure_ascii=False, sort_keys=True, default=str),
                )
            )
    db.conn.executemany("INSERT OR REPLACE INTO zc_hits VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    p = {"run": run, "ts": ts}
    counts = {}

    def event(name: str, where: str) -> int:
        cur = ex(
            f"INSERT INTO finding_events (finding_id, run_id, event, at) "
            f"SELECT f.finding_id, :run, '{name}', :ts FROM findings f WHERE {where}",
            p,
        )
        return cur.rowcount

    fired_where = "f.key IN (SELECT key FROM zc_hits)"
    refresh = """last_detected_at = :ts, last_run_id = :run, severity = h.severity,
                 summary = h.summary, evidence = h.evidence,
                 column_name = coalesce(c.name, findings.column_name)
                 FROM zc_hits h LEFT JOIN columns c ON c.column_id = h.column_id
                 WHERE h.key = findings.key"""
    # persisted: open or waived and still firing (waived stays waived)
    counts["persisted"] = event("persisted", f"{fired_where} AND f.status IN ('open', 'waived')")
    ex(f"UPDATE findings SET {refresh} AND findings.status IN ('open', 'waived')", p)
    # reopened: resolved and firing again
    counts["reopened"] = event("reopened", f"{fired_where} AND f.status = 'resolved'")
    ex(
        "UPDATE findings SET status = 'open', resolved_at = NULL, waived_at = NULL,"
        f" waive_reason = NULL, reopened_count = reopened_count + 1, {refresh}"
        " AND findings.status = 'resolved'",
        p,
    )
    # opened: first time this key fires
    before = ex("SELECT coalesce(max(finding_id), 0) FROM findings").fetchone()[0]
    ex(
        """INSERT INTO findings (key, rule, unit_id, site_id, column_id, site_url, column_url,
             column_name, severity, status, first_detected_at, last_detected_at, summary,
             evidence, opened_run_id, last_run_id)
           SELECT h.key, h.rule, h.unit_id, h.site_id, h.column_id, s.url, c.url, c.name,
                  h.severity, 'open', :ts, :ts, h.summary, h.evidence, :run, :run
           FROM zc_hits h LEFT JOIN sites s ON s.site_id = h.site_id
           LEFT JOIN columns c ON c.column_id = h.column_id
           WHERE h.key NOT IN (SELECT key FROM findings)
           ORDER BY h.unit_id, h.rule, h.key""",
        p,
    )
    counts["opened"] = event("opened", f"f.finding_id > {int(before)}")
    # resolved: the rule ran fine, the subject was assessed, and the rule no longer fires
    ex("DROP TABLE IF EXISTS temp.zc_resolve")
    ex("CREATE TEMP TABLE zc_resolve (finding_id INTEGER PRIMARY KEY)")
    for code in fired:
        rule = classes[code]()
        ex(
            f"""INSERT OR IGNORE INTO zc_resolve SELECT f.finding_id FROM findings f
                WHERE f.rule = :code AND f.status IN ('open', 'waived')
                AND f.key NOT IN (SELECT key FROM zc_hits)
                AND f.unit_id IN (SELECT unit_id FROM {ctx.opts_table(code)})
                AND {rule.assessed_sql()}""",
            {"code": code},
        )
    counts["resolved"] = event("resolved", "f.finding_id IN (SELECT finding_id FROM zc_resolve)")
    ex(
        "UPDATE findings SET status = 'resolved', resolved_at = :ts, last_run_id = :run"
        " WHERE finding_id IN (SELECT finding_id FROM zc_resolve)",
        p,
    )
    counts["fired"] = len(rows)
    return counts


def _verdicts(ctx: Context) -> dict[int, dict[str, Any]]:
    db, ts = ctx.db, clock.iso(ctx.now)
    rows = ctx.query(
        """WITH vetoes AS (
             SELECT site_id, json_group_array(rule) AS rules FROM (
               SELECT DISTINCT site_id, rule FROM findings
               WHERE status = 'open' AND severity = 'veto' AND last_run_id = :run
               ORDER BY site_id, rule)
             GROUP BY site_id)
           SELECT s.site_id, s.unit_id, a.site_id IS NOT NULL AS assessed,
                  coalesce(v.rules, '[]') AS veto_rules
           FROM zc_site_runs s LEFT JOIN zc_assessed_sites a ON a.site_id = s.site_id
           LEFT JOIN vetoes v ON v.site_id = s.site_id
           ORDER BY s.site_id""",
        {"run": ctx.run_id},
    )
    out = {}
    for r in rows:
        vetoes = json.loads(r["veto_rules"])
        verdict = "不合格" if vetoes else ("合格" if r["assessed"] else "未评估")
        out[r["site_id"]] = {
            "site_id": r["site_id"],
            "unit_id": r["unit_id"],
            "verdict": verdict,
            "veto_rules": vetoes,
        }
    db.conn.executemany(
        "INSERT OR REPLACE INTO verdicts (run_id, site_id, unit_id, verdict, veto_rules,"
        " decided_at) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                ctx.run_id,
                v["site_id"],
                v["unit_id"],
                v["verdict"],
                json.dumps(v["veto_rules"], ensure_ascii=False),
                ts,
            )
            for v in out.values()
        ],
    )
    return out
