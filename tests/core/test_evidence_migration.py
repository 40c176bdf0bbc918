"""Migration m017 (captures folded into pages): a store written at m016, with captures of two
runs and two units (one a 304 answer, one with no pages row, two of one fetch), comes out with
each capture renamed to its fetch's page id, pointing at its payload's record, the findings'
links following, and `captures_of` showing the same pages, times and hashes as before."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from zwgk import evidence as ev
from zwgk import migrations

T1, T2 = "2026-11-29T08:00:00+08:00", "2026-11-30T08:00:00+08:00"
A, B, C, D = (f"http://u1.test/{x}/" for x in "abcd")
SHA = {name: name * 64 for name in "0123456789"}  # hex-looking, distinct


def _m016_store(path: Path, monkeypatch) -> sqlite_utils.Database:
    names = [n for n, _ in migrations.MIGRATIONS]
    monkeypatch.setattr(
        migrations, "MIGRATIONS", migrations.MIGRATIONS[: names.index("m017_captures_in_pages")]
    )
    db = sqlite_utils.Database(path)
    migrations.apply(db)
    monkeypatch.undo()
    ex = db.execute
    for unit, site in (("u1", 1), ("u2", 2)):
        ex(
            "INSERT INTO units (unit_id, name, kind, disclosure, updated_at)"
            " VALUES (?, ?, 'county', 'http://u1.test/', 'x')",
            [unit, unit],
        )
        ex(
            "INSERT INTO sites (site_id, unit_id, role, url, host, first_seen_at, last_seen_at)"
            " VALUES (?, ?, 'disclosure', 'http://u1.test/', 'u1.test', 'x', 'x')",
            [site, unit],
        )
    for run, at in ((1, T1), (2, T2)):
        ex("INSERT INTO runs (run_id, started_at, clock_at) VALUES (?, ?, ?)", [run, at, at])
    # pages in fetch order; page ids deliberately not the old capture ids (and overlapping
    # them in another order, so a rewrite of finding_evidence that chained would show)
    for page_id, run, site, url, status, at in (
        (1, 1, 1, B, 200, T1),
        (2, 1, 1, C, 500, T1),  # an error: no capture
        (3, 1, 1, A, 200, T1),
        (4, 1, 2, A, 200, T1),  # the other unit's fetch of the same URL
        (5, 2, 1, A, 304, T2),
        (6, 2, 1, B, 200, T2),
    ):
        ex(
            "INSERT INTO pages (page_id, run_id, site_id, url, kind, status, fetched_at)"
            " VALUES (?, ?, ?, ?, 'list', ?, ?)",
            [page_id, run, site, url, status, at],
        )
    for sha, run, at, offset in (("1", 1, T1, 0), ("2", 1, T1, 100), ("3", 1, T1, 200),
                                 ("4", 2, T2, 0), ("5", 2, T2, 100), ("6", 1, T1, 300)):  # fmt: skip
        ex(
            "INSERT INTO evidence_records VALUES (?, ?, ?, 100, 1000, ?, ?)",
            [SHA[sha], f"run-{9 if sha in '56' else run}-1.warc.gz", offset, run, at],
        )
    for cid, run, site, url, status, at, sha in (
        (1, 1, 1, A, 200, T1, "1"),
        (2, 1, 1, B, 200, T1, "6"),  # B fetched twice by run 1 (only one pages row left)
        (3, 1, 2, A, 200, T1, "3"),
        (4, 2, 1, A, 304, T2, "1"),  # the 304: day 1's payload
        (5, 2, 1, B, 200, T2, "4"),
        (6, 2, 1, D, 200, T2, "5"),  # no pages row: dropped
        (7, 1, 1, B, 200, T1, "2"),
    ):
        ex(
            "INSERT INTO captures (capture_id, run_id, site_id, url, kind, status, captured_at,"
            " sha256) VALUES (?, ?, ?, ?, 'list', ?, ?, ?)",
            [cid, run, site, url, status, at, SHA[sha]],
        )
    for fid, unit, site in ((1, "u1", 1), (2, "u2", 2), (3, "u1", 1)):
        ex(
            "INSERT INTO findings (finding_id, key, rule, unit_id, site_id, column_url, severity,"
            " status, first_detected_at, last_detected_at, summary, evidence, opened_run_id,"
            " last_run_id) VALUES (?, ?, 'stale-column', ?, ?, ?, 'deduct', 'open', ?, ?, 's',"
            " '{}', 1, 2)",
            [fid, f"k{fid}", unit, site, A, T1, T2],
        )
    for fid, url, run, cid in (
        (1, A, 1, 1), (1, B, 1, 7), (1, A, 2, 4), (1, B, 2, 5), (1, D, 2, 6),
        (2, A, 1, 3),
        (3, B, 1, 2),
    ):  # fmt: skip
        ex("INSERT INTO finding_evidence VALUES (?, ?, ?, ?)", [fid, url, run, cid])
    db.conn.commit()
    return db


def _shown(caps: dict[int, list[ev.Capture]]) -> dict[int, list[tuple]]:
    return {
        fid: [(c.url, c.captured_at, c.status, c.sha256, c.run_id, c.first) for c in cs]
        for fid, cs in caps.items()
    }


def test_m017_folds_captures_into_pages(tmp_path: Path, monkeypatch) -> None:
    db = _m016_store(tmp_path / "z.db", monkeypatch)
    # what the findings showed at m016 (the old capture reader's columns), D's link aside
    before = {}
    for fid, url, at, status, sha, run in db.execute(
        "SELECT e.finding_id, e.url, c.captured_at, c.status, c.sha256, e.run_id"
        " FROM finding_evidence e JOIN captures c ON c.capture_id = e.capture_id"
        " WHERE e.url != ? ORDER BY e.finding_id, e.rowid",
        [D],
    ):
        first = all(u != url for u, *_ in before.get(fid, []))
        before.setdefault(fid, []).append((url, at, status, sha, run, first))

    assert migrations.apply(db) == ["m017_captures_in_pages"]

    cols = [r[1] for r in db.execute("PRAGMA table_info(captures)")]
    assert cols == ["capture_id", "record_id"]
    rid = {sha: r for r, sha in db.execute("SELECT record_id, sha256 FROM evidence_records")}
    assert len(rid) == 6  # every record kept (even those nothing points at now, till prune)
    # each capture is its fetch's page: site 2's fetch of A is its own page, the 304 points at
    # day 1's payload, run 1's two captures of B are one (the newest's payload)
    assert dict(db.execute("SELECT capture_id, record_id FROM captures")) == {
        3: rid[SHA["1"]],
        1: rid[SHA["2"]],
        4: rid[SHA["3"]],
        5: rid[SHA["1"]],
        6: rid[SHA["4"]],
    }
    links = db.execute(
        "SELECT finding_id, url, run_id, capture_id FROM finding_evidence ORDER BY 1, 2, 3"
    ).fetchall()
    assert links == [
        (1, A, 1, 3), (1, A, 2, 5), (1, B, 1, 1), (1, B, 2, 6),  # D's link gone
        (2, A, 1, 4),
        (3, B, 1, 1),
    ]  # fmt: skip

    after = ev.captures_of(db, [1, 2, 3])
    shown = _shown(after)
    # the same pages, times and hashes, except run 1's B now shows the newest capture of it
    before[3] = [(B, T1, 200, SHA["2"], 1, True)]
    assert shown == before
    by_id = {c.capture_id: c for cs in after.values() for c in cs}
    assert by_id[5].status == 304 and by_id[5].unchanged_since == T1
    assert by_id[3].unchanged_since is None and by_id[6].unchanged_since is None
    assert by_id[4].sha256 == SHA["3"]  # the other unit's capture of A is its own

    # the store works on: the next prune drops the records nothing points at now (D's, and
    # the older capture of run 1's B), alone in a file here, so no WARC file needs to exist
    folder = tmp_path / "z.db.evidence"
    res = ev.prune(db, folder, ev.options({}), now=ev.clock.parse(T2))
    assert res.records_deleted == 2 and res.captures_deleted == 0
    left = {r[0] for r in db.execute("SELECT sha256 FROM evidence_records")}
    assert left == {SHA[x] for x in "1234"}
