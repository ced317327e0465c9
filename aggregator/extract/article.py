"""Turning one fetched page into an article: a pure function of (html, url, source).

No network, no database, no clock but the fetch time passed in. The crawler's
worker processes, the tests and the benchmarks all call :func:`extract_article`,
so what is measured is what users get.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from urllib.parse import urljoin, urlsplit

import lxml.html
import trafilatura
from trafilatura.metadata import examine_meta, extract_meta_json
from trafilatura.settings import Document

from aggregator.config.sources import Source
from aggregator.dates.hints import DateHint
from aggregator.dates.page import find_page_dates
from aggregator.dates.publication import date_languages, publication_dates
from aggregator.decoding import repaired
from aggregator.extract.language import detect_language
from aggregator.extract.result import ExtractedArticle
from aggregator.extract.text import (
    bound_page,
    clean_text,
    cut_text,
    drop_boilerplate,
    drop_trailing_links,
    link_share,
)
from aggregator.extract.titles import MIN_TITLE_CHARS, pick_title
from aggregator.strings import squash
from aggregator.urls import normalize_url, same_site

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# Comments and processing instructions are no text, and left in the tree they split a
# paragraph's text for trafilatura (its own loader drops them too): 0.56 -> 1.0 recall on
# a page whose every paragraph held an HTML comment.
_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)
MIN_TEXT_CHARS = 200        # below this a page is a stub, an error page or a listing
MAX_LINK_SHARE = 0.5        # above this share of link text a page is a listing, not an article
# The longest text stored: about 20,000 words, past any news article's length (a long read
# runs to ~60,000 characters). A longer one is cut at a paragraph end and the cut recorded.
MAX_TEXT_CHARS = 150_000
# A page with more text than this is cut before extraction (its tail, footer included,
# dropped): a 10 MB article of 20,000 paragraphs then costs a worker what a long article
# does, not 200 MB and seconds of CPU (measured on the 9.2 MB page: 266 -> 71 MB peak,
# 7.8 -> 0.7 s).
MAX_PAGE_TEXT_CHARS = 3 * MAX_TEXT_CHARS


def extract_article(html: str, url: str | None = None, source: Source | None = None, *,
                    fetched_at: datetime | None = None,
                    hints: Sequence[DateHint] = ()) -> ExtractedArticle:
    """Title, main text, author, language and publication date of a news page."""
    languages = source.languages if source and source.languages else ()
    tz = source.timezone if source else None
    if not html or not html.strip():
        return _not_article("empty page")
    try:
        # lxml refuses a str that declares its own encoding (XHTML's <?xml ...?>);
        # the text is already decoded, so the declaration is dropped.
        tree = lxml.html.fromstring(_XML_DECLARATION.sub("", html, count=1), parser=_PARSER)
    except (lxml.etree.ParserError, ValueError) as exc:
        return _not_article(f"unparsable HTML: {exc}")
    if tree is None or not isinstance(tree.tag, str):
        return _not_article("unparsable HTML")
    page_chars = bound_page(tree, MAX_PAGE_TEXT_CHARS) if len(html) > MAX_PAGE_TEXT_CHARS else None

    canonical = _canonical_url(tree, url, source)
    meta = _metadata(tree)
    title = pick_title(tree, meta.get("title"))
    # Dates are read before boilerplate is removed: the dateline may sit in a "meta" block.
    dates = find_page_dates(tree, url, languages=languages or date_languages(tree),
                            timezone=tz, fetched_at=fetched_at, title=title,
                            declared=bool(languages))
    published_at, published_from, modified_at = publication_dates(dates, hints, languages,
                                                                   tz, fetched_at)
    drop_boilerplate(tree)
    link_texts = {squash(a.text_content()) for a in tree.iter("a")}
    doc = trafilatura.bare_extraction(tree, url=url, with_metadata=False,
                                      include_comments=False, include_tables=True)
    body = doc.text if isinstance(doc, Document) else None    # the dict form needs as_dict
    text = clean_text(body or "", title, languages, tz, fetched_at)
    text = drop_trailing_links(text, link_texts)
    text, full_text_chars = cut_text(text, MAX_TEXT_CHARS)
    if page_chars:              # cut before extraction: what the whole page held
        full_text_chars = page_chars
    reason = None
    title_fixed, title_garbled = repaired(title or "")
    title = title_fixed or None
    text, text_garbled = repaired(text)
    if title_garbled or text_garbled:      # past repair: never stored as an article
        reason = f"garbled text: {title_garbled or text_garbled}"
    elif len(text) < MIN_TEXT_CHARS:
        reason = f"too little text ({len(text)} characters)"
    elif not title or len(title) < MIN_TITLE_CHARS:
        reason = "no title"
    elif link_share(text, link_texts) > MAX_LINK_SHARE:
        reason = "a page of links (listing or index), not an article"
    if reason:
        # Not stored, but the page's date is still its own (and still measured).
        return replace(_not_article(reason, title), published_at=published_at,
                       published_from=published_from)

    author = meta.get("author")
    language = detect_language(text, languages)
    return ExtractedArticle(title=title, text=text, author=author, language=language,
                            published_at=published_at, published_from=published_from,
                            modified_at=modified_at, canonical_url=canonical,
                            full_text_chars=full_text_chars)


def _metadata(tree: lxml.html.HtmlElement) -> dict[str, str | None]:
    try:
        doc = extract_meta_json(tree, examine_meta(tree))
    except Exception:  # trafilatura's JSON-LD reader fails on odd markup; metadata is optional
        doc = examine_meta(tree)
    return {"title": doc.title, "author": doc.author or None}


def _canonical_url(tree: lxml.html.HtmlElement, url: str | None,
                   source: Source | None) -> str | None:
    """The page's rel=canonical when it may be the article's: on the source's site, and
    not the site's root nor a page the source declares for discovery (many CMSs point
    every page's canonical there). Whether other articles claim it too, the store knows."""
    if not url:
        return None
    site = source.homepage if source else url
    declared = (source.homepage, *source.feeds, *source.sitemaps, *source.listings) \
        if source else ()
    shared = {normalize_url(u) for u in declared}
    for href in tree.xpath('//link[@rel="canonical"]/@href'):
        candidate = urljoin(url, href.strip())
        if not candidate.startswith(("http://", "https://")) or not same_site(candidate, site):
            continue
        normal = normalize_url(candidate)
        parts = urlsplit(normal)
        if (parts.path == "/" and not parts.query) or normal in shared:
            return None
        return candidate
    return None


def _not_article(reason: str, title: str | None = None) -> ExtractedArticle:
    return ExtractedArticle(title=title, text=None, author=None, language=None,
                            published_at=None, published_from=None, is_article=False,
                            reason=reason)
