"""From one page of a portal to a [[source]] table that works, checked before it is written.

`sources add` asks the site, politely and within a few dozen requests, where its news is
(feeds, sitemaps, the news section and its pages), infers the URL shape its articles
share, and extracts a sample of the pages that shape matches: a source is proposed as
working only when they come out as dated articles.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from aggregator.config.sources import DEFAULT_MAX_LISTING_PAGES, Source
from aggregator.crawl.discovery import (
    Link,
    listing_path,
    page_number,
    parse_feed,
    parse_listing,
    parse_sitemap,
    sitemaps_from_robots,
)
from aggregator.dates.hints import DateHint
from aggregator.decoding import decode_html
from aggregator.errors import FetchError
from aggregator.onboard import probe
from aggregator.onboard.fetch import Fetched, PoliteFetcher
from aggregator.urls import normalize_url, same_site

MAX_FEEDS_ANNOUNCED = 4      # announced feeds tried before the usual paths
MAX_SECTIONS = 2             # news sections fetched (with their second page)
MAX_CHILD_SITEMAPS = 2       # children of a sitemap index read
MIN_SHARE_DECLARED = 0.8     # a feed is declared when this share of its links are articles
MIN_OK_SHARE = 0.6           # of the samples that must be dated articles
MAX_PAGES = 20               # max_listing_pages proposed at most


@dataclass
class Sample:
    """One page the proposal was checked on, as extraction read it."""

    url: str
    title: str | None
    published_at: str | None
    published_from: str | None
    text_chars: int
    language: str | None
    is_article: bool
    reason: str | None
    expected_article: bool = True   # False: a page the pattern must not match

    @property
    def ok(self) -> bool:
        dated = self.is_article and bool(self.published_at)
        return dated if self.expected_article else True


@dataclass
class Found:
    """A feed, sitemap or listing page the site offers, and how many of its links are
    articles by the inferred pattern."""

    kind: str                   # feed, sitemap, listing
    url: str
    links: list[Link] = field(default_factory=list)
    matching: int = 0
    declared: bool = False
    note: str = ""


@dataclass
class Proposal:
    table: dict[str, Any]
    samples: list[Sample]
    timezone_guessed: bool
    tried: list[str]
    requests: int
    works: bool
    charset: str | None
    found: list[Found] = field(default_factory=list)
    timezone_from: str = ""
    language_declared: str | None = None
    language_detected: str | None = None
    problems: list[str] = field(default_factory=list)


class _Probe:
    """The fetcher, with what was tried written down for the user."""

    def __init__(self, fetcher: PoliteFetcher) -> None:
        self.fetcher = fetcher
        self.tried: list[str] = []
        self.answers: dict[str, Fetched | None] = {}     # by normalised URL: asked once

    def get(self, url: str, what: str) -> Fetched | None:
        """The 200 answer to ``url``, or None (and why, in ``tried``)."""
        key = normalize_url(url)
        if key not in self.answers:
            self.answers[key] = self._get(url, what)
        return self.answers[key]

    def _get(self, url: str, what: str) -> Fetched | None:
        try:
            answer = self.fetcher.get(url)
        except FetchError as exc:
            self.tried.append(f"{what} {url}: {exc.why}")
            return None
        if answer.status != 200:
            self.tried.append(f"{what} {url}: HTTP {answer.status}")
            return None
        return answer

    def feed(self, url: str) -> Found | None:
        answer = self.get(url, "feed")
        if answer is None:
            return None
        try:
            links = parse_feed(answer.body, answer.url)
        except ValueError as exc:
            self.tried.append(f"feed {url}: {exc}")
            return None
        if not links:
            self.tried.append(f"feed {url}: no entries")
            return None
        self.tried.append(f"feed {url}: {len(links)} entries")
        return Found("feed", answer.url, list(links))

    def sitemap(self, url: str) -> Found | None:
        answer = self.get(url, "sitemap")
        if answer is None:
            return None
        try:
            doc = parse_sitemap(answer.body, answer.url)
        except ValueError as exc:
            self.tried.append(f"sitemap {url}: {exc}")
            return None
        links = list(doc.links)
        if doc.kind == "sitemapindex":
            children = sorted((c.url for c in doc.links if same_site(c.url, url)),
                              key=lambda u: "news" not in u.lower())
            links = []
            for child in children[:MAX_CHILD_SITEMAPS]:
                found = self.sitemap(child)
                links.extend(found.links if found else [])
        self.tried.append(f"sitemap {url}: {len(links)} links")
        return Found("sitemap", answer.url, links) if links else None

    def listing(self, url: str, avoid: list[str]) -> tuple[Found, int] | None:
        """A listing page and its next page: (their links, the highest page seen)."""
        answer = self.get(url, "listing")
        if answer is None or not answer.is_html:
            return None
        html = answer.text
        links = probe.page_links(html, answer.url)
        pages = parse_listing(html, answer.url, lambda _u: False).next_urls
        pages = [u for u in pages if same_site(u, answer.url)]
        highest = max([page_number(u) for u in links
                       if listing_path(u) == listing_path(answer.url)] + [1])
        found = Found("listing", answer.url, [Link(u) for u in links])
        if pages:
            avoid.append(pages[0])
            found.note = f"next page {pages[0]}"
            second = self.get(pages[0], "listing page 2")
            if second is not None and second.is_html:
                found.links.extend(Link(u) for u in probe.page_links(second.text, second.url))
            highest = max(highest, 2)
        self.tried.append(f"listing {url}: {len(links)} links"
                          + (f", {found.note}" if found.note else ", no next page"))
        return found, highest


def discover(url: str, *, fetcher: PoliteFetcher, source_id: str | None = None,
             name: str | None = None, language: str | None = None,
             timezone: str | None = None, region: str | None = None,
             country: str | None = None, sample_size: int = 5,
             feeds: tuple[str, ...] = (), listings: tuple[str, ...] = ()) -> Proposal:
    """What the site at ``url`` offers the crawl, and a [[source]] table checked on a
    sample of its articles. FetchError when the page itself cannot be read."""
    run = _Probe(fetcher)
    start = fetcher.get(url)
    run.answers[normalize_url(url)] = start
    if start.status != 200 or not start.is_html:
        raise FetchError(url, f"HTTP {start.status}, {start.content_type or 'no type'}: "
                              "not an HTML page")
    root = probe.site_root(start.url)
    home = start
    if urlsplit(start.url).path not in ("", "/"):
        home = run.get(root, "homepage") or start
        listings = (start.url, *listings)
    decoded = decode_html(start.body, start.content_type or None)
    html = home.text

    # Feeds: announced first, then where they usually are; the first with entries.
    found: list[Found] = []
    for candidate in list(feeds) or [*probe.feed_links(html, home.url)[:MAX_FEEDS_ANNOUNCED],
                                     *probe.usual_feed_urls(root)]:
        if feed := run.feed(candidate):
            found.append(feed)
            break
    # Sitemaps: robots.txt's, then the usual paths; the first that lists links.
    robots = run.get(root + "robots.txt", "robots.txt")
    in_robots = sitemaps_from_robots(robots.body, robots.url) if robots else []
    for candidate in [u for u in in_robots if same_site(u, root)] + probe.usual_sitemap_urls(root):
        if sitemap := run.sitemap(candidate):
            found.append(sitemap)
            break
    # Listings: the ones given, the news sections the homepage links to, or the homepage.
    avoid = [home.url, start.url, *(f.url for f in found)]
    highest: dict[str, int] = {}
    sections = list(listings) or probe.news_sections(html, home.url)[:MAX_SECTIONS]
    for candidate in sections:
        if result := run.listing(candidate, avoid):
            found.append(result[0])
            highest[result[0].url] = result[1]
            avoid.append(result[0].url)
    if not sections:
        run.tried.append("news section: no link labelled News/Новости/Новини/Пресс-центр... "
                         "or with news/press in its URL on the homepage")
        homepage = Found("listing", home.url, [Link(u) for u in probe.page_links(html, home.url)],
                         note="the homepage")
        found.append(homepage)

    pool = [link.url for f in found for link in f.links]
    pattern = probe.infer_pattern(pool, root, avoid=avoid)
    run.tried.append(f"article pattern: {pattern or 'no URL shape shared by two links'}")

    lang = language or probe.declared_language(html)
    detected = probe.detected_language(html)
    lang = lang or detected
    guessed = timezone is None
    zone, zone_from = (timezone, "--timezone") if timezone else \
        probe.guess_timezone(country, root, lang)
    table: dict[str, Any] = {
        "id": source_id or probe.source_id_for(root),
        "name": name or probe.site_name(html) or urlsplit(root).hostname or root,
        "homepage": home.url if urlsplit(home.url).path in ("", "/") else root,
    }
    if lang:
        table["language"] = lang
    table["timezone"] = zone
    table.update({k: v for k, v in (("region", region), ("country", country)) if v})

    source = Source(id=table["id"], name=table["name"], homepage=table["homepage"],
                    timezone=zone, languages=(lang,) if lang else (),
                    article_pattern=pattern)
    _count_matches(found, source)
    samples = _samples(run, found, source, sample_size)
    samples += _non_articles(run, pool, source)
    proposal = Proposal(table=table, samples=samples, timezone_guessed=guessed,
                        tried=run.tried, requests=fetcher.requests, works=False,
                        charset=decoded.encoding, found=found, timezone_from=zone_from,
                        language_declared=probe.declared_language(html),
                        language_detected=detected)
    _declare(proposal, source, highest)
    return proposal


def _count_matches(found: list[Found], source: Source) -> None:
    for f in found:
        on_site = [link for link in f.links if same_site(link.url, source.homepage)]
        f.matching = sum(1 for link in on_site if source.is_article_url(link.url))
        if f.kind == "feed" and source.article_pattern is None:
            f.matching = len(on_site)         # a feed's entries are followed as they are


def _samples(run: _Probe, found: list[Found], source: Source, size: int) -> list[Sample]:
    """Up to ``size`` pages the source would fetch as articles, taken in turn from each
    feed, sitemap and listing, extracted as the crawl would."""
    queues = [[link for link in f.links if same_site(link.url, source.homepage) and (
        source.is_article_url(link.url) or (f.kind == "feed" and not source.article_pattern))]
        for f in found]
    picked: dict[str, Link] = {}
    while len(picked) < size and any(queues):
        for queue in queues:
            while queue:
                link = queue.pop(0)
                if normalize_url(link.url) not in picked:
                    picked[normalize_url(link.url)] = link
                    break
            if len(picked) >= size:
                break
    hints = {normalize_url(link.url): [DateHint(link.origin, link.published, link.updated)]
             for f in found for link in f.links if link.published or link.updated}
    return [sample for link in picked.values()
            if (sample := _sample(run, link.url, source, hints.get(normalize_url(link.url), [])))]


def _sample(run: _Probe, url: str, source: Source, hints: list[DateHint],
            expected: bool = True) -> Sample | None:
    from aggregator.extract import extract_article

    answer = run.get(url, "sample" if expected else "non-article")
    if answer is None:
        return None
    page = extract_article(answer.text, answer.url, source, hints=hints)
    return Sample(url=answer.url, title=page.title, published_at=page.published_at,
                  published_from=page.published_from, text_chars=len(page.text or ""),
                  language=page.language, is_article=page.is_article, reason=page.reason,
                  expected_article=expected)


def _non_articles(run: _Probe, pool: list[str], source: Source) -> list[Sample]:
    """One or two listing, tag or author pages: the pattern must leave them out."""
    if not source.article_pattern:
        return []
    others = [u for u in dict.fromkeys(pool) if same_site(u, source.homepage)
              and probe.looks_like_non_article(u) and not source.is_article_url(u)]
    return [s for u in others[:2] if (s := _sample(run, u, source, [], expected=False))]


def _declare(proposal: Proposal, source: Source, highest: dict[str, int]) -> None:
    """Which feeds, sitemaps and listings the table declares, and whether it works."""
    table = proposal.table
    checked = [s for s in proposal.samples if s.expected_article]
    good = [s for s in checked if s.ok]
    for f in proposal.found:
        on_site = [x for x in f.links if same_site(x.url, source.homepage)]
        if f.kind == "feed":
            f.declared = bool(on_site) and f.matching >= MIN_SHARE_DECLARED * len(on_site)
        else:
            f.declared = bool(source.article_pattern) and f.matching >= (
                1 if f.kind == "sitemap" else 2)
    homepage = [f for f in proposal.found if f.note == "the homepage" and f.declared]
    if homepage and len([f for f in proposal.found if f.declared]) > 1:
        homepage[0].declared = False      # a listing of last resort only
    declared = [f for f in proposal.found if f.declared]
    for kind in ("feed", "sitemap", "listing"):
        urls = [f.url for f in declared if f.kind == kind]
        if urls:
            table[kind + "s"] = urls
    if source.article_pattern:
        table["article_pattern"] = source.article_pattern
    pages = [highest.get(f.url, 1) for f in declared if f.kind == "listing"]
    if pages:
        deepest = max(pages)
        table["max_listing_pages"] = (1 if deepest == 1 else
                                      min(MAX_PAGES, max(deepest, DEFAULT_MAX_LISTING_PAGES)))
    if not declared:
        proposal.problems.append("no feed, sitemap or listing page whose links are articles")
    if not checked:
        proposal.problems.append("no sample page could be fetched")
    elif len(good) < max(1, math.ceil(MIN_OK_SHARE * len(checked))):
        proposal.problems.append(f"only {len(good)} of {len(checked)} sample pages came out "
                                 "as dated articles")
    proposal.works = not proposal.problems
