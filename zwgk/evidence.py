"""The evidence archive: pages exactly as the crawl fetched them, kept so a finding can show what
a page said on the day it was judged, even after the unit changed it.

- Each crawl process appends WARC response records (one gzip member each, read back with
  warcio) to its own file `run-<run>-<pid>.warc.gz` in the archive folder (configuration `evidence: dir`, default
  `<db>.evidence/` beside the store). File names come from run ids and pids, never scraped text.
- A payload is stored once: `evidence_records` maps its sha256 to (file, offset, length) under
  an integer `record_id`. Each fetch with a payload (or a 304 answer) adds a `captures` row of
  two integers: its `pages` row (capture_id = page_id: URL, site, kind, status, time) and its
  payload's record_id; a page fetched again unchanged points at the record already stored.
- `link_findings` ties each finding checked in a run to the captures of the URLs it rests on;
  a new link row only when the page's content changed since the finding's last link.
- `verify` re-reads every record and re-hashes its payload; `prune` applies the retention
  policy (open findings' evidence kept, resolved ones' for `resolved_days`, unlinked captures
  for `unlinked_days`) and rewrites the WARC files without the records nobody needs.

Only SQL and files here (core): the crawler writes through `ArchiveWriter`, the checks runner
calls `link_findings`, reports render with `read_record`.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import re
import uuid
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from pathlib import Path
from typing import Any

from zwgk import clock, fields
from zwgk.config import section_options
from zwgk.errors import ZwgkError, echo

WARC_NAME = re.compile(r"run-\d{1,12}-\d{1,10}(?:-p\d{1,6})?\.warc\.gz")
#: Headers that describe the transfer, not the payload: Scrapy has undone them already (the body
#: kept is the decoded one), so the record must not claim them.
TRANSFER_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}
#: gzip level of the WARC records: 4 is within 1% of 9's size on government pages at less than
#: half its CPU, which a crawl pays per page (bench/evidence.py).
GZIP_LEVEL = 4
#: Replays rendered by reports (reports/evidence.py), kept in the archive folder by capture:
#: a report renders a capture once, later reports copy it; prune removes the pruned ones'.
REPLAY_CACHE = "replays"
#: URLs of one finding linked to captures (its column, site, and URLs in its evidence).
MAX_LINKED_URLS = 40

DEFAULTS: dict[str, Any] = {
    "enabled": True,
    "dir": "",  # default: <db>.evidence beside the store
    "resolved_days": 180,  # evidence of a resolved finding: kept this long after it resolved
    "unlinked_days": 14,  # captures no finding rests on: kept this long (future findings' base)
}
RANGES = {"resolved_days": (0, 36500), "unlinked_days": (0, 36500)}


class EvidenceError(ZwgkError):
    """The archive cannot be read as asked (no such finding, missing record)."""


# -- configuration -------------------------------------------------------------------------
def options(raw: dict[str, Any] | None, path: object = None) -> dict[str, Any]:
    """The configuration's `evidence:` section, validated, with defaults."""
    return section_options(raw, "evidence", DEFAULTS, RANGES, path, {"dir": _folder})


def _folder(value: Any) -> str:
    if not isinstance(value, str) or "\x00" in value or len(value) > 4096:
        raise fields.Invalid(f"must be a folder path, got {echo(value)}")
    return value


def archive_dir(db_path: str | Path, configured: str = "") -> Path:
    """The archive folder: `evidence: dir` (a relative one is taken from the store's folder, so
    every command finds the same folder wherever it runs), else `<db>.evidence` beside it."""
    db_path = Path(db_path)
    if configured:
        p = Path(configured).expanduser()
        return p if p.is_absolute() else db_path.parent / p
    return db_path.with_name(db_path.name + ".evidence")


def archive_dir_for(db_path: str | Path, raw: dict[str, Any] | None, cfg_path=None) -> Path:
    return archive_dir(db_path, options(raw, cfg_path)["dir"])


def db_file(db: Any) -> Path:
    """The store's file, from its connection (reports get the connection, not the path)."""
    for _, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main" and file:
            return Path(file)
    raise EvidenceError("the store has no file (an in-memory database has no archive)")


def warc_path(folder: Path, name: str) -> Path:
    """A WARC file of the archive; the name comes from the store, so it is checked again."""
    if not isinstance(name, str) or not WARC_NAME.fullmatch(name):
        raise EvidenceError(f"refusing WARC file name {name!r} (not run-N-PID.warc.gz)")
    return folder / name


# -- writing (the crawl) -------------------------------------------------------------------
@dataclass(slots=True)
class Stored:
    """Where a new payload went; None from `capture` when the hash was already archived."""

    sha256: str
    warc: str | None = None
    offset: int | None = None
    length: int | None = None
    bytes: int = 0


class ArchiveWriter:
    """Appends response records to this process's WARC file of the run. `known(sha)` says
    whether an earlier run archived the payload (a store lookup); hashes written by this
    process are remembered here."""

    def __init__(self, folder: Path, run_id: int, known=None) -> None:
        self.folder = Path(folder)
        self.name = f"run-{int(run_id)}-{os.getpid()}.warc.gz"
        warc_path(self.folder, self.name)  # the name we build must be one we accept back
        self.known = known or (lambda sha: False)
        self.seen: set[str] = set()
        self.fh = None
        self.writer = None
        self.written = 0

    def _open(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.fh = open(self.folder / self.name, "ab")  # noqa: SIM115 - open for the crawl
        self.pos = self.fh.tell()

    def capture(
        self,
        url: str,
        status: int,
        headers: Iterable[tuple[str, str]],
        body: bytes,
        captured_at: str | None = None,
    ) -> Stored:
        sha = hashlib.sha256(body).hexdigest()
        if sha in self.seen or self.known(sha):
            self.seen.add(sha)
            return Stored(sha, bytes=len(body))
        if self.fh is None:
            self._open()
        data = warc_record(url, status, headers, body, sha, captured_at or clock.iso())
        offset = self.pos
        self.fh.write(data)
        self.fh.flush()  # a killed crawl loses no record its store rows already point at
        self.pos += len(data)
        self.seen.add(sha)
        self.written += len(data)
        return Stored(sha, self.name, offset, len(data), len(body))

    def close(self) -> None:
        if self.fh is not None:
            self.fh.close()
            self.fh = None


def warc_record(
    url: str,
    status: int,
    headers: Iterable[tuple[str, str]],
    body: bytes,
    sha: str,
    captured_at: str,
) -> bytes:
    """One WARC/1.0 response record as its own gzip member. Built here rather than by warcio's
    writer, which cost a small page more than its hashing and compression (header objects, a
    record builder, a buffer per record: bench/RESULTS.md); warcio still reads every record
    back (`read_record`, `verify`) and checks both digests. Line breaks cannot enter a header
    (a scraped URL or header value is single-line in the record whatever it holds)."""
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = ""
    lines = [f"HTTP/1.1 {int(status)} {reason}".rstrip()]
    for k, v in headers:
        if k.lower() not in TRANSFER_HEADERS:
            lines.append(f"{_one_line(k)}: {_one_line(v)}")
    lines.append(f"Content-Length: {len(body)}")
    http = ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "surrogateescape")
    block = hashlib.sha256(http)
    block.update(body)
    head = (
        "WARC/1.0\r\n"
        "WARC-Type: response\r\n"
        f"WARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
        f"WARC-Target-URI: {_uri(url)}\r\n"
        f"WARC-Date: {_warc_date(captured_at)}\r\n"
        f"WARC-Payload-Digest: sha256:{sha}\r\n"
        f"WARC-Block-Digest: sha256:{block.hexdigest()}\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http) + len(body)}\r\n\r\n"
    ).encode("utf-8", "surrogateescape")
    # gzip's window sized to the record (same output as a 32 KB window for a record that fits
    # in it; a full-size window costs a small page more to set up than to compress).
    size = len(head) + len(http) + len(body) + 4
    wbits = min(15, max(9, size.bit_length()))
    gz = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + wbits, min(8, max(2, wbits - 7)))
    return b"".join(
        (
            gz.compress(head),
            gz.compress(http),
            gz.compress(body),
            gz.compress(b"\r\n\r\n"),
            gz.flush(),
        )
    )


def _one_line(text: str) -> str:
    return _LINE_BREAKS.sub(" ", text) if "\r" in text or "\n" in text else text


_LINE_BREAKS = re.compile(r"[\r\n]+")


def _uri(url: str) -> str:
    """A URL as WARC-Target-URI: no whitespace (warcio's reader would rewrite a space)."""
    return url.replace("\r", "%0D").replace("\n", "%0A").replace(" ", "%20")


@functools.lru_cache(maxsize=256)  # one clock second serves many pages: parse it once
def _warc_date(iso: str) -> str:
    return clock.parse(iso).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- reading -------------------------------------------------------------------------------
@dataclass(slots=True)
class Record:
    url: str
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    warc_date: str
    digest_ok: bool | None = None  # warcio's own WARC-Block/Payload-Digest check


def read_record(folder: Path, warc: str, offset: int, length: int) -> Record:
    """One archived response, read by its place; raises EvidenceError when it is gone."""
    from warcio.archiveiterator import ArchiveIterator

    path = warc_path(folder, warc)
    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            chunk = fh.read(length)
    except OSError as exc:
        raise EvidenceError(f"{path}: {exc.strerror or exc}") from None
    if len(chunk) != length:
        raise EvidenceError(f"{path}: record at {offset} is cut short")
    try:
        for rec in ArchiveIterator(io.BytesIO(chunk), check_digests=True):
            body = rec.raw_stream.read()
            headers = list(rec.http_headers.headers) if rec.http_headers else []
            status = rec.http_headers.statusline if rec.http_headers else ""
            ok = None
            if rec.digest_checker is not None:
                ok = rec.digest_checker.passed is not False
            return Record(
                rec.rec_headers.get_header("WARC-Target-URI") or "",
                status,
                headers,
                body,
                rec.rec_headers.get_header("WARC-Date") or "",
                ok,
            )
    except Exception as exc:  # noqa: BLE001 - a damaged file is a verify failure, not a crash
        raise EvidenceError(f"{path}: record at {offset} unreadable: {exc}") from None
    raise EvidenceError(f"{path}: no record at {offset}")


def record_for(db: Any, folder: Path, sha256: str) -> Record:
    row = db.execute(
        "SELECT warc, offset, length FROM evidence_records WHERE sha256 = ?", [sha256]
    ).fetchone()
    if row is None:
        raise EvidenceError(f"payload {sha256[:12]} is not in the archive (pruned?)")
    return read_record(folder, *row)


@dataclass(slots=True)
class Problem:
    sha256: str
    warc: str
    offset: int
    reason: str


def verify(db: Any, folder: Path) -> tuple[int, list[Problem]]:
    """(records checked, problems): each record is read back, its payload re-hashed against
    the store's sha256, and warcio's WARC digests checked."""
    problems: list[Problem] = []
    n = 0
    for sha, warc, offset, length in db.execute(
        "SELECT sha256, warc, offset, length FROM evidence_records ORDER BY warc, offset"
    ).fetchall():
        n += 1
        try:
            rec = read_record(folder, warc, offset, length)
        except EvidenceError as exc:
            problems.append(Problem(sha, warc, offset, str(exc)))
            continue
        actual = hashlib.sha256(rec.body).hexdigest()
        if actual != sha:
            problems.append(Problem(sha, warc, offset, f"payload sha256 is {actual}"))
        elif rec.digest_ok is False:
            problems.append(Problem(sha, warc, offset, "WARC block digest does not match"))
    return n, problems


def archive_size(folder: Path) -> tuple[int, int]:
    """(files, bytes) of the WARC files in the archive folder."""
    files = size = 0
    if folder.is_dir():
        for p in folder.iterdir():
            if WARC_NAME.fullmatch(p.name):
                files += 1
                size += p.stat().st_size
    return files, size


# -- linking findings to captures (the checks runner, in its transaction) -------------------
def _urls(value: Any, out: list[str]) -> None:
    if len(out) >= MAX_LINKED_URLS:
        return
    if isinstance(value, str):
        value = value.split("#", 1)[0]  # a column "#id" of a one-page platform is that page
        if value.startswith(("http://", "https://")) and value not in out:
            out.append(value)
    elif isinstance(value, dict):
        for sub in value.values():
            _urls(sub, out)
    elif isinstance(value, list):
        for sub in value:
            _urls(sub, out)


def finding_urls(column_url: str | None, site_url: str | None, evidence: str | None) -> list[str]:
    """The pages a finding rests on: its column, its evidence's URLs, its site's home page."""
    out: list[str] = []
    _urls(column_url, out)
    with contextlib.suppress(ValueError):
        _urls(json.loads(evidence) if evidence else None, out)
    _urls(site_url, out)
    return out


def link_findings(db: Any, run_id: int) -> int:
    """Link every finding the run checked (opened, persisting, reopened or resolved in it) to
    the latest capture, up to this run, of each URL it rests on. A link row is added only when
    the finding has no link yet to that URL with the same content: the page as first seen stays,
    and each change while the finding is followed is kept. Returns the links added."""
    ex = db.execute
    rows = ex(
        "SELECT finding_id, unit_id, column_url, site_url, evidence FROM findings"
        " WHERE last_run_id = ?",
        [run_id],
    ).fetchall()
    added = 0
    for finding_id, unit_id, column_url, site_url, evidence in rows:
        for url in finding_urls(column_url, site_url, evidence):
            # only the unit's own captures: its evidence never shows another unit's fetch
            cap = ex(
                "SELECT c.capture_id, c.record_id FROM pages p"
                " JOIN captures c ON c.capture_id = p.page_id"
                " WHERE p.url = ? AND p.run_id <= ?"
                " AND p.site_id IN (SELECT site_id FROM sites WHERE unit_id = ?)"
                " ORDER BY p.run_id DESC, p.page_id DESC LIMIT 1",
                [url, run_id, unit_id],
            ).fetchone()
            if cap is None:
                continue
            same = ex(
                "SELECT 1 FROM finding_evidence e JOIN captures c ON c.capture_id = e.capture_id"
                " WHERE e.finding_id = ? AND e.url = ? AND c.record_id = ?"
                " AND e.run_id = (SELECT max(run_id) FROM finding_evidence"
                "   WHERE finding_id = ? AND url = ?)",
                [finding_id, url, cap[1], finding_id, url],
            ).fetchone()
            if same:
                continue
            ex(
                "INSERT OR IGNORE INTO finding_evidence (finding_id, url, run_id, capture_id)"
                " VALUES (?, ?, ?, ?)",
                [finding_id, url, run_id, cap[0]],
            )
            added += 1
    return added


@dataclass(slots=True)
class Capture:
    """A linked capture as shown (read from its pages row and its record)."""

    capture_id: int  # = pages.page_id of the fetch
    url: str
    captured_at: str
    status: int | None
    sha256: str
    run_id: int
    first: bool  # the page as the finding first rested on it
    # The page was fetched again with the same content (or answered 304): the time of the first
    # capture of that unchanged content, whose WARC record is the one shown. None: this capture
    # is the one that stored its content (or the first of it still kept).
    unchanged_since: str | None = None


def captures_of(db: Any, finding_ids: list[int]) -> dict[int, list[Capture]]:
    """The linked captures of these findings in one query on the primary key (never the whole
    table, never a query per finding), each finding's in link order; the first capture of each
    of its URLs is `first`, and repeats are marked unchanged."""
    out: dict[int, list[Capture]] = {}
    if not finding_ids:
        return out
    seen: set[tuple[int, str]] = set()
    for fid, cid, url, at, status, sha, run in db.execute(
        "SELECT e.finding_id, c.capture_id, e.url, p.fetched_at, p.status, r.sha256, e.run_id"
        " FROM finding_evidence e JOIN captures c ON c.capture_id = e.capture_id"
        " JOIN pages p ON p.page_id = c.capture_id"
        " JOIN evidence_records r ON r.record_id = c.record_id"
        " WHERE e.finding_id IN (SELECT value FROM json_each(?))"
        " ORDER BY e.finding_id, e.rowid",
        [json.dumps(sorted({int(f) for f in finding_ids}))],
    ).fetchall():
        out.setdefault(fid, []).append(
            Capture(cid, url, at, status, sha, run, (fid, url) not in seen)
        )
        seen.add((fid, url))
    mark_unchanged(db, [c for cs in out.values() for c in cs])
    return out


def finding_captures(db: Any, finding_id: int) -> list[Capture]:
    """A finding's linked captures in link order (the first of each URL is `first`)."""
    return captures_of(db, [finding_id]).get(finding_id, [])


def mark_unchanged(db: Any, captures: list[Capture]) -> None:
    """Set `unchanged_since` on the captures that repeat an earlier one: the first capture of
    the same URL (same site) with the same content since the page last had other content. One
    query for them all; capture ids are page ids, which grow with time, so they order the
    fetches (a URL's captures are found through pages' index by URL)."""
    ids = sorted({c.capture_id for c in captures})
    if not ids:
        return
    since = dict(
        db.execute(
            "SELECT c.capture_id, (SELECT p2.fetched_at FROM pages p2"
            "   JOIN captures c2 ON c2.capture_id = p2.page_id"
            "   WHERE p2.url = p.url AND p2.site_id IS p.site_id AND c2.record_id = c.record_id"
            "   AND p2.page_id < p.page_id AND p2.page_id > coalesce("
            "     (SELECT max(p3.page_id) FROM pages p3"
            "      JOIN captures c3 ON c3.capture_id = p3.page_id"
            "      WHERE p3.url = p.url AND p3.site_id IS p.site_id"
            "      AND c3.record_id != c.record_id AND p3.page_id < p.page_id), 0)"
            "   ORDER BY p2.page_id LIMIT 1)"
            " FROM captures c JOIN pages p ON p.page_id = c.capture_id"
            " WHERE c.capture_id IN (SELECT value FROM json_each(?))",
            [json.dumps(ids)],
        ).fetchall()
    )
    for c in captures:
        c.unchanged_since = since.get(c.capture_id)


# -- retention -----------------------------------------------------------------------------
@dataclass(slots=True)
class PruneResult:
    captures_deleted: int = 0
    records_deleted: int = 0
    files_rewritten: int = 0
    files_deleted: int = 0
    bytes_before: int = 0
    bytes_after: int = 0
    kept_records: int = 0
    notes: list[str] = field(default_factory=list)


def prune(db: Any, folder: Path, opts: dict[str, Any], now: datetime | None = None) -> PruneResult:
    """Apply the retention policy. Kept: captures linked to open or waived findings, to
    findings resolved within `resolved_days`, and any capture of the last `unlinked_days`
    (what the next findings rest on; a 304 page's capture row points at its older payload).
    Then every payload no kept capture points at leaves the archive: a WARC file with none
    left is deleted, one with some is rewritten with those only (each record is its own gzip
    member, copied byte for byte). The caller holds the store's run lock."""
    now = now or clock.now()
    res = PruneResult()
    res.bytes_before = archive_size(folder)[1]
    resolved_cut = clock.iso(now - timedelta(days=int(opts["resolved_days"])))
    unlinked_cut = clock.iso(now - timedelta(days=int(opts["unlinked_days"])))
    ex = db.execute
    ex("BEGIN IMMEDIATE")
    try:
        ex("DROP TABLE IF EXISTS temp.ze_keep")
        ex("CREATE TEMP TABLE ze_keep (capture_id INTEGER PRIMARY KEY)")
        ex(
            "INSERT OR IGNORE INTO ze_keep SELECT e.capture_id FROM finding_evidence e"
            " JOIN findings f ON f.finding_id = e.finding_id"
            " WHERE f.status IN ('open', 'waived')"
            " OR (f.status = 'resolved' AND f.resolved_at >= ?)",
            [resolved_cut],
        )
        ex(
            "INSERT OR IGNORE INTO ze_keep SELECT c.capture_id FROM captures c"
            " JOIN pages p ON p.page_id = c.capture_id WHERE p.fetched_at >= ?",
            [unlinked_cut],
        )
        ex("DELETE FROM finding_evidence WHERE capture_id NOT IN (SELECT capture_id FROM ze_keep)")
        res.captures_deleted = ex(
            "DELETE FROM captures WHERE capture_id NOT IN (SELECT capture_id FROM ze_keep)"
        ).rowcount
        gone = ex(
            "SELECT record_id, warc, offset, length FROM evidence_records"
            " WHERE record_id NOT IN (SELECT record_id FROM captures)"
        ).fetchall()
        ex("DELETE FROM evidence_records WHERE record_id NOT IN (SELECT record_id FROM captures)")
        res.records_deleted = len(gone)
        touched = sorted({g[1] for g in gone})
        # the records left in those files, in one scan (no index by file: it cost every page
        # stored more than this costs a prune)
        left: dict[str, list[tuple[int, int, int]]] = {}
        for record_id, name, offset, length in ex(
            "SELECT record_id, warc, offset, length FROM evidence_records"
            " WHERE warc IN (SELECT value FROM json_each(?)) ORDER BY warc, offset",
            [json.dumps(touched)],
        ):
            left.setdefault(name, []).append((record_id, offset, length))
        fresh: list[Path] = []
        for name in touched:
            keep = left.get(name)
            if not keep:
                continue
            new = _next_generation(folder, name)
            fresh.append(new)
            with open(warc_path(folder, name), "rb") as fin, open(new, "xb") as fout:
                for record_id, offset, length in keep:
                    fin.seek(offset)
                    ex(
                        "UPDATE evidence_records SET warc = ?, offset = ? WHERE record_id = ?",
                        [new.name, fout.tell(), record_id],
                    )
                    fout.write(fin.read(length))
                fout.flush()
                os.fsync(fout.fileno())
            res.files_rewritten += 1
        ex("COMMIT")
    except BaseException:
        ex("ROLLBACK")
        for path in locals().get("fresh", []):
            path.unlink(missing_ok=True)
        raise
    # The store points at the rewritten files now: the old ones, and any file no record points
    # at (a crawl killed before its rows were committed), go. No crawl runs: we hold its lock.
    referenced = set(iter_warc_names(db))
    for p in sorted(folder.iterdir()) if folder.is_dir() else []:
        if WARC_NAME.fullmatch(p.name) and p.name not in referenced:
            p.unlink()
            res.files_deleted += 1
    # Cached replays of captures that are gone (reports/evidence.py names them c<id>-…).
    cache = folder / REPLAY_CACHE
    if cache.is_dir():
        kept = {r[0] for r in ex("SELECT capture_id FROM captures")}
        for p in cache.iterdir():
            m = re.match(r"c(\d+)-", p.name)
            if not m or int(m.group(1)) not in kept:
                p.unlink(missing_ok=True)
    res.kept_records = ex("SELECT count(*) FROM evidence_records").fetchone()[0]
    res.bytes_after = archive_size(folder)[1]
    return res


def _next_generation(folder: Path, name: str) -> Path:
    """run-N-PID.warc.gz → run-N-PID-p1.warc.gz (then -p2 …): a rewritten file never
    overwrites the one the store still points at until the rewrite is committed."""
    stem = name.removesuffix(".warc.gz")
    m = re.fullmatch(r"(run-\d+-\d+)(?:-p(\d+))?", stem)
    assert m is not None
    n = int(m.group(2) or 0) + 1
    while (folder / f"{m.group(1)}-p{n}.warc.gz").exists():
        n += 1
    return warc_path(folder, f"{m.group(1)}-p{n}.warc.gz")


def iter_warc_names(db: Any) -> Iterator[str]:
    for (name,) in db.execute("SELECT DISTINCT warc FROM evidence_records ORDER BY warc"):
        yield name
