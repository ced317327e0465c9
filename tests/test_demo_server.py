"""The demo web itself: routes, revisions, encodings and broken pages, over real HTTP."""

from __future__ import annotations

import gzip
import json
import urllib.error
import urllib.request
from urllib.parse import urljoin

import lxml.html
import pytest

from aggregator.config.sources import load_sources
from aggregator.demo.server import DemoWeb, route_key


def fetch(web: DemoWeb, site: str, path: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(web.base_url(site) + path, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_route_keys():
    assert route_key("/news?page=2") == "/news?page=2"
    assert route_key("/news/?page=1&utm_source=x") == "/news"
    assert route_key("/news/x?utm_source=feed&utm_medium=rss") == "/news/x"


def test_pages_carry_this_runs_urls_and_pagination(demo_web):
    status, _, body = fetch(demo_web, "ulgov", "/news/rss")
    assert status == 200 and demo_web.base_url("ulgov").encode() in body
    status, _, body = fetch(demo_web, "ulgov", "/news/index")
    assert b'rel="next" href="/news/index?page=2"' in body
    status, _, body = fetch(demo_web, "ulgov", "/news/index?page=2")
    assert status == 200 and b"/news/index/permlink/id/1005" in body


def test_windows_1251_site_names_its_charset_only_in_meta(demo_web):
    status, headers, body = fetch(demo_web, "chernigiv", "/news")
    assert status == 200 and headers["Content-Type"] == "text/html"
    assert b"charset=windows-1251" in body
    assert "Наступна" in body.decode("cp1251")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


def test_revision_two_changes_an_article_and_adds_one(demo_web):
    path = "/news/302-oblrada-ukhvalyla-prohramu-tsyfrovizatsii"
    try:
        before = fetch(demo_web, "chernigiv", path)[2].decode("cp1251")
        assert fetch(demo_web, "chernigiv", "/news/304-zapratsiuvav-chat-bot-hromady")[0] == 404
        demo_web.revision = 2
        after = fetch(demo_web, "chernigiv", path)[2].decode("cp1251")
        assert fetch(demo_web, "chernigiv", "/news/304-zapratsiuvav-chat-bot-hromady")[0] == 200
        feed = fetch(demo_web, "chernigiv", "/feed.atom")[2].decode()
    finally:
        demo_web.revision = 1
    assert "Оновлено:" in after and "Оновлено:" not in before
    assert "<updated>2026-11-23T19:00:00+02:00</updated>" in feed


def test_sitemap_index_with_a_gzipped_child(demo_web):
    robots = fetch(demo_web, "itmo", "/robots.txt")[2].decode()
    assert f"Sitemap: {demo_web.base_url('itmo')}/sitemap.xml" in robots
    index = fetch(demo_web, "itmo", "/sitemap.xml")[2].decode()
    assert "/sitemap-pages.xml.gz" in index and "/sitemap-news.xml" in index
    _, headers, body = fetch(demo_web, "itmo", "/sitemap-pages.xml.gz")
    assert headers["Content-Type"] == "application/x-gzip"
    assert b"<urlset" in gzip.decompress(body)
    assert b"news:publication_date" in fetch(demo_web, "itmo", "/sitemap-news.xml")[2]


def test_broken_pages(demo_web):
    assert fetch(demo_web, "kharkiv", "/news/2026/11/20/oops-500")[0] == 500
    assert fetch(demo_web, "kharkiv", "/news/2026/11/19/missing-404")[0] == 404
    assert fetch(demo_web, "kharkiv", "/news/2026/11/19/empty-page")[:3:2] == (200, b"")
    status, headers, junk = fetch(demo_web, "kharkiv", "/news/2026/11/18/junk-bytes")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert len(junk) == 4096 and b"<html" not in junk


def test_url_variants_serve_one_article(demo_web):
    clean = fetch(demo_web, "wego", "/news/smart-city-forum-2026")[2]
    tracked = fetch(demo_web, "wego", "/news/smart-city-forum-2026?utm_source=feed")[2]
    alias = fetch(demo_web, "wego", "/news/view/41")[2]
    assert clean == tracked == alias
    canonical = f'rel="canonical" href="{demo_web.base_url("wego")}/news/smart-city-forum-2026"'
    assert canonical.encode() in alias


def test_requests_are_logged(demo_web):
    demo_web.clear_requests()
    fetch(demo_web, "wego", "/news?page=2")
    assert demo_web.requests == [("wego", "/news?page=2")]


def test_demo_sources_match_their_sites(demo_web, demo_sources, expected):
    sources = {s.id: s for s in load_sources(demo_sources)}
    assert sorted(sources) == demo_web.site_ids
    for article in expected["article"]:
        source = sources[article["source"]]
        assert source.is_article_url(demo_web.base_url(source.id) + article["path"])
    for source in sources.values():
        for listing in source.listings:
            assert not source.is_article_url(listing)
            assert not source.is_article_url(listing + "?page=2")


def test_soft_404_and_unknown_paths(demo_web):
    status, headers, body = fetch(demo_web, "kharkiv", "/news/2026/11/18/not-found-page")
    assert status == 200 and "Сторінку не знайдено" in body.decode()
    status, headers, body = fetch(demo_web, "ulgov", "/no/such/page")
    assert status == 404 and headers["Content-Type"].startswith("text/html") and body


def test_feeds_have_their_types_and_parse(demo_web):
    kinds = {("ulgov", "/news/rss"): "application/rss+xml",
             ("chernigiv", "/feed.atom"): "application/atom+xml",
             ("wego", "/feed.json"): "application/feed+json"}
    for (site, path), content_type in kinds.items():
        status, headers, _ = fetch(demo_web, site, path)
        assert status == 200 and headers["Content-Type"] == content_type, path
    feed = json.loads(fetch(demo_web, "wego", "/feed.json")[2])
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert all(item["date_published"].endswith("+09:00") for item in feed["items"])
    assert b"+0400</pubDate>" in fetch(demo_web, "ulgov", "/news/rss")[2]


def test_oracle_titles_are_the_pages_headlines(demo_web, expected):
    """The titles in expected.toml are exactly the <h1> of each page (revision 2 included)."""
    try:
        for article in expected["article"]:
            demo_web.revision = article.get("revision", 1)
            status, _, body = fetch(demo_web, article["source"], article["path"])
            encoding = "cp1251" if article["source"] == "chernigiv" else "utf-8"
            doc = lxml.html.fromstring(body.decode(encoding))
            assert status == 200, article["path"]
            assert [h.text_content().strip() for h in doc.iter("h1")] == [article["title"]]
    finally:
        demo_web.revision = 1


def test_listing_links_are_exactly_the_oracles(demo_web, demo_sources, expected):
    """Every listing link that looks like an article is in expected.toml, and vice versa."""
    sources = {s.id: s for s in load_sources(demo_sources)}
    known = {(a["source"], a["path"]) for a in expected["article"] if a.get("revision", 1) == 1}
    known |= {(expected["broken"]["source"], p) for p in expected["broken"]["paths"]}
    for variant in expected["variant"]:
        known |= {(variant["source"], p.split("#")[0]) for p in variant["requested"]}
    found: set[tuple[str, str]] = set()
    for source in sources.values():
        base = demo_web.base_url(source.id)
        for listing in source.listings:
            page_url: str | None = listing
            for _ in range(source.max_listing_pages):
                if page_url is None:
                    break
                _, _, body = fetch(demo_web, source.id, page_url[len(base):])
                doc = lxml.html.fromstring(body)
                for href in doc.xpath("//a/@href"):
                    url = urljoin(page_url, href).split("#")[0]
                    if source.is_article_url(url):
                        found.add((source.id, url[len(base):]))
                nexts = doc.xpath("//link[@rel='next']/@href")
                page_url = urljoin(page_url, nexts[0]) if nexts else None
    listed = {(a["source"], a["path"]) for a in expected["article"]
              if a["source"] in {s.id for s in sources.values() if s.listings}
              and a.get("revision", 1) == 1}
    assert found <= known
    assert listed <= found
    assert {(expected["broken"]["source"], p) for p in expected["broken"]["paths"]} <= found
