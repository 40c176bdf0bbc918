"""One scheduler per database: an exclusive flock on `<db>.lock`, released when the process dies."""

from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass, field
from pathlib import Path

from zwgk.errors import ZwgkError


@dataclass(slots=True)
class SchedulerLock:
    """An exclusive flock on `<db>.lock`: released by the kernel when the process dies."""

    db_path: Path
    fd: int | None = field(default=None, init=False)

    @property
    def path(self) -> Path:
        return self.db_path.with_name(self.db_path.name + ".lock")

    def acquire(self) -> SchedulerLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise ZwgkError(
                f"another scheduler is already running on {self.db_path} (pid {holder}, lock "
                f"{self.path}); stop it first (systemctl stop zwgk-scheduler) or use another --db"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        return self

    def holder(self) -> int | None:
        """The pid of the running scheduler, or None (for `zwgk status`)."""
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

    def __enter__(self) -> SchedulerLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
