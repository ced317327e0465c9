"""One scheduler per database: an exclusive lock on a file beside it.

The lock is `flock` on ``<real path of the db>.scheduler.lock`` (symlinks resolved, so
two names of one database share it); the kernel releases it when the process dies,
however it dies, so a crashed scheduler never blocks the next one. The file holds the
holder's pid and start time, for the refusal message.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import TextIO

from aggregator.clock import utc_stamp
from aggregator.errors import SchedulerError


def lock_path(db_path: str | Path) -> Path:
    return Path(f"{Path(db_path).resolve()}.scheduler.lock")


class SchedulerLock:
    def __init__(self, db_path: str | Path) -> None:
        self.path = lock_path(db_path)
        self._file: TextIO | None = None

    def acquire(self) -> SchedulerLock:
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 (held while locked)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise SchedulerError(f"a scheduler is already running for this database "
                                 f"({holder}; lock {self.path}); stop it first") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started "
                     f"{utc_stamp()}\n")
        handle.flush()
        self._file = handle
        return self

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def __enter__(self) -> SchedulerLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def holder(db_path: str | Path) -> str | None:
    """Who runs the scheduler of this database, or None when nobody does."""
    path = lock_path(db_path)
    if not path.exists():
        return None
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            return handle.read().strip() or "running"
        fcntl.flock(handle, fcntl.LOCK_UN)
    return None
