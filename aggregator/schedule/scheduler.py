"""`newsagg schedule`: crawls on each source's cron, the digest at its time, unattended.

APScheduler (3.x, in-memory jobs) decides when; what already happened is read from
the store, not from a job store: at start, a digest whose time passed while the
scheduler was down (within ``digest_grace``) is sent unless the `digests` log has it,
a source whose last crawl is older than its last scheduled turn is crawled once,
however many turns were missed, and a source never crawled is crawled at once. Jobs
coalesce and never run twice at once, so a crawl still running when its next turn
comes is not started again.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from aggregator.clock import utc_now
from aggregator.config import load_config
from aggregator.digest.select import latest_due, window
from aggregator.schedule.jobs import (
    Children,
    JobLog,
    JobResult,
    crawl_command,
    run_crawl_process,
    run_digest,
)
from aggregator.schedule.lock import SchedulerLock
from aggregator.schedule.plan import crawl_triggers, digest_trigger, missed_turn
from storage.digests import DigestLog
from storage.health import last_crawl_starts
from storage.store import Store

log = logging.getLogger("newsagg.schedule")


class NewsScheduler:
    def __init__(self, sources_path: str | Path, db_path: str | Path, *,
                 crawl_args: Sequence[str] = (),
                 environ: Mapping[str, str] | None = None) -> None:
        self.sources_path = str(sources_path)
        self.db_path = str(db_path)
        self.crawl_args = list(crawl_args)
        self.environ = dict(os.environ if environ is None else environ)
        self.config = load_config(self.sources_path)
        self.jobs = JobLog(self.db_path)
        self.children = Children()
        self.stop_requested = threading.Event()
        schedule = self.config.schedule
        self.scheduler = BackgroundScheduler(
            executors={"crawls": ThreadPoolExecutor(schedule.max_parallel_crawls),
                       "default": ThreadPoolExecutor(1)},
            # coalesce: missed turns run once; max_instances: never twice at once;
            # misfire_grace_time None: a late turn still runs (once), however late.
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            timezone=schedule.timezone)

    # -- planning -------------------------------------------------------------------
    def plan(self, now: datetime | None = None) -> None:
        """Add every job, and make the ones missed while the scheduler was down due now."""
        now = now or utc_now()
        with Store(self.db_path) as store:            # creates or upgrades the database
            # The sources file as it is now, so that `source_health` (Datasette) lists
            # each of its sources, one not crawled yet as never crawled.
            store.sync_sources(s.as_row() for s in self.config.sources)
            last_crawls = last_crawl_starts(store)
        for source_id, trigger in crawl_triggers(self.config).items():
            job = self.scheduler.add_job(self.crawl, trigger, args=[source_id],
                                         id=f"crawl:{source_id}", executor="crawls",
                                         name=f"crawl {source_id}")
            last = last_crawls.get(source_id)
            if last is None:
                log.info("crawl %s: never crawled; crawling now", source_id)
                job.modify(next_run_time=now)
            elif (missed := missed_turn(trigger, datetime.fromisoformat(last), now)):
                log.info("crawl %s: its turn at %s was missed; crawling once now",
                         source_id, missed.isoformat(timespec="seconds"))
                job.modify(next_run_time=now)
        if self.config.schedule.digest:
            self.scheduler.add_job(self.digest, digest_trigger(self.config), id="digest",
                                   name="digest")
            due = self.missed_digest(now)
            if due is not None:
                log.info("digest %s: its time passed while the scheduler was down; "
                         "sending it now", due.isoformat())
                self.scheduler.add_job(self.digest, "date", run_date=now, args=[due],
                                       id=f"digest-catch-up:{due}")

    def missed_digest(self, now: datetime) -> date | None:
        """The digest date due within the grace and not yet in the `digests` log."""
        settings = self.config.digest
        day = latest_due(now, settings)
        due_at = window(day, settings)[1]
        if (now - due_at).total_seconds() > self.config.schedule.digest_grace:
            return None
        with Store(self.db_path) as store:
            if DigestLog(store).last(day.isoformat()) is not None:
                return None
        return day

    # -- jobs -----------------------------------------------------------------------
    def crawl(self, source_id: str) -> JobResult:
        schedule = self.config.schedule
        row = self.jobs.start("crawl", source_id=source_id)
        command = crawl_command(self.sources_path, self.db_path, [source_id], self.crawl_args)
        result = run_crawl_process(command, timeout=schedule.crawl_timeout,
                                   grace=schedule.stop_grace, children=self.children,
                                   environ=self.environ)
        self.jobs.finish(row, result)
        if result.outcome == "ok":
            log.info("crawl %s: ok", source_id)
        else:
            last_line = (result.detail.strip().splitlines() or [""])[-1]
            log.warning("crawl %s: %s (exit %s): %s", source_id, result.outcome,
                        result.exit_code, last_line)
        return result

    def digest(self, day: date | None = None) -> JobResult:
        day = day or latest_due(utc_now(), self.config.digest)
        row = self.jobs.start("digest", digest_date=day.isoformat())
        result = run_digest(self.sources_path, self.db_path, day, self.environ)
        self.jobs.finish(row, result)
        log.log(logging.WARNING if result.outcome in ("error", "uncertain") else logging.INFO,
                "digest %s: %s: %s", day.isoformat(), result.outcome, result.detail)
        if result.outcome == "error" and result.exit_code == 5:
            self._retry_digest(day)
        return result

    def _retry_digest(self, day: date) -> None:
        schedule = self.config.schedule
        due_at = window(day, self.config.digest)[1]
        retry_at = utc_now() + timedelta(seconds=schedule.digest_retry)
        if (retry_at - due_at).total_seconds() <= schedule.digest_grace \
                and not self.stop_requested.is_set():
            log.info("digest %s: trying again at %s", day.isoformat(),
                     retry_at.isoformat(timespec="seconds"))
            self.scheduler.add_job(self.digest, "date", run_date=retry_at, args=[day],
                                   id=f"digest-retry:{day}", replace_existing=True)

    # -- running --------------------------------------------------------------------
    def run(self) -> None:
        """Run until SIGTERM or Ctrl-C; then stop the running crawls cleanly and return."""
        with SchedulerLock(self.db_path):
            interrupted = self.jobs.close_interrupted()
            if interrupted:
                log.warning("%d job run(s) of an earlier scheduler never finished "
                            "(marked 'interrupted')", interrupted)
            self.plan()
            previous = {sig: signal.signal(sig, self._on_signal)
                        for sig in (signal.SIGTERM, signal.SIGINT)}
            try:
                self.scheduler.start()
                log.info("scheduler started: %s", "; ".join(
                    f"{job.name} next at {job.next_run_time:%Y-%m-%d %H:%M:%S %Z}"
                    for job in self.scheduler.get_jobs()))
                while not self.stop_requested.wait(1.0):
                    pass
            finally:
                log.info("stopping: no new jobs; running crawls get %g s to close",
                         self.config.schedule.stop_grace)
                if self.scheduler.running:
                    self.scheduler.pause()
                self.children.stop_all(self.config.schedule.stop_grace)
                if self.scheduler.running:
                    self.scheduler.shutdown(wait=True)     # the jobs end with their crawls
                for sig, handler in previous.items():
                    signal.signal(sig, handler)
            log.info("scheduler stopped")

    def _on_signal(self, signum: int, frame: object) -> None:
        self.stop_requested.set()

    def stop(self) -> None:
        self.stop_requested.set()
