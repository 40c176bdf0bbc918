"""The quarterly 通报 draft (HTML and .docx): `zwgk report --quarter 2026Q4`.

一、总体情况: units and sites checked, 合格率 per level, runs in the quarter (each site counted by
its latest assessed verdict in the quarter). 二、测评得分与排名: the 季度测评 scores by kind, the most
improved and the worst units, the score distribution (reports/quarterly_scores.py).
三、存在的主要问题: findings open at any time in the quarter (waived ones left out), by type with
counts, units named with an example. 四、工作要求: the rules' fix texts and the rectification
deadline.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from checks.scoring import ScoringTable, scoring_table
from reports.data import ReportError, _finding, _rows, _site, _unit
from reports.env import render
from reports.meta import rule_meta
from reports.periods import Period, parse_quarter
from reports.quarterly_scores import score_lines, score_section
from reports.scores import scores
from reports.summary import pass_rates
from reports.tasks import deadlines

MAX_NAMED_UNITS = 5
# Not the unit's fault: reported under 未评估 in 一、总体情况, not named as a problem.
NOT_PROBLEMS = {"crawl-failed"}


def quarter_data(
    db: Any,
    quarter: str,
    config: dict[str, Any] | None = None,
    table: ScoringTable | None = None,
    rescore: bool = False,
    notes: list[str] | None = None,
) -> dict[str, Any]:
    label, start, end = parse_quarter(quarter)
    lo, hi = start.isoformat(), end.isoformat()
    runs = _rows(
        db,
        "SELECT run_id, clock_at FROM runs WHERE kind = 'run' AND status = 'completed'"
        " AND substr(clock_at, 1, 10) >= ? AND substr(clock_at, 1, 10) < ? ORDER BY run_id",
        [lo, hi],
    )
    if not runs:
        raise ReportError(
            f"no completed monitoring run in {label} ({lo} to {date.fromordinal(end.toordinal() - 1)}):"
            " run `zwgk run` first or choose another quarter"
        )
    units = {r["unit_id"]: _unit(r) for r in _rows(db, "SELECT * FROM units ORDER BY unit_id")}
    sites = {r["site_id"]: _site(r, units) for r in _rows(db, "SELECT * FROM sites")}
    latest: dict[int, dict[str, Any]] = {}
    for v in _rows(
        db,
        "SELECT v.* FROM verdicts v JOIN runs r ON r.run_id = v.run_id WHERE r.kind = 'run'"
        " AND r.status = 'completed' AND substr(r.clock_at, 1, 10) >= ?"
        " AND substr(r.clock_at, 1, 10) < ? ORDER BY v.run_id",
        [lo, hi],
    ):
        # the latest assessed verdict wins; 未评估 only when the site was never assessed
        if v["verdict"] != "未评估" or v["site_id"] not in latest:
            latest[v["site_id"]] = v
    verdicts = [v for v in latest.values() if v["unit_id"] in units]
    rates = pass_rates(verdicts, units)
    failed_units = sorted(
        {v["unit_id"] for v in verdicts if v["verdict"] == "不合格"}, key=lambda c: c
    )

    findings = [
        _finding(r, units, sites)
        for r in _rows(
            db,
            "SELECT * FROM findings WHERE status != 'waived' AND substr(first_detected_at, 1, 10) < ?"
            " AND (resolved_at IS NULL OR substr(resolved_at, 1, 10) >= ?) ORDER BY finding_id",
            [hi, lo],
        )
    ]
    by_rule: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in findings:
        if f["rule"] not in NOT_PROBLEMS:
            by_rule[f["rule"]].append(f)
    problems = []
    for code, items in sorted(by_rule.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        per_unit: dict[str, dict[str, Any]] = {}
        for f in items:
            per_unit.setdefault(f["unit_id"], f)
        counts = Counter(f["unit_id"] for f in items)
        named = sorted(per_unit.values(), key=lambda f: (-counts[f["unit_id"]], f["unit_id"]))
        meta = rule_meta(code)
        problems.append(
            {
                "rule": code,
                "title": meta.title_zh,
                "fix": meta.fix,
                "count": len(items),
                "units": len(per_unit),
                "open": sum(f["status"] == "open" for f in items),
                "named": [
                    {
                        "unit_name": f["unit_name"],
                        "count": counts[f["unit_id"]],
                        "example": f["summary"],
                    }
                    for f in named[:MAX_NAMED_UNITS]
                ],  # fmt: skip
            }
        )
    days, veto_days = deadlines(config)
    result = scores(db, Period(label, start, end), table or scoring_table(config), rescore)
    if notes is not None:
        notes.extend(result.notes)
    return {
        "quarter": label,
        "year": start.year,
        "q": (start.month + 2) // 3,
        "start": lo,
        "end": date.fromordinal(end.toordinal() - 1).isoformat(),
        "runs": len(runs),
        "first_run": runs[0]["clock_at"][:10],
        "last_run": runs[-1]["clock_at"][:10],
        "units_checked": len({v["unit_id"] for v in verdicts}),
        "sites_checked": len(verdicts),
        "rates": rates,
        "failed_units": [units[c]["name"] for c in failed_units],
        "problems": problems,
        "findings_total": sum(p["count"] for p in problems),
        "open_total": sum(p["open"] for p in problems),
        "deadline_days": days,
        "veto_deadline_days": veto_days,
        "scores": score_section(result),
    }


def _paragraphs(d: dict[str, Any]) -> list[tuple[str, Any]]:
    """The 通报 as (style, payload) lines, shared by the .docx writer, the HTML and the tests:
    text for title/h1/h2/p, rows for "table", the distribution for "chart"."""
    r = d["rates"]
    lines: list[tuple[str, Any]] = [
        ("title", f"关于{d['year']}年第{d['q']}季度政府网站与政务公开监测情况的通报（征求意见稿）"),
        ("h1", "一、总体情况"),
        (
            "p",
            f"{d['start']}至{d['end']}，共开展自动监测{d['runs']}次（{d['first_run']}至"
            f"{d['last_run']}），检查单位{d['units_checked']}个、网站{d['sites_checked']}个。"
            f"已评估网站{r['overall']['total']}个，合格{r['overall']['passed']}个、不合格"
            f"{r['overall']['failed']}个，总体合格率{r['overall']['text']}；另有"
            f"{r['overall']['unassessed']}个网站因无法采集未评估。",
        ),
    ]
    for k in r["by_kind"]:
        lines.append(
            ("p", f"{k['kind_zh']}：合格{k['passed']}个、不合格{k['failed']}个、未评估"
                  f"{k['unassessed']}个，合格率{k['text']}。")
        )  # fmt: skip
    if d["failed_units"]:
        lines.append(("p", "不合格单位：" + "、".join(d["failed_units"]) + "。"))
    lines += score_lines(d["scores"])
    lines.append(("h1", "三、存在的主要问题"))
    lines.append(
        ("p", f"本季度共发现问题{d['findings_total']}个，截至目前仍有{d['open_total']}个未整改。")
    )
    for n, p in enumerate(d["problems"], start=1):
        lines.append(
            ("h2", f"（{_cn(n)}）{p['title']}：{p['count']}个问题，涉及{p['units']}个单位。")
        )
        for u in p["named"]:
            lines.append(("p", f"{u['unit_name']}（{u['count']}个）：如{u['example']}"))
    lines.append(("h1", "四、工作要求"))
    lines.append(
        (
            "p",
            f"各单位要对照问题清单逐项整改，一般问题于通报印发之日起{d['deadline_days']}个工作日内、"
            f"单项否决问题于{d['veto_deadline_days']}个工作日内完成整改，并报送整改情况；"
            "逾期未整改的将在下次通报中点名。",
        )
    )
    requirements: dict[str, list[str]] = {}
    for p in d["problems"]:
        requirements.setdefault(p["fix"], []).append(p["title"])
    for n, (fix, titles) in enumerate(requirements.items(), start=1):
        lines.append(("p", f"{n}. {'、'.join(titles)}：{fix}"))
    return lines


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def _docx_table(doc: Any, rows: list[list[str]]) -> None:
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    # row by row: table.cell(r, c) walks the whole table each call (500 units took a minute)
    for r, (row, texts) in enumerate(zip(table.rows, rows, strict=True)):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
            if r == 0:
                cell.paragraphs[0].runs[0].bold = True


def _chart_rows(chart: dict[str, Any]) -> list[list[str]]:
    """The distribution as a table: band, count and a bar of ■ (Word shows it as it is)."""
    return [["分数段", "单位数", "分布"]] + [
        [b["label"], str(b["count"]), "■" * b["count"]] for b in chart["bars"]
    ]


def _docx(path: Path, lines: list[tuple[str, Any]]) -> None:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "仿宋"
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    for style, text in lines:
        if style in ("table", "chart"):
            _docx_table(doc, text if style == "table" else _chart_rows(text))
            continue
        para = doc.add_paragraph()
        run = para.add_run(text)
        if style == "title":
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run.bold = True
            run.font.size = Pt(20)
        elif style == "h1":
            run.bold = True
            run.font.size = Pt(16)
        elif style == "h2":
            run.bold = True
        else:
            para.paragraph_format.first_line_indent = Pt(28)
    doc.save(str(path))


def write_quarterly(
    db: Any,
    quarter: str,
    out_dir: Path,
    config: dict[str, Any] | None = None,
    table: ScoringTable | None = None,
    rescore: bool = False,
    notes: list[str] | None = None,
) -> list[Path]:
    """Write DIR/bulletin-<quarter>.html and .docx; returns both paths."""
    data = quarter_data(db, quarter, config, table, rescore, notes)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = _paragraphs(data)
    html = out_dir / f"bulletin-{data['quarter']}.html"
    html.write_text(render("quarterly.html", d=data, lines=lines), encoding="utf-8")
    docx_path = out_dir / f"bulletin-{data['quarter']}.docx"
    _docx(docx_path, lines)
    return [html, docx_path]
