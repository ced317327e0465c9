"""Turning one fetched page into an article: a pure function of (html, url, source).

No network, no database, no clock but the fetch time passed in. The crawler's
worker processes, the tests and the benchmarks all call :func:`extract_article`,
so what is measured is what users get.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import lxml.html
import trafilatura
from trafilatura.metadata import examine_meta, extract_meta_json

from aggregator.dates import DEFAULT_LANGUAGES, find_date, parse_date, to_utc
from aggregator.decoding import repaired
from aggregator.language import detect_language
from aggregator.page import DateHint, Page
from aggregator.pagedates import PageDates, find_page_dates
from aggregator.sources import Source
from aggregator.titles import MIN_TITLE_CHARS, pick_title
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
# does, not 200 MB and seconds of CPU (measured: 265 -> ... MB peak).
MAX_PAGE_TEXT_CHARS = 3 * MAX_TEXT_CHARS


def extract_article(html: str, url: str | None = None, source: Source | None = None, *,
                    fetched_at: datetime | None = None,
                    hints: Sequence[DateHint] = ()) -> Page:
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
    page_chars = _bounded(tree) if len(html) > MAX_PAGE_TEXT_CHARS else None

    canonical = _canonical_url(tree, url, source)
    meta = _metadata(tree)
    title = pick_title(tree, meta.get("title"))
    # Dates are read before boilerplate is removed: the dateline may sit in a "meta" block.
    dates = find_page_dates(tree, url, languages=languages or _date_languages(tree),
                            timezone=tz, fetched_at=fetched_at, title=title,
                            declared=bool(languages))
    published_at, published_from, modified_at = _publication(dates, hints, languages, tz,
                                                             fetched_at)
    _drop_boilerplate(tree)
    link_texts = {" ".join(a.text_content().split()) for a in tree.iter("a")}
    doc = trafilatura.bare_extraction(tree, url=url, with_metadata=False,
                                      include_comments=False, include_tables=True)
    text = _clean_text(doc.text if doc is not None else "", title, languages, tz, fetched_at)
    text = _drop_trailing_links(text, link_texts)
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
    elif _link_share(text, link_texts) > MAX_LINK_SHARE:
        reason = "a page of links (listing or index), not an article"
    if reason:
        # Not stored, but the page's date is still its own (and still measured).
        return replace(_not_article(reason, title), published_at=published_at,
                       published_from=published_from)

    author = meta.get("author")
    language = detect_language(text, languages)
    return Page(title=title, text=text, author=author, language=language,
                published_at=published_at, published_from=published_from,
                modified_at=modified_at, canonical_url=canonical,
                full_text_chars=full_text_chars)


def cut_text(text: str, limit: int) -> tuple[str, int | None]:
    """The text cut at the last paragraph end within ``limit`` characters (mid-paragraph
    when the first is longer), and its length before the cut; (text, None) if it fits."""
    if len(text) <= limit:
        return text, None
    end = text.rfind("\n\n", 0, limit + 1)
    return text[:end if end > 0 else limit].rstrip(), len(text)


# Elements whose text no reader sees: a page may carry megabytes of them (inline data).
_INVISIBLE = frozenset({"script", "style", "noscript", "template"})


def _bounded(tree: lxml.html.HtmlElement) -> int | None:
    """Cut the page after MAX_PAGE_TEXT_CHARS characters of its visible text, in document
    order; return that text's length before the cut (None: it was not that long)."""
    seen = 0
    cut_at = None
    for el in tree.iter():
        seen += len(el.tail or "") + (0 if el.tag in _INVISIBLE else len(el.text or ""))
        if cut_at is None and seen > MAX_PAGE_TEXT_CHARS:
            cut_at = el
    if cut_at is None:
        return None
    node = cut_at
    while node is not None:                 # drop everything that follows it
        parent = node.getparent()
        if parent is None:
            break
        for later in list(node.itersiblings()):
            parent.remove(later)
        node = parent
    for child in list(cut_at):
        cut_at.remove(child)
    return seen


def _publication(dates: PageDates, hints: Sequence[DateHint], languages: Sequence[str],
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
        for other, other_origin in candidates[1:]:
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


def _date_languages(tree: lxml.html.HtmlElement) -> tuple[str, ...]:
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


def _metadata(tree: lxml.html.HtmlElement) -> dict[str, str | None]:
    try:
        doc = extract_meta_json(tree, examine_meta(tree))
    except Exception:  # trafilatura's JSON-LD reader fails on odd markup; metadata is optional
        doc = examine_meta(tree)
    author = doc.author if doc.author and " " in doc.author.strip() else doc.author
    return {"title": doc.title, "author": author or None}


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


def _clean_text(text: str, title: str | None = None, languages: Sequence[str] = (),
                tz: str | None = None, fetched_at: datetime | None = None) -> str:
    """Paragraphs separated by blank lines; a leading title or dateline repeat dropped."""
    paragraphs = [" ".join(p.split()) for p in (text or "").split("\n")]
    paragraphs = [p for p in paragraphs if p and not _MACHINE_LINE.match(p)
                  and not _REFERRAL.match(p)]
    paragraphs = _without_copied_blocks(paragraphs)
    squashed_title = " ".join((title or "").split())
    while paragraphs and (paragraphs[0] == squashed_title
                          or _is_dateline(paragraphs[0], languages, tz, fetched_at)):
        paragraphs.pop(0)
    return "\n\n".join(paragraphs)


COPIED_PAIR_MIN_CHARS = 120        # a run of paragraphs shorter than this is no copy

# A line that only a machine reads: a bare timestamp or a dash (hidden microdata).
_MACHINE_LINE = re.compile(r"^(?:\d{4}-\d\d-\d\dT[\d:.+-]+Z?|[^\w]+)$")
# "Read more: <another story>", "Читайте также: ...": a pointer to another article.
_REFERRAL = re.compile(r"^(?:read more|related|see also|more on this|читайте также|"
                       r"читайте також|смотрите также|дивіться також|по теме|на тему)"
                       r"\s*[:—–-].{0,160}$", re.IGNORECASE)


def _without_copied_blocks(paragraphs: list[str]) -> list[str]:
    """Paragraphs minus the page's second copies of a block (mobile/AMP twins, previews).

    A copy is a run of two or more paragraphs seen earlier in the same order, or one
    long paragraph seen before; a short one said twice (an interview's recurring
    question) is the author's, and so is a pair of short labels said again (a meal
    plan's "Breakfast" / "Oats" under every day).
    """
    seen: set[str] = set()
    first_at: dict[tuple[str, str], int] = {}
    for i in range(len(paragraphs) - 1):
        first_at.setdefault((paragraphs[i], paragraphs[i + 1]), i)

    def copied(pair: tuple[str, str], i: int) -> bool:
        return first_at[pair] < i and len(pair[0]) + len(pair[1]) >= COPIED_PAIR_MIN_CHARS

    kept = []
    for i, paragraph in enumerate(paragraphs):
        after = i + 1 < len(paragraphs) and copied((paragraph, paragraphs[i + 1]), i)
        before = i > 0 and copied((paragraphs[i - 1], paragraph), i - 1)
        if not (after or before or (len(paragraph) >= 200 and paragraph in seen)):
            kept.append(paragraph)
        seen.add(paragraph)
    return kept


def _drop_trailing_links(text: str, link_texts: set[str]) -> str:
    """The text without the run of link-only paragraphs at its end ("more stories")."""
    paragraphs = text.split("\n\n")
    long_links = [t for t in link_texts if len(t) >= 15]
    while len(paragraphs) > 1:
        last = paragraphs[-1].lstrip("-–—•· ")
        if len(last) > 300 or _linked_chars(last, long_links) < 0.7 * len(last):
            break
        paragraphs.pop()
    return "\n\n".join(paragraphs)


def _link_share(text: str, link_texts: set[str]) -> float:
    """How much of the text is the text of links: high on listings, low on articles."""
    long_links = [t for t in link_texts if len(t) >= 20]
    linked = 0
    for paragraph in text.split("\n\n"):
        if paragraph in link_texts:
            linked += len(paragraph)
        elif len(paragraph) < 600:
            linked += min(len(paragraph), _linked_chars(paragraph, long_links))
    return linked / max(1, len(text))


def _linked_chars(paragraph: str, links: list[str]) -> int:
    return sum(len(t) for t in links if t in paragraph)


def _is_dateline(paragraph: str, languages: Sequence[str], tz: str | None,
                 fetched_at: datetime | None) -> bool:
    if len(paragraph) > 40:
        return False
    found = find_date(paragraph, languages=languages or DEFAULT_LANGUAGES, timezone=tz,
                      fetched_at=fetched_at)
    return found is not None and len(paragraph) - (found.end - found.start) < 12


# Share bars, social buttons and subscription boxes: never article text.
_BOILERPLATE = re.compile(r"(?:^|[\s_-])(?:share|sharing|social|socials|subscribe|newsletter|"
                          r"signup|likes|print-?version)(?:$|[\s_-])", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


# Only elements with a class, id or style can be boilerplate by name or hidden.
_NAMED_OR_STYLED = lxml.etree.XPath("//*[@class or @id or @hidden or @style]")


def _drop_boilerplate(tree: lxml.html.HtmlElement) -> None:
    doomed = [el for el in _NAMED_OR_STYLED(tree)
              if (_BOILERPLATE.search(f"{el.get('class') or ''} {el.get('id') or ''}")
                  and len(el.text_content()) < 400)
              or ((el.get("hidden") is not None or _HIDDEN_STYLE.search(el.get("style") or ""))
                  and len(el.text_content()) < 1000)]      # not a JS-revealed body
    for el in doomed:
        parent = el.getparent()
        if parent is not None:
            el.drop_tree()


def _not_article(reason: str, title: str | None = None) -> Page:
    return Page(title=title, text=None, author=None, language=None, published_at=None,
                published_from=None, is_article=False, reason=reason)
