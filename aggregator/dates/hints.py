"""What the crawl saw of an article's dates outside its page: plain data, made in the
crawl process (which never loads trafilatura or htmldate) and read by the
publication-date rule in the workers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DateHint:
    """A date the crawl saw outside the page: a feed entry or a sitemap record."""

    origin: str                     # "feed" or "sitemap"
    published: str | None = None    # raw string, as written there
    updated: str | None = None
