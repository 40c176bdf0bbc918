"""One scheduler per database: an exclusive flock on `<db>.lock`, released when the process dies."""

from __future__ import annotations

from pathlib import Path

from zwgk.storelock import StoreLock


class SchedulerLock(StoreLock):
    """An exclusive flock on `<db>.lock`: released by the kernel when the process dies."""

    def __init__(self, db_path: Path) -> None:
        super().__init__(
            db_path,
            ".lock",
            "another scheduler",
            "stop it first (systemctl stop zwgk-scheduler) or use another --db",
        )
