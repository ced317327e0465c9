"""The dry run's item pipeline (`newsagg sources try`): pages are extracted as in a crawl,
in the same worker pool by the same function, and kept in memory as samples instead of
stored. After NEWSAGG_DRY_RUN_LIMIT pages it closes the spider, so a try is quick.

The samples are left in the crawl's stats (DRY_RUN_SAMPLES, a list of dicts) for the
caller of run_crawl, who reads them from CrawlResult.stats.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.misc import load_object

from aggregator.counters import count, fail
from aggregator.crawl.workerpool import ExtractionPool, WorkerCrashed
from aggregator.extract.result import ExtractedArticle
from aggregator.urls import normalize_url

log = logging.getLogger(__name__)
DRY_RUN_SAMPLES = "newsagg/dry_run/samples"
# The spider's tallies (a dict, see spiders.news.NewsSpider.tally).
DRY_RUN_STAT = "newsagg/dry_run/discovery"
LIMIT_REASON = "dry_run_limit"          # the finish reason when the sample is complete
REPLACEMENT = "\ufffd"


class DryRunPipeline:
    def __init__(self, limit: int, workers: int | None, extractor: str) -> None:
        self.limit = limit
        self.workers = workers
        self.extractor = extractor
        self.crawler: Any = None
        self.pool: ExtractionPool | None = None
        self.samples: list[dict[str, Any]] = []
        self.closing: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> DryRunPipeline:
        settings = crawler.settings
        workers = settings.get("NEWSAGG_EXTRACT_WORKERS")
        pipeline = cls(max(1, settings.getint("NEWSAGG_DRY_RUN_LIMIT")),
                       None if workers in (None, "") else int(workers),
                       settings.get("NEWSAGG_EXTRACTOR"))
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self, spider: Any = None) -> None:
        self.crawler.stats.set_value(DRY_RUN_SAMPLES, self.samples)
        self.pool = ExtractionPool(self.workers, load_object(self.extractor))

    def close_spider(self, spider: Any = None) -> None:
        if self.pool is not None:
            self.pool.shutdown()

    async def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        spider = self.crawler.spider
        source = spider.sources[item["source_id"]]
        url = item["url"]
        if len(self.samples) >= self.limit:     # in flight when the sample was complete
            return {"url": url, "outcome": "not_sampled"}
        assert self.pool is not None
        html = item.pop("html")
        sample: dict[str, Any] = {
            "url": url, "requested_url": item["requested_url"],
            "known": item["requested_url"] in spider.known
            or normalize_url(url) in spider.known,
            "page_replacement_chars": html.count(REPLACEMENT)}
        try:
            page: ExtractedArticle = await self.pool.run(
                html, url, source, fetched_at=item["fetched_at"], hints=item["hints"])
        except WorkerCrashed as exc:
            fail(self.crawler.stats, source.id, "worker_crashes")
            page = _failed(str(exc))
        except Exception as exc:  # a crash in extraction fails this page, not the try
            log.warning("%s: %s: extraction failed: %r", source.id, url, exc)
            fail(self.crawler.stats, source.id, "extract_errors")
            page = _failed(f"extraction failed: {exc!r}")
        if len(self.samples) >= self.limit:
            return {"url": url, "outcome": "not_sampled"}
        text = page.text or ""
        sample.update(
            title=page.title, published_at=page.published_at,
            published_from=page.published_from, modified_at=page.modified_at,
            author=page.author, language=page.language, canonical_url=page.canonical_url,
            is_article=page.is_article, reason=page.reason, text_chars=len(text),
            full_text_chars=page.full_text_chars,
            replacement_chars=text.count(REPLACEMENT) + (page.title or "").count(REPLACEMENT))
        self.samples.append(sample)
        count(self.crawler.stats, source.id, "new" if page.is_article else "not_articles")
        if len(self.samples) >= self.limit and self.closing is None:
            self.closing = deferred_from_coro(
                self.crawler.engine.close_spider_async(reason=LIMIT_REASON))
        return {"url": url, "outcome": "sampled"}


def _failed(reason: str) -> ExtractedArticle:
    return ExtractedArticle(title=None, text=None, author=None, language=None,
                            published_at=None, published_from=None, is_article=False,
                            reason=reason)
