"""Benchmark 7: the evidence archive's cost (#16). The same two-day run with the archive on and
off, alternating: crawl time (Scrapy's own elapsed time), run wall time (crawl, checks, evidence
links, reports), the archive's size on disk and the pages it holds.

    python -m bench.evidence [--farm demo|big] [--repeat 3] [--sites 40 --columns 20]

`demo` is the bundled demo city (zwgk/farm, 15 units, detail pages read); `big` is
bench/bigfarm.py's generated farm (TRS list pages and detail pages).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sqlite3
import tempfile
from pathlib import Path

from bench.common import DAY1, DAY2, table, zwgk_run
from bench.crawl_throughput import elapsed

CRAWL = (
    "delay_seconds: 0.001, concurrency_per_host: 4, concurrency: 64, autothrottle: false,"
    " timeout_seconds: 20, retries: 1"
)


def cpu_children() -> float:
    """CPU seconds (user + system) of finished child processes and their waited-for children:
    `zwgk run` and its crawl process. Robust to a busy machine, unlike wall time."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def archive_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("*.warc.gz")) if folder.is_dir() else 0


def two_days(farm, units: Path, work: Path, tag: str, evidence: bool, detail: str) -> dict:
    config = work / f"config-{tag}.yaml"
    config.write_text(
        f"crawl: {{{CRAWL}, detail_pages: {detail}}}\n"
        f"evidence: {{enabled: {'true' if evidence else 'false'}}}\n",
        encoding="utf-8",
    )
    db = work / f"{tag}.db"
    out: dict = {"crawl": [], "wall": [], "pages": [], "cpu": []}
    for day, now in ((1, DAY1), (2, DAY2)):
        farm.set_day(day)
        before = cpu_children()
        r = zwgk_run(units, db, config, now)
        out["cpu"].append(cpu_children() - before)
        log = work / "logs" / f"crawl-{r['run_id']}.log"
        out["crawl"].append(elapsed(log))
        out["wall"].append(r["wall_s"])
        out["pages"].append(r["pages"])
        log.rename(work / f"{tag}-day{day}.log")
    farm.set_day(1)
    folder = db.with_name(db.name + ".evidence")
    out["archive"] = archive_bytes(folder)
    conn = sqlite3.connect(db)
    out["records"], out["payload"] = conn.execute(
        "SELECT count(*), coalesce(sum(bytes), 0) FROM evidence_records"
    ).fetchone()
    out["captures"] = conn.execute("SELECT count(*) FROM captures").fetchone()[0]
    out["db"] = db.stat().st_size
    conn.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--farm", choices=["demo", "big"], default="demo")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sites", type=int, default=40)
    ap.add_argument("--columns", type=int, default=20)
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="zwgk-bench-evidence-"))
    if a.farm == "demo":
        from zwgk import clock
        from zwgk.farm.server import FarmProcess

        farm_cm = FarmProcess(work / "farm", seed=7, now=clock.parse(DAY1))
        detail = "new"
    else:
        from bench.bigfarm import BigFarm

        farm_cm = BigFarm(work / "farm", sites=a.sites, columns=a.columns)
        detail = "new"
    runs: dict[bool, list[dict]] = {True: [], False: []}
    with farm_cm as farm:
        units = work / "units.yaml"
        shutil.copy(farm.units_path, units)
        for n in range(a.repeat):
            for on in (False, True) if n % 2 == 0 else (True, False):
                tag = f"{'on' if on else 'off'}-{n}"
                runs[on].append(two_days(farm, units, work, tag, on, detail))

    def best(rs: list[dict], key: str, day: int) -> float:
        return min(r[key][day] for r in rs)

    rows = []
    for day in (0, 1):
        off_c, on_c = best(runs[False], "crawl", day), best(runs[True], "crawl", day)
        off_w, on_w = best(runs[False], "wall", day), best(runs[True], "wall", day)
        off_u, on_u = best(runs[False], "cpu", day), best(runs[True], "cpu", day)
        rows.append([
            f"day {day + 1}", runs[True][0]["pages"][day], f"{off_c:.1f}", f"{on_c:.1f}",
            f"{(on_c / off_c - 1) * 100:+.1f}%", f"{off_w:.1f}", f"{on_w:.1f}",
            f"{(on_w / off_w - 1) * 100:+.1f}%", f"{off_u:.1f}", f"{on_u:.1f}",
            f"{(on_u / off_u - 1) * 100:+.1f}%",
        ])  # fmt: skip
    table(
        f"Evidence archive cost: {a.farm} farm, two days, best of {a.repeat} each, alternating",
        ["run", "pages", "crawl s off", "crawl s on", "crawl +", "run s off", "run s on",
         "run +", "CPU s off", "CPU s on", "CPU +"],
        rows,
    )  # fmt: skip
    on = runs[True][0]
    table(
        "Archive after two days",
        ["WARC on disk", "pages stored", "uncompressed", "captures", "store (db) on", "db off"],
        [[f"{on['archive'] / 1e6:.2f} MB", on["records"], f"{on['payload'] / 1e6:.2f} MB",
          on["captures"], f"{on['db'] / 1e6:.2f} MB",
          f"{runs[False][0]['db'] / 1e6:.2f} MB"]],
    )  # fmt: skip
    print("all runs, day 1 / day 2: crawl s (CPU s of the whole run)")
    for flag in (False, True):
        print(f"  evidence {'on ' if flag else 'off'}: " + "; ".join(
            f"{r['crawl'][0]:.1f} ({r['cpu'][0]:.1f}) / {r['crawl'][1]:.1f} ({r['cpu'][1]:.1f})"
            for r in runs[flag]))  # fmt: skip
    print(f"work dir: {work}")


if __name__ == "__main__":
    main()
