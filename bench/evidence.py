"""Benchmark 7: the evidence archive's cost (#16). The same two-day run with the archive on and
off, alternating: crawl time (Scrapy's own elapsed time), run wall time (crawl, checks, evidence
links, reports), the archive's size on disk and the pages it holds.

    python -m bench.evidence [--farm demo|big] [--repeat 3] [--sites 40 --columns 20]

`demo` is the bundled demo city (zwgk/farm, 15 units, detail pages read); `big` is
bench/bigfarm.py's generated farm (TRS list pages and detail pages).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import tempfile
from pathlib import Path

from bench.common import DAY1, DAY2, cpu_children, table, zwgk_run
from bench.crawl_throughput import elapsed

CRAWL = (
    "delay_seconds: 0.001, concurrency_per_host: 4, concurrency: 64, autothrottle: false,"
    " timeout_seconds: 20, retries: 1"
)


def archive_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("*.warc.gz")) if folder.is_dir() else 0


def one_run(farm, units: Path, work: Path, db: Path, evidence: bool, day: int) -> dict:
    config = work / f"config-{'on' if evidence else 'off'}.yaml"
    config.write_text(
        f"crawl: {{{CRAWL}, detail_pages: new}}\n"
        f"evidence: {{enabled: {'true' if evidence else 'false'}}}\n",
        encoding="utf-8",
    )
    farm.set_day(day)
    before = cpu_children()
    r = zwgk_run(units, db, config, DAY1 if day == 1 else DAY2)
    cpu = cpu_children() - before
    log = work / "logs" / f"crawl-{r['run_id']}.log"
    out = {"crawl": elapsed(log), "wall": r["wall_s"], "cpu": cpu, "pages": r["pages"]}
    log.rename(work / f"{db.stem}-day{day}.log")
    return out


def sizes(db: Path) -> dict:
    conn = sqlite3.connect(db)
    records, payload = conn.execute(
        "SELECT count(*), coalesce(sum(bytes), 0) FROM evidence_records"
    ).fetchone()
    captures = conn.execute("SELECT count(*) FROM captures").fetchone()[0]
    # bytes of each evidence table with its indexes (SQLite's dbstat: whole pages)
    tables = dict(
        conn.execute(
            "SELECT m.tbl_name, sum(s.pgsize) FROM dbstat s JOIN sqlite_master m ON m.name = s.name"
            " WHERE m.tbl_name IN ('captures', 'evidence_records') GROUP BY m.tbl_name"
        ).fetchall()
    )
    conn.close()
    return {
        "archive": archive_bytes(db.with_name(db.name + ".evidence")),
        "records": records,
        "payload": payload,
        "captures": captures,
        "captures_bytes": tables.get("captures", 0),
        "records_bytes": tables.get("evidence_records", 0),
        "db": db.stat().st_size,
    }


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
    else:
        from bench.bigfarm import BigFarm

        farm_cm = BigFarm(work / "farm", sites=a.sites, columns=a.columns)
    runs: dict[tuple[int, bool], list[dict]] = {}
    with farm_cm as farm:
        units = work / "units.yaml"
        shutil.copy(farm.units_path, units)
        # Day 1 (a first crawl: every page new) N times each, alternating, fresh stores; day 2
        # (the daily incremental run) N times each from copies of one day-1 store per setting.
        for n in range(a.repeat):
            for on in (False, True) if n % 2 == 0 else (True, False):
                db = work / f"day1-{'on' if on else 'off'}-{n}.db"
                runs.setdefault((1, on), []).append(one_run(farm, units, work, db, on, 1))
        for n in range(a.repeat):
            for on in (False, True) if n % 2 == 0 else (True, False):
                tag = "on" if on else "off"
                db = work / f"day2-{tag}-{n}.db"
                shutil.copy(work / f"day1-{tag}-0.db", db)
                if on:
                    shutil.copytree(
                        work / "day1-on-0.db.evidence", db.with_name(db.name + ".evidence")
                    )
                runs.setdefault((2, on), []).append(one_run(farm, units, work, db, on, 2))
        farm.set_day(1)

    def cell(day: int, key: str) -> list[str]:
        off = [r[key] for r in runs[(day, False)]]
        on = [r[key] for r in runs[(day, True)]]
        b_off, b_on = min(off), min(on)
        m_off, m_on = statistics.median(off), statistics.median(on)
        return [f"{b_off:.2f} / {b_on:.2f} ({(b_on / b_off - 1) * 100:+.1f}%)",
                f"{m_off:.2f} / {m_on:.2f} ({(m_on / m_off - 1) * 100:+.1f}%)"]  # fmt: skip

    rows = []
    for day in (1, 2):
        for key, name in (("cpu", "CPU s, whole run"), ("crawl", "crawl s"), ("wall", "run s")):
            rows.append([f"day {day}", runs[(day, True)][0]["pages"], name, *cell(day, key)])
    table(
        f"Evidence archive cost: {a.farm} farm, {a.repeat} runs each, alternating (off / on)",
        ["run", "pages", "measure", "best off / on", "median off / on"],
        rows,
    )
    on1, off1 = sizes(work / "day1-on-0.db"), sizes(work / "day1-off-0.db")
    on2, off2 = sizes(work / "day2-on-0.db"), sizes(work / "day2-off-0.db")
    table(
        "Archive and store size",
        ["after", "WARC on disk", "pages stored", "uncompressed", "captures", "db on", "db off"],
        [[label, f"{on['archive'] / 1e6:.2f} MB", on["records"], f"{on['payload'] / 1e6:.2f} MB",
          on["captures"], f"{on['db'] / 1e6:.2f} MB", f"{off['db'] / 1e6:.2f} MB"]
         for label, on, off in (("day 1", on1, off1), ("day 2", on2, off2))],
    )  # fmt: skip
    table(
        "Store bytes per page (archive on - off, and the evidence tables with their indexes)",
        ["after", "pages", "db on - off", "captures table", "evidence_records table"],
        [[label, pages, f"{(on['db'] - off['db']) / pages:.0f} B a page",
          f"{on['captures_bytes'] / max(on['captures'], 1):.1f} B a capture",
          f"{on['records_bytes'] / max(on['records'], 1):.1f} B a record"
          f" ({on['records_bytes'] / pages:.1f} B a page)"]
         for label, on, off, pages in (
             ("day 1", on1, off1, on1["captures"]), ("day 2", on2, off2, on2["captures"]))],
    )  # fmt: skip
    print("all runs: CPU s (crawl s)")
    for (day, on), rs in sorted(runs.items()):
        print(f"  day {day} evidence {'on ' if on else 'off'}: "
              + "; ".join(f"{r['cpu']:.2f} ({r['crawl']:.1f})" for r in rs))  # fmt: skip
    print(f"work dir: {work}")


if __name__ == "__main__":
    main()
