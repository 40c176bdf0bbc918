"""Checks at scale: 102,000 columns and 1,020,000 items in two runs; prints run_checks time and
peak memory (target < 30 s, < 1 GiB). Run: .venv/bin/python tests/checks/bench_checks.py [DB]
(builds DB on first use, reuses it after: the second run exercises the persisted path)."""

import random
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from checks.runner import run_checks
from zwgk import clock, store
from zwgk.units import Unit

path = Path(sys.argv[1] if len(sys.argv) > 1 else "bench-checks.db")
build = not path.exists()
db = store.open_db(path)
N_UNITS, COLS, ITEMS = 1000, 100, 10
units = [
    Unit(
        code=f"u{i}",
        name=f"单位{i}",
        kind=random.choice(["county", "department"]),
        disclosure=f"http://127.0.0.1/u{i}/xxgk/",
        portal=f"http://127.0.0.1/u{i}/" if i % 10 == 0 else None,
    )
    for i in range(N_UNITS)
]
cats = ["news", "notice", "periodic", "static"]
if build:
    t = time.time()
    rnd = random.Random(1)
    clock.set_now("2026-11-28T08:00:00+08:00")
    sites = store.sync_units(db, units)
    r1 = store.start_run(db)
    clock.set_now("2026-11-29T08:00:00+08:00")
    r2 = store.start_run(db)
    conn = db.conn
    conn.execute("BEGIN")
    cid = 0
    iid = 0
    cols, items, cruns, sruns, secs = [], [], [], [], []
    today = date(2026, 11, 29)
    for u in units:
        for role in ("disclosure", "portal"):
            sid = sites.get((u.code, role))
            if sid is None:
                continue
            for r in (r1, r2):
                sruns.append((r, sid, "ok", "2026-11-29T08:00:00+08:00"))
                for s in ("guide", "system", "annual", "request"):
                    secs.append((r, sid, s, s, f"http://{u.code}/{s}", 200, 1))
            ncols = COLS if role == "disclosure" else 20
            for k in range(ncols):
                cid += 1
                name = f"栏目{k % 20}" + ("动态" if k % 4 == 0 else "")
                cols.append(
                    (
                        cid,
                        sid,
                        u.code,
                        f"http://{u.code}.test/{role}/c{k}/",
                        name,
                        f"法定主动公开内容/{name}{k}",
                        cats[k % 4],
                        None,
                        0,
                    )
                )
                for r in (r1, r2):
                    cruns.append((r, cid, "ok", ITEMS, "2026-11-29T08:00:00+08:00"))
                base = rnd.randint(0, 800)
                for j in range(ITEMS):
                    iid += 1
                    d = (today - timedelta(days=base + j * rnd.randint(0, 40))).isoformat()
                    first = r2 if j < 2 else r1
                    items.append(
                        (
                            iid,
                            cid,
                            f"http://{u.code}.test/i/{iid}.html",
                            f"标题{iid % 5000}",
                            d,
                            f"IDX/{iid}" if j % 2 else None,
                            "2026-11-29T08:00:00+08:00",
                            "2026-11-29T08:00:00+08:00",
                            first,
                            r2,
                        )
                    )
    conn.executemany(
        "INSERT INTO site_runs (run_id, site_id, status, finished_at) VALUES (?,?,?,?)", sruns
    )
    conn.executemany(
        "INSERT INTO sections (run_id, site_id, section, name, url, status, ok) VALUES (?,?,?,?,?,?,?)",
        secs,
    )
    conn.executemany(
        "INSERT INTO columns (column_id, site_id, unit_id, url, name, catalog_path, category, section, is_home, first_seen_at, last_seen_at, last_run_id) VALUES (?,?,?,?,?,?,?,?,?, 'x','x', ?)",
        [(*c, r2) for c in cols],
    )
    conn.executemany(
        "INSERT INTO column_runs (run_id, column_id, status, items_seen, crawled_at) VALUES (?,?,?,?,?)",
        cruns,
    )
    conn.executemany(
        "INSERT INTO items (item_id, column_id, url, title, pub_date, index_no, first_seen_at, last_seen_at, first_run_id, last_run_id) VALUES (?,?,?,?,?,?,?,?,?,?)",
        items,
    )
    conn.execute("COMMIT")
    print(f"built {len(cols)} columns, {len(items)} items in {time.time() - t:.1f}s")
    del cols, items, cruns
db.execute("PRAGMA cache_size=-200000")
run = db.execute("SELECT max(run_id) FROM runs").fetchone()[0]
t = time.time()
res = run_checks(db, run, units, None, now=clock.parse("2026-11-29T09:00:00+08:00"))
el = time.time() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"run_checks {el:.1f}s maxrss {rss:.0f} MiB crashed={res.crashed} counts={res.counts}")
for r in sorted(res.rules, key=lambda r: -r.elapsed_ms):
    print(f"  {r.code:26} {r.elapsed_ms:7d} ms {r.findings:7d} hits")
