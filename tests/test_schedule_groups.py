"""A crawl the scheduler stops takes its whole process group with it: a real `newsagg
crawl` against a site whose article pages hang after their headers, with its worker
pool, forkserver and resource tracker running when it is killed.

Killed alone, the crawl's process left the others running for good: each pool worker
holds the write ends of its own queues, the forkserver's liveness pipe and the resource
tracker's pipe, so none of them ever reads end-of-file (measured: still alive minutes
later). Workers that watch the crawl and exit with it (aggregator/crawl/workerpool.py) take
the group down 0.06-0.09 s after the crawl here; the scheduler does not wait for that:
when the job returns, nothing of the group runs, so the check below allows no delay
(a process with a SIGKILL pending counts as gone: it never runs again).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import psutil
import pytest

from aggregator.schedule.jobs import Children, JobResult, crawl_command, run_crawl_process
from tests.conftest import FAST
from tests.faultpages import article_html, rss
from tests.faultweb import FaultWeb, hang_after_headers, ok, site_source

READY_S = 40          # how long the crawl may take to start its pool (Scrapy, forkserver)


def live_members(pgid: int) -> list[psutil.Process]:
    """The processes of a group that still run: not zombies (dead, waiting to be reaped),
    nor killed (a SIGKILL pending)."""
    found = []
    for process in psutil.process_iter():
        try:
            if os.getpgid(process.pid) == pgid and process.status() != psutil.STATUS_ZOMBIE \
                    and not sigkill_pending(process.pid):
                found.append(process)
        except (OSError, psutil.Error):
            pass
    return found


def sigkill_pending(pid: int) -> bool:
    bit = 1 << (signal.SIGKILL - 1)
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("SigPnd:", "ShdPnd:")) and int(line.split()[1], 16) & bit:
            return True
    return False


def crawl_of_this_test() -> psutil.Process | None:
    for child in psutil.Process().children():
        try:
            if "crawl" in child.cmdline():
                return child
        except psutil.Error:
            pass
    return None


class CrawlInThread:
    """run_crawl_process on a thread; meanwhile the test watches the crawl's group."""

    def __init__(self, command: list[str], timeout: float, grace: float) -> None:
        self.children = Children()
        self.result: JobResult | None = None
        self.thread = threading.Thread(target=self._run, args=(command, timeout, grace))
        self.thread.start()

    def _run(self, command: list[str], timeout: float, grace: float) -> None:
        self.result = run_crawl_process(command, timeout=timeout, grace=grace,
                                        children=self.children)

    def pool_running(self) -> tuple[int, set[int]]:
        """Wait until the crawl runs its extraction pool: the crawl's group id, and the
        named semaphores of the pool's queues it has mapped."""
        deadline = time.monotonic() + READY_S
        while time.monotonic() < deadline and self.thread.is_alive():
            crawl = crawl_of_this_test()
            if crawl is not None:
                kinds = {kind(p) for p in live_members(crawl.pid)}
                if {"forkserver", "worker", "resource tracker"} <= kinds:
                    return crawl.pid, mapped_semaphores(crawl.pid)
            time.sleep(0.2)
        raise AssertionError(f"the crawl did not start its worker pool within {READY_S} s")


def mapped_semaphores(pid: int) -> set[int]:
    """Inodes of the named semaphores (files in /dev/shm) a process has mapped; by inode,
    because glibc maps a semaphore under a temporary name before linking it."""
    inodes = set()
    for line in Path(f"/proc/{pid}/maps").read_text().splitlines():
        fields = line.split(maxsplit=5)
        if len(fields) == 6 and fields[5].startswith("/dev/shm/sem."):
            inodes.add(int(fields[4]))
    return inodes


def files_left(inodes: set[int]) -> list[str]:
    return [entry.name for entry in os.scandir("/dev/shm") if entry.inode() in inodes]


def kind(process: psutil.Process) -> str:
    """What a member of a crawl's group is, from its command line (and its parent's)."""
    try:
        line = " ".join(process.cmdline())
        if "multiprocessing.resource_tracker" in line:
            return "resource tracker"
        if "multiprocessing.forkserver" in line:
            parent = process.parent()
            forked = parent is not None and "multiprocessing.forkserver" in " ".join(
                parent.cmdline())
            return "worker" if forked else "forkserver"
        if "aggregator" in line and "crawl" in line:
            return "crawl"
    except psutil.Error:
        pass
    return "other"


def assert_group_gone(pgid: int) -> None:
    left = live_members(pgid)
    assert not left, "left behind: " + "; ".join(f"{p.pid} {kind(p)}" for p in left)


@pytest.fixture
def hanging_site(tmp_path: Path):
    """Four articles that are read (so the pool starts), six that hang after their headers
    (so the crawl is still downloading when it is stopped, and does not close in time)."""
    with FaultWeb() as web:
        site = web.site("portal")
        paths = [f"/news/{n}" for n in range(10)]
        for n, path in enumerate(paths):
            site.route(path, ok(article_html(n)) if n < 4 else hang_after_headers(web))
        site.route("/feed.xml", ok(rss([site.url(p) for p in paths]), "application/rss+xml"))
        sources = web.write_sources(tmp_path / "sources.toml",
                                    site_source(site, feeds=[site.url("/feed.xml")]))
        yield crawl_command(sources, tmp_path / "news.db", ["portal"],
                            [*FAST, "-s", "DOWNLOAD_TIMEOUT=60"])


def test_a_crawl_killed_at_its_time_limit_leaves_no_process(hanging_site):
    started = time.monotonic()
    job = CrawlInThread(hanging_site, timeout=12, grace=1)
    pgid, semaphores = job.pool_running()
    assert time.monotonic() - started < 12, "the pool started after the time limit"
    assert semaphores
    job.thread.join(timeout=30)
    assert job.result is not None and job.result.outcome == "timeout"
    assert "(killed: it did not close in time)" in job.result.detail   # the SIGKILL path
    assert_group_gone(pgid)
    # the resource tracker outlived the crawl long enough to remove what it leaked
    assert files_left(semaphores) == []


def test_a_stopping_scheduler_leaves_no_process_of_its_crawls(hanging_site):
    job = CrawlInThread(hanging_site, timeout=60, grace=1)
    pgid, _ = job.pool_running()
    job.children.stop_all(grace=1)              # what the scheduler does on SIGTERM
    job.thread.join(timeout=30)
    assert job.result is not None and job.result.outcome == "stopped"
    assert job.result.exit_code == -9           # did not close in the grace: killed
    assert_group_gone(pgid)
