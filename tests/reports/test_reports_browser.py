"""index.html in headless Chromium (Debian's `chromium`, no network): what a person sees."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from reports_fixture import VETO_SUMMARY

from reports.meta import rule_meta

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def chromium() -> str:
    path = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail("chromium is missing: apt-get install -y chromium fonts-noto-cjk")
    pytest.skip("chromium is not installed (apt-get install -y chromium fonts-noto-cjk)")


def run_chromium(tmp_path: Path, *args: str) -> str:
    cmd = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.browser
def test_index_in_headless_chromium(reports, tmp_path):
    dom = run_chromium(tmp_path, "--dump-dom", reports.index.resolve().as_uri())
    assert re.search(r'id="pass-rate".*?<div class="value">66\.7%</div>', dom, re.S)
    failed = dom[dom.index('id="failed"') : dom.index('id="by-rule"')]
    assert rule_meta("homepage-stale").title_zh in failed
    # the findings table is built by the inline script: its rows exist only if the JS ran
    table = dom[dom.index('id="findings-table"') : dom.index('id="findings-data"')]
    assert "显示 4 / 共 4 个问题" in dom
    assert VETO_SUMMARY in table
    assert table.count("<tr>") == 5  # header + 4 open findings
    # the scraped <script> title was inserted as text, never as markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;关于开展检查的通知" in table
    assert 'href="javascript:' not in dom
