"""Exclusive per-store locks: an flock on a file next to the database, released by the kernel
when the holder dies (no stale lock after a crash or SIGKILL).

One scheduler per store (`<db>.lock`, zwgk/schedule/lock.py), one writer of a store's results
at a time (`<db>.run.lock`: a monitoring run, `zwgk report`, `zwgk waive` and `zwgk unwaive`)
and one probe round per store (`<db>.probe.lock`). Runs and probe rounds take different locks on
purpose: the availability history needs its probe rounds while the daily crawl (an hour or more)
is running, and the two write different rows. A report or waiver shares the run's lock because a
run rewrites the very findings they render or change.

The holder writes its pid and what it is doing into the file, so whoever is refused can say who
holds the store. By default a held lock is refused at once (exit 2, one line); `wait` seconds
make the caller wait that long for it first (the scheduler's jobs queue behind each other so).
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable
from pathlib import Path

from zwgk.errors import StoreBusy

#: How often a waiting caller tries the lock again: flock has no timed wait, and a poll this
#: slow costs nothing while the holder runs for minutes.
POLL_SECONDS = 0.2
RUN_HINT = "wait for it to finish or use another --db"
#: What a waiting caller with `wait` > 0 is told once (on stderr, through `notify`).
Notify = Callable[[str], None]


class StoreLock:
    """An exclusive flock on `<db><suffix>` holding the holder's pid and what it is doing."""

    def __init__(
        self,
        db_path: Path,
        suffix: str,
        what: str,
        hint: str,
        wait: float = 0.0,
        notify: Notify | None = None,
    ) -> None:
        self.db_path = Path(db_path)
        self.suffix = suffix
        self.what = what  # "a monitoring run": what the holder is doing, for the refused
        self.hint = hint  # what the refused user can do about it
        self.wait = wait  # seconds to wait for a held lock before refusing
        self.notify = notify
        self.fd: int | None = None

    @property
    def path(self) -> Path:
        return self.db_path.with_name(self.db_path.name + self.suffix)

    def acquire(self) -> StoreLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)  # not inherited (O_CLOEXEC)
        deadline = time.monotonic() + self.wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                pid, what = _read_holder(fd)
                left = deadline - time.monotonic()
                if left <= 0:
                    os.close(fd)
                    waited = f"; waited {self.wait:g} s" if self.wait > 0 else ""
                    raise StoreBusy(
                        f"{what or 'another process'} is already running on {self.db_path} "
                        f"(pid {pid or 'unknown'}, lock {self.path}){waited}; {self.hint}"
                    ) from None
                if not told and self.notify is not None:
                    self.notify(
                        f"waiting up to {self.wait:g} s for {what or 'another process'} "
                        f"(pid {pid or 'unknown'}) to release {self.path}"
                    )
                    told = True
                time.sleep(min(POLL_SECONDS, left))
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {self.what}\n".encode(), 0)
        self.fd = fd
        return self

    def holder(self) -> int | None:
        """The pid holding the lock (-1 when unreadable), or None when nobody holds it."""
        return (self.held_by() or (None, ""))[0]

    def held_by(self) -> tuple[int, str] | None:
        """(pid, what it is doing) of the holder (-1 and "" when unreadable), or None."""
        if not self.path.exists():
            return None
        fd = os.open(self.path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            pid, what = _read_holder(fd)
            return (int(pid) if pid.isdigit() else -1), what
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


def _read_holder(fd: int) -> tuple[str, str]:
    """(pid, what) as the holder wrote them; ("", "") for an empty or unreadable file (the
    holder may not have written yet), and what is "" for a pid-only file of an older version."""
    text = os.pread(fd, 256, 0).decode(errors="replace").strip()
    pid, _, what = text.partition(" ")
    return pid, what.strip()


def run_lock(
    db_path: Path,
    what: str = "a monitoring run",
    hint: str = RUN_HINT,
    wait: float = 0.0,
    notify: Notify | None = None,
) -> StoreLock:
    """The lock on a store's results: a run holds it throughout, a report or waiver briefly."""
    return StoreLock(db_path, ".run.lock", what, hint, wait, notify)


def probe_lock(db_path: Path) -> StoreLock:
    return StoreLock(db_path, ".probe.lock", "a probe round", RUN_HINT)
