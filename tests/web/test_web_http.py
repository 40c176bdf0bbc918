"""HTTP-level tests of the review workspace (Flask's test client): sessions, CSRF, rate limit
and, above all, that a unit user can never see or touch another unit's findings."""

from __future__ import annotations

import io
import sqlite3

import pytest
from openpyxl import load_workbook
from web_helpers import PASSWORD, csrf_of, logged_in, login, zwgk_cli

from zwgk.storelock import run_lock
from zwgk.web import accounts


def q(workspace, sql: str, params=()):
    conn = sqlite3.connect(workspace.db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


# --- accounts, sessions, cookies ----------------------------------------------------------


def test_login_lands_each_role_on_its_page(workspace):
    sup, _ = logged_in(workspace, "sup")
    assert sup.get("/").headers["Location"].endswith("/queue")
    unit, _ = logged_in(workspace, "ying")
    assert unit.get("/").headers["Location"].endswith("/tasks")


def test_pages_need_a_session(workspace):
    client = workspace.client()
    for path in ("/", "/queue", "/tasks", "/findings/1", "/audit.csv", "/tasks.xlsx"):
        resp = client.get(path)
        assert resp.status_code == 302 and resp.headers["Location"].endswith("/login"), path
    assert client.post("/act", data={"action": "confirm", "ids": "1"}).status_code == 403


def test_wrong_password_and_unknown_user_are_refused_alike(workspace):
    client = workspace.client()
    assert login(client, "sup", "wrong password!").status_code == 401
    assert login(client, "nobody", PASSWORD).status_code == 401
    assert q(workspace, "SELECT count(*) FROM sessions")[0][0] == 0


def test_session_cookie_flags(workspace):
    client = workspace.client()
    resp = login(client, "sup")
    cookie = next(h for h in resp.headers.getlist("Set-Cookie") if h.startswith("zwgk_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    # the store keeps a hash of the token, never the token
    token = cookie.split(";")[0].split("=", 1)[1]
    assert q(workspace, "SELECT count(*) FROM sessions WHERE token_hash = ?", [token])[0][0] == 0


def test_secure_cookie_flag_forced_and_behind_an_https_proxy(workspace):
    from zwgk.web.app import create_app

    forced = create_app(workspace.db_path, secure_cookies=True).test_client()
    cookie = login(forced, "sup").headers.getlist("Set-Cookie")
    assert all("Secure" in c for c in cookie)
    proxied = create_app(workspace.db_path, behind_proxy=True).test_client()
    page = proxied.get("/login", headers={"X-Forwarded-Proto": "https"})
    resp = proxied.post(
        "/login",
        data={"username": "sup", "password": PASSWORD, "csrf": csrf_of(page.text)},
        headers={"X-Forwarded-Proto": "https"},
    )
    assert resp.status_code == 302
    assert all("Secure" in c for c in resp.headers.getlist("Set-Cookie"))


def test_logout_ends_the_session(workspace):
    client, csrf = logged_in(workspace, "sup")
    assert client.post("/logout", data={"csrf": csrf}).status_code == 302
    assert client.get("/queue").status_code == 302
    assert q(workspace, "SELECT count(*) FROM sessions")[0][0] == 0


def test_disabled_users_old_session_stops_working(workspace):
    client, csrf = logged_in(workspace, "ying")
    assert client.get("/tasks").status_code == 200
    db = accounts_db(workspace)
    accounts.disable_user(db, "ying")
    assert client.get("/tasks").status_code == 302
    resp = client.post("/findings/1/respond", data={"csrf": csrf, "text": "已改"})
    assert resp.status_code == 403
    assert q(workspace, "SELECT count(*) FROM finding_responses")[0][0] == 0
    assert login(workspace.client(), "ying").status_code == 401  # disabled: no new login


def test_passwd_ends_old_sessions(workspace):
    client, _ = logged_in(workspace, "sup")
    accounts.set_password(accounts_db(workspace), "sup", "another long password")
    assert client.get("/queue").status_code == 302
    assert login(workspace.client(), "sup", "another long password").status_code == 302


def accounts_db(workspace):
    from zwgk.store import open_db

    return open_db(workspace.db_path)


# --- CSRF ------------------------------------------------------------------------------------


def test_login_needs_its_csrf_token(workspace):
    client = workspace.client()
    client.get("/login")
    data = {"username": "sup", "password": PASSWORD}
    assert client.post("/login", data=data).status_code == 403
    assert client.post("/login", data={**data, "csrf": "forged"}).status_code == 403
    # a token from another browser's login page does not fit this browser's cookie
    other = workspace.client().get("/login").text
    assert client.post("/login", data={**data, "csrf": csrf_of(other)}).status_code == 403


@pytest.mark.parametrize("token", [None, "", "wrong", "x" * 43])
def test_every_post_needs_the_sessions_csrf_token(workspace, token):
    sup, _ = logged_in(workspace, "sup")
    unit, _ = logged_in(workspace, "ying")
    extra = {} if token is None else {"csrf": token}
    posts = [
        (sup, "/act", {"action": "confirm", "ids": "1"}),
        (sup, "/act", {"action": "reject", "ids": "2", "reason": "误报"}),
        (sup, "/act", {"action": "note", "ids": "1", "note": "n"}),
        (sup, "/act", {"action": "deadline", "ids": "1", "deadline": "2027-01-01"}),
        (sup, "/logout", {}),
        (unit, "/findings/1/respond", {"text": "已整改"}),
        (unit, "/logout", {}),
    ]
    for client, path, data in posts:
        assert client.post(path, data={**data, **extra}).status_code == 403, path
    for table in ("finding_reviews", "finding_notes", "finding_responses"):
        assert q(workspace, f"SELECT count(*) FROM {table}")[0][0] == 0
    assert q(workspace, "SELECT status FROM findings WHERE finding_id = 2")[0][0] == "open"
    assert q(workspace, "SELECT count(*) FROM sessions")[0][0] == 2  # nobody logged out


def test_one_users_csrf_token_does_not_work_for_another(workspace):
    sup, _ = logged_in(workspace, "sup")
    _, other_csrf = logged_in(workspace, "jyj")
    assert (
        sup.post("/act", data={"action": "confirm", "ids": "1", "csrf": other_csrf}).status_code
        == 403
    )


# --- rate limiting ---------------------------------------------------------------------------


def test_login_rate_limit_per_username(workspace):
    client = workspace.client()
    for _ in range(accounts.DEFAULTS["max_failed_per_user"]):
        assert login(client, "sup", "wrong password!").status_code == 401
    # locked out: even the right password is refused, without being checked
    assert login(client, "sup", PASSWORD).status_code == 429
    assert login(workspace.client(), "ying").status_code == 302  # other users unaffected
    rows = q(workspace, "SELECT action FROM audit_log WHERE action LIKE 'login%' ORDER BY audit_id")
    assert [r[0] for r in rows].count("login_limited") == 1


def test_login_rate_limit_per_client_address(workspace):
    client = workspace.client()
    for n in range(accounts.DEFAULTS["max_failed_per_client"]):
        login(client, f"guess{n}", "wrong password!")
    assert login(client, "ying").status_code == 429
    other = workspace.app.test_client()
    page = other.get("/login", environ_base={"REMOTE_ADDR": "127.0.0.9"})
    resp = other.post(
        "/login",
        data={"username": "ying", "password": PASSWORD, "csrf": csrf_of(page.text)},
        environ_base={"REMOTE_ADDR": "127.0.0.9"},
    )
    assert resp.status_code == 302


def test_the_review_section_sets_lockout_and_session_length(workspace):
    from zwgk import clock
    from zwgk.web.app import create_app

    config = {"review": {"max_failed_per_user": 2, "lockout_minutes": 5, "session_hours": 1}}
    client = create_app(workspace.db_path, config).test_client()
    saved = clock.os.environ.get(clock.ENV)
    try:
        clock.set_now("2026-03-02T09:00:00+08:00")
        for _ in range(2):
            assert login(client, "sup", "wrong password!").status_code == 401
        page = login(client, "sup")
        assert page.status_code == 429 and "请 5 分钟后再试" in page.text
        clock.set_now("2026-03-02T09:06:00+08:00")  # the 5-minute window has passed
        assert login(client, "sup").status_code == 302
        assert client.get("/queue").status_code == 200
        clock.set_now("2026-03-02T10:07:00+08:00")  # the 1-hour session has ended
        assert client.get("/queue").headers["Location"].endswith("/login")
    finally:
        clock.set_now(saved)


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"session_hours": 0}, "review: session_hours must be"),
        ({"lockout_minutes": "15m"}, "review: lockout_minutes must be"),
        ({"max_failed": 3}, "review: unknown option 'max_failed'"),
    ],
)
def test_a_bad_review_section_is_refused_naming_file_and_key(workspace, section, message):
    from zwgk.errors import ConfigError
    from zwgk.web.app import create_app

    with pytest.raises(ConfigError, match="zwgk.yaml: ") as err:
        create_app(workspace.db_path, {"review": section}, config_path="zwgk.yaml")
    assert message in str(err.value)


# --- isolation: unit A (yingjiang: findings 1, 2) against unit B (jyj: 3, 4, 6) -----------


def test_unit_user_cannot_read_another_units_finding(workspace):
    client, _ = logged_in(workspace, "ying")
    assert client.get("/findings/1").status_code == 200
    for other in (3, 4, 5, 6, 999, 0):
        resp = client.get(f"/findings/{other}")
        assert resp.status_code == 404, other
        assert "工作动态" not in resp.text and "市教育局" not in resp.text


def test_unit_user_cannot_answer_another_units_finding(workspace):
    client, csrf = logged_in(workspace, "ying")
    for other in (3, 4, 5, 6, 999):
        resp = client.post(f"/findings/{other}/respond", data={"csrf": csrf, "text": "改了"})
        assert resp.status_code == 404, other
    # form fields naming another finding or unit are ignored: the URL's id, the session's unit
    resp = client.post(
        "/findings/1/respond",
        data={"csrf": csrf, "text": "已整改", "finding_id": "6", "unit_id": "jyj", "ids": "6"},
    )
    assert resp.status_code == 302
    assert q(workspace, "SELECT finding_id, unit_id FROM finding_responses") == [(1, "yingjiang")]


def test_unit_user_gets_no_supervisor_page_or_action(workspace):
    client, csrf = logged_in(workspace, "ying")
    for path in ("/queue", "/queue?unit=jyj", "/runs", "/audit", "/audit.csv"):
        assert client.get(path).status_code == 404, path
    for action in ("confirm", "reject", "note", "deadline"):
        data = {"csrf": csrf, "action": action, "ids": ["1", "6"], "reason": "r", "note": "n",
                "deadline": "2027-01-01"}  # fmt: skip
        assert client.post("/act", data=data).status_code == 404, action
    assert q(workspace, "SELECT count(*) FROM finding_reviews")[0][0] == 0
    assert q(workspace, "SELECT status FROM findings WHERE finding_id = 1")[0][0] == "open"


def test_unit_pages_show_only_the_units_data(workspace):
    client, _ = logged_in(workspace, "jyj")
    page = client.get("/tasks?unit=yingjiang&unit_id=yingjiang").text
    assert "工作动态栏目页有1个链接无法访问" in page  # finding 6, its own
    assert "迎江区" not in page and "首页最新信息发布于" not in page and "412" not in page
    book = load_workbook(io.BytesIO(client.get("/tasks.xlsx?unit=yingjiang").data))
    cells = [str(c) for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert any("工作动态" in c for c in cells)
    assert not any("迎江" in c or "首页最新信息" in c for c in cells)


def test_supervisor_cannot_answer_for_a_unit(workspace):
    client, csrf = logged_in(workspace, "sup")
    assert client.post("/findings/1/respond", data={"csrf": csrf, "text": "x"}).status_code == 404


# --- supervisor actions ----------------------------------------------------------------------


def test_queue_newest_first_filtered_and_escaped(workspace):
    client, _ = logged_in(workspace, "sup")
    page = client.get("/queue").text
    # open findings: 1 and 5 (2026-11-27) before 6 and 2 (2026-11-20); ids descending within
    order = [page.index(f'id="f{n}"') for n in (5, 1, 6, 2)]
    assert order == sorted(order)
    assert 'id="f3"' not in page and 'id="f4"' not in page  # resolved, waived
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert 'href="javascript:' not in page
    only = client.get("/queue?unit=jyj").text
    assert 'id="f6"' in only and 'id="f1"' not in only
    veto = client.get("/queue?severity=veto").text
    assert 'id="f1"' in veto and 'id="f6"' not in veto
    rule = client.get("/queue?rule=crawl-failed").text
    assert 'id="f5"' in rule and 'id="f1"' not in rule


def test_bulk_confirm_note_deadline(workspace):
    client, csrf = logged_in(workspace, "sup")
    resp = client.post("/act", data={"csrf": csrf, "action": "confirm", "ids": ["1", "6"]})
    assert resp.status_code == 302
    page = client.get("/queue").text
    assert 'id="f1"' not in page and 'id="f6"' not in page and 'id="f5"' in page
    client.post("/act", data={"csrf": csrf, "action": "note", "ids": ["1", "5"], "note": "请尽快"})
    client.post(
        "/act", data={"csrf": csrf, "action": "deadline", "ids": ["1"], "deadline": "2027-01-15"}
    )
    assert q(workspace, "SELECT decision, deadline FROM finding_reviews WHERE finding_id = 1") == [
        ("confirmed", "2027-01-15")
    ]
    assert q(workspace, "SELECT count(*) FROM finding_notes")[0][0] == 2
    unit, _ = logged_in(workspace, "ying")
    tasks = unit.get("/tasks").text
    assert "2027-01-15" in tasks and "请尽快" in tasks


def test_bulk_action_with_one_foreign_or_unknown_id_writes_nothing(workspace):
    client, csrf = logged_in(workspace, "sup")
    for ids in (["1", "999"], ["1", "abc"]):
        resp = client.post("/act", data={"csrf": csrf, "action": "confirm", "ids": ids})
        assert resp.status_code in (400, 404)
    assert q(workspace, "SELECT count(*) FROM finding_reviews")[0][0] == 0


def test_reject_waives_through_the_waive_path_with_the_reason(workspace):
    client, csrf = logged_in(workspace, "sup")
    resp = client.post(
        "/act", data={"csrf": csrf, "action": "reject", "ids": ["2", "2"], "reason": "栏目已停用"}
    )
    assert resp.status_code == 302
    assert q(workspace, "SELECT status, waive_reason FROM findings WHERE finding_id = 2") == [
        ("waived", "栏目已停用")
    ]
    assert q(workspace, "SELECT event, note FROM finding_events WHERE finding_id = 2 AND"
                        " event = 'waived'") == [("waived", "栏目已停用")]  # fmt: skip
    assert q(workspace, "SELECT decision, reason FROM finding_reviews") == [
        ("rejected", "栏目已停用")
    ]
    assert 'id="f2"' not in client.get("/queue").text
    # a reason is required; a finding no longer open cannot be rejected again
    for data in ({"ids": ["1"], "reason": "  "}, {"ids": ["2"], "reason": "again"}):
        resp = client.post("/act", data={"csrf": csrf, "action": "reject", **data})
        assert resp.status_code == 400


def test_a_rejection_is_undone_in_the_browser(workspace):
    client, csrf = logged_in(workspace, "sup")
    client.post("/act", data={"csrf": csrf, "action": "reject", "ids": ["2"], "reason": "误报"})
    listed = client.get("/queue?view=rejected").text
    assert 'id="f2"' in listed and 'value="unreject"' in listed
    assert 'value="unreject"' in client.get("/findings/2").text
    # only a rejected finding can be un-rejected: nothing is written for an open one
    resp = client.post("/act", data={"csrf": csrf, "action": "unreject", "ids": ["1", "2"]})
    assert resp.status_code == 400
    assert q(workspace, "SELECT status FROM findings WHERE finding_id = 2")[0][0] == "waived"

    resp = client.post(
        "/act", data={"csrf": csrf, "action": "unreject", "ids": ["2"], "reason": "复核后仍存在"}
    )
    assert resp.status_code == 302
    assert q(workspace, "SELECT status, waive_reason FROM findings WHERE finding_id = 2") == [
        ("open", None)
    ]
    assert q(workspace, "SELECT event, note FROM finding_events WHERE finding_id = 2"
                        " AND event = 'unwaived'") == [("unwaived", "复核后仍存在")]  # fmt: skip
    assert q(workspace, "SELECT decision FROM finding_reviews WHERE finding_id = 2") == [(None,)]
    assert 'id="f2"' in client.get("/queue").text  # back in 待审核
    assert q(workspace, "SELECT action, detail FROM audit_log WHERE action = 'unreject'") == [
        ("unreject", "复核后仍存在")
    ]
    # a unit user cannot undo a supervisor's decision
    unit, unit_csrf = logged_in(workspace, "ying")
    resp = unit.post("/act", data={"csrf": unit_csrf, "action": "unreject", "ids": ["2"]})
    assert resp.status_code == 404


def test_reject_waits_for_a_running_crawl_then_says_so(workspace, monkeypatch):
    from zwgk.web import review

    monkeypatch.setattr(review, "WAIVE_WAIT_SECONDS", 0.3)
    client, csrf = logged_in(workspace, "sup")
    with run_lock(workspace.db_path):  # a monitoring run holds the store's results
        resp = client.post(
            "/act", data={"csrf": csrf, "action": "reject", "ids": ["2"], "reason": "误报"}
        )
    assert resp.status_code == 400 and "监测运行" in resp.text
    assert q(workspace, "SELECT status FROM findings WHERE finding_id = 2")[0][0] == "open"


def test_runs_page_shows_the_reports_numbers(workspace):
    client, _ = logged_in(workspace, "sup")
    page = client.get("/runs").text
    assert "网站合格率" in page and "66.7%" in page and "首页" in page


# --- unit responses and the re-check --------------------------------------------------------


def test_response_needs_text_and_an_http_evidence_url(workspace):
    client, csrf = logged_in(workspace, "ying")
    bad = ["javascript:alert(1)", "data:text/html,x", "ftp://x/y", "http://", "http://u:p@h/"]
    for url in bad:
        resp = client.post(
            "/findings/1/respond", data={"csrf": csrf, "text": "已整改", "evidence_url": url}
        )
        assert resp.status_code == 400, url
    assert client.post("/findings/1/respond", data={"csrf": csrf, "text": " "}).status_code == 400
    assert q(workspace, "SELECT count(*) FROM finding_responses")[0][0] == 0


def test_response_then_next_run_rechecks_both_ways(workspace):
    client, csrf = logged_in(workspace, "ying")
    for fid in (1, 2):
        resp = client.post(
            f"/findings/{fid}/respond",
            data={
                "csrf": csrf,
                "text": f"<b>已整改{fid}</b>",
                "evidence_url": "https://e.gov.cn/1",
            },
        )
        assert resp.status_code == 302
    page = client.get("/tasks").text
    assert page.count("已整改待复查") >= 2 and "&lt;b&gt;已整改1" in page
    # the next run (3): finding 1 resolved, finding 2 still firing (as checks/runner.py writes)
    conn = sqlite3.connect(workspace.db_path)
    with conn:
        at = "2026-11-28T08:00:00+08:00"
        conn.execute("INSERT INTO runs (run_id, kind, started_at, clock_at, status, units_total)"
                     " VALUES (3, 'run', ?, ?, 'completed', 3)", [at, at])  # fmt: skip
        conn.execute(
            "UPDATE findings SET status = 'resolved', resolved_at = ? WHERE finding_id = 1", [at]
        )
        conn.executemany(
            "INSERT INTO finding_events (finding_id, run_id, event, at) VALUES (?, 3, ?, ?)",
            [(1, "resolved", at), (2, "persisted", at)],
        )
    conn.close()
    tasks = client.get("/tasks").text
    assert "复查未通过" in tasks and "复查通过" in tasks
    sup, _ = logged_in(workspace, "sup")
    assert "复查通过" in sup.get("/findings/1").text
    assert "复查未通过" in sup.get("/findings/2").text
    answered = sup.get("/queue?view=responded").text  # the supervisor's list of answered tasks
    assert 'id="f1"' in answered and 'id="f2"' in answered and 'id="f6"' not in answered
    assert "复查通过" in answered and "复查未通过" in answered
    assert 'id="f1"' not in sup.get("/queue?view=open").text  # resolved
    assert 'id="f2"' in sup.get("/queue?view=nonsense").text  # unknown list: the review queue
    # the crawl wrote none of what people wrote: the response is still there, word for word
    assert q(workspace, "SELECT text FROM finding_responses ORDER BY response_id") == [
        ("<b>已整改1</b>",),
        ("<b>已整改2</b>",),
    ]
    # 复查未通过: the unit answers again, pending until the following run
    client.post("/findings/2/respond", data={"csrf": csrf, "text": "再次整改"})
    assert "已整改待复查" in client.get("/findings/2").text
    audit = sup.get("/audit").text
    assert "复查通过" in audit and "复查未通过" in audit
    # a closed finding takes no more responses
    assert client.post("/findings/1/respond", data={"csrf": csrf, "text": "x"}).status_code == 400


# --- audit log -------------------------------------------------------------------------------


def test_audit_log_records_and_exports(workspace):
    sup, csrf = logged_in(workspace, "sup")
    login(workspace.client(), "sup", "wrong password!")
    sup.post("/act", data={"csrf": csrf, "action": "confirm", "ids": ["1"]})
    sup.post(
        "/act", data={"csrf": csrf, "action": "reject", "ids": ["2"], "reason": "=HYPERLINK(1)"}
    )
    unit, ucsrf = logged_in(workspace, "jyj")
    unit.post("/findings/6/respond", data={"csrf": ucsrf, "text": "已修复链接"})
    actions = [r[0] for r in q(workspace, "SELECT action FROM audit_log ORDER BY audit_id")]
    assert actions == ["login", "login_failed", "confirm", "reject", "login", "respond"]
    who = q(workspace, "SELECT username, unit_id FROM audit_log WHERE action = 'respond'")
    assert who == [("jyj", "jyj")]
    csv = sup.get("/audit.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    text = csv.data.decode("utf-8-sig")
    assert text.splitlines()[0] == "时间,用户,操作,单位,问题编号,内容,客户端地址"
    assert "误报豁免" in text and "提交整改情况" in text and "'=HYPERLINK(1)" in text


# --- the CLI ---------------------------------------------------------------------------------


def test_user_cli(workspace):
    pw = PASSWORD
    ok = zwgk_cli("user", "add", "--db", str(workspace.db_path), "li", "--role", "unit",
                  "--unit", "longshi", "--password-stdin", stdin=pw + "\n")  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    bad = zwgk_cli("user", "add", "--db", str(workspace.db_path), "x2", "--role", "unit",
                   "--unit", "nosuch", "--password-stdin", stdin=pw + "\n")  # fmt: skip
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert "nosuch" in bad.stderr
    short = zwgk_cli("user", "add", "--db", str(workspace.db_path), "x3", "--role", "supervisor",
                     "--password-stdin", stdin="short\n")  # fmt: skip
    assert short.returncode == 2
    listed = zwgk_cli("user", "list", "--db", str(workspace.db_path))
    assert "li" in listed.stdout and "longshi" in listed.stdout
    assert zwgk_cli("user", "disable", "--db", str(workspace.db_path), "li").returncode == 0
    assert login(workspace.client(), "li").status_code == 401


def test_pages_are_html_with_a_strict_policy(workspace):
    client = workspace.client()
    login_page = client.get("/login")
    assert login_page.mimetype == "text/html"
    sup, _ = logged_in(workspace, "sup")
    for path in ("/login", "/queue", "/findings/1", "/runs", "/audit"):
        resp = (client if path == "/login" else sup).get(path)
        assert resp.mimetype == "text/html", path
        assert "script-src" not in resp.headers["Content-Security-Policy"]  # none at all
        assert resp.headers["X-Frame-Options"] == "DENY"


def test_a_crawl_holding_the_store_gets_a_retry_page_not_a_crash(workspace):
    workspace.app.config["ZWGK_BUSY_MS"] = 200
    client, csrf = logged_in(workspace, "sup")
    crawl = sqlite3.connect(workspace.db_path, isolation_level=None)
    crawl.execute("BEGIN IMMEDIATE")  # as the checks runner's one transaction does
    try:
        assert client.get("/queue").status_code == 200  # WAL: reading never waits
        resp = client.post("/act", data={"csrf": csrf, "action": "confirm", "ids": ["1"]})
        assert resp.status_code == 503 and "稍后重试" in resp.text
    finally:
        crawl.execute("ROLLBACK")
        crawl.close()
    resp = client.post("/act", data={"csrf": csrf, "action": "confirm", "ids": ["1"]})
    assert resp.status_code == 302


def test_overdue_tasks_are_marked_for_the_unit(workspace):
    sup, csrf = logged_in(workspace, "sup")
    sup.post(
        "/act", data={"csrf": csrf, "action": "deadline", "ids": ["2"], "deadline": "2026-01-05"}
    )
    for bad in ("", "2026-13-01", "tomorrow"):
        resp = sup.post(
            "/act", data={"csrf": csrf, "action": "deadline", "ids": ["1"], "deadline": bad}
        )
        assert resp.status_code == 400
    unit, _ = logged_in(workspace, "ying")
    page = unit.get("/tasks").text
    card = page[page.index('id="f2"') :]
    assert "2026-01-05（已逾期）" in card
    assert '<div class="value" style="color:var(--bad)">1</div>' in page  # 已逾期 count
