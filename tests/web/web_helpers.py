"""Helpers of the workspace tests (a module of its own: `conftest` is a name every test folder
has, so tests never import from it)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from zwgk import clock

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
REPO = Path(__file__).resolve().parents[2]
DAY1 = "2026-11-29T08:00:00+08:00"  # the session farm's day 1 (tests/conftest.py)


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, html[:500]
    return found.group(1)


def login(client, username: str, password: str = PASSWORD):
    page = client.get("/login")
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf": csrf_of(page.text)},
    )


def logged_in(workspace, username: str):
    """A test client with a live session, and the session's CSRF token."""
    client = workspace.client()
    assert login(client, username).status_code == 302
    home = client.get("/", follow_redirects=True)
    return client, csrf_of(home.text)


def zwgk_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    """The real `zwgk` command line in a subprocess (stdin for --password-stdin)."""
    env = dict(os.environ)
    env.pop(clock.ENV, None)
    return subprocess.run(
        [sys.executable, "-m", "zwgk.cli", *args],
        input=stdin, capture_output=True, text=True, timeout=300, env=env, cwd=REPO,
    )  # fmt: skip


def run_day2(crawled, demo_farm, db_path: Path) -> subprocess.CompletedProcess:
    """The next `zwgk run` on `db_path` (a copy of the session's day-1 store), with the
    session crawl's units and configuration, the farm switched to day 2 meanwhile."""
    day2 = (clock.parse(DAY1) + timedelta(days=1)).isoformat()
    work = crawled.units.parent
    demo_farm.set_day(2)
    try:
        return zwgk_cli(
            "run", "--units", str(crawled.units), "--db", str(db_path),
            "--config", str(work / "config.yaml"), "--no-progress", "--now", day2,
        )  # fmt: skip
    finally:
        demo_farm.set_day(1)
