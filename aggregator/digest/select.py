"""Which articles a digest lists, grouped by topic and then by story.

The window is the 24 hours (on the wall clock of the digest's zone) before the
digest time of the digest date, by the time the store first saw each article.
Articles published long before the window (a new source's back catalogue) are
counted, not listed. A story shows once: under the first declared topic it
matches, with the other articles that carry it as "also reported by", and as a
cross-reference under any further topic it matches.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from aggregator.clock import utc_stamp
from aggregator.config.digest import DigestSettings
from aggregator.dates.parse import to_utc
from aggregator.digest.crawls import WindowCrawls, window_crawls
from aggregator.digest.i18n import language
from aggregator.digest.text import display_date, lead, one_line, safe_url
from aggregator.digest.topics import TopicHit, TopicMatcher
from storage.selection import DigestArticle, of_stories, seen_between
from storage.store import Store

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
    keywords: list[TopicHit] = field(default_factory=list)   # why, one per topic, in order
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
    language: str = "en"            # what its dates and labels are written in

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


def build_digest(store: Store, settings: DigestSettings, day: date,
                 matcher: TopicMatcher | None = None) -> Digest:
    """Select and group the articles of one digest date (reads the store, writes nothing)."""
    matcher = matcher or TopicMatcher(settings.topics)
    start, end = window(day, settings)
    seen = seen_between(store, utc_stamp(start), utc_stamp(end))
    oldest = start - timedelta(days=settings.max_age_days)
    fresh: list[DigestArticle] = []
    older = 0
    for article in seen:
        moment = to_utc(article.published_at, article.timezone)
        if settings.max_age_days and moment is not None and moment < oldest:
            older += 1
        else:
            fresh.append(article)

    by_story: dict[int, list[DigestArticle]] = defaultdict(list)
    for article in fresh:
        by_story[article.story_id or article.id].append(article)
    earlier = _other_articles(store, list(by_story), {a.id for a in fresh}, utc_stamp(end))

    lang = settings.language
    items: list[Item] = []
    for story_id, story_articles in by_story.items():
        story_articles.sort(key=_chronological)
        item = _item(story_id, story_articles[0], settings.lead_chars, lang)
        hits: dict[str, TopicHit] = {}
        for article in story_articles:                 # the earliest article's match first
            for hit in matcher.hits(article.title, article.text):
                hits.setdefault(hit.topic_id, hit)
        item.topics = [t.id for t in settings.topics if t.id in hits]
        item.keywords = [hits[t] for t in item.topics]
        mentions = sorted(story_articles[1:] + earlier.get(story_id, []), key=_chronological)
        item.also = [_mention(article, lang) for article in mentions]
        items.append(item)
    items.sort(key=lambda i: (-i.sources, -i.sort_time, i.story_id))

    sections = [Section(t.id, t.name) for t in settings.topics]
    words = language(lang)
    other = Section(OTHER_ID, words.other_news if settings.topics else words.new_stories)
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
        listed_ids.extend(a.id for a in by_story[item.story_id])
    sections = [s for s in [*sections, other] if s.items or s.see_also]
    listed = set(listed_ids)
    return Digest(
        date=day, window_start=start, window_end=end, timezone=settings.timezone,
        sections=sections, article_ids=sorted(listed),
        sources=len({a.source_id for a in fresh if a.id in listed}),
        crawls=window_crawls(store, utc_stamp(start), utc_stamp(end)),
        older=older, unmatched_omitted=unmatched_omitted, language=lang)


def _chronological(article: DigestArticle) -> tuple[bool, float, str, int]:
    moment = to_utc(article.published_at, article.timezone)
    return (moment is None, moment.timestamp() if moment else 0.0, article.first_seen_at,
            article.id)


def _other_articles(store: Store, story_ids: list[int], in_window: set[int],
                    before: str) -> dict[int, list[DigestArticle]]:
    """Articles of the listed stories seen before the window ends, other than those listed."""
    found: dict[int, list[DigestArticle]] = defaultdict(list)
    for article in of_stories(store, story_ids, before):
        if article.id not in in_window and article.story_id is not None:
            found[article.story_id].append(article)
    return found


def _item(story_id: int, article: DigestArticle, lead_chars: int, lang: str) -> Item:
    moment = to_utc(article.published_at, article.timezone)
    title = (one_line(article.title) or lead(article.text, None, 90)
             or one_line(article.url))
    return Item(
        story_id=story_id, article_id=article.id, title=title, url=safe_url(article.url),
        source_id=article.source_id, source_name=one_line(article.source_name),
        region=one_line(article.region),
        published=display_date(article.published_at, article.timezone, lang),
        published_at=article.published_at, first_seen_at=article.first_seen_at,
        lead=lead(article.text, article.title, lead_chars),
        sort_time=moment.timestamp() if moment else 0.0)


def _mention(article: DigestArticle, lang: str) -> Mention:
    return Mention(article_id=article.id, source_id=article.source_id,
                   source_name=one_line(article.source_name), title=one_line(article.title),
                   url=safe_url(article.url),
                   published=display_date(article.published_at, article.timezone, lang))
