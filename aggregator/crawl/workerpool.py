"""The extraction worker processes, which one bad page cannot take down with the crawl.

A ProcessPoolExecutor breaks as a whole when one worker dies (the OOM killer, a
segfault in a C library): every page in flight then fails with BrokenProcessPool,
whichever page killed it. :class:`ExtractionPool` replaces the pool and tries each of
those pages once more, alone in the new pool, while new pages wait: a page that
kills its worker again, alone, is the one, and only it is lost (WorkerCrashed).

Workers die with the crawl. Left to themselves they would not: a worker waits on a
queue whose pipe it holds both ends of, and the forkserver lives as long as any worker
holds its "alive" pipe, so a crawl killed by hand left its forkserver, workers and
resource tracker running for good. Each worker watches the crawl process (a pidfd)
and exits when it goes; then the forkserver and the resource tracker see their pipes
close and exit too.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import select
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, ParamSpec, TypeVar

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")


class WorkerCrashed(Exception):
    """A page whose extraction worker died twice: once among others, then alone."""


class InlineExecutor(Executor):
    """Runs work on the calling thread: NEWSAGG_EXTRACT_WORKERS = 0, for debugging."""

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed back to the awaiting pipeline
            future.set_exception(exc)
        return future


def exit_with(crawl_pid: int) -> None:
    """In a worker (its pool's initializer): exit as soon as the crawl process is gone,
    however it went. A pidfd says so at once; without one (not Linux), poll.

    SIGTERM and Ctrl-C, sent to the crawl's process group, are the crawl's to handle:
    it closes cleanly and lets the pages being extracted finish, then shuts the pool.
    """
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        pidfd: int | None = os.pidfd_open(crawl_pid)
    except (AttributeError, OSError):
        pidfd = None

    def wait() -> None:
        if pidfd is not None:
            select.select([pidfd], [], [])
        else:
            while os.getppid() != 1 and _running(crawl_pid):
                time.sleep(1)
        os._exit(1)

    threading.Thread(target=wait, name="newsagg-exit-with-crawl", daemon=True).start()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def make_pool(workers: int | None) -> Executor:
    if workers == 0:
        return InlineExecutor()
    workers = workers or os.cpu_count() or 1
    # forkserver: workers start from a clean process, not a fork of the running reactor.
    # (Not max_tasks_per_child: on Python 3.11 the pool stopped replacing workers that
    # reached it and the crawl hung, measured with benchmarks/speed.py.)
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["aggregator.extract.article", "aggregator.search.loaded"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=exit_with, initargs=(os.getpid(),))


class ExtractionPool:
    """Runs ``function`` in worker processes from the reactor's event loop."""

    def __init__(self, workers: int | None, function: Callable[..., Any]) -> None:
        self.workers = workers
        self.function = function
        self.replaced = 0                   # pools lost to a dead worker
        self._pool = make_pool(workers)
        self._generation = 0
        self._suspects = 0                  # pages to try again, one at a time
        self._open: asyncio.Event | None = None
        self._alone: asyncio.Lock | None = None

    async def run(self, *args: Any, **kwargs: Any) -> Any:
        """``function(*args, **kwargs)`` in a worker; WorkerCrashed if it kills one twice."""
        gate = self._gate()
        while not gate.is_set():            # suspects are running alone
            await gate.wait()
        generation = self._generation
        try:
            return await asyncio.wrap_future(self._pool.submit(self.function, *args,
                                                               **kwargs))
        except BrokenProcessPool:
            self._replace(generation)
        self._suspects += 1
        gate.clear()
        try:
            return await self._run_alone(args, kwargs)
        finally:
            self._suspects -= 1
            if not self._suspects:
                gate.set()

    async def _run_alone(self, args: tuple, kwargs: dict) -> Any:
        assert self._alone is not None
        async with self._alone:
            generation = self._generation
            try:
                return await asyncio.wrap_future(self._pool.submit(self.function, *args,
                                                                   **kwargs))
            except BrokenProcessPool:
                self._replace(generation)
                raise WorkerCrashed("the extraction worker died on this page, twice "
                                    "(killed, or crashed in a C library)") from None

    def _gate(self) -> asyncio.Event:
        if self._open is None:              # made in the running loop, not at import
            self._open = asyncio.Event()
            self._open.set()
            self._alone = asyncio.Lock()
        return self._open

    def _replace(self, generation: int) -> None:
        """A new pool for the broken one, once per break however many pages saw it."""
        if generation != self._generation:
            return
        self._generation += 1
        self.replaced += 1
        log.warning("an extraction worker died; starting a new pool and trying the "
                    "pages it had once more, one at a time")
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = make_pool(self.workers)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
