"""Supervisor pages: the review queue and its (bulk) actions, the run's numbers, the audit log."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, Response, abort, g, redirect, request, url_for

from reports.meta import SEVERITY_ZH, rule_meta
from reports.summary import pass_rates
from zwgk.errors import StoreBusy
from zwgk.web import review
from zwgk.web.app import client, current_config, db, render


def register(app: Flask) -> None:
    app.add_url_rule("/queue", "queue", queue)
    app.add_url_rule("/act", "act", act, methods=["POST"])
    app.add_url_rule("/runs", "runs", runs)
    app.add_url_rule("/audit", "audit", audit)
    app.add_url_rule("/audit.csv", "audit_csv", audit_csv)


def _supervisor() -> None:
    # A unit user gets the same answer as for a page that does not exist.
    if not g.session.user.is_supervisor:
        abort(404)


def queue() -> str:
    _supervisor()
    user = g.session.user
    filters = {k: request.args.get(k, "")[:64] for k in ("unit", "rule", "severity", "view")}
    if filters["view"] not in review.VIEWS:
        filters["view"] = "pending"
    rows = review.queue(db(), user, current_config("ZWGK_CONFIG"), **filters)
    choices = review.filter_choices(db(), user)
    rules = [(code, rule_meta(code).title_zh) for code in choices["rules"]]
    return render(
        "queue.html",
        rows=rows,
        filters=filters,
        units=choices["units"],
        rules=rules,
        severities=list(SEVERITY_ZH.items()),
        views=[(code, zh) for code, (zh, _sql) in review.VIEWS.items()],
        done=request.args.get("done", ""),
    )


def _ids() -> list[int]:
    try:
        # unique, in order: a repeated id is one finding, acted on once
        return list(dict.fromkeys(int(x) for x in request.form.getlist("ids")))[:500]
    except ValueError:
        abort(400)


def act() -> Response:
    """One action on the ticked findings (or one finding's page): confirm, reject, unreject,
    deadline, note. The ids are checked against the user's scope before anything is written."""
    _supervisor()
    user, store, ids, where = g.session.user, db(), _ids(), client()
    action = request.form.get("action", "")
    if action == "confirm":
        n = review.confirm(store, user, ids, where)
    elif action == "reject":
        try:
            n = review.reject(
                store, current_config("ZWGK_DB"), user, ids, request.form.get("reason", ""), where
            )
        except StoreBusy:
            raise review.ReviewError("监测运行正在更新问题数据，请稍后再标记误报") from None
    elif action == "unreject":
        try:
            n = review.unreject(
                store, current_config("ZWGK_DB"), user, ids, request.form.get("reason", ""), where
            )
        except StoreBusy:
            raise review.ReviewError("监测运行正在更新问题数据，请稍后再撤销") from None
    elif action == "deadline":
        n = review.set_deadline(store, user, ids, request.form.get("deadline", ""), where)
    elif action == "note":
        n = review.add_note(store, user, ids, request.form.get("note", ""), where)
    else:
        abort(400)
    back = request.form.get("back", "")
    if back == "finding" and len(ids) == 1:
        return redirect(url_for("finding", finding_id=ids[0]))
    return redirect(url_for("queue", done=f"{review.ACTION_ZH.get(action, action)} {n} 条"))


def runs() -> str:
    """The newest runs' numbers, as the run report gives them: 合格率 and the vetoed sites."""
    _supervisor()
    store = db()
    cur = store.execute(
        "SELECT run_id, clock_at, status, finished_at FROM runs WHERE kind = 'run'"
        " ORDER BY run_id DESC LIMIT 10"
    )
    recent = [dict(zip([d[0] for d in cur.description], r, strict=True)) for r in cur]
    latest = next((r for r in recent if r["status"] == "completed"), None)
    rates: dict[str, Any] | None = None
    vetoed: list[dict[str, Any]] = []
    if latest:
        units = {
            u: {"kind": k, "name": n}
            for u, k, n in store.execute("SELECT unit_id, kind, name FROM units")
        }
        verdicts = [
            {"unit_id": u, "verdict": v, "veto_rules": json.loads(r or "[]"), "site_id": s}
            for s, u, v, r in store.execute(
                "SELECT site_id, unit_id, verdict, veto_rules FROM verdicts WHERE run_id = ?",
                [latest["run_id"]],
            )
        ]
        rates = pass_rates(verdicts, units)
        vetoed = [
            {
                "unit": units.get(v["unit_id"], {}).get("name", v["unit_id"]),
                "unit_id": v["unit_id"],
                "rules": [rule_meta(code).title_zh for code in v["veto_rules"]],
            }
            for v in verdicts
            if v["verdict"] == "不合格"
        ]
    return render("runs.html", recent=recent, latest=latest, rates=rates, vetoed=vetoed)


def audit() -> str:
    _supervisor()
    return render("audit.html", rows=review.audit_rows(db()))


def audit_csv() -> Response:
    _supervisor()
    return Response(
        review.audit_csv(db()),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=audit.csv"},
    )
