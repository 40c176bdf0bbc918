"""Small builders for test stores: units, sites, runs, columns, items, probes in a few lines."""

from __future__ import annotations

import itertools
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from checks.runner import ChecksResult, run_checks
from zwgk import clock, store
from zwgk.units import ColumnOverride, Unit

DEFAULT_NOW = "2026-11-29T08:00:00+08:00"


def days_before(now: str, days: int) -> str:
    """ISO date `days` before the date of `now`."""
    return (clock.parse(now).date() - timedelta(days=days)).isoformat()


class Builder:
    def __init__(self, path: Path) -> None:
        self.db = store.open_db(path)
        self.units: dict[str, Unit] = {}
        self.sites: dict[tuple[str, str], int] = {}
        self._n = itertools.count(1)
        self.now = DEFAULT_NOW

    # -- units and runs --------------------------------------------------------------
    def unit(
        self,
        code: str = "u1",
        kind: str = "county",
        *,
        portal: bool = False,
        columns: tuple[ColumnOverride, ...] = (),
        site_code: str | None = None,
    ) -> Unit:
        host = f"http://{code}.test"
        u = Unit(
            code=code,
            name=f"{code}单位",
            kind=kind,
            disclosure=f"{host}/xxgk/",
            portal=f"{host}/" if portal else None,
            columns=columns,
            site_code=site_code,
        )
        self.units[code] = u
        self.sites.update(store.sync_units(self.db, [u]))
        return u

    def site(self, unit: str = "u1", role: str = "disclosure") -> int:
        return self.sites[(unit, role)]

    def run(self, now: str | None = None, *, sites: dict[int, str] | None = None) -> int:
        """Start a run at `now`; `sites` = {site_id: status} written as site_runs (default ok)."""
        self.now = now or self.now
        clock.set_now(self.now)
        run = store.start_run(self.db)
        for site_id, status in (
            sites if sites is not None else {s: "ok" for s in self.sites.values()}
        ).items():
            self.site_run(run, site_id, status)
        return run

    def site_run(
        self,
        run: int,
        site_id: int,
        status: str = "ok",
        block: str | None = None,
        error: str | None = None,
    ) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO site_runs (run_id, site_id, status, block, error, finished_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [run, site_id, status, block, error, clock.iso()],
        )

    def finish(self, run: int, status: str = "completed") -> None:
        store.finish_run(self.db, run, status)

    def check(
        self, run: int, config: Any = None, rules: Any = None, now: str | None = None
    ) -> ChecksResult:
        res = run_checks(
            self.db,
            run,
            list(self.units.values()),
            config,
            now=clock.parse(now or self.now),
            rules=rules,
        )
        self.finish(run)
        return res

    # -- catalog -----------------------------------------------------------------------
    def column(
        self,
        site_id: int,
        name: str,
        category: str | None = None,
        *,
        url: str | None = None,
        section: str | None = None,
        is_home: int = 0,
        catalog_path: str | None = None,
        origin: str = "catalog",
    ) -> int:
        unit = self.db.execute(
            "SELECT unit_id, url FROM sites WHERE site_id = ?", [site_id]
        ).fetchone()
        url = url or f"{unit[1]}c{next(self._n)}/"
        cur = self.db.execute(
            "INSERT INTO columns (site_id, unit_id, url, name, catalog_path, category, section,"
            " is_home, first_seen_at, last_seen_at, origin)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                site_id,
                unit[0],
                url,
                name,
                catalog_path if catalog_path is not None else name,
                category,
                section,
                is_home,
                clock.iso(),
                clock.iso(),
                origin,
            ],
        )
        return int(cur.lastrowid)

    def column_run(
        self,
        run: int,
        column_id: int,
        status: str = "ok",
        *,
        crawled_at: str | None = None,
        items_seen: int = 0,
        error: str | None = None,
    ) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO column_runs (run_id, column_id, status, items_seen, error,"
            " crawled_at) VALUES (?, ?, ?, ?, ?, ?)",
            [run, column_id, status, items_seen, error, crawled_at or clock.iso()],
        )

    def items(
        self,
        column_id: int,
        dates: list[str | None],
        run: int,
        *,
        titles: list[str] | None = None,
        index_nos: list[str | None] | None = None,
        doc_nos: list[str | None] | None = None,
        urls: list[str] | None = None,
    ) -> list[int]:
        ids = []
        for i, d in enumerate(dates):
            n = next(self._n)
            title = titles[i] if titles else f"信息{n}"
            url = urls[i] if urls else f"http://items.test/{column_id}/{n}.html"
            cur = self.db.execute(
                "INSERT INTO items (column_id, url, title, pub_date, index_no, doc_no,"
                " first_seen_at, last_seen_at, first_run_id, last_run_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    column_id,
                    url,
                    title,
                    d,
                    index_nos[i] if index_nos else None,
                    doc_nos[i] if doc_nos else None,
                    clock.iso(),
                    clock.iso(),
                    run,
                    run,
                ],
            )
            ids.append(int(cur.lastrowid))
        return ids

    def related(self, site_id: int, page_url: str, links: list[str]) -> None:
        """The page's detail was read with its related links recorded (as the pipeline does)."""
        self.db.conn.executemany(
            "INSERT INTO detail_links (site_id, page_url, url, text) VALUES (?, ?, ?, '')",
            [(site_id, page_url, u) for u in links],
        )
        self.db.execute(
            "UPDATE items SET related_links = ? WHERE url = ?"
            " AND column_id IN (SELECT column_id FROM columns WHERE site_id = ?)",
            [len(links), page_url, site_id],
        )

    def crawl(
        self, run: int, column_id: int, dates: list[str | None] = (), status: str = "ok", **kw: Any
    ) -> list[int]:
        """One column crawl: new items with `dates` plus its column_runs row."""
        ids = self.items(column_id, list(dates), run, **kw) if dates else []
        seen = self.db.execute(
            "SELECT count(*) FROM items WHERE column_id = ?", [column_id]
        ).fetchone()[0]
        self.column_run(run, column_id, status, items_seen=seen)
        return ids

    def section(
        self,
        run: int,
        site_id: int,
        section: str,
        url: str | None = None,
        ok: int = 1,
        status: int | None = 200,
        name: str | None = None,
        external: int = 0,
    ) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO sections"
            " (run_id, site_id, section, name, url, status, ok, external)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                run,
                site_id,
                section,
                name or section,
                url or f"http://s.test/{section}/",
                status,
                ok,
                external,
            ],
        )

    def page_meta(
        self,
        run: int,
        site_id: int,
        kind: str,
        pages: int,
        gaps: dict[str, tuple[str, int]] | None = None,
        codes: dict[str, int] | None = None,
    ) -> None:
        """What the crawl tallied for `pages` pages of `kind` on a site (crawler.pipelines):
        `gaps` = {tag: (absent|empty, pages lacking it)}, `codes` = {SiteIDCode: pages}."""
        rows = [(run, site_id, kind, "", "checked", pages, "[]")]
        for tag, (state, n) in (gaps or {}).items():
            urls = [f"http://pages.test/{site_id}/{kind}/{i}.html" for i in range(min(n, 3))]
            rows.append((run, site_id, kind, tag, state, n, json.dumps(urls)))
        self.db.conn.executemany("INSERT INTO page_meta VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        self.db.conn.executemany(
            "INSERT INTO page_site_codes VALUES (?, ?, ?, ?, ?, ?)",
            [
                (run, site_id, kind, value, n, f"http://pages.test/{site_id}/{kind}/{value}.html")
                for value, n in (codes or {}).items()
            ],
        )

    def links(
        self,
        run: int,
        site_id: int,
        checked: int,
        broken: list[tuple[str, str, int | None, str | None]] = (),
        *,
        offsite: int = 0,
        capped: int = 0,
    ) -> None:
        """What the crawl's link checks stored for a site (crawler.pipelines): `checked` links,
        `broken` = [(url, source page, status, error)], and the links left unchecked."""
        self.db.conn.executemany(
            "INSERT INTO broken_links (run_id, site_id, url, source_url, status, error)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(run, site_id, *b) for b in broken],
        )
        self.db.execute(
            "INSERT INTO link_counts (run_id, site_id, checked, failed, offsite, capped)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [run, site_id, checked, len(broken), offsite, capped],
        )

    def probes(
        self, unit: str, *, end: str, days: int = 7, per_day: int = 20, failures: int = 0
    ) -> None:
        """Probes spread evenly over `days` before `end`; the first `failures` ones fail."""
        total = days * per_day
        step = timedelta(days=days) / total
        t_end = clock.parse(end)
        rows = []
        for i in range(total):
            at = clock.iso(t_end - step * (total - i) + timedelta(seconds=1))
            ok = 0 if i < failures else 1
            rows.append((unit, self.units[unit].home, at, ok, 200 if ok else None))
        self.db.conn.executemany(
            "INSERT INTO probes (unit_id, url, probed_at, ok, status) VALUES (?, ?, ?, ?, ?)", rows
        )

    # -- reading back ------------------------------------------------------------------
    def findings(self, rule: str | None = None, status: str | None = "open") -> list[dict]:
        cur = self.db.execute("SELECT * FROM findings ORDER BY finding_id")
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
        return [
            r
            for r in rows
            if (rule is None or r["rule"] == rule) and (status is None or r["status"] == status)
        ]

    def verdict(self, run: int, site_id: int) -> tuple[str, list[str]]:
        import json

        row = self.db.execute(
            "SELECT verdict, veto_rules FROM verdicts WHERE run_id = ? AND site_id = ?",
            [run, site_id],
        ).fetchone()
        return row[0], json.loads(row[1])
