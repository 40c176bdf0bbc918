"""`zwgk scores` output: the JSON array (the contract), CSV (one row per unit) and text lines."""

from __future__ import annotations

import csv
import io
import unicodedata
from typing import Any

from reports.meta import KIND_ZH
from reports.scores import PeriodScores

CSV_HEAD = [
    "period",
    "start",
    "end",
    "unit",
    "unit_name",
    "kind",
    "score",
    "full_marks",
    "verdict",
    "rank",
    "rank_of",
    "previous_score",
    "change",
]
CSV_TAIL = ["veto_rules", "bonus", "table_version"]


def score_json(result: PeriodScores) -> list[dict[str, Any]]:
    """One object per unit: its score, standing and the findings behind every deduction."""
    p, prev = result.period, result.previous
    return [
        {
            "period": p.label,
            "start": p.start.isoformat(),
            "end": p.last_day.isoformat(),
            "unit": u["unit"],
            "unit_name": u["unit_name"],
            "kind": u["kind"],
            "kind_zh": KIND_ZH.get(u["kind"], u["kind"]),
            "score": u["score"],
            "full_marks": u["full_marks"],
            "verdict": u["verdict"],
            "rank": u["rank"],
            "rank_of": u["rank_of"],
            "previous_period": prev.period.label if prev else p.previous().label,
            "previous_score": u["previous_score"],
            "previous_rank": u["previous_rank"],
            "change": u["change"],
            "indicators": u["indicators"],
            "vetoes": u["vetoes"],
            "bonuses": u["bonuses"],
            "table_version": u["table_version"],
            "computed_at": u["computed_at"],
        }
        for u in result.units
    ]


def _indicator_ids(result: PeriodScores) -> list[str]:
    ids: list[str] = []
    for u in result.units:
        for ind in u["indicators"]:
            if ind["indicator"] not in ids:
                ids.append(ind["indicator"])
    return ids


def score_csv(result: PeriodScores) -> str:
    """One row per unit; a `deducted_<indicator>` column per indicator of the table."""
    ids = _indicator_ids(result)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEAD + [f"deducted_{i}" for i in ids] + CSV_TAIL)
    for row in score_json(result):
        deducted = {ind["indicator"]: ind["deducted"] for ind in row["indicators"]}
        writer.writerow(
            [_cell(row[k]) for k in CSV_HEAD]
            + [_cell(deducted.get(i)) for i in ids]
            + [
                ";".join(sorted({v["rule"] for v in row["vetoes"]})),
                _cell(sum(b["points"] for b in row["bonuses"])),
                row["table_version"],
            ]
        )
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


TABLE_HEADER = f"{'kind':11} {'rank':>6} {'score':>6} {'change':>6} {'verdict':7} unit"


def score_line(row: dict[str, Any]) -> str:
    rank = f"{row['rank']}/{row['rank_of']}" if row["rank"] else "-"
    score = "-" if row["score"] is None else f"{row['score']:g}"
    change = "" if row["change"] is None else f"{row['change']:+g}"
    # 合格/不合格 take two terminal columns a glyph: pad by display width so `unit` lines up.
    verdict = row["verdict"] + " " * max(0, 7 - display_width(row["verdict"]))
    return f"{row['kind']:11} {rank:>6} {score:>6} {change:>6} {verdict} {row['unit']} {row['unit_name']}"


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def score_table(result: PeriodScores) -> list[str]:
    """`zwgk scores --format table`: the period and table version, a header, one line a unit."""
    rows = score_json(result)
    p = result.period
    head = f"{p.label} ({p.start} – {p.last_day}), table {result.table_version}"
    return [head, TABLE_HEADER, *(score_line(r) for r in rows)]
