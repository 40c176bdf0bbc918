"""Evidence in the workspace: a finding's pages as the crawl captured them, replayed offline.

The same pages the reports write under DIR/evidence/ (reports/evidence.py), served for the one
finding a user may see: `/findings/<id>/evidence` lists the captures it rests on, and
`/findings/<id>/c<capture>.html` (the relative link that page already uses) replays one of them
with scripts removed, under the replay's own Content-Security-Policy. A capture is served only
through a finding in the user's scope that rests on it, so a unit never sees another unit's
archived pages by changing a number in the URL.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g
from werkzeug.wrappers import Response

from reports import evidence as report_evidence
from reports.replay import CSP as REPLAY_CSP
from zwgk import evidence as ev
from zwgk.web import review
from zwgk.web.app import current_config, db


def register(app: Flask) -> None:
    app.add_url_rule("/findings/<int:finding_id>/evidence", "evidence", evidence_page)
    app.add_url_rule("/findings/<int:finding_id>/c<int:capture_id>.html", "capture", capture_page)


def _captures(finding_id: int) -> tuple[dict[str, Any], list[ev.Capture]]:
    store = db()
    # review.finding applies the user's scope: another unit's finding is NotFound (404).
    f = review.finding(store, g.session.user, finding_id, current_config("ZWGK_CONFIG"))
    caps = ev.finding_captures(store, finding_id)
    if not caps:
        raise review.NotFound("此问题没有存档的页面")
    return f, caps


def _html(body: str, csp: str | None = None) -> Response:
    resp = Response(body, mimetype="text/html")
    if csp:
        resp.headers["Content-Security-Policy"] = csp
    return resp


def evidence_page(finding_id: int) -> Response:
    f, caps = _captures(finding_id)
    run = db().execute("SELECT clock_at FROM runs ORDER BY run_id DESC LIMIT 1").fetchone()
    return _html(report_evidence.finding_page(f, caps, {"clock_at": run[0] if run else ""}))


def capture_page(finding_id: int, capture_id: int) -> Response:
    _f, caps = _captures(finding_id)
    capture = next((c for c in caps if c.capture_id == capture_id), None)
    if capture is None:
        raise review.NotFound("此问题没有这个存档")
    store = db()
    folder = ev.archive_dir_for(ev.db_file(store), current_config("ZWGK_CONFIG"))
    return _html(report_evidence.replay_capture(store, folder, capture), REPLAY_CSP)
