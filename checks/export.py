"""Findings and verdicts as plain data: the contract's finding JSON (contract.md), kept exact."""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from zwgk.errors import ZwgkError

STATUSES = ("open", "resolved", "waived", "all")


def _title(code: str) -> str | None:
    from checks.registry import load_rules

    cls = load_rules().get(code)
    return cls.title_zh if cls else None


def finding_json(row: dict[str, Any]) -> dict[str, Any]:
    """A `findings` row → the contract shape (+ `id`, `title`; waivers add `waive_reason`)."""
    out = {
        "id": row["finding_id"],
        "rule": row["rule"],
        "title": _title(row["rule"]),
        "unit": row["unit_id"],
        "site": row["site_url"],
        "column_url": row["column_url"],
        "column_name": row["column_name"],
        "severity": row["severity"],
        "status": row["status"],
        "first_detected": row["first_detected_at"],
        "last_detected": row["last_detected_at"],
        "summary": row["summary"],
        "evidence": json.loads(row["evidence"] or "{}"),
    }
    if row.get("status") == "waived":
        out["waive_reason"] = row.get("waive_reason")
    return out


def _rows(db: sqlite_utils.Database, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    cur = db.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def findings(db: sqlite_utils.Database, status: str = "open") -> list[dict[str, Any]]:
    """Findings in the contract shape, sorted by unit, rule, site, column, id."""
    if status not in STATUSES:
        raise ZwgkError(f"--status {status!r} is not valid (valid: {', '.join(STATUSES)})")
    where = "" if status == "all" else "WHERE status = ?"
    rows = _rows(
        db,
        f"SELECT * FROM findings {where} ORDER BY unit_id, rule, coalesce(site_url, ''),"
        " coalesce(column_url, ''), finding_id",
        [] if status == "all" else [status],
    )
    return [finding_json(r) for r in rows]


def verdicts(db: sqlite_utils.Database, run_id: int | None = None) -> list[dict[str, Any]]:
    """Site verdicts of one run (default: the latest run that has verdicts)."""
    if run_id is None:
        run_id = db.execute("SELECT max(run_id) FROM verdicts").fetchone()[0]
        if run_id is None:
            return []
    rows = _rows(
        db,
        "SELECT v.run_id, v.unit_id AS unit, s.url AS site, s.role, v.verdict, v.veto_rules,"
        " v.decided_at FROM verdicts v JOIN sites s ON s.site_id = v.site_id"
        " WHERE v.run_id = ? ORDER BY v.unit_id, s.role, s.url",
        [run_id],
    )
    for r in rows:
        r["veto_rules"] = json.loads(r["veto_rules"])
    return rows


def rule_runs(db: sqlite_utils.Database, run_id: int) -> list[dict[str, Any]]:
    """Each rule's outcome in a run (crashed rules carry their error line)."""
    return _rows(db, "SELECT * FROM rule_runs WHERE run_id = ? ORDER BY rule", [run_id])


def probe_states(
    db: sqlite_utils.Database, units: Any = None, config: Any = None, now: Any = None
) -> list[dict[str, Any]]:
    """Each unit's availability over the probe window at `now` (default: the clock):
    state ok / unreachable / shutdown / insufficient (too few probes: no verdict)."""
    from checks.config import coerce
    from checks.context import Context
    from checks.rules.site_unreachable import probe_states as states
    from zwgk import clock

    ctx = Context(
        db=db, run_id=0, now=now or clock.now(), config=coerce(config), units=list(units or [])
    )
    ctx.load_units()
    try:
        return [s.as_dict() for s in states(ctx).values()]
    finally:
        ctx.cleanup()
