"""Running one crawl in this process and reading back its summary.

Scrapy's reactor cannot be restarted, so a process runs at most one crawl: the
CLI calls :func:`run_crawl` once; schedulers and tests start `newsagg crawl`
as a subprocess.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from aggregator.config.sources import load_sources, select_sources
from aggregator.counters import describe_problems, totals
from aggregator.errors import CrawlError
from storage.store import Store

# The stats key under which the pipeline or the run recorder leaves the store's
# permanent error (a str): the crawl stopped because the database took no more writes.
STORE_ERROR_STAT = "newsagg/store_error"
QUIET_LOCAL_SETTINGS = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
                        "DOWNLOAD_DELAY_JITTER": 0}


def crawl_settings(overrides: Mapping[str, Any] | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("aggregator.settings", priority="project")
    settings.update(dict(overrides or {}), priority="cmdline")
    return settings


@dataclass
class CrawlResult:
    """What one crawl did, per source, from its own counters (the same figures as its
    `crawl_runs` rows, which a database that stopped taking writes may not have)."""

    run_id: str
    finish_reason: str
    rows: list[dict[str, Any]]
    store_error: str | None = None      # why the store stopped taking writes, if it did
    stats: dict[str, Any] = field(default_factory=dict)   # Scrapy's stats, as they ended


def run_crawl(sources_path: str | Path, db_path: str | Path, *,
              source_ids: Sequence[str] = (), refresh: bool = False,
              settings: Mapping[str, Any] | None = None) -> CrawlResult:
    """Crawl the chosen sources once into the database.

    Raises StoreError before crawling when the database cannot be written (locked past
    the busy timeout, read-only, not a database); a store that fails for good during
    the crawl stops it, and the result says why in ``store_error``.
    """
    all_sources = load_sources(sources_path)
    sources = select_sources(all_sources, list(source_ids))
    run_id = uuid.uuid4().hex[:12]
    merged = crawl_settings({
        **dict(settings or {}), "NEWSAGG_SOURCES": str(sources_path), "NEWSAGG_DB": str(db_path),
        "NEWSAGG_RUN_ID": run_id})
    # Fails early, with a StoreError, on a database that cannot be written.
    with Store(db_path, busy_timeout=merged.getfloat("NEWSAGG_BUSY_TIMEOUT")) as store:
        store.sync_sources(s.as_row() for s in all_sources)
    process = CrawlerProcess(merged)
    crawler = process.create_crawler("news")
    process.crawl(crawler, source=",".join(s.id for s in sources), refresh=refresh)
    process.start()
    stats = crawler.stats
    reason = stats.get_value("finish_reason") if stats else None
    if reason is None:
        raise CrawlError("the crawl did not start; see the log above for Scrapy's error")
    rows = [dict(source_id=s.id, **totals(stats, s.id)) for s in sources]
    return CrawlResult(run_id, reason, sorted(rows, key=lambda r: r["source_id"]),
                       stats.get_value(STORE_ERROR_STAT), stats.get_stats())


def format_summary(rows: list[dict[str, Any]]) -> str:
    """A fixed-width table, one line per source and a total."""
    columns = [("fetched", "fetched"), ("new", "new"), ("new_stories", "new stories"),
               ("reprints", "reprints"), ("updated", "updated"),
               ("unchanged", "unchanged"), ("not_articles", "not articles"),
               ("failed", "failed"), ("known_skipped", "known, skipped")]
    width = max([len("source"), len("total")] + [len(r["source_id"]) for r in rows])
    head = "source".ljust(width) + "".join(f"  {label:>{len(label)}}" for _, label in columns)
    lines = [head, "-" * len(head)]
    total = dict.fromkeys([key for key, _ in columns], 0)
    for row in rows:
        cells = "".join(f"  {row[key] or 0:>{len(label)}}" for key, label in columns)
        lines.append(row["source_id"].ljust(width) + cells)
        for key, _ in columns:
            total[key] += row[key] or 0
    lines.append("-" * len(head))
    lines.append("total".ljust(width) + "".join(f"  {total[key]:>{len(label)}}"
                                                for key, label in columns))
    problems = [(row["source_id"], describe_problems(row)) for row in rows]
    problems = [(source_id, text) for source_id, text in problems if text]
    if problems:
        lines.append("")
        lines.append("what went wrong (pages lost are in 'failed' above; robots.txt rules, "
                     "limits reached and cut texts are notices):")
        lines.extend(f"  {source_id.ljust(width)}  {text}" for source_id, text in problems)
    return "\n".join(lines)
