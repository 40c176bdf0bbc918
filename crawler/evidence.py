"""The crawl's side of the evidence archive (zwgk/evidence.py): each page the spider records is
kept as fetched, its payload written once to this process's WARC file of the run.

The spider calls `EvidenceCapture.page(record, response)` from `record()`, the one place every
fetched page passes; the capture's hash (and, for a new payload, its place in the WARC file)
rides on the PageRecord to the store pipeline, which writes the rows in its own transaction.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

from scrapy.http import Response

from crawler.items import PageRecord
from zwgk.evidence import ArchiveWriter, archive_dir

logger = logging.getLogger(__name__)


class EvidenceCapture:
    def __init__(self, folder: Path, run_id: int, ro: Callable[[], sqlite3.Connection]) -> None:
        self.ro = ro
        self.writer = ArchiveWriter(folder, run_id, known=self.known)
        self.failed = False

    @classmethod
    def from_settings(cls, settings, db_path: str, run_id: int, ro) -> EvidenceCapture | None:
        if not settings.getbool("ZWGK_EVIDENCE", True):
            return None
        folder = settings.get("ZWGK_EVIDENCE_DIR") or archive_dir(db_path)
        return cls(Path(folder), run_id, ro)

    def known(self, sha: str) -> bool:
        """Archived by an earlier run (or an earlier flush of this one)? A store that cannot be
        read (a spider driven without one) knows nothing: the page is written."""
        try:
            row = (
                self.ro()
                .execute("SELECT 1 FROM evidence_records WHERE sha256 = ?", [sha])
                .fetchone()
            )
        except sqlite3.Error:
            return False
        return row is not None

    def page(self, rec: PageRecord, response: Response) -> None:
        if self.failed or not response.body or response.status == 304:
            return  # a 304's capture points at the payload it confirmed (the pipeline)
        headers = [
            (k.decode("latin-1"), v.decode("latin-1"))
            for k, values in response.headers.items()
            for v in values
        ]
        try:
            stored = self.writer.capture(response.url, response.status, headers, response.body)
        except OSError as exc:
            # No archive space must not cost the crawl: the run goes on without evidence, and
            # the log says so once (the store's own disk-full handling is separate).
            self.failed = True
            logger.error("evidence archive write failed, capture off for this crawl: %s", exc)
            return
        rec.sha256 = stored.sha256
        rec.warc = stored.warc
        rec.offset = stored.offset
        rec.length = stored.length

    def close(self) -> None:
        self.writer.close()
