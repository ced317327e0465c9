"""What the crawls of a digest's window did, in sentences for the digest.

An empty digest must not claim that the portals published nothing when nothing was
crawled, and a digest must not hide that some sources could not be read: its list is
only as complete as the crawls behind it.

A source *could not be read* in a window when it had crawls there and every one of them
read nothing (no article stored or seen again, no page found not to be an article, no
known link) and lost pages. An enabled source that is still in the sources file but had
no crawl in a window where others had some was *not crawled* (a crawl killed at the
scheduler's time limit records no run, for one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aggregator.counters import describe_problems
from aggregator.digest.text import one_line
from storage.store import Store
from storage.windows import crawl_totals, source_runs


@dataclass(frozen=True)
class UnreadSource:
    source_id: str
    name: str
    reason: str              # "every request failed: 5 HTTP errors"


@dataclass
class WindowCrawls:
    crawls: int = 0          # crawl processes started in the window
    sources: int = 0         # sources they crawled
    unread: list[UnreadSource] = field(default_factory=list)
    not_crawled: list[str] = field(default_factory=list)      # source names

    @property
    def empty_note(self) -> str:
        """What an empty digest says after "No new articles were found in this window."."""
        if not self.crawls:
            return "No crawl ran in this window: nothing was fetched."
        ran = (f"The crawl ran ({_count(self.crawls, 'crawl', 'crawls')} of "
               f"{_count(self.sources, 'source', 'sources')})")
        if self.sources and len(self.unread) >= self.sources:
            return f"{ran} but could not read any of them."
        if self.unread or self.not_crawled:
            return f"{ran}; the portals it could read published nothing new."
        return f"{ran}; the followed portals published nothing new."

    @property
    def problems(self) -> list[str]:
        """One sentence per kind of gap; none for a healthy window."""
        lines = []
        if self.unread:
            listed = ", ".join(f"{s.name} ({s.reason})" for s in self.unread)
            lines.append(f"{_count(len(self.unread), 'source', 'sources')} could not be read: "
                         f"{listed}.")
        if self.not_crawled:
            verb = "was" if len(self.not_crawled) == 1 else "were"
            lines.append(f"{_count(len(self.not_crawled), 'source', 'sources')} {verb} not "
                         f"crawled in this window: {', '.join(self.not_crawled)}.")
        return lines


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def window_crawls(store: Store, start: str, end: str) -> WindowCrawls:
    """The crawls started in [start, end) (UTC ISO strings, as stored)."""
    totals = crawl_totals(store, start, end)
    found = WindowCrawls(crawls=totals["crawls"], sources=totals["sources"])
    for row in source_runs(store, start, end):
        name = one_line(row["name"]) or row["source_id"]
        if row["runs"] and row["lost_runs"] == row["runs"]:
            found.unread.append(UnreadSource(row["source_id"], name, _reason(dict(row))))
        elif not row["runs"] and found.crawls and row["enabled"] and row["listed"]:
            found.not_crawled.append(name)
    return found


def _reason(counts: dict[str, Any]) -> str:
    how = "no answer" if not counts["fetched"] else "every request failed"
    failed = counts["failed"]
    return f"{how}: {describe_problems(counts) or _count(failed, 'page lost', 'pages lost')}"
