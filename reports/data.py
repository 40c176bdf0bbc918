"""Read one run's state from the store: one query per table, grouped in Python.

Reports never query per unit or per finding: 500 units must render in well under a minute.
Everything scraped (titles, column names, evidence strings, URLs) stays plain data here; the
templates escape it and `safe_href` decides which URLs may become links.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from reports.meta import CATEGORY_ZH, KIND_ZH, ROLE_ZH, SECTION_ZH, SEVERITY_ZH, rule_meta
from zwgk.errors import ZwgkError

# task-list deadlines: China's official holidays and make-up workdays (zwgk.workdays)
from zwgk.workdays import add_working_days as working_days_after  # noqa: F401

TREND_DAYS = 90
UNIT_CODE = re.compile(r"[a-z0-9-]+")
EVIDENCE_LABELS = {
    "newest_item_date": "最新信息日期",
    "window_days": "要求更新周期（天）",
    "days_stale": "未更新天数",
    "newest_item_title": "最新信息标题",
    "category": "栏目类别",
    "column_url": "栏目链接",
    "days_since_update": "未更新天数",
    "window_rule": "更新时限依据",
    "newest_item_url": "最新信息链接",
    "title": "标题",
    "url": "链接",
    "status": "状态码",
    "source": "来源页面",
    "source_url": "来源页面",
    "dates": "日期",
    "count": "数量",
    "block": "拦截类型",
    "error": "错误",
    # catalog-mismatch, and the portal copies a column finding names (checks.mirrors)
    "portal_name": "门户网站栏目",
    "portal_url": "门户网站栏目链接",
    "portal_path": "门户网站目录位置",
    "platform_name": "平台栏目",
    "platform_url": "平台栏目链接",
    "platform_path": "平台目录位置",
    "match": "对应依据",
    # low-volume and news-padding (a unit's items of the last N days)
    "period_days": "统计期间（天）",
    "since": "统计起始日期",
    "item_count": "发布信息条数",
    "kind": "单位类型",
    "kind_median": "同类单位发布量中位数",
    "below_median_ratio": "判定比例（低于中位数）",
    "threshold_count": "判定阈值（条）",
    "peer_units": "同类单位数",
    "peer_counts": "同类单位发布量",
    "newest_items": "最近发布的信息",
    "news_count": "动态信息条数",
    "news_share": "动态信息占比",
    "news_share_ratio": "判定阈值（占比）",
    "class_counts": "分类统计",
    "news_column_url": "动态信息最多的栏目",
    "news_columns": "动态信息来源栏目",
    "news_sample": "动态信息示例",
    "other_sample": "其他信息示例",
    # missing-policy-column
    "missing_columns": "缺少的栏目",
    "names_looked_for": "查找的栏目名称",
    "found_columns": "已有的栏目",
    "columns_checked": "检查的栏目数",
    # interpretation-missing: the policy, its window and the 解读 it tried
    "policy_title": "政策文件",
    "policy_url": "政策文件链接",
    "policy_date": "政策文件发布日期",
    "policy_doc_no": "文号",
    "deadline": "解读期限（最后一个工作日）",
    "window_working_days": "解读时限（工作日）",
    "interp_title": "解读候选",
    "interp_url": "解读候选链接",
    "why_not": "未采信原因",
    # meta-missing (its `examples` and `site_code_examples` are keyed by tag and by code)
    "missing": "缺失元数据",
    "expected_site_code": "应为网站标识码",
    "site_codes_found": "页面标注的网站标识码",
    "site_url": "网站",
    # broken-link (each of its `broken_links` is a url, problem and found_on)
    "broken_count": "错链断链数",
    "links_checked": "已检查链接数",
    "problem": "问题",
    "found_on": "所在页面",
    "links_not_checked_cap": "超出检查上限未检查的链接数",
    "offsite_links_not_checked": "未检查的外站链接数",
    "offsite_links_checked": "已检查的外站链接数",
    "offsite": "外站链接",
    # field keys of the other rules' evidence (a test keeps every rule's keys labelled)
    "tried_interpretations": "已比对的解读",
    "column_urls": "栏目链接",
    "portal_copies": "门户网站对应栏目",
    "catalog_path": "目录位置",
    "path": "目录位置",
    "crawl_status": "抓取状态",
    "items_ever": "历史信息条数",
    "blank_columns": "空白栏目",
    "threshold": "判定阈值",
    "dead_links": "无法访问的链接",
    "missing_sections": "缺少的栏目",
    "missing_on_platform": "平台缺少的信息",
    "missing_on_platform_count": "平台缺少的信息条数",
    "missing_on_portal": "门户网站缺少的信息",
    "missing_on_portal_count": "门户网站缺少的信息条数",
    "portal_only": "仅门户网站有的信息",
    "platform_only": "仅平台有的信息",
    "index_no": "索引号",
    "doc_no": "文号",
    "pub_date": "发布日期",
    "examples": "示例页面",
    "site_code_examples": "示例页面",
    "basis": "判定依据",
    "home_url": "首页链接",
    "broken_links": "错链断链",
    "name": "名称",
    "reason": "原因",
    "annual_columns": "年报栏目",
    "items_in_annual_columns": "年报栏目信息条数",
    "report_year": "报告年度",
    "interp_links_policy": "解读页链接政策文件",
    "policy_links_interp": "政策文件页链接解读",
    "group": "栏目分组",
    "stale_columns": "未更新栏目",
    "cluster_count": "集中发布次数",
    "clusters": "集中发布",
    "date": "日期",
    "items": "信息",
    "start": "起始日期",
    "end": "截止日期",
    "previous_item_date": "此前最近发布日期",
    "silence_days": "此前未发布天数",
    "required_silence_days": "判定间隔（天）",
    "backdated_items": "倒填日期的信息数",
    "crawls": "抓取记录",
    "crawled_at": "抓取时间",
    "previous_crawl_at": "上次抓取时间",
    "suspected_shutdown": "疑似关停",
    "failure_ratio": "失败比例",
    "pages": "页面",
    "urls": "链接",
    "tags": "元数据",
    "absent": "缺失",
    "empty": "为空",
    "checked": "已检查",
    "states": "状态",
}
#: Evidence values that are codes, in the supervisor's words (keyed by the evidence key).
VALUE_ZH: dict[str, dict[str, str]] = {
    "category": CATEGORY_ZH,
    "kind": KIND_ZH,
    "section": SECTION_ZH,
    "role": ROLE_ZH,
    # how the column's pages were read (crawls.status)
    "crawl_status": {
        "ok": "完整读取",
        "placeholder": "显示“暂无信息”",
        "capped": "达到页数上限（最新各页已读）",
        "partial": "部分页面读取失败",
        "blocked": "被拦截",
        "failed": "读取失败",
    },
    # crawl-failed: a site's or column's crawl state (an HTTP status code passes as it is)
    "status": {
        "blocked": "被拦截（WAF/验证）",
        "failed": "读取失败",
        "not-crawled": "未抓取",
        "partial": "部分页面读取失败",
    },
    # stale-column's site roll-up: which columns' share vetoes the site
    "group": {
        "news_notice": "动态要闻类和通知公告/政策文件类",
        "periodic": CATEGORY_ZH["periodic"],
    },
    # how a portal copy was matched to its platform column (checks/mirrors.py)
    "match": {
        "url": "链接相同",
        "path": "路径相同",
        "name": "名称相同",
        "items": "信息条目相同（栏目已改名）",
        "similar name": "名称相近",
    },
}
#: Entries of one evidence list shown in the reports and task lists before "另有N条" (the
#: finding's evidence page shows them all).
LIST_SHOWN = 5
#: A list of plain values (names, dates) is one line: up to this many shown on it.
VALUES_SHOWN = 10
MAX_TEXT = 300


class ReportError(ZwgkError):
    """A report that cannot be written (unknown run, bad quarter, bad unit code)."""


def safe_href(value: Any) -> str | None:
    """The URL itself when it is plain http(s), else None (shown as text, never linked)."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or any(ord(c) < 33 or c in "\"'<>`\\" for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def check_code(code: str) -> str:
    """Unit codes are validated upstream; check again before a code becomes a file name."""
    if not isinstance(code, str) or not UNIT_CODE.fullmatch(code):
        raise ReportError(f"unit code {code!r} is not [a-z0-9-]+; refusing to use it in a path")
    return code


def pct(passed: int, failed: int) -> dict[str, Any]:
    total = passed + failed
    rate = passed / total if total else None
    return {
        "passed": passed,
        "failed": failed,
        "total": total,
        "rate": rate,
        "text": f"{rate * 100:.1f}%" if rate is not None else "—",
    }


def _short(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _label(label: str) -> str:
    """The Chinese label of a dotted evidence key: its own, else (a key that is data, such as a
    meta tag or a site code) its parent's label and the key; never a raw English key."""
    parent, _, base = label.rpartition(".")
    if base in EVIDENCE_LABELS:
        if parent.rpartition(".")[2] == "portal_copies" and not base.startswith("portal_"):
            # a portal copy's own figures sit beside the platform column's: say whose they are
            return "门户网站栏目" + EVIDENCE_LABELS[base]
        return EVIDENCE_LABELS[base]
    if not base:
        return ""
    if not base.isascii() or base.isdigit():
        return f"{_label(parent)}·{base}" if parent else base
    return _label(parent) if parent else "其他"


def evidence_parts(
    evidence: Any, limit: int | None = LIST_SHOWN, more_href: str | None = None
) -> list[dict[str, Any]]:
    """Flatten a finding's evidence JSON into (label, text, href) lines, labelled in Chinese.
    A list shows its first `limit` entries and then "另有N条" (linked to `more_href`, the
    finding's evidence page, where `limit=None` shows every entry), so a count and the entries
    shown never silently disagree."""
    out: list[dict[str, Any]] = []

    def more(label: str, n: int) -> None:
        out.append({"label": _label(label), "text": f"另有{n}条", "href": None,
                    "more": True, "more_href": more_href})  # fmt: skip

    def add(label: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                add(f"{label}.{key}" if label else str(key), sub)
            return
        if isinstance(value, list):
            shown = value if limit is None else value[:limit]
            scalars = [v for v in value if not isinstance(v, dict | list)]
            if scalars and len(scalars) == len(value) and not any(safe_href(v) for v in value):
                shown = value if limit is None else value[: max(limit, VALUES_SHOWN)]
                text = "、".join(str(v) for v in shown)
                if len(shown) < len(value):
                    text += f"（另有{len(value) - len(shown)}条）"
                out.append({"label": _label(label), "text": _short(text), "href": None,
                            "more": len(shown) < len(value), "more_href": more_href})  # fmt: skip
                return
            for sub in shown:
                add(label, sub)
            if len(shown) < len(value):
                more(label, len(value) - len(shown))
            return
        text = "" if value is None else str(value)
        if isinstance(value, bool):
            text = "是" if value else "否"
        text = VALUE_ZH.get(label.rpartition(".")[2], {}).get(text, text)
        out.append({"label": _label(label), "text": _short(text), "href": safe_href(text),
                    "more": False, "more_href": None})  # fmt: skip

    if isinstance(evidence, str):
        try:
            evidence = json.loads(evidence) if evidence else {}
        except ValueError:
            evidence = {"": evidence}
    add("", evidence if evidence is not None else {})
    return out


def evidence_text(parts: list[dict[str, Any]]) -> str:
    return "；".join(f"{p['label']}：{p['text']}" if p["label"] else p["text"] for p in parts)


def iso_date(value: str | None) -> str:
    return value[:10] if value else ""


def iso_minute(value: str | None) -> str:
    return value[:16].replace("T", " ") if value else ""


@dataclass
class Snapshot:
    """Everything the run's reports show, grouped by unit; built by `load_snapshot`."""

    run: dict[str, Any]
    prev_run: dict[str, Any] | None
    units: dict[str, dict[str, Any]]
    sites: dict[int, dict[str, Any]]
    verdicts: list[dict[str, Any]]  # this run, one per site
    history: list[dict[str, Any]]  # verdicts of runs in the trend window (this run included)
    runs_in_window: list[dict[str, Any]]
    open_findings: list[dict[str, Any]]
    closed_findings: list[dict[str, Any]]  # resolved / waived, for unit history
    events: list[dict[str, Any]]  # finding events in the window
    changes: dict[str, int] = field(default_factory=dict)
    # Catalog entries of this run pointing outside the unit's hosts: present, not checked.
    external_sections: list[dict[str, Any]] = field(default_factory=list)

    def by_unit(self, rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            grouped[row["unit_id"]].append(row)
        return grouped


def _rows(db: Any, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    cur = db.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _loads_list(value: str | None) -> list[Any]:
    try:
        data = json.loads(value) if value else []
    except ValueError:
        return []
    return data if isinstance(data, list) else []


def load_run(db: Any, run_id: int) -> dict[str, Any]:
    rows = _rows(db, "SELECT * FROM runs WHERE run_id = ?", [run_id])
    if not rows:
        raise ReportError(f"run {run_id} is not in the store (see `zwgk status` for runs)")
    run = rows[0]
    run["date"] = iso_date(run["clock_at"])
    return run


def _unit(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": row["unit_id"],
        "unit_id": row["unit_id"],
        "name": row["name"],
        "kind": row["kind"],
        "kind_zh": KIND_ZH.get(row["kind"], row["kind"]),
        "site_code": row["site_code"] or "",
        "parent": row["parent"] or "",
    }


def _site(row: dict[str, Any], units: dict[str, dict[str, Any]]) -> dict[str, Any]:
    unit = units.get(row["unit_id"])
    role_zh = ROLE_ZH.get(row["role"], row["role"])
    return {
        "site_id": row["site_id"],
        "unit_id": row["unit_id"],
        "role": row["role"],
        "role_zh": role_zh,
        "url": row["url"],
        "href": safe_href(row["url"]),
        "id_code": row["site_id_code"] or (unit["site_code"] if unit else "") or "",
        "label": f"{unit['name'] if unit else row['unit_id']}（{role_zh}）",
    }


def _finding(row: dict[str, Any], units: dict[str, Any], sites: dict[int, Any]) -> dict[str, Any]:
    meta = rule_meta(row["rule"])
    try:
        evidence = json.loads(row["evidence"]) if row["evidence"] else {}
    except ValueError:
        evidence = {"": row["evidence"]}
    parts = evidence_parts(evidence)
    unit = units.get(row["unit_id"])
    site = sites.get(row["site_id"]) if row["site_id"] is not None else None
    column_url = row["column_url"] or ""
    return {
        "finding_id": row["finding_id"],
        "unit_id": row["unit_id"],
        "unit_name": unit["name"] if unit else row["unit_id"],
        "unit_kind": unit["kind"] if unit else "",
        "site_id": row["site_id"],
        "site_label": site["label"] if site else (row["site_url"] or ""),
        "site_role": site["role_zh"] if site else "",
        "site_id_code": site["id_code"] if site else (unit["site_code"] if unit else ""),
        "site_url": row["site_url"] or (site["url"] if site else ""),
        "rule": row["rule"],
        "title": meta.title_zh,
        "fix": meta.fix,
        "severity": row["severity"],
        "severity_zh": SEVERITY_ZH.get(row["severity"], row["severity"]),
        "status": row["status"],
        "column_name": row["column_name"] or "",
        "column_url": column_url,
        "column_href": safe_href(column_url),
        "summary": row["summary"],
        "evidence": parts,
        "evidence_text": evidence_text(parts),
        "first_detected_at": row["first_detected_at"],
        "first_detected": iso_minute(row["first_detected_at"]),
        "last_detected": iso_minute(row["last_detected_at"]),
        "resolved": iso_minute(row["resolved_at"]),
        "waive_reason": row["waive_reason"] or "",
        "raw_evidence": evidence,
        # the archived pages it rests on (reports/evidence.py annotates the reported findings)
        "evidence_href": None,
        "evidence_seen": "",
        "opened_run_id": row["opened_run_id"],
    }


def load_findings(db: Any, where: str, params: list[Any], order: str) -> list[dict[str, Any]]:
    """Findings matching `where` (SQL on `findings f`, values in `params`), shaped as the reports
    show them: rule title, evidence lines, safe links. For the review workspace (zwgk/web)."""
    units = {r["unit_id"]: _unit(r) for r in _rows(db, "SELECT * FROM units")}
    sites = {r["site_id"]: _site(r, units) for r in _rows(db, "SELECT * FROM sites")}
    rows = _rows(db, f"SELECT f.* FROM findings f WHERE {where} ORDER BY {order}", params)
    return [_finding(r, units, sites) for r in rows]


def load_snapshot(db: Any, run_id: int) -> Snapshot:
    run = load_run(db, run_id)
    prev = _rows(
        db,
        "SELECT * FROM runs WHERE kind = 'run' AND status = 'completed' AND run_id < ?"
        " ORDER BY run_id DESC LIMIT 1",
        [run_id],
    )
    prev_run = prev[0] if prev else None
    clock_at = run["clock_at"]
    start = (datetime.fromisoformat(clock_at) - timedelta(days=TREND_DAYS)).isoformat()

    # Units dropped from the units file keep their history in the store, not in the reports.
    units = {
        r["unit_id"]: _unit(r)
        for r in _rows(db, "SELECT * FROM units WHERE active = 1 ORDER BY unit_id")
    }
    sites = {
        r["site_id"]: _site(r, units)
        for r in _rows(db, "SELECT * FROM sites ORDER BY unit_id, role DESC")
    }
    runs_in_window = _rows(
        db,
        "SELECT run_id, clock_at FROM runs WHERE kind = 'run' AND run_id <= ? AND clock_at >= ?"
        " ORDER BY run_id",
        [run_id, start],
    )
    history = _rows(
        db,
        "SELECT v.run_id, v.site_id, v.unit_id, v.verdict, v.veto_rules, r.clock_at"
        " FROM verdicts v JOIN runs r ON r.run_id = v.run_id"
        " WHERE r.run_id <= ? AND (r.clock_at >= ? OR r.run_id = ?) ORDER BY v.run_id, v.site_id",
        [run_id, start, run_id],
    )
    for v in history:
        v["veto_rules"] = [str(x) for x in _loads_list(v["veto_rules"])]
        v["veto_titles"] = [rule_meta(code).title_zh for code in v["veto_rules"]]
        v["date"] = iso_date(v["clock_at"])
    verdicts = [v for v in history if v["run_id"] == run_id]

    findings = [
        _finding(r, units, sites)
        for r in _rows(db, "SELECT * FROM findings ORDER BY unit_id, severity DESC, finding_id")
    ]
    # severity DESC sorts warn > veto > deduct; put veto first explicitly.
    order = {"veto": 0, "deduct": 1, "warn": 2}
    findings.sort(key=lambda f: (f["unit_id"], order.get(f["severity"], 3), f["finding_id"]))
    open_findings = [f for f in findings if f["status"] == "open"]
    closed_findings = [f for f in findings if f["status"] != "open"]

    finding_unit = {f["finding_id"]: f for f in findings}
    events = _rows(
        db,
        "SELECT * FROM finding_events WHERE at >= ? AND (run_id IS NULL OR run_id <= ?)"
        " ORDER BY at, event_id",
        [start, run_id],
    )
    for e in events:
        f = finding_unit.get(e["finding_id"])
        e["unit_id"] = f["unit_id"] if f else ""
        e["title"] = f["title"] if f else ""
        e["summary"] = f["summary"] if f else ""
        e["when"] = iso_minute(e["at"])
        e["note"] = e["note"] or ""

    snap = Snapshot(
        run=run,
        prev_run=prev_run,
        units=units,
        sites=sites,
        verdicts=verdicts,
        history=history,
        runs_in_window=runs_in_window,
        open_findings=open_findings,
        closed_findings=closed_findings,
        events=events,
    )
    snap.changes = changes_since_previous(snap)
    snap.external_sections = external_sections(db, run_id, sites)
    return snap


def external_sections(db: Any, run_id: int, sites: dict[int, Any]) -> list[dict[str, Any]]:
    """This run's statutory sections linked to another platform (`sections.external`): the
    report says where each points, since nobody checked it."""
    out = []
    for r in _rows(
        db,
        "SELECT site_id, section, name, url FROM sections WHERE run_id = ? AND external = 1"
        " ORDER BY site_id, section, url",
        [run_id],
    ):
        site = sites.get(r["site_id"])
        if site is None:
            continue
        out.append(
            {
                "unit_id": site["unit_id"],
                "site_id": r["site_id"],
                "site_role": site["role_zh"],
                "section": r["section"],
                "section_zh": SECTION_ZH.get(r["section"], r["name"]),
                "name": r["name"],
                "url": r["url"],
                "href": safe_href(r["url"]),
            }
        )
    return out


def changes_since_previous(snap: Snapshot) -> dict[str, int]:
    """New / resolved / persisting since the previous run, from this run's finding events,
    completed by the findings' own columns where the runner wrote no event."""
    run_id = snap.run["run_id"]
    new, resolved = set(), set()
    for e in snap.events:
        if e["run_id"] != run_id:
            continue
        if e["event"] in ("opened", "reopened"):
            new.add(e["finding_id"])
        elif e["event"] == "resolved":
            resolved.add(e["finding_id"])
    prev_at = snap.prev_run["clock_at"] if snap.prev_run else ""
    for f in snap.open_findings:
        if f["opened_run_id"] == run_id:
            new.add(f["finding_id"])
    for f in snap.closed_findings:
        if f["status"] == "resolved" and f["resolved"]:
            at = f["resolved"].replace(" ", "T")
            if prev_at[:16] < at <= snap.run["clock_at"][:16]:
                resolved.add(f["finding_id"])
    open_ids = {f["finding_id"] for f in snap.open_findings}
    return {
        "new": len(new & open_ids),
        "resolved": len(resolved - open_ids),
        "persisting": len(open_ids - new),
    }
