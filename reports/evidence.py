"""Evidence pages: each finding's pages as the crawl captured them (zwgk/evidence.py), replayed
offline with scripts disabled (reports/replay.py).

Written with a run's reports under DIR/evidence/<unit code>/: `<finding id>.html` (the finding,
its whole evidence and, per page it rests on, the capture as first seen and each later change)
and `c<capture id>.html` (one replayed capture). Every file name is made of a checked unit
code and row ids, never scraped text; a unit's folder holds only its own findings' evidence,
so it can be handed to that unit alone. `zwgk evidence show` renders the same pages.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from typing import Any

from reports.data import check_code, evidence_parts, iso_minute, safe_href
from reports.env import render
from reports.replay import banner_html, replay
from zwgk import evidence as ev


def finding_href(unit_id: str, finding_id: int) -> str:
    """The finding's evidence page, relative to the report folder."""
    return f"evidence/{check_code(unit_id)}/{int(finding_id)}.html"


def annotate(db: Any, findings: list[dict[str, Any]]) -> dict[int, list[ev.Capture]]:
    """Give each finding with archived evidence its `evidence_href` and `evidence_seen` (the
    first capture's time: "as seen on …"); the others get None and ""."""
    try:
        has = db.execute("SELECT 1 FROM finding_evidence LIMIT 1").fetchone() is not None
    except Exception:  # noqa: BLE001 - a store without the table has no evidence
        has = False
    caps = ev.captures_of(db, [f["finding_id"] for f in findings]) if has else {}
    for f in findings:
        mine = caps.get(f["finding_id"])
        f["evidence_href"] = finding_href(f["unit_id"], f["finding_id"]) if mine else None
        f["evidence_seen"] = iso_minute(min(c.captured_at for c in mine)) if mine else ""
    return caps


def replay_capture(db: Any, folder: Path, capture: ev.Capture, note: str = "") -> str:
    """One capture as a self-contained page, or a short page saying why it cannot be shown."""
    return _replay(db, folder, capture, note)[0]


def _replay(db: Any, folder: Path, capture: ev.Capture, note: str = "") -> tuple[str, bool]:
    """(page, clean): clean when the record was read and its payload hashed as stored."""
    if capture.unchanged_since:
        note = _and(note, unchanged_note(capture))

    def banner(text: str) -> str:
        return banner_html(capture.url, capture.captured_at, capture.status, capture.sha256, text)

    try:
        rec = ev.record_for(db, folder, capture.sha256)
    except ev.EvidenceError as exc:
        return replay(b"", [], capture.url, banner(_and(note, f"存档记录无法读取：{exc}"))), False
    if hashlib.sha256(rec.body).hexdigest() != capture.sha256:
        warning = _and(note, "警告：存档内容的哈希与记录不符（可能被改动）")
        return replay(rec.body, rec.headers, capture.url, banner(warning)), False
    return replay(rec.body, rec.headers, capture.url, banner(note)), True


def _and(note: str, more: str) -> str:
    return f"{note}；{more}" if note else more


#: What a cached replay depends on besides its capture: the code that renders it. A change to
#: the sanitizer or the banner renders every capture again.
_CODE_KEY = hashlib.sha256(
    b"".join((Path(__file__).parent / name).read_bytes() for name in ("replay.py", "evidence.py"))
).hexdigest()[:16]


def cache_name(capture: ev.Capture) -> str:
    """The replay's file in the archive's replay cache: c<capture id>-<digest of everything the
    page shows>. A capture never changes, so neither does its page (unless the code does).
    Capture ids are page ids since migration m017 ("m017" in the key: no replay cached under
    an older capture id is read again; prune removes it once that id is not a capture's)."""
    key = "|".join(
        map(str, ("m017", _CODE_KEY, capture.url, capture.captured_at, capture.status,
                  capture.sha256, capture.unchanged_since))
    )  # fmt: skip
    return f"c{int(capture.capture_id)}-{hashlib.sha256(key.encode()).hexdigest()[:16]}.html"


def cached_replay(db: Any, folder: Path, capture: ev.Capture) -> str:
    """The capture's replay, from `<archive>/replays/` when an earlier report rendered it
    (sanitizing a page costs a report more than anything else it writes); rendered and kept
    there otherwise. Only a clean replay is kept: a missing or altered record is read again
    next time. A cache that cannot be written is no error."""
    cache = folder / ev.REPLAY_CACHE / cache_name(capture)
    with contextlib.suppress(OSError):
        return cache.read_text(encoding="utf-8")
    page, clean = _replay(db, folder, capture)
    if clean:
        with contextlib.suppress(OSError):
            cache.parent.mkdir(exist_ok=True)
            tmp = cache.with_name(f".{cache.name}.{os.getpid()}")
            tmp.write_text(page, encoding="utf-8")
            os.replace(tmp, cache)  # a concurrent report reads a whole page or none
    return page


def unchanged_note(capture: ev.Capture) -> str:
    """What a repeat capture is, in words a supervisor reads the dates by: fetched on its own
    date, content identical to the first capture's, whose stored copy is what is shown."""
    since = iso_minute(capture.unchanged_since)
    how = "服务器答复未修改（HTTP 304）" if capture.status == 304 else "页面内容未变"
    return (
        f"本次抓取（{iso_minute(capture.captured_at)}）{how}，与 {since} 首次抓取时完全相同"
        f"（unchanged since {since}）：下面显示的是 {since} 抓取时存档的内容"
    )


def finding_page(finding: dict[str, Any], caps: list[ev.Capture], run: dict[str, Any]) -> str:
    pages: dict[str, list[dict[str, Any]]] = {}
    for c in caps:
        pages.setdefault(c.url, []).append(
            {
                "href": f"c{int(c.capture_id)}.html",
                "seen": iso_minute(c.captured_at),
                "status": c.status,
                "sha256": c.sha256,
                "first": c.first,
                "since": iso_minute(c.unchanged_since) if c.unchanged_since else "",
            }
        )
    return render(
        "evidence.html",
        title="问题证据存档",
        run=run,
        f=finding,
        parts=evidence_parts(finding["raw_evidence"], limit=None),
        pages=[{"url": u, "href": safe_href(u), "captures": cs} for u, cs in pages.items()],
    )


def write_evidence(
    db: Any,
    out_dir: Path,
    findings: list[dict[str, Any]],
    caps: dict,
    run: dict[str, Any],
    config: dict[str, Any] | None = None,
) -> list[Path]:
    """The evidence pages of `findings` (annotated by `annotate`) under out_dir/evidence."""
    if not caps:
        return []
    folder = ev.archive_dir_for(ev.db_file(db), config)
    written: list[Path] = []
    root = out_dir / "evidence"
    for f in findings:
        mine = caps.get(f["finding_id"])
        if not mine:
            continue
        unit_dir = root / check_code(f["unit_id"])
        unit_dir.mkdir(parents=True, exist_ok=True)
        page = unit_dir / f"{int(f['finding_id'])}.html"
        page.write_text(finding_page(f, mine, run), encoding="utf-8")
        written.append(page)
        for c in mine:
            target = unit_dir / f"c{int(c.capture_id)}.html"
            if not target.exists():  # a capture never changes: written once per folder
                target.write_text(cached_replay(db, folder, c), encoding="utf-8")
                written.append(target)
    return written
