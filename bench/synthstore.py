"""A synthetic store at province scale, built fast (executemany over generators, one
transaction, no per-row Python objects kept): `units` units with a disclosure platform of
`columns` columns (every 10th unit also a portal with 20), `items` items per column, two
completed crawls (yesterday and today). Shapes vary by unit so the rules have work to do:
stale and blank columns, bursts, back-dated items, missing sections, failed sites.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from zwgk import clock, store
from zwgk.units import Unit

DAY1 = "2026-11-28T08:00:00+08:00"
DAY2 = "2026-11-29T08:00:00+08:00"
TODAY = date(2026, 11, 29)
CATEGORIES = ("news", "notice", "periodic", "static")
SECTIONS = ("guide", "system", "fdzdgknr", "annual", "request")


def make_units(n: int) -> list[Unit]:
    kinds = ("county", "department", "township", "institution")
    return [
        Unit(
            code=f"u{i:05d}",
            name=f"示例单位{i}",
            kind="city" if i == 0 else kinds[i % len(kinds)],
            parent=None if i == 0 else "u00000",
            site_code=f"{3408000000 + i:010d}",
            disclosure=f"http://u{i}.example.gov.cn/xxgk/",
            portal=f"http://u{i}.example.gov.cn/" if i % 10 == 0 else None,
        )
        for i in range(n)
    ]


def build(path: Path, n_units: int, columns: int, items: int, seed: int = 1) -> tuple[list, int]:
    """Create the store; returns (units, today's run_id)."""
    path.unlink(missing_ok=True)
    rnd = random.Random(seed)
    units = make_units(n_units)
    db = store.open_db(path)
    clock.set_now(DAY1)
    sites = store.sync_units(db, units)
    r1 = store.start_run(db, units_total=n_units)
    clock.set_now(DAY2)
    r2 = store.start_run(db, units_total=n_units)
    plan = []  # (site_id, unit, role, n_columns, site_status)
    for u in units:
        status = "down" if rnd.random() < 0.01 else "ok"
        plan.append((sites[(u.code, "disclosure")], u.code, "disclosure", columns, status))
        if u.portal:
            plan.append((sites[(u.code, "portal")], u.code, "portal", 20, "ok"))
    conn = db.conn
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO site_runs (run_id, site_id, status, pages, failures, finished_at)"
        " VALUES (?, ?, ?, 0, 0, ?)",
        ((r, p[0], p[4] if r == r2 else "ok", DAY2) for p in plan for r in (r1, r2)),
    )
    conn.executemany(
        "INSERT INTO sections (run_id, site_id, section, name, url, status, ok)"
        " VALUES (?, ?, ?, ?, ?, 200, 1)",
        (
            (r, p[0], s, s, f"http://{p[1]}.example.gov.cn/{s}/", )
            for p in plan if p[2] == "disclosure"
            for r in (r1, r2)
            for k, s in enumerate(SECTIONS) if (int(p[1][1:]) * 7 + k) % 23 or k == 0
        ),
    )  # fmt: skip

    def column_rows() -> Iterator[tuple]:
        cid = 0
        for site_id, unit, role, n, _ in plan:
            for k in range(n):
                cid += 1
                name = ("工作动态", "通知公告", "财政预决算", "机构职能")[k % 4] + str(k)
                yield (
                    cid, site_id, unit, f"http://{unit}.example.gov.cn/{role}/c{k}/", name,
                    f"法定主动公开内容/{name}", CATEGORIES[k % 4], "name",
                    SECTIONS[2] if role == "disclosure" else None, DAY1, DAY2, r2,
                )  # fmt: skip

    conn.executemany(
        "INSERT INTO columns (column_id, site_id, unit_id, url, name, catalog_path, category,"
        " category_source, section, is_home, first_seen_at, last_seen_at, last_run_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)",
        column_rows(),
    )
    n_columns = conn.execute("SELECT max(column_id) FROM columns").fetchone()[0]
    blank = {c for c in range(1, n_columns + 1) if c % 97 == 0}
    conn.executemany(
        "INSERT INTO column_runs (run_id, column_id, status, pages, items_seen, new_items,"
        " crawled_at) VALUES (?, ?, ?, 1, ?, ?, ?)",
        (
            (r, c, "placeholder" if c in blank else "ok", 0 if c in blank else items,
             (2 if r == r2 else items) if c not in blank else 0, DAY2)
            for r in (r1, r2) for c in range(1, n_columns + 1)
        ),
    )  # fmt: skip

    def item_rows() -> Iterator[tuple]:
        iid = 0
        for c in range(1, n_columns + 1):
            if c in blank:
                continue
            gap = 1 + c % 40  # days between items: some columns go stale
            age = rnd.randint(0, 400) if c % 7 == 0 else rnd.randint(0, 20)
            burst = c % 53 == 0
            for j in range(items):
                iid += 1
                new = j < 2
                days = age + (0 if burst and new else j * gap)
                if c % 89 == 0 and new:
                    days += 200  # back-dated: first seen today, dated long ago
                yield (
                    iid, c, f"http://c{c}.example.gov.cn/t{iid}.html", f"标题{iid % 9973}",
                    (TODAY - timedelta(days=days)).isoformat(), "list",
                    f"IDX-{iid}" if j % 2 else None, DAY2 if new else DAY1, DAY2,
                    r2 if new else r1, r2,
                )  # fmt: skip

    conn.executemany(
        "INSERT INTO items (item_id, column_id, url, title, pub_date, date_source, index_no,"
        " first_seen_at, last_seen_at, first_run_id, last_run_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        item_rows(),
    )
    conn.execute("COMMIT")
    for r in (r1, r2):
        store.finish_run(db, r, "completed", exit_code=0, stats={})
    db.conn.close()
    return units, r2
