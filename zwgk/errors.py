"""One exception tree: the CLI turns any ZwgkError into one line on stderr and exit status 2."""

from __future__ import annotations

import errno
import sqlite3


class ZwgkError(Exception):
    """A problem the user can fix; the message says where and how."""


class ConfigError(ZwgkError):
    """A units file or configuration file that cannot be used."""


class StoreBusy(ZwgkError):
    """Another process holds the store's lock for this kind of work (exit status 2)."""


#: What the crawl's store pipeline logs when a write fails for lack of space (it then stops the
#: crawl); the run reads it from the crawl log.
DISK_FULL_MARK = "ZWGK store write failed: disk full"


def is_disk_full(exc: BaseException) -> bool:
    """SQLite's "database or disk is full" (SQLITE_FULL) or an OSError ENOSPC/EDQUOT."""
    if isinstance(exc, sqlite3.OperationalError):
        return "database or disk is full" in str(exc)
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)
