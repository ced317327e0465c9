"""The item pipeline: extraction in worker processes, then the store on its own thread.

Scrapy runs callbacks and pipelines on one thread; trafilatura on that thread
would bind the crawl to one core, and SQLite's waits would stop every download.
Pages go to a pool of worker processes (aggregator.crawl.workerpool) and writes to the
store's thread (aggregator.crawl.storewriter), and the reactor keeps downloading.

What cannot be stored is counted as failed under its cause and logged with its URL
(never its HTML); a store that fails for good (read-only, disk full) stops the crawl,
and `newsagg crawl` exits 3 after printing what it did.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.misc import load_object

from aggregator.counters import count, fail
from aggregator.crawl.run import STORE_ERROR_STAT
from aggregator.crawl.storewriter import StoreWriter
from aggregator.crawl.workerpool import ExtractionPool, WorkerCrashed
from aggregator.dates.parse import latest_date
from aggregator.errors import StoreError
from aggregator.extract.result import ExtractedArticle
from aggregator.urls import normalize_url
from storage.store import NEW, ArticleRecord

log = logging.getLogger(__name__)
FAILED = object()          # what _store returns when the store refused the work


class ExtractAndStorePipeline:
    def __init__(self, db_path: str, workers: int | None, busy_timeout: float,
                 extractor: str) -> None:
        self.db_path = db_path
        self.workers = workers
        self.busy_timeout = busy_timeout
        self.extractor = extractor
        self.crawler: Any = None
        self.writer: StoreWriter | None = None
        self.pool: ExtractionPool | None = None
        self.stopping: Any = None          # the Deferred closing the crawl on a store error

    @classmethod
    def from_crawler(cls, crawler: Any) -> ExtractAndStorePipeline:
        settings = crawler.settings
        workers = settings.get("NEWSAGG_EXTRACT_WORKERS")
        pipeline = cls(settings.get("NEWSAGG_DB"),
                       None if workers in (None, "") else int(workers),
                       settings.getfloat("NEWSAGG_BUSY_TIMEOUT"),
                       settings.get("NEWSAGG_EXTRACTOR"))
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self, spider: Any = None) -> None:
        self.writer = StoreWriter(self.db_path, self.busy_timeout)
        self.pool = ExtractionPool(self.workers, load_object(self.extractor))

    def close_spider(self, spider: Any = None) -> None:
        if self.pool is not None:
            self.pool.shutdown()
        if self.writer is not None:
            self.writer.close()

    async def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        stats = self.crawler.stats
        source = self.crawler.spider.sources[item["source_id"]]
        url = item["url"]
        assert self.pool is not None
        html = item.pop("html")           # not held while the page waits for the store
        try:
            page: ExtractedArticle = await self.pool.run(html, url, source,
                                             fetched_at=item["fetched_at"], hints=item["hints"])
        except WorkerCrashed as exc:
            log.error("%s: %s: not stored: %s", source.id, url, exc)
            fail(stats, source.id, "worker_crashes")
            return {"url": url, "outcome": "failed"}
        except Exception as exc:  # a crash in extraction fails this page, not the crawl
            log.warning("%s: %s: extraction failed: %r", source.id, url, exc)
            fail(stats, source.id, "extract_errors")
            return {"url": url, "outcome": "failed"}
        del html
        seen_at = item["fetched_at"].isoformat(timespec="seconds")
        change_mark = _change_mark(item["hints"], source)
        if not page.is_article:
            reason = page.reason or "not an article"
            # Garbled text (decoded wrongly, or so published) is a lost article; like a
            # listing or a stub, the page is not fetched again for a while.
            garbled = reason.startswith("garbled")
            level = logging.WARNING if garbled or reason.startswith(("empty", "unparsable")) \
                else logging.INFO
            log.log(level, "%s: %s: %s (%s)", source.id, url,
                    "not stored" if garbled else "not an article", reason)
            urls = [item["requested_url"], normalize_url(url)]
            remembered = await self._store(source.id, url, lambda store: store
                                           .remember_not_article(source.id, urls, reason,
                                                                 change_mark, seen_at))
            if garbled:
                fail(stats, source.id, "undecodable")
                return {"url": url, "outcome": "failed"}
            if remembered is not FAILED:
                count(stats, source.id, "not_articles")
            return {"url": url, "outcome": "not_article"}
        record = ArticleRecord(
            source_id=source.id, url=normalize_url(url),
            aliases=[item["requested_url"], normalize_url(url)],
            canonical=normalize_url(page.canonical_url) if page.canonical_url else None,
            title=page.title, text=page.text or "", author=page.author,
            language=page.language, published_at=page.published_at,
            published_from=page.published_from, modified_at=page.modified_at,
            change_mark=change_mark, seen_at=seen_at, full_text_chars=page.full_text_chars,
            lemmas=page.lemmas)
        result = await self._store(source.id, url, lambda store: store.save_article(record))
        if result is FAILED:
            return {"url": url, "outcome": "failed"}
        count(stats, source.id, result.outcome)
        if not page.published_at:       # a jump in this share is a site redesign (health)
            count(stats, source.id, "undated")
        if page.full_text_chars:
            count(stats, source.id, "texts_cut")
            log.warning("%s: %s: text cut from %d to %d characters", source.id, url,
                        page.full_text_chars, len(record.text))
        if result.outcome == NEW:
            count(stats, source.id, "reprints" if result.reprint_of else "new_stories")
        log.info("%s: %s %s%s", source.id, result.outcome, url,
                 f" (reprint of article {result.reprint_of})" if result.reprint_of else "")
        return {"url": url, "outcome": result.outcome, "id": result.article_id}

    async def _store(self, source_id: str, url: str, work: Any) -> Any:
        """``work(store)`` on the store's thread; FAILED, counted and logged, if it failed."""
        assert self.writer is not None
        try:
            return await self.writer.call(work)
        except StoreError as exc:
            log.error("%s: %s: not stored: %s", source_id, url, exc)
            fail(self.crawler.stats, source_id, "store_errors")
            if not exc.transient and self.stopping is None:
                self._stop(str(exc))
            return FAILED

    def _stop(self, why: str) -> None:
        """The store takes no more writes: end the crawl now rather than lose every page."""
        log.error("stopping the crawl: %s", why)
        self.crawler.stats.set_value(STORE_ERROR_STAT, why)
        self.stopping = deferred_from_coro(
            self.crawler.engine.close_spider_async(reason="store_error"))


def _change_mark(hints: Any, source: Any) -> str | None:
    """The latest date the feed/sitemap gave for this page, as the crawl saw it."""
    mark = latest_date((hint.updated or hint.published for hint in hints),
                       languages=source.languages, timezone=source.timezone)
    return mark[0] if mark else None
