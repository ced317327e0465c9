"""The publication date a page gives for its own article, and only for it.

News pages carry many dates: the article's dateline, but also a header clock,
"latest news" sidebars, "this day in history" blocks and copyright years. We
take, in order: the page's metadata (JSON-LD, OpenGraph, ``<meta>``), the
dateline found near the article's title, a ``<time>`` in the article body, and
a day written in the URL. Page chrome is excluded by structure (where an
element sits), not by guessing which date looks right.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

import lxml.html

from aggregator.dates import date_from_url, find_date, parse_date

DATELINE_MAX_CHARS = 90       # a dateline is short; longer text is prose that mentions a date
DATELINE_MAX_OTHER_LETTERS = 24   # "Опубликовано:", "Просмотров: 12", an author's name
DATELINE_MAX_OTHER_WORDS = 5      # more words around the date make it a sentence
WINDOW_BEFORE, WINDOW_AFTER = 12, 40   # elements around the title searched for the dateline

_PUBLISHED_META = {"article:published_time", "og:published_time", "og:article:published_time",
                   "pubdate", "publishdate", "publish-date", "publish_date", "date",
                   "dc.date", "dc.date.issued", "dc.date.created", "dcterms.created",
                   "dcterms.issued", "sailthru.date", "parsely-pub-date", "article.published",
                   "datepublished", "article_date_original", "cxenseparse:recs:publishtime",
                   "publication_date", "date_published"}
_MODIFIED_META = {"article:modified_time", "og:updated_time", "datemodified",
                  "dc.date.modified", "dcterms.modified", "last-modified", "article.updated"}
# Page chrome, in two grades. Hard chrome (site header, clocks, menus, history blocks,
# copyright lines) is never the article's; soft chrome (asides, footers, forms, "related"
# blocks) is skipped, except right beside the title, where bylines often sit in an
# <aside> or a "footer" row of a grid layout.
_HARD_TAGS = {"nav", "noscript", "script", "style", "select", "button", "iframe", "template"}
_SOFT_TAGS = {"aside", "footer", "form"}
_HARD_NAMES = re.compile(
    r"clock|current-?date|header-?date|date-?today|topbar|top-bar|masthead|site-header|"
    r"page-header|copyright|history|this-?day|onthisday|breadcrumb|menu|navbar|calendar|"
    r"weather|(?:^|\s)(?:nav|today|header|top)(?:$|\s)", re.IGNORECASE)
_SOFT_NAMES = re.compile(
    r"sidebar|side-bar|side_bar|widget|related|latest|popular|last-?news|lastnews|lenta|"
    r"teaser|more-?news|footer|comment|banner|announce|anons|share|social|subscribe|"
    r"(?:^|\s)aside(?:$|\s)", re.IGNORECASE)
NEAR_TITLE = 8          # elements from the title within which soft chrome is accepted
BODY_PARAGRAPH_CHARS = 60    # an element with this much prose of its own starts the body
_CONTAINER_TAGS = {"article", "main", "body", "html"}
_HISTORY_TEXT = re.compile(r"в этот день|цього дня|у цей день|в цей день|on this day|"
                           r"this day in history|год назад|рік тому|year ago", re.IGNORECASE)
_DATE_NAMES = re.compile(r"date|time|publish|posted|pubdate|meta|info|дата", re.IGNORECASE)
_ARTICLE_PATH = ("//article | //*[@itemprop='articleBody'] | //main | "
                 "//*[@role='main'] | //*[contains(@class, 'article')] | "
                 "//*[contains(@class, 'content')] | //*[contains(@class, 'news')]")


@dataclass(frozen=True)
class PageDates:
    published_at: str | None = None
    published_from: str | None = None   # "metadata" | "page" | "url"
    modified_at: str | None = None
    # Every publication date found, best first, as (value, origin): lets the caller
    # weigh a UTC metadata timestamp against the local day of the dateline or URL.
    candidates: tuple[tuple[str, str], ...] = ()


def find_page_dates(tree: lxml.html.HtmlElement, url: str | None, *,
                    languages: Sequence[str], timezone: str | None,
                    fetched_at: datetime | None, title: str | None) -> PageDates:
    """Published and modified dates the page states for its own article."""
    def parse(value: str | None) -> str | None:
        return parse_date(value, languages=languages, timezone=timezone,
                          fetched_at=fetched_at) if value else None

    published, modified = _metadata_dates(tree, parse)
    found: list[tuple[str, str]] = [(published, "metadata")] if published else []
    if not published or published.endswith("+00:00"):
        dateline = _dateline(tree, title, languages, timezone, fetched_at)
        if dateline:
            found.append((dateline, "page"))
        from_url = date_from_url(url)
        if from_url:
            found.append((from_url, "url"))
    if not found:
        return PageDates(None, None, modified)
    return PageDates(found[0][0], found[0][1], modified, tuple(found))


# -- metadata -------------------------------------------------------------------------
def _metadata_dates(tree: lxml.html.HtmlElement, parse) -> tuple[str | None, str | None]:
    published: list[str] = []
    modified: list[str] = []
    for data in _json_ld(tree):
        for node in _walk(data):
            kind = node.get("@type", "")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(str(k) in ("Organization", "Person", "WebSite", "ImageObject",
                              "BreadcrumbList", "SiteNavigationElement") for k in kinds):
                continue
            published.append(parse(_text(node.get("datePublished"))) or "")
            published.append(parse(_text(node.get("dateCreated"))) or "")
            modified.append(parse(_text(node.get("dateModified"))) or "")
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in _PUBLISHED_META:
            published.append(parse(meta.get("content")) or "")
        elif key in _MODIFIED_META:
            modified.append(parse(meta.get("content")) or "")
    for node in tree.xpath("//*[@itemprop='datePublished' or @itemprop='dateModified']"
                           "[not(self::meta)]"):
        if _in_chrome(node):
            continue
        value = parse(node.get("datetime") or node.get("content") or node.text_content())
        (published if node.get("itemprop") == "datePublished" else modified).append(value or "")
    return next((p for p in published if p), None), next((m for m in modified if m), None)


def _json_ld(tree: lxml.html.HtmlElement) -> Iterator[object]:
    for script in tree.xpath("//script[@type='application/ld+json']"):
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            yield json.loads(raw, strict=False)
        except ValueError:
            # Broken JSON-LD is common; take a bare datePublished if one is readable.
            for key in ("datePublished", "dateModified"):
                match = re.search(rf'"{key}"\s*:\s*"([^"]+)"', raw)
                if match:
                    yield {key: match.group(1)}


def _walk(data: object) -> Iterator[dict]:
    if isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
            if key in data:
                yield from _walk(data[key])
    elif isinstance(data, list):
        for item in data:
            yield from _walk(item)


def _text(value: object) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, str) else None


# -- the dateline ---------------------------------------------------------------------
def _dateline(tree: lxml.html.HtmlElement, title: str | None, languages: Sequence[str],
              timezone: str | None, fetched_at: datetime | None) -> str | None:
    elements = [el for el in tree.iter() if isinstance(el.tag, str)]
    position = {el: i for i, el in enumerate(elements)}
    heading = _title_heading(tree, title)
    if heading is not None:
        i = position[heading]
        window = elements[max(0, i - WINDOW_BEFORE):i + WINDOW_AFTER]
        # Bylines sit between the title and the body; past the body's first paragraph a
        # soft-chrome block (a "related" list) is no longer the article's.
        body_start = next((j for j in range(i + 1, min(len(elements), i + WINDOW_AFTER))
                           if _is_prose(elements[j].text)), i + WINDOW_AFTER)
        by_distance = sorted(window, key=lambda el: (abs(position[el] - i), position[el] < i))
        for el in by_distance:
            if el is heading or heading in el.iterancestors():
                continue
            near = i - NEAR_TITLE <= position[el] < min(i + NEAR_TITLE, body_start)
            value = _date_of(el, languages, timezone, fetched_at, near_title=near)
            if value:
                return value
    for container in tree.xpath(_ARTICLE_PATH):
        if _in_chrome(container):
            continue
        for el in container.iter("time"):
            value = _date_of(el, languages, timezone, fetched_at)
            if value:
                return value
        for el in container.iter():
            if isinstance(el.tag, str) and _DATE_NAMES.search(_names(el)):
                value = _date_of(el, languages, timezone, fetched_at)
                if value:
                    return value
    return None


def _title_heading(tree: lxml.html.HtmlElement, title: str | None):
    """The h1 (or h2) that carries the article's title, outside page chrome."""
    wanted = _squash(title or "")
    fallback = None
    for tag in ("h1", "h2"):
        for heading in tree.iter(tag):
            if _in_chrome(heading):
                continue
            text = _squash(heading.text_content())
            if wanted and text and (text in wanted or wanted in text):
                return heading
            if fallback is None and tag == "h1" and text:
                fallback = heading
    return fallback


def _date_of(el: lxml.html.HtmlElement, languages: Sequence[str], timezone: str | None,
             fetched_at: datetime | None, near_title: bool = False) -> str | None:
    """The date this element states as a dateline, if it is one and not page chrome."""
    if el.tag in ("script", "style", "h1", "h2") or _in_chrome(el, near_title):
        return None
    if el.tag != "time" and not el.get("datetime"):
        inner = next((t for t in el.iter("time") if t.get("datetime")), None)
        if inner is not None and len(el.text_content()) <= DATELINE_MAX_CHARS:
            el = inner
    if el.tag == "time" or el.get("datetime"):
        value = parse_date(el.get("datetime") or el.text_content(), languages=languages,
                           timezone=timezone, fetched_at=fetched_at)
        if value:
            # <time datetime="2026-11-20"> beside visible "20.11.2026 14:30": keep the time.
            shown = parse_date(el.text_content(), languages=languages, timezone=timezone,
                               fetched_at=fetched_at)
            if shown and "T" in shown and "T" not in value and shown[:10] == value:
                return shown
            return value
    text = " ".join(el.text_content().split())
    if not text or len(text) > DATELINE_MAX_CHARS or _HISTORY_TEXT.search(text):
        return None
    found = find_date(text, languages=languages, timezone=timezone, fetched_at=fetched_at)
    if found is None:
        return None
    rest = text[:found.start] + " " + text[found.end:]
    if sum(ch.isalpha() for ch in rest) > DATELINE_MAX_OTHER_LETTERS \
            or len(re.findall(r"[^\W\d_]+", rest)) > DATELINE_MAX_OTHER_WORDS:
        return None
    return found.value


def _is_prose(text: str | None) -> bool:
    """A sentence, not a byline: long enough and mostly words other than a date."""
    text = " ".join((text or "").split())
    if len(text) <= BODY_PARAGRAPH_CHARS:
        return False
    found = find_date(text[:400])
    if found is None:
        return True
    rest = text[:found.start] + " " + text[found.end:]
    return len(re.findall(r"[^\W\d_]+", rest)) > DATELINE_MAX_OTHER_WORDS


def _in_chrome(el: lxml.html.HtmlElement, near_title: bool = False) -> bool:
    """Whether the element sits in site chrome: header, menus, sidebars, footers, history."""
    inside_article = False
    for node in [el, *el.iterancestors()]:
        if node.tag == "article":
            inside_article = True
        if node.tag in _HARD_TAGS or (node.tag in _SOFT_TAGS and not near_title):
            return True
        if node.tag in _CONTAINER_TAGS:     # "sticky-sidebar-parent" on <article> is not chrome
            continue
        names = _names(node)
        if names and (_HARD_NAMES.search(names)
                      or (not near_title and _SOFT_NAMES.search(names))):
            return True
    for node in [el, *el.iterancestors()]:
        if node.tag == "header" and not _has_article_ancestor(node) and not inside_article:
            return True
    parent = el.getparent()
    return parent is not None and bool(_HISTORY_TEXT.search(_leading_text(parent)))


def _leading_text(node: lxml.html.HtmlElement, limit: int = 80) -> str:
    """The first words of an element's text, without reading all of a large one."""
    parts: list[str] = []
    size = 0
    for piece in node.itertext():
        parts.append(piece)
        size += len(piece)
        if size >= limit:
            break
    return " ".join("".join(parts).split())[:limit]


def _has_article_ancestor(node: lxml.html.HtmlElement) -> bool:
    return any(a.tag == "article" for a in node.iterancestors())


def _names(el: lxml.html.HtmlElement) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}".strip()


def _squash(text: str) -> str:
    return " ".join(text.split()).lower()
