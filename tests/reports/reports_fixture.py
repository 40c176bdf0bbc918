"""A small fixed store: 2 runs, 3 units of different kinds, verdicts (合格, 不合格 with a veto,
未评估), findings open / resolved / waived with evidence, and a scraped title carrying markup."""

from __future__ import annotations

import json
from pathlib import Path

from zwgk.store import open_db

RUN1_AT = "2026-11-20T08:00:00+08:00"
RUN2_AT = "2026-11-27T08:00:00+08:00"  # a Friday: deadlines cross weekends
XSS = "<script>alert(1)</script>"

UNITS = [
    ("yingjiang", "迎江区人民政府", "county", "3408020001"),
    ("jyj", "市教育局", "department", "bm34000012"),
    ("longshi", "龙狮桥乡人民政府", "township", None),
]
SITES = [  # site_id, unit, role, url, SiteIDCode
    (1, "yingjiang", "portal", "http://www.yingjiang.example.gov.cn/", "3408020001"),
    (2, "yingjiang", "disclosure", "http://www.yingjiang.example.gov.cn/xxgk/", "3408020001"),
    (3, "jyj", "disclosure", "http://jyj.example.gov.cn/xxgk/", None),
    (4, "longshi", "disclosure", "http://longshi.example.gov.cn/xxgk/", None),
]
VERDICTS = {  # run -> site -> (verdict, veto rules)
    1: {1: ("合格", []), 2: ("合格", []), 3: ("不合格", ["blank-column"]), 4: ("合格", [])},
    2: {1: ("合格", []), 2: ("不合格", ["homepage-stale"]), 3: ("合格", []), 4: ("未评估", [])},
}
VETO_SUMMARY = "首页最新信息发布于2026年11月1日，已超过14天未更新"
STALE_SUMMARY = (
    f"通知公告栏目最新信息《{XSS}关于开展检查的通知》更新至2026年3月1日，已超过183天未更新"
)
FINDINGS = [
    # id, rule, unit, site, column name, column url, severity, status, opened run,
    # first detected, resolved at, summary, evidence, waive reason
    (1, "homepage-stale", "yingjiang", 2, None, None, "veto", "open", 2, RUN2_AT, None,
     VETO_SUMMARY, {"newest_item_date": "2026-11-01", "window_days": 14}, None),
    (2, "stale-column", "yingjiang", 2, f"通知公告{XSS}", "javascript:alert(1)", "deduct", "open",
     1, RUN1_AT, None, STALE_SUMMARY,
     {"newest_item_date": "2026-03-01", "newest_item_title": f"{XSS}关于开展检查的通知",
      "newest_item_url": "http://www.yingjiang.example.gov.cn/xxgk/tzgg/1.html",
      "window_days": 183}, None),
    (3, "blank-column", "jyj", 3, "人事信息", "http://jyj.example.gov.cn/xxgk/rsxx/", "deduct",
     "resolved", 1, RUN1_AT, "2026-11-27T08:00:00+08:00", "人事信息栏目无任何信息（开天窗）",
     {"placeholder": "暂无信息"}, None),
    (4, "broken-link", "jyj", 3, None, None, "warn", "waived", 1, RUN1_AT, None,
     "首页链接 http://old.example.gov.cn/ 无法访问", {"url": "http://old.example.gov.cn/",
                                                 "status": 404}, "外部单位已撤销，链接保留说明"),
    (5, "crawl-failed", "longshi", 4, None, None, "warn", "open", 2, RUN2_AT, None,
     "站点返回412防护页面，本次未能检查", {"block": "412 $_ts", "url": "http://longshi.example.gov.cn/xxgk/"},
     None),
    (6, "broken-link", "jyj", 3, "工作动态", "http://jyj.example.gov.cn/xxgk/gzdt/", "warn", "open",
     1, RUN1_AT, None, "工作动态栏目页有1个链接无法访问",
     {"links": [{"url": "http://jyj.example.gov.cn/dead.html", "status": 404}]}, None),
]  # fmt: skip
EVENTS = [  # finding, run, event, at, note
    (2, 1, "opened", RUN1_AT, None), (3, 1, "opened", RUN1_AT, None),
    (4, 1, "opened", RUN1_AT, None), (6, 1, "opened", RUN1_AT, None),
    (4, None, "waived", "2026-11-21T10:00:00+08:00", "外部单位已撤销"),
    (1, 2, "opened", RUN2_AT, None), (2, 2, "persisted", RUN2_AT, None),
    (3, 2, "resolved", RUN2_AT, None), (5, 2, "opened", RUN2_AT, None),
    (6, 2, "persisted", RUN2_AT, None),
]  # fmt: skip


def build_store(path: Path):
    db = open_db(path)
    with db.conn:
        for code, name, kind, site_code in UNITS:
            db.execute(
                "INSERT INTO units (unit_id, name, kind, site_code, disclosure, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [code, name, kind, site_code, f"http://{code}.example.gov.cn/xxgk/", RUN2_AT],
            )
        for site_id, unit, role, url, id_code in SITES:
            db.execute(
                "INSERT INTO sites (site_id, unit_id, role, url, host, site_id_code,"
                " first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [site_id, unit, role, url, url.split("/")[2], id_code, RUN1_AT, RUN2_AT],
            )
        for run_id, at in ((1, RUN1_AT), (2, RUN2_AT)):
            db.execute(
                "INSERT INTO runs (run_id, kind, started_at, finished_at, clock_at, status,"
                " units_total) VALUES (?, 'run', ?, ?, ?, 'completed', 3)",
                [run_id, at, at, at],
            )
            for site_id, (verdict, vetoes) in VERDICTS[run_id].items():
                unit = next(s[1] for s in SITES if s[0] == site_id)
                db.execute(
                    "INSERT INTO verdicts VALUES (?, ?, ?, ?, ?, ?)",
                    [run_id, site_id, unit, verdict, json.dumps(vetoes), at],
                )
        for row in FINDINGS:
            fid, rule, unit, site, cname, curl, sev, status, opened, first, resolved = row[:11]
            summary, ev, why = row[11:]
            site_url = next(s[3] for s in SITES if s[0] == site)
            db.execute(
                "INSERT INTO findings (finding_id, key, rule, unit_id, site_id, site_url,"
                " column_url, column_name, severity, status, first_detected_at, last_detected_at,"
                " resolved_at, summary, evidence, opened_run_id, last_run_id, waive_reason)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [fid, f"{rule}|{unit}|{site}|{fid}", rule, unit, site, site_url, curl, cname,
                 sev, status, first, RUN2_AT, resolved, summary,
                 json.dumps(ev, ensure_ascii=False), opened, 2, why],
            )  # fmt: skip
        for fid, run_id, event, at, note in EVENTS:
            db.execute(
                "INSERT INTO finding_events (finding_id, run_id, event, at, note)"
                " VALUES (?, ?, ?, ?, ?)",
                [fid, run_id, event, at, note],
            )
    return db
