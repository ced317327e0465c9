"""Running one crawl in this process and reading back its summary.

Scrapy's reactor cannot be restarted, so a process runs at most one crawl: the
CLI calls :func:`run_crawl` once; schedulers and tests start `newsagg crawl`
as a subprocess.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from aggregator.errors import CrawlError
from aggregator.sources import load_sources, select_sources
from storage.store import Store

QUIET_LOCAL_SETTINGS = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
                        "DOWNLOAD_DELAY_JITTER": 0}


def crawl_settings(overrides: Mapping[str, Any] = ()) -> Settings:
    settings = Settings()
    settings.setmodule("aggregator.settings", priority="project")
    settings.update(dict(overrides), priority="cmdline")
    return settings


def run_crawl(sources_path: str | Path, db_path: str | Path, *,
              source_ids: Sequence[str] = (), refresh: bool = False,
              settings: Mapping[str, Any] = ()) -> str:
    """Crawl the chosen sources once into the database; return the run id."""
    all_sources = load_sources(sources_path)
    sources = select_sources(all_sources, list(source_ids))
    with Store(db_path) as store:           # fails early on an unusable database
        store.sync_sources(s.as_row() for s in all_sources)
    run_id = uuid.uuid4().hex[:12]
    process = CrawlerProcess(crawl_settings({
        **dict(settings), "NEWSAGG_SOURCES": str(sources_path), "NEWSAGG_DB": str(db_path),
        "NEWSAGG_RUN_ID": run_id}))
    crawler = process.create_crawler("news")
    process.crawl(crawler, source=",".join(s.id for s in sources), refresh=refresh)
    process.start()
    reason = crawler.stats.get_value("finish_reason") if crawler.stats else None
    if reason is None:
        raise CrawlError("the crawl did not start; see the log above for Scrapy's error")
    return run_id


def summary_rows(db_path: str | Path, run_id: str) -> list[dict[str, Any]]:
    with Store(db_path) as store:
        return store.run_summary(run_id)


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
    return "\n".join(lines)
