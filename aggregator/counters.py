"""Per-source crawl counters, kept in Scrapy's stats collector.

One key per (source, counter): the spider counts what it fetched and what
failed, the pipeline counts what it stored; the recorder writes them to
`crawl_runs` and the CLI prints them.
"""

from __future__ import annotations

from typing import Any

COUNTERS = ("fetched", "new", "updated", "unchanged", "failed", "not_articles", "known_skipped",
            "new_stories", "reprints",   # a new article starts a story or joins one
            "undated")                   # article pages whose page, feed or sitemap gave no date
PREFIX = "newsagg"


def count(stats: Any, source_id: str, counter: str, n: int = 1) -> None:
    stats.inc_value(f"{PREFIX}/{source_id}/{counter}", n)


def totals(stats: Any, source_id: str) -> dict[str, int]:
    return {c: int(stats.get_value(f"{PREFIX}/{source_id}/{c}", 0)) for c in COUNTERS}
