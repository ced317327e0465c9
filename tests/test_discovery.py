"""Feeds, sitemaps and listing pages read into article links (no network)."""

import gzip
import json

import pytest

from aggregator.crawl.discovery import (
    parse_feed,
    parse_listing,
    parse_sitemap,
    sitemaps_from_robots,
)

RSS = """<?xml version="1.0" encoding="windows-1251"?>
<rss version="2.0"><channel><title>Новости</title>
<item><title>Совещание</title><link>https://ulgov.ru/news/1</link>
<pubDate>Thu, 12 Nov 2026 14:30:00 +0400</pubDate></item>
<item><title>Без даты</title><link>/news/2</link></item>
</channel></rss>""".encode("cp1251")

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><title>A</title><link rel="alternate" href="https://monitor.cn.ua/ua/news/5"/>
<id>urn:x:5</id><published>2026-02-27T14:05:00+02:00</published>
<updated>2026-02-28T09:00:00+02:00</updated></entry></feed>"""

JSON_FEED = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "WeGO",
                        "items": [{"id": "3", "url": "https://we-gov.org/news/3",
                                   "date_published": "2026-03-03T09:00:00+09:00"}]}).encode()

SITEMAP_INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://egov.itmo.ru/sitemap-news.xml</loc></sitemap>
<sitemap><loc>https://egov.itmo.ru/sitemap-pages.xml.gz</loc><lastmod>2026-11-01</lastmod></sitemap>
</sitemapindex>"""

NEWS_SITEMAP = """<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://egov.itmo.ru/news/7</loc><lastmod>2026-11-20</lastmod>
<news:news><news:publication><news:name>ITMO</news:name><news:language>ru</news:language></news:publication>
<news:publication_date>2026-11-18T10:00:00+03:00</news:publication_date>
<news:title>Семинар</news:title></news:news></url>
<url><loc>https://egov.itmo.ru/about</loc></url>
</urlset>""".encode()


def test_rss_in_windows_1251_with_dates_and_relative_links():
    links = parse_feed(RSS, "https://ulgov.ru/news/rss")
    assert [link.url for link in links] == ["https://ulgov.ru/news/1", "https://ulgov.ru/news/2"]
    assert links[0].published == "Thu, 12 Nov 2026 14:30:00 +0400"
    assert links[0].title == "Совещание" and links[0].origin == "feed"
    assert links[1].published is None


def test_atom_keeps_published_and_updated():
    (link,) = parse_feed(ATOM, "https://monitor.cn.ua/feed")
    assert link.url == "https://monitor.cn.ua/ua/news/5"
    assert (link.published, link.updated) == ("2026-02-27T14:05:00+02:00",
                                              "2026-02-28T09:00:00+02:00")


def test_json_feed():
    (link,) = parse_feed(JSON_FEED, "https://we-gov.org/feed.json")
    assert link.url == "https://we-gov.org/news/3"
    assert link.published == "2026-03-03T09:00:00+09:00"


def test_broken_json_feed_is_a_value_error():
    with pytest.raises(ValueError, match="not a JSON Feed"):
        parse_feed(b"{ nope", "https://x/feed.json")


def test_sitemap_index_and_gzipped_news_sitemap():
    index = parse_sitemap(SITEMAP_INDEX, "https://egov.itmo.ru/sitemap.xml")
    assert index.kind == "sitemapindex"
    assert [link.url for link in index.links][1].endswith(".xml.gz")
    doc = parse_sitemap(gzip.compress(NEWS_SITEMAP), "https://egov.itmo.ru/sitemap-news.xml.gz")
    assert doc.kind == "urlset"
    first, second = doc.links
    assert (first.published, first.updated, first.title) == (
        "2026-11-18T10:00:00+03:00", "2026-11-20", "Семинар")
    assert second.published is None and second.updated is None


def test_not_a_sitemap():
    with pytest.raises(ValueError, match="not a sitemap"):
        parse_sitemap(b"<html><body>hi</body></html>", "https://x/sitemap.xml")


def test_robots_txt_sitemaps():
    robots = b"User-agent: *\nDisallow: /private/\nSitemap: https://egov.itmo.ru/sitemap.xml\n"
    assert sitemaps_from_robots(robots, "https://egov.itmo.ru/robots.txt") == [
        "https://egov.itmo.ru/sitemap.xml"]


@pytest.mark.parametrize("nav", [
    '<link rel="next" href="/news/?page=2">',
    '<a href="/news/?page=2">Далее »</a>',
    '<a href="/news/p2">Наступна →</a>',
    '<a href="/news/p2">далі</a>',
    '<a class="pager" href="/news/?page=2">2</a>',
])
def test_listing_pagination_forms(nav):
    html = f"""<html><head>{nav if nav.startswith('<link') else ''}</head><body>
      <a href="/news/101">Первая</a> <a href="/news/102?utm_source=x">Вторая</a>
      <a href="/about">О нас</a> <a href="/news/?page=3">3</a>
      {nav if nav.startswith('<a') else ''}</body></html>"""
    page = parse_listing(html, "https://ulgov.ru/news/", lambda u: "/news/10" in u)
    assert page.article_urls == ["https://ulgov.ru/news/101", "https://ulgov.ru/news/102?utm_source=x"]
    assert len(page.next_urls) == 1
    assert page.next_urls[0] in ("https://ulgov.ru/news/?page=2", "https://ulgov.ru/news/p2")
