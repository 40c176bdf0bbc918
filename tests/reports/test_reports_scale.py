"""500 units render well inside a minute: one query per table, one Environment, write-only xlsx."""

from __future__ import annotations

import json
import time

from reports.build import write_reports
from zwgk.store import open_db

KINDS = ["county", "department", "township", "institution"]


def big_store(path, n_units: int = 500, per_site: int = 3):
    db = open_db(path)
    at = ["2026-11-20T08:00:00+08:00", "2026-11-27T08:00:00+08:00"]
    with db.conn:
        db.conn.executemany(
            "INSERT INTO runs (run_id, kind, started_at, clock_at, status) VALUES (?, 'run', ?, ?, 'completed')",
            [(i + 1, t, t) for i, t in enumerate(at)],
        )
        units, sites, verdicts, findings, events = [], [], [], [], []
        fid = 0
        for u in range(n_units):
            code = f"u{u:03d}"
            units.append((code, f"单位{u}", KINDS[u % 4], f"http://{code}.example.gov.cn/", at[1]))
            for role_i, role in enumerate(("portal", "disclosure")):
                sid = u * 2 + role_i + 1
                url = f"http://{code}.example.gov.cn/{role}/"
                sites.append((sid, code, role, url, f"{code}.example.gov.cn", at[0], at[1]))
                for run in (1, 2):
                    verdict = ["合格", "不合格", "未评估"][(u + run) % 3]
                    vetoes = ["homepage-stale"] if verdict == "不合格" else []
                    verdicts.append((run, sid, code, verdict, json.dumps(vetoes), at[run - 1]))
                for k in range(per_site):
                    fid += 1
                    sev = ["veto", "deduct", "warn"][k % 3]
                    findings.append(
                        (fid, f"k{fid}", "stale-column", code, sid, url, f"{url}c{k}/", f"栏目{k}",
                         sev, "open", at[0], at[1], f"栏目{k}已超过14天未更新",
                         json.dumps({"newest_item_date": "2026-10-01", "window_days": 14}), 1, 2)
                    )  # fmt: skip
                    events.append((fid, 1, "opened", at[0]))
                    events.append((fid, 2, "persisted", at[1]))
        db.conn.executemany(
            "INSERT INTO units (unit_id, name, kind, disclosure, updated_at) VALUES (?, ?, ?, ?, ?)",
            units,
        )
        db.conn.executemany(
            "INSERT INTO sites (site_id, unit_id, role, url, host, first_seen_at, last_seen_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            sites,
        )
        db.conn.executemany("INSERT INTO verdicts VALUES (?, ?, ?, ?, ?, ?)", verdicts)
        db.conn.executemany(
            "INSERT INTO findings (finding_id, key, rule, unit_id, site_id, site_url, column_url,"
            " column_name, severity, status, first_detected_at, last_detected_at, summary,"
            " evidence, opened_run_id, last_run_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            findings,
        )
        db.conn.executemany(
            "INSERT INTO finding_events (finding_id, run_id, event, at) VALUES (?, ?, ?, ?)", events
        )
    return db


def test_500_units_render_quickly(tmp_path):
    db = big_store(tmp_path / "big.db")
    started = time.monotonic()
    paths = write_reports(db, 2, tmp_path / "out")
    elapsed = time.monotonic() - started
    assert len(paths.units) == 500 and len(paths.tasks) == 500
    assert elapsed < 60, f"500 units took {elapsed:.1f}s"
    html = paths.units["u007"].read_text(encoding="utf-8")
    open_section = html[html.index('id="open"') : html.index('id="verdict-history"')]
    assert "u008" not in html and open_section.count("栏目0已超过14天未更新") == 2


def test_500_units_quarterly_with_scores_is_quick(tmp_path):
    """The 通报's score tables list every unit: python-docx's table.cell() walks the whole table
    on each call, which made 500 units take a minute; filling row by row takes about a second."""
    import docx

    from reports.quarterly import write_quarterly

    db = big_store(tmp_path / "big.db")
    started = time.monotonic()
    _, docx_path = write_quarterly(db, "2026Q4", tmp_path / "q")
    elapsed = time.monotonic() - started
    assert elapsed < 20, f"500 units' 通报 took {elapsed:.1f}s"
    tables = docx.Document(str(docx_path)).tables
    assert sum(len(t.rows) - 1 for t in tables[:-1]) == 500  # every unit ranked in its kind
