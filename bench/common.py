"""Shared helpers for the benchmark scripts: run the CLI, read a run's stats, print tables."""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DAY1 = "2026-11-29T08:00:00+08:00"
DAY2 = "2026-11-30T08:00:00+08:00"


def env() -> dict[str, str]:
    out = dict(os.environ)
    out["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), out.get("PYTHONPATH")]))
    out.pop("ZWGK_NOW", None)
    return out


def cpu_children() -> float:
    """CPU seconds (user + system) of finished child processes and their waited-for children:
    `zwgk run` and its crawl process. Robust to a busy machine, unlike wall time."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def zwgk_run(units: Path, db: Path, config: Path, now: str, *extra: str) -> dict:
    """`zwgk run` as a user runs it; returns the run's pages, crawl seconds, wall time and the
    CPU seconds of the run's processes."""
    cpu0 = cpu_children()
    t0 = time.monotonic()
    r = subprocess.run(
        [sys.executable, "-c", "from zwgk.cli import main; main()", "run", "--units", str(units), "--db", str(db),
         "--config", str(config), "--no-progress", "--now", now, *extra],
        capture_output=True, text=True, env=env(), cwd=REPO,
    )  # fmt: skip
    wall = time.monotonic() - t0
    cpu = cpu_children() - cpu0
    if r.returncode != 0:
        raise SystemExit(f"zwgk run failed ({r.returncode}):\n{r.stderr[-3000:]}")
    conn = sqlite3.connect(db)
    run_id, pages, stats = conn.execute(
        "SELECT run_id, pages_fetched, stats FROM runs ORDER BY run_id DESC LIMIT 1"
    ).fetchone()
    conn.close()
    stats = json.loads(stats)
    return {
        "run_id": run_id,
        "pages": pages,
        "crawl_s": stats["crawl_seconds"],
        "wall_s": wall,
        "cpu_s": cpu,
        "stats": stats,
    }


def table(title: str, header: list[str], rows: list[list]) -> str:
    cells = [[str(c) for c in r] for r in [header, *rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = [
        f"\n{title}",
        "| " + " | ".join(h.ljust(w) for h, w in zip(cells[0], widths, strict=True)) + " |",
    ]
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in cells[1:]:
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |")
    out = "\n".join(lines)
    print(out, flush=True)
    return out


def write_config(path: Path, **crawl) -> Path:
    body = ", ".join(f"{k}: {v}" for k, v in crawl.items())
    path.write_text(f"crawl: {{{body}}}\n", encoding="utf-8")
    return path
