"""Reading feeds, sitemaps and listing pages into article links (pure functions).

The spider calls these and decides what to request; nothing here does I/O, so
each reader is tested on saved documents.
"""

from __future__ import annotations

import codecs
import functools
import io
import json
import re
import xml.sax
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urljoin, urlsplit

import feedparser
import lxml.etree
import lxml.html

from aggregator.crawl.xmlsafe import CHUNK, GunzipReader, SafeXMLReader
from aggregator.decoding import decode_html
from aggregator.strings import squash

MAX_SITEMAP_BYTES = 50 * 1024 * 1024   # the sitemap protocol's limits: uncompressed size
MAX_SITEMAP_URLS = 50_000              # and entries per file
MAX_FIELD_CHARS = 64 * 1024            # a longer <loc> or <lastmod> is no URL or date
C0_CONTROLS = bytes(c for c in range(32) if c not in (9, 10, 13))   # never in XML


@dataclass(frozen=True)
class Link:
    """An article link with what the document that listed it says about it."""

    url: str
    published: str | None = None    # raw date string (feed entry, news sitemap)
    updated: str | None = None       # raw "changed at" string (Atom updated, lastmod)
    origin: str = "listing"          # feed, sitemap or listing
    title: str | None = None


# -- feeds ---------------------------------------------------------------------------
class FeedLinks(list[Link]):
    """A feed's entries as links. ``problem`` says why the feed is ill-formed when they
    were read past that (None when it is well-formed): still a list for every caller."""

    def __init__(self, links: Iterable[Link] = (), problem: str | None = None) -> None:
        super().__init__(links)
        self.problem = problem


def looks_like_json_feed(body: bytes) -> bool:
    head = body[:200].removeprefix(codecs.BOM_UTF8).lstrip()
    return head.startswith(b"{")


def parse_feed(body: bytes, url: str) -> FeedLinks:
    """Entries of an RSS 2.0, Atom, RDF or JSON Feed document; ValueError when the feed
    is ill-formed and no entry could be read, or is no feed at all."""
    if not body.strip():
        raise ValueError("empty feed document")
    if looks_like_json_feed(body):
        return FeedLinks(_parse_json_feed(body, url))
    # Entries' HTML is never shown, so feedparser need not sanitize it (its slowest part).
    parsed = feedparser.parse(_safe_feed_xml(body), sanitize_html=False,
                              resolve_relative_uris=False, response_headers={
                                  "content-location": url,
                                  "content-type": "application/xml; charset=utf-8"})
    links = []
    for entry in parsed.entries:
        href = entry.get("link") or _first_alternate(entry) or entry.get("id")
        if not href or not href.startswith(("http", "/")):
            continue
        links.append(Link(
            url=urljoin(url, href.strip()),
            published=entry.get("published") or entry.get("created"),
            updated=dict.get(entry, "updated"),   # not feedparser's fallback to published
            origin="feed",
            title=entry.get("title"),
        ))
    problem = _bozo_reason(parsed.bozo_exception) if parsed.bozo else None
    if problem and not links:
        raise ValueError(f"ill-formed feed, no entry could be read: {problem}")
    if not parsed.entries and not parsed.get("version"):
        raise ValueError("not an RSS, Atom or RDF feed (no channel or feed element)")
    return FeedLinks(links, f"ill-formed feed, entries read past it: {problem}"
                     if problem else None)


def _safe_feed_xml(body: bytes) -> SafeXMLReader:
    """The feed as UTF-8 without DOCTYPE, C0 controls, or references XML does not know:
    entities cannot expand and feedparser's strict parser reads links as written."""
    text = decode_html(body, None).text
    data = text.encode("utf-8").translate(None, C0_CONTROLS)
    # A file object, never bytes: feedparser opens bytes such as b"/dev/zero" as a path.
    return SafeXMLReader(io.BytesIO(data))


def _bozo_reason(exc: BaseException | None) -> str:
    if isinstance(exc, xml.sax.SAXParseException):
        return f"line {exc.getLineNumber()}, column {exc.getColumnNumber()}: {exc.getMessage()}"
    return f"{type(exc).__name__}: {exc}"


def _first_alternate(entry: dict) -> str | None:
    for link in entry.get("links", []):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link["href"]
    return None


def _parse_json_feed(body: bytes, url: str) -> list[Link]:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        why = "nested too deeply" if isinstance(exc, RecursionError) else exc
        raise ValueError(f"not a JSON Feed: {why}") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ValueError("not a JSON Feed: no 'items' list")
    links = []
    for item in data["items"]:
        if not isinstance(item, dict):
            continue
        href = _text(item.get("url")) or _text(item.get("external_url"))
        if not href:
            continue
        links.append(Link(
            url=urljoin(url, href.strip()),
            published=_text(item.get("date_published")),
            updated=_text(item.get("date_modified")),
            origin="feed",
            title=_text(item.get("title")),
        ))
    return links


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


# -- sitemaps ------------------------------------------------------------------------
@dataclass(frozen=True)
class SitemapDoc:
    kind: str                 # "urlset" or "sitemapindex"
    links: list[Link]         # article candidates (urlset) or child sitemaps (index)
    truncated: str | None = None   # why the links stop before the document's end


def parse_sitemap(body: bytes, url: str) -> SitemapDoc:
    """A urlset (with lastmod and Google News dates) or a sitemap index, plain or .gz.

    Streamed: memory stays flat whatever the size, and reading stops at the protocol's
    limits (MAX_SITEMAP_URLS entries, MAX_SITEMAP_BYTES uncompressed), said in
    ``truncated``. ValueError when it is no sitemap or nothing could be read."""
    raw = GunzipReader(body) if body[:2] == b"\x1f\x8b" else io.BytesIO(body)
    reader = SafeXMLReader(raw, MAX_SITEMAP_BYTES)
    target = _SitemapTarget(url)
    parser = lxml.etree.XMLParser(target=target, recover=True, resolve_entities=False,
                                  no_network=True, huge_tree=False)
    complete: int | None = None           # entries closed by the data, not by close()
    cut_short = False                     # the data ended inside the root element
    try:
        while target.reading and (chunk := reader.read(CHUNK)):
            parser.feed(chunk)
        complete = len(target.links)
        cut_short = target.reading and bool(target.open_elements)
        if target.reading:
            parser.close()
    except lxml.etree.XMLSyntaxError as exc:
        if target.kind is None or not target.links:
            raise ValueError(f"not an XML sitemap: {reader.error or exc}") from None
        target.stopped = f"unreadable past entry {len(target.links)}: {exc}"
    if target.kind is None:
        raise ValueError("not an XML sitemap: no root element"
                         + (f" ({reader.error})" if reader.error else ""))
    if target.kind not in ("urlset", "sitemapindex"):
        raise ValueError(f"not a sitemap (root element <{target.kind}>)")
    links, why = target.links, target.stopped
    if reader.capped or reader.error or cut_short:
        links = links[:complete]        # an entry that the cut closed may be cut short
        why = (f"larger than {MAX_SITEMAP_BYTES // 2**20} MB uncompressed, the sitemap "
               "protocol's limit" if reader.capped else f"broken compressed data: {reader.error}"
               if reader.error else f"the document ends before its </{target.kind}>")
    if target.full:
        why = (f"more than {MAX_SITEMAP_URLS} entries, the sitemap protocol's limit: "
               "the rest were not read")
    if why and not links:
        raise ValueError(f"unreadable sitemap: {why}")
    return SitemapDoc(target.kind, links, f"{why}; {len(links)} entries read" if why else None)


class _SitemapTarget:
    """lxml parser target: builds no tree, keeps only the current entry's fields."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.kind: str | None = None
        self.links: list[Link] = []
        self.full = False                     # MAX_SITEMAP_URLS read and one more seen
        self.reading = True
        self.stopped: str | None = None
        self._path: list[str] = []            # local names from the root down
        self._fields: dict[str, str] = {}
        self._text: list[str] | None = None   # the text of a field being read
        self._size = 0

    def start(self, tag: str, attrib: object) -> None:
        name = _local(tag)
        if self.kind is None:
            self.kind = name
        self._path.append(name)
        if len(self._path) == 1 and name not in ("urlset", "sitemapindex"):
            self.reading = False           # an HTML page or other XML: no need to read on
        depth = len(self._path)
        if depth == 2:
            self._fields = {}
        # An entry's own fields (loc, lastmod) and its <news:news> ones (date, title).
        wanted = depth == 3 or (depth == 4 and self._path[2] == "news")
        self._text = [] if wanted and name not in self._fields else None
        self._size = 0

    def data(self, text: str) -> None:
        if self._text is not None:
            self._text.append(text)
            self._size += len(text)
            if self._size > MAX_FIELD_CHARS:      # no URL or date: drop the field
                self._text = None

    def end(self, tag: str) -> None:
        depth = len(self._path)
        name = self._path.pop() if self._path else ""
        if self._text is not None:
            value = "".join(self._text).strip()
            if value:
                self._fields[name] = value
            self._text = None
        if depth != 2 or name != ("url" if self.kind == "urlset" else "sitemap"):
            return
        fields = self._fields
        if "loc" not in fields:
            return
        if len(self.links) == MAX_SITEMAP_URLS:
            self.full, self.reading = True, False
            return
        loc = fields["loc"]
        self.links.append(Link(
            url=loc if loc.startswith(("https://", "http://")) else urljoin(self.url, loc),
            published=fields.get("publication_date"),
            updated=fields.get("lastmod"),
            origin="sitemap",
            title=fields.get("title"),
        ))

    @property
    def open_elements(self) -> int:
        return len(self._path)

    def close(self) -> None:
        return None


@functools.lru_cache(maxsize=256)
def _local(tag: str) -> str:
    """'{ns}url', 'sm:url' (an undeclared prefix) and 'url' are all 'url'."""
    return tag.rpartition("}")[2].rpartition(":")[2]


def sitemaps_from_robots(body: bytes, url: str) -> list[str]:
    text = body.decode("utf-8", errors="replace")
    found = []
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap" and value.strip():
            found.append(urljoin(url, value.strip()))
    return found


# -- listing pages -------------------------------------------------------------------
NEXT_WORDS = re.compile(
    r"^\W*(next|next page|older|далее|дальше|следующая|вперед|вперёд|"
    r"далі|наступна|наступна сторінка|ще)\W*$", re.IGNORECASE)


@dataclass(frozen=True)
class ListingPage:
    article_urls: list[str]
    next_urls: list[str]


def parse_listing(html: str, url: str, is_article: Callable[[str], bool]) -> ListingPage:
    """Article links (by the source's pattern) and the next page(s) of a listing."""
    tree = lxml.html.fromstring(html or "<html></html>")
    base = tree.xpath("string(//base/@href)") or url
    articles: dict[str, None] = {}
    next_urls: dict[str, None] = {}
    for href in tree.xpath('//link[@rel="next"]/@href | //a[contains(concat(" ", '
                           'normalize-space(@rel), " "), " next ")]/@href'):
        next_urls[urljoin(base, href.strip())] = None
    current_page = page_number(url)
    current_offset = _offset(url)
    offsets: dict[int, str] = {}          # Joomla's ?start=N: the nearest one ahead is next
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
            continue
        absolute = urljoin(base, href)
        if is_article(absolute):
            articles[absolute] = None
            continue
        label = squash(a.text_content()) or a.get("title") or a.get("aria-label") or ""
        same = _same_path(absolute, url)
        if NEXT_WORDS.match(label) or label in ("»", "›", "→") or (
                page_number(absolute) == current_page + 1 and same):
            next_urls[absolute] = None
        elif same and (offset := _offset(absolute)) > current_offset:
            offsets.setdefault(offset, absolute)
    if offsets and not next_urls:
        next_urls[offsets[min(offsets)]] = None
    return ListingPage(list(articles), list(next_urls))


PAGE_KEYS = re.compile(r"^(page|p|paged|pagen_\d+)$", re.IGNORECASE)   # 1C-Bitrix: PAGEN_1
OFFSET_KEYS = ("start", "limitstart")                                # Joomla
PAGE_PATH = re.compile(r"/page/(\d+)/?$")                            # WordPress, DLE


def page_number(url: str) -> int:
    """The page of a listing a URL names (?page=N, ?PAGEN_1=N, /page/N/), 1 if none."""
    parts = urlsplit(url)
    for key, value in parse_qsl(parts.query):
        if PAGE_KEYS.match(key) and value.isdigit():
            return int(value)
    match = PAGE_PATH.search(parts.path)
    return int(match.group(1)) if match else 1


def _offset(url: str) -> int:
    for key, value in parse_qsl(urlsplit(url).query):
        if key.lower() in OFFSET_KEYS and value.isdigit():
            return int(value)
    return 0


def listing_path(url: str) -> str:
    """A listing URL's path without its page part: what its pages share."""
    path = urlsplit(url).path
    return PAGE_PATH.sub("", path).rstrip("/")


def _same_path(a: str, b: str) -> bool:
    return listing_path(a) == listing_path(b)

