"""The publication date a page gives for its own article, and only for it.

News pages carry many dates: the article's dateline, but also a header clock,
"latest news" sidebars, "this day in history" blocks, comments and copyright
years. We take, in order: the dateline found near the article's title (its
siblings, then its ancestors' siblings) or a date-like element of the main
content, then the page's metadata (JSON-LD, OpenGraph, ``<meta>``, microdata),
then a day written in the URL, and last htmldate's own search, checked against
chrome. The visible dateline comes first because it is what the publisher shows
readers; metadata is the CMS's, and is more often a template's default, an
import date or a re-save. Measured on htmldate-eval, where the two disagree the
dateline was right 32 times and the metadata 14. Page chrome is excluded by
structure (where an element sits, what it is named, whether it repeats like a
list of headlines), not by guessing which date looks right.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING

import htmldate
import htmldate.extractors as htmldate_extractors
import lxml.html

from aggregator.dates.datelines import DatelineScan
from aggregator.dates.parse import FoundDate, dateparser_knows, find_date
from aggregator.dates.url import date_from_url

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

_ARTICLE_TYPES = {"Article", "NewsArticle", "BlogPosting", "ReportageNews", "Report",
                  "AnalysisNewsArticle", "OpinionNewsArticle", "BackgroundNewsArticle",
                  "ReviewNewsArticle", "LiveBlogPosting", "SocialMediaPosting", "TechArticle",
                  "ScholarlyArticle", "PressRelease",
                  # The page's own main work, though not news: its date is the page's.
                  "Recipe", "HowTo", "DiscussionForumPosting", "Question", "Review"}
_PAGE_TYPES = {"WebPage", "ItemPage", "AboutPage", "CreativeWork", ""}
_PUBLISHED_META = ("article:published_time", "og:published_time", "og:article:published_time",
                   "datepublished", "pubdate", "publishdate", "publish-date", "publish_date",
                   "publication_date", "date_published", "article.published",
                   "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued",
                   "dc.date.created", "dcterms.created", "dc.date", "date",
                   "article_date_original", "cxenseparse:recs:publishtime")
_MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified",
                  "dc.date.modified", "dcterms.modified", "article.updated", "last-modified")

Parse = Callable[[str], "str | None"]


@dataclass(frozen=True)
class PageDates:
    """What the page says about its own article's dates."""

    published_at: str | None = None
    published_from: str | None = None   # "page" | "metadata" | "url" | "markup" (htmldate)
    modified_at: str | None = None
    # Every publication date found, best first, as (value, origin): lets the caller
    # weigh a UTC metadata timestamp against the local day of the dateline or URL.
    candidates: tuple[tuple[str, str], ...] = ()


def find_page_dates(tree: lxml.html.HtmlElement, url: str | None, *,
                    languages: Sequence[str], timezone: str | None,
                    fetched_at: datetime | None, title: str | None,
                    declared: bool = False) -> PageDates:
    """Published and modified dates the page states for its own article (pure).

    ``declared``: ``languages`` are the source's own, so htmldate's last-resort reading
    of free text looks for dates in them only (not in every language dateparser knows,
    which is a tenth of a crawl's CPU)."""
    def find(text: str | None) -> FoundDate | None:
        return find_date(text, languages=languages, timezone=timezone,
                         fetched_at=fetched_at) if text else None

    def parse(text: str | None) -> str | None:
        found = find(text)
        return found.value if found else None

    scan = DatelineScan(tree, title, find)
    published, modified = _metadata_dates(tree, parse, scan)
    dateline = scan.dateline()
    found: list[tuple[str, str]] = []
    original = scan.original_date()
    if original:
        found.append((original, "page"))
    if dateline and not (published and _transposed(dateline, published[0])
                         and _YEAR_FIRST.match(published[1])):
        # What the page shows beside its title is the date its readers see; metadata is
        # often a template's or a CMS's (created, imported, re-saved).
        found.append((dateline, "page"))
    if published:
        found.append((published[0], "metadata"))
    from_url = date_from_url(url)
    if from_url:
        found.append((from_url, "url"))
    if not found:
        marked = _marked_up_date(tree, url, scan, fetched_at,
                                 tuple(languages) if declared else None)
        if marked and marked != (modified or "")[:10]:     # "updated" is no publication
            found.append((marked, "markup"))
    if not found:
        return PageDates(None, None, modified)
    return PageDates(found[0][0], found[0][1], modified, tuple(found))


def _marked_up_date(tree: lxml.html.HtmlElement, url: str | None, scan: DatelineScan,
                    fetched_at: datetime | None,
                    languages: tuple[str, ...] | None = None) -> str | None:
    """htmldate's search (markup idioms, then free text), as the last resort.

    It reads many more site idioms than we do, but it does not know chrome: its day
    is kept only when the page shows that day outside clocks, sidebars and footers.
    """
    latest = fetched_at.date() if fetched_at else None
    try:
        with _htmldate_parser(languages):
            day = htmldate.find_date(tree, url=url, original_date=True, extensive_search=True,
                                     max_date=latest.isoformat() if latest else None)
    except Exception:  # htmldate gives up on odd markup in many ways; this is a last resort
        return None
    return day if day and scan.shows_outside_chrome(day) else None


@contextmanager
def _htmldate_parser(languages: tuple[str, ...] | None) -> Iterator[None]:
    """Within the block, htmldate's dateparser reads only these languages (and English).

    htmldate builds one parser for every language dateparser knows and asks each of
    its 205 locales whether it applies to each string. It offers no option for this, so
    its parser factory is swapped for the block; extraction runs one page at a time
    per process, so nothing else sees the swap.
    """
    if not languages:
        yield
        return
    original = htmldate_extractors.get_external_parser
    # htmldate's factory is an lru_cache wrapper; a plain function serves its one caller.
    htmldate_extractors.get_external_parser = lambda: _external_parser(  # type: ignore[assignment]
        tuple(dict.fromkeys((*languages, "en"))))
    try:
        yield
    finally:
        htmldate_extractors.get_external_parser = original


@lru_cache(maxsize=16)
def _external_parser(languages: tuple[str, ...]) -> DateDataParser:
    from dateparser.date import DateDataParser

    settings = {"NORMALIZE": True, "PARSERS": ["custom-formats", "absolute-time"],
                "PREFER_DATES_FROM": "past", "PREFER_LOCALE_DATE_ORDER": True,
                "RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": True}   # htmldate's own
    usable = [lang for lang in languages if dateparser_knows(lang)]
    return DateDataParser(languages=usable or ["en"], settings=settings)


# ISO 8601 and its kin: a metadata value whose order is not in doubt.
_YEAR_FIRST = re.compile(r"\s*\d{4}[-/.]?\d\d")


def _transposed(shown: str, stated: str) -> bool:
    """Whether a numeric dateline read day-first is the metadata's day read month-first.

    "01.11.2021" is 1 November in Kyiv and January 11 in New York; when the metadata
    says the other reading in year-first form, the metadata decides. Metadata written
    "03-09-2026" is as ambiguous as the dateline, and a dateline "March 9" is not.
    """
    return shown[:4] == stated[:4] and shown[5:7] == stated[8:10] \
        and shown[8:10] == stated[5:7] and shown[5:7] != shown[8:10]


# -- metadata -------------------------------------------------------------------------
def _metadata_dates(tree: lxml.html.HtmlElement, parse: Parse,
                    scan: DatelineScan) -> tuple[tuple[str, str] | None, str | None]:
    """The published date (value, raw text) and the modified date the metadata states."""
    published: list[tuple[int, str | None]] = []
    modified: list[tuple[int, str | None]] = []
    for node in (n for data in _json_ld(tree) for n in _walk(data)):
        rank = _json_ld_rank(node.get("@type", ""))
        if rank is not None:
            published.append((rank, _first_string(node.get("datePublished"))))
            published.append((rank + 1, _first_string(node.get("dateCreated"))))
            modified.append((rank, _first_string(node.get("dateModified"))))
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in _PUBLISHED_META:
            published.append((10 + _PUBLISHED_META.index(key), meta.get("content")))
        elif key in _MODIFIED_META:
            modified.append((10 + _MODIFIED_META.index(key), meta.get("content")))
    for node in tree.xpath("//*[@itemprop='datePublished' or @itemprop='dateModified']"
                           "[not(self::meta)]"):
        if not scan.is_chrome(node, hard_only=True):
            value = (node.get("datetime") or node.get("content") or node.get("title")
                     or node.text_content())
            target = published if node.get("itemprop") == "datePublished" else modified
            target.append((13, value))
    best_modified = _best(modified, parse)
    return _best(published, parse), best_modified[0] if best_modified else None


def _best(candidates: list[tuple[int, str | None]], parse: Parse) -> tuple[str, str] | None:
    """The best-ranked readable date, and the raw text it was read from."""
    for raw in (r for _, r in sorted(candidates, key=lambda c: c[0]) if r):
        value = parse(_field_value(raw))
        if value:
            return value, raw.strip()
    return None


_BASIC_ISO = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?)?(Z|[+-]\d{2}:?\d{2})?")
_EPOCH = re.compile(r"1\d{9}(?:\.\d+)?")


def _field_value(raw: str) -> str:
    """A metadata field's date in the extended ISO form the date reader knows.

    A field named as a date may hold ISO 8601's basic form (``20201123T11:02:35Z``,
    ``20231102``) or a Unix time; in free text such digits are no date.
    """
    raw = raw.strip()
    basic = _BASIC_ISO.fullmatch(raw.replace(":", "") if "T" in raw else raw)
    if basic:
        y, m, d, hh, mm, ss, zone = basic.groups()
        day = f"{y}-{m}-{d}"
        if hh is None:
            return day
        return f"{day}T{hh}:{mm}:{ss or '00'}{_colon_zone(zone)}"
    if _EPOCH.fullmatch(raw):
        return datetime.fromtimestamp(float(raw), tz=UTC).isoformat()
    return raw


def _colon_zone(zone: str | None) -> str:
    if not zone or zone == "Z":
        return zone or ""
    return zone if ":" in zone else f"{zone[:3]}:{zone[3:]}"


def _json_ld_rank(kind: object) -> int | None:
    """Articles first, then web pages; None for what is not the page's own text."""
    kinds = [str(k) for k in kind] if isinstance(kind, list) else [str(kind)]
    kinds = [k.rsplit("/", 1)[-1].rsplit(":", 1)[-1] for k in kinds] or [""]
    kinds = [k[:1].upper() + k[1:] for k in kinds]          # "article" is seen too
    if any(k in _ARTICLE_TYPES or k.endswith("Article") for k in kinds):
        return 0
    if any(k in _PAGE_TYPES for k in kinds):
        return 4
    return None


def _json_ld(tree: lxml.html.HtmlElement) -> Iterator[object]:
    for script in tree.xpath("//script[@type='application/ld+json']"):
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            yield json.loads(raw, strict=False)
        except ValueError:
            # Broken JSON-LD is common; take bare date fields if they are readable.
            found = {key: m.group(1) for key in ("datePublished", "dateModified")
                     for m in [re.search(rf'"{key}"\s*:\s*"([^"]+)"', raw)] if m}
            if found:
                yield found


def _walk(data: object, depth: int = 0) -> Iterator[dict]:
    """The JSON-LD nodes that may describe the page itself (not lists of other items)."""
    if depth > 4:
        return
    if isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if isinstance(data.get(key), (dict, list)):
                yield from _walk(data[key], depth + 1)
    elif isinstance(data, list):
        for item in data:
            yield from _walk(item, depth + 1)


def _first_string(value: object) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, str) else None
