"""The crawl's connection to the store, on a thread of its own.

SQLite blocks the thread that writes: waiting for another process's lock (up to the
busy timeout), syncing the WAL, placing a long text in its story. On the reactor's
thread that would stop every download and timer of the crawl meanwhile; on this one
thread the reactor keeps downloading and the writes stay in order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from storage.store import Store

T = TypeVar("T")


class StoreWriter:
    def __init__(self, db_path: str | Path, busy_timeout: float) -> None:
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="newsagg-store")
        # Opened on its thread: a sqlite3 connection is used by the thread that made it.
        self._store = self._thread.submit(Store, db_path, busy_timeout=busy_timeout).result()

    async def call(self, work: Callable[[Store], T]) -> T:
        """``work(store)`` on the store's thread; StoreError as the store raises it."""
        return await asyncio.wrap_future(self._thread.submit(work, self._store))

    def close(self) -> None:
        self._thread.submit(self._store.close).result()
        self._thread.shutdown(wait=True)
