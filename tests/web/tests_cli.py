"""Run the real `zwgk` command line in a subprocess (stdin for --password-stdin)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def zwgk_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("ZWGK_NOW", None)
    return subprocess.run(
        [sys.executable, "-m", "zwgk.cli", *args],
        input=stdin, capture_output=True, text=True, timeout=60, env=env, cwd=REPO,
    )  # fmt: skip
