"""The Flask application: sessions from the store, CSRF on every POST, scoped views.

Every request opens its own short-lived connection (WAL: reads never wait for a crawl; writes
are one short transaction each, with a busy timeout), so the app never holds the store while a
`zwgk run` works on it.
"""

from __future__ import annotations

import hmac
import secrets
import sqlite3
from pathlib import Path
from typing import Any

import sqlite_utils
from flask import Flask, Response, abort, g, redirect, render_template, request, url_for
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, StrictUndefined
from werkzeug.middleware.proxy_fix import ProxyFix

from zwgk.store import open_db
from zwgk.web import accounts, review

SESSION_COOKIE = "zwgk_session"
LOGIN_CSRF_COOKIE = "zwgk_login_csrf"
#: Milliseconds a web write waits for a crawl's transaction before giving up with an error page.
BUSY_TIMEOUT_MS = 10000
# No scripts at all; forms post only to this app; never framed.
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def create_app(
    db_path: Path,
    config: dict[str, Any] | None = None,
    secure_cookies: bool = False,
    behind_proxy: bool = False,
    config_path: Path | None = None,
) -> Flask:
    """The app over the store at `db_path`. `secure_cookies` forces the Secure flag; otherwise
    it is set when the request came over https (as the proxy says, with `behind_proxy`)."""
    rules = accounts.policy(config, config_path)  # a bad review: section fails here, named
    open_db(db_path).conn.close()  # create and migrate once, at start
    app = Flask(__name__)
    # Autoescape every template, whatever its name: scraped text is untrusted.
    app.jinja_options = {
        "autoescape": True,
        "undefined": StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
    }
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(Path(__file__).with_name("templates"))),
            PackageLoader("reports", "templates"),  # _style.html: the reports' CSS
        ]
    )
    app.config.update(
        ZWGK_DB=Path(db_path),
        ZWGK_CONFIG=config,
        ZWGK_REVIEW=rules,
        ZWGK_SECURE=secure_cookies,
        ZWGK_BUSY_MS=BUSY_TIMEOUT_MS,
        MAX_CONTENT_LENGTH=256 * 1024,
    )
    if behind_proxy:
        # one trusted reverse proxy: its X-Forwarded-For is the client, -Proto the scheme
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]

    app.before_request(_before)
    app.teardown_request(_close_db)
    app.after_request(_headers)

    from zwgk.web import views

    views.register(app)
    return app


def db() -> sqlite_utils.Database:
    if "db" not in g:
        busy = current_config("ZWGK_BUSY_MS")
        conn = sqlite3.connect(
            str(current_config("ZWGK_DB")), timeout=busy / 1000, isolation_level=None
        )
        conn.execute(f"PRAGMA busy_timeout={int(busy)}")
        conn.execute("PRAGMA foreign_keys=ON")
        g.db = sqlite_utils.Database(conn)
    return g.db


def current_config(key: str) -> Any:
    from flask import current_app

    return current_app.config[key]


def _close_db(_exc: BaseException | None) -> None:
    conn = g.pop("db", None)
    if conn is not None:
        conn.conn.close()


def client() -> str:
    return (request.remote_addr or "unknown")[:64]


def _before() -> Any:
    g.session = accounts.load_session(db(), request.cookies.get(SESSION_COOKIE))
    if request.endpoint in ("login", "static"):
        return None
    if g.session is None:
        if request.method == "POST":
            abort(403)
        return redirect(url_for("login"))
    if request.method == "POST":
        sent = request.form.get("csrf", "")
        if not hmac.compare_digest(sent.encode(), g.session.csrf.encode()):
            abort(403)
    return None


def secure() -> bool:
    return bool(current_config("ZWGK_SECURE")) or request.scheme == "https"


def set_cookie(resp: Response, name: str, value: str, max_age: int | None = None) -> None:
    resp.set_cookie(
        name, value, max_age=max_age, httponly=True, samesite="Lax", secure=secure(), path="/"
    )


def new_login_csrf() -> str:
    return secrets.token_urlsafe(32)


def _headers(resp: Response) -> Response:
    resp.headers.setdefault("Content-Security-Policy", CSP)
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Referrer-Policy"] = "no-referrer"
    resp.headers["X-Frame-Options"] = "DENY"
    if request.endpoint != "static":
        resp.headers["Cache-Control"] = "no-store"  # pages carry one unit's data
    return resp


def render(name: str, **context: Any) -> str:
    return render_template(name, session=g.session, **context)


__all__ = ["create_app", "db", "render", "review"]
