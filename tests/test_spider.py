"""The spider's decisions, independent of the order responses arrive in."""

from __future__ import annotations

from scrapy.utils.test import get_crawler

from aggregator.config.sources import Source
from aggregator.crawl.discovery import Link
from spiders.news import NewsSpider

SOURCE = Source(id="agency", name="Agency", homepage="http://127.0.0.1:8000/",
                timezone="Europe/Kyiv", languages=("uk",),
                feeds=("http://127.0.0.1:8000/feed.atom",),
                listings=("http://127.0.0.1:8000/news",), article_pattern=r"/news/\d+")
URL = "http://127.0.0.1:8000/news/302"


def spider_with_known(change_mark: str) -> NewsSpider:
    crawler = get_crawler(NewsSpider)
    spider = NewsSpider(db="unused.db")
    spider.crawler = crawler
    crawler.stats.open_spider()
    spider.sources = {SOURCE.id: SOURCE}
    spider.known = {URL: change_mark}
    return spider


def test_known_article_seen_first_on_a_listing_is_still_refetched_when_the_feed_says_so():
    spider = spider_with_known("2026-11-21T17:20:00+02:00")
    assert list(spider._follow_article(SOURCE, Link(URL))) == []          # listing: skip
    updated = Link(URL, published="2026-11-21T17:20:00+02:00",
                   updated="2026-11-23T19:00:00+02:00", origin="feed")
    requests = list(spider._follow_article(SOURCE, updated))               # feed: changed
    assert [r.url for r in requests] == [URL]
    assert list(spider._follow_article(SOURCE, updated)) == []             # once only


def test_unchanged_feed_entry_of_a_known_article_is_not_fetched_and_counted_once():
    spider = spider_with_known("2026-11-21T17:20:00+02:00")
    same = Link(URL, published="2026-11-21T17:20:00+02:00", origin="feed")
    assert list(spider._follow_article(SOURCE, same)) == []
    assert list(spider._follow_article(SOURCE, Link(URL))) == []
    assert spider.crawler.stats.get_value("newsagg/agency/known_skipped") == 1
