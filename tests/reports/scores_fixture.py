"""A hand-built store for 季度测评 scores: 3 county and 3 department units, a run in 2026Q3 and
two in 2026Q4, findings across both quarters. The expected scores under the shipped table are
worked out by hand in test_scores.py."""

from __future__ import annotations

import json
from pathlib import Path

from zwgk.store import open_db

Q3_RUN = "2026-08-15T08:00:00+08:00"
Q4_RUN1 = "2026-11-20T08:00:00+08:00"
Q4_RUN2 = "2026-12-20T08:00:00+08:00"
AFTER_Q4 = "2027-01-10T08:00:00+08:00"
FIXED_AT = "2026-08-20T08:00:00+08:00"
REOPENED_AT = "2027-01-05T08:00:00+08:00"  # both quarters have ended: their scores are final
XSS = "<script>alert('x')</script>"

UNITS = [  # code, name, kind
    ("yingjiang", "迎江区人民政府", "county"),
    ("daguan", "大观区人民政府", "county"),
    ("yixiu", f"宜秀区人民政府{XSS}", "county"),
    ("jyj", "市教育局", "department"),
    ("wjw", "市卫生健康委员会", "department"),
    ("tjj", "市统计局", "department"),
]
SITE = {code: n for n, (code, _, _) in enumerate(UNITS, start=1)}  # one disclosure site each
RUNS = [(1, Q3_RUN), (2, Q4_RUN1), (3, Q4_RUN2)]
# wjw could not be assessed in Q3 (未评估): no score then, so no change in Q4.
UNASSESSED = {(1, "wjw")}
VETO = {(3, "yixiu"): ["homepage-stale"]}


def _findings() -> list[tuple]:
    # rule, unit, severity, status, first detected, resolved at, summary
    rows = [
        ("stale-column", "yingjiang", "deduct", "resolved", Q3_RUN, Q4_RUN1, "通知公告栏目未更新"),
        ("stale-column", "yingjiang", "deduct", "resolved", Q3_RUN, "2026-09-20T08:00:00+08:00",
         "工作动态栏目未更新"),
        ("missing-request-section", "daguan", "deduct", "resolved", Q3_RUN, Q4_RUN1,
         "未设置依申请公开栏目"),
        ("broken-link", "jyj", "deduct", "waived", Q3_RUN, None, "首页链接无法访问"),
        ("homepage-stale", "yixiu", "veto", "open", Q4_RUN2, None, f"首页超过14天未更新{XSS}"),
        ("interpretation-missing", "yixiu", "deduct", "open", Q4_RUN1, None, "政策一缺少解读"),
        ("interpretation-missing", "yixiu", "deduct", "open", Q4_RUN2, None, "政策二缺少解读"),
        ("crawl-failed", "daguan", "warn", "open", Q4_RUN2, None, "站点返回412防护页面"),
        ("meta-missing", "wjw", "deduct", "open", Q4_RUN1, None, "页面缺少元数据"),
        ("meta-missing", "tjj", "deduct", "open", Q4_RUN2, None, "页面缺少元数据"),
    ]  # fmt: skip
    # eleven blank columns: 22 points, capped at the indicator's 20; all fixed in October
    rows += [
        ("blank-column", "jyj", "deduct", "resolved", Q3_RUN, "2026-10-10T08:00:00+08:00",
         f"栏目{n}为空白栏目")
        for n in range(1, 12)
    ]  # fmt: skip
    return rows


FINDINGS = _findings()


def build_scores_store(path: Path):
    db = open_db(path)
    with db.conn:
        for code, name, kind in UNITS:
            db.execute(
                "INSERT INTO units (unit_id, name, kind, disclosure, updated_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [code, name, kind, f"http://{code}.example.gov.cn/xxgk/", Q4_RUN2],
            )
            db.execute(
                "INSERT INTO sites (site_id, unit_id, role, url, host, first_seen_at,"
                " last_seen_at) VALUES (?, ?, 'disclosure', ?, ?, ?, ?)",
                [SITE[code], code, f"http://{code}.example.gov.cn/xxgk/",
                 f"{code}.example.gov.cn", Q3_RUN, Q4_RUN2],
            )  # fmt: skip
        for run_id, at in RUNS:
            db.execute(
                "INSERT INTO runs (run_id, kind, started_at, finished_at, clock_at, status,"
                " units_total) VALUES (?, 'run', ?, ?, ?, 'completed', ?)",
                [run_id, at, at, at, len(UNITS)],
            )
            for code, _, _ in UNITS:
                vetoes = VETO.get((run_id, code), [])
                verdict = "未评估" if (run_id, code) in UNASSESSED else "合格"
                db.execute(
                    "INSERT INTO verdicts VALUES (?, ?, ?, ?, ?, ?)",
                    [run_id, SITE[code], code, "不合格" if vetoes else verdict,
                     json.dumps(vetoes), at],
                )  # fmt: skip
        for fid, (rule, unit, severity, status, first, resolved, summary) in enumerate(
            FINDINGS, start=1
        ):
            db.execute(
                "INSERT INTO findings (finding_id, key, rule, unit_id, site_id, site_url,"
                " severity, status, first_detected_at, last_detected_at, resolved_at, summary,"
                " evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}')",
                [fid, f"{rule}|{unit}|{fid}", rule, unit, SITE[unit],
                 f"http://{unit}.example.gov.cn/xxgk/", severity, status, first,
                 resolved or Q4_RUN2, resolved, summary],
            )  # fmt: skip
        # fixed in August, back in January: a problem in Q3 only, not in Q4 (its events say so;
        # its own columns, first detected in August and not resolved now, would not)
        fid = len(FINDINGS) + 1
        db.execute(
            "INSERT INTO findings (finding_id, key, rule, unit_id, site_id, site_url, severity,"
            " status, first_detected_at, last_detected_at, summary, evidence, reopened_count)"
            " VALUES (?, 'reopened', 'blank-column', 'tjj', ?, '', 'deduct', 'open', ?, ?,"
            " '栏目反复为空白栏目', '{}', 1)",
            [fid, SITE["tjj"], Q3_RUN, REOPENED_AT],
        )
        for event, at in (("opened", Q3_RUN), ("resolved", FIXED_AT), ("reopened", REOPENED_AT)):
            db.execute(
                "INSERT INTO finding_events (finding_id, event, at) VALUES (?, ?, ?)",
                [fid, event, at],
            )
    return db
