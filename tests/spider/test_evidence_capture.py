"""The evidence archive end to end on loopback (#16): a unit rewrites its stale column right
after the finding opened, and the finding's evidence link still shows the page as it was."""

from __future__ import annotations

import functools
import json
import os
import re
import sqlite3
import time
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

from tests.conftest import DAY1, loopback_site, zwgk

DAY2 = "2026-11-30T08:00:00+08:00"
LIST = """<html><head><meta name="ColumnName" content="工作动态"><title>工作动态_示例县</title>
<script>document.title = "SCRIPT-RAN";</script></head>
<body onload="alert(1)"><p class="mark">{mark}</p><div class="list"><ul>
<li><a href="./202605/t20260501_1.html" title="{title}">{title}</a><span>2026-05-01</span></li>
<li><a href="./202604/t20260418_2.html" title="旧闻二">旧闻二</a><span>2026-04-18</span></li>
</ul></div><script>createPageHTML(1, 0, "index", "html");</script></body></html>"""


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def _write(page: Path, mark: str, title: str, mtime: float) -> None:
    page.write_text(LIST.format(mark=mark, title=title), encoding="utf-8")
    os.utime(page, (mtime, mtime))  # Last-Modified moves on: no 304 for the changed page


def test_a_changed_page_still_shows_what_the_finding_saw(tmp_path: Path) -> None:
    root = tmp_path / "www"
    (root / "gzdt").mkdir(parents=True)
    page = root / "gzdt" / "index.html"
    _write(page, "ORIGINAL-MARK 原始内容", "旧闻一", time.time() - 86400)
    with loopback_site(functools.partial(Quiet, directory=str(root))) as site:
        units = tmp_path / "units.yaml"
        units.write_text(
            f"units:\n  - code: one\n    name: 示例县\n    kind: county\n"
            f"    disclosure: {site}/gzdt/\n",
            encoding="utf-8",
        )
        config = tmp_path / "config.yaml"
        config.write_text(
            "crawl: {delay_seconds: 0.001, autothrottle: false, detail_pages: none}\n"
            "evidence: {resolved_days: 30}\n",
            encoding="utf-8",
        )
        db = tmp_path / "z.db"
        out1, out2 = tmp_path / "out1", tmp_path / "out2"
        common = ["--units", str(units), "--db", str(db), "--config", str(config), "--no-progress"]
        run1 = zwgk("run", *common, "--out", str(out1), now=DAY1)
        assert run1.returncode == 0, run1.stderr[-2000:]
        # The unit edits the page the day after the 通报 (still stale: a new title, new text).
        _write(page, "UPDATED-MARK 已整改说明", "旧闻一（修改）", time.time())
        run2 = zwgk("run", *common, "--out", str(out2), now=DAY2)
        assert run2.returncode == 0, run2.stderr[-2000:]

    findings = json.loads(zwgk("findings", "--db", str(db)).stdout)
    (stale,) = [f for f in findings if f["rule"] == "stale-column"]
    fid, column = stale["id"], f"{site}/gzdt/"

    # the day-2 unit page links the finding's evidence; the evidence page links the capture
    # as first seen (day 1), which replays the ORIGINAL page, scripts gone
    unit_page = (out2 / "units" / "one.html").read_text(encoding="utf-8")
    href = re.search(
        rf'href="\.\./(evidence/one/{fid}\.html)">证据存档（as seen on ([^）]+)）', unit_page
    )
    assert href, "the unit page links the finding's evidence"
    assert href.group(2) == "2026-11-29 08:00"
    ev_page = (out2 / href.group(1)).read_text(encoding="utf-8")
    first = re.search(
        r'<a href="(c\d+\.html)">发现问题时所见（as seen on 2026-11-29 08:00）', ev_page
    )
    assert first, ev_page[:3000]
    replay = (out2 / "evidence" / "one" / first.group(1)).read_text(encoding="utf-8")
    assert "ORIGINAL-MARK" in replay and "UPDATED-MARK" not in replay
    assert column in replay and "as seen on 2026-11-29 08:00" in replay
    assert "<script" not in replay.lower() and "onload" not in replay.lower()
    # …and the later change is kept too, as seen on day 2
    changed = re.search(
        r'<a href="(c\d+\.html)">内容变化后所见（as seen on 2026-11-30 08:00）', ev_page
    )
    assert changed
    assert "UPDATED-MARK" in (out2 / "evidence" / "one" / changed.group(1)).read_text("utf-8")
    # the index's table data and the task list carry the same link
    index = (out2 / "index.html").read_text(encoding="utf-8")
    assert f'"evidence_href": "evidence/one/{fid}.html"' in index
    from openpyxl import load_workbook

    ws = load_workbook(out2 / "tasks" / "one.xlsx").active
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
    assert any(f"证据存档（2026-11-29 08:00 所见）：evidence/one/{fid}.html" in c for c in cells)

    # zwgk evidence show renders the same; verify passes; the archive holds each payload once
    shown = zwgk("evidence", "show", "--db", str(db), str(fid), "--out", str(tmp_path / "show"))
    assert shown.returncode == 0, shown.stderr
    assert "first  as seen on 2026-11-29T08:00:00+08:00" in shown.stdout
    verified = zwgk("evidence", "verify", "--db", str(db))
    assert verified.returncode == 0 and " 0 failed" in verified.stdout, verified.stdout
    with sqlite3.connect(db) as conn:
        per_run = dict(
            conn.execute(
                "SELECT p.run_id, count(*) FROM captures c JOIN pages p ON p.page_id = c.capture_id"
                " GROUP BY p.run_id"
            )
        )
        stored = dict(conn.execute("SELECT run_id, count(*) FROM evidence_records GROUP BY 1"))
    assert per_run[1] >= 1 and per_run[2] >= 1 and stored == {1: 1, 2: 1}
    status = zwgk("status", "--db", str(db))
    assert "evidence archive:" in status.stdout and "findings with evidence" in status.stdout


def test_demo_city_archive_dedupes_and_verifies(crawled) -> None:
    """Day 2 of the demo city re-reads mostly unchanged pages: each is a capture row pointing
    at day 1's record, not a second copy; every record verifies."""
    with sqlite3.connect(crawled.db) as conn:
        conn.execute(
            "CREATE TEMP VIEW cap AS SELECT p.run_id, p.url, p.status, r.sha256, r.run_id AS"
            " stored_by FROM captures c JOIN pages p ON p.page_id = c.capture_id"
            " JOIN evidence_records r ON r.record_id = c.record_id"
        )
        caps = dict(conn.execute("SELECT run_id, count(*) FROM cap GROUP BY run_id"))
        new2 = conn.execute("SELECT count(*) FROM evidence_records WHERE run_id = 2").fetchone()[0]
        both = conn.execute(
            "SELECT count(*) FROM cap c2 WHERE c2.run_id = 2 AND EXISTS (SELECT 1 FROM"
            " cap c1 WHERE c1.run_id = 1 AND c1.url = c2.url AND c1.sha256 = c2.sha256)"
        ).fetchone()[0]
        copies = conn.execute(
            "SELECT count(*) FROM evidence_records WHERE sha256 IN (SELECT sha256 FROM cap"
            " WHERE run_id = 1) AND run_id = 2"
        ).fetchone()[0]
        # a 304 answer's capture points at the payload the URL showed before
        not_modified = conn.execute(
            "SELECT count(*), count(CASE WHEN stored_by = 1 THEN 1 END) FROM cap"
            " WHERE run_id = 2 AND status = 304"
        ).fetchone()
        linked = conn.execute("SELECT count(DISTINCT finding_id) FROM finding_evidence")
        linked = linked.fetchone()[0]
    assert caps[1] > 100 and caps[2] > 10
    assert both > 0 and copies == 0  # unchanged pages: stored once
    assert not_modified[0] > 0 and not_modified[0] == not_modified[1], not_modified
    assert new2 < caps[2]
    assert linked > 0
    from zwgk import evidence as ev
    from zwgk.store import open_db

    n, problems = ev.verify(open_db(crawled.db), ev.archive_dir(crawled.db))
    assert n > 100 and problems == []


def test_waived_and_resolved_findings_keep_their_evidence_link(tmp_path: Path) -> None:
    """The unit page's history (已整改或豁免的问题) links a waived finding's and a resolved
    finding's evidence while the captures are kept: a finding disputed after the fix still
    shows the page as the check saw it; once pruned past `resolved_days`, the link goes."""
    root = tmp_path / "www"
    (root / "gzdt").mkdir(parents=True)
    page = root / "gzdt" / "index.html"
    _write(page, "ORIGINAL-MARK 原始内容", "旧闻一", time.time() - 86400)
    with loopback_site(functools.partial(Quiet, directory=str(root))) as site:
        units = tmp_path / "units.yaml"
        units.write_text(
            f"units:\n  - code: one\n    name: 示例县\n    kind: county\n"
            f"    disclosure: {site}/gzdt/\n",
            encoding="utf-8",
        )
        config = tmp_path / "config.yaml"
        config.write_text(
            "crawl: {delay_seconds: 0.001, autothrottle: false, detail_pages: none}\n"
            "evidence: {resolved_days: 30, unlinked_days: 1}\n",
            encoding="utf-8",
        )
        db = tmp_path / "z.db"
        common = ["--units", str(units), "--db", str(db), "--config", str(config), "--no-progress"]
        run1 = zwgk("run", *common, "--out", str(tmp_path / "out1"), now=DAY1)
        assert run1.returncode == 0, run1.stderr[-2000:]
        (stale,) = [
            f for f in json.loads(zwgk("findings", "--db", str(db)).stdout)
            if f["rule"] == "stale-column"
        ]  # fmt: skip
        fid = stale["id"]
        link = rf'href="\.\./(evidence/one/{fid}\.html)">证据存档（as seen on 2026-11-29 08:00）'

        # waived: the history row links the evidence; the evidence page says 豁免
        waived = zwgk("waive", "--db", str(db), str(fid), "--reason", "栏目已停用")
        assert waived.returncode == 0, waived.stderr
        out_w = tmp_path / "out-waived"
        rep = zwgk("report", "--db", str(db), "--out", str(out_w), "--config", str(config))
        assert rep.returncode == 0, rep.stderr
        closed = _closed_section(out_w)
        m = re.search(link, closed)
        assert m, closed
        ev_page = (out_w / m.group(1)).read_text(encoding="utf-8")
        assert "状态：豁免（豁免理由：栏目已停用）" in ev_page
        assert "发现问题时所见（as seen on 2026-11-29 08:00）" in ev_page

        # resolved: the unit publishes a fresh item; the check resolves it; the history row
        # still links the page as it was on day 1
        assert zwgk("unwaive", "--db", str(db), str(fid)).returncode == 0
        fresh = f"{DAY2[:10].replace('-', '')}"
        page.write_text(
            LIST.format(mark="UPDATED-MARK", title="新闻一")
            .replace("./202605/t20260501_1.html", f"./{fresh[:6]}/t{fresh}_9.html")
            .replace("2026-05-01", DAY2[:10]),
            encoding="utf-8",
        )
        out2 = tmp_path / "out2"
        run2 = zwgk("run", *common, "--out", str(out2), now=DAY2)
        assert run2.returncode == 0, run2.stderr[-2000:]

    status = json.loads(zwgk("findings", "--db", str(db), "--status", "all").stdout)
    assert {f["id"]: f["status"] for f in status}[fid] == "resolved"
    closed = _closed_section(out2)
    m = re.search(link, closed)
    assert m, closed
    ev_page = (out2 / m.group(1)).read_text(encoding="utf-8")
    assert "状态：已整改" in ev_page
    first = re.search(r'<a href="(c\d+\.html)">发现问题时所见', ev_page)
    replay = (out2 / "evidence" / "one" / first.group(1)).read_text(encoding="utf-8")
    assert "ORIGINAL-MARK" in replay and "UPDATED-MARK" not in replay

    # the scheduled prune ten days later (past unlinked_days, within resolved_days) keeps them:
    # the next report still links the page as first seen
    pruned = zwgk("evidence", "prune", "--db", str(db), "--config", str(config),
                  now="2026-12-10T08:00:00+08:00")  # fmt: skip
    assert pruned.returncode == 0, pruned.stderr
    out3 = tmp_path / "out3"
    rep = zwgk("report", "--db", str(db), "--out", str(out3), "--config", str(config))
    assert rep.returncode == 0, rep.stderr
    assert re.search(link, _closed_section(out3))
    replay = (out3 / "evidence" / "one" / first.group(1)).read_text(encoding="utf-8")
    assert "ORIGINAL-MARK" in replay


def _closed_section(out: Path) -> str:
    unit_page = (out / "units" / "one.html").read_text(encoding="utf-8")
    return unit_page.split('<section id="closed">', 1)[1].split("</section>", 1)[0]
