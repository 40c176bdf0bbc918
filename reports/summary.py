"""Figures for the index page: pass rates, veto list, counts by rule, the trend chart."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from reports.data import TREND_DAYS, Snapshot, pct
from reports.meta import KIND_ZH, rule_meta

KIND_ORDER = list(KIND_ZH)
SEVERITY_ORDER = {"veto": 0, "deduct": 1, "warn": 2}
CHART_W, CHART_H, PAD_L, PAD_R, PAD_T, PAD_B = 760, 240, 48, 16, 16, 36


def pass_rates(verdicts: list[dict[str, Any]], units: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """合格率 overall and per unit kind; 未评估 sites count apart, never as passed or failed."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for v in verdicts:
        kind = units[v["unit_id"]]["kind"] if v["unit_id"] in units else "unknown"
        counts[kind][v["verdict"]] += 1
        counts[""][v["verdict"]] += 1
    by_kind = []
    for kind in sorted((k for k in counts if k), key=lambda k: (KIND_ORDER + [k]).index(k)):
        c = counts[kind]
        by_kind.append(
            {
                "kind": kind,
                "kind_zh": KIND_ZH.get(kind, kind),
                "unassessed": c["未评估"],
                **pct(c["合格"], c["不合格"]),
            }
        )
    overall = counts[""]
    return {
        "overall": {"unassessed": overall["未评估"], **pct(overall["合格"], overall["不合格"])},
        "by_kind": by_kind,
    }


def failed_sites(snap: Snapshot) -> list[dict[str, Any]]:
    """不合格 sites with their veto rules and the open veto findings behind them."""
    vetoes: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for f in snap.open_findings:
        if f["severity"] == "veto":
            vetoes[f["site_id"]].append(f)
    out = []
    for v in snap.verdicts:
        if v["verdict"] != "不合格":
            continue
        site = snap.sites.get(v["site_id"])
        unit = snap.units.get(v["unit_id"])
        out.append(
            {
                "unit_id": v["unit_id"],
                "unit_name": unit["name"] if unit else v["unit_id"],
                "site": site,
                "reasons": v["veto_titles"] or ["（未记录否决项）"],
                "findings": vetoes.get(v["site_id"], []),
            }
        )
    return out


def unassessed_sites(snap: Snapshot) -> list[dict[str, Any]]:
    out = []
    for v in snap.verdicts:
        if v["verdict"] == "未评估":
            unit = snap.units.get(v["unit_id"])
            out.append(
                {
                    "unit_id": v["unit_id"],
                    "unit_name": unit["name"] if unit else v["unit_id"],
                    "site": snap.sites.get(v["site_id"]),
                }
            )
    return out


def counts_by_rule(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    counter: Counter[str] = Counter(f["rule"] for f in findings)
    units: dict[str, set[str]] = defaultdict(set)
    severity: dict[str, str] = {}
    for f in findings:
        units[f["rule"]].add(f["unit_id"])
        severity.setdefault(f["rule"], f["severity_zh"])
    return [
        {
            "rule": code,
            "title": rule_meta(code).title_zh,
            "severity_zh": severity[code],
            "count": n,
            "units": len(units[code]),
        }
        for code, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def trend(snap: Snapshot) -> dict[str, Any]:
    """Pass rate per run date over the last 90 days, as SVG coordinates (the last run of a day)."""
    per_run: dict[int, Counter[str]] = defaultdict(Counter)
    run_date: dict[int, str] = {}
    for v in snap.history:
        per_run[v["run_id"]][v["verdict"]] += 1
        run_date[v["run_id"]] = v["date"]
    by_date: dict[str, Counter[str]] = {}
    for run_id in sorted(per_run):
        by_date[run_date[run_id]] = per_run[run_id]
    end = date.fromisoformat(snap.run["date"])
    start = end - timedelta(days=TREND_DAYS)
    inner_w, inner_h = CHART_W - PAD_L - PAD_R, CHART_H - PAD_T - PAD_B
    points = []
    for day, c in sorted(by_date.items()):
        rate = pct(c["合格"], c["不合格"])
        if rate["rate"] is None:
            continue
        offset = (date.fromisoformat(day) - start).days
        points.append(
            {
                "date": day,
                "text": rate["text"],
                "x": round(PAD_L + inner_w * offset / TREND_DAYS, 1),
                "y": round(PAD_T + inner_h * (1 - rate["rate"]), 1),
            }
        )
    grid = [
        {"y": round(PAD_T + inner_h * (1 - p / 100), 1), "label": f"{p}%"} for p in (0, 50, 100)
    ]
    ticks = [
        {
            "x": round(PAD_L + inner_w * d / TREND_DAYS, 1),
            "label": (start + timedelta(days=d)).strftime("%m-%d"),
        }
        for d in (0, 30, 60, 90)
    ]
    # the latest rate is labelled on the side away from the previous point
    label_y = 0.0
    if points:
        last = points[-1]
        below = len(points) > 1 and points[-2]["y"] < last["y"]
        label_y = min(last["y"] + 20, CHART_H - PAD_B - 4) if below else max(last["y"] - 10, 12)
    return {
        "label_y": label_y,
        "width": CHART_W,
        "height": CHART_H,
        "left": PAD_L,
        "right": CHART_W - PAD_R,
        "bottom": CHART_H - PAD_B,
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "grid": grid,
        "ticks": ticks,
    }


def table_rows(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The open findings as plain JSON for the sortable table (embedded with |tojson)."""
    return [
        {
            "unit": f["unit_id"],
            "unit_name": f["unit_name"],
            "site": f["site_role"] or f["site_label"],
            "rule": f["rule"],
            "title": f["title"],
            "severity": f["severity"],
            "severity_zh": f["severity_zh"],
            "column": f["column_name"],
            "column_href": f["column_href"],
            "column_url": f["column_url"],
            "summary": f["summary"],
            "first_detected": f["first_detected"],
            "evidence": f["evidence"],
            "evidence_href": f.get("evidence_href"),
            "evidence_seen": f.get("evidence_seen", ""),
        }
        for f in sorted(findings, key=lambda f: SEVERITY_ORDER.get(f["severity"], 3))
    ]
