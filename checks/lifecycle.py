"""A supervisor's waiver (`zwgk waive` / `zwgk unwaive`), recorded as finding events.

A waived finding stays waived while its rule keeps firing, does not count toward site verdicts
or roll-ups, and resolves like any other finding once the subject is fixed.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from zwgk import clock
from zwgk.errors import ZwgkError


def _finding(db: sqlite_utils.Database, finding_id: int) -> dict[str, Any]:
    cur = db.execute("SELECT * FROM findings WHERE finding_id = ?", [finding_id])
    row = cur.fetchone()
    if row is None:
        raise ZwgkError(f"finding {finding_id} does not exist (see `zwgk findings --status all`)")
    return dict(zip([d[0] for d in cur.description], row, strict=True))


def _event(db: sqlite_utils.Database, finding_id: int, event: str, at: str, note: str | None):
    db.execute(
        "INSERT INTO finding_events (finding_id, run_id, event, at, note) VALUES (?, NULL, ?, ?, ?)",
        [finding_id, event, at, note],
    )


def waive(db: sqlite_utils.Database, finding_id: int, reason: str) -> dict[str, Any]:
    """Waive an open finding with a non-empty reason; returns the updated row."""
    reason = (reason or "").strip()
    if not reason:
        raise ZwgkError(f"finding {finding_id}: a waiver needs a reason (--reason TEXT)")
    f = _finding(db, finding_id)
    if f["status"] != "open":
        raise ZwgkError(f"finding {finding_id} is {f['status']}; only open findings can be waived")
    at = clock.iso()
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
        db.execute(
            "UPDATE findings SET status = 'waived', waived_at = ?, waive_reason = ?"
            " WHERE finding_id = ?",
            [at, reason, finding_id],
        )
        _event(db, finding_id, "waived", at, reason)
    return _finding(db, finding_id)


def unwaive(
    db: sqlite_utils.Database, finding_id: int, reason: str | None = None
) -> dict[str, Any]:
    """Undo a waiver: the finding is open again (the next run resolves it if fixed)."""
    f = _finding(db, finding_id)
    if f["status"] != "waived":
        raise ZwgkError(f"finding {finding_id} is {f['status']}, not waived; nothing to undo")
    at = clock.iso()
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
        db.execute(
            "UPDATE findings SET status = 'open', waived_at = NULL, waive_reason = NULL"
            " WHERE finding_id = ?",
            [finding_id],
        )
        _event(db, finding_id, "unwaived", at, (reason or "").strip() or None)
    return _finding(db, finding_id)


def events(db: sqlite_utils.Database, finding_id: int) -> list[dict[str, Any]]:
    """A finding's history, oldest first."""
    _finding(db, finding_id)
    cur = db.execute(
        "SELECT event, run_id, at, note FROM finding_events WHERE finding_id = ? ORDER BY event_id",
        [finding_id],
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
