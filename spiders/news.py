"""The one generic spider: reads the sources file and decides what to fetch.

Feeds, sitemaps (through robots.txt, indexes and .gz) and listing pages give
article links; a link is requested only when it is on the source's own site,
not already stored (under any alias) or said by its feed/sitemap to have
changed. Everything else (extraction, dates, storage) happens in the pipeline.

With NEWSAGG_DRY_RUN (`newsagg sources try`) it also tallies, per declared feed,
sitemap and listing, the links each gave, how many match article_pattern and how many
leave the site, and which were known already; feeds, sitemaps and listings are then
fetched before articles, so that the tallies are whole when the sample is.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from aggregator.clock import utc_now
from aggregator.config.sources import Source, load_sources, select_sources
from aggregator.counters import count, fail
from aggregator.crawl.discovery import (
    Link,
    parse_feed,
    parse_listing,
    parse_sitemap,
    sitemaps_from_robots,
)
from aggregator.crawl.dryrun import DRY_RUN_STAT
from aggregator.crawl.middlewares import Refused
from aggregator.dates.hints import DateHint
from aggregator.dates.parse import latest_date, to_utc
from aggregator.decoding import Decoded, decode_html, looks_garbled
from aggregator.urls import normalize_url, same_site
from storage.known import read_known_urls
from storage.store import Store

log = logging.getLogger(__name__)
DISCOVERY_PRIORITY = 10          # a dry run's feeds, sitemaps and listings go first


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, sources: str | None = None, source: str | None = None,
                 db: str | None = None, refresh: bool | str = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sources_path = sources
        self.source_ids = [s for s in (source or "").split(",") if s]
        self.db_path = db
        self.refresh = str(refresh).lower() in ("1", "true", "yes")
        self.sources: dict[str, Source] = {}
        self.known: dict[str, str | None] = {}
        self.scheduled: set[str] = set()
        self.skipped: set[str] = set()
        self.hints: dict[str, list[DateHint]] = {}
        self.sitemap_depth = 4
        self.max_sitemaps = 1000
        self.sitemaps_taken: dict[str, int] = {}
        self.dry_run = False
        self.known_seen: set[str] = set()
        # Dry run only: {"origins": {declared URL: counts}, "known": [URLs already stored]}
        self.discovery: dict[str, Any] = {"origins": {}, "known": []}

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.sources_path = spider.sources_path or crawler.settings.get("NEWSAGG_SOURCES")
        spider.db_path = spider.db_path or crawler.settings.get("NEWSAGG_DB")
        chosen = select_sources(load_sources(spider.sources_path), spider.source_ids)
        spider.sources = {s.id: s for s in chosen}
        spider.sitemap_depth = crawler.settings.getint("NEWSAGG_SITEMAP_DEPTH")
        spider.max_sitemaps = crawler.settings.getint("NEWSAGG_MAX_SITEMAPS")
        spider.dry_run = crawler.settings.getbool("NEWSAGG_DRY_RUN")
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        assert self.db_path is not None, "from_crawler sets it (NEWSAGG_DB has a default)"
        known_db = self.crawler.settings.get("NEWSAGG_KNOWN_DB")
        if known_db:
            self.known = read_known_urls(known_db, self.sources)
        else:
            with Store(self.db_path) as store:
                self.known = store.known_urls(self.sources)
        if self.dry_run:                  # the caller of the dry run reads it there
            self.crawler.stats.set_value(DRY_RUN_STAT, self.discovery)
        # Feeds first: their entries carry the best dates and change marks.
        for kind, callback in (("feeds", self.parse_feed), ("sitemaps", self.parse_sitemap),
                               ("listings", self.parse_listing)):
            for src in self.sources.values():
                for url in getattr(src, kind):
                    yield self._request(url, src, callback, depth=1, origin=url)

    # -- discovery callbacks ---------------------------------------------------------
    def parse_feed(self, response: Response, source_id: str, depth: int) -> Iterator[Any]:
        src = self._fetched(response, source_id)
        try:
            links = parse_feed(response.body, response.url)
        except ValueError as exc:
            yield from self._fail(src, response.url, f"unreadable feed: {exc}")
            return
        if links.problem:                 # entries were read past it: some may be missing
            log.warning("%s: %s: %s", src.id, response.url, links.problem)
            count(self.crawler.stats, src.id, "feeds_ill_formed")
        if not links:
            log.warning("%s: feed %s has no entries", src.id, response.url)
        self.tally(src, response, "feed", [link.url for link in links])
        for link in links:
            yield from self._follow_article(src, link)

    def parse_sitemap(self, response: Response, source_id: str, depth: int) -> Iterator[Any]:
        src = self._fetched(response, source_id)
        if response.url.endswith("/robots.txt"):
            for url in sitemaps_from_robots(response.body, response.url):
                if same_site(url, src.homepage):
                    yield self._request(url, src, self.parse_sitemap, depth=depth,
                                        origin=self._origin(response))
            return
        try:
            doc = parse_sitemap(response.body, response.url)
        except ValueError as exc:
            yield from self._fail(src, response.url, f"unreadable sitemap: {exc}")
            return
        if doc.truncated:
            log.warning("%s: %s: %s", src.id, response.url, doc.truncated)
            count(self.crawler.stats, src.id, "sitemaps_truncated")
        if doc.kind == "sitemapindex":
            children = [c.url for c in doc.links if same_site(c.url, src.homepage)]
            for url in self._sitemaps_within_limits(src, response.url, children, depth + 1):
                yield self._request(url, src, self.parse_sitemap, depth=depth + 1,
                                    origin=self._origin(response))
            return
        self.tally(src, response, "sitemap", [link.url for link in doc.links])
        for link in doc.links:
            if src.article_pattern is None or src.is_article_url(link.url):
                yield from self._follow_article(src, link)

    def parse_listing(self, response: Response, source_id: str, depth: int) -> Iterator[Any]:
        src = self._fetched(response, source_id)
        if not isinstance(response, TextResponse):
            yield from self._fail(src, response.url, "listing page is not text")
            return
        judged: dict[str, None] = {}

        def is_article(url: str) -> bool:
            judged[url] = None
            return src.is_article_url(url)

        listing = parse_listing(self._decoded(response).text, response.url,
                                is_article if self.dry_run else src.is_article_url)
        self.tally(src, response, "listing", list(judged), listing.article_urls)
        for url in listing.article_urls:
            yield from self._follow_article(src, Link(url))
        if depth < src.max_listing_pages:
            for url in listing.next_urls:
                if same_site(url, src.homepage) and normalize_url(url) not in self.scheduled:
                    self.scheduled.add(normalize_url(url))
                    yield self._request(url, src, self.parse_listing, depth=depth + 1,
                                        origin=self._origin(response))

    def _sitemaps_within_limits(self, src: Source, index: str, urls: list[str],
                                depth: int) -> list[str]:
        """The child sitemaps of an index to fetch: none past the depth limit (an index
        that always names one more index ends), at most max_sitemaps per source."""
        allowed = self.max_sitemaps - self.sitemaps_taken.get(src.id, 0)
        if depth > self.sitemap_depth:
            allowed = 0
        taken = urls[:max(allowed, 0)]
        if len(taken) < len(urls):
            limit = (f"nested more than {self.sitemap_depth} deep" if depth > self.sitemap_depth
                     else f"more than {self.max_sitemaps} sitemaps for this source")
            log.warning("%s: %s: %d sitemap(s) not followed: %s", src.id, index,
                        len(urls) - len(taken), limit)
            count(self.crawler.stats, src.id, "sitemaps_capped", len(urls) - len(taken))
        self.sitemaps_taken[src.id] = self.sitemaps_taken.get(src.id, 0) + len(taken)
        return taken

    # -- articles --------------------------------------------------------------------
    def _follow_article(self, src: Source, link: Link) -> Iterator[scrapy.Request]:
        if not same_site(link.url, src.homepage):
            return
        key = normalize_url(link.url)
        if self.dry_run and key in self.known and key not in self.known_seen:
            self.known_seen.add(key)
            self.discovery["known"].append(key)
        if link.published or link.updated:
            self.hints.setdefault(key, []).append(
                DateHint(link.origin, link.published, link.updated))
        if key in self.scheduled:
            return
        if key in self.known and not self.refresh and not self._changed(src, key, link):
            # Not marked as scheduled: a feed entry read later may still say it changed.
            if key not in self.skipped:
                self.skipped.add(key)
                count(self.crawler.stats, src.id, "known_skipped")
            return
        self.scheduled.add(key)
        yield self._request(link.url, src, self.parse_article)

    def _changed(self, src: Source, key: str, link: Link) -> bool:
        """Whether the feed/sitemap says the stored article changed since its last fetch."""
        stored = to_utc(self.known.get(key), src.timezone)
        seen = latest_date([link.updated or link.published], languages=src.languages,
                           timezone=src.timezone)
        return bool(stored and seen and seen[1] > stored)

    def parse_article(self, response: Response, source_id: str) -> Iterator[dict]:
        src = self._fetched(response, source_id)
        if not isinstance(response, TextResponse):
            yield from self._fail(src, response.url, "not a text page")
            return
        decoded = self._decoded(response)
        if decoded.problem:     # the article's own text is judged after extraction
            log.info("%s: %s: read as %s (%s): %s", src.id, response.url, decoded.encoding,
                     decoded.source, decoded.problem)
        requested = normalize_url(response.meta.get("redirect_urls", [response.url])[0])
        keys = dict.fromkeys([requested, normalize_url(response.url)])
        yield {
            "source_id": src.id,
            "url": response.url,
            "requested_url": requested,
            "html": decoded.text,
            "fetched_at": utc_now(),
            "hints": tuple(hint for key in keys for hint in self.hints.get(key, ())),
        }

    # -- plumbing ----------------------------------------------------------------------
    @staticmethod
    def _decoded(response: TextResponse) -> Decoded:
        """The page's text; its HTTP charset is not trusted blindly (aggregator/decoding.py).

        Scrapy's own decoding (cached on the response, which the meta-refresh check has
        read already) is kept when it reads: a second copy of every page would cost the
        crawl process 24 MB at 1,000 pages, measured."""
        if looks_garbled(response.text) is None:
            return Decoded(response.text, response.encoding, "scrapy")
        header = (response.headers.get("Content-Type") or b"").decode("latin-1")
        return decode_html(response.body, header or None)

    def _request(self, url: str, src: Source, callback: Callable[..., Iterator[Any]],
                 depth: int | None = None, origin: str | None = None) -> scrapy.Request:
        """A request of ``src``. ``depth``: of a feed, sitemap or listing, the steps from
        the URL the source declares (1 is that URL): a sitemap's nesting, a listing's
        page number; an article has none. ``origin``: that declared URL."""
        kwargs: dict[str, Any] = {"source_id": src.id}
        meta: dict[str, Any] = {"source_id": src.id}
        priority = 0
        if depth is not None:
            kwargs["depth"] = depth
            meta["newsagg_origin"] = origin or url
            priority = DISCOVERY_PRIORITY if self.dry_run else 0
        return scrapy.Request(url, callback=callback, errback=self.on_error,
                              cb_kwargs=kwargs, meta=meta, priority=priority)

    @staticmethod
    def _origin(response: Response) -> str:
        return str(response.meta.get("newsagg_origin") or response.url)

    def tally(self, src: Source, response: Response, kind: str, links: list[str],
              matched: list[str] | None = None) -> None:
        """Dry run only: what one page of a declared feed, sitemap or listing gave: its
        links, those matching article_pattern (``matched``, or found here), those that
        leave the site (among the ones the crawl would follow: entries, matches)."""
        if not self.dry_run:
            return
        if matched is None:
            matched = [url for url in links if src.is_article_url(url)]
        followed = matched if kind == "listing" else links
        counts = self.discovery["origins"].setdefault(self._origin(response), {
            "source_id": src.id, "kind": kind, "pages": 0, "links": 0, "matched": 0,
            "offsite": 0})
        counts["pages"] += 1
        counts["links"] += len(links)
        counts["matched"] += len(matched)
        counts["offsite"] += sum(1 for url in followed if not same_site(url, src.homepage))

    def _fetched(self, response: Response, source_id: str) -> Source:
        count(self.crawler.stats, source_id, "fetched")
        return self.sources[source_id]

    def _fail(self, src: Source, url: str, why: str, cause: str = "unreadable"
              ) -> Iterator[Any]:
        log.warning("%s: %s: %s", src.id, url, why)
        fail(self.crawler.stats, src.id, cause)
        return iter(())

    def on_error(self, failure: Failure) -> None:
        """Count a request that brought no usable response, under its cause."""
        request = failure.request  # type: ignore[attr-defined]  # Scrapy sets it on errbacks
        source_id = request.meta.get("source_id", "?")
        exc = failure.value
        response = getattr(exc, "response", None)
        stats = self.crawler.stats
        if response is not None:                       # HttpError: an answer, not a page
            count(stats, source_id, "fetched")
            cause, why = "http_errors", f"HTTP {response.status}"
        elif isinstance(exc, Refused):
            cause, why = exc.cause, str(exc)
        elif isinstance(exc, IgnoreRequest):
            why = str(exc) or type(exc).__name__
            if "robots.txt" in why:                    # the site's rules: not a fault
                count(stats, source_id, "robots_denied")
            log.info("%s: %s: skipped (%s)", source_id, request.url, why)
            return
        elif isinstance(exc, DownloadCancelledError):
            cap = self.crawler.settings.getint("DOWNLOAD_MAXSIZE")
            cause, why = "size_capped", f"larger than the download cap ({cap} bytes)"
        else:
            cause, why = "network_errors", f"{type(exc).__name__}: {exc}"
        log.warning("%s: %s: %s", source_id, request.url, why)
        fail(stats, source_id, cause)
