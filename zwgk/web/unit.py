"""Unit pages: its open tasks (deadlines, overdue), the task workbook, a response per task."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from flask import Flask, Response, abort, g, redirect, request, url_for

from reports.tasks import task_rows, write_unit_workbook
from zwgk import clock
from zwgk.web import review
from zwgk.web.app import client, current_config, db, render


def register(app: Flask) -> None:
    app.add_url_rule("/tasks", "tasks", tasks)
    app.add_url_rule("/tasks.xlsx", "tasks_xlsx", tasks_xlsx)
    app.add_url_rule("/findings/<int:finding_id>/respond", "respond", respond, methods=["POST"])


def _unit_user() -> None:
    if g.session.user.is_supervisor:
        abort(404)


def tasks() -> str:
    _unit_user()
    open_rows, closed = review.unit_tasks(db(), g.session.user, current_config("ZWGK_CONFIG"))
    name = (
        db()
        .execute("SELECT name FROM units WHERE unit_id = ?", [g.session.user.unit_id])
        .fetchone()
    )
    return render(
        "tasks.html",
        rows=open_rows,
        closed=closed,
        unit_name=name[0] if name else g.session.user.unit_id,
        overdue=sum(f["overdue"] for f in open_rows),
        today=clock.today(),
    )


def tasks_xlsx() -> Response:
    """The unit's 整改交办清单 as the reports write it (reports/tasks.py), with the workspace's
    deadlines and the unit's own 整改情况 and 复查结果 filled in."""
    _unit_user()
    user = g.session.user
    config = current_config("ZWGK_CONFIG")
    open_rows, _closed = review.unit_tasks(db(), user, config)
    rows = task_rows(open_rows, config)  # same 完成时限 as the cards: review._decorate sets it
    for row, f in zip(rows, open_rows, strict=True):
        if f["response"]:
            row["values"][8] = f["response"]["text"]
            row["values"][9] = f["response"]["recheck_zh"]
    name = db().execute("SELECT name FROM units WHERE unit_id = ?", [user.unit_id]).fetchone()
    title = f"{name[0] if name else user.unit_id}政府网站问题整改交办清单（{clock.today()}）"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tasks.xlsx"
        write_unit_workbook(path, title, rows)
        data = io.BytesIO(path.read_bytes())
    return Response(
        data.getvalue(),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f"attachment; filename={user.unit_id}-tasks.xlsx"},
    )


def respond(finding_id: int) -> Response:
    _unit_user()
    review.respond(
        db(),
        g.session.user,
        finding_id,
        request.form.get("text", ""),
        request.form.get("evidence_url", ""),
        client(),
    )
    return redirect(url_for("tasks") + f"#f{finding_id}")
