"""`newsagg sources try`: one source crawled as the crawl does it, storing nothing.

The real spider and the real extraction run (aggregator/crawl/run.py with
NEWSAGG_DRY_RUN and the dry-run pipeline) against a database in a temporary directory,
deleted afterwards; the user's database is only opened read-only (NEWSAGG_KNOWN_DB), so
that links already stored are known as in a real crawl. What a user must see
before adding the source is turned into warnings: no dates, one date for every article
(a clock on the page), texts cut or very short, replacement characters, links that
leave the site, articles already stored.

Scrapy's reactor runs once per process: like run_crawl, call this once per process.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aggregator.config.sources import Source, load_sources, select_sources
from aggregator.counters import describe_problems

SHORT_TEXT = 500                 # characters: an article text shorter than this is suspect
DRY_RUN_PIPELINE = "aggregator.crawl.dryrun.DryRunPipeline"


@dataclass(frozen=True)
class OriginCount:
    """What one declared feed, sitemap or listing gave (its pages, pagination and
    child sitemaps included)."""

    kind: str                    # feed, sitemap, listing
    url: str
    pages: int = 0               # documents read (0: it could not be read)
    links: int = 0               # entries of a feed or sitemap; distinct links of a listing
    matched: int = 0             # links matching article_pattern
    offsite: int = 0             # links the crawl would follow but that leave the site


@dataclass(frozen=True)
class Sample:
    url: str
    title: str | None
    published_at: str | None
    published_from: str | None
    language: str | None
    text_chars: int
    is_article: bool
    reason: str | None = None
    full_text_chars: int | None = None
    replacement_chars: int = 0   # U+FFFD in the title and text
    page_replacement_chars: int = 0   # U+FFFD in the decoded page
    known: bool = False          # already in the database


@dataclass
class TryResult:
    source: Source
    origins: list[OriginCount]
    samples: list[Sample]
    known: int                   # article links found that the database holds already
    finish_reason: str
    counts: dict[str, Any] = field(default_factory=dict)   # the crawl's counters
    warnings: list[str] = field(default_factory=list)

    @property
    def articles(self) -> list[Sample]:
        return [s for s in self.samples if s.is_article]


def try_source(sources_path: str | Path, source_id: str, *, limit: int = 5,
               db_path: str | Path | None = None,
               settings: Mapping[str, Any] | None = None) -> TryResult:
    """Crawl ``source_id`` until ``limit`` pages are extracted; nothing is stored.

    ``db_path``: the user's database, opened read-only to know which links it holds.
    SourcesError for an unknown id or an invalid file."""
    from aggregator.crawl.dryrun import DRY_RUN_SAMPLES, DRY_RUN_STAT
    from aggregator.crawl.run import run_crawl

    if limit < 1:
        raise ValueError("limit must be at least 1")
    source = select_sources(load_sources(sources_path), [source_id])[0]
    merged: dict[str, Any] = {
        "NEWSAGG_EXTRACT_WORKERS": 1, "LOG_LEVEL": "WARNING", **dict(settings or {}),
        "NEWSAGG_DRY_RUN": True, "NEWSAGG_DRY_RUN_LIMIT": limit,
        "ITEM_PIPELINES": {"aggregator.crawl.pipeline.ExtractAndStorePipeline": None,
                           DRY_RUN_PIPELINE: 300},
        "EXTENSIONS": {"aggregator.crawl.extensions.ProgressReporter": None,
                       "aggregator.crawl.extensions.CrawlRunRecorder": None,
                       "aggregator.crawl.extensions.ReactorLag": None},
        "STATS_DUMP": False}
    if db_path is not None and Path(db_path).is_file():
        merged["NEWSAGG_KNOWN_DB"] = str(db_path)
    with tempfile.TemporaryDirectory(prefix="newsagg-try-") as scratch:
        db = Path(scratch) / "news.db"
        crawl = run_crawl(sources_path, db, source_ids=[source.id], refresh=True,
                          settings=merged)
    discovery = crawl.stats.get(DRY_RUN_STAT) or {"origins": {}, "known": []}
    samples = [Sample(**{k: v for k, v in s.items() if k in Sample.__dataclass_fields__})
               for s in crawl.stats.get(DRY_RUN_SAMPLES) or []]
    result = TryResult(source, _origins(source, discovery["origins"]), samples,
                       len(discovery["known"]), crawl.finish_reason,
                       crawl.rows[0] if crawl.rows else {})
    result.warnings = warnings(result, str(db_path) if db_path else "the database")
    return result


def _origins(source: Source, tallies: dict[str, dict[str, Any]]) -> list[OriginCount]:
    """One row per declared URL, in the file's order; one never read has zero pages."""
    rows = []
    for kind, urls in (("feed", source.feeds), ("sitemap", source.sitemaps),
                       ("listing", source.listings)):
        for url in urls:
            got = tallies.get(url, {})
            rows.append(OriginCount(kind, url, **{k: int(got.get(k, 0)) for k in
                                                 ("pages", "links", "matched", "offsite")}))
    return rows


def warnings(result: TryResult, db_name: str) -> list[str]:
    """What a user must see before relying on the source."""
    found: list[str] = []
    articles = result.articles
    if not result.samples:
        found.append("no article page was fetched: check the feeds, sitemaps, listings "
                     "and article_pattern above")
    for origin in result.origins:
        if origin.pages == 0:
            found.append(f"{origin.kind} {origin.url} could not be read (see the log)")
        elif origin.kind == "listing" and origin.matched == 0:
            found.append(f"listing {origin.url}: no link matches article_pattern")
    undated = [s for s in articles if not s.published_at]
    if articles and len(undated) == len(articles):
        found.append("no article has a date")
    elif undated:
        found.append(f"{len(undated)} of {len(articles)} articles have no date")
    dates = {s.published_at for s in articles}
    if len(articles) >= 2 and len(dates) == 1 and None not in dates:
        found.append(f"every article has the same date ({dates.pop()}): a clock or "
                     "'today' on the page, not the publication date?")
    cut = [s for s in articles if s.full_text_chars]
    if cut:
        found.append(f"{len(cut)} text(s) cut to the maximum length")
    short = [s for s in articles if s.text_chars < SHORT_TEXT] + [
        s for s in result.samples if not s.is_article and (s.reason or "").startswith(
            "too little text")]
    if short:
        found.append(f"{len(short)} very short text(s) (under {SHORT_TEXT} characters): "
                     "a teaser, or text the extraction missed?")
    garbled = [s for s in result.samples if s.replacement_chars or s.page_replacement_chars]
    if garbled:
        found.append(f"{len(garbled)} page(s) hold replacement characters (U+FFFD): "
                     "a wrong charset, or damage at the site")
    not_articles = [s for s in result.samples if not s.is_article
                    and not (s.reason or "").startswith(("garbled", "too little text"))]
    if not_articles:
        found.append(f"{len(not_articles)} of {len(result.samples)} pages fetched are not "
                     "articles: does article_pattern match listing, tag or author pages?")
    offsite = sum(o.offsite for o in result.origins)
    if offsite:
        found.append(f"{offsite} link(s) leave the site ({result.source.homepage}): "
                     "the crawl does not follow them")
    if result.known:
        found.append(f"{result.known} of the article links found are already in "
                     f"{db_name} (a crawl fetches them again only when they change)")
    problems = describe_problems(result.counts)
    if problems:
        found.append(f"while fetching: {problems}")
    return found


def format_try(result: TryResult) -> str:
    """The report `newsagg sources try` prints."""
    from aggregator.crawl.dryrun import LIMIT_REASON

    src = result.source
    lines = [f"source {src.id}: {src.name} ({src.homepage})",
             f"article_pattern: {src.article_pattern or '(none: feed entries only)'}", "",
             "what each feed, sitemap and listing gave:"]
    width = max([len(o.url) for o in result.origins] + [10])
    for o in result.origins:
        lines.append(f"  {o.kind:<7}  {o.url:<{width}}  {o.links:>5} links  "
                     f"{o.matched:>5} match  {o.offsite:>3} off-site  ({o.pages} page(s))")
    lines += ["", f"sample ({len(result.samples)} page(s)):"]
    for n, s in enumerate(result.samples, 1):
        lines.append(f"  {n}. {s.url}" + ("  [already stored]" if s.known else ""))
        if not s.is_article:
            lines.append(f"     not an article: {s.reason}")
            continue
        date = f"{s.published_at} (from {s.published_from})" if s.published_at else "no date"
        cut = f", cut from {s.full_text_chars}" if s.full_text_chars else ""
        lines.append(f"     title: {s.title}")
        lines.append(f"     date: {date}; language: {s.language or '?'}; "
                     f"text: {s.text_chars} characters{cut}")
    lines += ["", "warnings:" if result.warnings else "warnings: none"]
    lines += [f"  - {w}" for w in result.warnings]
    stopped = (f"stopped after {len(result.samples)} page(s) (--limit); "
               if result.finish_reason == LIMIT_REASON else "")
    lines += ["", f"{stopped}nothing was stored (dry run)."]
    return "\n".join(lines)
