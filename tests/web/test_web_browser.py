"""The review workspace in headless Debian chromium (Playwright driving /usr/bin/chromium), on
the demo farm's real store: a supervisor reviews the queue and rejects a false positive, a unit
answers two tasks, the next `zwgk run` (day 2 of the loopback farm) re-checks them, and both
sides see 复查通过 and 复查未通过. Everything listens on 127.0.0.1 only.

ZWGK_REVIEW_SCREENSHOT=docs/review.png also saves the README's screenshot of the queue.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from web_helpers import PASSWORD, run_day2

pytestmark = [pytest.mark.browser, pytest.mark.farm]
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: apt-get install -y chromium fonts-noto-cjk")
        pytest.skip("chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield b
        finally:
            b.close()


def serve(db_path: Path):
    """waitress (the server `zwgk serve` uses) on a free loopback port, from a thread."""
    from waitress import create_server

    from zwgk.web.app import create_app

    server = create_server(create_app(db_path), host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    return server, f"http://127.0.0.1:{server.effective_port}"


def pick_findings(final_db: Path) -> tuple[str, int, int, int]:
    """(unit, finding fixed on day 2, finding still firing on day 2, another open finding to
    reject) of one unit of the farm, from the two-day store the session crawled."""
    conn = sqlite3.connect(final_db)
    rows = conn.execute(
        "SELECT unit_id, finding_id, status FROM findings WHERE opened_run_id = 1"
        " ORDER BY unit_id, finding_id"
    ).fetchall()
    conn.close()
    by_unit: dict[str, dict[str, list[int]]] = {}
    for unit, fid, status in rows:
        by_unit.setdefault(unit, {}).setdefault(status, []).append(fid)
    for unit, states in by_unit.items():
        if states.get("resolved") and len(states.get("open", [])) >= 2:
            return unit, states["resolved"][0], states["open"][0], states["open"][1]
    pytest.fail(f"no farm unit with a fixed and two persisting findings: {by_unit}")


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


def test_review_answer_recheck_in_chromium(browser, crawled, demo_farm, tmp_path):
    from zwgk.store import open_db
    from zwgk.web.accounts import add_user

    unit, fixed, persisting, false_positive = pick_findings(crawled.db)
    db_path = tmp_path / "zwgk.db"
    shutil.copy(crawled.db_day1, db_path)
    db = open_db(db_path)
    add_user(db, "ducha", "supervisor", None, PASSWORD)
    add_user(db, "danwei", "unit", unit, PASSWORD)
    db.conn.close()
    server, base = serve(db_path)
    try:
        # --- the supervisor reviews the queue and rejects a false positive -----------------
        sup = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        log_in(sup, base, "ducha")
        assert sup.url.endswith("/queue"), sup.content()[-1500:]
        assert sup.locator(".card").count() > 3
        sup.select_option("select[name=unit]", unit)
        with sup.expect_navigation():
            sup.click("text=筛选")
        cards = sup.locator(".card")
        assert cards.count() >= 3 and sup.locator(f"#f{false_positive}").is_visible()
        if shot := os.environ.get("ZWGK_REVIEW_SCREENSHOT"):
            sup.screenshot(path=shot, full_page=False)
        sup.check(f"#f{false_positive} input.pick")
        sup.fill("#bulk input[name=reason]", "该栏目已按要求停更，属误报")
        with sup.expect_navigation():
            sup.click("#bulk button[value=reject]")
        assert "误报豁免 1 条" in sup.inner_text(".flash")
        assert sup.locator(f"#f{false_positive}").count() == 0
        sup.check(f"#f{fixed} input.pick")
        sup.check(f"#f{persisting} input.pick")
        with sup.expect_navigation():
            sup.click("#bulk button[value=confirm]")
        assert sup.locator(f"#f{fixed}").count() == 0
        sup.goto(f"{base}/findings/{false_positive}")
        assert "该栏目已按要求停更，属误报" in sup.inner_text("main")

        # --- the unit answers two tasks, on a phone-width screen ---------------------------
        phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
        log_in(phone, base, "danwei")
        assert phone.url.endswith("/tasks")
        assert phone.locator(f"#f{false_positive}").count() == 0  # waived: no task
        for path in ("/tasks", f"/findings/{fixed}"):  # usable at phone width: no sideways scroll
            phone.goto(base + path)
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390 + 1, f"{path} wider than a phone: {width}px"
        phone.goto(f"{base}/tasks")
        for fid, text in ((fixed, "已更新栏目内容"), (persisting, "已安排专人更新")):
            card = phone.locator(f"#f{fid}")
            card.locator("textarea[name=text]").fill(text)
            card.locator("input[name=evidence_url]").fill("https://example.gov.cn/zgqk/1.html")
            with phone.expect_navigation():
                card.locator("button[type=submit]").click()
            assert "已整改待复查" in phone.inner_text(f"#f{fid}")
    finally:
        server.close()

    # --- the next crawl (day 2 on the farm) re-checks --------------------------------------
    run = run_day2(crawled, demo_farm, db_path)
    assert run.returncode in (0, 1), run.stderr[-2000:]

    server, base = serve(db_path)
    try:
        phone.goto(f"{base}/tasks")
        assert "复查未通过" in phone.inner_text(f"#f{persisting}")
        assert "复查通过" in phone.inner_text(f"#f{fixed}")  # listed under the closed tasks
        assert "已更新栏目内容" in phone.inner_text(f"#f{fixed}")  # the unit's words kept
        sup.goto(f"{base}/findings/{fixed}")
        assert "复查通过" in sup.inner_text("main")
        sup.goto(f"{base}/findings/{persisting}")
        assert "复查未通过" in sup.inner_text("main")
        sup.goto(f"{base}/audit")
        log = sup.inner_text("main")
        assert "误报豁免" in log and "提交整改情况" in log and "复查通过" in log
    finally:
        server.close()
