"""Stories and documents for the CMS fixture web (tests/cmsweb.py): article-like stories
in Russian, Ukrainian and English, datelines as portals print them, feeds, sitemaps, and
the builder that serves one site's pages in its chrome and records its ground truth.

Every story is a pure function of (language, site seed, index): no randomness, and no two
stories of the fixture web share a paragraph (topics, places, officials and numbers vary).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape

from aggregator.urls import normalize_url
from tests.cmstext import GENERIC, MONTHS, NEWEST, OFFICIALS, PLACES, TOPICS
from tests.faultweb import Behaviour, FaultSite, FaultWeb, ok


@dataclass(frozen=True)
class Story:
    """One article's content: what every CMS renders in its own markup."""

    id: int
    title: str
    paragraphs: tuple[str, ...]
    when: datetime              # local time, no offset (the site's time zone)
    slug: str
    language: str

    @property
    def teaser(self) -> str:
        return self.paragraphs[0].split(". ")[0].rstrip(".") + "."


def stories(language: str, seed: int, count: int, first_id: int) -> list[Story]:
    """``count`` stories of one site, newest first, ids from ``first_id`` (descending)."""
    topics, generic = TOPICS[language], GENERIC[language]
    places, officials = PLACES[language], OFFICIALS[language]
    out = []
    for i in range(count):
        g = seed * 17 + i
        stem, title, lead = topics[(seed * 4 + i) % len(topics)]
        loc, place_slug = places[(seed + i * 3) % len(places)]
        fill = {"loc": loc, "n": 120 + (g * 37) % 880, "k": 2 + (g * 7) % 19,
                "m2": 40 + (g * 53) % 960, "n2": 10 + (g * 29) % 590, "doc": 100 + (g * 13) % 997,
                "doc2": 200 + (g * 31) % 977,
                "gy": 2030 + g % 8, "ny": 2027 + g % 3, "year": 2019 + g % 6,
                "pct": 5 + g % 25, "official": officials[g % len(officials)],
                "phone": f"8-800-{100 + g % 900:03d}-{10 + (g * 13) % 90:02d}-{10 + i:02d}"}
        s = [generic[(g + off) % len(generic)].format(**fill) for off in (0, 3, 6, 9, 1)]
        paragraphs = (f"{lead} {s[0]}", f"{s[1]} {s[2]}", s[3], s[4])
        out.append(Story(id=first_id - i * (3 + seed % 4), title=title.format(**fill),
                         paragraphs=paragraphs, when=NEWEST - timedelta(hours=9 * i + seed),
                         slug=f"{stem}-{place_slug}", language=language))
    return out


def dateline(when: datetime, style: str, language: str) -> str:
    """The date as a portal prints it: "long" 20 ноября 2026, 14:30; "dotted" 20.11.2026;
    "dotted_time" 20.11.2026 14:30; "day" 20 ноября 2026; "us" Fri, 11/20/2026 - 14:30."""
    month = MONTHS[language][when.month - 1]
    if style == "long":
        return f"{when.day} {month} {when.year}, {when:%H:%M}"
    if style == "day":
        return f"{when.day} {month} {when.year}"
    if style == "dotted":
        return f"{when:%d.%m.%Y}"
    if style == "dotted_time":
        return f"{when:%d.%m.%Y %H:%M}"
    if style == "us":
        return f"{when:%a, %m/%d/%Y - %H:%M}"
    raise ValueError(f"unknown dateline style {style!r}")


def link_list(items: Sequence[tuple[str, Story]]) -> str:
    """A <ul> of links to stories: what tag, author and home pages show."""
    return "<ul>" + "".join(f'<li><a href="{escape(url)}">{escape(s.title)}</a></li>'
                            for url, s in items) + "</ul>"


def paragraphs_html(story: Story) -> str:
    return "".join(f"<p>{escape(p)}</p>\n" for p in story.paragraphs)


# -- feeds and sitemaps -----------------------------------------------------------------
def rss(title: str, link: str, items: Sequence[tuple[str, Story]], *,
        guid: Sequence[str] | None = None, offset: str = "+0300") -> bytes:
    """RSS 2.0 with title, link, guid, pubDate and description per item."""
    entries = []
    for n, (url, story) in enumerate(items):
        ident = guid[n] if guid else url
        entries.append(
            f"<item><title>{escape(story.title)}</title><link>{escape(url)}</link>"
            f"<guid isPermaLink=\"false\">{escape(ident)}</guid>"
            f"<pubDate>{story.when:%a, %d %b %Y %H:%M:%S} {offset}</pubDate>"
            f"<description>{escape(story.teaser)}</description></item>\n")
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
            f"<title>{escape(title)}</title><link>{escape(link)}</link>"
            f"<description>{escape(title)}</description>\n{''.join(entries)}"
            "</channel></rss>\n").encode()


def news_sitemap(name: str, language: str, items: Sequence[tuple[str, Story]],
                 offset: str = "+03:00") -> bytes:
    """A Google News sitemap (news:publication with name, language, date, title)."""
    body = "".join(
        f"<url><loc>{escape(url)}</loc><news:news><news:publication><news:name>"
        f"{escape(name)}</news:name><news:language>{language}</news:language>"
        f"</news:publication><news:publication_date>{s.when:%Y-%m-%dT%H:%M:%S}{offset}"
        f"</news:publication_date><news:title>{escape(s.title)}</news:title>"
        "</news:news></url>\n" for url, s in items)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/'
            'schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            f"\n{body}</urlset>\n").encode()


NOT_FOUND = ok("<html><head><title>404</title></head><body><h1>Страница не найдена</h1>"
               "</body></html>", status=404)
PERMISSIVE = "User-agent: *\nDisallow:\n"
LATEST = {"ru": "Главные новости", "uk": "Головні новини", "en": "Latest"}
FOOTER = {"ru": "© 2026 {brand}. Адрес: ул. Советская, 1. Телефон приёмной: (8422) 58-00-00.",
          "uk": "© 2026 {brand}. Адреса: вул. Соборна, 1. Телефон приймальні: (0432) 59-00-00.",
          "en": "© 2026 {brand}. Town Hall, Market Square. Contact centre: 01632 960000."}


@dataclass
class CmsSite:
    """One site of the fixture web and its ground truth."""

    name: str
    homepage: str
    articles: set[str]              # every article URL of the site, as the site links it
    non_articles: set[str]          # tag, author, event, listing, static pages: never stored
    language: str
    charset: str
    notes: str
    article_shape: str = ""         # a regex every article URL matches and no other page does
    fault: FaultSite | None = field(default=None, repr=False)   # .hits() counts requests


class SiteBuilder:
    """Serves one CMS site: its chrome (menu, footer), pages and ground truth."""

    def __init__(self, web: FaultWeb, name: str, language: str, brand: str,
                 menu: Sequence[tuple[str, str]], notes: str, charset: str = "utf-8") -> None:
        self.fault = web.site(name)
        self.language, self.brand, self.menu, self.charset = language, brand, menu, charset
        self.pages: dict[str, Behaviour] = {}
        self.fault.route_prefix("/", lambda path: self.pages.get(self.key(path), NOT_FOUND))
        self.info = CmsSite(name=name, homepage=self.url("/"), articles=set(),
                            non_articles=set(), language=language, charset=charset,
                            notes=notes, fault=self.fault)

    def url(self, path: str) -> str:
        return self.fault.url(path)

    def key(self, path: str) -> str:
        return normalize_url(self.url(path))

    def serve(self, path: str, body: str | bytes, content_type: str) -> None:
        data = body.encode(self.charset) if isinstance(body, str) else body
        self.pages[self.key(path)] = ok(data, content_type)

    def html(self, path: str, title: str, main: str, head: str = "",
             kind: str | None = "other") -> None:
        """A page in the site's chrome; ``kind`` "article" or "other" enters the truth."""
        menu = "".join(f'<li><a href="{escape(href)}">{escape(label)}</a></li>'
                       for label, href in self.menu)
        page = (f'<!DOCTYPE html>\n<html lang="{self.language}"><head>'
                f'<meta charset="{self.charset}"><meta name="viewport" '
                f'content="width=device-width, initial-scale=1">'
                f"<title>{escape(title)} | {escape(self.brand)}</title>{head}</head>\n<body>"
                f'<header class="site-header"><a class="logo" href="/">{escape(self.brand)}'
                f'</a><nav class="main-menu"><ul>{menu}</ul></nav></header>\n'
                f'<main class="content">{main}</main>\n<footer class="site-footer"><p>'
                f"{escape(FOOTER[self.language].format(brand=self.brand))}</p></footer>"
                "</body></html>\n")
        self.serve(path, page, f"text/html; charset={self.charset}")
        if kind == "article":
            self.info.articles.add(self.url(path))
        elif kind == "other":
            self.info.non_articles.add(self.url(path))

    def article(self, path: str, story: Story, date_html: str, *, head: str = "",
                before: str = "", after: str = "") -> None:
        main = (f'{before}<article class="news-detail"><h1>{escape(story.title)}</h1>'
                f'<div class="news-date">{date_html}</div>\n{paragraphs_html(story)}'
                f"{after}</article>")
        self.html(path, story.title, main, head, kind="article")

    def listing(self, paths: Sequence[str], items: Sequence[tuple[str, Story]], title: str,
                date_style: str, pager: Callable[[int], str],
                head: Callable[[int], str] = lambda i: "",
                extra: Callable[[int], str] = lambda i: "") -> None:
        """Listing pages: ``items`` spread over ``paths``, each with the site's pager."""
        per = -(-len(items) // len(paths))
        for i, path in enumerate(paths):
            rows = "".join(
                f'<div class="news-item"><span class="date">'
                f"{dateline(s.when, date_style, self.language)}</span> "
                f'<a href="{escape(url)}">{escape(s.title)}</a><p>{escape(s.teaser)}</p></div>\n'
                for url, s in items[i * per:(i + 1) * per])
            self.html(path, title, f"<h1>{escape(title)}</h1>{extra(i)}"
                      f'<div class="news-list">{rows}</div>{pager(i)}', head(i))

    def home(self, items: Sequence[tuple[str, Story]], head: str = "", extra: str = "") -> None:
        self.html("/", self.brand, f"<h2>{LATEST[self.language]}</h2>{link_list(items[:3])}"
                  f"{extra}", head, kind=None)

    def robots(self, text: str = PERMISSIVE) -> None:
        self.serve("/robots.txt", text.replace("{base}", self.url("")), "text/plain")

    def finish(self, shape: str) -> CmsSite:
        """Static pages for the menu entries not served yet; the article shape."""
        for label, href in self.menu:
            if self.key(href) not in self.pages:
                self.html(href, label, f"<h1>{escape(label)}</h1><p>{escape(self.brand)}: "
                          f"{escape(label)}.</p>")
        if self.key("/robots.txt") not in self.pages:
            self.robots()
        self.info.article_shape = shape
        return self.info


def pager(paths: Sequence[str], next_label: str = "", css: str = "pagination",
          rel_next: bool = False) -> Callable[[int], str]:
    """Numbered page links (the current one bold) and a "next" link after them."""
    def render(i: int) -> str:
        numbers = " ".join(f"<b>{n + 1}</b>" if n == i else f'<a href="{escape(p)}">{n + 1}</a>'
                           for n, p in enumerate(paths))
        nxt = ""
        if next_label and i + 1 < len(paths):
            rel = ' rel="next"' if rel_next else ""
            nxt = f' <a class="next" href="{escape(paths[i + 1])}"{rel}>{escape(next_label)}</a>'
        return f'<div class="{css}">{numbers}{nxt}</div>'
    return render


def meta_time(story: Story, offset: str = "+03:00") -> str:
    return (f'<meta property="article:published_time" '
            f'content="{story.when:%Y-%m-%dT%H:%M:%S}{offset}">')


def alternate(href: str, title: str) -> str:
    return (f'<link rel="alternate" type="application/rss+xml" title="{escape(title)}" '
            f'href="{escape(href)}">')
