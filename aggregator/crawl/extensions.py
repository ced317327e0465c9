"""Scrapy extensions: progress on stderr while a crawl runs, `crawl_runs` when it ends,
and the reactor's longest stall."""

from __future__ import annotations

import logging
import sys
import time
import uuid
from typing import Protocol, Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from twisted.internet import task

from aggregator.clock import utc_stamp
from aggregator.counters import COUNTERS, totals
from aggregator.crawl.run import STORE_ERROR_STAT
from aggregator.errors import StoreError
from storage.store import Store

log = logging.getLogger(__name__)


class _NewsSpider(Protocol):
    """What the recorder reads of spiders.news.NewsSpider (crawl/ does not import it)."""

    db_path: str


class _Periodic:
    """An extension that runs ``tick(spider)`` every ``interval`` seconds (0: never)
    while the spider is open."""

    interval = 0.0

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider: Spider) -> None:
        if self.interval > 0:
            self.loop = task.LoopingCall(self.tick, spider)
            self.loop.start(self.interval, now=False)

    def closed(self, spider: Spider, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()

    def tick(self, spider: Spider) -> None:
        raise NotImplementedError


class ProgressReporter(_Periodic):
    """Prints one line of running totals every few seconds, when they changed."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.interval = float(crawler.settings.getfloat("NEWSAGG_PROGRESS_INTERVAL", 2.0))
        self.last = ""

    def opened(self, spider: Spider) -> None:
        sources = getattr(spider, "sources", {})
        print(f"newsagg: crawling {len(sources)} source(s): {', '.join(sources)}",
              file=sys.stderr, flush=True)
        super().opened(spider)

    def tick(self, spider: Spider) -> None:
        sums = dict.fromkeys(COUNTERS, 0)
        for source_id in getattr(spider, "sources", {}):
            for key, value in totals(self.crawler.stats, source_id).items():
                sums[key] += value
        line = (f"newsagg: {sums['fetched']} pages fetched, {sums['new']} new "
                f"({sums['reprints']} reprints), "
                f"{sums['updated']} updated, {sums['unchanged']} unchanged, "
                f"{sums['failed']} failed")
        if line != self.last:
            print(line, file=sys.stderr, flush=True)
            self.last = line


class ReactorLag(_Periodic):
    """How late the reactor ran a 0.1 s timer at worst: the longest the crawl stood
    still (a callback parsing a bomb, a store write on the wrong thread). Kept in the
    stats as newsagg/reactor_lag_max, in seconds (benchmarks/faults.py reads it)."""

    interval = 0.1
    STAT = "newsagg/reactor_lag_max"

    def opened(self, spider: Spider) -> None:
        self.last = time.monotonic()
        super().opened(spider)

    def tick(self, spider: Spider) -> None:
        now = time.monotonic()
        lag = round(max(0.0, now - self.last - self.interval), 3)
        self.crawler.stats.max_value(self.STAT, lag)
        self.last = now


class CrawlRunRecorder:
    """Writes one `crawl_runs` row per source when the spider closes."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.run_id = crawler.settings.get("NEWSAGG_RUN_ID") or uuid.uuid4().hex[:12]
        self.busy_timeout = crawler.settings.getfloat("NEWSAGG_BUSY_TIMEOUT")
        self.started_at = ""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlRunRecorder:
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider: Spider) -> None:
        self.started_at = utc_stamp()

    def closed(self, spider: _NewsSpider, reason: str) -> None:
        finished = utc_stamp()
        rows = [dict(run_id=self.run_id, source_id=source_id, started_at=self.started_at,
                     finished_at=finished, finish_reason=reason,
                     **totals(self.crawler.stats, source_id))
                for source_id in getattr(spider, "sources", {})]
        if not rows:
            return
        try:
            with Store(spider.db_path, busy_timeout=self.busy_timeout) as store:
                store.record_run(rows)
        except StoreError as exc:          # the summary still says it; the exit code too
            log.error("the crawl's counts could not be recorded in crawl_runs: %s", exc)
            if not self.crawler.stats.get_value(STORE_ERROR_STAT):
                self.crawler.stats.set_value(STORE_ERROR_STAT, str(exc))
