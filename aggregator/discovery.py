"""Reading feeds, sitemaps and listing pages into article links (pure functions).

The spider calls these and decides what to request; nothing here does I/O, so
each reader is tested on saved documents.
"""

from __future__ import annotations

import gzip
import io
import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urljoin, urlsplit

import feedparser
import lxml.etree
import lxml.html

MAX_SITEMAP_BYTES = 50 * 1024 * 1024   # the sitemap protocol's own limit, uncompressed


@dataclass(frozen=True)
class Link:
    """An article link with what the document that listed it says about it."""

    url: str
    published: str | None = None    # raw date string (feed entry, news sitemap)
    updated: str | None = None       # raw "changed at" string (Atom updated, lastmod)
    origin: str = "listing"          # feed, sitemap or listing
    title: str | None = None


# -- feeds ---------------------------------------------------------------------------
def looks_like_json_feed(body: bytes) -> bool:
    head = body[:200].lstrip()
    return head.startswith(b"{")


def parse_feed(body: bytes, url: str) -> list[Link]:
    """Entries of an RSS 2.0, Atom or JSON Feed document."""
    if looks_like_json_feed(body):
        return _parse_json_feed(body, url)
    parsed = feedparser.parse(body, response_headers={"content-location": url})
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
    return links


def _first_alternate(entry: dict) -> str | None:
    for link in entry.get("links", []):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link["href"]
    return None


def _parse_json_feed(body: bytes, url: str) -> list[Link]:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not a JSON Feed: {exc}") from exc
    links = []
    for item in data.get("items", []) if isinstance(data, dict) else []:
        if not isinstance(item, dict):
            continue
        href = item.get("url") or item.get("external_url")
        if not isinstance(href, str):
            continue
        links.append(Link(
            url=urljoin(url, href.strip()),
            published=item.get("date_published"),
            updated=item.get("date_modified"),
            origin="feed",
            title=item.get("title"),
        ))
    return links


# -- sitemaps ------------------------------------------------------------------------
@dataclass(frozen=True)
class SitemapDoc:
    kind: str                 # "urlset" or "sitemapindex"
    links: list[Link]         # article candidates (urlset) or child sitemaps (index)


def maybe_gunzip(body: bytes) -> bytes:
    if body[:2] == b"\x1f\x8b":
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as fh:
            data = fh.read(MAX_SITEMAP_BYTES + 1)
        if len(data) > MAX_SITEMAP_BYTES:
            raise ValueError("sitemap larger than 50 MB uncompressed")
        return data
    return body


def parse_sitemap(body: bytes, url: str) -> SitemapDoc:
    """A urlset (with lastmod and Google News dates) or a sitemap index."""
    parser = lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                                  remove_comments=True, huge_tree=False)
    root = lxml.etree.fromstring(maybe_gunzip(body), parser=parser)
    if root is None:
        raise ValueError("not an XML sitemap")
    kind = lxml.etree.QName(root).localname
    if kind not in ("urlset", "sitemapindex"):
        raise ValueError(f"not a sitemap (root element <{kind}>)")
    links = []
    child = "url" if kind == "urlset" else "sitemap"
    for node in root:
        if not isinstance(node.tag, str) or lxml.etree.QName(node).localname != child:
            continue
        fields: dict[str, str] = {}
        for el in node.iter():
            if isinstance(el.tag, str) and el.text and el.text.strip():
                fields.setdefault(lxml.etree.QName(el).localname, el.text.strip())
        if "loc" not in fields:
            continue
        links.append(Link(
            url=urljoin(url, fields["loc"]),
            published=fields.get("publication_date"),
            updated=fields.get("lastmod"),
            origin="sitemap",
            title=fields.get("title"),
        ))
    return SitemapDoc(kind, links)


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


def parse_listing(html: str, url: str, is_article) -> ListingPage:
    """Article links (by the source's pattern) and the next page(s) of a listing."""
    tree = lxml.html.fromstring(html or "<html></html>")
    base = tree.xpath("string(//base/@href)") or url
    articles: dict[str, None] = {}
    next_urls: dict[str, None] = {}
    for href in tree.xpath('//link[@rel="next"]/@href | //a[contains(concat(" ", '
                           'normalize-space(@rel), " "), " next ")]/@href'):
        next_urls[urljoin(base, href.strip())] = None
    current_page = _page_number(url)
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
            continue
        absolute = urljoin(base, href)
        if is_article(absolute):
            articles[absolute] = None
            continue
        label = " ".join(a.text_content().split()) or a.get("title") or a.get("aria-label") or ""
        if NEXT_WORDS.match(label) or label in ("»", "›", "→"):
            next_urls[absolute] = None
        elif _page_number(absolute) == current_page + 1 and _same_path(absolute, url):
            next_urls[absolute] = None
    return ListingPage(list(articles), list(next_urls))


def _page_number(url: str) -> int:
    for key, value in parse_qsl(urlsplit(url).query):
        if key.lower() in ("page", "p", "pagen_1", "paged") and value.isdigit():
            return int(value)
    return 1


def _same_path(a: str, b: str) -> bool:
    return urlsplit(a).path.rstrip("/") == urlsplit(b).path.rstrip("/")

