"""A lock per digest date, held for the whole send, so that a 'sending' row in the
`digests` log can be told apart: its lock held, a send is in progress; its lock free,
the process that wrote it has died and the mail may or may not have gone out.

The lock is ``fcntl.lockf`` on one byte, at offset ``date.toordinal()``, of one file
beside the database: ``<real path of the db>.digest.lock`` (symlinks resolved, so two
paths to one database share it). The kernel releases it however the process ends. One
file for every date: no lock file per day piles up next to the database.

POSIX record locks belong to a process, not to a file handle: a second thread of the
same process would be granted the same byte, and closing any handle on the file drops
every lock the process holds on it. So each process keeps one handle per lock file,
open while it holds any date of it, and a registry of the dates it holds; a date held
by another thread is refused like one held by another process.
"""

from __future__ import annotations

import errno
import fcntl
import os
import threading
from datetime import date
from pathlib import Path

from aggregator.errors import StoreError

_guard = threading.Lock()
_open: dict[str, tuple[int, set[int]]] = {}       # lock file -> (descriptor, dates held)


def lock_path(db_path: str | Path) -> str:
    return os.path.realpath(db_path) + ".digest.lock"


class SendLock:
    """``with SendLock(db, day) as held: if held: ...send...`` (never waits)."""

    def __init__(self, db_path: str | Path, day: date) -> None:
        self.path = lock_path(db_path)
        self.day = day
        self.held = False

    def acquire(self) -> bool:
        """Take the date's lock if nobody holds it; False when another send holds it."""
        offset = self.day.toordinal()
        with _guard:
            fd, held = _open.get(self.path, (-1, set()))
            if offset in held:
                return False                           # another thread of this process
            if fd < 0:
                try:
                    fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
                except OSError as exc:
                    raise StoreError(f"{self.path}: cannot open the digest's send lock "
                                     f"({exc.strerror or exc})") from None
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, offset, os.SEEK_SET)
            except OSError as exc:
                if not held:
                    os.close(fd)
                if exc.errno in (errno.EAGAIN, errno.EACCES):
                    return False                       # another process
                raise StoreError(f"{self.path}: cannot lock the digest of {self.day} "
                                 f"({exc.strerror or exc})") from None
            held.add(offset)
            _open[self.path] = (fd, held)
        self.held = True
        return True

    def release(self) -> None:
        if not self.held:
            return
        offset = self.day.toordinal()
        with _guard:
            fd, held = _open[self.path]
            fcntl.lockf(fd, fcntl.LOCK_UN, 1, offset, os.SEEK_SET)
            held.discard(offset)
            if not held:                               # no lock of ours left on it
                del _open[self.path]
                os.close(fd)
        self.held = False

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
