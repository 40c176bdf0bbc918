"""The workspace's reads and writes, every one scoped to a user.

Scope is decided here, server-side, from the session's user, never from a URL or form field: a
unit user's queries all carry `unit_id = <their unit>`, and an id outside the scope is treated
exactly like an id that does not exist. People's words go to their own tables
(finding_reviews, finding_notes, finding_responses, audit_log): a crawl writes none of them.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils

from checks import lifecycle
from reports.data import iso_minute, load_findings, safe_href
from reports.tasks import deadlines, due_date
from zwgk import clock
from zwgk import evidence as ev
from zwgk.errors import ZwgkError
from zwgk.storelock import run_lock
from zwgk.web.accounts import User

MAX_TEXT = 2000
MAX_URL = 1000
#: How long a rejection waits for a monitoring run to release the store before saying so: a
#: web request must not hang for the hour a crawl takes.
WAIVE_WAIT_SECONDS = 3.0

RECHECK_ZH = {"pending": "已整改待复查", "passed": "复查通过", "failed": "复查未通过"}
DECISION_ZH = {"confirmed": "已人工核对", "rejected": "误报（已豁免）"}


class ReviewError(ZwgkError):
    """A request the workspace refuses (shown to the user, status 400)."""


class NotFound(ReviewError):
    """No such finding for this user (also: another unit's finding)."""


def scope(user: User) -> tuple[str, list[Any]]:
    """SQL condition on `findings f` limiting rows to what `user` may see."""
    if user.is_supervisor:
        return "1 = 1", []
    return "f.unit_id = ?", [user.unit_id]


def audit(
    db: sqlite_utils.Database,
    user: User | None,
    action: str,
    detail: str = "",
    *,
    username: str | None = None,
    unit_id: str | None = None,
    finding_id: int | None = None,
    client: str | None = None,
) -> None:
    db.execute(
        "INSERT INTO audit_log (at, user_id, username, action, unit_id, finding_id, detail,"
        " client) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            clock.iso(),
            user.user_id if user else None,
            user.username if user else (username or ""),
            action,
            unit_id if unit_id is not None else (user.unit_id if user else None),
            finding_id,
            detail[:MAX_TEXT],
            client,
        ],
    )


def clean_text(value: str | None, what: str, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ReviewError(f"请填写{what}")
    if len(text) > MAX_TEXT:
        raise ReviewError(f"{what}不能超过 {MAX_TEXT} 字")
    return text


def clean_url(value: str | None) -> str | None:
    """An evidence link: empty, or an http(s) URL with a host (no javascript:, no data:)."""
    url = (value or "").strip()
    if not url:
        return None
    if len(url) > MAX_URL or safe_href(url) is None:
        raise ReviewError("佐证链接须为 http:// 或 https:// 开头的网址")
    if urlsplit(url).username is not None:
        raise ReviewError("佐证链接不能包含用户名或密码")
    return url


def clean_date(value: str | None) -> str:
    try:
        return date.fromisoformat((value or "").strip()).isoformat()
    except ValueError:
        raise ReviewError("完成时限须为日期（YYYY-MM-DD）") from None


def _ids_in_scope(db: sqlite_utils.Database, user: User, ids: list[int]) -> list[int]:
    """The ids the user may act on; any other id (unknown, another unit's) refuses the whole
    request, so a forged form cannot act on part of someone else's data."""
    if not ids:
        raise ReviewError("请至少选择一条问题")
    where, params = scope(user)
    marks = ",".join("?" * len(ids))
    found = {
        r[0]
        for r in db.execute(
            f"SELECT f.finding_id FROM findings f WHERE f.finding_id IN ({marks}) AND {where}",
            [*ids, *params],
        )
    }
    if found != set(ids):
        raise NotFound("问题不存在")
    return ids


def _reviews(db: sqlite_utils.Database, ids: list[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    cur = db.execute(
        "SELECT r.*, u.username AS decided_by_name FROM finding_reviews r"
        f" LEFT JOIN users u ON u.user_id = r.decided_by WHERE r.finding_id IN ({marks})",
        ids,
    )
    names = [d[0] for d in cur.description]
    return {r[0]: dict(zip(names, r, strict=True)) for r in cur.fetchall()}


def latest_responses(db: sqlite_utils.Database, ids: list[int]) -> dict[int, dict[str, Any]]:
    """Each finding's newest response with its re-check: the first run after the response
    (`after_run_id`) that judged the finding: resolved → 复查通过, still firing → 复查未通过,
    none yet → 已整改待复查. Read from finding_events, so it stays true after later runs."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    cur = db.execute(
        f"""SELECT r.*, u.username,
              (SELECT e.event FROM finding_events e WHERE e.finding_id = r.finding_id
                 AND e.run_id > r.after_run_id ORDER BY e.run_id, e.event_id LIMIT 1) AS event,
              (SELECT e.at FROM finding_events e WHERE e.finding_id = r.finding_id
                 AND e.run_id > r.after_run_id ORDER BY e.run_id, e.event_id LIMIT 1) AS event_at
            FROM finding_responses r JOIN users u ON u.user_id = r.user_id
            WHERE r.response_id IN (SELECT max(response_id) FROM finding_responses
                                    WHERE finding_id IN ({marks}) GROUP BY finding_id)""",
        ids,
    )
    names = [d[0] for d in cur.description]
    out = {}
    for row in cur.fetchall():
        r = dict(zip(names, row, strict=True))
        r["recheck"] = (
            "pending" if r["event"] is None else "passed" if r["event"] == "resolved" else "failed"
        )
        r["recheck_zh"] = RECHECK_ZH[r["recheck"]]
        r["when"] = iso_minute(r["at"])
        r["recheck_when"] = iso_minute(r["event_at"])
        r["href"] = safe_href(r["evidence_url"])
        out[r["finding_id"]] = r
    return out


def notes(db: sqlite_utils.Database, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    cur = db.execute(
        "SELECT n.finding_id, n.at, n.text, u.username FROM finding_notes n"
        f" JOIN users u ON u.user_id = n.user_id WHERE n.finding_id IN ({marks})"
        " ORDER BY n.note_id",
        ids,
    )
    out: dict[int, list[dict[str, Any]]] = {}
    for fid, at, text, username in cur.fetchall():
        out.setdefault(fid, []).append({"when": iso_minute(at), "text": text, "by": username})
    return out


def _decorate(
    db: sqlite_utils.Database, rows: list[dict[str, Any]], config: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """Add review, deadline (hand-set, else the configured working days from detection),
    overdue, notes and latest response to each finding."""
    ids = [f["finding_id"] for f in rows]
    reviews, responses, all_notes = _reviews(db, ids), latest_responses(db, ids), notes(db, ids)
    days, veto_days = deadlines(config)
    today = clock.today()
    for f in rows:
        review = reviews.get(f["finding_id"]) or {}
        f["review"] = review
        f["decision_zh"] = DECISION_ZH.get(review.get("decision") or "", "待审核")
        f["deadline_set"] = review.get("deadline")
        due = due_date(f, days, veto_days)
        f["deadline"] = due
        f["overdue"] = f["status"] == "open" and due < today
        f["response"] = responses.get(f["finding_id"])
        f["notes"] = all_notes.get(f["finding_id"], [])
    _evidence_seen(db, rows)
    return rows


def _evidence_seen(db: sqlite_utils.Database, rows: list[dict[str, Any]]) -> None:
    """Give each finding `evidence_seen`: when the pages it rests on were first captured (the
    evidence archive, reports/evidence.py), "" when none are kept."""
    try:
        caps = ev.captures_of(db, [f["finding_id"] for f in rows])
    except sqlite3.OperationalError:  # a store without the archive's tables has no evidence
        caps = {}
    for f in rows:
        mine = caps.get(f["finding_id"])
        f["evidence_seen"] = iso_minute(min(c.captured_at for c in mine)) if mine else ""


#: The supervisor's lists: the review queue (default), findings a unit has answered (their
#: re-check visible), and everything still open.
VIEWS = {
    "pending": (
        "待审核",
        "f.status = 'open' AND NOT EXISTS (SELECT 1 FROM finding_reviews r"
        " WHERE r.finding_id = f.finding_id AND r.decision IS NOT NULL)",
    ),
    "responded": (
        "已填报整改情况",
        "EXISTS (SELECT 1 FROM finding_responses r WHERE r.finding_id = f.finding_id)",
    ),
    "open": ("全部未关闭", "f.status = 'open'"),
    "rejected": ("已标为误报", "f.status = 'waived'"),
}


def queue(
    db: sqlite_utils.Database,
    user: User,
    config: dict[str, Any] | None,
    unit: str = "",
    rule: str = "",
    severity: str = "",
    view: str = "pending",
    limit: int = 200,
) -> list[dict[str, Any]]:
    """Findings of one of VIEWS (default: open ones nobody has decided on yet), newest first,
    with optional filters."""
    where, params = scope(user)
    where += " AND " + VIEWS.get(view, VIEWS["pending"])[1]
    for column, value in (("unit_id", unit), ("rule", rule), ("severity", severity)):
        if value:
            where += f" AND f.{column} = ?"
            params.append(value)
    rows = load_findings(
        db, where, params, f"f.first_detected_at DESC, f.finding_id DESC LIMIT {int(limit)}"
    )
    return _decorate(db, rows, config)


def filter_choices(db: sqlite_utils.Database, user: User) -> dict[str, list[Any]]:
    where, params = scope(user)
    rules = [
        r[0]
        for r in db.execute(
            f"SELECT DISTINCT f.rule FROM findings f WHERE {where} ORDER BY 1", params
        )
    ]
    units = db.execute(
        "SELECT unit_id, name FROM units WHERE active = 1"
        + ("" if user.is_supervisor else " AND unit_id = ?")
        + " ORDER BY unit_id",
        [] if user.is_supervisor else [user.unit_id],
    ).fetchall()
    return {"rules": rules, "units": units}


def finding(
    db: sqlite_utils.Database, user: User, finding_id: int, config: dict[str, Any] | None
) -> dict[str, Any]:
    where, params = scope(user)
    rows = load_findings(db, f"f.finding_id = ? AND {where}", [finding_id, *params], "1")
    if not rows:
        raise NotFound("问题不存在")
    f = _decorate(db, rows, config)[0]
    f["events"] = [{**e, "when": iso_minute(e["at"])} for e in lifecycle.events(db, finding_id)]
    cur = db.execute(
        "SELECT r.at, r.text, r.evidence_url, u.username FROM finding_responses r"
        " JOIN users u ON u.user_id = r.user_id WHERE r.finding_id = ? ORDER BY r.response_id",
        [finding_id],
    )
    f["responses"] = [
        {"when": iso_minute(at), "text": t, "url": url, "href": safe_href(url), "by": by}
        for at, t, url, by in cur.fetchall()
    ]
    return f


def unit_tasks(
    db: sqlite_utils.Database, user: User, config: dict[str, Any] | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(open tasks, closed findings that have a response) of the user's unit."""
    where, params = scope(user)
    open_rows = load_findings(
        db, f"{where} AND f.status = 'open'", params, "f.first_detected_at DESC, f.finding_id"
    )
    closed = load_findings(
        db,
        f"{where} AND f.status != 'open' AND EXISTS (SELECT 1 FROM finding_responses r"
        " WHERE r.finding_id = f.finding_id)",
        params,
        "f.finding_id DESC LIMIT 200",
    )
    return _decorate(db, open_rows, config), _decorate(db, closed, config)


def _upsert_review(db: sqlite_utils.Database, finding_id: int, now: str, **values: Any) -> None:
    sets = ", ".join(f"{k} = excluded.{k}" for k in values)
    names = ", ".join(values)
    marks = ", ".join("?" * len(values))
    db.execute(
        f"INSERT INTO finding_reviews (finding_id, updated_at, {names}) VALUES (?, ?, {marks})"
        f" ON CONFLICT (finding_id) DO UPDATE SET updated_at = excluded.updated_at, {sets}",
        [finding_id, now, *values.values()],
    )


def confirm(db: sqlite_utils.Database, user: User, ids: list[int], client: str) -> int:
    _supervisor(user)
    _ids_in_scope(db, user, ids)
    now = clock.iso()
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
        for fid in ids:
            _upsert_review(
                db, fid, now, decision="confirmed", reason=None, decided_by=user.user_id,
                decided_at=now,
            )  # fmt: skip
            audit(db, user, "confirm", "人工核对", unit_id=_unit_of(db, fid), finding_id=fid,
                  client=client)  # fmt: skip
    return len(ids)


def reject(
    db: sqlite_utils.Database, db_path: Path, user: User, ids: list[int], reason: str, client: str
) -> int:
    """False positives: each is waived through checks/lifecycle.py (the `zwgk waive` path, under
    the store's run lock like the command) with the reason, and the decision kept."""
    _supervisor(user)
    reason = clean_text(reason, "误报理由")
    return _waiver_change(
        db, db_path, user, ids, client, "reject", reason, "open", "只能将未关闭的问题标为误报"
    )


def unreject(
    db: sqlite_utils.Database, db_path: Path, user: User, ids: list[int], reason: str, client: str
) -> int:
    """Undo a false-positive decision: each waived finding is open again through
    checks/lifecycle.py (the `zwgk unwaive` path, under the run lock), its decision cleared;
    the next run resolves it if the page is fixed by then."""
    _supervisor(user)
    reason = clean_text(reason, "撤销理由", required=False) or "撤销误报"
    return _waiver_change(
        db,
        db_path,
        user,
        ids,
        client,
        "unreject",
        reason,
        "waived",
        "只能撤销已标为误报（豁免）的问题",
    )


def _waiver_change(
    db: sqlite_utils.Database,
    db_path: Path,
    user: User,
    ids: list[int],
    client: str,
    action: str,
    reason: str,
    status: str,
    refused: str,
) -> int:
    """reject (waive, decision kept) or unreject (unwaive, decision cleared) each finding, all
    of them in `status`, under the store's run lock like `zwgk waive`/`unwaive`."""
    _ids_in_scope(db, user, ids)
    marks = ",".join("?" * len(ids))
    with run_lock(
        db_path,
        what=f"zwgk serve ({ACTION_ZH[action]})",
        hint="a monitoring run is rewriting findings",
        wait=WAIVE_WAIT_SECONDS,
    ):
        # checked under the lock: no run can resolve one of them between check and change
        statuses = db.execute(
            f"SELECT status FROM findings WHERE finding_id IN ({marks})", ids
        ).fetchall()
        if any(s != status for (s,) in statuses):
            raise ReviewError(refused)
        rejecting = action == "reject"
        for fid in ids:
            if rejecting:
                lifecycle.waive(db, fid, reason)
            else:
                lifecycle.unwaive(db, fid, reason)
            now = clock.iso()
            with db.conn:
                db.execute("BEGIN IMMEDIATE")
                _upsert_review(
                    db, fid, now, decision="rejected" if rejecting else None,
                    reason=reason if rejecting else None, decided_by=user.user_id, decided_at=now,
                )  # fmt: skip
                audit(db, user, action, reason, unit_id=_unit_of(db, fid), finding_id=fid,
                      client=client)  # fmt: skip
    return len(ids)


def set_deadline(
    db: sqlite_utils.Database, user: User, ids: list[int], value: str, client: str
) -> int:
    _supervisor(user)
    due = clean_date(value)
    _ids_in_scope(db, user, ids)
    now = clock.iso()
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
        for fid in ids:
            _upsert_review(db, fid, now, deadline=due)
            audit(db, user, "deadline", f"完成时限改为 {due}", unit_id=_unit_of(db, fid),
                  finding_id=fid, client=client)  # fmt: skip
    return len(ids)


def add_note(db: sqlite_utils.Database, user: User, ids: list[int], text: str, client: str) -> int:
    _supervisor(user)
    text = clean_text(text, "备注")
    _ids_in_scope(db, user, ids)
    now = clock.iso()
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
        for fid in ids:
            db.execute(
                "INSERT INTO finding_notes (finding_id, user_id, at, text) VALUES (?, ?, ?, ?)",
                [fid, user.user_id, now, text],
            )
            audit(db, user, "note", text, unit_id=_unit_of(db, fid), finding_id=fid,
                  client=client)  # fmt: skip
    return len(ids)


def respond(
    db: sqlite_utils.Database,
    user: User,
    finding_id: int,
    text: str,
    url: str | None,
    client: str,
) -> None:
    """A unit's 整改情况 on one of its open findings: 已整改待复查 until the next run judges it."""
    if user.is_supervisor:
        raise ReviewError("整改情况由责任单位填写")
    text = clean_text(text, "整改情况")
    evidence_url = clean_url(url)
    _ids_in_scope(db, user, [finding_id])
    status = db.execute(
        "SELECT status FROM findings WHERE finding_id = ?", [finding_id]
    ).fetchone()[0]
    if status != "open":
        raise ReviewError("该问题已关闭，无需填报")
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
        newest = db.execute("SELECT coalesce(max(run_id), 0) FROM runs").fetchone()[0]
        db.execute(
            "INSERT INTO finding_responses (finding_id, unit_id, user_id, at, text,"
            " evidence_url, after_run_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [finding_id, user.unit_id, user.user_id, clock.iso(), text, evidence_url, newest],
        )
        audit(db, user, "respond", text + (f"（佐证：{evidence_url}）" if evidence_url else ""),
              finding_id=finding_id, client=client)  # fmt: skip


def _supervisor(user: User) -> None:
    if not user.is_supervisor:
        raise NotFound("问题不存在")


def _unit_of(db: sqlite_utils.Database, finding_id: int) -> str:
    return db.execute("SELECT unit_id FROM findings WHERE finding_id = ?", [finding_id]).fetchone()[
        0
    ]


ACTION_ZH = {
    "login": "登录",
    "login_failed": "登录失败",
    "login_limited": "登录受限",
    "logout": "退出",
    "confirm": "人工核对",
    "reject": "误报豁免",
    "unreject": "撤销误报",
    "deadline": "修改完成时限",
    "note": "添加备注",
    "respond": "提交整改情况",
    "recheck": "复查结果",
}


def audit_rows(db: sqlite_utils.Database, limit: int | None = 500) -> list[dict[str, Any]]:
    """The audit log newest first, with each responded finding's re-check (a run's decision,
    read from finding_events) merged in as a status change by `zwgk run`."""
    cur = db.execute(
        """SELECT at, username, action, unit_id, finding_id, detail, client FROM audit_log
           UNION ALL
           SELECT e.at, 'zwgk run', 'recheck', f.unit_id, f.finding_id,
                  CASE e.event WHEN 'resolved' THEN '复查通过' ELSE '复查未通过' END
                  || '（第 ' || e.run_id || ' 次运行）', NULL
           FROM finding_responses r JOIN findings f ON f.finding_id = r.finding_id
           JOIN finding_events e ON e.event_id = (
               SELECT e2.event_id FROM finding_events e2 WHERE e2.finding_id = r.finding_id
               AND e2.run_id > r.after_run_id ORDER BY e2.run_id, e2.event_id LIMIT 1)
           ORDER BY 1 DESC"""
        + (f" LIMIT {int(limit)}" if limit else "")
    )
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    for r in rows:
        r["action_zh"] = ACTION_ZH.get(r["action"], r["action"])
        r["when"] = iso_minute(r["at"])
    return rows


def audit_csv(db: sqlite_utils.Database) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["时间", "用户", "操作", "单位", "问题编号", "内容", "客户端地址"])
    for r in audit_rows(db, limit=None):
        detail = r["detail"] or ""
        if detail.startswith(("=", "+", "-", "@", "\t", "\r")):
            detail = "'" + detail  # typed text is never a spreadsheet formula
        writer.writerow([r["at"], r["username"], r["action_zh"], r["unit_id"] or "",
                         r["finding_id"] or "", detail, r["client"] or ""])  # fmt: skip
    return "\ufeff" + out.getvalue()  # BOM: Excel opens UTF-8 CSV as such
