"""What the spider reads from the store (the pipeline writes it; WAL lets both work at once):
known catalogs and items decide what an incremental run fetches.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from zwgk import clock


class StoreReads:
    """Part of DisclosureSpider (crawler/spiders/disclosure.py); methods use its helpers."""

    # -- store reads (the pipeline writes; WAL lets us read alongside) ----------------------
    @property
    def ro(self) -> sqlite3.Connection:
        if self._ro is None:
            self._ro = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=30)
        return self._ro

    def closed(self, reason: str) -> None:
        if self._evidence:
            self._evidence.close()
        if self._ro is not None:
            self._ro.close()

    def known_columns(self, unit: str, role: str) -> list[tuple]:
        """The columns of the site's last completed catalog walk."""
        return self.ro.execute(
            "SELECT c.url, c.name, c.catalog_path, c.etag, c.last_modified FROM columns c"
            " JOIN sites s USING (site_id) WHERE s.unit_id = ? AND s.role = ? AND c.is_home = 0"
            " AND c.origin = 'catalog' AND c.last_run_id = s.catalog_run_id ORDER BY c.column_id",
            [unit, role],
        ).fetchall()

    def known_items(self, m: dict, column_url: str, urls: Iterable[str]) -> dict[str, int]:
        """Item URL -> detail_fetched (0 pending, 1 read, 2 failed) for items already stored."""
        urls = list(urls)
        if not urls:
            return {}
        marks = ",".join("?" * len(urls))
        rows = self.ro.execute(
            f"SELECT i.url, i.detail_fetched FROM items i JOIN columns c USING (column_id)"
            f" JOIN sites s ON s.site_id = c.site_id WHERE s.unit_id = ? AND s.role = ?"
            f" AND c.url = ? AND i.url IN ({marks})",
            [m["unit"], m["role"], column_url, *urls],
        ).fetchall()
        return dict(rows)

    def column_history(self, m: dict, column_url: str) -> tuple[bool, bool]:
        """(Did an earlier crawl read this column to its end?, does the store hold any of its
        items?). Only a complete earlier crawl lets known items stop paging (a crawl killed
        halfway through a column leaves its later pages unread); a column without stored
        items has nothing to look up page by page."""
        row = self.ro.execute(
            "SELECT EXISTS (SELECT 1 FROM column_runs cr WHERE cr.column_id = c.column_id"
            "   AND cr.status IN ('ok', 'placeholder', 'capped')),"
            " EXISTS (SELECT 1 FROM items i WHERE i.column_id = c.column_id)"
            " FROM columns c JOIN sites s ON s.site_id = c.site_id"
            " WHERE s.unit_id = ? AND s.role = ? AND c.url = ?",
            [m["unit"], m["role"], column_url],
        ).fetchone()
        return (bool(row[0]), bool(row[1])) if row else (False, False)

    def can_reuse(self, unit: str, role: str, sig: str) -> bool:
        """Reuse the known catalog when the root navigation is unchanged, the walk that found
        it belongs to a run that completed, and it is younger than the refresh interval."""
        row = self.ro.execute(
            "SELECT s.catalog_sig, s.catalog_at FROM sites s JOIN runs r"
            " ON r.run_id = s.catalog_run_id AND r.status = 'completed'"
            " WHERE s.unit_id = ? AND s.role = ?",
            [unit, role],
        ).fetchone()
        if not row or not row[0] or not row[1]:
            return False
        age = (clock.now() - clock.parse(row[1])).days
        return row[0] == sig and age < self.setting("ZWGK_CATALOG_REFRESH_DAYS", 7)

    def pending_details(self, m: dict, column_url: str) -> list[str]:
        dateless = " AND i.pub_date IS NULL" if self.detail_mode == "dateless" else ""
        return [
            r[0]
            for r in self.ro.execute(
                "SELECT i.url FROM items i JOIN columns c USING (column_id) JOIN sites s"
                " ON s.site_id = c.site_id WHERE s.unit_id = ? AND s.role = ? AND c.url = ?"
                f" AND i.detail_fetched = 0{dateless} LIMIT 500",
                [m["unit"], m["role"], column_url],
            )
        ]
