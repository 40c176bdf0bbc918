"""Benchmarks 3 and 4: the checks over a province-sized store (1,000,000 items, 100,000
columns) and the reports for 500 units. Each measured step runs in a child process, so its peak
memory (ru_maxrss, which counts SQLite's page cache and sorts, not just Python objects) is its
own.

    python -m bench.scale checks [--units 1000 --columns 100 --items 10]
    python -m bench.scale reports [--units 500]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import REPO, env, table
from bench.synthstore import DAY2, build, make_units


def child(step: str, db: Path, run_id: int, n_units: int, out: Path | None) -> None:
    """Runs in the child: one step, then its wall time and peak RSS as JSON on stdout."""
    from zwgk import clock, store

    clock.set_now(DAY2)
    units = make_units(n_units)
    conn = store.open_db(db)
    t0 = time.monotonic()
    extra: dict = {}
    if step == "checks":
        from checks.runner import run_checks

        res = run_checks(conn, run_id, units, None)
        extra = {"open": res.open_count, "crashed": sorted(res.crashed)}
    else:
        from reports.build import write_reports

        write_reports(conn, run_id, out, {})
        extra = {"files": sum(1 for p in out.rglob("*") if p.is_file())}
    seconds = time.monotonic() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "maxrss_mib": rss, **extra}))


def measure(step: str, db: Path, run_id: int, n_units: int, out: Path | None = None) -> dict:
    args = [sys.executable, "-m", "bench.scale", "--child", step, "--db", str(db),
            "--run", str(run_id), "--units", str(n_units)]  # fmt: skip
    if out is not None:
        args += ["--out", str(out)]
    r = subprocess.run(args, capture_output=True, text=True, env=env(), cwd=REPO)
    if r.returncode != 0:
        raise SystemExit(f"{step} failed:\n{r.stderr[-3000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("step", choices=["checks", "reports"])
    ap.add_argument("--units", type=int, default=None)
    ap.add_argument("--columns", type=int, default=100)
    ap.add_argument("--items", type=int, default=10)
    ap.add_argument("--child", action="store_true")
    ap.add_argument("--db", type=Path)
    ap.add_argument("--run", type=int)
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()
    if a.child:
        child(a.step, a.db, a.run, a.units, a.out)
        return
    n_units = a.units or (1000 if a.step == "checks" else 500)
    columns = a.columns if a.step == "checks" else 40
    work = Path(tempfile.mkdtemp(prefix=f"zwgk-bench-{a.step}-"))
    db = work / "zwgk.db"
    t0 = time.monotonic()
    _units, run_id = build(db, n_units, columns, a.items)
    built = time.monotonic() - t0
    import sqlite3

    conn = sqlite3.connect(db)
    n_cols, n_items = conn.execute(
        "SELECT (SELECT count(*) FROM columns), (SELECT count(*) FROM items)"
    ).fetchone()
    conn.close()
    if a.step == "checks":
        m = measure("checks", db, run_id, n_units)
        table(
            f"Checks over a synthetic store ({n_units} units; built in {built:.0f} s)",
            ["columns", "items", "run_checks s", "peak RSS MiB", "open findings", "crashed"],
            [[n_cols, n_items, f"{m['seconds']:.1f}", f"{m['maxrss_mib']:.0f}", m["open"],
              ",".join(m["crashed"]) or "none"]],
        )  # fmt: skip
    else:
        measure("checks", db, run_id, n_units)  # findings and verdicts for the reports
        out = work / "out"
        m = measure("reports", db, run_id, n_units, out)
        table(
            f"Reports for {n_units} units ({n_cols} columns, {n_items} items)",
            ["units", "files written", "write_reports s", "peak RSS MiB"],
            [[n_units, m["files"], f"{m['seconds']:.1f}", f"{m['maxrss_mib']:.0f}"]],
        )
    print(f"work dir: {work}")


if __name__ == "__main__":
    main()
