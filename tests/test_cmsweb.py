"""The CMS fixture web serves what its ground truth claims: the onboarding benchmark and
the `sources add` tests score against it, so a fixture that lies would score the tool wrong."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from html import unescape
from urllib.parse import urlsplit

import pytest

from aggregator.crawl.discovery import parse_feed, parse_sitemap, sitemaps_from_robots
from aggregator.decoding import decode_html
from aggregator.extract import extract_article
from tests.cmsweb import CmsSite, CmsWeb

NAMES = ["bitrix", "dle", "wordpress", "joomla", "drupal", "govsub", "feedonly",
         "listingsonly", "newssitemap", "mixed"]
NEWS_LABELS = {"Новости", "Новини", "Пресс-центр", "News"}


@pytest.fixture(scope="module")
def web() -> Iterator[CmsWeb]:
    with CmsWeb() as cms:
        yield cms


def get(url: str) -> tuple[int, str, bytes]:
    """(status, content type, body) of a real GET, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.headers.get("Content-Type", ""), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def page_text(url: str) -> str:
    status, content_type, body = get(url)
    assert status == 200, url
    return decode_html(body, content_type).text


def test_every_site_is_there_on_its_own_address(web: CmsWeb) -> None:
    assert sorted(web.sites) == sorted(NAMES)
    hosts = {urlsplit(site.homepage).hostname for site in web.sites.values()}
    assert len(hosts) == len(NAMES)
    for site in web.sites.values():
        assert 8 <= len(site.articles) <= 15, site.name
        assert not site.articles & site.non_articles
        assert site.language in ("ru", "uk", "en") and site.notes


@pytest.mark.parametrize("name", NAMES)
def test_site_serves_its_truth(web: CmsWeb, name: str) -> None:
    site = web.sites[name]
    assert get(site.homepage)[0] == 200
    assert get(site.homepage + "robots.txt")[0] == 200
    assert get(site.homepage + "no/such/page/")[0] == 404
    shape = re.compile(site.article_shape)
    texts = set()
    for url in site.articles:
        assert shape.search(url), url
        page = extract_article(page_text(url), url)
        assert page.is_article, (url, page.reason)
        assert page.title and page.published_at, url
        assert page.published_at.startswith("2026-11-"), (url, page.published_at)
        texts.add(page.text)
    assert len(texts) == len(site.articles)          # no two articles share a text
    for url in site.non_articles:
        page = extract_article(page_text(url), url)
        assert not page.is_article or not shape.search(url), url


@pytest.mark.parametrize("name", [n for n in NAMES if n not in ("feedonly", "newssitemap")])
def test_homepage_links_the_news_section_by_its_label(web: CmsWeb, name: str) -> None:
    site = web.sites[name]
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', page_text(site.homepage))
    labelled = [unescape(href) for href, label in links if label in NEWS_LABELS]
    assert labelled and all(site.fault and site.fault.url(h) in site.non_articles
                            for h in labelled)


def test_no_news_label_where_there_is_none(web: CmsWeb) -> None:
    for name in ("feedonly", "newssitemap"):
        labels = re.findall(r">([^<]+)</a>", page_text(web.sites[name].homepage))
        assert not NEWS_LABELS & set(labels), name


def test_bitrix_is_windows_1251_in_header_and_meta(web: CmsWeb) -> None:
    url = sorted(web.sites["bitrix"].articles)[0]
    status, content_type, body = get(url)
    assert status == 200 and content_type == "text/html; charset=windows-1251"
    assert b'<meta charset="windows-1251">' in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert "Новости" in body.decode("cp1251")


def test_bitrix_sitemap_index_from_robots_lists_every_article(web: CmsWeb) -> None:
    site = web.sites["bitrix"]
    robots = site.homepage + "robots.txt"
    [index] = sitemaps_from_robots(get(robots)[2], robots)
    children = parse_sitemap(get(index)[2], index)
    assert children.kind == "sitemapindex"
    urls = {link.url for child in children.links
            for link in parse_sitemap(get(child.url)[2], child.url).links}
    assert site.articles <= urls and urls - site.articles      # static pages listed too


@pytest.mark.parametrize(("name", "feed"), [("dle", "/rss.xml"), ("wordpress", "/feed/"),
                                            ("feedonly", "/export/news.xml")])
def test_feeds_are_announced_and_list_every_article(web: CmsWeb, name: str, feed: str) -> None:
    site = web.sites[name]
    assert 'type="application/rss+xml" title="' in page_text(site.homepage)
    assert f'href="{feed}"' in page_text(site.homepage)
    url = site.homepage.rstrip("/") + feed
    assert {link.url for link in parse_feed(get(url)[2], url)} == site.articles


@pytest.mark.parametrize("name", ["feedonly", "listingsonly", "joomla", "govsub"])
def test_sites_without_sitemap_say_so(web: CmsWeb, name: str) -> None:
    site = web.sites[name]
    assert b"Sitemap" not in get(site.homepage + "robots.txt")[2]
    assert get(site.homepage + "sitemap.xml")[0] == 404


def test_news_sitemap_dates_every_article(web: CmsWeb) -> None:
    site = web.sites["newssitemap"]
    robots = site.homepage + "robots.txt"
    [url] = sitemaps_from_robots(get(robots)[2], robots)
    links = parse_sitemap(get(url)[2], url).links
    assert {link.url for link in links} == site.articles
    assert all(link.published and link.published.startswith("2026-11-") for link in links)


def test_mixed_listing_links_every_kind_of_page(web: CmsWeb) -> None:
    site: CmsSite = web.sites["mixed"]
    listing = page_text(site.homepage + "news/")
    for part in ("/tag/", "/author/", "/events/", "/photo/", "/news/2026/11/"):
        assert f'href="{part}' in listing, part


def test_the_web_is_the_same_every_time(web: CmsWeb) -> None:
    def paths(cms: CmsWeb) -> dict[str, set[str]]:
        return {n: {urlsplit(u)._replace(netloc="").geturl() for u in s.articles}
                for n, s in cms.sites.items()}

    with CmsWeb() as again:
        assert paths(again) == paths(web)
