"""整改交办清单 workbooks (openpyxl, write-only): one per unit plus a summary across units.

Printable as delivered: a title row, a frozen header repeated on every page, set column widths,
wrapped text, A4 landscape fitted to the page width. Scraped text goes in as plain strings.
"""

from __future__ import annotations

from collections import defaultdict
from copy import copy
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reports.data import ReportError, working_days_after
from zwgk.errors import echo

HEADERS = [
    "序号", "责任单位", "网站名称/标识码", "栏目/URL", "问题类型", "问题描述",
    "发现时间", "整改要求", "完成时限", "整改情况", "复查结果",
]  # fmt: skip
WIDTHS = [6, 16, 22, 30, 16, 48, 17, 36, 12, 16, 12]
COUNT_HEADERS = [
    "单位代码",
    "责任单位",
    "单位类型",
    "问题总数",
    "单项否决",
    "扣分",
    "提醒",
    "最早完成时限",
]
COUNT_WIDTHS = [16, 24, 12, 10, 10, 10, 10, 14]
DEFAULT_DAYS, DEFAULT_VETO_DAYS = 10, 5

_thin = Side(style="thin", color="999999")
_border = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_wrap = Alignment(wrap_text=True, vertical="top")
_head_fill = PatternFill("solid", fgColor="DDE6F0")


def deadlines(config: dict[str, Any] | None, path: object = None) -> tuple[int, int]:
    """(working days, working days for veto findings) from config["reports"]; `path` names
    the configuration file in the error."""
    where = f"{path or 'configuration'}: reports"
    section = (config or {}).get("reports")
    section = {} if section is None else section
    if not isinstance(section, dict):
        raise ReportError(f"{where}: expected a mapping, got {echo(section)}")
    valid = ("deadline_working_days", "veto_deadline_working_days")
    unknown = sorted((k for k in section if k not in valid), key=str)
    if unknown:
        raise ReportError(f"{where}: unknown option {echo(unknown[0])} (valid: {', '.join(valid)})")
    out = []
    for key, default in zip(valid, (DEFAULT_DAYS, DEFAULT_VETO_DAYS), strict=True):
        value = section.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 365:
            raise ReportError(
                f"{where}: {key} must be a whole number of working days "
                f"from 1 to 365, got {echo(value)}"
            )
        out.append(value)
    return out[0], out[1]


def due_date(f: dict[str, Any], days: int, veto_days: int) -> date:
    """完成时限: the date a supervisor set (`deadline_set`, the review workspace), else the
    configured working days from the day the finding was first detected. Counted from
    detection, not from today's run, so a finding left open falls overdue instead of seeing
    its deadline move a day with every run."""
    if f.get("deadline_set"):
        return date.fromisoformat(f["deadline_set"])
    found = date.fromisoformat(f["first_detected_at"][:10])
    return working_days_after(found, veto_days if f["severity"] == "veto" else days)


def set_deadlines(db: Any, findings: list[dict[str, Any]]) -> None:
    """Give each finding the deadline a supervisor set in the workspace, if any."""
    ids = {f["finding_id"] for f in findings}
    if not ids:
        return
    set_at = {
        fid: d
        for fid, d in db.execute(
            "SELECT finding_id, deadline FROM finding_reviews WHERE deadline IS NOT NULL"
        ).fetchall()
        if fid in ids
    }
    for f in findings:
        f["deadline_set"] = set_at.get(f["finding_id"])


def task_rows(
    findings: list[dict[str, Any]], config: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """One row per open finding, in the workbook's column order (序号 filled by the writer)."""
    days, veto_days = deadlines(config)
    rows = []
    for f in findings:
        site = f["site_label"] + (f"\n{f['site_id_code']}" if f["site_id_code"] else "")
        column = "\n".join(x for x in (f["column_name"], f["column_url"] or f["site_url"]) if x)
        kind = f["title"] + ("（单项否决）" if f["severity"] == "veto" else "")
        describe = f["summary"]
        if f["evidence_text"]:
            describe += f"\n证据：{f['evidence_text']}"
        describe += f"\n发现时间：{f['first_detected']}"
        if f.get("evidence_href"):
            # the page(s) as seen when found, archived: a path in the report folder
            describe += f"\n证据存档（{f['evidence_seen']} 所见）：{f['evidence_href']}"
        due = due_date(f, days, veto_days)
        rows.append(
            {
                "unit_id": f["unit_id"],
                "unit_kind": f["unit_kind"],
                "severity": f["severity"],
                "values": [
                    f["unit_name"],
                    site,
                    column,
                    kind,
                    describe,
                    f["first_detected"],
                    f["fix"],
                    due,
                    "",
                    "",
                ],  # fmt: skip
            }
        )
    return rows


def _setup(ws: Worksheet, widths: list[int], title: str, headers: list[str]) -> None:
    ws.freeze_panes = "A3"
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    head = WriteOnlyCell(ws, value=title)
    head.font = Font(bold=True, size=14)
    ws.append([head])
    cells = []
    for name in headers:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = Font(bold=True)
        cell.fill = _head_fill
        cell.border = _border
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cells.append(cell)
    ws.append(cells)


# What a spreadsheet takes as the start of a formula (= + - @) or may strip before one (tab, CR).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _body_styles(ws: Worksheet) -> tuple[Any, Any, Any]:
    """(text style, date style, quoted text style) registered once per workbook; cells copy
    the style array instead of setting four style objects each (openpyxl hashes styles on
    every set)."""
    text = WriteOnlyCell(ws)
    text.alignment = _wrap
    text.border = _border
    day = WriteOnlyCell(ws)
    day.alignment = _wrap
    day.border = _border
    day.number_format = "yyyy-mm-dd"
    quoted = WriteOnlyCell(ws)
    quoted.alignment = _wrap
    quoted.border = _border
    quoted.quotePrefix = True  # Excel's leading apostrophe: stays text even when edited
    return text._style, day._style, quoted._style


def _append(ws: Worksheet, values: list[Any], styles: tuple[Any, Any, Any]) -> None:
    cells = []
    for value in values:
        style = styles[1] if isinstance(value, date) else styles[0]
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell = WriteOnlyCell(ws, value=value)
        if isinstance(value, str) and value.startswith(FORMULA_START):
            cell.data_type = "s"  # scraped text is never a formula (openpyxl made "=..." one)
            style = styles[2]
        cell._style = copy(style)
        cells.append(cell)
    ws.append(cells)


def write_unit_workbook(path: Path, title: str, rows: list[dict[str, Any]]) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("整改交办清单")
    _setup(ws, WIDTHS, title, HEADERS)
    styles = _body_styles(ws)
    for n, row in enumerate(rows, start=1):
        _append(ws, [n, *row["values"]], styles)
    wb.save(path)


def write_summary_workbook(
    path: Path, title: str, rows: list[dict[str, Any]], units: dict[str, dict[str, Any]]
) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("全部问题")
    _setup(ws, WIDTHS, title, HEADERS)
    styles = _body_styles(ws)
    for n, row in enumerate(rows, start=1):
        _append(ws, [n, *row["values"]], styles)
    counts = wb.create_sheet("按单位统计")
    _setup(counts, COUNT_WIDTHS, title.replace("整改交办清单", "问题统计"), COUNT_HEADERS)
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["unit_id"]].append(row)
    for code, unit in units.items():
        mine = grouped.get(code, [])
        sev = [r["severity"] for r in mine]
        first_due = min((r["values"][7] for r in mine), default=None)
        values = [
            code, unit["name"], unit["kind_zh"], len(mine),
            sev.count("veto"), sev.count("deduct"), sev.count("warn"), first_due or "",
        ]  # fmt: skip
        _append(counts, values, styles)
    wb.save(path)
