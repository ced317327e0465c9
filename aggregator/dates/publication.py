"""The rule that picks an article's publication date: what its page states first, then
its feed, the rest of the page, its news sitemap, its URL, its lastmod; an "updated"
time is never the publication date (DESIGN.md, Decisions)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

import lxml.html

from aggregator.dates.hints import DateHint
from aggregator.dates.page import PageDates
from aggregator.dates.parse import DEFAULT_LANGUAGES, parse_date, to_utc


def publication_dates(dates: PageDates, hints: Sequence[DateHint], languages: Sequence[str],
                 tz: str | None, fetched_at: datetime | None
                 ) -> tuple[str | None, str | None, str | None]:
    """Published date (and where it came from) and modified date, from page and hints.

    Priority: what the page says first (its dateline, or its metadata when that ranks
    first), then the feed, the rest of the page, the news sitemap, the URL, lastmod.
    """
    hint_values = _hint_dates(hints, languages, tz, fetched_at)
    on_page = [(v, o) for v, o in dates.candidates if o in ("page", "metadata")]
    candidates = on_page[:1]
    candidates += [(v, o) for v, o, kind in hint_values if kind == "published" and o == "feed"]
    candidates += on_page[1:]
    candidates += [(v, o) for v, o, kind in hint_values
                   if kind == "published" and o == "sitemap"]
    # htmldate's markup find is a guess checked against chrome: after every stated date.
    candidates += [(v, "page" if o == "markup" else o) for v, o in dates.candidates
                   if o in ("url", "markup")]
    candidates += [(v, o) for v, o, kind in hint_values if kind == "updated" and o == "sitemap"]
    published_at, published_from = choose_date(candidates)
    if published_at and tz:
        published_at = _in_publisher_zone(published_at, tz)
    modified_at = dates.modified_at or next(
        (v for v, o, kind in hint_values if kind == "updated" and o == "feed"), None)
    return published_at, published_from, modified_at


def choose_date(candidates: Sequence[tuple[str, str]]) -> tuple[str | None, str | None]:
    """The first candidate, made more precise by a later one with a time on the same day."""
    if not candidates:
        return None, None
    value, origin = candidates[0]
    if value.endswith("+00:00"):
        # A UTC timestamp names the publisher's day only in UTC zones; a dateline or URL
        # one day off it is the local day (an evening story is "tomorrow" in UTC).
        for other, other_origin in candidates[1:]:
            if abs((_day(other) - _day(value)).days) == 1 and not other.endswith("+00:00"):
                return other, other_origin
    if "T" not in value:
        for other, _ in candidates[1:]:
            if "T" in other and other[:10] == value:
                return other, origin
    return value, origin


def _day(value: str) -> date:
    return date.fromisoformat(value[:10])


def _hint_dates(hints: Sequence[DateHint], languages: Sequence[str], tz: str | None,
                fetched_at: datetime | None) -> list[tuple[str, str, str]]:
    found = []
    for hint in hints:
        for kind, raw in (("published", hint.published), ("updated", hint.updated)):
            if raw:
                value = parse_date(raw, languages=languages or DEFAULT_LANGUAGES, timezone=tz,
                                   fetched_at=fetched_at)
                if value:
                    found.append((value, hint.origin, kind))
    return found


def date_languages(tree: lxml.html.HtmlElement) -> tuple[str, ...]:
    """Without a source: our three languages, and the one the page declares.

    Month names of the common western languages are read anyway; the declared
    language lets the slow reader take the rest (Arabic, Greek, Turkish...).
    """
    declared = tree.get("lang") or tree.get("xml:lang") or next(
        iter(tree.xpath("//meta[@http-equiv='content-language' or @property='og:locale']"
                        "/@content")), "")
    code = declared.strip()[:2].lower()
    if code.isalpha() and len(code) == 2 and code not in DEFAULT_LANGUAGES:
        return (*DEFAULT_LANGUAGES, code)
    return DEFAULT_LANGUAGES


def _in_publisher_zone(value: str, tz: str) -> str:
    """A UTC timestamp re-expressed in the publisher's zone, so its 'day' is theirs."""
    if not value.endswith("+00:00"):
        return value
    moment = to_utc(value, tz)
    if moment is None:
        return value
    return moment.astimezone(ZoneInfo(tz)).isoformat(timespec="seconds")
