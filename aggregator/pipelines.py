"""The item pipeline: extraction in worker processes, then the store.

Scrapy runs callbacks and pipelines on one thread; trafilatura on that thread
would bind the crawl to one core. Pages go to a pool of worker processes and
the reactor keeps downloading while they are parsed.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any

from aggregator.counters import count, fail
from aggregator.dates import latest_date
from aggregator.page import Page, extract_in_worker
from aggregator.urls import normalize_url
from storage.store import NEW, ArticleRecord, Store

log = logging.getLogger(__name__)


class InlineExecutor(Executor):
    """Runs work on the calling thread: NEWSAGG_EXTRACT_WORKERS = 0, for debugging."""

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[override]
        from concurrent.futures import Future
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed back to the awaiting pipeline
            future.set_exception(exc)
        return future


def make_pool(workers: int | None) -> Executor:
    if workers == 0:
        return InlineExecutor()
    workers = workers or os.cpu_count() or 1
    # forkserver: workers start from a clean process, not a fork of the running reactor.
    # (Not max_tasks_per_child: on Python 3.11 the pool stopped replacing workers that
    # reached it and the crawl hung, measured with benchmarks/speed.py.)
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["aggregator.extract"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


class ExtractAndStorePipeline:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_path = crawler.settings.get("NEWSAGG_DB")
        workers = crawler.settings.get("NEWSAGG_EXTRACT_WORKERS")
        self.workers = None if workers in (None, "") else int(workers)
        self.store: Store | None = None
        self.pool: Executor | None = None

    @classmethod
    def from_crawler(cls, crawler) -> "ExtractAndStorePipeline":
        return cls(crawler)

    def open_spider(self, spider=None) -> None:
        self.store = Store(self.db_path)
        self.pool = make_pool(self.workers)

    def close_spider(self, spider=None) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        if self.store is not None:
            self.store.close()

    async def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        spider = self.crawler.spider
        source = spider.sources[item["source_id"]]
        future = self.pool.submit(extract_in_worker, item["html"], item["url"], source,
                                  fetched_at=item["fetched_at"], hints=item["hints"])
        try:
            page: Page = await asyncio.wrap_future(future)
        except Exception as exc:  # a crash in extraction fails this page, not the crawl
            log.warning("%s: %s: extraction failed: %r", source.id, item["url"], exc)
            fail(self.stats, source.id, "extract_errors")
            return {"url": item["url"], "outcome": "failed"}
        if not page.is_article:
            # Listings and stubs are routine; empty or unparsable pages are worth a warning.
            level = logging.WARNING if page.reason.startswith(("empty", "unparsable")) \
                else logging.INFO
            log.log(level, "%s: %s: not an article (%s)", source.id, item["url"], page.reason)
            count(self.stats, source.id, "not_articles")
            self.store.remember_not_article(
                source.id, [item["requested_url"], normalize_url(item["url"])], page.reason,
                _change_mark(item["hints"], source),
                item["fetched_at"].isoformat(timespec="seconds"))
            return {"url": item["url"], "outcome": "not_article"}
        canonical = normalize_url(page.canonical_url or item["url"])
        aliases = [item["requested_url"], normalize_url(item["url"]), canonical]
        change_mark = _change_mark(item["hints"], source)
        record = ArticleRecord(
            source_id=source.id, url=canonical, aliases=aliases, title=page.title,
            text=page.text or "", author=page.author, language=page.language,
            published_at=page.published_at, published_from=page.published_from,
            modified_at=page.modified_at, change_mark=change_mark,
            seen_at=item["fetched_at"].isoformat(timespec="seconds"))
        result = self.store.save_article(record)
        count(self.stats, source.id, result.outcome)
        if not page.published_at:       # a jump in this share is a site redesign (health)
            count(self.stats, source.id, "undated")
        if result.outcome == NEW:
            count(self.stats, source.id, "reprints" if result.reprint_of else "new_stories")
        log.info("%s: %s %s%s", source.id, result.outcome, canonical,
                 f" (reprint of article {result.reprint_of})" if result.reprint_of else "")
        return {"url": canonical, "outcome": result.outcome, "id": result.article_id}


def _change_mark(hints, source) -> str | None:
    """The latest date the feed/sitemap gave for this page, as the crawl saw it."""
    mark = latest_date((hint.updated or hint.published for hint in hints),
                       languages=source.languages, timezone=source.timezone)
    return mark[0] if mark else None
