"""The scheduler's two jobs: a crawl in its own process, and the digest; each logged in
`job_runs` so that `newsagg status` and Datasette show what ran and how it ended."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from aggregator.config import load_config
from aggregator.digest.deliver import deliver
from aggregator.digest.select import build_digest
from aggregator.errors import DigestUncertainError, NewsaggError
from storage.health import JobRuns
from storage.store import Store

DETAIL_CHARS = 2000
TRACKER_CLEANUP_S = 0.5      # see kill_crawl


@dataclass
class JobResult:
    outcome: str          # ok, timeout, stopped, error, not-sent, uncertain
    detail: str = ""
    exit_code: int | None = None


class JobLog:
    """The scheduler's `job_runs` log (storage/health.py), a connection per write: jobs
    run on several threads."""

    def __init__(self, db_path: str | Path) -> None:
        self.db_path = db_path

    def start(self, job: str, source_id: str | None = None,
              digest_date: str | None = None) -> int:
        with Store(self.db_path) as store:
            return JobRuns(store).start(job, source_id, digest_date)

    def finish(self, row_id: int, result: JobResult) -> None:
        with Store(self.db_path) as store:
            JobRuns(store).finish(row_id, result.outcome, result.exit_code,
                                  result.detail[-DETAIL_CHARS:])

    def close_interrupted(self) -> int:
        """Mark the runs a dead scheduler left 'running' as interrupted; return how many."""
        with Store(self.db_path) as store:
            return JobRuns(store).close_interrupted()


def signal_crawl(process: subprocess.Popen, sig: int) -> None:
    """Send ``sig`` to the crawl's whole process group: its worker pool, forkserver and
    resource tracker too. The crawl leads its own session, so the group id is its pid,
    and the kernel keeps that id for the group while any member lives."""
    with contextlib.suppress(ProcessLookupError):   # the whole group has ended already
        os.killpg(process.pid, sig)


def kill_crawl(process: subprocess.Popen) -> None:
    """SIGKILL the crawl, then, a moment later, what is left of its group.

    The moment is for multiprocessing's resource tracker, which ignores SIGTERM: once the
    crawl is dead (its pool died of the SIGTERM), it removes the semaphores the crawl
    leaked and exits, 0.02 s later here. Killed with the crawl, it leaves them in
    /dev/shm (5 per killed crawl, measured)."""
    process.kill()
    process.wait()
    time.sleep(TRACKER_CLEANUP_S)
    signal_crawl(process, signal.SIGKILL)


class Children:
    """The crawl processes running now, so that a stopping scheduler can stop them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen] = set()
        self._terminated: set[subprocess.Popen] = set()
        self.stopping = threading.Event()

    def add(self, process: subprocess.Popen) -> None:
        with self._lock:
            self._running.add(process)
        if self.stopping.is_set():            # started just as the scheduler stopped
            self.terminate(process)

    def discard(self, process: subprocess.Popen) -> None:
        with self._lock:
            self._running.discard(process)
            self._terminated.discard(process)

    def terminate(self, process: subprocess.Popen) -> None:
        """SIGTERM a crawl once: Scrapy takes a second SIGTERM as "stop now", unclean,
        and would not record its run (a crawl at its time limit as the scheduler stops)."""
        with self._lock:
            if process in self._terminated:
                return
            self._terminated.add(process)
        signal_crawl(process, signal.SIGTERM)

    def stop_all(self, grace: float) -> None:
        """SIGTERM every crawl (Scrapy then closes cleanly and records its run), SIGKILL
        those still running ``grace`` seconds later."""
        with self._lock:
            self.stopping.set()
            running = list(self._running)
        for process in running:
            if process.poll() is None:
                self.terminate(process)
        deadline = time.monotonic() + grace
        for process in running:
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0))
            except subprocess.TimeoutExpired:
                kill_crawl(process)


def _stop(process: subprocess.Popen, grace: float, children: Children) -> bool:
    """Stop a crawl: True if it closed by itself within the grace, False if killed."""
    children.terminate(process)
    try:
        process.wait(timeout=grace)
        return True
    except subprocess.TimeoutExpired:
        kill_crawl(process)
        return False


def crawl_command(sources_path: str | Path, db_path: str | Path, source_ids: Sequence[str],
                  crawl_args: Sequence[str] = ()) -> list[str]:
    command = [sys.executable, "-m", "aggregator", "crawl", "--sources", str(sources_path),
               "--db", str(db_path)]
    for source_id in source_ids:
        command += ["--source", source_id]
    return command + list(crawl_args)


def run_crawl_process(command: Sequence[str], *, timeout: float, grace: float,
                      children: Children, environ: Mapping[str, str] | None = None
                      ) -> JobResult:
    """Run one `newsagg crawl` to its end, or stop it at the time limit."""
    if children.stopping.is_set():
        return JobResult("stopped", "the scheduler is stopping")
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as output:
        # A session of its own: Ctrl-C on the scheduler's terminal does not reach the
        # crawl directly; the scheduler decides how it stops.
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True,
                                   env=dict(environ) if environ is not None else None)
        children.add(process)
        try:
            try:
                code = process.wait(timeout=timeout)
                outcome = "stopped" if children.stopping.is_set() else (
                    "ok" if code == 0 else "error")
            except subprocess.TimeoutExpired:
                clean = _stop(process, grace, children)
                code = process.returncode
                outcome = "timeout"
                output.write(f"\nnewsagg schedule: stopped after the {timeout:g} s time limit"
                             f"{'' if clean else ' (killed: it did not close in time)'}\n")
        finally:
            children.discard(process)
            # Nothing of the crawl outlives its job, however the crawl ended: a worker
            # left by a crash would keep its forkserver and resource tracker alive too.
            signal_crawl(process, signal.SIGKILL)
        output.seek(0)
        detail = output.read()
    return JobResult(outcome, detail, code)


def run_digest(sources_path: str | Path, db_path: str | Path, day: date,
               environ: Mapping[str, str] = os.environ) -> JobResult:
    """Build and send one digest date; 'not-sent' says why (already sent, empty, skip)."""
    try:
        settings = load_config(sources_path).digest
        with Store(db_path) as store:
            found = build_digest(store, settings, day)
            result = deliver(store, settings, found, environ=environ)
    except DigestUncertainError as exc:           # a person must look: no retry
        return JobResult("uncertain", str(exc), exc.exit_code)
    except NewsaggError as exc:
        return JobResult("error", str(exc), exc.exit_code)
    if not result.sent:
        return JobResult("not-sent", result.reason, 0)
    return JobResult("ok", f"{found.stories} stories to {', '.join(result.recipients)}, "
                           f"Message-ID {result.message_id}", 0)


