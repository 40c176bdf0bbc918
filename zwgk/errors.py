"""One exception tree: the CLI turns any ZwgkError into one line on stderr and exit status 2."""

from __future__ import annotations

import errno
import sqlite3


class ZwgkError(Exception):
    """A problem the user can fix; the message says where and how."""


class ConfigError(ZwgkError):
    """A units file or configuration file that cannot be used."""


ECHO_CHARS = 60
MESSAGE_CHARS = 300


def echo(value: object, limit: int = ECHO_CHARS) -> str:
    """A short repr of a user's value for an error message: bounded work and length, whatever
    the value (a 10 MB string, a deeply nested or alias-shared structure), so one mistake is
    one readable line and never an expanded YAML bomb."""
    try:
        text = _REPR.repr(value)
    except ValueError:  # an int too long to print (Python's 4300-digit limit)
        text = f"<{type(value).__name__} too long to show>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def one_line(message: str, limit: int = MESSAGE_CHARS) -> str:
    """The message on one line of at most `limit` characters (file, unit and field come first,
    so a cut keeps them)."""
    flat = " ".join(message.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _make_repr():
    import reprlib

    r = reprlib.Repr()
    r.maxlevel, r.maxstring, r.maxother = 2, ECHO_CHARS, ECHO_CHARS
    r.maxlist = r.maxtuple = r.maxdict = r.maxset = r.maxfrozenset = 4
    r.maxlong = 40
    return r


_REPR = _make_repr()


class StoreBusy(ZwgkError):
    """Another process holds the store's lock for this kind of work (exit status 2)."""


#: What the crawl's store pipeline logs when a write fails for lack of space (it then stops the
#: crawl); the run reads it from the crawl log.
DISK_FULL_MARK = "ZWGK store write failed: disk full"
#: What the spider logs, with the unit and site role, when a site's catalog walk reaches its page
#: bound (the pages past it, and any columns there, are never seen); the run reports the sites.
CATALOG_CAPPED_MARK = "ZWGK catalog walk stopped"


def is_disk_full(exc: BaseException) -> bool:
    """SQLite's "database or disk is full" (SQLITE_FULL) or an OSError ENOSPC/EDQUOT."""
    if isinstance(exc, sqlite3.OperationalError):
        return "database or disk is full" in str(exc)
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)
