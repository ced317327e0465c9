"""Which articles a digest lists, grouped by topic and then by story.

The window is the 24 hours (on the wall clock of the digest's zone) before the
digest time of the digest date, by the time the store first saw each article.
Articles published long before the window (a new source's back catalogue) are
counted, not listed. A story shows once: under the first declared topic it
matches, with the other articles that carry it as "also reported by", and as a
cross-reference under any further topic it matches.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from aggregator.clock import utc_stamp
from aggregator.config.digest import DigestSettings
from aggregator.dates.parse import to_utc
from aggregator.digest.crawls import WindowCrawls, window_crawls
from aggregator.digest.text import display_date, lead, one_line, safe_url
from aggregator.digest.topics import TopicMatcher

OTHER_ID = "other"


@dataclass
class Mention:
    """Another article carrying a listed story."""

    article_id: int
    source_id: str
    source_name: str
    title: str
    url: str | None
    published: str | None


@dataclass
class Item:
    """One story as the digest lists it, through its earliest article in the window."""

    story_id: int
    article_id: int
    title: str
    url: str | None
    source_id: str
    source_name: str
    region: str
    published: str | None          # for display, in the publisher's zone
    published_at: str | None       # as stored (ISO 8601)
    first_seen_at: str
    lead: str
    topics: list[str] = field(default_factory=list)
    also: list[Mention] = field(default_factory=list)
    home: str = OTHER_ID           # the section that lists it in full
    sort_time: float = 0.0

    @property
    def sources(self) -> int:
        return len({self.source_id, *(m.source_id for m in self.also)})


@dataclass
class Section:
    id: str
    name: str
    items: list[Item] = field(default_factory=list)
    see_also: list[Item] = field(default_factory=list)   # listed in full under another topic


@dataclass
class Digest:
    date: date
    window_start: datetime          # in the digest's zone
    window_end: datetime
    timezone: str
    sections: list[Section]
    article_ids: list[int]
    sources: int
    crawls: WindowCrawls = field(default_factory=WindowCrawls)   # what the window's crawls did
    older: int = 0                  # first seen in the window, published before max_age_days
    unmatched_omitted: int = 0      # stories matching no topic, left out (other = "omit")

    @property
    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    @property
    def stories(self) -> int:
        return len(self.items)

    @property
    def articles(self) -> int:
        return len(self.article_ids)

    @property
    def empty(self) -> bool:
        return not self.items

    def section_name(self, section_id: str) -> str:
        return next((s.name for s in self.sections if s.id == section_id), section_id)


def window(day: date, settings: DigestSettings) -> tuple[datetime, datetime]:
    """From the digest time of the day before to the digest time of ``day``, local clock."""
    zone = settings.zone
    return (datetime.combine(day - timedelta(days=1), settings.time, zone),
            datetime.combine(day, settings.time, zone))


def latest_due(now: datetime, settings: DigestSettings) -> date:
    """The newest digest date whose window has closed at ``now``."""
    local = now.astimezone(settings.zone)
    return local.date() if local.time() >= settings.time else local.date() - timedelta(days=1)


ARTICLE_COLUMNS = ("a.id, a.cluster_id, a.source_id, a.url, a.title, a.text, a.published_at,"
                   " a.first_seen_at, COALESCE(s.name, a.source_id), COALESCE(s.region, ''),"
                   " s.timezone")


def build_digest(conn: sqlite3.Connection, settings: DigestSettings, day: date,
                 matcher: TopicMatcher | None = None) -> Digest:
    """Select and group the articles of one digest date (reads the store, writes nothing)."""
    matcher = matcher or TopicMatcher(settings.topics)
    start, end = window(day, settings)
    rows = conn.execute(
        f"SELECT {ARTICLE_COLUMNS} FROM articles a LEFT JOIN sources s ON s.id = a.source_id"
        " WHERE a.first_seen_at >= ? AND a.first_seen_at < ? ORDER BY a.id",
        (utc_stamp(start), utc_stamp(end))).fetchall()
    oldest = start - timedelta(days=settings.max_age_days)
    fresh, older = [], 0
    for row in rows:
        moment = to_utc(row[6], row[10])
        if settings.max_age_days and moment is not None and moment < oldest:
            older += 1
        else:
            fresh.append(row)

    by_story: dict[int, list[tuple]] = defaultdict(list)
    for row in fresh:
        by_story[row[1] or row[0]].append(row)
    earlier = _other_articles(conn, list(by_story), {row[0] for row in fresh}, utc_stamp(end))

    items: list[Item] = []
    for story_id, story_rows in by_story.items():
        story_rows.sort(key=_chronological)
        first = story_rows[0]
        item = _item(story_id, first, settings.lead_chars)
        topics: set[str] = set()
        for row in story_rows:
            topics.update(matcher.match(row[4], row[5]))
        item.topics = [t.id for t in settings.topics if t.id in topics]
        mentions = sorted(story_rows[1:] + earlier.get(story_id, []), key=_chronological)
        item.also = [_mention(row) for row in mentions]
        items.append(item)
    items.sort(key=lambda i: (-i.sources, -i.sort_time, i.story_id))

    sections = [Section(t.id, t.name) for t in settings.topics]
    other = Section(OTHER_ID, "Other news" if settings.topics else "New stories")
    unmatched_omitted = 0
    listed_ids: list[int] = []
    for item in items:
        if not item.topics:
            if settings.other == "omit" and settings.topics:
                unmatched_omitted += 1
                continue
            other.items.append(item)
        for section in sections:
            if section.id in item.topics:
                if item.home == OTHER_ID:
                    item.home = section.id
                    section.items.append(item)
                else:
                    section.see_also.append(item)
        listed_ids.extend(r[0] for r in by_story[item.story_id])
    sections = [s for s in sections + [other] if s.items or s.see_also]
    listed = set(listed_ids)
    return Digest(
        date=day, window_start=start, window_end=end, timezone=settings.timezone,
        sections=sections, article_ids=sorted(listed),
        sources=len({r[2] for r in fresh if r[0] in listed}),
        crawls=window_crawls(conn, utc_stamp(start), utc_stamp(end)),
        older=older, unmatched_omitted=unmatched_omitted)


def _chronological(row: tuple) -> tuple:
    moment = to_utc(row[6], row[10])
    return (moment is None, moment.timestamp() if moment else 0.0, row[7], row[0])


def _other_articles(conn: sqlite3.Connection, story_ids: list[int], in_window: set[int],
                    before: str) -> dict[int, list[tuple]]:
    """Articles of the listed stories seen before the window ends, other than those listed."""
    found: dict[int, list[tuple]] = defaultdict(list)
    for chunk in range(0, len(story_ids), 500):
        ids = story_ids[chunk:chunk + 500]
        marks = ",".join("?" * len(ids))
        for row in conn.execute(
                f"SELECT {ARTICLE_COLUMNS} FROM articles a LEFT JOIN sources s"
                f" ON s.id = a.source_id WHERE a.cluster_id IN ({marks})"
                " AND a.first_seen_at < ?", [*ids, before]):
            if row[0] not in in_window:
                found[row[1]].append(row)
    return found


def _item(story_id: int, row: tuple, lead_chars: int) -> Item:
    moment = to_utc(row[6], row[10])
    title = one_line(row[4]) or lead(row[5], None, 90) or one_line(row[3])
    return Item(
        story_id=story_id, article_id=row[0], title=title, url=safe_url(row[3]),
        source_id=row[2], source_name=one_line(row[8]), region=one_line(row[9]),
        published=display_date(row[6], row[10]), published_at=row[6], first_seen_at=row[7],
        lead=lead(row[5], row[4], lead_chars),
        sort_time=moment.timestamp() if moment else 0.0)


def _mention(row: tuple) -> Mention:
    return Mention(article_id=row[0], source_id=row[2], source_name=one_line(row[8]),
                   title=one_line(row[4]), url=safe_url(row[3]),
                   published=display_date(row[6], row[10]))
