"""What the crawls of a digest's window did, in sentences for the digest (in its
language: aggregator/digest/i18n.py).

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

from aggregator.digest.i18n import Language, language
from aggregator.digest.text import one_line
from storage.store import Store
from storage.windows import crawl_totals, source_runs


@dataclass(frozen=True)
class UnreadSource:
    source_id: str
    name: str
    counts: dict[str, int] = field(default_factory=dict)   # its crawl_runs totals

    def reason_in(self, words: Language) -> str:
        """'every request failed: 5 HTTP errors' (or 'no answer: ...')."""
        how = words.no_answer if not self.counts.get("fetched") else words.all_failed
        what = words.causes(self.counts) or words.count("pages_lost",
                                                        self.counts.get("failed") or 0)
        return f"{how}: {what}"

    @property
    def reason(self) -> str:
        return self.reason_in(language("en"))


@dataclass
class WindowCrawls:
    crawls: int = 0          # crawl processes started in the window
    sources: int = 0         # sources they crawled
    unread: list[UnreadSource] = field(default_factory=list)
    not_crawled: list[str] = field(default_factory=list)      # source names

    def empty_note_in(self, words: Language) -> str:
        """What an empty digest says after "No new articles were found in this window."."""
        if not self.crawls:
            return words.no_crawl
        ran = words.text("crawl_ran", crawls=words.count("crawls", self.crawls),
                         sources=words.count("sources", self.sources))
        if self.sources and len(self.unread) >= self.sources:
            return words.text("read_none", ran=ran)
        if self.unread or self.not_crawled:
            return words.text("read_some", ran=ran)
        return words.text("read_all", ran=ran)

    def problems_in(self, words: Language) -> list[str]:
        """One sentence per kind of gap; none for a healthy window."""
        lines = []
        if self.unread:
            listed = ", ".join(f"{s.name} ({s.reason_in(words)})" for s in self.unread)
            lines.append(words.count("unread", len(self.unread), names=listed))
        if self.not_crawled:
            lines.append(words.count("not_crawled", len(self.not_crawled),
                                     names=", ".join(self.not_crawled)))
        return lines

    @property
    def empty_note(self) -> str:
        return self.empty_note_in(language("en"))

    @property
    def problems(self) -> list[str]:
        return self.problems_in(language("en"))


def window_crawls(store: Store, start: str, end: str) -> WindowCrawls:
    """The crawls started in [start, end) (UTC ISO strings, as stored)."""
    totals = crawl_totals(store, start, end)
    found = WindowCrawls(crawls=totals["crawls"], sources=totals["sources"])
    for row in source_runs(store, start, end):
        name = one_line(row["name"]) or row["source_id"]
        if row["runs"] and row["lost_runs"] == row["runs"]:
            found.unread.append(UnreadSource(row["source_id"], name, _counts(dict(row))))
        elif not row["runs"] and found.crawls and row["enabled"] and row["listed"]:
            found.not_crawled.append(name)
    return found


def _counts(row: dict[str, Any]) -> dict[str, int]:
    return {key: int(value) for key, value in row.items()
            if isinstance(value, int) and not isinstance(value, bool)}
