"""The evidence archive on its own (zwgk/evidence.py): records read back and verified, a
tampered record fails, payloads stored once, retention keeps what the policy says, and the
replay of an archived page has nothing that runs (reports/replay.py)."""

from __future__ import annotations

import gzip
import hashlib
import io
from pathlib import Path

import lxml.html
import pytest

from tests.conftest import add_capture, zwgk
from zwgk import evidence as ev
from zwgk.errors import ConfigError
from zwgk.store import open_db

PAGE = "<html><head><title>通知公告</title></head><body><p>{text}</p></body></html>"


def _store(tmp_path: Path):
    db = open_db(tmp_path / "z.db")
    db.execute(
        "INSERT INTO units (unit_id, name, kind, disclosure, updated_at) VALUES"
        " ('u1', '示例县', 'county', 'http://u1.test/', 'x')"
    )
    db.execute(
        "INSERT INTO sites (site_id, unit_id, role, url, host, first_seen_at, last_seen_at)"
        " VALUES (1, 'u1', 'disclosure', 'http://u1.test/', 'u1.test', 'x', 'x')"
    )
    return db, tmp_path / "z.db.evidence"


def _capture(db, writer: ev.ArchiveWriter, run: int, url: str, body: bytes, at: str) -> int:
    stored = writer.capture(url, 200, [("Content-Type", "text/html; charset=utf-8")], body, at)
    return add_capture(db, run, 1, url, at, stored)


def _finding(db, fid: int, status: str, resolved_at: str | None, capture_id: int, url: str):
    db.execute(
        "INSERT INTO findings (finding_id, key, rule, unit_id, site_id, column_url, severity,"
        " status, first_detected_at, last_detected_at, resolved_at, summary, evidence,"
        " opened_run_id, last_run_id) VALUES (?, ?, 'stale-column', 'u1', 1, ?, 'deduct', ?,"
        " '2026-01-01T08:00:00+08:00', '2026-01-01T08:00:00+08:00', ?, 's', '{}', 1, 1)",
        [fid, f"k{fid}", url, status, resolved_at],
    )
    db.execute(
        "INSERT INTO finding_evidence (finding_id, url, run_id, capture_id) VALUES (?, ?, 1, ?)",
        [fid, url, capture_id],
    )


def test_records_verify_and_unchanged_pages_are_stored_once(tmp_path: Path) -> None:
    db, folder = _store(tmp_path)
    w1 = ev.ArchiveWriter(folder, 1, known=lambda sha: False)
    body = PAGE.format(text="原始内容").encode()
    _capture(db, w1, 1, "http://u1.test/tzgg/", body, "2026-11-29T08:00:00+08:00")
    _capture(db, w1, 1, "http://u1.test/copy/", body, "2026-11-29T08:00:00+08:00")
    w1.close()
    known = {r[0] for r in db.execute("SELECT sha256 FROM evidence_records")}
    w2 = ev.ArchiveWriter(folder, 2, known=known.__contains__)
    again = w2.capture("http://u1.test/tzgg/", 200, [], body)
    w2.close()
    assert again.warc is None  # an unchanged page: a store row, no second copy
    assert db.execute("SELECT count(*) FROM evidence_records").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM captures").fetchone()[0] == 2
    assert ev.archive_size(folder)[0] == 1  # run 2 wrote nothing, so opened no file

    n, problems = ev.verify(db, folder)
    assert (n, problems) == (1, [])
    sha, warc, offset, length = db.execute(
        "SELECT sha256, warc, offset, length FROM evidence_records"
    ).fetchone()
    rec = ev.read_record(folder, warc, offset, length)
    assert rec.body == body and hashlib.sha256(rec.body).hexdigest() == sha
    assert rec.url == "http://u1.test/tzgg/" and rec.warc_date == "2026-11-29T00:00:00Z"
    assert ("Content-Type", "text/html; charset=utf-8") in rec.headers


def test_a_tampered_record_fails_verify(tmp_path: Path) -> None:
    db, folder = _store(tmp_path)
    w = ev.ArchiveWriter(folder, 1)
    original = PAGE.format(text="栏目最后更新于2026-05-01").encode()
    _capture(db, w, 1, "http://u1.test/tzgg/", original, "2026-11-29T08:00:00+08:00")
    w.close()
    (warc,) = db.execute("SELECT warc FROM evidence_records").fetchone()
    path = folder / warc

    # 1. the record replaced by a well-formed one saying something else (same store row)
    good = path.read_bytes()
    text = gzip.decompress(good).replace(b"2026-05-01", b"2026-11-28")
    path.write_bytes(gzip.compress(text))
    db.execute("UPDATE evidence_records SET length = ?", [path.stat().st_size])
    n, problems = ev.verify(db, folder)
    assert n == 1 and len(problems) == 1
    assert "sha256" in problems[0].reason or "digest" in problems[0].reason

    # 2. bytes flipped on disk
    damaged = bytearray(good)
    damaged[len(damaged) // 2] ^= 0xFF
    path.write_bytes(bytes(damaged))
    db.execute("UPDATE evidence_records SET length = ?", [len(good)])
    assert len(ev.verify(db, folder)[1]) == 1

    # 3. the file gone
    path.unlink()
    assert "No such file" in ev.verify(db, folder)[1][0].reason


def test_pruning_keeps_what_the_policy_says(tmp_path: Path) -> None:
    db, folder = _store(tmp_path)
    w = ev.ArchiveWriter(folder, 1)
    old = "2026-01-01T08:00:00+08:00"
    urls = [f"http://u1.test/c{i}/" for i in range(5)]
    caps = [
        _capture(db, w, 1, u, PAGE.format(text=f"页面{i}").encode(), old)
        for i, u in enumerate(urls)
    ]
    recent = _capture(db, w, 1, "http://u1.test/new/", PAGE.format(text="新").encode(),
                      "2026-11-28T08:00:00+08:00")  # fmt: skip
    w.close()
    _finding(db, 1, "open", None, caps[0], urls[0])
    _finding(db, 2, "waived", None, caps[1], urls[1])
    _finding(db, 3, "resolved", "2026-11-01T08:00:00+08:00", caps[2], urls[2])  # 28 days ago
    _finding(db, 4, "resolved", "2026-06-01T08:00:00+08:00", caps[3], urls[3])  # long ago
    # caps[4]: no finding rests on it, and it is old

    opts = {**ev.DEFAULTS, "resolved_days": 90, "unlinked_days": 14}
    res = ev.prune(db, folder, opts, now=ev.clock.parse("2026-11-29T08:00:00+08:00"))
    kept = {r[0] for r in db.execute("SELECT capture_id FROM captures")}
    assert kept == {caps[0], caps[1], caps[2], recent}
    assert res.captures_deleted == 2 and res.records_deleted == 2
    assert [r[0] for r in db.execute("SELECT finding_id FROM finding_evidence ORDER BY 1")] == [
        1, 2, 3,
    ]  # fmt: skip
    # the WARC file was rewritten without the dropped records, and every kept one verifies
    assert res.bytes_after < res.bytes_before and res.files_rewritten == 1
    assert ev.verify(db, folder) == (4, [])
    assert ev.archive_size(folder)[0] == 1
    for fid, text in ((1, "页面0"), (3, "页面2")):
        (sha,) = db.execute(
            "SELECT r.sha256 FROM finding_evidence e JOIN captures c USING (capture_id)"
            " JOIN evidence_records r USING (record_id) WHERE e.finding_id = ?",
            [fid],
        ).fetchone()
        assert text in ev.record_for(db, folder, sha).body.decode()
    # a second prune with nothing to drop changes nothing
    again = ev.prune(db, folder, opts, now=ev.clock.parse("2026-11-29T08:00:00+08:00"))
    assert (again.captures_deleted, again.records_deleted, again.files_rewritten) == (0, 0, 0)
    assert ev.verify(db, folder) == (4, [])


def test_file_names_never_come_from_the_store_unchecked(tmp_path: Path) -> None:
    with pytest.raises(ev.EvidenceError):
        ev.read_record(tmp_path, "../../etc/passwd", 0, 10)
    with pytest.raises(ev.EvidenceError):
        ev.warc_path(tmp_path, "run-1-2.warc.gz/../x")


def test_configuration_is_validated() -> None:
    assert ev.options({})["resolved_days"] == ev.DEFAULTS["resolved_days"]
    assert ev.options({"evidence": {"resolved_days": 30}})["resolved_days"] == 30
    for bad in ({"resolved_days": -1}, {"keep": 1}, {"enabled": "yes"}, {"dir": 5}):
        with pytest.raises(ConfigError, match="evidence"):
            ev.options({"evidence": bad}, "c.yaml")
    assert ev.archive_dir("/var/z/zwgk.db") == Path("/var/z/zwgk.db.evidence")
    assert ev.archive_dir("/var/z/zwgk.db", "arch") == Path("/var/z/arch")


NASTY = b"""<html><head><meta charset="gbk"><title>t</title>
<script>alert(1)</script><script src="http://evil.test/x.js"></script>
<meta http-equiv="refresh" content="0;url=http://evil.test/">
<meta http-equiv="Content-Security-Policy" content="script-src *">
<base href="http://evil.test/"><link rel="stylesheet" href="http://evil.test/s.css">
</head><body onload="steal()"><!--[if IE]><script>x()</script><![endif]-->
<p onclick="x()" onmouseover = "y()">\xd6\xd0\xce\xc4\xc4\xda\xc8\xdd</p>
<a href="javascript:alert(1)">j</a><a href=" java\tscript:alert(1)">k</a><a href="/a/b.html">rel</a>
<img src="x.png" onerror="alert(1)" srcset="javascript:alert(1)">
<svg><script>alert(2)</script><a xlink:href="javascript:alert(3)">s</a></svg>
<iframe src="http://evil.test/" srcdoc="<script>alert(4)</script>"></iframe>
<object data="x.swf"></object><embed src="x.swf"><form action="javascript:x()"><button formaction="javascript:y()">b</button></form>
<div style="background:url(javascript:alert(5))">d</div><noscript><p>ns</p></noscript>
</body></html>"""


def test_the_replay_has_no_runnable_script() -> None:
    from reports.replay import CSP, banner_html, replay

    url = "http://u1.test/dir/p.html"
    html = replay(NASTY, [("Content-Type", "text/html")], url,
                  banner_html(url, "2026-11-29T08:00:00+08:00", 200, "ab" * 32))  # fmt: skip
    doc = lxml.html.document_fromstring(html)
    head = doc.find("head")
    assert head[0].get("charset") == "utf-8"
    assert head[1].get("http-equiv") == "Content-Security-Policy" and head[1].get("content") == CSP
    assert "script-src 'none'" in CSP and "default-src 'none'" in CSP
    assert [m.get("http-equiv") for m in doc.iter("meta") if m.get("http-equiv")] == [
        "Content-Security-Policy"
    ]  # only ours: no refresh, no page CSP loosening it
    tags = {el.tag for el in doc.iter() if isinstance(el.tag, str)}
    assert not tags & {"script", "iframe", "object", "embed", "base", "link", "frame"}
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (el.tag, name)
            squashed = "".join(value.split()).lower()
            assert "javascript:" not in squashed, (el.tag, name, value)
    assert "<script" not in html.lower() and "alert(" not in html.replace("alert(5)", "")
    # the content is there, decoded, under the banner naming the URL and the capture time
    text = doc.text_content()
    assert "中文内容" in text
    assert "as seen on 2026-11-29 08:00" in text and url in text
    assert doc.find("body")[0].get("id") == "zwgk-evidence-banner"
    assert 'href="http://u1.test/a/b.html"' in html  # links point at the original site


def test_the_banner_escapes_what_it_names() -> None:
    from reports.replay import banner_html

    out = banner_html('http://u1.test/"><script>x</script>', "2026-11-29T08:00", 200, "ab")
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_read_back_with_warcio_as_any_tool_would(tmp_path: Path) -> None:
    """The archive is plain WARC: warcio's own iterator reads every record and its digests."""
    from warcio.archiveiterator import ArchiveIterator

    w = ev.ArchiveWriter(tmp_path, 7)
    for i in range(3):
        w.capture(f"http://u1.test/{i}", 200, [], PAGE.format(text=i).encode())
    w.close()
    (path,) = tmp_path.iterdir()
    with open(path, "rb") as fh:
        recs = list(ArchiveIterator(io.BytesIO(fh.read()), check_digests="raise"))
    assert [r.rec_type for r in recs] == ["response"] * 3


def test_hand_built_records_read_back_with_warcio_and_keep_headers_single_line(tmp_path: Path):
    """Records are built without warcio's writer (cheaper per page); warcio's reader still
    parses them and checks both digests, small and large (the gzip window is sized to the
    record), and a line break in a URL or header value cannot forge a header."""
    w = ev.ArchiveWriter(tmp_path, 1)
    small = PAGE.format(text="小").encode()
    large = PAGE.format(text="大" * 60_000).encode()  # > 32 KB: the full window
    a = w.capture("http://u1.test/a/", 200, [("X-Evil", "v\r\nWARC-Type: metadata")], small)
    b = w.capture("http://u1.test/b/\r\nX: y", 404, [("Content-Type", "text/html")], large)
    w.close()
    for stored, body in ((a, small), (b, large)):
        rec = ev.read_record(tmp_path, stored.warc, stored.offset, stored.length)
        assert rec.body == body
        assert rec.digest_ok is True
        assert hashlib.sha256(rec.body).hexdigest() == stored.sha256
    rec_a = ev.read_record(tmp_path, a.warc, a.offset, a.length)
    assert ("X-Evil", "v WARC-Type: metadata") in rec_a.headers
    rec_b = ev.read_record(tmp_path, b.warc, b.offset, b.length)
    assert rec_b.url == "http://u1.test/b/%0D%0AX:%20y"
    assert rec_b.status.startswith("404")
    with gzip.open(tmp_path / a.warc, "rb") as fh:  # the file is plain gzip, member by member
        assert fh.read().count(b"WARC/1.0\r\n") == 2


def test_repeat_captures_say_unchanged_since_their_first_capture(tmp_path: Path) -> None:
    """A page fetched again unchanged keeps only a store row pointing at the first capture's
    record: `zwgk evidence show`, the evidence page and the replay's banner say "unchanged
    since <first capture>" so the dates read right; a page that changed and changed back
    starts a new stretch (not "unchanged since" the older copy)."""
    from zwgk import store

    db, folder = _store(tmp_path)
    store.start_run(db, "run")
    url = "http://u1.test/tzgg/"
    a, b = PAGE.format(text="甲").encode(), PAGE.format(text="乙").encode()
    w = ev.ArchiveWriter(folder, 1)
    day = "2026-11-{:02d}T08:00:00+08:00".format
    c1 = _capture(db, w, 1, url, a, day(20))  # stores a
    c2 = _capture(db, w, 1, url, a, day(21))  # unchanged: a row only
    db.execute("UPDATE pages SET status = 304 WHERE page_id = ?", [c2])
    c3 = _capture(db, w, 1, url, b, day(22))  # changed
    c4 = _capture(db, w, 1, url, a, day(23))  # changed back: record of day 20, new stretch
    c5 = _capture(db, w, 1, url, a, day(24))  # unchanged since day 23
    w.close()
    _finding(db, 1, "open", None, c2, url)  # the finding opened on day 21
    for run, cid in ((2, c3), (3, c4), (4, c5)):
        db.execute("INSERT INTO finding_evidence VALUES (1, ?, ?, ?)", [url, run, cid])

    caps = {c.capture_id: c for c in ev.finding_captures(db, 1)}
    assert caps[c2].unchanged_since == day(20)
    assert caps[c3].unchanged_since is None
    assert caps[c4].unchanged_since is None  # same bytes as day 20, but it had changed
    assert caps[c5].unchanged_since == day(23)
    assert c1 not in caps
    by_report = {c.capture_id: c for c in ev.captures_of(db, [1])[1]}
    assert {k: v.unchanged_since for k, v in by_report.items()} == {
        k: v.unchanged_since for k, v in caps.items()
    }
    db.conn.commit()

    shown = zwgk("evidence", "show", "--db", str(tmp_path / "z.db"), "1", "--out", str(tmp_path))
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()[1:]
    assert (
        "as seen on 2026-11-21T08:00:00+08:00  (unchanged since 2026-11-20T08:00:00+08:00)"
        in lines[0]
    )
    assert "unchanged since" not in lines[1] and "unchanged since" not in lines[2]
    assert (
        "as seen on 2026-11-24T08:00:00+08:00  (unchanged since 2026-11-23T08:00:00+08:00)"
        in lines[3]
    )
    unit_dir = tmp_path / "evidence" / "u1"
    page = (unit_dir / "1.html").read_text(encoding="utf-8")
    assert page.count("unchanged since") == 2  # the two repeat captures, no other
    assert "内容自 2026-11-20 08:00 首次抓取以来未变（unchanged since 2026-11-20 08:00）" in page
    banner = (unit_dir / f"c{c2}.html").read_text(encoding="utf-8")
    assert "服务器答复未修改（HTTP 304），与 2026-11-20 08:00 首次抓取时完全相同" in banner
    assert "甲" in banner
    assert "unchanged since" not in (unit_dir / f"c{c3}.html").read_text(encoding="utf-8")
    assert "页面内容未变" in (unit_dir / f"c{c5}.html").read_text(encoding="utf-8")


def test_replays_are_rendered_once_and_pruned_with_their_captures(tmp_path: Path) -> None:
    """Reports render a capture's replay once into the archive's replay cache and copy it
    afterwards (sanitizing cost a report most of its evidence time); a replay of a missing
    record is never cached; prune removes the cached replays of pruned captures."""
    from reports import evidence as pages

    db, folder = _store(tmp_path)
    w = ev.ArchiveWriter(folder, 1)
    url = "http://u1.test/tzgg/"
    old = _capture(db, w, 1, url, PAGE.format(text="旧").encode(), "2026-01-02T08:00:00+08:00")
    new = _capture(db, w, 1, url, PAGE.format(text="新").encode(), "2026-11-28T08:00:00+08:00")
    w.close()
    caps: dict[int, ev.Capture] = {}
    for cid, at, sha in db.execute(
        "SELECT c.capture_id, p.fetched_at, r.sha256 FROM captures c"
        " JOIN pages p ON p.page_id = c.capture_id JOIN evidence_records r USING (record_id)"
    ):
        caps[cid] = ev.Capture(cid, url, at, 200, sha, 1, True)

    first = pages.cached_replay(db, folder, caps[old])
    cached = folder / ev.REPLAY_CACHE / pages.cache_name(caps[old])
    assert cached.read_text(encoding="utf-8") == first and "旧" in first
    cached.write_text("FROM-CACHE", encoding="utf-8")
    assert pages.cached_replay(db, folder, caps[old]) == "FROM-CACHE"  # not rendered again
    # anything the page shows is in its name: a capture marked unchanged is another page
    caps[old].unchanged_since = "2026-01-01T08:00:00+08:00"
    assert pages.cache_name(caps[old]) != cached.name

    ghost = ev.Capture(999, url, "2026-11-28T08:00:00+08:00", 200, "0" * 64, 1, True)
    assert "存档记录无法读取" in pages.cached_replay(db, folder, ghost)
    assert not (folder / ev.REPLAY_CACHE / pages.cache_name(ghost)).exists()

    pages.cached_replay(db, folder, caps[new])
    res = ev.prune(db, folder, ev.options({}), now=clock_now("2026-11-29T08:00:00+08:00"))
    assert res.captures_deleted == 1
    left = sorted(p.name for p in (folder / ev.REPLAY_CACHE).iterdir())
    assert left == [pages.cache_name(caps[new])]


def clock_now(iso: str):
    from zwgk import clock

    return clock.parse(iso)
