"""`write_reports`: a run's supervisor report, unit pages and rectification workbooks.

DIR/index.html, DIR/units/<code>.html, DIR/tasks/<code>.xlsx and DIR/tasks/_summary.xlsx (unit
codes are [a-z0-9-]+, so no unit's list can take that name).
The store is read once per table (reports.data); each file renders from that one snapshot.
"""

from __future__ import annotations

import functools
import logging
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reports import evidence, summary, tasks
from reports.data import Snapshot, check_code, load_snapshot, pct
from reports.env import render

TITLE = "政府网站与政务公开监测报告"
log = logging.getLogger("zwgk.reports")


@dataclass(slots=True)
class ReportPaths:
    index: Path
    units: dict[str, Path] = field(default_factory=dict)
    tasks: dict[str, Path] = field(default_factory=dict)
    summary: Path | None = None
    evidence: list[Path] = field(default_factory=list)
    # file (relative to the output folder) -> "ExceptionType: message" for each file that could
    # not be written; the others are written all the same, and the run records these.
    failed: dict[str, str] = field(default_factory=dict)

    def attempt(self, path: Path, out_dir: Path, write: Callable[[], object]) -> bool:
        """Run `write`; a failure is logged and kept in `failed` instead of stopping the
        other files (one unit's odd data must not cost every other unit its report)."""
        try:
            write()
        except Exception as exc:
            name = path.relative_to(out_dir).as_posix()
            log.exception("report file %s failed", name)
            self.failed[name] = f"{type(exc).__name__}: {exc}"
            return False
        return True

    def all(self) -> list[Path]:
        extra = [self.summary] if self.summary else []
        return [self.index, *self.units.values(), *self.tasks.values(), *extra]


def unit_file(folder: Path, code: str, suffix: str) -> Path:
    """DIR/<folder>/<code><suffix>, only for a code matching [a-z0-9-]+ (never scraped text)."""
    path = folder / f"{check_code(code)}{suffix}"
    if path.parent != folder:
        raise ValueError(f"unit file {path} escapes {folder}")
    return path


def report_units(snap: Snapshot) -> list[str]:
    """Units this run reports on: those with a verdict or an open finding (else all units)."""
    codes = {v["unit_id"] for v in snap.verdicts} | {f["unit_id"] for f in snap.open_findings}
    codes &= set(snap.units)
    return sorted(codes) if codes else sorted(snap.units)


def unit_overview(snap: Snapshot, codes: list[str]) -> list[dict[str, Any]]:
    verdicts = snap.by_unit(snap.verdicts)
    open_by_unit = snap.by_unit(snap.open_findings)
    out = []
    for code in codes:
        counts = Counter(v["verdict"] for v in verdicts.get(code, []))
        mine = open_by_unit.get(code, [])
        out.append(
            {
                **snap.units[code],
                "verdicts": counts,
                "passed": counts["合格"],
                "failed": counts["不合格"],
                "unassessed": counts["未评估"],
                "open": len(mine),
                "veto": sum(f["severity"] == "veto" for f in mine),
                "status": "不合格"
                if counts["不合格"]
                else ("合格" if counts["合格"] else "未评估"),
            }
        )
    return out


def write_reports(
    db: Any, run_id: int, out_dir: Path, config: dict[str, Any] | None = None
) -> ReportPaths:
    """Write every report file of run `run_id` under `out_dir`; returns their paths."""
    out_dir = Path(out_dir)
    snap = load_snapshot(db, run_id)
    codes = report_units(snap)
    units_dir, tasks_dir = out_dir / "units", out_dir / "tasks"
    units_dir.mkdir(parents=True, exist_ok=True)
    tasks_dir.mkdir(parents=True, exist_ok=True)

    reported = set(codes)
    open_findings = [f for f in snap.open_findings if f["unit_id"] in reported]
    verdicts = [v for v in snap.verdicts if v["unit_id"] in reported]
    rates = summary.pass_rates(verdicts, snap.units)
    # each finding links to its archived pages ("as seen on …"), written under DIR/evidence/;
    # resolved and waived ones too while their captures are kept (the unit page's history), so
    # a finding disputed after the fix still shows the page as it was
    closed_findings = [f for f in snap.closed_findings if f["unit_id"] in reported]
    captures = evidence.annotate(db, open_findings + closed_findings)
    units = unit_overview(snap, codes)
    common = {
        "title": TITLE,
        "run": snap.run,
        "prev_run": snap.prev_run,
    }
    index = out_dir / "index.html"
    index_html = functools.partial(
        render,
        "index.html",
        **common,
        rates=rates,
        units_total=len(codes),
        sites_total=len(verdicts),
        failed=summary.failed_sites(snap),
        unassessed=summary.unassessed_sites(snap),
        by_rule=summary.counts_by_rule(open_findings),
        changes=snap.changes,
        chart=summary.trend(snap),
        rows=summary.table_rows(open_findings),
        open_total=len(open_findings),
        veto_total=sum(f["severity"] == "veto" for f in open_findings),
        units=units,
    )
    paths = ReportPaths(index=index)
    evidence_dir = out_dir / "evidence"
    paths.attempt(
        evidence_dir,
        out_dir,
        lambda: paths.evidence.extend(
            evidence.write_evidence(
                db, out_dir, open_findings + closed_findings, captures, snap.run, config
            )
        ),
    )
    paths.attempt(index, out_dir, lambda: index.write_text(index_html(), encoding="utf-8"))

    sites_by_unit: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for site in snap.sites.values():
        sites_by_unit[site["unit_id"]].append(site)
    verdict_by_site = {v["site_id"]: v for v in snap.verdicts}
    history = snap.by_unit(snap.history)
    externals = snap.by_unit(snap.external_sections)
    events = snap.by_unit(snap.events)
    closed = snap.by_unit(snap.closed_findings)
    open_by_unit = snap.by_unit(open_findings)
    tasks.set_deadlines(db, open_findings)
    rows = tasks.task_rows(open_findings, config)
    rows_by_unit = snap.by_unit(rows)
    task_title = "{name}政府网站问题整改交办清单（{day}）"
    for overview in units:
        code = overview["code"]
        unit_sites = [
            {**s, "verdict": verdict_by_site.get(s["site_id"])} for s in sites_by_unit[code]
        ]
        mine = history.get(code, [])
        page = unit_file(units_dir, code, ".html")
        html = functools.partial(
            render,
            "unit.html",
            **common,
            unit=overview,
            sites=unit_sites,
            findings=open_by_unit.get(code, []),
            closed=closed.get(code, []),
            history=sorted(mine, key=lambda v: (v["run_id"], v["site_id"]), reverse=True),
            events=list(reversed(events.get(code, []))),
            rate=pct(overview["passed"], overview["failed"]),
            external=externals.get(code, []),
        )
        if paths.attempt(page, out_dir, lambda p=page, h=html: p.write_text(h(), "utf-8")):
            paths.units[code] = page
        book = unit_file(tasks_dir, code, ".xlsx")
        workbook = functools.partial(
            tasks.write_unit_workbook,
            book,
            task_title.format(name=overview["name"], day=snap.run["date"]),
            rows_by_unit.get(code, []),
        )
        if paths.attempt(book, out_dir, workbook):
            paths.tasks[code] = book
    summary_book = tasks_dir / "_summary.xlsx"
    if paths.attempt(
        summary_book,
        out_dir,
        lambda: tasks.write_summary_workbook(
            summary_book,
            task_title.format(name="各单位", day=snap.run["date"]),
            rows,
            {code: snap.units[code] for code in codes},
        ),
    ):
        paths.summary = summary_book
    return paths
