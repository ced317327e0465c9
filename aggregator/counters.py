"""Per-source crawl counters, kept in Scrapy's stats collector.

One key per (source, counter): the spider counts what it fetched and what
failed, the pipeline counts what it stored; the recorder writes them to
`crawl_runs` and the CLI prints them.

Every page lost is counted twice: once in ``failed`` and once under its cause
(``FAILURE_CAUSES``), so that the summary, `crawl_runs`, `newsagg status` and the
digest can say both how much was lost and why. ``NOTICES`` are counted without
being failures: nothing was lost, but someone may want to know.
"""

from __future__ import annotations

from typing import Any

# What each cause of a lost page is called in the summary (singular, plural).
FAILURE_CAUSES: dict[str, tuple[str, str]] = {
    "http_errors": ("HTTP error", "HTTP errors"),
    "network_errors": ("timeout or dropped connection", "timeouts or dropped connections"),
    "size_capped": ("response over the size cap", "responses over the size cap"),
    "offsite_redirects": ("redirect to another site refused", "redirects to other sites refused"),
    "redirect_loops": ("redirect loop", "redirect loops"),
    "robots_unavailable": ("page not fetched: robots.txt unavailable",
                           "pages not fetched: robots.txt unavailable"),
    "unreadable": ("unreadable feed, sitemap or listing", "unreadable feeds, sitemaps or listings"),
    "undecodable": ("undecodable page", "undecodable pages"),
    "worker_crashes": ("page that crashed its extraction worker",
                       "pages that crashed their extraction worker"),
    "extract_errors": ("extraction error", "extraction errors"),
    "store_errors": ("store error", "store errors"),
}
NOTICES: dict[str, tuple[str, str]] = {
    "robots_denied": ("page disallowed by robots.txt", "pages disallowed by robots.txt"),
    "sitemaps_capped": ("sitemap not followed (depth or count limit)",
                        "sitemaps not followed (depth or count limit)"),
    "sitemaps_truncated": ("sitemap read only to its limit (50,000 URLs or 50 MB)",
                           "sitemaps read only to their limit (50,000 URLs or 50 MB)"),
    "feeds_ill_formed": ("ill-formed feed read as far as it went",
                         "ill-formed feeds read as far as they went"),
    "texts_cut": ("text cut to the maximum length", "texts cut to the maximum length"),
}
COUNTERS = ("fetched", "new", "updated", "unchanged", "failed", "not_articles", "known_skipped",
            "new_stories", "reprints",   # a new article starts a story or joins one
            "undated",                   # article pages whose page, feed or sitemap gave no date
            *FAILURE_CAUSES, *NOTICES)
PREFIX = "newsagg"


def count(stats: Any, source_id: str, counter: str, n: int = 1) -> None:
    stats.inc_value(f"{PREFIX}/{source_id}/{counter}", n)


def fail(stats: Any, source_id: str, cause: str) -> None:
    """One page lost, for this cause (a key of FAILURE_CAUSES)."""
    if cause not in FAILURE_CAUSES:
        raise ValueError(f"unknown failure cause {cause!r}")
    count(stats, source_id, "failed")
    count(stats, source_id, cause)


def totals(stats: Any, source_id: str) -> dict[str, int]:
    return {c: int(stats.get_value(f"{PREFIX}/{source_id}/{c}", 0)) for c in COUNTERS}


def describe_problems(row: dict[str, Any]) -> str:
    """'2 HTTP errors, 1 redirect loop' for a crawl_runs row; '' when nothing went wrong."""
    parts = []
    for key, (one, many) in (FAILURE_CAUSES | NOTICES).items():
        n = row.get(key) or 0
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts)
