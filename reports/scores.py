"""季度测评 scores: per unit and period, from the store and the scoring table (checks/scoring.py).

A unit is scored in a period when a completed run in it assessed one of its sites. The findings
that count are those open at any time in the period, waived ones left out (as the 通报 counts
problems). Each finding of a rule in the table deducts that rule's points from its indicator,
at most the indicator's cap; a veto finding (severity veto) of a rule in `vetoes` deducts
nothing and makes the unit 不合格. Bonuses are added on top. Ranks are within the unit's kind:
合格 units first by score, then 不合格 ones by score, equal scores sharing a rank (1, 2, 2, 4).

Scores are stored (`scores`, m012) with the table version that made them. A period that has
ended keeps its stored scores, so a published 通报's figures stay what they were; `rescore`
computes them again with the current table. A period still running is computed afresh on each
request. Rank and change are derived when read, from the stored scores of the period and of the
period before it, so re-scoring either one updates both.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from checks.scoring import ScoringTable
from reports.data import ReportError, _rows, iso_date
from reports.meta import KIND_ZH, rule_meta
from reports.periods import Period
from zwgk import clock

KIND_ORDER = list(KIND_ZH)
MAX_LISTED = 5  # most improved and worst units named in the 通报


@dataclass(slots=True)
class PeriodScores:
    period: Period
    table_version: str  # the version that made these scores (may differ from the current)
    units: list[dict[str, Any]]  # one per unit, sorted by kind, rank, code
    previous: PeriodScores | None = None
    notes: list[str] = field(default_factory=list)  # stale versions, re-scored periods


def _round(x: float) -> float:
    return round(x + 0.0, 2)


def _runs(db: Any, period: Period) -> list[dict[str, Any]]:
    return _rows(
        db,
        "SELECT run_id, clock_at FROM runs WHERE kind = 'run' AND status = 'completed'"
        " AND substr(clock_at, 1, 10) >= ? AND substr(clock_at, 1, 10) < ? ORDER BY run_id",
        [period.start.isoformat(), period.end.isoformat()],
    )


def no_runs_error(period: Period) -> ReportError:
    return ReportError(
        f"no completed monitoring run in {period.label} ({period.start} to {period.last_day}):"
        " run `zwgk run` first or choose another period"
    )


def compute(db: Any, period: Period, table: ScoringTable) -> list[dict[str, Any]]:
    """Each unit's score in the period from the store: no rank or change (see `scores`)."""
    lo, hi = period.start.isoformat(), period.end.isoformat()
    if not _runs(db, period):
        raise no_runs_error(period)
    assessed: dict[str, bool] = {}
    for v in _rows(
        db,
        "SELECT v.unit_id, v.verdict FROM verdicts v JOIN runs r ON r.run_id = v.run_id"
        " WHERE r.kind = 'run' AND r.status = 'completed' AND substr(r.clock_at, 1, 10) >= ?"
        " AND substr(r.clock_at, 1, 10) < ?",
        [lo, hi],
    ):
        assessed[v["unit_id"]] = assessed.get(v["unit_id"], False) or v["verdict"] != "未评估"
    units = {
        r["unit_id"]: r
        for r in _rows(db, "SELECT unit_id, name, kind FROM units")
        if r["unit_id"] in assessed
    }
    # Open at some time in the period: a finding never reopened was open from its first
    # detection to its resolution (or now), so its own columns say; one reopened has gaps, and
    # its lifecycle events say when (a finding fixed in Q2 and back in Q4 was no problem in Q3).
    candidates = _rows(
        db,
        "SELECT finding_id, rule, unit_id, severity, status, site_url, column_name, column_url,"
        " summary, first_detected_at, resolved_at, reopened_count FROM findings"
        " WHERE status != 'waived' AND substr(first_detected_at, 1, 10) < ?"
        " AND (resolved_at IS NULL OR substr(resolved_at, 1, 10) >= ?"
        "      OR reopened_count > 0) ORDER BY finding_id",
        [hi, lo],
    )
    spans = _open_spans(db, [f["finding_id"] for f in candidates if f["reopened_count"]])
    findings: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in candidates:
        own = [(iso_date(f["first_detected_at"]), iso_date(f["resolved_at"]) or None)]
        f["spans"] = spans.get(f["finding_id"], own)
        if any(start < hi and (end is None or end >= lo) for start, end in f["spans"]):
            findings[f["unit_id"]].append(f)
    out = []
    for code, unit in units.items():
        row = {"unit": code, "unit_name": unit["name"], "kind": unit["kind"]}
        if not assessed[code]:
            out.append(
                {**row, "score": None, "full_marks": table.full_marks, "verdict": "未评估"}
                | {"indicators": [], "vetoes": [], "bonuses": []}
            )
            continue
        out.append({**row, **_unit_score(findings[code], table, hi)})
    return out


#: Lifecycle events that open a finding and that close it (checks/runner.py, lifecycle.py).
OPENS, CLOSES = ("opened", "reopened", "unwaived"), ("resolved", "waived")


def _open_spans(db: Any, ids: list[int]) -> dict[int, list[tuple[str, str | None]]]:
    """Each finding's open spans as (first day, day it closed or None), from its events."""
    spans: dict[int, list[tuple[str, str | None]]] = defaultdict(list)
    opened: dict[int, str] = {}
    for chunk in range(0, len(ids), 500):  # SQLite's bound-parameter limit
        part = ids[chunk : chunk + 500]
        marks = ",".join("?" * len(part))
        for e in _rows(
            db,
            f"SELECT finding_id, event, at FROM finding_events WHERE finding_id IN ({marks})"
            " ORDER BY finding_id, at, event_id",
            part,
        ):
            fid, day = e["finding_id"], iso_date(e["at"])
            if e["event"] in OPENS and fid not in opened:
                opened[fid] = day
            elif e["event"] in CLOSES and fid in opened:
                spans[fid].append((opened.pop(fid), day))
    for fid, day in opened.items():
        spans[fid].append((day, None))
    return dict(spans)


def _finding_ref(f: dict[str, Any], points: float | None = None) -> dict[str, Any]:
    ref = {
        "finding_id": f["finding_id"],
        "rule": f["rule"],
        "title": rule_meta(f["rule"]).title_zh,
        "summary": f["summary"],
        "site_url": f["site_url"] or "",
        "column_name": f["column_name"] or "",
        "column_url": f["column_url"] or "",
        "first_detected": iso_date(f["first_detected_at"]),
        "resolved": iso_date(f["resolved_at"]),
    }
    if points is not None:
        ref["points"] = points
    return ref


def _unit_score(found: list[dict[str, Any]], table: ScoringTable, hi: str) -> dict[str, Any]:
    per_indicator: dict[str, list[dict[str, Any]]] = defaultdict(list)
    vetoes = []
    for f in found:
        if f["severity"] == "veto" and f["rule"] in table.vetoes:
            vetoes.append(_finding_ref(f))
            continue
        ind = table.indicator_of(f["rule"])
        if ind is None:  # not in the table (crawl-failed): not the unit's fault, no points
            continue
        per_indicator[ind.id].append(_finding_ref(f, ind.deductions[f["rule"]]))
    indicators = []
    for ind in table.indicators:
        items = per_indicator.get(ind.id, [])
        raw = sum(d["points"] for d in items)
        deducted = min(raw, ind.cap)
        indicators.append(
            {
                "indicator": ind.id,
                "title": ind.title,
                "points": ind.points,
                "deducted": _round(deducted),
                "score": _round(ind.points - deducted),
                "deductions": items,
            }
        )
    # A bonus rewards what was seen to be clean, so every finding counts here, crawl-failed
    # too: a unit whose columns could not be read earns none. Open at the period's end: not
    # resolved before it (a period still running: open now).
    open_at_end = [
        f for f in found if any(s < hi and (e is None or e >= hi) for s, e in f["spans"])
    ]
    earned = {
        "no_findings": not found,
        "all_rectified": bool(found) and not open_at_end,
    }
    bonuses = [
        {"bonus": b.id, "title": b.title, "points": b.points}
        for b in table.bonuses
        if earned[b.id] and b.points
    ]
    score = sum(i["score"] for i in indicators) + sum(b["points"] for b in bonuses)
    return {
        "score": _round(score),
        "full_marks": table.full_marks,
        "verdict": "不合格" if vetoes else "合格",
        "indicators": indicators,
        "vetoes": vetoes,
        "bonuses": bonuses,
    }


# --- stored scores ------------------------------------------------------------------------


def _stored(db: Any, period: Period) -> list[dict[str, Any]]:
    return _rows(db, "SELECT * FROM scores WHERE period = ? ORDER BY unit_id", [period.label])


def _store(db: Any, period: Period, table: ScoringTable, units: list[dict[str, Any]]) -> None:
    final = int(period.end <= clock.today())
    now = clock.iso()
    db.execute("BEGIN IMMEDIATE")  # the period's rows are replaced whole or not at all
    try:
        db.execute("DELETE FROM scores WHERE period = ?", [period.label])
        for u in units:
            detail = {k: u[k] for k in ("indicators", "vetoes", "bonuses")}
            db.execute(
                "INSERT INTO scores (period, unit_id, start_date, end_date, kind, unit_name,"
                " score, full_marks, verdict, detail, table_version, final, computed_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    period.label,
                    u["unit"],
                    period.start.isoformat(),
                    period.last_day.isoformat(),
                    u["kind"],
                    u["unit_name"],
                    u["score"],
                    u["full_marks"],
                    u["verdict"],
                    json.dumps(detail, ensure_ascii=False),
                    table.version,
                    final,
                    now,
                ],
            )
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _from_row(row: dict[str, Any]) -> dict[str, Any]:
    detail = json.loads(row["detail"] or "{}")
    return {
        "unit": row["unit_id"],
        "unit_name": row["unit_name"],
        "kind": row["kind"],
        "score": row["score"],
        "full_marks": row["full_marks"],
        "verdict": row["verdict"],
        "indicators": detail.get("indicators", []),
        "vetoes": detail.get("vetoes", []),
        "bonuses": detail.get("bonuses", []),
        "table_version": row["table_version"],
        "computed_at": row["computed_at"],
    }


def period_units(
    db: Any, period: Period, table: ScoringTable, rescore: bool = False
) -> tuple[list[dict[str, Any]], str, list[str]]:
    """The period's unit scores (stored, or computed and stored), the table version that made
    them, and notes for the operator."""
    stored = _stored(db, period)
    notes: list[str] = []
    if stored and all(r["final"] for r in stored) and not rescore:
        version = stored[0]["table_version"]
        if version != table.version:
            notes.append(
                f"{period.label} scores were computed with scoring table {version}; the"
                f" configured table is {table.version} (pass --rescore to re-score)"
            )
        return [_from_row(r) for r in stored], version, notes
    units = compute(db, period, table)
    if stored and rescore and stored[0]["table_version"] != table.version:
        notes.append(
            f"re-scored {period.label}: scoring table {stored[0]['table_version']} →"
            f" {table.version}"
        )
    _store(db, period, table, units)
    return [_from_row(r) for r in _stored(db, period)], table.version, notes


def rank_within_kind(units: list[dict[str, Any]]) -> None:
    """Set `rank` and `rank_of` (units of the kind ranked): 合格 before 不合格, then by score,
    equal standing sharing a rank."""
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for u in units:
        u["rank"] = u["rank_of"] = None
        if u["score"] is not None:
            by_kind[u["kind"]].append(u)
    for group in by_kind.values():
        group.sort(key=lambda u: (u["verdict"] == "不合格", -u["score"], u["unit"]))
        for n, u in enumerate(group):
            before = group[n - 1] if n else None
            same = before and (before["verdict"], before["score"]) == (u["verdict"], u["score"])
            u["rank"] = before["rank"] if same else n + 1
            u["rank_of"] = len(group)


def scores(db: Any, period: Period, table: ScoringTable, rescore: bool = False) -> PeriodScores:
    """The period's scores with rank within kind and change against the period before."""
    units, version, notes = period_units(db, period, table, rescore)
    rank_within_kind(units)
    previous: PeriodScores | None = None
    prev_period = period.previous()
    if _runs(db, prev_period):
        prev_units, prev_version, prev_notes = period_units(db, prev_period, table, rescore)
        rank_within_kind(prev_units)
        previous = PeriodScores(prev_period, prev_version, prev_units)
        notes += prev_notes
    before = {u["unit"]: u for u in (previous.units if previous else [])}
    for u in units:
        p = before.get(u["unit"])
        u["previous_score"] = p["score"] if p else None
        u["previous_rank"] = p["rank"] if p else None
        both = p is not None and p["score"] is not None and u["score"] is not None
        u["change"] = _round(u["score"] - p["score"]) if both else None
    units.sort(key=_order)
    return PeriodScores(period, version, units, previous, notes)


def _order(u: dict[str, Any]) -> tuple[Any, ...]:
    kind = KIND_ORDER.index(u["kind"]) if u["kind"] in KIND_ORDER else len(KIND_ORDER)
    return (kind, u["kind"], u["rank"] is None, u["rank"] or 0, u["unit"])


def most_improved(result: PeriodScores, limit: int = MAX_LISTED) -> list[dict[str, Any]]:
    up = [u for u in result.units if u["change"] is not None and u["change"] > 0]
    return sorted(up, key=lambda u: (-u["change"], u["unit"]))[:limit]


def worst(result: PeriodScores, limit: int = MAX_LISTED) -> list[dict[str, Any]]:
    """The lowest standing across kinds: 不合格 units first, then the lowest scores."""
    scored = [u for u in result.units if u["score"] is not None]
    return sorted(scored, key=lambda u: (u["verdict"] != "不合格", u["score"], u["unit"]))[:limit]
