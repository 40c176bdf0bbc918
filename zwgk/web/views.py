"""Routes shared by both roles: login, logout, the home redirect, one finding, error pages."""

from __future__ import annotations

import hmac
import sqlite3
from typing import Any

from flask import Flask, abort, flash, g, redirect, request, url_for
from werkzeug.wrappers import Response

from zwgk.errors import ZwgkError
from zwgk.web import accounts, review
from zwgk.web.app import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    client,
    current_config,
    db,
    new_login_csrf,
    render,
    set_cookie,
)


def register(app: Flask) -> None:
    from zwgk.web import evidence, supervisor, unit

    app.secret_key = None  # no signed-cookie session: sessions live in the store
    app.add_url_rule("/", "home", home)
    app.add_url_rule("/login", "login", login, methods=["GET", "POST"])
    app.add_url_rule("/logout", "logout", logout, methods=["POST"])
    app.add_url_rule("/findings/<int:finding_id>", "finding", finding_page)
    supervisor.register(app)
    unit.register(app)
    evidence.register(app)
    # ZwgkError: the workspace's refusals, and the lifecycle's (a finding no longer open)
    app.register_error_handler(ZwgkError, _review_error)
    app.register_error_handler(sqlite3.OperationalError, _store_busy)
    for code in (400, 403, 404, 405, 413, 429):
        app.register_error_handler(code, _http_error)


def home() -> Response:
    return redirect(url_for("queue" if g.session.user.is_supervisor else "tasks"))


def _login_page(message: str = "", status: int = 200) -> Response:
    # Keep this browser's token: a second login page (another tab, the favicon's redirect)
    # must not invalidate the form already shown.
    token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if len(token) < 32 or len(token) > 100:
        token = new_login_csrf()
    resp = Response(
        render("login.html", csrf=token, message=message), status=status, mimetype="text/html"
    )
    set_cookie(resp, LOGIN_CSRF_COOKIE, token, max_age=3600)
    return resp


def login() -> Any:
    if request.method == "GET":
        if g.session is not None:
            return redirect(url_for("home"))
        return _login_page()
    # CSRF before a session exists: the form's token must equal the cookie's (double submit)
    sent, cookie = request.form.get("csrf", ""), request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or not hmac.compare_digest(sent.encode(), cookie.encode()):
        abort(403)
    username = request.form.get("username", "").strip()[:64]
    password = request.form.get("password", "")[:1024]
    store, where, rules = db(), client(), current_config("ZWGK_REVIEW")
    if accounts.rate_limited(store, username, where, rules):
        review.audit(store, None, "login_limited", username=username, client=where)
        return _login_page(f"登录失败次数过多，请 {rules.lockout_minutes} 分钟后再试", 429)
    user = accounts.authenticate(store, username, password, where, rules)
    if user is None:
        review.audit(store, None, "login_failed", username=username, client=where)
        return _login_page("用户名或密码错误", 401)
    token, _session = accounts.start_session(store, user, where, rules)
    review.audit(store, user, "login", client=where)
    resp = redirect(url_for("home"))
    set_cookie(resp, SESSION_COOKIE, token)
    set_cookie(resp, LOGIN_CSRF_COOKIE, "", max_age=0)
    return resp


def logout() -> Response:
    store = db()
    review.audit(store, g.session.user, "logout", client=client())
    accounts.end_session(store, request.cookies.get(SESSION_COOKIE))
    resp = redirect(url_for("login"))
    set_cookie(resp, SESSION_COOKIE, "", max_age=0)
    return resp


def finding_page(finding_id: int) -> str:
    f = review.finding(db(), g.session.user, finding_id, current_config("ZWGK_CONFIG"))
    return render("finding.html", f=f)


def _review_error(exc: ZwgkError) -> tuple[str, int]:
    status = 404 if isinstance(exc, review.NotFound) else 400
    if g.get("session") is None:
        return str(exc), status
    return render("error.html", message=str(exc)), status


def _store_busy(exc: sqlite3.OperationalError) -> tuple[str, int]:
    """A crawl's checks hold the store's write lock longer than the busy timeout: say so
    instead of failing (nothing was written; the request can simply be sent again)."""
    if "locked" not in str(exc) and "busy" not in str(exc):
        raise exc
    message = "监测运行正在写入数据，请稍后重试"
    if g.get("session") is None:
        return message, 503
    return render("error.html", message=message), 503


ERRORS = {400: "请求无效", 403: "无权操作或页面已过期，请刷新后重试", 404: "页面不存在",
          405: "不支持的操作", 413: "提交内容过长", 429: "请求过多，请稍后再试"}  # fmt: skip


def _http_error(exc: Any) -> tuple[str, int]:
    code = getattr(exc, "code", 400) or 400
    if g.get("session") is None:
        return ERRORS.get(code, "错误"), code
    return render("error.html", message=ERRORS.get(code, "错误")), code


__all__ = ["flash", "register"]
