"""Exclusive per-store locks: an flock on a file next to the database, released by the kernel
when the holder dies (no stale lock after a crash or SIGKILL).

One scheduler per store (`<db>.lock`, zwgk/schedule/lock.py), one monitoring run per store
(`<db>.run.lock`) and one probe round per store (`<db>.probe.lock`). Runs and probe rounds
take different locks on purpose: the availability history needs its probe rounds while the
daily crawl (an hour or more) is running, and the two write different rows.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from zwgk.errors import StoreBusy


class StoreLock:
    """An exclusive, non-blocking flock on `<db><suffix>` holding the holder's pid."""

    def __init__(self, db_path: Path, suffix: str, what: str, hint: str) -> None:
        self.db_path = Path(db_path)
        self.suffix = suffix
        self.what = what  # "a monitoring run", for the message
        self.hint = hint  # what the user can do about it
        self.fd: int | None = None

    @property
    def path(self) -> Path:
        return self.db_path.with_name(self.db_path.name + self.suffix)

    def acquire(self) -> StoreLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)  # not inherited (O_CLOEXEC)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise StoreBusy(
                f"{self.what} is already running on {self.db_path} (pid {holder}, lock "
                f"{self.path}); {self.hint}"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        return self

    def holder(self) -> int | None:
        """The pid holding the lock (-1 when unreadable), or None when nobody holds it."""
        if not self.path.exists():
            return None
        fd = os.open(self.path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            text = os.read(fd, 64).decode(errors="replace").strip()
            return int(text) if text.isdigit() else -1
        finally:
            os.close(fd)
        return None

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> StoreLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def run_lock(db_path: Path) -> StoreLock:
    return StoreLock(
        db_path, ".run.lock", "a monitoring run", "wait for it to finish or use another --db"
    )


def probe_lock(db_path: Path) -> StoreLock:
    return StoreLock(
        db_path, ".probe.lock", "a probe round", "wait for it to finish or use another --db"
    )
