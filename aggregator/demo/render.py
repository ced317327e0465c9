"""Builds the demo web's pages, feeds and sitemaps from each site's TOML description.

A site is one TOML file under ``sites/`` (its chrome, its articles and their
true dates) and one page template under ``templates/``. Rendering happens once
the server ports are known, because pages and feeds carry absolute URLs.
"""

from __future__ import annotations

import gzip
import json
import random
import tomllib
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import jinja2

DEMO_DIR = Path(__file__).resolve().parent
SITES_DIR = DEMO_DIR / "sites"
TEMPLATES = jinja2.Environment(loader=jinja2.FileSystemLoader(DEMO_DIR / "templates"),
                               autoescape=True, keep_trailing_newline=True)


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    content_type: str


def load_sites(root: Path = SITES_DIR) -> dict[str, dict[str, Any]]:
    """Every site description under ``root``, by id (the file's stem)."""
    return {path.stem: tomllib.loads(path.read_text(encoding="utf-8"))
            for path in sorted(root.glob("*.toml"))}


def render_site(site: dict[str, Any], base: str, revision: int) -> dict[str, Reply]:
    """Every route of one site as it looks in the given revision."""
    articles = [a for a in site.get("article", []) if a.get("revision", 1) <= revision]
    routes: dict[str, Reply] = {}
    for article in articles:
        page = _article_page(site, base, article, articles, revision)
        routes[article["path"]] = page
        for alias in article.get("aliases", []):
            routes[alias] = page
    if site.get("listing"):
        routes.update(_listing_pages(site, articles))
        routes.setdefault("/", routes[site["listing"]])
    if site.get("feed"):
        routes[site["feed"]["path"]] = _feed(site, base, articles, revision)
    if site.get("sitemap_index"):
        routes.update(_sitemaps(site, base, articles))
    routes["/robots.txt"] = Reply(200, site.get("robots", "").replace("__BASE__", base)
                                  .encode(), "text/plain; charset=utf-8")
    for path, spec in site.get("routes", {}).items():
        routes[path] = _special(path, spec)
    return routes


def _html(site: dict[str, Any], **context: Any) -> Reply:
    text = TEMPLATES.get_template(f"{site['style']}.html").render(site=site, **context)
    encoding = site.get("encoding", "utf-8")
    # The windows-1251 site names its charset only in <meta>, like many old portals.
    content_type = "text/html" if encoding != "utf-8" else "text/html; charset=utf-8"
    return Reply(200, text.encode(encoding, "xmlcharrefreplace"), content_type)


def _article_page(site: dict[str, Any], base: str, article: dict[str, Any],
                  articles: list[dict[str, Any]], revision: int) -> Reply:
    paragraphs = article["paragraphs"]
    if revision >= 2 and article.get("rev2_paragraphs"):
        paragraphs = article["rev2_paragraphs"]
    shown = dict(article)
    if article.get("published"):
        shown["human_date"] = _moment(article["published"]).strftime("%B %d, %Y").replace(
            " 0", " ")
    canonical = base + article["path"] if site["style"] == "network" else None
    return _html(site, article=shown, paragraphs=paragraphs, canonical=canonical,
                 sidebar=_sidebar(article, articles), listing=[], page=0, next_href=None,
                 prev_href=None)


def _sidebar(current: dict[str, Any], articles: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Other headlines with their own dates: the dates an extractor must not take."""
    others = [a for a in _newest_first(articles) if a is not current][:4]
    return [{"title": a["title"], "href": a["path"], "date_text": _short_date(a)} for a in others]


def _listing_pages(site: dict[str, Any], articles: list[dict[str, Any]]) -> dict[str, Reply]:
    pages: dict[int, list[dict[str, str]]] = {}
    for article in _newest_first(articles):
        if article.get("listing_page"):
            pages.setdefault(article["listing_page"], []).append({
                "title": article["title"], "date_text": _short_date(article),
                "href": article["path"] + article.get("listing_fragment", ""),
                "lead": article["paragraphs"][0][:140]})
        for alias in article.get("aliases", []):
            pages.setdefault(article.get("alias_listing_page", 1), []).append({
                "title": article["title"], "date_text": _short_date(article), "href": alias,
                "lead": article["paragraphs"][0][:140]})
    if site.get("broken_links"):
        pages.setdefault(1, []).extend({"title": f"Новина {n}", "date_text": "", "href": path,
                                        "lead": ""} for n, path in
                                       enumerate(site["broken_links"], 1))
    listing = site["listing"]
    last = max(pages) if pages else 1
    routes = {}
    for number in range(1, last + 1):
        key = listing if number == 1 else f"{listing}?page={number}"
        prev_href = None if number == 1 else (listing if number == 2
                                              else f"{listing}?page={number - 1}")
        next_href = f"{listing}?page={number + 1}" if number < last else None
        routes[key] = _html(site, article=None, paragraphs=[], canonical=None,
                            sidebar=[], listing=pages.get(number, []), page=number,
                            next_href=next_href, prev_href=prev_href)
    return routes


def _feed(site: dict[str, Any], base: str, articles: list[dict[str, Any]],
          revision: int) -> Reply:
    feed = site["feed"]
    entries = []
    for article in _newest_first(articles):
        if not article.get("feed"):
            continue
        updated = article["published"]
        if revision >= 2 and article.get("rev2_updated"):
            updated = article["rev2_updated"]
        entries.append({"title": article["title"], "published": article["published"],
                        "updated": updated, "summary": article["paragraphs"][0],
                        "url": base + article["path"] + article.get("feed_query", "")})
    kind = feed["kind"]
    if kind == "json":
        doc = {"version": "https://jsonfeed.org/version/1.1", "title": feed["title"],
               "home_page_url": base + "/", "feed_url": base + feed["path"],
               "items": [{"id": e["url"], "url": e["url"], "title": e["title"],
                          "summary": e["summary"], "date_published": e["published"],
                          "date_modified": e["updated"]} for e in entries]}
        return Reply(200, json.dumps(doc, ensure_ascii=False, indent=1).encode(),
                     "application/feed+json")
    if kind == "atom":
        items = "".join(
            f"<entry><title>{escape(e['title'])}</title><link href=\"{escape(e['url'])}\"/>"
            f"<id>{escape(e['url'])}</id><published>{e['published']}</published>"
            f"<updated>{e['updated']}</updated><summary>{escape(e['summary'])}</summary>"
            "</entry>\n" for e in entries)
        latest = max((e["updated"] for e in entries), default="2026-01-01T00:00:00+00:00")
        text = (f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns='
                f'"http://www.w3.org/2005/Atom"><title>{escape(feed["title"])}</title>'
                f'<link href="{base}/"/><id>{base}/</id><updated>{latest}</updated>\n'
                f"{items}</feed>\n")
        return Reply(200, text.encode(), "application/atom+xml")
    items = "".join(
        f"<item><title>{escape(e['title'])}</title><link>{escape(e['url'])}</link>"
        f"<guid>{escape(e['url'])}</guid>"
        f"<pubDate>{format_datetime(_moment(e['published']))}</pubDate>"
        f"<description>{escape(e['summary'])}</description></item>\n" for e in entries)
    text = (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
            f'<title>{escape(feed["title"])}</title><link>{base}/</link>'
            f"<description>{escape(site['name'])}</description>\n{items}</channel></rss>\n")
    return Reply(200, text.encode(), "application/rss+xml")


def _sitemaps(site: dict[str, Any], base: str,
              articles: list[dict[str, Any]]) -> dict[str, Reply]:
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    news_ns = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
    index = "".join(f"<sitemap><loc>{base}{path}</loc></sitemap>"
                    for path in (site["news_sitemap"], site["pages_sitemap"]))
    news = "".join(
        f"<url><loc>{base}{a['path']}</loc><news:news><news:publication><news:name>"
        f"{escape(site['name'])}</news:name><news:language>{site['language']}</news:language>"
        f"</news:publication><news:publication_date>{a['published']}</news:publication_date>"
        f"<news:title>{escape(a['title'])}</news:title></news:news></url>\n"
        for a in articles if a.get("news_sitemap"))
    pages = "".join(
        f"<url><loc>{base}{a['path']}</loc>"
        + (f"<lastmod>{a['lastmod']}</lastmod>" if a.get("lastmod") else "") + "</url>\n"
        for a in articles if not a.get("news_sitemap"))
    pages += f"<url><loc>{base}/about</loc></url>\n"
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    xml = "application/xml"
    return {
        site["sitemap_index"]: Reply(200, f"{head}<sitemapindex {ns}>{index}</sitemapindex>"
                                     .encode(), xml),
        site["news_sitemap"]: Reply(200, f"{head}<urlset {ns} {news_ns}>\n{news}</urlset>"
                                    .encode(), xml),
        site["pages_sitemap"]: Reply(200, gzip.compress(
            f"{head}<urlset {ns}>\n{pages}</urlset>".encode(), mtime=0), "application/x-gzip"),
    }


def _special(path: str, spec: dict[str, Any]) -> Reply:
    """Broken pages: server errors, empty bodies, binary junk labelled as HTML."""
    if "binary" in spec:
        body = random.Random(path).randbytes(int(spec["binary"]))
    else:
        body = spec.get("body", "").encode("utf-8")
    return Reply(int(spec.get("status", 200)), body, "text/html; charset=utf-8")


def _newest_first(articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(articles, key=lambda a: a.get("published", ""), reverse=True)


def _short_date(article: dict[str, Any]) -> str:
    if not article.get("published"):
        return ""
    return _moment(article["published"]).strftime("%d.%m.%Y")


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value)
